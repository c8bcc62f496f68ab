"""Staff pages at province scale (issue 18, ADR 0025–0026): the scope in its index form
selects the same cases as ``authz.scope_q``; the console's counts come from one query;
the statistics rollups kept by the writers equal those rebuilt from the cases; every
staff page reads a constant number of queries however many cases there are; the work
list pages by keyset; the export is written by the worker."""

from __future__ import annotations

import itertools
import re
from datetime import date, timedelta
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from shequ import authz
from shequ.authz import SYSTEM
from shequ.core import paging
from shequ.services import export, rollups, selectors, services
from shequ.services.enums import Perm
from shequ.services.models import Case, Sla, State, StatRollup

from .conftest import at

AREAS = ("510104022009", "510104022009001", "510104022011", "510104037001")


@pytest.fixture
def worker(tree: Any, make_user: Any) -> Any:
    return make_user("community_worker", "510104022011", username="shegong")


@pytest.fixture
def worker_c1(tree: Any, make_user: Any) -> Any:
    """A community with a compound below it (the scope falls back to a range)."""
    return make_user("community_worker", "510104022009", username="shegong1")


@pytest.fixture
def civil(tree: Any, make_user: Any) -> Any:
    return make_user("civil_affairs", "510104", username="minzheng")


NAMES = itertools.count(1)


def _file(actor: Any, area: str, day: str = "2025-09-29") -> Case:
    # a different applicant each time: one person's second open case of an item asks to
    # be confirmed
    return services.submit_case(actor=actor, item_code="JJ-001", area_code=area,
                                applicant_name=f"申请人{next(NAMES)}", phone="13800001234",
                                channel="desk",
                                at=at(day))


def _spread(actor: Any, n: int) -> list[Case]:
    return [_file(actor, AREAS[i % len(AREAS)]) for i in range(n)]


def test_scope_in_index_form_selects_what_scope_q_selects(item: Any, desk: Any, admin: Any,
                                                           officer: Any, worker: Any,
                                                           worker_c1: Any) -> None:
    _spread(admin, 8)
    for user in (admin, officer, worker, worker_c1):
        mine = set(Case.objects.filter(selectors.scope(user, Perm.VIEW)).values_list("pk", flat=True))
        law = set(Case.objects.filter(authz.scope_q(user, Perm.VIEW)).values_list("pk", flat=True))
        assert mine == law and mine, user.username
    assert len(set(Case.objects.filter(selectors.scope(worker_c1, Perm.VIEW)))) == 4  # + compound
    assert str(selectors.inside("510104").children[0][0]) == "street_code__gte"
    assert selectors.inside("510104022") .children == [("street_code", "510104022")]
    assert selectors._successor("510199") == "510200" and selectors._successor("99") is None


def test_console_counts_alerts_in_one_query(item: Any, admin: Any, officer: Any,
                                            worker: Any) -> None:
    cases = _spread(admin, 8)
    Case.objects.filter(pk__in=[c.pk for c in cases[:3]]).update(sla=Sla.OVERDUE,
                                                                  state=State.IN_REVIEW)
    Case.objects.filter(pk=cases[3].pk).update(sla=Sla.WARNING, state=State.IN_REVIEW)
    Case.objects.filter(pk=cases[6].pk).update(state=State.APPROVED,
                                               issue_due_on=date.today() - timedelta(days=1))
    rollups.rebuild()  # the statuses were written around the writers, as a bulk load does
    with CaptureQueriesContext(connection) as ctx:
        counts = selectors.alerts(user=admin)
    assert (counts.overdue, counts.warning, counts.late_issue) == (3, 1, 1)
    assert len(ctx.captured_queries) <= 2  # the grants, then the one count
    # the community 510104022011 has cases 2 and 6 of the spread; 春熙路 cases 0, 1, 2
    assert selectors.alerts(user=worker) == selectors.Alerts(overdue=1, warning=0, late_issue=1)
    assert selectors.alerts(user=officer).overdue == 3


