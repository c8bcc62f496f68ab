"""Issue 18: the register at scale — a constant number of queries whatever the rows, and
(PostgreSQL) index plans for the scope and name search that a generic plan keeps."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from shequ.authz import SYSTEM
from shequ.people import selectors, services
from shequ.people.tests.factories import make_identity_number

pytestmark = pytest.mark.django_db


def _add(tree: Any, n: int, start: int) -> None:
    for i in range(start, start + n):
        services.register_resident(
            actor=SYSTEM, name=f"张{i:03d}", household_number=f"Q{i // 3}", head=i % 3 == 0,
            id_number=make_identity_number(date(1960 + i % 40, 1, 1), serial=5000 + i),
            community_code=tree.community.code if i % 2 else tree.community2.code)


def _queries(call: Callable[[], Any]) -> int:
    with CaptureQueriesContext(connection) as ctx:
        call()
    return len(ctx.captured_queries)


CALLS = {
    "list": lambda c: c.get("/people/"),
    "search": lambda c: c.post("/people/", {"q": "张0"}),
    "api list": lambda c: c.get("/api/v1/people/residents?limit=50"),
    "api search": lambda c: c.get("/api/v1/people/residents?q=张0&limit=50"),
}


@pytest.mark.parametrize("role,where", [("community_worker", "community"),
                                        ("street_officer", "street"),
                                        ("district_admin", "district")])
@pytest.mark.parametrize("name", list(CALLS))
def test_query_count_is_constant(tree: Any, make_user: Any, role: str, where: str,
                                 name: str) -> None:
    c = Client()
    c.force_login(make_user(role, getattr(tree, where).code))
    call = CALLS[name]
    _add(tree, 6, 0)
    call(c)  # warm the per-process caches (rules, navigation)
    few = _queries(lambda: call(c))
    _add(tree, 120, 6)
    many = _queries(lambda: call(c))
    assert few == many, f"{name}: {few} queries with 6 residents, {many} with 126"
    assert many <= 12


def test_a_later_page_costs_what_the_first_does(tree: Any, make_user: Any) -> None:
    c = Client()
    c.force_login(make_user("street_officer", tree.street.code))
    _add(tree, 120, 0)
    c.get("/people/")
    first = _queries(lambda: c.get("/people/"))
    url = c.get("/people/").context["pager"]["next_url"]
    assert url and _queries(lambda: c.get("/people/" + url)) == first


def test_search_is_by_name_start_and_in_name_order(tree: Any, make_user: Any) -> None:
    _add(tree, 12, 0)
    services.register_resident(actor=SYSTEM, name="李张", community_code=tree.community.code,
                               id_number=make_identity_number(date(1970, 1, 1), serial=6000))
    officer = make_user("street_officer", tree.street.code)
    names = [r.name for r in selectors.residents(user=officer, q="张00")]
    assert names == [f"张00{i}" for i in range(10)]
    assert "李张" not in [r.name for r in selectors.residents(user=officer, q="张")]
    worker = make_user("community_worker", tree.community.code)
    assert [r.name for r in selectors.residents(user=worker, q="张01")] == ["张011"]
    # the register's order: community, then name
    rows = list(selectors.residents(user=officer))
    assert rows == sorted(rows, key=lambda r: (r.community_code, r.name, r.pk))
    c = Client()
    c.force_login(worker)
    items = c.get("/api/v1/people/residents?q=张00&limit=2").json()
    assert [i["name"] for i in items["items"]] == ["张001", "张003"] and items["next"]
    more = c.get(f"/api/v1/people/residents?q=张00&limit=2&cursor={items['next']}").json()
    assert [i["name"] for i in more["items"]] == ["张005", "张007"]


def _bulk(tree: Any, communities: int = 60, per: int = 40) -> None:
    """A district-like spread for the planner's statistics: ``communities`` made-up
    communities in two streets, ``per`` residents each (stored directly: the plan, not
    the services, is under test)."""
    from shequ.people.models import Resident

    rows = []
    for c in range(communities):
        street = tree.street.code if c % 2 else tree.other_street.code
        code = f"{street}{500 + c:03d}"
        for i in range(per):
            rows.append(Resident(name=f"{'张李王刘陈'[i % 5]}{c:02d}{i:02d}", id_hash=f"h{c}-{i}",
                                 id_cipher="x", id_masked="x", birth_date=date(1980, 1, 1),
                                 sex="M", area_code=code, community_code=code))
    Resident.objects.bulk_create(rows)


def _plan(sql: str, params: list[Any]) -> str:
    """The generic plan of ``sql`` (what a prepared statement falls to after five runs)."""
    types = ", ".join("text" for _ in params)
    with connection.cursor() as cur:
        cur.execute("SET LOCAL plan_cache_mode = force_generic_plan")
        cur.execute(f"PREPARE q_register ({types}) AS {sql}")
        try:
            literals = ", ".join("'" + p.replace("'", "''") + "'" for p in params)
            cur.execute(f"EXPLAIN EXECUTE q_register ({literals})")
            return " ".join(r[0] for r in cur.fetchall())
        finally:
            cur.execute("DEALLOCATE q_register")


def _as_prepared(qs: Any) -> tuple[str, list[Any]]:
    sql, params = qs.query.sql_with_params()
    n = iter(range(1, len(params) + 1))
    text = sql.replace("%s", "§")
    while "§" in text:
        text = text.replace("§", f"${next(n)}::text", 1)
    return text, [str(p) for p in params]


@pytest.mark.postgres
@pytest.mark.parametrize("role,where,q", [("community_worker", "community", ""),
                                          ("community_worker", "community", "张"),
                                          ("street_officer", "street", ""),
                                          ("district_admin", "district", ""),
                                          ("district_admin", "district", "张01")])
def test_scope_query_keeps_an_index_plan_when_generic(tree: Any, make_user: Any, role: str,
                                                      where: str, q: str) -> None:
    _add(tree, 40, 0)
    _bulk(tree)
    with connection.cursor() as cur:
        cur.execute("ANALYZE people_resident")
        # a tiny table: rule out the plans that only its size makes cheap, so the question
        # is whether an index range serves the scope and the order
        cur.execute("SET LOCAL enable_seqscan = off")
        cur.execute("SET LOCAL enable_bitmapscan = off")
        cur.execute("SET LOCAL enable_sort = off")
    user = make_user(role, getattr(tree, where).code)
    qs = selectors.residents(user=user, q=q)[:51]
    plan = _plan(*_as_prepared(qs))
    index = "resident_name" if q and where != "community" else "resident_register"
    assert f"Index Scan using {index} on people_resident" in plan, plan
    cond = plan.split(f"Index Scan using {index}", 1)[1].split("Index Cond: ", 1)[1]
    assert cond.startswith(("((community_code)::text", "(((community_code)::text",
                            "((name)::text", "(((name)::text")), plan
    assert "Sort" not in plan and "Seq Scan on people_resident" not in plan, plan
