"""No page, API response, export or log line outside the permitted roles contains a full
identity number; every full read is logged."""

from __future__ import annotations

import io
import json
import logging
from datetime import date
from typing import Any

import pytest
from django.test import Client
from openpyxl import load_workbook

from shequ.audit.models import AuditEntry
from shequ.authz import SYSTEM
from shequ.people import services
from shequ.people.models import IdentityReveal, Resident, RightsKind
from shequ.people.tests.factories import make_identity_number

pytestmark = pytest.mark.django_db
ROLES = ["district_admin", "civil_affairs", "street_officer", "station_worker",
         "community_worker", "representative", "resident", "org_user"]
REVEALERS = {"district_admin", "civil_affairs", "station_worker"}


@pytest.fixture
def people(tree: Any) -> dict[str, Any]:
    numbers = {
        "adult": make_identity_number(date(1978, 4, 5), serial=301),
        "child": make_identity_number(date(2019, 4, 5), sex="F", serial=302),
    }
    adult = services.register_resident(actor=SYSTEM, name="成年人", id_number=numbers["adult"],
                                       community_code=tree.community.code, household_number="A1",
                                       head=True, phone="13811112222", low_income=True)
    child = services.register_resident(actor=SYSTEM, name="小孩", id_number=numbers["child"],
                                       community_code=tree.community.code, household_number="A1")
    return {"numbers": numbers, "adult": adult, "child": child}


def client_for(make_user: Any, role: str, code: str) -> tuple[Client, Any]:
    user = make_user(role, code)
    c = Client()
    c.force_login(user)
    return c, user


def content(response: Any) -> bytes:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return bytes(response.content)


def contains_number(text: str, numbers: dict[str, str]) -> bool:
    return any(n in text for n in numbers.values())


@pytest.mark.parametrize("role", ROLES)
def test_no_page_or_api_response_contains_a_full_number(role: str, tree: Any, people: Any,
                                                         make_user: Any, caplog: Any) -> None:
    caplog.set_level(logging.DEBUG)
    c, user = client_for(make_user, role, tree.community.code)
    if role == "resident":
        services.link_user(actor=SYSTEM, resident=people["adult"], user=user)
    adult, child = people["adult"], people["child"]
    urls = ["/people/", f"/people/residents/{adult.pk}/", f"/people/residents/{child.pk}/",
            f"/people/households/{adult.household_id}/", "/people/me/", "/people/staff/",
            "/people/bodies/", "/people/rights/", "/people/export/",
            "/api/v1/people/residents", f"/api/v1/people/residents/{adult.pk}",
            "/api/v1/people/me"]
    for url in urls:
        body = c.get(url).content.decode()
        assert not contains_number(body, people["numbers"]), url
    # searching by number (POSTed, so it is in no URL): the page echoes it masked
    found = c.post("/people/", {"q": people["numbers"]["adult"]})
    assert not contains_number(found.content.decode(), people["numbers"])
    looked = c.post("/api/v1/people/residents/lookup", {"number": people["numbers"]["adult"]},
                    content_type="application/json")
    assert not contains_number(looked.content.decode(), people["numbers"])
    # asking for a full read: only permitted roles get it
    r = c.post(f"/api/v1/people/residents/{adult.pk}/reveal", {"reason": "核验身份"},
               content_type="application/json")
    page = c.post(f"/people/residents/{adult.pk}/reveal/", {"reason": "核验身份"})
    if role in REVEALERS or role == "resident":  # a resident may read their own number
        assert r.status_code == 200 and r.json()["id_number"] == people["numbers"]["adult"]
        assert people["numbers"]["adult"] in page.content.decode()
        assert IdentityReveal.objects.filter(actor=user).count() == 2
    else:
        assert r.status_code == 403 and not contains_number(r.content.decode(), people["numbers"])
        assert not contains_number(page.content.decode(), people["numbers"])
        assert not IdentityReveal.objects.exists()
    # an export without full numbers (roles that may export) has none
    ex = c.post("/people/export/", {"within": tree.community.code})
    data = content(ex)
    assert not contains_number(data.decode("latin-1"), people["numbers"])
    if ex.status_code == 200 and ex["Content-Type"].startswith("application/vnd"):
        wb = load_workbook(io.BytesIO(data), read_only=True)
        cells = " ".join(str(v) for row in wb.active.iter_rows(values_only=True) for v in row)
        assert not contains_number(cells, people["numbers"])
        assert "成年人" in cells
    # no log line and no audit entry holds a number
    assert not contains_number(caplog.text, people["numbers"])
    audit = json.dumps(list(AuditEntry.objects.values("changes", "object_id")), ensure_ascii=False)
    assert not contains_number(audit, people["numbers"])


def test_fields_per_role(tree: Any, people: Any, make_user: Any) -> None:
    worker, _u = client_for(make_user, "community_worker", tree.community.code)
    officer, _v = client_for(make_user, "street_officer", tree.street.code)
    adult = people["adult"].pk
    w = worker.get(f"/api/v1/people/residents/{adult}").json()
    o = officer.get(f"/api/v1/people/residents/{adult}").json()
    assert w["phone"] == "13811112222" and w["low_income"] is None  # no people.sensitive
    assert o["low_income"] is True
    # a child's record: without people.sensitive only the open fields
    ch = worker.get(f"/api/v1/people/residents/{people['child'].pk}").json()
    assert ch["sensitive"] is True and ch["birth_date"] is None and ch["name"] == "小孩"
    assert officer.get(f"/api/v1/people/residents/{people['child'].pk}").json()["birth_date"]
    # another street's officer sees nothing of this community
    other, _w = client_for(make_user, "street_officer", tree.other_street.code)
    assert other.get(f"/api/v1/people/residents/{adult}").status_code == 403
    assert other.get("/api/v1/people/residents").json() == {"items": [], "next": None}
    # the list shows each resident as the caller may see them, as the detail does
    listed = {r["id"]: r for r in worker.get("/api/v1/people/residents").json()["items"]}
    assert listed[adult] == w and listed[people["child"].pk]["birth_date"] is None


