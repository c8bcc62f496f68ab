"""Benchmark: import all of China's communities and villages (620k rows) into PostgreSQL.

Target (issue 2): under 60 s. Run: `.venv/bin/python bench/areas_import.py [SOURCE]`.
SOURCE defaults to ../shared/reference/divisions/2023. Writes bench/results/areas_import.txt.
"""

from __future__ import annotations

import sys
from pathlib import Path

from _common import fresh_database, peak_rss_mb, setup_django, timed, write_results

SOURCE = Path(sys.argv[1]) if len(sys.argv) > 1 else \
    Path(__file__).resolve().parent.parent.parent / "shared" / "reference" / "divisions" / "2023"


def main() -> None:
    setup_django(fresh_database("shequ_bench_areas"))
    from django.core.management import call_command

    call_command("migrate", "areas", verbosity=0)
    call_command("migrate", "audit", verbosity=0)
    from shequ.areas.importer import load, read_source
    from shequ.areas.models import Area
    from shequ.areas.services import import_divisions
    from shequ.authz import SYSTEM

    with timed() as t_read:
        rows = read_source(SOURCE)
    with timed() as t_total:
        counts = import_divisions(actor=SYSTEM, source=SOURCE)
    with timed() as t_again:
        again = import_divisions(actor=SYSTEM, source=SOURCE)
    del load
    n_villages = Area.objects.filter(level="community").count()
    write_results("areas_import", [
        f"source: {SOURCE}",
        f"rows: {len(rows)} ({n_villages} communities and villages)",
        f"read and check all files: {t_read[0]:.1f} s",
        f"first import (read, check, COPY, upsert, audit entry): {t_total[0]:.1f} s  "
        f"(target < 60 s) -> {counts}",
        f"re-import of the same files (all updates): {t_again[0]:.1f} s -> {again}",
        f"peak RSS of the process: {peak_rss_mb():.0f} MB",
    ])


if __name__ == "__main__":
    main()
