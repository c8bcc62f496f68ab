"""The street officer's day, pages only, in a real browser (issues 11 and 12): a 补正
notice (first with nothing ticked), acceptance, an extension asked of the head of the
office and approved by her (first with impossible days), a rejection without reasons
refused, the decision, and the decision printed."""

from __future__ import annotations

from io import BytesIO
from typing import Any

import pytest
from pypdf import PdfReader

from .test_day_admin import sign_in
from .test_day_jumin import PDF, catalogue, next_year_known, resident


def _act(page: Any, action: str) -> None:
    page.click(f"form[data-action={action}] button[type=submit]")
    page.wait_for_load_state()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_street_officers_day(page: Any, live_server: Any, make_user: Any) -> None:
    from shequ.areas.tests.factories import make_tree
    from shequ.authz import SYSTEM
    from shequ.services import services
    from shequ.services.models import Case
    from shequ.services.services import Upload

    make_tree()
    next_year_known()
    catalogue()
    jumin = resident(make_user, "jumin", "孙丽", 7)
    make_user("street_officer", "510104022", username="jiedao", display_name="街道 张伟")
    make_user("street_officer", "510104022", username="zhuren", display_name="主任 王芳")
    services.designate_head(actor=SYSTEM, username="zhuren", area_code="510104022",
                            title="春熙路街道办事处主任")
    a = services.submit_case(actor=jumin, item_code="JJ-GF-001", area_code="510104022009",
                             applicant_name="孙丽", phone="13800001234")
    url = live_server.url
    page.on("dialog", lambda dialog: dialog.accept())

    sign_in(page, url, "jiedao")
    page.wait_for_url(f"{url}/console/")
    page.goto(f"{url}/services/work/")
    page.click(f"tr[data-number='{a.number}'] a")
    page.wait_for_selector("#case-number")

    # 补正: nothing ticked first, then the two materials, with what is wrong
    _act(page, "request_correction")
    assert page.inner_text(".messages") == "列明全部需补正的材料(一次性告知): 请勾选需要补正的每一项材料。"
    assert page.get_attribute("#case-state", "data-state") == "submitted"
    page.check("form[data-action=request_correction] input[value=photo]")
    page.check("form[data-action=request_correction] input[value=residence]")
    page.fill("form[data-action=request_correction] textarea[name=note]", "照片过期")
    _act(page, "request_correction")
    assert page.inner_text("#missing") == "需补正材料: 近期免冠照片、居住证明"
    services.supply(actor=jumin, number=a.number, uploads=[
        Upload("p.pdf", PDF, "photo"), Upload("r.pdf", PDF, "residence")])

    # acceptance; then an extension asked of the head, with impossible days first
    page.reload()
    _act(page, "accept")
    assert page.get_attribute("#case-state", "data-state") == "in_review"
    due = page.inner_text("#case-due")
    assert page.locator("form[data-action=extend]").count() == 0  # the head's, not mine
    form = "form[data-action=request_extension]"
    for days, said in [("0", "工作日: 确保该值大于或等于1。"),
                       ("11", "工作日: 确保该值小于或等于10。")]:
        page.fill(f"{form} input[name=days]", days)
        page.fill(f"{form} textarea[name=note]", "需上门核实居住情况")
        page.evaluate("document.querySelector(\"form[data-action=request_extension] "
                      "input[name=days]\").removeAttribute('min');"
                      "document.querySelector(\"form[data-action=request_extension] "
                      "input[name=days]\").removeAttribute('max')")
        _act(page, "request_extension")
        assert page.inner_text(".messages") == said
    page.fill(f"{form} input[name=days]", "5")
    page.fill(f"{form} textarea[name=note]", "需上门核实居住情况")
    _act(page, "request_extension")
    assert page.inner_text("#case-due") == due  # nothing changes before the head approves
    assert page.inner_text("#extension-asked") == "已报请延长 5 个工作日,待本机关负责人批准。"

    # the head approves the days asked for (prefilled), confirming the step
    page.context.clear_cookies()
    sign_in(page, url, "zhuren")
    page.wait_for_url(f"{url}/console/")
    page.goto(f"{url}/services/cases/{a.number}/")
    assert page.locator("form[data-action=extend] input[name=days]").input_value() == "5"
    page.check("form[data-action=extend] input[name=confirm]")
    _act(page, "extend")
    assert page.inner_text("#case-due") != due
    case = Case.objects.get(number=a.number)
    assert (case.extension_days, case.extension_approved_by) == (5, "zhuren")
    history = page.inner_text("#events")
    assert "主任 王芳" in history and "街道 张伟" in history and "zhuren" not in history

    # the officer decides: a rejection needs reasons; she approves instead and prints it
    page.context.clear_cookies()
    sign_in(page, url, "jiedao")
    page.wait_for_url(f"{url}/console/")
    page.goto(f"{url}/services/cases/{a.number}/")
    page.check("form[data-action=reject] input[name=confirm]")
    page.evaluate("document.querySelector(\"form[data-action=reject] textarea[name=note]\")"
                  ".removeAttribute('required')")
    _act(page, "reject")
    assert page.inner_text(".messages") == "理由(将告知申请人): 这个字段是必填项。"
    assert page.get_attribute("#case-state", "data-state") == "in_review"
    page.check("form[data-action=approve] input[name=confirm]")
    _act(page, "approve")
    assert page.get_attribute("#case-state", "data-state") == "approved"
    link = page.locator("a[data-document=decision]")
    assert link.inner_text() == "确认决定书"  # a residence permit is a confirmation
    body = page.request.get(url + link.get_attribute("href")).body()
    text = "".join(p.extract_text() for p in PdfReader(BytesIO(body)).pages).replace("\n", "")
    assert "确认决定书" in text and a.number in text and "孙丽" in text
    assert "春熙路决〔" in text and "春熙路街道办事处" in text
    extension = page.locator("a[data-document=extension]")
    body = page.request.get(url + extension.get_attribute("href")).body()
    text = "".join(p.extract_text() for p in PdfReader(BytesIO(body)).pages).replace("\n", "")
    assert "延长办理期限通知书" in text and "需上门核实居住情况" in text and "5 个工作日" in text
