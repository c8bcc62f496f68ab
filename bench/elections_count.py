"""Benchmark: count a province's election day from entered station tallies.

34,000 communities and villages, 3–6 polling stations each (mobile boxes included),
four posts (chair, vice-chair, women's seat, members) with competitive lists, some
write-ins, some elections needing a supplementary round, a few invalid and void ones.
The station tallies are generated in the stored form (``StationTally.data``, JSON text,
as they come out of the database), then every election is decoded and counted with the
same engine the services use (``elections.tally.count_election``), in one process.

Target (issue 6): under 60 s. Run: `.venv/bin/python bench/elections_count.py [N]`.
Writes bench/results/elections.txt.
"""

from __future__ import annotations

import json
import os
import random
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shequ.settings")

from _common import peak_rss_mb, write_results  # noqa: E402

POSTS = [("chair", "主任", 1, 2), ("vice_chair", "副主任", 1, 2), ("women_member", "妇女委员", 1, 2),
         ("member", "委员", 3, 4)]


def make_election(rng: random.Random, n: int) -> tuple[dict, list[str]]:
    registered = rng.randint(800, 6000)
    posts = [{"post": code, "label": label, "seats": seats,
              "candidates": [f"候选人{n}-{code}-{i}" for i in range(cands)]}
             for code, label, seats, cands in POSTS]
    stations = rng.randint(3, 6)
    turnout = rng.uniform(0.45, 0.95)
    weak = rng.random() < 0.15
    voters = [registered // stations] * stations
    rows = []
    for s in range(stations):
        issued = int(voters[s] * turnout)
        returned = issued + (1 if rng.random() < 0.002 else 0)
        tally = {}
        for p in posts:
            invalid = rng.randint(0, max(1, returned // 100))
            valid = returned - invalid
            room = valid * p["seats"]
            votes = {}
            for i, name in enumerate(p["candidates"]):
                strong = i < p["seats"] and not (weak and p["post"] == "member" and i == 2)
                got = min(int(valid * (rng.uniform(0.55, 0.8) if strong else rng.uniform(0.1, 0.4))),
                          room, valid)
                votes[name] = got
                room -= got
            write_ins = {f"另选{rng.randint(1, 50)}": 1} if room and rng.random() < 0.3 else {}
            tally[p["post"]] = {"invalid": invalid, "votes": votes, "write_ins": write_ins}
        data = {"issued": issued, "returned": returned, "posts": tally}
        rows.append(json.dumps({"station": f"第{s + 1}投票站", **data}, ensure_ascii=False))
    doc = {"profile": "rcl-2025", "registered": registered, "posts": posts}
    return doc, rows


def main() -> None:
    import django

    django.setup()
    from shequ.elections.tally import count_election

    n = int(sys.argv[1]) if len(sys.argv) > 1 else 34_000
    rng = random.Random(510000)
    t0 = time.perf_counter()
    day = [make_election(rng, i) for i in range(n)]
    generated = time.perf_counter() - t0
    stations = sum(len(rows) for _doc, rows in day)
    outcomes: Counter[str] = Counter()
    t1 = time.perf_counter()
    for doc, rows in day:
        doc["rounds"] = [{"stations": [json.loads(r) for r in rows]}]
        outcomes[count_election(doc)["outcome"]] += 1
    counted = time.perf_counter() - t1
    write_results("elections", [
        f"elections counted: {n:,} (communities and villages), polling stations: {stations:,} "
        f"({stations / n:.1f} per election), 4 posts, 9 candidates each",
        f"tallies generated in {generated:.1f} s (not part of the count)",
        f"decode stored tallies + count (one process, pure engine): {counted:.1f} s "
        f"= {n / counted:,.0f} elections/s — target < 60 s: {'met' if counted < 60 else 'NOT met'}",
        "outcomes: " + ", ".join(f"{k} {v:,}" for k, v in sorted(outcomes.items())),
        f"peak RSS {peak_rss_mb():.0f} MB",
        "machine shared with three other engineers' test runs (2 cores); figures are wall-clock.",
        "Not measured: loading the tallies from PostgreSQL (one query per street batch) — the",
        "count reads StationTally.data exactly as decoded here.",
    ])


if __name__ == "__main__":
    main()
