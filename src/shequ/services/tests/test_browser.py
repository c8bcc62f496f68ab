"""In the browser: a resident files on the portal, a station worker files at the desk, and
a street officer works both through 补正, extension and decision."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from shequ.accounts.tests.factories import PASSWORD

from .conftest import PDF, PNG, with_record


def _sign_in(page: Any, base: str, username: str, then: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{base}/login/?next={then}")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("#signin")
    page.wait_for_url(f"{base}{then}")


def _act(page: Any, action: str) -> None:
    page.click(f"form[data-action={action}] button[type=submit]")
    page.wait_for_load_state()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_portal_desk_and_workbench(page: Any, live_server: Any, make_user: Any) -> None:
    from shequ.areas.tests.factories import make_tree
    from shequ.authz import SYSTEM
    from shequ.core import calendar
    from shequ.core.models import CalendarYear
    from shequ.services import services
    from shequ.services.models import Case

    make_tree()
    next_year = date.today().year + 1
    if next_year not in calendar.PACKAGE_YEARS:  # an administrator entered next year's notice
        CalendarYear.objects.get_or_create(year=next_year, defaults={"source": "test"})
    calendar.invalidate()
    services.publish_item(
        actor=SYSTEM, code="JJ-GF-001", area_code="510104", name="居住证申领",
        legal_basis="《居住证暂行条例》第十条", handler_level="station",
        delegation_mode="front_desk", decided_by="street", kind="confirmation",
        period_basis="《居住证暂行条例》第九条", extension_days=10, department="公共服务办公室",
        department_category="public_service", statutory_days=15, promised_days=7,
        materials=[{"code": "id", "name": "居民身份证"}, {"code": "photo", "name": "近期照片"},
                   {"code": "residence", "name": "居住证明"}])
    with_record(make_user("resident", "510104022009", username="jumin", display_name="孙丽"),
                "孙丽")
    make_user("station_worker", "510104022009", username="zhanwu")
    make_user("street_officer", "510104022", username="jiedao")
    make_user("street_officer", "510104022", username="zhuren", display_name="王主任")
    services.designate_head(actor=SYSTEM, username="zhuren", area_code="510104022")
    base = live_server.url
    page.on("dialog", lambda dialog: dialog.accept())  # "cannot be undone: go ahead?"

    # 1. The resident applies online with one of three materials.
    _sign_in(page, base, "jumin", "/services/")
    page.click("tr[data-item=JJ-GF-001] a.button")
    page.fill("#id_phone", "13800001234")
    page.fill("#id_description", "新租住房屋")
    page.set_input_files("#id_material_id", files=[
        {"name": "id.pdf", "mimeType": "application/pdf", "buffer": PDF}])
    page.click("#submit")
    page.wait_for_selector("#case-number")
    online = page.inner_text("#case-number")
    assert online == f"510104022-{date.today().year}-000001"
    assert page.inner_text("#case-state") == "已收件,待受理"
    assert page.inner_text(".messages") == f"已收件,您的办件编号为 {online}。"

    # 2. The station worker files one for an elderly resident at the desk.
    _sign_in(page, base, "zhanwu", "/services/desk/")
    page.select_option("#id_item_code", "JJ-GF-001")
    page.select_option("#id_station_code", "JJ-T1")
    page.fill("#id_applicant_name", "王大爷")
    page.fill("#id_phone", "13900005678")
    page.set_input_files("#id_scans", files=[
        {"name": "scan.png", "mimeType": "image/png", "buffer": PNG}])
    page.click("#submit")
    page.wait_for_selector("#case-number")
    desk = page.inner_text("#case-number")
    assert desk.endswith("-000002")

    # 3. The street officer asks both for missing materials, in one notice each.
    _sign_in(page, base, "jiedao", "/services/work/")
    assert page.locator(f"tr[data-number='{online}']").count() == 1
    for number in (online, desk):
        page.click(f"tr[data-number='{number}'] a")
        page.check("form[data-action=request_correction] input[value=photo]")
        page.check("form[data-action=request_correction] input[value=residence]")
        _act(page, "request_correction")
        assert "近期照片" in page.inner_text("#missing") and "居住证明" in page.inner_text("#missing")
        page.goto(f"{base}/services/work/")

    # 4. The resident supplies online; the station worker supplies at the desk.
    for user, number in (("jumin", online), ("zhanwu", desk)):
        _sign_in(page, base, user, f"/services/cases/{number}/")
        page.set_input_files("form[data-action=supply] input[name=material_photo]", files=[
            {"name": "photo.png", "mimeType": "image/png", "buffer": PNG}])
        page.set_input_files("form[data-action=supply] input[name=material_residence]", files=[
            {"name": "lease.pdf", "mimeType": "application/pdf", "buffer": PDF}])
        _act(page, "supply")
        assert page.get_attribute("#case-state", "data-state") == "submitted"

    # 5. The officer accepts both, asks the head to extend one with a reason; the head
    # approves; the officer approves one and rejects the other.
    _sign_in(page, base, "jiedao", f"/services/cases/{online}/")
    _act(page, "accept")
    assert page.get_attribute("#case-state", "data-state") == "in_review"
    due_before = page.inner_text("#case-due")
    assert page.locator("form[data-action=extend]").count() == 0  # only the head approves
    page.fill("form[data-action=request_extension] input[name=days]", "3")
    page.fill("form[data-action=request_extension] textarea[name=note]", "需核实租赁关系")
    _act(page, "request_extension")
    assert page.inner_text("#case-due") == due_before
    _sign_in(page, base, "zhuren", f"/services/cases/{online}/")
    page.check("form[data-action=extend] input[name=confirm]")
    _act(page, "extend")
    assert page.inner_text("#case-due") != due_before
    assert page.locator("form[data-action=extend]").count() == 0  # only once
    _sign_in(page, base, "jiedao", f"/services/cases/{online}/")
    # a decision cannot be undone: the browser does not send it before the box is ticked
    _act(page, "approve")
    assert page.get_attribute("#case-state", "data-state") == "in_review"
    assert page.locator("form[data-action=approve] input[name=confirm]:invalid").count() == 1
    page.check("form[data-action=approve] input[name=confirm]")
    _act(page, "approve")
    assert page.get_attribute("#case-state", "data-state") == "approved"
    page.goto(f"{base}/services/cases/{desk}/")
    _act(page, "accept")
    page.fill("form[data-action=reject] textarea[name=note]", "不符合居住年限条件")
    page.check("form[data-action=reject] input[name=confirm]")
    _act(page, "reject")
    assert page.get_attribute("#case-state", "data-state") == "rejected"

    # 6. The resident sees what happened, including the reason for the extension.
    _sign_in(page, base, "jumin", "/services/mine/")
    notes = page.inner_text("#notifications")
    assert "需核实租赁关系" in notes and "近期照片" in notes
    a, b = Case.objects.get(number=online), Case.objects.get(number=desk)
    assert (a.state, a.extension_days, a.sla) == ("approved", 3, "done_on_time")
    assert a.due_on == calendar.get_calendar().add(a.accepted_on, 7 + 3)
    assert (b.state, b.channel, b.decision_reasons) == ("rejected", "desk", "不符合居住年限条件")
    assert [e.action for e in a.events.all()] == ["submit", "request_correction", "supply",
                                                  "accept", "request_extension", "extend",
                                                  "approve"]