def _decide_some(admin: Any, officer: Any) -> None:
    cases = [*_spread(admin, 8), _file(admin, "510104022011", "2025-10-09")]
    for c in cases[:7]:
        services.accept(actor=officer if c.street_code == "510104022" else admin,
                        number=c.number, at=at("2025-09-30"))
    services.decide(actor=officer, number=cases[0].number, approve=True, at=at("2025-10-10"))
    services.decide(actor=officer, number=cases[1].number, approve=False, reasons="材料不实",
                    at=at("2025-12-20"))  # late
    services.decide(actor=admin, number=cases[3].number, approve=True, at=at("2025-10-20"))
    services.suspend(actor=officer, number=cases[4].number, kind="inspection",
                     at=at("2025-10-09"))
    services.resume(actor=officer, number=cases[4].number, at=at("2025-10-14"))
    services.decide(actor=officer, number=cases[4].number, approve=True, at=at("2025-10-15"))
    services.issue(actor=officer, number=cases[0].number, at=at("2025-10-11"))
    services.withdraw(actor=admin, number=cases[7].number, at=at("2025-10-01"))


def test_rollups_kept_by_the_writers_equal_the_rebuilt(item: Any, admin: Any,
                                                       officer: Any) -> None:
    _decide_some(admin, officer)
    kept = rollups.snapshot()
    assert sum(v[0] for v in kept.values()) == 9 and sum(v[1] for v in kept.values()) == 4
    assert rollups.rebuild() == len(kept)
    assert rollups.snapshot() == kept
    # and the page's figures from the rollups equal those counted from the cases
    for by in selectors.GROUPS:
        fast, _ = selectors._from_rollups(None, by, date(2025, 9, 1), date(2025, 12, 31), "")
        slow = selectors._from_cases(admin, by, date(2025, 9, 1), date(2025, 12, 31), "")
        assert fast == slow, by


def test_overdue_count_moves_with_the_sweep_and_the_steps(item: Any, admin: Any,
                                                          officer: Any) -> None:
    """Four cases of 春熙路 accepted on 2025-09-30 (20 working days after the National Day
    holiday: due 2025-11-04) and
    one filed on 10-09 and left unaccepted: the count is the cases whose status is
    "overdue", whichever writer changed it, and a rebuild finds the same."""
    def overdue() -> int:
        return sum(r.overdue for r in StatRollup.objects.all())

    cases = [_file(admin, "510104022011") for _ in range(4)]
    for c in cases:
        services.accept(actor=officer, number=c.number, at=at("2025-09-30"))
    _file(admin, "510104022011", "2025-10-09")
    assert {c.due_on for c in Case.objects.filter(state=State.IN_REVIEW)} == {date(2025, 11, 4)}
    services.sweep(actor=SYSTEM, at=at("2025-11-04"))  # the last day: not yet overdue
    assert overdue() == 0
    services.sweep(actor=SYSTEM, at=at("2025-11-05"))  # the four cross their deadline
    assert overdue() == 4
    services.sweep(actor=SYSTEM, at=at("2025-11-05", 15))  # again: nothing moves twice
    assert overdue() == 4
    # a late decision takes one out; a suspension another; resuming brings it back (its
    # deadline moves by the two paused working days to 11-06, still before 11-10)
    services.decide(actor=officer, number=cases[0].number, approve=True, at=at("2025-11-06"))
    services.suspend(actor=officer, number=cases[1].number, kind="inspection",
                     at=at("2025-11-06"))
    assert overdue() == 2
    services.resume(actor=officer, number=cases[1].number, at=at("2025-11-10"))
    resumed = Case.objects.get(pk=cases[1].pk)
    assert (resumed.due_on, resumed.sla) == (date(2025, 11, 6), Sla.OVERDUE)
    assert overdue() == 3 == Case.objects.filter(sla=Sla.OVERDUE).count()
    # the fifth case, accepted on receipt by the 11-04 sweep (due 11-06), is overdue on
    # 11-10 but counted only once a sweep has said so (the console's figure does the same)
    live = selectors._overdue_open(admin, "street", date(2025, 11, 10), date(2025, 9, 1),
                                   date(2025, 12, 31), "")
    assert live["510104022"] == 4
    services.sweep(actor=SYSTEM, at=at("2025-11-10", 12))
    assert overdue() == 4
    # the rollups say what the cases say, and so does the statistics page
    kept = rollups.snapshot()
    rollups.rebuild()
    assert rollups.snapshot() == kept
    [street] = [r for r in selectors.statistics(user=admin, start=date(2025, 9, 1),
                                                end=date(2025, 12, 31))
                if r.key == "510104022"]
    assert street.overdue_open == 4
    # a case that leaves review without a decision (withdrawn) leaves the count too
    services.withdraw(actor=admin, number=cases[2].number, at=at("2025-11-11"))
    assert overdue() == 3 == Case.objects.filter(sla=Sla.OVERDUE).count()


