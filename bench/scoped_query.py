"""Benchmark: a scoped list query over 1M rows spread over Sichuan's areas uses an index.

A street officer lists the newest audit entries of their street (the console's audit page,
``audit.selectors.entries``). 1,000,000 entries are spread over Sichuan's 34k communities.
Prints the query plan (EXPLAIN ANALYZE) and timings. Run after bench/areas_import.py
(it reuses that database's areas) or on its own. Writes bench/results/scoped_query.txt.
"""

from __future__ import annotations

import statistics
import time

from _common import fresh_database, setup_django, write_results

ROWS = 1_000_000


def main() -> None:
    setup_django(fresh_database("shequ_bench_scoped"))
    from django.core.management import call_command
    from django.db import connection

    for app in ("accounts", "audit", "areas"):
        call_command("migrate", app, verbosity=0)
    from shequ.accounts.models import Grant, User
    from shequ.areas.services import import_divisions
    from shequ.audit import selectors
    from shequ.authz import SYSTEM

    import_divisions(actor=SYSTEM, within="51")  # Sichuan, shipped with the repository
    with connection.cursor() as cur:
        cur.execute("SELECT code FROM areas_area WHERE level = 'community' ORDER BY code")
        n_comm = len(cur.fetchall())
        t0 = time.perf_counter()
        cur.execute("""
            INSERT INTO audit_auditentry (chain, seq, at, actor_name, action, object_type,
                                          object_id, area_code, changes, prev_hash, hash)
            SELECT substr(c.code, 1, 9), g, now() - (g || ' seconds')::interval, 'bench',
                   'bench.write', 'bench.item', g::text, c.code, '{}'::jsonb, '', md5(g::text)
            FROM generate_series(1, %s) g
            JOIN (SELECT code, row_number() OVER (ORDER BY code) - 1 AS i
                  FROM areas_area WHERE level = 'community') c
              ON c.i = (g::bigint * 7919) %% %s
        """, [ROWS, n_comm])
        cur.execute("ANALYZE audit_auditentry")
        fill = time.perf_counter() - t0
    officer = User.objects.create(username="jiedao")
    street = "510104022"  # 春熙路街道
    Grant.objects.create(user=officer, role="street_officer", area_code=street)
    times = []
    for _ in range(50):
        t = time.perf_counter()
        rows = selectors.entries(user=officer, limit=50)
        times.append((time.perf_counter() - t) * 1000)
    from django.db.models import QuerySet

    from shequ import authz
    from shequ.audit.models import AuditEntry

    qs: QuerySet[AuditEntry] = AuditEntry.objects.filter(
        authz.scope_q(officer, "audit.view")).order_by("-at", "-id")[:50]
    sql, params = qs.query.sql_with_params()
    with connection.cursor() as cur:
        cur.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
        plan = [r[0] for r in cur.fetchall()]
        cur.execute("SELECT count(*) FROM audit_auditentry WHERE area_code LIKE %s", [street + "%"])
        in_scope = cur.fetchone()[0]
    write_results("scoped_query", [
        f"table: audit_auditentry, {ROWS} rows over {n_comm} Sichuan communities "
        f"(filled in {fill:.1f} s)",
        f"scope: street officer of {street}: {in_scope} rows in scope, first page of 50 "
        f"returned {len(rows)}",
        f"selector time over 50 runs: median {statistics.median(times):.2f} ms, "
        f"p95 {sorted(times)[int(len(times) * 0.95) - 1]:.2f} ms",
        "plan:", *["  " + line for line in plan],
    ])


if __name__ == "__main__":
    main()
