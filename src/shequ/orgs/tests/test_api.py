"""The JSON API: public directory, applications and their steps, eligibility, indicators;
errors as {code, message, details}."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from django.test import Client

from shequ.accounts.models import ApiToken

from .conftest import ALL_ASSOCIATION, ASSOCIATION, registered_org


def _auth(user: Any) -> dict[str, str]:
    key = ApiToken.new_key()
    ApiToken.objects.create(user=user, name="t", key_hash=ApiToken.hash_key(key))
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def _post(client: Client, url: str, body: dict[str, Any], user: Any) -> Any:
    return client.post(url, json.dumps(body), content_type="application/json", **_auth(user))


def test_directory_is_public_and_paged(org_user: Any) -> None:
    registered_org(org_user)
    registered_org(org_user, name="锦江区老年书画协会", person_in_charge="钱七")
    client = Client()
    first = client.get("/api/v1/orgs?limit=1").json()
    assert [o["name"] for o in first["items"]] == ["锦江区老年书画协会"] and first["next"]
    second = client.get(f"/api/v1/orgs?limit=1&cursor={first['next']}").json()
    assert [o["name"] for o in second["items"]] == ["锦江区老年互助协会"]
    assert second["next"] is None
    org_id = second["items"][0]["id"]
    profile = client.get(f"/api/v1/orgs/{org_id}").json()
    assert profile["history"][0]["text"] == "登记成立，统一社会信用代码 51510104MJ00000013。"
    assert client.get(f"/api/v1/orgs/{org_id}/eligibility").status_code == 401


def test_application_through_the_api(org_user: Any, bureau: Any, street_officer: Any) -> None:
    client = Client()
    body = {"kind": "establish", "org_kind": "association", "area_code": "510104022009",
            "name": "锦江区老年互助协会", "items": {**ASSOCIATION, "funds_fen": 5_000_000},
            "materials": ALL_ASSOCIATION}
    created = _post(client, "/api/v1/orgs/applications", body, org_user)
    assert created.status_code == 201
    app = created.json()
    assert (app["state"], app["limit_days"], app["limit_unit"]) == ("submitted", 60, "days")
    number = app["number"]
    again = _post(client, "/api/v1/orgs/applications", body, org_user)
    assert again.status_code == 409 and again.json()["code"] == "name_taken"
    denied = _post(client, f"/api/v1/orgs/applications/{number}/steps/accept", {}, street_officer)
    # the street sees applications from its communities but decides only filings
    assert denied.status_code == 403 and denied.json()["code"] == "forbidden"
    done = _post(client, f"/api/v1/orgs/applications/{number}/steps/accept", {}, bureau)
    assert done.status_code == 200 and done.json()["complete_on"] == app["received_on"]
    assert date.fromisoformat(done.json()["due_on"]) >= date.fromisoformat(app["received_on"])
    detail = client.get(f"/api/v1/orgs/applications/{number}", **_auth(bureau)).json()
    assert detail["allowed_actions"] == ["approve", "reject"]
    queue = client.get("/api/v1/orgs/applications?queue=true", **_auth(bureau)).json()
    assert [a["number"] for a in queue["items"]] == [number]
    bad = _post(client, f"/api/v1/orgs/applications/{number}/steps/approve",
                {"credit_code": "51510104MJ0000001X"}, bureau)
    assert bad.status_code == 400 and bad.json() == {
        "code": "bad_credit_code", "message": "校验码错误(GB 32100-2015)。",
        "details": {"credit_code": "51510104MJ0000001X", "reason": "uscc_check"}}
    ok = _post(client, f"/api/v1/orgs/applications/{number}/steps/approve", {}, bureau).json()
    facts = client.get(f"/api/v1/orgs/{ok['org_id']}/eligibility", **_auth(org_user)).json()
    assert facts["legal_person"] and facts["good_standing"] and facts["report_year"] is None


def test_indicators_are_public(org_user: Any) -> None:
    registered_org(org_user)
    data = Client().get("/api/v1/orgs/indicators?area=510104&year=2025").json()
    assert (data["orgs"], data["registered"], data["population"], data["per_10k"]) == (
        1, 1, 19000, "0.53")
    assert [p["area_code"] for p in data["parts"]] == ["510104022", "510104037"]


def test_report_and_overdue_list(org_user: Any, bureau: Any) -> None:
    org = registered_org(org_user)
    client = Client()
    overdue = client.get("/api/v1/orgs/reports/overdue?year=2025&on=2026-06-01",
                         **_auth(bureau)).json()
    assert overdue["items"] == [{"org_id": org.pk, "name": "锦江区老年互助协会",
                                 "kind": "association", "due_on": "2026-05-31",
                                 "rule": "工作报告报送登记管理机关截止日期",
                                 "source": "《社会团体登记管理条例》第二十八条第一款；"
                                           "《民办非企业单位登记管理暂行条例》第二十三条第一款"}]
    lodged = _post(client, f"/api/v1/orgs/{org.pk}/reports", {
        "year": 2025, "activities": "活动", "agency_submitted_on": "2026-03-01",
        "agency_approved_on": "2026-03-20"}, org_user)
    assert lodged.status_code == 201
    assert lodged.json()["late"] == (date.today() > date(2026, 5, 31))