def test_the_migration_counts_the_overdue_cases_already_there(item: Any, admin: Any,
                                                               officer: Any) -> None:
    """A site upgraded with open overdue cases shows them at once, not after a rebuild."""
    import importlib

    from django.apps import apps

    migration = importlib.import_module("shequ.services.migrations.0015_statrollup_overdue")
    cases = [_file(admin, area) for area in AREAS]
    for c in cases:
        services.accept(actor=admin, number=c.number, at=at("2025-09-30"))
    services.sweep(actor=SYSTEM, at=at("2025-11-05"))
    kept = rollups.snapshot()
    late = rollups.COUNTED.index("overdue")
    assert sum(v[late] for v in kept.values()) == 4
    StatRollup.objects.update(overdue=0)
    StatRollup.objects.filter(street_code="510104037").delete()  # and a row gone missing
    migration.count_overdue(apps, None)
    assert ({k: v[late] for k, v in rollups.snapshot().items()}
            == {k: v[late] for k, v in kept.items()})


def test_the_migration_counts_the_cases_near_their_deadline(item: Any, admin: Any) -> None:
    import importlib

    from django.apps import apps

    migration = importlib.import_module("shequ.services.migrations.0018_statrollup_warning")
    for area in AREAS:
        services.accept(actor=admin, number=_file(admin, area).number, at=at("2025-09-30"))
    services.sweep(actor=SYSTEM, at=at("2025-11-03"))  # due 11-04: all four near it
    assert selectors.alerts(user=admin, on=date(2025, 11, 3)).warning == 4
    kept = rollups.snapshot()
    StatRollup.objects.update(warning=0)
    assert selectors.alerts(user=admin, on=date(2025, 11, 3)).warning == 0
    migration.count_warning(apps, None)
    assert rollups.snapshot() == kept
    assert selectors.alerts(user=admin, on=date(2025, 11, 3)).warning == 4


def test_rollup_commands(item: Any, admin: Any, officer: Any) -> None:
    from io import StringIO

    _decide_some(admin, officer)
    out = StringIO()
    call_command("services", "rollups", "check", stdout=out)
    StatRollup.objects.update(cases=0)
    with pytest.raises(Exception, match="rollups rebuild"):
        call_command("services", "rollups", "check", stdout=out)
    call_command("services", "rollups", "rebuild", stdout=out)
    call_command("services", "rollups", "check", stdout=out)
    assert "一致" in out.getvalue()


def test_statistics_default_to_this_year_and_whole_months(item: Any, admin: Any,
                                                          officer: Any) -> None:
    _decide_some(admin, officer)
    client = Client()
    client.force_login(admin)
    page = client.get("/services/stats/").content.decode()
    assert f'value="{date.today().year}-01-01"' in page  # the period shown is this year
    autumn = client.get("/services/stats/?start=2025-09-01&end=2025-12-31").content.decode()
    assert "各街道每月收件数" in autumn and "按时办结率" in autumn, autumn[autumn.find("<main"):][:3000]
    # a period that is not whole months is counted from the cases: the same figures
    services.sweep(actor=SYSTEM)  # "overdue" today is the status the sweep last set
    [rolled] = [r for r in selectors.statistics(user=admin, start=date(2025, 9, 1),
                                                end=date(2025, 12, 31))
                if r.key == "510104022"]
    [counted] = [r for r in selectors.statistics(user=admin, start=date(2025, 9, 2),
                                                 end=date(2025, 12, 30))
                 if r.key == "510104022"]
    assert rolled == counted and rolled.cases == 7 and rolled.completed == 3


def _queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
        assert response.status_code == 200, url
    return len(ctx.captured_queries)


