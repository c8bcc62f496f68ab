"""Case search at scale (issue 18, ADR 0027): ``q`` finds the cases whose number or
applicant's name contains it, case-insensitively, exactly as ``icontains`` did, on SQLite
and PostgreSQL; on PostgreSQL through the trigram indexes (any length of ``q``, Chinese
names included), never a sequential scan of the case table."""

from __future__ import annotations

import importlib
from typing import Any

import pytest
from django.db import connection
from django.db.models import Q
from django.test import Client

from shequ.services import selectors, services
from shequ.services.models import Case

from .conftest import at
from .test_scale import _generic_plan

NAMES = ("王明", "李王", "王小明", "汤子", "Smith, John", "o'Brien", "100%纯", "a_b", "ab",
         "张  三", "Ævar", "王明明")
AREAS = ("510104022009", "510104022011", "510104037001")


def _cases(admin: Any) -> list[Case]:
    return [services.submit_case(actor=admin, item_code="JJ-001", area_code=AREAS[i % 3],
                                 applicant_name=name, phone="13800001234", channel="desk",
                                 at=at("2025-09-29"))
            for i, name in enumerate(NAMES)]


def _terms(cases: list[Case]) -> list[str]:
    number = cases[4].number
    return ["王", "明", "王明", "小明", "明明", "汤子", "王明明明", "smith", "SMITH", "h, j",
            "'", "%", "_", "a_b", "a%", "100%", "\\", "  ", "张 三", "张  三", "ævar", "ÆVAR",
            "不存在", number, number.lower(), number[:9], number[-4:], number[3:12], "-2025-",
            "5", "王明 "]


def test_search_finds_what_icontains_finds(item: Any, admin: Any, officer: Any) -> None:
    cases = _cases(admin)
    client = Client()
    client.force_login(admin)
    for term in _terms(cases):
        want = set(Case.objects.filter(Q(number__icontains=term)
                                       | Q(applicant_name__icontains=term))
                   .values_list("number", flat=True))
        got = set(selectors.cases(user=admin, q=term).values_list("number", flat=True))
        assert got == want, term
        api = client.get("/api/v1/services/cases", {"q": term, "limit": 100}).json()
        assert {c["number"] for c in api["items"]} == want, term
        # and within a street officer's scope (春熙路: the first two areas)
        mine = set(selectors.cases(user=officer, q=term).values_list("number", flat=True))
        assert mine == {n for n in want if n.startswith("510104022")}, term
    assert len(set(selectors.cases(user=admin, q="王").values_list("pk", flat=True))) == 4
    page = client.get("/services/work/", {"q": "王明"}).content.decode()
    assert page.count('data-number="') == 2


@pytest.mark.postgres
def test_search_reads_the_trigram_indexes(item: Any, admin: Any, officer: Any) -> None:
    """The search's expressions are those of ``case_number_trgm`` and ``case_name_trgm``:
    with sequential scans priced out, the search alone is a bitmap of the name's index for
    a term of one, two or more characters (a spaced character has trigrams of its own),
    and of the number's too for an ASCII term; a
    street officer's search, as a custom or as a generic plan, never scans the table."""
    # the test database is built from the models: the migration's indexes, as it makes them
    trigram = importlib.import_module("shequ.services.migrations.0012_case_search_trigram")
    with connection.cursor() as cur:
        cur.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        for sql in trigram.statements(concurrently=False):
            cur.execute(sql)
        _cases(admin)
        cur.execute("ANALYZE services_case")
        cur.execute("SET LOCAL enable_seqscan = off")
        for term in ("王", "王明", "王小明", "00001", "smith"):
            search = Case.objects.filter(selectors.search(term)).order_by()
            sql, params = search.query.sql_with_params()
            cur.execute("SET LOCAL enable_indexscan = off")  # bitmaps only: which index?
            cur.execute("EXPLAIN " + sql, params)
            plan = "\n".join(r[0] for r in cur.fetchall())
            cur.execute("SET LOCAL enable_indexscan = on")
            assert "case_name_trgm" in plan, (term, plan)
            # a case number is ASCII: a Chinese term is not looked up in numbers at all
            assert ("case_number_trgm" in plan) == term.isascii(), (term, plan)
            assert "Seq Scan" not in plan, plan
            sql, params = selectors.cases(user=officer, q=term)[:51].query.sql_with_params()
            cur.execute("EXPLAIN " + sql, params)
            plan = "\n".join(r[0] for r in cur.fetchall())
            assert "Seq Scan" not in plan and "street_code" in plan, (term, plan)
            generic = _generic_plan(cur, sql, list(params))
            assert "Seq Scan" not in generic and "street_code" in generic, generic
