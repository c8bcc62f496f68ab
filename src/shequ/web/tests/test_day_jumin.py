"""The resident's day, pages only, in a real browser (issues 12 and 13): she lands on her
own page, applies as herself (her record's name, not typed), is asked for a material,
tries to answer without the file, supplies it, and follows her case."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from .test_day_admin import sign_in

PDF = b"%PDF-1.4\n% test\n"


def catalogue() -> None:
    from shequ.authz import SYSTEM
    from shequ.services import services

    services.publish_item(
        actor=SYSTEM, code="JJ-GF-001", area_code="510104", name="居住证申领",
        legal_basis="《居住证暂行条例》第九条", handler_level="station",
        delegation_mode="front_desk", decided_by="street", kind="confirmation",
        statutory_days=15, promised_days=7, extension_days=10,
        period_basis="《居住证暂行条例》第九条", department="公共服务办公室",
        department_category="public_service",
        materials=[{"code": "id", "name": "居民身份证"}, {"code": "photo", "name": "近期免冠照片"},
                   {"code": "residence", "name": "居住证明"}])


def resident(make_user: Any, username: str, name: str, serial: int) -> Any:
    from shequ.authz import SYSTEM
    from shequ.people import facade as people

    user = make_user("resident", "510104022009", username=username, display_name=name)
    record = people.register_resident(
        actor=SYSTEM, name=name, community_code="510104022009",
        id_number=people.fake_identity_number(date(1988, 4, 2), sex="F", serial=serial))
    people.link_user(actor=SYSTEM, resident=record, user=user)
    return user


def next_year_known() -> None:
    from shequ.core import calendar
    from shequ.core.models import CalendarYear

    year = date.today().year + 1
    if year not in calendar.PACKAGE_YEARS:
        CalendarYear.objects.get_or_create(year=year, defaults={"source": "test"})
    calendar.invalidate()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_residents_day(page: Any, live_server: Any, make_user: Any) -> None:
    from shequ.areas.tests.factories import make_tree
    from shequ.services import services
    from shequ.services.models import Case

    make_tree()
    next_year_known()
    catalogue()
    resident(make_user, "jumin", "孙丽", 7)
    officer = make_user("street_officer", "510104022", username="jiedao")
    url = live_server.url

    # she lands on her own page, with nothing filed yet
    sign_in(page, url, "jumin")
    page.wait_for_url(f"{url}/me/")
    assert page.locator("h1").inner_text() == "我的"
    assert "暂无办件。" in page.inner_text("main")

    # she applies as herself: the name is her record's, not typed
    page.goto(f"{url}/services/")
    page.click("tr[data-item=JJ-GF-001] a.button")
    name = page.locator("#id_applicant_name")
    assert name.input_value() == "孙丽" and name.is_disabled()
    assert page.inner_text("#apply-form").count("取自您本人的居民档案:您以本人名义申请。") == 1
    page.fill("#id_phone", "139")  # too short first
    page.click("#submit")
    assert page.inner_text("#form-errors") == "电话号码似乎不完整。"
    assert not Case.objects.exists()
    page.fill("#id_phone", "13800001234")
    page.fill("#id_description", "新租住房屋,申领居住证")
    page.set_input_files("#id_material_id", files=[
        {"name": "id.pdf", "mimeType": "application/pdf", "buffer": PDF}])
    page.click("#submit")
    page.wait_for_selector("#case-number")
    number = page.inner_text("#case-number")
    assert page.inner_text(".messages") == f"已收件,您的办件编号为 {number}。"
    case = Case.objects.get(number=number)
    assert (case.applicant_name, case.applicant_user.username) == ("孙丽", "jumin")

    # the street office asks for the proof of residence; she sees it on her page
    services.request_correction(actor=officer, number=number, missing=["residence"],
                                note="请提供租赁合同")
    page.goto(f"{url}/me/")
    main = page.inner_text("main")
    assert "请补正以下材料(本通知一次性告知全部):居住证明。" in main
    assert f"居住证申领 {number}" in main and "待补正" in main

    # she answers without the file first: told what is missing, nothing changes
    page.goto(f"{url}/services/cases/{number}/")
    page.click("form[data-action=supply] button[type=submit]")
    page.wait_for_load_state()
    assert page.inner_text(".messages") == "请为每项要求补正的材料上传文件;尚缺:居住证明。"
    assert page.get_attribute("#case-state", "data-state") == "correction"
    page.set_input_files("form[data-action=supply] input[name=material_residence]", files=[
        {"name": "lease.pdf", "mimeType": "application/pdf", "buffer": PDF}])
    page.click("form[data-action=supply] button[type=submit]")
    page.wait_for_load_state()
    assert page.get_attribute("#case-state", "data-state") == "submitted"
    assert page.inner_text("#case-state") == "已收件,待受理"

    # the office accepts; she follows the case and prints her acceptance notice
    services.accept(actor=officer, number=number)
    page.goto(f"{url}/services/mine/")
    assert "已受理,审查中" in page.inner_text("main")
    page.goto(f"{url}/services/cases/{number}/")
    link = page.locator("a[data-document=acceptance]")
    assert link.inner_text() == "受理通知书"
    answer = page.request.get(url + link.get_attribute("href"))
    assert answer.status == 200 and answer.headers["content-type"] == "application/pdf"