STAFF_PAGES = ("/console/", "/services/work/", "/services/work/?sla=overdue",
               "/services/work/?state=in_review&item=JJ-001", "/services/stats/",
               "/services/stats/?by=month&start=2025-01-01",
               "/services/stats/?by=item&start=2025-09-02",
               "/api/v1/services/cases", "/api/v1/services/cases?sla=overdue",
               "/api/v1/services/overdue?street=510104022",
               # search (ADR 0027): a term every case matches, one none does
               "/services/work/?q=%E7%94%B3%E8%AF%B7%E4%BA%BA", "/services/work/?q=nobody",
               "/api/v1/services/cases?q=%E7%94%B3%E8%AF%B7%E4%BA%BA")


def test_staff_pages_read_a_constant_number_of_queries(item: Any, admin: Any, officer: Any,
                                                       civil: Any, worker: Any) -> None:
    """N cases, then 3N: every staff page of the module and the console runs the same
    number of queries (no query per row, no count growing with the table)."""

    def add(n: int) -> None:
        cases = _spread(admin, n)
        for c in cases:
            services.accept(actor=admin, number=c.number, at=at("2025-09-30"))
        Case.objects.filter(pk__in=[c.pk for c in cases[::2]]).update(sla=Sla.OVERDUE)

    users = {"admin": admin, "jiedao": officer, "minzheng": civil, "shegong": worker}
    clients = {}
    for name, user in users.items():
        clients[name] = Client()
        clients[name].force_login(user)

    def measure() -> dict[tuple[str, str], int]:
        out = {}
        for name, client in clients.items():
            for url in STAFF_PAGES:
                if url.startswith("/services/stats") and name == "shegong":
                    continue  # community workers do not hold services.stats
                if "overdue?street" in url and name in ("shegong", "minzheng"):
                    continue
                out[(name, url)] = _queries(client, url)
        return out

    add(4)
    measure()  # warm: each user's grants are then kept by the process (ADR 0010)
    few = measure()
    add(8)
    many = measure()
    assert few == many
    assert max(v for (n, u), v in many.items() if u.startswith("/services/work")) <= 12


def test_work_list_pages_by_keyset_newest_first(item: Any, admin: Any) -> None:
    made = [_file(admin, "510104022011", f"2025-09-{d:02d}") for d in (22, 23, 24, 25, 26)]
    first = paging.keyset(selectors.cases(user=admin), limit=2)
    second = paging.keyset(selectors.cases(user=admin), cursor=first.next, limit=2)
    third = paging.keyset(selectors.cases(user=admin), cursor=second.next, limit=2)
    seen = [c.number for p in (first, second, third) for c in p.items]
    assert seen == [c.number for c in reversed(made)] and third.next is None
    client = Client()
    client.force_login(admin)
    body = client.get("/api/v1/services/cases?limit=2").json()
    assert [c["number"] for c in body["items"]] == seen[:2] and body["next"]
    assert len(client.get("/api/v1/services/cases?item=JJ-001").json()["items"]) == 5
    assert client.get("/api/v1/services/cases?item=NOPE").json()["items"] == []
    assert len(client.get("/services/work/?item=JJ-001").content.decode()
               .split('data-number="')) == 6
    page = client.get("/services/work/").content.decode()
    assert "下一页" not in page or "next-page" in page


def test_export_is_written_by_the_worker_with_days_overdue(item: Any, admin: Any,
                                                          officer: Any) -> None:
    from io import BytesIO

    from openpyxl import load_workbook

    _decide_some(admin, officer)
    job = export.request_export(actor=admin, start=date(2025, 1, 1))
    assert job.state == "ready" and job.rows == 3  # cases 2, 5, 6: accepted, never decided
    wb = load_workbook(BytesIO(bytes(job.content)), read_only=True)
    assert wb.sheetnames[-1] == "超期办件"
    rows = list(wb["超期办件"].iter_rows(values_only=True))
    assert rows[0] == ("办件编号", "街道", "社区", "事项", "科室", "受理日期", "办结期限",
                       "逾期天数（自然日）")
    due = rows[1][6]
    assert rows[1][7] == (date.today() - due.date()).days > 0
    assert export.get_export(user=officer, export_id=job.pk) is None  # only its requester


