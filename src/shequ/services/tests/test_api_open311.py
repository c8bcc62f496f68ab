"""The JSON API and an Open311 GeoReport v2 client."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from shequ.accounts.models import ApiToken
from shequ.services.models import Case


def _token(user: Any) -> str:
    key = ApiToken.new_key()
    ApiToken.objects.create(user=user, name="t", key_hash=ApiToken.hash_key(key))
    return key


@pytest.fixture
def client() -> Client:
    return Client()


def test_open311_client_lists_services_posts_and_reads_a_request(client: Client, item: Any,
                                                                 resident_user: Any) -> None:
    services = client.get("/services/open311/v2/services.json").json()
    assert services[0]["service_code"] == "JJ-001" and services[0]["service_name"] == "居住证明"
    definition = client.get("/services/open311/v2/services/JJ-001.json").json()
    assert [a["code"] for a in definition["attributes"]] == ["material_id", "material_lease",
                                                             "material_photo"]
    key = _token(resident_user)
    denied = client.post("/services/open311/v2/requests.json",
                         {"service_code": "JJ-001", "address_id": "510104022009"})
    assert denied.status_code == 401 and denied.json()[0]["code"] == 401
    posted = client.post("/services/open311/v2/requests.json", {
        "api_key": key, "service_code": "JJ-001", "address_id": "510104022009",
        "first_name": "丽", "last_name": "孙", "phone": "13800001234",
        "description": "申请居住证明"})
    assert posted.status_code == 201, posted.content
    number = posted.json()[0]["service_request_id"]
    assert Case.objects.get(number=number).channel == "open311"
    got = client.get(f"/services/open311/v2/requests/{number}.json", {"api_key": key}).json()[0]
    assert got["status"] == "open" and got["service_code"] == "JJ-001"
    assert got["expected_datetime"] is None  # not accepted yet: no deadline
    assert "孙" not in json.dumps(got, ensure_ascii=False)
    listed = client.get("/services/open311/v2/requests.json",
                        {"api_key": key, "status": "open", "service_code": "JJ-001"}).json()
    assert [r["service_request_id"] for r in listed] == [number]
    assert client.get("/services/open311/v2/requests.json",
                      {"api_key": key, "status": "closed"}).json() == []
    bad = client.post("/services/open311/v2/requests.json",
                      {"api_key": key, "service_code": "NOPE", "address_id": "510104022009"})
    assert bad.status_code == 404


def test_open311_expected_datetime_is_the_deadline(client: Client, item: Any, officer: Any,
                                                   resident_user: Any) -> None:
    from shequ.services import services

    from .conftest import at

    case = services.submit_case(actor=resident_user, item_code="JJ-001",
                                area_code="510104022009", applicant_name="孙丽",
                                at=at("2025-09-29"))
    services.accept(actor=officer, number=case.number, at=at("2025-09-30"))
    got = client.get(f"/services/open311/v2/requests/{case.number}.json",
                     {"api_key": _token(officer)}).json()[0]
    assert got["expected_datetime"] == "2025-11-04T23:59:59+08:00"


def test_api_submit_act_and_errors(client: Client, item: Any, officer: Any,
                                   resident_user: Any) -> None:
    auth = {"HTTP_AUTHORIZATION": f"Bearer {_token(resident_user)}"}
    body = {"item_code": "JJ-001", "area_code": "510104022009", "applicant_name": "孙丽",
            "phone": "13800001234"}
    r = client.post("/api/v1/services/cases", body, content_type="application/json",
                    HTTP_IDEMPOTENCY_KEY="abc", **auth)
    assert r.status_code == 201, r.content
    number = r.json()["number"]
    dup = client.post("/api/v1/services/cases", body, content_type="application/json",
                      HTTP_IDEMPOTENCY_KEY="abc", **auth)
    assert dup.status_code == 409 and dup.json()["code"] == "duplicate_submission"
    assert dup.json()["details"] == {"number": number}
    staff = {"HTTP_AUTHORIZATION": f"Bearer {_token(officer)}"}
    wrong = client.post(f"/api/v1/services/cases/{number}/approve", {},
                        content_type="application/json", **staff)
    assert wrong.status_code == 409 and wrong.json()["code"] == "invalid_transition"
    corr = client.post(f"/api/v1/services/cases/{number}/request_correction",
                       {"missing": ["lease", "photo"]}, content_type="application/json", **staff)
    assert corr.status_code == 200 and corr.json()["missing"] == ["租赁合同", "近期照片"]
    detail = client.get(f"/api/v1/services/cases/{number}", **auth).json()
    assert detail["allowed_actions"] == ["supply", "withdraw"]
    assert [(e["action"], e["text"]) for e in detail["events"]] == [
        ("submit", "收件"), ("request_correction", "待补正")]
    items = client.get("/api/v1/services/items").json()
    assert items["next"] is None and items["items"][0]["materials"][0]["code"] == "id"
    progress = client.get("/api/v1/services/progress",
                          {"number": number, "phone_last4": "1234"}).json()
    assert progress["state"] == "correction" and "applicant_name" not in progress
    stats = client.get("/api/v1/services/stats", {"by": "item"}, **staff).json()["items"]
    assert stats[0]["key"] == "JJ-001" and stats[0]["cases"] == 1
    assert client.get("/api/v1/services/cases", **staff).json()["items"][0]["number"] == number
    forbidden = client.get("/api/v1/services/stats", **auth)
    assert forbidden.status_code == 403


def test_pages_render(client: Client, item: Any, officer: Any, resident_user: Any,
                      admin: Any) -> None:
    from shequ.services import services

    case = services.submit_case(actor=resident_user, item_code="JJ-001",
                                area_code="510104022009", applicant_name="孙丽",
                                phone="13800001234")
    assert "居住证明" in client.get("/services/").content.decode()
    r = client.post("/services/progress/", {"number": case.number, "phone_last4": "1234"})
    assert "progress-result" in r.content.decode() and "孙丽" not in r.content.decode()
    client.force_login(resident_user)
    assert case.number in client.get("/services/mine/").content.decode()
    assert client.get("/services/apply/JJ-001/").status_code == 200
    client.force_login(officer)
    for url in ("/services/work/", f"/services/cases/{case.number}/", "/services/desk/",
                "/services/stats/", "/services/stats/?by=month", "/services/stats/?by=department"):
        assert client.get(url).status_code == 200, url
    # the workbook is written by the worker (immediate in tests), then offered on the page
    page = client.post("/services/stats/export/", follow=True).content.decode()
    assert "下载工作簿" in page
    from shequ.services.models import StatExport

    xlsx = client.get(f"/services/stats/export/{StatExport.objects.get().pk}.xlsx")
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
    client.force_login(admin)
    assert client.get("/services/work/").status_code == 200


def test_cli_sweep_and_stats(item: Any, tmp_path: Any) -> None:
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("services", "sweep", stdout=out)
    assert "escalated=0" in out.getvalue()
    call_command("services", "stats", "--by", "street", stdout=out)
    call_command("services", "stats", "--xlsx", str(tmp_path / "s.xlsx"), stdout=out)
    assert (tmp_path / "s.xlsx").exists()
    call_command("services", "deadline", "2025-09-30", "20", stdout=out)
    assert "2025-11-04" in out.getvalue()


def test_api_attachments_checked_and_closed_after_acceptance(client: Client, item: Any,
                                                             officer: Any, resident_user: Any
                                                             ) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from shequ.services import services

    from .conftest import PDF

    case = services.submit_case(actor=resident_user, item_code="JJ-001",
                                area_code="510104022009", applicant_name="孙丽")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {_token(resident_user)}"}
    url = f"/api/v1/services/cases/{case.number}/attachments"
    ok = client.post(url, {"files": [SimpleUploadedFile("id.pdf", PDF)], "material_code": "id"},
                     **auth)
    assert ok.status_code == 201, ok.content
    assert ok.json()[0]["material_code"] == "id"
    bad = client.post(url, {"files": [SimpleUploadedFile("x.exe", b"MZ")]}, **auth)
    assert bad.status_code == 422 and bad.json()["code"] == "attachment_rejected"
    services.accept(actor=officer, number=case.number)
    late = client.post(url, {"files": [SimpleUploadedFile("id.pdf", PDF)]}, **auth)
    assert late.status_code == 409 and late.json()["code"] == "attachments_closed"
    assert case.attachments.count() == 1


def test_api_mine_and_notifications(client: Client, item: Any, officer: Any,
                                    resident_user: Any) -> None:
    from shequ.services import services

    case = services.submit_case(actor=resident_user, item_code="JJ-001",
                                area_code="510104022009", applicant_name="孙丽")
    services.request_correction(actor=officer, number=case.number, missing=["lease"])
    auth = {"HTTP_AUTHORIZATION": f"Bearer {_token(resident_user)}"}
    mine = client.get("/api/v1/services/mine", **auth).json()
    assert [c["number"] for c in mine["items"]] == [case.number] and mine["next"] is None
    notes = client.get("/api/v1/services/notifications", **auth,
                       HTTP_ACCEPT_LANGUAGE="zh-hans").json()["items"]
    assert [n["kind"] for n in notes] == ["request_correction", "received"]
    assert notes[0]["text"] == "请补正以下材料(本通知一次性告知全部):租赁合同。"
    marked = client.post("/api/v1/services/notifications/read", {"ids": [n["id"] for n in notes]},
                         content_type="application/json", **auth)
    assert marked.json() == {"marked": 2}


def test_api_unknown_step_is_409_not_500(client: Client, item: Any, officer: Any,
                                         resident_user: Any) -> None:
    from .conftest import submit

    number = submit(resident_user).number
    staff = {"HTTP_AUTHORIZATION": f"Bearer {_token(officer)}"}
    r = client.post(f"/api/v1/services/cases/{number}/approve_all", {},
                    content_type="application/json", **staff)
    assert r.status_code == 409, r.content
    assert r.json()["code"] == "unknown_action"
    assert r.json()["message"] == "办件没有这一办理步骤。"
    moved = client.post(f"/api/v1/services/cases/{number}/withdraw", {"expected": "in_review"},
                        content_type="application/json", **staff)
    assert moved.status_code == 409 and moved.json()["code"] == "case_moved"
    assert Case.objects.get(number=number).state == "submitted"


def test_api_lists_page_by_cursor_and_filter(client: Client, item: Any, officer: Any,
                                             resident_user: Any) -> None:
    from shequ.services import services

    from .conftest import submit

    numbers = [submit(officer, applicant_name=name, channel="desk").number
               for name in ("孙丽", "王芳", "孙强")]
    services.accept(actor=officer, number=numbers[1])
    staff = {"HTTP_AUTHORIZATION": f"Bearer {_token(officer)}"}
    first = client.get("/api/v1/services/cases", {"limit": 2}, **staff).json()
    assert [c["number"] for c in first["items"]] == [numbers[2], numbers[1]]
    second = client.get("/api/v1/services/cases", {"limit": 2, "cursor": first["next"]},
                        **staff).json()
    assert [c["number"] for c in second["items"]] == [numbers[0]] and second["next"] is None
    sun = client.get("/api/v1/services/cases", {"q": "孙"}, **staff).json()["items"]
    assert [c["number"] for c in sun] == [numbers[2], numbers[0]]
    review = client.get("/api/v1/services/cases", {"state": "in_review"}, **staff).json()
    assert [c["number"] for c in review["items"]] == [numbers[1]]
    bad = client.get("/api/v1/services/cases", {"cursor": "nonsense"}, **staff)
    assert bad.status_code == 400 and bad.json()["code"] == "bad_cursor"
    too_many = client.get("/api/v1/services/cases", {"limit": 201}, **staff)
    assert too_many.status_code == 422
