"""Bad input is a 4xx with a clear code and a Chinese message naming the field, never a
server error (issue 13 item 6, ADR 0021). The seeded fuzz run (``test_fuzz``) looks for
more; these are the cases the issue names."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from shequ.api.tests.test_api import bearer
from shequ.api.tests.test_openapi import DOC

# every list the document has (a cursor parameter) that needs no path parameter
LISTS = sorted(path for path, ops in DOC["paths"].items()
               if "{" not in path and "get" in ops
               and any(p["name"] == "cursor" for p in ops["get"].get("parameters", []))
               and not any(p.get("required") for p in ops["get"].get("parameters", [])))


@pytest.fixture
def district(tree: Any, make_user: Any) -> dict[str, str]:
    return bearer(make_user("district_admin", "510104"))


@pytest.mark.parametrize("url", LISTS)
def test_lists_refuse_bad_cursors_and_ignore_offsets(url: str, district: dict[str, str],
                                                    client: Client) -> None:
    """A list the caller may read refuses a bad cursor with 400; one they may not (a
    resident's own list, to an administrator) refuses it as it refuses them."""
    assert len(LISTS) >= 15
    base = client.get(url, **district).status_code
    assert base in (200, 403, 404)
    assert client.get(f"{url}?offset=-1", **district).status_code == base
    for cursor in ("zzz", "%00", "-1", "9" * 40):
        r = client.get(f"{url}?cursor={cursor}", **district)
        if base != 200:
            assert r.status_code == base
            continue
        assert r.status_code == 400 and r.json()["code"] == "bad_cursor", (cursor, r.content)
        assert r.json()["message"] == "此分页链接已失效，请从第一页开始。"
    r = client.get(f"{url}?limit=-1", **district)
    assert r.status_code == 422 and r.json()["code"] == "invalid_input"


@pytest.mark.parametrize("url", [
    "/api/v1/elections/1/steps/zzz", "/api/v1/services/cases/510104022-2026-000001/zzz",
    "/api/v1/linkage/needs/1/steps/zzz", "/api/v1/linkage/engagements/1/steps/zzz",
    "/api/v1/orgs/applications/X/steps/zzz", "/api/v1/orgs/complaints/1/steps/zzz",
    "/api/v1/orgs/grants/1/steps/zzz", "/api/v1/orgs/penalties/1/steps/zzz",
    "/api/v1/orgs/reports/1/steps/zzz"])
def test_unknown_steps_are_4xx(url: str, tree: Any, make_user: Any, client: Client) -> None:
    """Reachable with a resident's token too (it was a KeyError for elections)."""
    for h in (bearer(make_user("district_admin", "510104")),
              bearer(make_user("resident", tree.community.code))):
        r = client.post(url, data={}, content_type="application/json", **h)
        assert 400 <= r.status_code < 500, (url, r.status_code)
        assert r.json()["code"] and r.json()["message"]


@pytest.mark.parametrize("year", [99999, 10**30, 0, -1, 1800])
def test_evaluation_years_outside_1949_2100_are_refused(year: int, tree: Any,
                                                        district: dict[str, str],
                                                        client: Client) -> None:
    r = client.post("/api/v1/autonomy/evaluations", data={
        "community_code": tree.community.code, "year": year, "title": "年度测评",
        "criteria": ["服务态度"], "opens_on": "2026-12-01", "closes_on": "2026-12-20"},
        content_type="application/json", **district)
    assert r.status_code == 422
    body = r.json()
    bound = "不能大于 2100" if year > 2100 else "不能小于 1949"
    assert body["message"] == f"部分字段缺失或无效:year:{bound}。"
    assert body["details"]["errors"][0]["field"] == "year"


@pytest.mark.parametrize("figure", [10**30, 200_000_001, -5])
def test_compound_and_area_figures_out_of_range(figure: int, tree: Any,
                                                district: dict[str, str],
                                                client: Client) -> None:
    from shequ.areas.models import Area

    before = Area.objects.count()
    r = client.post(f"/api/v1/areas/{tree.community.code}/compounds",
                    data={"name": "新院", "population": figure},
                    content_type="application/json", **district)
    assert r.status_code == 422
    assert r.json()["message"].startswith("部分字段缺失或无效:population:")
    r = client.patch(f"/api/v1/areas/{tree.community.code}/figures",
                     data={"households": figure}, content_type="application/json", **district)
    assert r.status_code == 422
    assert r.json()["message"].startswith("部分字段缺失或无效:households:")
    assert Area.objects.count() == before
    tree.community.refresh_from_db()
    assert tree.community.households == 3000


def test_ids_beyond_a_database_id_are_refused(district: dict[str, str],
                                             client: Client) -> None:
    r = client.post("/api/v1/services/notifications/read", data={"ids": [10**36]},
                    content_type="application/json", **district)
    assert r.status_code == 422
    assert r.json()["message"] == "部分字段缺失或无效:ids.0:不能大于 9223372036854775807。"


def test_numbers_the_database_cannot_hold_are_422_not_500(rf: Any) -> None:
    """The safety net behind the schemas: SQLite's OverflowError and PostgreSQL's
    DataError ("integer out of range") for a number no schema bounded."""
    from django.db import DataError

    from shequ.api.api import data_error, overflow

    r = overflow(rf.get("/api/v1/x"), OverflowError("Python int too large"))
    assert r.status_code == 422
    assert json.loads(r.content) == {"code": "invalid_input", "message": "数值过大。",
                                     "details": {}}
    r = data_error(rf.get("/api/v1/x"), DataError("integer out of range"))
    assert r.status_code == 422
    assert json.loads(r.content)["message"] == "有一个值超出范围或过长。"


def test_reports_overdue_refuses_year_zero(district: dict[str, str], client: Client) -> None:
    r = client.get("/api/v1/orgs/reports/overdue?year=0", **district)
    assert r.status_code == 422
    assert r.json()["message"] == "部分字段缺失或无效:year:不能小于 1949。"


def test_the_422_message_follows_the_language(tree: Any, district: dict[str, str],
                                              client: Client) -> None:
    r = client.post(f"/api/v1/areas/{tree.community.code}/compounds", data={},
                    content_type="application/json", HTTP_ACCEPT_LANGUAGE="en", **district)
    assert r.json()["message"] == "Some fields are missing or invalid: name: required."
    r = client.post(f"/api/v1/areas/{tree.community.code}/compounds", data={},
                    content_type="application/json", **district)
    assert r.json()["message"] == "部分字段缺失或无效:name:必填。"
