"""Every list pages by a keyset cursor, in the API (``{items, next}``) and on the pages
(a "next" link): no row twice, none left out, nothing cut silently, one maximum."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.test import Client

from shequ.authz import SYSTEM
from shequ.people import services
from shequ.people.models import BodyKind, StaffKind, UnitLevel
from shequ.people.tests.factories import make_identity_number, make_resident

pytestmark = pytest.mark.django_db


def login(make_user: Any, role: str, code: str) -> Client:
    c = Client()
    c.force_login(make_user(role, code))
    return c


def walk(c: Client, url: str, limit: int) -> list[list[Any]]:
    """Every page of an API list, following ``next``."""
    pages: list[list[Any]] = []
    cursor = None
    sep = "&" if "?" in url else "?"
    while True:
        r = c.get(f"{url}{sep}limit={limit}" + (f"&cursor={cursor}" if cursor else ""))
        assert r.status_code == 200, r.content
        body = r.json()
        assert set(body) == {"items", "next"}
        pages.append(body["items"])
        cursor = body["next"]
        if cursor is None:
            return pages


def test_residents_api_pages_without_gaps_or_repeats(tree: Any, make_user: Any) -> None:
    made = [make_resident(tree.community.code, name=f"居民{i:02d}",
                          birth=date(1960 + i, 1, 1)).pk for i in range(7)]
    make_resident(tree.agricultural.code, name="别处居民")
    c = login(make_user, "street_officer", tree.street.code)
    pages = walk(c, "/api/v1/people/residents", limit=3)
    assert [len(p) for p in pages] == [3, 3, 1]
    ids = [r["id"] for p in pages for r in p]
    assert ids == made  # register order (community, name), each once
    assert [r["name"] for r in pages[0]] == ["居民00", "居民01", "居民02"]
    # filters are a FilterSchema: an area prefix, a name fragment
    other = walk(c, f"/api/v1/people/residents?within={tree.community2.code}", limit=50)
    assert other == [[]]
    named = walk(c, "/api/v1/people/residents?q=居民0", limit=50)
    assert len(named[0]) == 7


def test_one_maximum_and_a_broken_cursor_is_a_clear_400(tree: Any, make_user: Any) -> None:
    c = login(make_user, "street_officer", tree.street.code)
    assert c.get("/api/v1/people/residents?limit=200").status_code == 200
    too_many = c.get("/api/v1/people/residents?limit=201")
    assert too_many.status_code == 422 and too_many.json()["code"] == "invalid_input"
    assert c.get("/api/v1/people/residents?limit=0").status_code == 422
    bad = c.get("/api/v1/people/residents?cursor=not-a-cursor")
    assert bad.status_code == 400 and bad.json()["code"] == "bad_cursor"
    assert bad.json()["message"] == "此分页链接已失效，请从第一页开始。"


def test_staff_bodies_rights_rotation_and_coverage_lists_page(tree: Any, make_user: Any) -> None:
    for i in range(3):
        services.create_staff(actor=SYSTEM, code=f"S-{i}", name=f"干部{i}", kind=StaffKind.CADRE,
                              level=UnitLevel.STREET, area_code=tree.street.code,
                              start_date=date(2010 + i, 1, 1))
    services.create_staff(actor=SYSTEM, code="W-1", name="社工", kind=StaffKind.SOCIAL_WORKER,
                          level=UnitLevel.COMMUNITY, area_code=tree.community.code,
                          start_date=date(2024, 1, 1))
    for kind, name in ((BodyKind.PARTY, "党委"), (BodyKind.RESIDENTS_COMMITTEE, "居委会"),
                       (BodyKind.COUNCIL, "议事会")):
        services.create_body(actor=SYSTEM, kind=kind, name=name, area_code=tree.community.code)
    resident = services.register_resident(
        actor=SYSTEM, name="申请人", id_number=make_identity_number(date(1970, 1, 1), serial=321),
        community_code=tree.community.code)
    for kind in ("access", "copy", "delete"):
        services.file_rights_request(actor=SYSTEM, resident=resident, kind=kind)
    c = login(make_user, "district_admin", tree.district.code)
    staff = walk(c, "/api/v1/people/staff", limit=2)
    assert [s["code"] for p in staff for s in p] == ["S-0", "S-1", "S-2", "W-1"]
    assert [s["code"] for p in walk(c, "/api/v1/people/staff?kind=social_worker", 2)
            for s in p] == ["W-1"]
    assert [b["name"] for p in walk(c, "/api/v1/people/bodies", 2) for b in p] == [
        "议事会", "党委", "居委会"]  # by area, then kind (council < party < residents_committee)
    assert [b["name"] for p in walk(c, "/api/v1/people/bodies?kind=council", 2) for b in p] == [
        "议事会"]
    rights = walk(c, "/api/v1/people/rights-requests", 2)
    assert [len(p) for p in rights] == [2, 1]
    assert walk(c, "/api/v1/people/rights-requests?status=done", 2) == [[]]
    due = walk(c, "/api/v1/people/staff/rotation-due?on=2028-01-01", 2)
    assert [d["staff"]["code"] for p in due for d in p] == ["S-0", "S-1", "S-2"]
    coverage = walk(c, f"/api/v1/people/bodies/coverage?code={tree.district.code}", 1)
    assert [row["code"] for p in coverage for row in p] == [
        tree.street.code, tree.other_street.code, tree.district.code]
    # a resident's own requests
    own = make_user("resident", tree.community.code)
    services.link_user(actor=SYSTEM, resident=resident, user=own)
    mine = Client()
    mine.force_login(own)
    assert [len(p) for p in walk(mine, "/api/v1/people/me/requests", 2)] == [2, 1]


def test_the_register_page_pages_by_cursor(tree: Any, make_user: Any,
                                           django_assert_max_num_queries: Any) -> None:
    for i in range(53):
        make_resident(tree.community.code, name=f"居民{i:02d}", birth=date(1950 + i % 40, 1, 1))
    c = login(make_user, "community_worker", tree.community.code)
    first = c.get("/people/").content.decode()
    assert "居民49" in first and "居民50" not in first and 'id="next-page"' in first
    start = first.index('id="next-page"')
    href = first.rindex('href="', 0, start) + len('href="')
    link = first[href:first.index('"', href)].replace("&amp;", "&")
    with django_assert_max_num_queries(12):
        second = c.get(f"/people/{link}").content.decode()
    assert "居民50" in second and "居民52" in second and "居民49" not in second
    assert 'id="next-page"' not in second and 'id="first-page"' in second
    assert c.get("/people/?cursor=garbage").status_code == 400
