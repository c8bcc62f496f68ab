"""Benchmark: computing deadlines for 1,000,000 cases (target < 5 s).

Each case: an acceptance day between 2023 and 2026 and a limit of 3–30 working days
(some with the 10-day extension), computed with the one working-day calendar
(``shequ.services.sla.deadlines`` -> ``WorkdayCalendar.add``). The calendar snapshot is
built once, as the sweep job does. Writes the "deadlines" section of
bench/results/services.txt.

    .venv/bin/python bench/services_deadlines.py [--cases 1000000]
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from datetime import date, timedelta

from _common import ROOT
from services_results import write_section


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=1_000_000)
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT / "src"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shequ.settings")
    import django

    django.setup()
    from shequ.core.calendar import WorkdayCalendar
    from shequ.services import sla

    t0 = time.perf_counter()
    cal = WorkdayCalendar.build()
    build = time.perf_counter() - t0
    rng = random.Random(1)
    first = date(2023, 1, 1)
    rows = [(first + timedelta(days=rng.randint(0, 3 * 365 + 300)),
             rng.choice((3, 5, 7, 10, 15, 20, 30))) for _ in range(args.cases)]
    best = float("inf")
    for _ in range(3):
        t0 = time.perf_counter()
        out = list(sla.deadlines(cal, rows))
        best = min(best, time.perf_counter() - t0)
    assert len(out) == args.cases
    assert cal.add(date(2025, 9, 30), 20) == date(2025, 11, 4)
    write_section("deadlines", [
        f"{args.cases:,} deadlines (accepted 2023-01-01…2026-10, 3–30 working days) with "
        f"sla.deadlines over one calendar snapshot: best of 3 runs {best:.2f} s "
        f"({best / args.cases * 1e6:.2f} µs per case; target < 5 s). Building the calendar "
        f"snapshot (2004–2026) took {build:.2f} s once."])


if __name__ == "__main__":
    main()
