"""The organisation user's day (zuzhi), pages only, in a real browser (issue 12): signs in
to their organisation's page, reads its record (registered, the annual report on last year
missing), finds the open tenders, bids — refused over the budget, for a malformed amount
and while the report is missing —, lodges the report, bids, and is refused after a
deadline passed. Every refusal is exact Chinese and saves nothing; every page visited
passes the page scan (settings_test)."""

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


def bid(page: Any, price: str, proposal: str = "配备专职社工 3 名，服务老人 120 户。") -> None:
    page.locator("#bid [name=price_yuan]").evaluate("el => el.type = 'text'")  # as typed
    page.fill("#bid [name=price_yuan]", price)
    page.fill("#bid [name=proposal]", proposal)
    page.once("dialog", lambda d: d.accept())
    page.click("#submit-bid")
    page.wait_for_load_state()


def alert(page: Any) -> str:
    return str(page.locator("#bid [role=alert]").first.inner_text()).strip()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_organisation_users_day(page: Any, live_server: Any, make_user: Any,
                                    monkeypatch: Any) -> None:
    from django.utils import timezone

    from shequ.areas.tests.factories import make_tree
    from shequ.authz import SYSTEM
    from shequ.orgs.models import AnnualReport
    from shequ.orgs.services import add_operator
    from shequ.orgs.tests.conftest import registered_org
    from shequ.procurement import services
    from shequ.procurement.models import Bid
    from shequ.procurement.tests.conftest import CATEGORIES, CRITERIA

    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: TODAY["day"])
    TODAY["day"] = date(2026, 6, 10)
    make_tree()
    officer = make_user("street_officer", "510104022", username="jiedao", display_name="陈静")
    zuzhi = make_user("org_user", "510104", username="zuzhi", display_name="锦江社工服务中心 周洋")
    own = registered_org(SYSTEM, on=date(2025, 3, 3), name="锦江区社工服务协会",
                         person_in_charge="王建国")
    add_operator(actor=SYSTEM, org_id=own.pk, user=zuzhi, on=date(2025, 3, 4))
    catalogue = services.publish_catalogue(actor=SYSTEM, version="2026", title="指导性目录",
                                           categories=CATEGORIES, area_code="510104",
                                           on=date(2026, 1, 2))
    item = catalogue.categories.get(code="01").items.get(code="0101")
    buyer = services.save_buyer(actor=SYSTEM, name="春熙路街道办事处", kind="street",
                                area_code="510104022")
    line = services.save_budget_line(actor=SYSTEM, buyer_id=buyer.pk, year=2026,
                                     title="社区服务购买", amount_fen=100_000_000)
    numbers = []
    for title, budget, deadline in (("春熙路街道居家养老上门服务", 30_000_000, date(2026, 6, 30)),
                                    ("春熙路街道四点半课堂", 8_000_000, date(2026, 6, 24))):
        project = services.create_project(actor=officer, budget_line_id=line.pk, item_id=item.pk,
                                          title=title, method="open", budget_fen=budget,
                                          on=date(2026, 6, 3))
        services.set_criteria(actor=officer, number=project.number, criteria=CRITERIA)
        services.publish(actor=officer, number=project.number, bid_deadline=deadline,
                         on=date(2026, 6, 4))
        numbers.append(project.number)
    url = live_server.url

    # signs in to the organisation's own page, not a console that refuses them
    sign_in(page, url, "zuzhi")
    page.wait_for_url(f"{url}/orgs/portal/")
    assert page.locator("h1").inner_text() == "我的社会组织"
    assert "无权访问" not in page.content()
    card = page.locator(f"article.card[data-org='{own.pk}']")
    assert card.locator("h2").inner_text() == "锦江区社工服务协会"
    assert card.locator(".report-state").inner_text() == "2025：未报送"

    # the organisation's record: registered, last year's report missing
    card.locator("a.button", has_text="办理").click()
    page.wait_for_url(f"{url}/orgs/portal/o/{own.pk}/")
    assert page.locator("#org-name").inner_text() == "锦江区社工服务协会"
    assert page.locator("#org-status").inner_text() == "正常"
    assert page.locator("#report-missing").inner_text() == (
        "2025年度报告未报送，截止日期为2026年5月31日（《社会团体登记管理条例》第二十八条第一款；"
        "《民办非企业单位登记管理暂行条例》第二十三条第一款）。")

    # the open tenders, from the menu
    page.click("nav >> text=招标公告")
    page.wait_for_url(f"{url}/procurement/portal/")
    assert page.locator("h1").inner_text() == "招标公告"
    page.click("text=春熙路街道居家养老上门服务")
    page.wait_for_url(f"{url}/procurement/portal/p/{numbers[0]}/")

    # a bid over the budget, a malformed amount, a bid while the report is missing
    bid(page, "310000")
    assert alert(page) == ("报价超过项目预算：报价不得超过项目预算（《政府采购法》第三十六条第一款第（三）项"
                           "（本地规则，由各区设定））。")
    bid(page, "28万")
    assert page.locator("#bid .errorlist").inner_text() == "输入一个数字。"
    bid(page, "285000")
    assert alert(page) == ("该组织不能投标：年度报告未报送或年检不合格，不具备良好的信誉"
                           "（《政府采购法》第二十二条第一款第（二）项）。")
    assert not Bid.objects.exists()

    # lodges the report on 2025 from its record, then bids
    page.goto(f"{url}/orgs/portal/o/{own.pk}/")
    page.click("#do-report summary")
    page.fill("#id_report-year", "2026")  # the year is not over: refused, nothing saved
    page.fill("#id_report-activities", "开展助老活动。")
    page.fill("#id_report-income_yuan", "80000")
    page.fill("#id_report-expenditure_yuan", "65000.50")
    page.click("#submit-report")
    page.wait_for_load_state()
    assert page.locator("#do-report [role=alert]").inner_text() == (
        "年度报告应针对组织存续期间已结束的年度（2025至2025年）。")
    assert not AnnualReport.objects.exists()
    page.fill("#id_report-year", "2025")
    page.fill("#id_report-activities", "开展助老活动24次，服务600人次。")
    page.fill("#id_report-income_yuan", "80000")
    page.fill("#id_report-expenditure_yuan", "65000.50")
    page.fill("#id_report-staff", "2")
    page.fill("#id_report-members", "66")
    page.fill("#id_report-agency_submitted_on", "2026-03-02")
    page.fill("#id_report-agency_approved_on", "2026-03-20")
    page.click("#submit-report")
    page.wait_for_selector("tr[data-year='2025']")
    assert page.inner_text(".messages") == "2025年度报告已报送。"
    assert AnnualReport.objects.filter(org=own, year=2025).count() == 1
    page.goto(f"{url}/procurement/portal/p/{numbers[0]}/")
    bid(page, "285000")
    assert page.locator(".msg").first.inner_text() == "投标已提交。"
    assert page.locator("#my-bid").inner_text().startswith("报价（元）：285,000.00，已提交")

    # the second tender: the page is open when the deadline passes; the bid is refused
    page.goto(f"{url}/procurement/portal/p/{numbers[1]}/")
    TODAY["day"] = date(2026, 6, 25)
    bid(page, "75000")
    assert page.locator("#bid-refused").inner_text() == f"项目 {numbers[1]} 已不再接受投标。"
    assert Bid.objects.count() == 1
    page.reload()  # past the deadline the page no longer offers a form that is refused
    assert page.locator("#bid").count() == 0
    assert "已不再接受投标。" in page.inner_text("main")

    # its own pages: the bid listed, the report lodged, no longer "missing"
    page.goto(f"{url}/procurement/portal/")
    assert page.locator("#my-bids tbody tr").all_inner_texts() == [
        "春熙路街道居家养老上门服务\t285,000.00\t2026-06-10\t已提交"]
    page.click("nav >> text=我的社会组织")
    page.wait_for_url(f"{url}/orgs/portal/")
    assert card.locator(".report-state").inner_text() == "2025：已报送"
    page.goto(f"{url}/orgs/portal/o/{own.pk}/")
    assert page.locator("#report-missing").count() == 0
    assert page.inner_text("tr[data-year='2025'] td:nth-child(4)") == "已报送，待年检"