def test_exports_are_deleted_after_their_keeping_period(item: Any, admin: Any,
                                                         settings: Any) -> None:
    """Seven days by default (PIPL Art. 19): once seven days have passed the pruning
    deletes the workbook, its download answers "not found", and the page says how long
    they are kept."""
    from datetime import datetime
    from datetime import time as clock

    from django.utils import timezone

    _spread(admin, 2)
    old = export.request_export(actor=admin, start=date(2025, 1, 1))
    fresh = export.request_export(actor=admin, start=date(2025, 1, 1))
    asked = timezone.make_aware(datetime.combine(date(2026, 3, 1), clock(9)))
    type(old).objects.filter(pk=old.pk).update(created_at=asked)
    type(fresh).objects.filter(pk=fresh.pk).update(created_at=asked + timedelta(days=1))
    assert export.prune(now=asked + timedelta(days=7)) == 0  # seven days exactly: kept
    assert export.prune(now=asked + timedelta(days=7, minutes=1)) == 1
    assert export.get_export(user=admin, export_id=old.pk) is None
    assert export.get_export(user=admin, export_id=fresh.pk) is not None
    client = Client()
    client.force_login(admin)
    assert client.get(f"/services/stats/export/{old.pk}.xlsx").status_code == 404
    settings.SHEQU_EXPORT_KEEP_DAYS = 30
    page = client.get("/services/stats/").content.decode()
    assert "工作簿在申请导出 30 天后删除；需要时请重新导出。" in page


@pytest.mark.postgres
def test_list_orders_come_from_an_index_not_a_sort(item: Any, admin: Any, officer: Any,
                                                   worker: Any) -> None:
    """On PostgreSQL an index serves each scope's list, alert list and overdue list in its
    own order: with sorting and sequential scans priced out (a tiny table would otherwise
    be sorted), the plan has no Sort. At scale the planner picks these paths itself
    (bench/pages.py)."""
    _spread(admin, 8)
    with connection.cursor() as cur:
        cur.execute("SET LOCAL enable_seqscan = off")
        cur.execute("SET LOCAL enable_sort = off")
        for user in (admin, officer, worker):
            for qs, alert in ((selectors.cases(user=user), False),
                              (selectors.cases(user=user, sla=Sla.OVERDUE), True)):
                sql, params = qs[:51].query.sql_with_params()
                cur.execute("EXPLAIN " + sql, params)
                plan = "\n".join(r[0] for r in cur.fetchall())
                assert "Sort" not in plan, (user.username, plan)
                if alert:  # an alert index, never the whole scope's list filtered
                    assert "case_alert_" in plan, plan
        sql, params = selectors.overdue_cases(user=admin)[:51].query.sql_with_params()
        cur.execute("EXPLAIN " + sql, params)
        plan = "\n".join(r[0] for r in cur.fetchall())
        assert "Sort" not in plan and "case_open_due_all" in plan, plan


def test_scope_of_nobody_and_everybody(item: Any, admin: Any) -> None:
    _spread(admin, 2)
    assert Case.objects.filter(selectors.scope(SYSTEM, Perm.VIEW)).count() == 2


def _generic_plan(cur: Any, sql: str, params: list[Any]) -> str:
    """EXPLAIN of ``sql`` as the generic plan of a prepared statement: what PostgreSQL may
    settle on after a connection has run it five times (server-side binding, ADR 0010)."""
    numbered = iter(range(1, len(params) + 1))
    prepared = re.sub(r"%%|%s", lambda m: "%" if m.group() == "%%" else f"${next(numbered)}",
                      sql)
    cur.execute("DEALLOCATE ALL")
    cur.execute(f"PREPARE bench_q AS {prepared}")
    cur.execute("SET LOCAL plan_cache_mode = force_generic_plan")
    # the values inline: a parameter of EXECUTE itself could not be typed
    cur.execute(connection.ops.compose_sql(
        "EXPLAIN EXECUTE bench_q(" + ", ".join(["%s"] * len(params)) + ")", params))
    plan = "\n".join(r[0] for r in cur.fetchall())
    cur.execute("DEALLOCATE bench_q")
    return plan


