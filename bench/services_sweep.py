"""Benchmark: the SLA sweep at province scale.

Cases are generated with SQL ``generate_series`` into postgres://…/shequ_bench_sweep
(schema from the migrations, every product index): ``--streets`` streets, ``--rows`` cases,
92 % decided and 8 % under review with due dates from 11 days ago to 29 days ahead, as a
running system would have them (cases already overdue were escalated, cases already in
the warning window were warned). Then ``services.sweep`` runs three times:

1. now, after the load (every status still "on time": the big catch-up);
2. now again (steady state: nothing to change);
3. at the same hour tomorrow (a day's crossings: new warnings and escalations, each its
   own transaction with event and audit entry).

Writes the "sweep" section of bench/results/services.txt.

    .venv/bin/python bench/services_sweep.py [--rows 5000000] [--streets 1000]
"""

from __future__ import annotations

import argparse
import time
from datetime import timedelta

from services_results import case_database, write_section

INSERT = """
INSERT INTO services_case (number, street_code, year, seq, area_code, item_id, version_id,
  channel, applicant_name, phone_cipher, phone_last4, description, idempotency_scope,
  idempotency_key, state, submitted_at, accept_by, accepted_on, limit_days, statutory_days,
  extension_days, extension_reason, paused_workdays, due_on, statutory_due_on, decided_on,
  decision_reasons, workdays_used, missing, sla, updated_at, warned_at, escalated_at)
SELECT s.street || '-2026-' || lpad(s.seq::text, 7, '0'), s.street, 2026, s.seq,
  s.street || lpad((1 + s.i %% 7)::text, 3, '0'), %(item)s, %(version)s,
  'desk', '压测', '', '1234', '', '', '',
  s.state, now() - make_interval(days => s.age), current_date - s.age + 7,
  current_date - s.age + 1, 20, 20, 0, '', 0,
  current_date - s.age + 29, current_date - s.age + 29,
  CASE WHEN s.state = 'closed' THEN current_date - s.age + 1 + (s.i %% 33) END, '',
  CASE WHEN s.state = 'closed' THEN (s.i %% 33) * 5 / 7 END, '[]',
  CASE WHEN s.state = 'closed' THEN 'done_on_time' ELSE 'on_time' END, now(),
  CASE WHEN s.state = 'in_review' AND s.age >= 27 THEN now() END,
  CASE WHEN s.state = 'in_review' AND s.age > 29 THEN now() END
FROM (
  SELECT g AS i, (510100000 + (g %% %(streets)s))::text AS street, g / %(streets)s + 1 AS seq,
    CASE WHEN g %% 100 < 92 THEN ((g::bigint * 7919) %% 365)::int
         ELSE ((g::bigint * 7919) %% 41)::int END AS age,
    CASE WHEN g %% 100 < 92 THEN 'closed' ELSE 'in_review' END AS state
  FROM generate_series(%(lo)s, %(hi)s) AS g
) AS s
"""


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=5_000_000)
    parser.add_argument("--streets", type=int, default=1000)
    parser.add_argument("--chunk", type=int, default=500_000)
    args = parser.parse_args()
    version = case_database("shequ_bench_sweep")
    from django.db import connection
    from django.utils import timezone

    from shequ.authz import SYSTEM
    from shequ.services import services
    t0 = time.perf_counter()
    with connection.cursor() as cur:
        for lo in range(0, args.rows, args.chunk):
            hi = min(lo + args.chunk, args.rows) - 1
            cur.execute(INSERT, {"item": version.item_id, "version": version.pk, "lo": lo,
                                 "hi": hi, "streets": args.streets})
            print(f"  {hi + 1:,} rows, {time.perf_counter() - t0:.0f} s", flush=True)
        cur.execute("VACUUM ANALYZE services_case")
        cur.execute("SELECT count(*) FROM services_case WHERE state = 'in_review'")
        open_cases = cur.fetchone()[0]
    load = time.perf_counter() - t0
    now = timezone.now()
    lines = [f"{args.rows:,} cases over {args.streets:,} streets, {open_cases:,} under review "
             f"(loaded in {load:.0f} s); services.sweep, PostgreSQL, one process:"]
    for label, at in [("1 catch-up after the load", now), ("2 again, nothing to change", now),
                      ("3 next day", now + timedelta(days=1))]:
        t0 = time.perf_counter()
        result = services.sweep(actor=SYSTEM, at=at)
        took = time.perf_counter() - t0
        lines.append(f"  {label}: {took:.1f} s; {result.as_dict()}")
        print(lines[-1], flush=True)
    write_section("sweep", lines)


if __name__ == "__main__":
    main()
