"""Pages: buttons come from the lifecycle's guards, input goes through forms, irreversible
steps ask for confirmation, lists page by cursor."""

from __future__ import annotations

import re
from typing import Any

from django.test import Client

from shequ.services import services
from shequ.services.models import Case, State

from .conftest import PDF, submit


def _buttons(html: str) -> list[str]:
    return re.findall(r'<form [^>]*data-action="([a-z_]+)"', html)


def _messages(html: str) -> list[str]:
    return re.findall(r'<li class="msg [a-z ]+">([^<]*)</li>', html)


def test_the_page_shows_exactly_the_steps_each_user_may_take(item: Any, next_year_known: None,
                                                             officer: Any,
                                                             desk: Any, resident_user: Any
                                                             ) -> None:
    case = submit(resident_user, at=None)  # today: the window for 补正 is open
    url = f"/services/cases/{case.number}/"
    client = Client()
    client.force_login(officer)
    assert _buttons(client.get(url).content.decode()) == [
        "request_correction", "accept", "refuse", "withdraw"]
    client.force_login(desk)  # the station worker may only file, supply and withdraw
    assert _buttons(client.get(url).content.decode()) == ["withdraw"]
    client.force_login(resident_user)  # the applicant, without any staff permission
    assert _buttons(client.get(url).content.decode()) == ["withdraw"]
    services.request_correction(actor=officer, number=case.number, missing=["lease"])
    assert _buttons(client.get(url).content.decode()) == ["supply", "withdraw"]
    client.force_login(officer)
    assert _buttons(client.get(url).content.decode()) == ["supply", "withdraw"]


def test_withdrawing_asks_for_confirmation_and_nothing_happens_without_it(
        item: Any, resident_user: Any) -> None:
    case = submit(resident_user)
    client = Client()
    client.force_login(resident_user)
    url = f"/services/cases/{case.number}/act/"
    page = client.post(url, {"action": "withdraw", "expected": "submitted"}, follow=True)
    assert _messages(page.content.decode()) == ["请先勾选确认:此步骤办理后不可撤销。"]
    assert Case.objects.get(pk=case.pk).state == State.SUBMITTED
    page = client.post(url, {"action": "withdraw", "expected": "submitted", "confirm": "on"},
                       follow=True)
    assert _messages(page.content.decode()) == ["已完成:撤回申请。当前状态:已撤回。"]
    assert Case.objects.get(pk=case.pk).state == State.WITHDRAWN


def test_a_step_posted_from_a_stale_page_or_with_an_unknown_name_changes_nothing(
        item: Any, officer: Any, head: Any, resident_user: Any) -> None:
    case = submit(resident_user)
    services.accept(actor=officer, number=case.number)
    client = Client()
    client.force_login(head)
    url = f"/services/cases/{case.number}/act/"
    page = client.post(url, {"action": "withdraw", "expected": "submitted", "confirm": "on"},
                       follow=True)
    assert _messages(page.content.decode()) == [
        "办件状态已被他人更新,当前为“已受理,审查中”。请重新查看后再办理。"]
    page = client.post(url, {"action": "approve_all"}, follow=True)
    assert page.status_code == 200
    assert _messages(page.content.decode()) == ["办件没有这一办理步骤。"]
    page = client.post(url, {"action": "extend", "expected": "in_review", "days": "11",
                             "note": "需核实", "confirm": "on"}, follow=True)
    assert _messages(page.content.decode()) == ["工作日: 确保该值小于或等于10。"]
    assert Case.objects.get(pk=case.pk).state == State.IN_REVIEW


def test_desk_filing_with_bad_input_says_why_and_saves_nothing(item: Any, desk: Any) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = Client()
    client.force_login(desk)
    form = {"item_code": "JJ-001", "area_code": "510104022009", "station_code": "JJ-T1",
            "applicant_name": "王大爷", "phone": "139", "idempotency_key": "k1",
            "id_number": "11010519491231002X"}
    page = client.post("/services/desk/", form).content.decode()
    assert "电话号码似乎不完整。" in page and not Case.objects.exists()
    assert "11010519491231002X" not in page  # the form shown again does not echo it
    page = client.post("/services/desk/", form | {"phone": "13900005678", "scans": [
        SimpleUploadedFile("scan.exe", b"MZ")]}).content.decode()
    assert "“scan.exe”不是允许的文件类型(PDF、JPEG 或 PNG)。" in page
    assert not Case.objects.exists()
    done = client.post("/services/desk/", form | {"phone": "13900005678", "scans": [
        SimpleUploadedFile("scan.pdf", PDF)]})
    case = Case.objects.get()
    assert done.status_code == 302 and done["Location"] == f"/services/cases/{case.number}/"
    assert (case.channel, case.station.code, case.attachments.count()) == ("desk", "JJ-T1", 1)


def test_the_workbench_pages_by_cursor(item: Any, officer: Any, resident_user: Any) -> None:
    from shequ.services import views

    numbers = [submit(resident_user).number for _ in range(3)]
    client = Client()
    client.force_login(officer)
    views.PAGE, saved = 2, views.PAGE
    try:
        first = client.get("/services/work/").content.decode()
        shown = re.findall(r'<tr data-number="([^"]+)"', first)
        assert shown == numbers[::-1][:2]
        cursor = re.search(r'href="\?cursor=([^"]+)" id="next-page"', first)
        assert cursor is not None
        second = client.get(f"/services/work/?cursor={cursor.group(1)}").content.decode()
        assert re.findall(r'<tr data-number="([^"]+)"', second) == [numbers[0]]
        assert 'id="next-page"' not in second
        bad = client.get("/services/work/?cursor=nonsense")
        assert bad.status_code == 400
    finally:
        views.PAGE = saved


def test_the_portal_shows_the_rules_in_words_with_their_source(item: Any) -> None:
    html = Client().get("/services/").content.decode()
    limits = re.search(r'<p class="help" id="limits">(.*?)</p>', html, re.S)
    assert limits is not None
    text = re.sub(r"<[^>]+>", "", limits.group(1))
    assert "作出决定的期限: 20 个工作日 (《中华人民共和国行政许可法》第四十二条第一款、第八十二条)" in text
    assert "working" not in text and "decision_days" not in text
