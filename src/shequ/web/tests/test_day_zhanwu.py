"""The station worker's day, pages only, in a real browser (issue 12): filing at the desk
for an elderly resident whose son came for him (代办), identity numbers that are wrong in
each way, the warning about an open case of the same item, supplying what the street
office asked for, and printing the notice to supply materials."""

from __future__ import annotations

from datetime import date
from io import BytesIO
from typing import Any

import pytest
from pypdf import PdfReader

from .test_day_admin import sign_in
from .test_day_jumin import PDF, catalogue, next_year_known


def _desk(page: Any, number: str) -> str:
    page.select_option("#id_item_code", "JJ-GF-001")
    page.select_option("#id_station_code", "JJ-T1")
    page.fill("#id_applicant_name", "王大爷")
    page.fill("#id_phone", "13900005678")
    page.fill("#id_id_number", number)
    page.fill("#id_agent_name", "王小明")
    page.fill("#id_agent_relation", "儿子")
    page.click("#submit")
    page.wait_for_load_state()
    errors = page.locator("#form-errors")
    return errors.inner_text() if errors.count() else ""


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_station_workers_day(page: Any, live_server: Any, make_user: Any) -> None:
    from shequ.areas.tests.factories import make_tree
    from shequ.people import facade as people
    from shequ.services import services
    from shequ.services.models import Case

    make_tree()
    next_year_known()
    catalogue()
    make_user("station_worker", "510104022009", username="zhanwu", display_name="站务 李敏")
    officer = make_user("street_officer", "510104022", username="jiedao")
    url = live_server.url
    page.on("dialog", lambda dialog: dialog.accept())

    sign_in(page, url, "zhanwu")
    page.wait_for_url(f"{url}/console/")
    page.goto(f"{url}/services/desk/")
    assert page.locator("h1").inner_text() == "服务站代办"

    # identity numbers wrong in every way: each says why, nothing is filed
    good = people.fake_identity_number(date(1946, 2, 3), serial=11)
    wrong_check = good[:17] + ("0" if good[17] != "0" else "1")
    for number, said in [
        (wrong_check, "身份证号:校验码错误(GB 11643-1999,ISO 7064 MOD 11-2)。"),
        ("110105203001010019", "身份证号:号码中的出生日期 2030-01-01 不可能成立。"),
        ("110105199002300011", "身份证号:号码中的出生日期 19900230 不存在。"),
        ("12345", "身份证号:公民身份号码应为 18 位,此号码为 5 位。"),
        ("1101051949123100211234567", "身份证号:公民身份号码应为 18 位,此号码为 25 位。"),
    ]:
        assert _desk(page, number) == said
        assert page.locator("#id_id_number").input_value() == ""  # never echoed
    assert not Case.objects.exists()

    # the right number: filed for him, his son recorded as the one who came
    assert _desk(page, good) == ""
    page.wait_for_selector("#case-number")
    first = page.inner_text("#case-number")
    assert page.inner_text(".messages") == f"已收件,办件编号 {first};请将回执交给申请人。"
    case = Case.objects.get(number=first)
    assert (case.agent_name, case.agent_relation, case.filed_by.username) == (
        "王小明", "儿子", "zhanwu")

    # the same again: a warning naming the open case; confirmed, it is filed
    page.goto(f"{url}/services/desk/")
    assert _desk(page, good) == (f"王大爷已有同一事项未办结的办件:{first}(已收件,待受理)。"
                                 "如确需再次申请,请勾选确认后重新提交。")
    assert Case.objects.count() == 1
    page.check("#id_confirm_duplicate")
    assert _desk(page, good) == ""
    page.wait_for_selector("#case-number")
    second = page.inner_text("#case-number")
    assert second != first and Case.objects.count() == 2

    # he withdraws the second one (asked to confirm: it cannot be undone)
    page.check("form[data-action=withdraw] input[name=confirm]")
    page.click("form[data-action=withdraw] button[type=submit]")
    page.wait_for_load_state()
    assert page.get_attribute("#case-state", "data-state") == "withdrawn"

    # the street office asks for two materials; the desk supplies them and prints the notice
    services.request_correction(actor=officer, number=first, missing=["photo", "residence"],
                                note="照片须为近三个月内免冠照")
    page.goto(f"{url}/services/cases/{first}/")
    link = page.locator("a[data-document=correction]")
    assert link.inner_text() == "补正材料通知书"
    answer = page.request.get(url + link.get_attribute("href"))
    text = "".join(p.extract_text() for p in PdfReader(BytesIO(answer.body())).pages)
    text = text.replace("\n", "")
    assert "补正材料通知书" in text and "近期免冠照片" in text and "居住证明" in text
    assert "照片须为近三个月内免冠照" in text and first in text and "王大爷" in text
    assert "春熙路补〔" in text and "居民身份证" not in text
    page.set_input_files("form[data-action=supply] input[name=material_photo]", files=[
        {"name": "photo.pdf", "mimeType": "application/pdf", "buffer": PDF}])
    page.click("form[data-action=supply] button[type=submit]")
    page.wait_for_load_state()
    assert page.inner_text(".messages") == "请为每项要求补正的材料上传文件;尚缺:居住证明。"
    page.set_input_files("form[data-action=supply] input[name=material_photo]", files=[
        {"name": "photo.pdf", "mimeType": "application/pdf", "buffer": PDF}])
    page.set_input_files("form[data-action=supply] input[name=material_residence]", files=[
        {"name": "lease.pdf", "mimeType": "application/pdf", "buffer": PDF}])
    page.click("form[data-action=supply] button[type=submit]")
    page.wait_for_load_state()
    assert page.inner_text("#case-state") == "已收件,待受理"
    assert Case.objects.get(number=first).attachments.count() == 2
