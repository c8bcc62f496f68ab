"""A purchase from budget to performance evaluation, pages only, in a real browser: the
street officer opens a budget line, creates and publishes the project, runs the committee,
awards and signs (after a contract too long without a reason is refused); the
organisation's user bids from its own pages and reports deliveries; the officer accepts,
pays, completes and records a third-party evaluation that reaches the organisation's
public record. The day is moved forward between steps (the law's periods are real)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from shequ.accounts.tests.factories import PASSWORD

TODAY: dict[str, date] = {}


def sign_in(page: Any, url: str, username: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{url}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("#signin")
    page.wait_for_load_state()


def confirm_and_click(page: Any, selector: str) -> None:
    page.once("dialog", lambda d: d.accept())
    page.click(selector)
    page.wait_for_load_state()


def message(page: Any) -> str:
    return str(page.locator(".msg").first.inner_text()).strip()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_purchase_from_budget_to_performance_evaluation(
        page: Any, live_server: Any, make_user: Any, monkeypatch: Any) -> None:
    from django.utils import timezone

    from shequ.areas.tests.factories import make_tree
    from shequ.authz import SYSTEM
    from shequ.orgs.services import add_operator
    from shequ.orgs.tests.conftest import registered_org
    from shequ.procurement import services
    from shequ.procurement.models import Bid, Evaluator, Project
    from shequ.procurement.tests.conftest import CATEGORIES

    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: TODAY["day"])
    TODAY["day"] = date(2025, 6, 3)
    make_tree()
    make_user("street_officer", "510104022", username="jiedao", display_name="陈静")
    zuzhi = make_user("org_user", "510104", username="zuzhi", display_name="周洋")
    orgs = [registered_org(SYSTEM, on=date(2025, 3, 3), name=n, person_in_charge=p)
            for n, p in (("锦江区社工服务协会", "王建国"), ("锦江区养老服务协会", "刘淑芬"),
                         ("锦江区家庭服务协会", "何志强"))]
    add_operator(actor=SYSTEM, org_id=orgs[0].pk, user=zuzhi, on=date(2025, 3, 4))
    services.publish_catalogue(actor=SYSTEM, version="2025", title="指导性目录",
                               categories=CATEGORIES, area_code="510104", on=date(2025, 1, 2))
    services.save_buyer(actor=SYSTEM, name="春熙路街道办事处", kind="street",
                        area_code="510104022")
    url = live_server.url

    # the budget line, then the project
    sign_in(page, url, "jiedao")
    page.goto(f"{url}/procurement/budgets/")
    assert page.locator("h1").inner_text() == "购买服务预算"
    page.fill("#new-line [name=title]", "社区服务购买")
    page.fill("#new-line [name=amount_yuan]", "1000000")
    page.click("#save-line")
    assert message(page) == "预算项目已保存。"
    assert "1,000,000.00" in page.locator("#lines").inner_text()
    page.goto(f"{url}/procurement/staff/new/")
    page.select_option("[name=item_id]", label="0101 居家养老上门服务（社区养老服务）")
    page.fill("[name=title]", "春熙路街道居家养老上门服务")
    page.fill("[name=budget_yuan]", "300000")
    page.click("#create")
    assert message(page) == "项目 JJ2025-0001 已创建为草稿。"
    assert page.locator("#project-state").inner_text() == "草稿"
    page.click("#criteria-form button")
    assert message(page) == "评审因素已保存。"
    assert page.locator("#criteria").inner_text().count("\n") >= 3

    # a deadline too early, then the right one
    TODAY["day"] = date(2025, 6, 4)
    page.reload()
    page.fill("#publish-form [name=bid_deadline]", "2025-06-20")
    page.click("[data-step=publish]")
    assert message(page) == ("截止日期 2025-06-20 过早：招标文件发出之日至投标截止之日不得少于 20 天，"
                             "最早的截止日期为 2025-06-24（《政府采购法》第三十五条）。")
    page.fill("#publish-form [name=bid_deadline]", "2025-06-24")
    page.click("[data-step=publish]")
    assert message(page) == "项目已发布。"
    for name in ("张明远", "李慧", "王建华", "刘晓燕"):
        page.fill("#evaluator-form [name=name]", name)
        page.select_option("#evaluator-form [name=kind]", "expert")
        page.click("#evaluator-form button")
        assert message(page) == "评审成员已添加。"
    page.fill("#evaluator-form [name=name]", "陈国强")
    page.select_option("#evaluator-form [name=kind]", "buyer")
    page.click("#evaluator-form button")

    # two other organisations bid; the organisation's user bids from its own pages
    TODAY["day"] = date(2025, 6, 10)
    for org, price in ((orgs[1], 29_000_000), (orgs[2], 29_500_000)):
        services.submit_bid(actor=SYSTEM, number="JJ2025-0001", org_id=org.pk,
                            price_fen=price, on=date(2025, 6, 10))
    sign_in(page, url, "zuzhi")
    page.goto(f"{url}/procurement/portal/")
    assert page.locator("h1").inner_text() == "招标公告"
    page.click("text=春熙路街道居家养老上门服务")
    page.fill("#bid [name=price_yuan]", "310000")
    page.fill("#bid [name=proposal]", "配备专职社工 3 名，服务老人 120 户。")
    confirm_and_click(page, "#submit-bid")
    assert page.locator("[role=alert]").first.inner_text() == (
        "报价超过项目预算：报价不得超过项目预算（《政府采购法》第三十六条第一款第（三）项（本地规则，由各区设定））。")
    page.fill("#bid [name=price_yuan]", "285000")
    confirm_and_click(page, "#submit-bid")
    assert message(page) == "投标已提交。"
    assert page.locator("#my-bid").inner_text().startswith("报价（元）：285,000.00，已提交")

    # after the deadline: close, declare, score, award
    TODAY["day"] = date(2025, 6, 25)
    sign_in(page, url, "jiedao")
    page.goto(f"{url}/procurement/staff/p/JJ2025-0001/")
    confirm_and_click(page, "[data-step=close]")
    assert message(page) == "已截标，开始评审。"
    for _i in range(5):
        page.click("form.declare button >> nth=0")
        assert message(page) == "利害关系申报已记录。"
    points = {orgs[0].pk: "90", orgs[1].pk: "80", orgs[2].pk: "70"}
    by_bid = {b.pk: points[b.org_id] for b in Bid.objects.all()}
    while page.locator("form.score").count():
        form = page.locator("form.score").first
        value = by_bid[int(form.get_attribute("data-bid"))]
        for box in form.locator("input[type=number]").all():
            box.fill(value)
        form.locator("button").click()
        page.wait_for_load_state()
        assert message(page) == "评分已记录。"
    assert Evaluator.objects.filter(declared_on=date(2025, 6, 25)).count() == 5
    assert "90.000" in page.locator("#bids").inner_text()
    confirm_and_click(page, "[data-step=award]")
    assert message(page) == "中标通知书已发出。"
    assert page.locator("#standstill").inner_text() == "2025-07-04"

    # the contract: too long without a reason, then a year
    TODAY["day"] = date(2025, 7, 7)
    page.reload()
    page.fill("#sign-form [name=starts_on]", "2025-07-15")
    page.fill("#sign-form [name=ends_on]", "2027-07-14")
    page.fill("#sign-form [name=milestones]", "中期, 服务台账与中期报告, 2025-12-31, 142500\n"
                                             "结项, 服务台账与结项报告, 2026-07-14, 142500")
    confirm_and_click(page, "#sign-button")
    assert message(page) == (
        "合同期限 24 个月，超过规定（合同履行期限一般不超过 12 个月）：请记录理由（服务内容固定、连续性强、"
        "经费来源稳定）（《政府购买服务管理办法》（财政部令第102号）第二十四条（引用未核实））。")
    assert Project.objects.get().state == "awarded"
    page.fill("#sign-form [name=starts_on]", "2025-07-15")
    page.fill("#sign-form [name=ends_on]", "2026-07-14")
    page.fill("#sign-form [name=milestones]", "中期, 服务台账与中期报告, 2025-12-31, 142500\n"
                                             "结项, 服务台账与结项报告, 2026-07-14, 142500")
    confirm_and_click(page, "#sign-button")
    assert message(page) == "合同已签订。"
    assert page.locator("#contract-value").inner_text() == "285,000.00"

    # deliveries and payments, twice
    for day, seq in ((date(2025, 12, 31), "1"), (date(2026, 7, 14), "2")):
        TODAY["day"] = day
        sign_in(page, url, "zuzhi")
        page.goto(f"{url}/procurement/portal/")
        row = page.locator(f"[data-contract=JJ2025-0001] tr[data-milestone='{seq}']")
        row.locator("[name=text]").fill("上门服务老人 120 户，累计 2,400 人次。")
        row.locator("button").click()
        page.wait_for_load_state()
        assert message(page) == "交付情况已报告。"
        sign_in(page, url, "jiedao")
        page.goto(f"{url}/procurement/staff/p/JJ2025-0001/")
        row = page.locator(f"#milestones tr[data-milestone='{seq}']")
        row.locator("[data-step=accept]").click()
        page.wait_for_load_state()
        assert message(page) == "履约节点已验收。"
        row = page.locator(f"#milestones tr[data-milestone='{seq}']")
        row.locator("[name=amount_yuan]").fill("142500")
        page.once("dialog", lambda d: d.accept())
        row.locator("form.pay button").click()
        page.wait_for_load_state()
        assert message(page) == "支付已记录。"
    assert page.locator("#contract-paid").inner_text() == "285,000.00"

    # complete and evaluate
    TODAY["day"] = date(2026, 7, 20)
    page.reload()
    confirm_and_click(page, "#complete")
    assert message(page) == "合同已履行完毕。"
    assert page.locator("#project-state").inner_text() == "已完成"
    page.fill("#performance-form [name=score]", "92")
    page.select_option("#performance-form [name=evaluated_by]", "third_party")
    page.fill("#performance-form [name=evaluator_name]", "成都市社会组织评估中心")
    confirm_and_click(page, "#performance-form button")
    assert message(page) == "绩效评价已记录。"
    assert page.locator("#performance-score").inner_text() == "92"

    # the public sees the same, and the organisation's record has it
    page.context.clear_cookies()
    page.goto(f"{url}/procurement/p/JJ2025-0001/")
    assert page.locator("#performance").inner_text() == (
        "第三方评估机构：成都市社会组织评估中心，92（优秀），2026-07-20")
    assert "中标供应商：锦江区社工服务协会。" in page.locator("#award").inner_text()
    page.goto(f"{url}/orgs/o/{orgs[0].pk}/")
    assert "购买服务项目“春熙路街道居家养老上门服务”：第三方绩效评价 92 分。" in page.content()
