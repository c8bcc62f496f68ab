"""Benchmark: look a resident up by identity number among N rows (default 10,000,000).

    .venv/bin/python bench/people_lookup.py                 # fills up to 10M rows, then looks up
    .venv/bin/python bench/people_lookup.py --rows 1000000 --lookups 2000

The table is filled fast with SQL ``generate_series`` (filler rows: random keyed-hash-like
values, no real ciphertext); 1,000 real residents are imported through the real service so
there are true numbers to look for. Each look-up is the real code path,
``selectors.resident_by_number`` (normalise, HMAC, one index probe on ``id_hash``, scope
check). Target (issue 3): under 5 ms. The plan is printed to show the index is used and
nothing is decrypted.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
from people_import import DEFAULT_DB, community_codes, ensure_database, write_result  # noqa: E402

FILL_SQL = """
INSERT INTO people_resident (name, id_hash, id_cipher, id_masked, birth_date, sex, phone_cipher,
  phone_last4, area_code, community_code, registered_here, lives_here, disability, low_income,
  deprived_of_political_rights, registered_address, actual_address, created_at, updated_at)
SELECT '居民' || g, encode(sha256(('filler:' || g)::bytea), 'hex'), 'dev1:filler',
       '510104********' || lpad((g %% 10000)::text, 4, '0'),
       date '1930-01-01' + (g %% 30000), CASE WHEN g %% 2 = 0 THEN 'F' ELSE 'M' END, '', '',
       %(community)s, %(community)s, true, true, false, false, false, '', '', now(), now()
  FROM generate_series(%(start)s, %(stop)s) AS g
"""


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=10_000_000)
    ap.add_argument("--lookups", type=int, default=5000)
    ap.add_argument("--db", default=DEFAULT_DB)
    ap.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if not args.child:
        ensure_database(args.db)
        env = {**os.environ, "DATABASE_URL": args.db, "PYTHONPATH": str(ROOT / "src")}
        subprocess.run([sys.executable, __file__, "--child", *sys.argv[1:]], env=env, check=True)
        return

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shequ.settings")
    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from shequ.areas.models import Area, Level
    from shequ.authz import SYSTEM
    from shequ.core import ids
    from shequ.people import selectors, services
    from shequ.people.models import Resident

    call_command("migrate", interactive=False, verbosity=0)
    Area.objects.get_or_create(code="510104", defaults={"name": "锦江区", "level": Level.DISTRICT})
    for code in community_codes():
        Area.objects.get_or_create(code=code[:9], defaults={"name": code[:9], "level": Level.STREET})
        Area.objects.get_or_create(code=code, defaults={"name": code, "level": Level.COMMUNITY})

    # 1,000 real residents (real hashes) born on 2001-01-01.. so they cannot clash
    real = []
    for i in range(1000):
        born = date(2001, 1, 1) + timedelta(days=i // 400)
        first17 = f"510108{born:%Y%m%d}{(i % 400) * 2 + 1:03d}"
        real.append(first17 + ids.ric_check_char(first17))
    codes = community_codes()
    rows = ((i + 2, {"name": f"真实{i}", "id_number": n, "community_code": codes[i % len(codes)]})
            for i, n in enumerate(real))
    services.import_residents(actor=SYSTEM, rows=rows)

    lines: list[str] = []
    with connection.cursor() as cur:
        cur.execute("SELECT count(*) FROM people_resident")
        have = cur.fetchone()[0]
        cur.execute("SELECT coalesce(max(id), 0) FROM people_resident")
        start = cur.fetchone()[0] + 1
    missing = args.rows - have
    if missing > 0:
        t = time.perf_counter()
        step = 1_000_000
        done = 0
        while done < missing:
            n = min(step, missing - done)
            with connection.cursor() as cur:
                cur.execute(FILL_SQL, {"start": start + done, "stop": start + done + n - 1,
                                       "community": codes[(done // step) % len(codes)]})
            done += n
            print(f"filled {done:,}/{missing:,} rows ({time.perf_counter() - t:.0f} s)", flush=True)
        with connection.cursor() as cur:
            cur.execute("ANALYZE people_resident")
        lines.append(f"filled {missing:,} rows with generate_series in {time.perf_counter() - t:.0f} s")
    total = Resident.objects.count()

    with connection.cursor() as cur:
        from shequ.core import crypto

        cur.execute("EXPLAIN SELECT * FROM people_resident WHERE id_hash = %s LIMIT 1",
                    [crypto.lookup_hash(real[0])])
        plan = " / ".join(r[0].strip() for r in cur.fetchall())
    print("plan:", plan)

    # warm up, then time the real selector path (hash + index probe + permission check)
    for n in real[:100]:
        selectors.resident_by_number(user=SYSTEM, number=n)
    timings = []
    for k in range(args.lookups):
        number = real[k % len(real)]
        t = time.perf_counter()
        r = selectors.resident_by_number(user=SYSTEM, number=number)
        timings.append((time.perf_counter() - t) * 1000)
        assert r.name.startswith("真实")
    timings.sort()
    p50 = statistics.median(timings)
    p95 = timings[int(len(timings) * 0.95)]
    p99 = timings[int(len(timings) * 0.99)]
    line = (f"lookup by identity number among {total:,} rows: {args.lookups} look-ups, "
            f"mean {statistics.mean(timings):.2f} ms, p50 {p50:.2f} ms, p95 {p95:.2f} ms, "
            f"p99 {p99:.2f} ms, max {timings[-1]:.2f} ms")
    print(line)
    lines += [line, f"plan: {plan}"]
    write_result("lookup", total, lines)


if __name__ == "__main__":
    main()
