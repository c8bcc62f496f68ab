"""Benchmark: listing a street's overdue cases with 5,000,000 cases in the table
(target p95 < 50 ms).

Rows are generated with SQL ``generate_series`` into postgres://…/shequ_bench_services
(schema from the migrations, so every index of the product is there): 11 streets, a year of
receipts; 90 % decided, 8 % under review (about half of those overdue), the rest
awaiting acceptance, in 补正, withdrawn. The query is the product's selector
(``services.selectors.overdue``: 100 most overdue of one street), run for a street officer
of each street in turn. Writes the "overdue" section of bench/results/services.txt.

    .venv/bin/python bench/services_overdue.py [--rows 5000000] [--queries 300]
"""

from __future__ import annotations

import argparse
import time

from services_results import case_database, write_section

STREETS = ["510104017", "510104018", "510104019", "510104020", "510104021", "510104022",
           "510104023", "510104026", "510104030", "510104035", "510104037"]

INSERT = """
INSERT INTO services_case (number, street_code, year, seq, area_code, item_id, version_id,
  channel, applicant_name, phone_cipher, phone_last4, description, idempotency_scope,
  idempotency_key, state, submitted_at, accept_by, accepted_on, limit_days, statutory_days,
  extension_days, extension_reason, paused_workdays, due_on, statutory_due_on, decided_on,
  decision_reasons, workdays_used, missing, sla, updated_at)
SELECT s.street || '-2026-' || lpad(s.seq::text, 7, '0'), s.street, 2026, s.seq,
  s.street || lpad((1 + s.i %% 7)::text, 3, '0'), %(item)s, %(version)s,
  'desk', '压测', '', '1234', '', '', '',
  s.state, now() - make_interval(days => s.age), current_date - s.age + 7,
  CASE WHEN s.state IN ('submitted', 'correction', 'withdrawn') THEN NULL
       ELSE current_date - s.age + 1 END,
  20, 20, 0, '', 0,
  CASE WHEN s.state IN ('submitted', 'correction', 'withdrawn') THEN NULL
       ELSE current_date - s.age + 29 END,
  CASE WHEN s.state IN ('submitted', 'correction', 'withdrawn') THEN NULL
       ELSE current_date - s.age + 29 END,
  CASE WHEN s.state = 'closed' THEN current_date - s.age + 1 + (s.i %% 33) END, '',
  CASE WHEN s.state = 'closed' THEN (s.i %% 33) * 5 / 7 END, '[]',
  CASE WHEN s.state = 'closed' THEN 'done_on_time' WHEN s.state = 'in_review' THEN 'on_time'
       ELSE 'not_started' END, now()
FROM (
  SELECT g AS i, (ARRAY%(streets)s)[1 + g %% 11] AS street, g / 11 + 1 AS seq,
    ((g::bigint * 7919) %% 365)::int AS age,
    CASE WHEN g %% 100 < 90 THEN 'closed' WHEN g %% 100 < 98 THEN 'in_review'
         WHEN g %% 100 = 98 THEN 'submitted' ELSE 'correction' END AS state
  FROM generate_series(%(lo)s, %(hi)s) AS g
) AS s
"""


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * p))] * 1000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=5_000_000)
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--chunk", type=int, default=500_000)
    args = parser.parse_args()
    version = case_database("shequ_bench_services")
    from django.db import connection

    from shequ.accounts.tests.factories import make_user
    from shequ.services import selectors
    sql = INSERT.replace("%(streets)s", "[" + ",".join(f"'{s}'" for s in STREETS) + "]")
    t0 = time.perf_counter()
    with connection.cursor() as cur:
        for lo in range(0, args.rows, args.chunk):
            hi = min(lo + args.chunk, args.rows) - 1
            cur.execute(sql, {"item": version.item_id, "version": version.pk, "lo": lo, "hi": hi})
            print(f"  {hi + 1:,} rows, {time.perf_counter() - t0:.0f} s", flush=True)
        cur.execute("VACUUM ANALYZE services_case")
    load = time.perf_counter() - t0
    officers = [make_user("street_officer", s, username=f"o{s}") for s in STREETS]
    for o, s in zip(officers, STREETS, strict=True):  # warm-up, one per street
        selectors.overdue(user=o, street=s)
    times, sizes = [], []
    for n in range(args.queries):
        street = STREETS[n % len(STREETS)]
        officer = officers[n % len(STREETS)]
        officer._shequ_grants = None  # each query checks its permission (grants come
        # from the process cache, as for a request: ADR 0010)
        del officer._shequ_grants
        t0 = time.perf_counter()
        rows = selectors.overdue(user=officer, street=street, limit=100)
        times.append(time.perf_counter() - t0)
        sizes.append(len(rows))
    with connection.cursor() as cur:
        cur.execute("SELECT count(*) FROM services_case")
        total = cur.fetchone()[0]
        cur.execute("SELECT count(*) FROM services_case WHERE street_code = %s AND state = "
                    "'in_review' AND due_on < current_date", [STREETS[5]])
        overdue_one = cur.fetchone()[0]
        qs = (selectors.Case.objects.filter(street_code=STREETS[5], state="in_review",
                                            due_on__lt=selectors.today())
              .order_by("due_on", "id")[:100])
        plan_sql, params = qs.query.sql_with_params()
        cur.execute("EXPLAIN (ANALYZE, BUFFERS) " + plan_sql, params)
        plan = [r[0] for r in cur.fetchall()]
    write_section("overdue", [
        f"{total:,} cases (generate_series, {args.chunk:,}-row chunks, all product indexes): "
        f"loaded in {load:.0f} s; {overdue_one:,} overdue in street {STREETS[5]}.",
        f"selectors.overdue (100 most overdue of one street, permission check included, "
        f"grants from the process cache), "
        f"{args.queries} queries over 11 streets: p50 {pct(times, .5):.1f} ms, "
        f"p95 {pct(times, .95):.1f} ms, p99 {pct(times, .99):.1f} ms, max "
        f"{max(times) * 1000:.1f} ms (target p95 < 50 ms); rows per answer {min(sizes)}–{max(sizes)}.",
        "plan:", *("  " + line for line in plan)])


if __name__ == "__main__":
    main()