@pytest.mark.postgres
def test_generic_plans_keep_the_scope_and_partial_indexes(item: Any, admin: Any, officer: Any,
                                                          worker: Any) -> None:
    """A generic plan cannot match ``LIKE $1`` to an index or prove a partial index's
    ``sla IN ($1, $2)``: the scope is a range or an equality, the partial predicates are
    literals, so even the generic plan reads the scope from an index (issue 18)."""
    _spread(admin, 8)
    with connection.cursor() as cur:
        cur.execute("SET LOCAL enable_seqscan = off")
        for user in (admin, officer, worker):
            plan = _generic_plan(cur, *selectors.alerts_query(user=user, on=date.today()))
            # whole streets sum the rollups; a community reads either alert index (the
            # planner picks by the table's statistics): its own (case_alert_area) or its
            # street's, whose INCLUDE lets it filter the community without the table
            indexes = ("case_alert_street", "case_alert_area") if user is worker else \
                ("stat_rollup_key",)
            assert any(i in plan for i in indexes) and "case_issue_due" in plan, plan
            assert re.search(r"Index Cond: \(+(street_code|area_code)", plan), plan
        for user, column in ((officer, "street_code"), (worker, "area_code")):
            # the scope stays an index condition; whether the generic plan then sorts the
            # few rows it expects depends on the table's statistics (a handful of cases
            # here), which is why the site plans each execution for its values instead
            # (test_prepared_statements_are_planned_for_their_own_values, ADR 0010)
            sql, params = selectors.cases(user=user)[:51].query.sql_with_params()
            plan = _generic_plan(cur, sql, list(params))
            assert f"Index Cond: (({column}" in plan and "Seq Scan" not in plan, plan
        # the district's overdue list: its own index, or the street-led one over the range
        sql, params = selectors.overdue_cases(user=admin)[:51].query.sql_with_params()
        plan = _generic_plan(cur, sql, list(params))
        assert "Seq Scan" not in plan, plan
        assert "case_open_due_all" in plan or re.search(
            r"Index Cond: \(+\(street_code\)::text >= \$1\) AND", plan), plan


@pytest.mark.postgres
def test_prepared_statements_are_planned_for_their_own_values(item: Any, admin: Any,
                                                              worker: Any) -> None:
    """Server-side binding prepares a statement after five runs; PostgreSQL would then
    settle on a generic plan, which assumes an average scope. On 5.1 million cases the
    community's work list became a sort of every case of the community (37 ms, doubling
    with the table) where its own plan reads 51 index entries (1 ms). The connection plans
    each execution for its values instead (settings, ADR 0010)."""
    _spread(admin, 4)
    with connection.cursor() as cur:
        cur.execute("SHOW plan_cache_mode")
        assert cur.fetchone()[0] == "force_custom_plan"
    for _ in range(12):
        list(selectors.cases(user=worker)[:51])
    with connection.cursor() as cur:
        cur.execute("SELECT generic_plans, custom_plans FROM pg_prepared_statements "
                    "WHERE statement LIKE %s AND statement LIKE %s",
                    ['%FROM "services_case"%', "%ORDER BY%submitted_at%"])
        rows = cur.fetchall()
    assert rows and all(generic == 0 and custom > 0 for generic, custom in rows), rows


def test_console_follows_the_sweep_and_the_steps(item: Any, admin: Any, officer: Any) -> None:
    """The counts have no state of their own: the clock sweep's status change shows at
    once, and so does a decision that ends an overdue case."""
    case = _file(admin, "510104022011")
    due = services.accept(actor=officer, number=case.number, at=at("2025-09-30")).due_on
    assert selectors.alerts(user=officer, on=due) == selectors.Alerts(0, 0, 0)
    services.sweep(actor=SYSTEM, at=at(due.isoformat()))  # the last day: a warning
    assert selectors.alerts(user=officer, on=due) == selectors.Alerts(0, 1, 0)
    services.sweep(actor=SYSTEM, at=at("2025-11-20"))  # past it
    counts = selectors.alerts(user=officer, on=date(2025, 11, 20))
    assert (counts.overdue, counts.warning, counts.late_issue) == (1, 0, 0)
    services.decide(actor=officer, number=case.number, approve=True, at=at("2025-11-21"))
    counts = selectors.alerts(user=officer, on=date(2026, 1, 5))
    assert (counts.overdue, counts.warning, counts.late_issue) == (0, 0, 1)  # not issued
    services.issue(actor=officer, number=case.number, at=at("2026-01-06"))
    assert selectors.alerts(user=officer, on=date(2026, 1, 6)) == selectors.Alerts(0, 0, 0)
