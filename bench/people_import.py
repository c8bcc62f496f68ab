"""Benchmark: import N residents from a CSV file into PostgreSQL, with validation,
AES-GCM encryption, keyed hashing and household upserts (the real service).

    .venv/bin/python bench/people_import.py --rows 1000000
    .venv/bin/python bench/people_import.py --rows 100000 --db postgres://postgres@127.0.0.1:5432/x

Targets (issue 3): 1,000,000 rows under 120 s, peak memory under 500 MB. Peak memory is
the process's maximum resident set size (``ru_maxrss``) measured after the import; the
CSV is generated beforehand by a child process so its cost is not counted.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/shequ_bench_people"
RESULTS = ROOT / "bench" / "results" / "people.txt"
COMMUNITIES = 76


def ensure_database(url: str) -> None:
    import psycopg

    base, name = url.rsplit("/", 1)
    with psycopg.connect(base + "/postgres", autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')


def community_codes() -> list[str]:
    # 11 streets x up to 7 communities: codes like 510104017001
    codes = []
    for i in range(COMMUNITIES):
        codes.append(f"510104{17 + i // 7:03d}{1 + i % 7:03d}")
    return codes


def generate_csv(path: Path, rows: int) -> None:
    """Valid identity numbers (GB 11643 check digit), ~3 people per household."""
    sys.path.insert(0, str(ROOT / "src"))
    from shequ.core.ids import ric_check_char

    codes = community_codes()
    start = date(1930, 1, 1)
    with path.open("w", encoding="utf-8", newline="") as fh:
        fh.write("姓名,公民身份号码,社区代码,户号,户主,联系电话,低保,居住起始日期\n")
        for i in range(rows):
            born = start + timedelta(days=(i // 500) % 30000)
            seq = (i % 500) * 2 + 1
            first17 = f"510104{born:%Y%m%d}{seq:03d}"
            number = first17 + ric_check_char(first17)
            community = codes[(i // 3) % len(codes)]
            head = "是" if i % 3 == 0 else "否"
            fh.write(f"居民{i},{number},{community},H{i // 3},{head},138{i % 100000000:08d},"
                     f"{'是' if i % 50 == 0 else '否'},2010-01-01\n")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--db", default=DEFAULT_DB)
    ap.add_argument("--batch-size", type=int, default=10_000)
    ap.add_argument("--csv", type=Path, default=Path("/tmp/shequ_bench_people.csv"))
    ap.add_argument("--reimport", action="store_true", help="import the same file a second time")
    ap.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()

    if not args.child:
        ensure_database(args.db)
        if not args.csv.exists() or args.csv.stat().st_size < args.rows * 40:
            t = time.perf_counter()
            generate_csv(args.csv, args.rows)
            print(f"generated {args.rows} rows in {time.perf_counter() - t:.1f} s")
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
    from shequ.people import importer, services

    call_command("migrate", interactive=False, verbosity=0)
    Area.objects.get_or_create(code="510104", defaults={"name": "锦江区", "level": Level.DISTRICT})
    for code in community_codes():
        Area.objects.get_or_create(code=code[:9], defaults={"name": code[:9], "level": Level.STREET})
        Area.objects.get_or_create(code=code, defaults={"name": code, "level": Level.COMMUNITY})
    with connection.cursor() as cur:
        cur.execute("TRUNCATE people_identityreveal, people_rightsrequest, people_membership, "
                    "people_resident, people_household RESTART IDENTITY CASCADE")

    runs = 2 if args.reimport else 1
    lines = []
    for run in range(runs):
        t = time.perf_counter()
        report = services.import_residents(actor=SYSTEM, rows=importer.read_file(args.csv),
                                           batch_size=args.batch_size)
        elapsed = time.perf_counter() - t
        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        label = "first import" if run == 0 else "re-import (same file, all updates)"
        line = (f"{label}: {report.rows} rows, {report.created} created, {report.updated} updated, "
                f"{len(report.errors)} errors, {elapsed:.1f} s ({report.rows / elapsed:,.0f} rows/s), "
                f"peak RSS {peak_mb:.0f} MB, batch {args.batch_size}")
        print(line)
        lines.append(line)
    with connection.cursor() as cur:
        cur.execute("SELECT count(*), count(DISTINCT household_id) FROM people_resident")
        n, hh = cur.fetchone()
    lines.append(f"rows in people_resident: {n}, households: {hh}")
    write_result("import", args.rows, lines)


def write_result(section: str, size: int, lines: list[str]) -> None:
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    stamp = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    block = [f"## {section} ({size:,} rows) — {stamp}, {os.cpu_count()} cores (shared)", *lines, ""]
    old = RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else "# people benchmarks\n\n"
    RESULTS.write_text(old + "\n".join(block) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