def test_full_number_export_is_logged_per_resident(tree: Any, people: Any, make_user: Any) -> None:
    c, user = client_for(make_user, "civil_affairs", "510104")
    refused = c.post("/people/export/", {"within": tree.community.code, "full_numbers": "on"})
    assert refused.status_code == 200 and content(refused)[:2] != b"PK"
    assert not IdentityReveal.objects.exists()
    ok = c.post("/people/export/", {"within": tree.community.code, "full_numbers": "on",
                                    "reason": "民政核对"})
    wb = load_workbook(io.BytesIO(content(ok)), read_only=True)
    cells = " ".join(str(v) for row in wb.active.iter_rows(values_only=True) for v in row)
    assert people["numbers"]["adult"] in cells
    assert IdentityReveal.objects.filter(actor=user, channel="export").count() == 2
    assert AuditEntry.objects.filter(action="people.resident.export",
                                     changes__full_numbers=True).exists()


def test_street_officer_cannot_export_full_numbers(tree: Any, people: Any, make_user: Any) -> None:
    c, _u = client_for(make_user, "street_officer", tree.street.code)
    form = c.get(f"/people/export/?within={tree.community.code}").content.decode()
    assert 'name="full_numbers"' not in form  # the page does not offer what is refused
    r = c.post("/people/export/", {"within": tree.community.code, "full_numbers": "on",
                                   "reason": "想看"})
    # the box is not on the form, so the export is masked
    assert r.status_code == 200 and r["Content-Type"].startswith("application/vnd")
    assert not contains_number(content(r).decode("latin-1"), people["numbers"])
    assert not IdentityReveal.objects.exists()
    api = c.post("/api/v1/people/residents/export", {"within": tree.community.code,
                                                     "full_numbers": True, "reason": "想看"},
                 content_type="application/json")
    assert api.status_code == 403 and api.json()["code"] == "forbidden"
    assert api.json()["details"]["permission"] == "people.reveal_id"
    assert not IdentityReveal.objects.exists()


def test_resident_sees_own_record_and_gets_a_logged_copy(tree: Any, people: Any,
                                                         make_user: Any) -> None:
    c, user = client_for(make_user, "resident", tree.community.code)
    adult = people["adult"]
    services.link_user(actor=SYSTEM, resident=adult, user=user)
    page = c.get("/people/me/").content.decode()
    assert "成年人" in page and "13811112222" in page
    assert c.get(f"/people/residents/{people['child'].pk}/").status_code == 403
    r = c.post("/api/v1/people/me/requests", {"kind": "copy"}, content_type="application/json")
    assert r.status_code == 201
    assert c.get("/people/me/copy/").status_code == 302  # not yet answered
    req = adult.rights_requests.get()
    services.decide_rights_request(actor=SYSTEM, request=req, accept=True, outcome="已提供副本")
    copy = c.get("/people/me/copy/")
    assert json.loads(copy.content)["id_number"] == people["numbers"]["adult"]
    assert IdentityReveal.objects.filter(actor=user, channel="copy").count() == 1


def test_rights_requests_deadline_and_outcome(tree: Any, people: Any, make_user: Any) -> None:
    adult = people["adult"]
    req = services.file_rights_request(actor=SYSTEM, resident=adult, kind=RightsKind.DELETE,
                                       received_on=date(2026, 3, 2))
    assert req.due_on == date(2026, 4, 1)
    c, _u = client_for(make_user, "street_officer", tree.street.code)
    assert c.get("/people/rights/").status_code == 200
    page = c.get("/people/rights/").content.decode()
    assert f'id="accept-{req.pk}"' in page and f'id="refuse-{req.pk}"' in page
    assert "同意后该记录将永久去标识化。" in page
    # an irreversible answer asks for confirmation: without it nothing happens
    r = c.post(f"/people/rights/{req.pk}/decide/", {"action": "accept", "outcome": "已删除"},
               follow=True)
    assert "请确认答复：答复后不能更改。" in r.content.decode()
    adult.refresh_from_db()
    assert adult.deidentified_at is None
    r = c.post(f"/people/rights/{req.pk}/decide/", {"action": "accept", "outcome": "已删除",
                                                    "confirm": "on"})
    assert r.status_code == 302
    adult.refresh_from_db()
    assert adult.deidentified_at is not None and adult.name == ""
    entry = AuditEntry.objects.get(action="people.rights_request.accept")
    assert entry.changes["status"] == ["open", "done"] and entry.changes["on_time"] is False
    page = c.get("/people/rights/?status=done").content.decode()
    assert "已删除" in page and f'id="accept-{req.pk}"' not in page
    assert Resident.objects.count() == 2


def test_lookup_by_number_uses_the_hash(tree: Any, people: Any, make_user: Any,
                                        django_assert_max_num_queries: Any) -> None:
    c, _u = client_for(make_user, "community_worker", tree.community.code)
    number = people["numbers"]["adult"].lower()
    with django_assert_max_num_queries(8):
        r = c.post("/api/v1/people/residents/lookup", {"number": number},
                   content_type="application/json")
    assert r.json()["name"] == "成年人"
    missing = c.post("/api/v1/people/residents/lookup", {"number": "110101199003070000"},
                     content_type="application/json")
    assert missing.status_code == 404
