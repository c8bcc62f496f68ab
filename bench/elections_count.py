"""Benchmark: count a province's election day from entered station tallies.

34,000 communities and villages, 3–6 polling stations each (mobile boxes included),
four posts (chair, vice-chair, women's seat, members) with competitive lists, some
write-ins, some elections needing a supplementary round, a few invalid and void ones.
The station tallies are generated in the stored form (``StationTally.data``, JSON text,
as they come out of the database), then every election is decoded and counted with the
same engine the services use (``elections.tally.count_election``), in one process.

With ``--db`` the same day also goes through PostgreSQL (a fresh database
``bench_elections``): elections, posts, candidates, stations and confirmed station
tallies are bulk-inserted, then ``services.count_many`` (what ``shequ elections
count-all 51`` runs on election night) reads them, counts and writes every Result, the
election states and one audit entry per street batch.

Target (issue 6): under 60 s. Run: `.venv/bin/python bench/elections_count.py [N] [--db]`.
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

from _common import fresh_database, peak_rss_mb, setup_django, write_results  # noqa: E402

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


def community_code(i: int) -> str:
    """8 communities per street, 12 streets per county, 10 counties per city."""
    street, comm = divmod(i, 8)
    county, street = divmod(street, 12)
    city, county = divmod(county, 10)
    return f"51{city + 1:02d}{county + 1:02d}{street + 1:03d}{comm + 1:03d}"


def through_database(day: list[tuple[dict, list[str]]]) -> list[str]:
    from datetime import date

    from django.core.management import call_command

    from shequ.authz import SYSTEM
    from shequ.elections import rules, services
    from shequ.elections.models import (
        Candidate,
        Election,
        ElectionPost,
        Station,
        StationTally,
        Status,
        Voter,
    )
    from shequ.people.models import Resident

    call_command("migrate", verbosity=0)
    profile = rules.snapshot(rules.base("rcl-2025"))
    t0 = time.perf_counter()
    elections = Election.objects.bulk_create(
        [Election(area_code=community_code(i), name=f"选举{i}", profile=profile, status=Status.COUNTING,
                  voting_day=date(2026, 12, 1), registered=doc["registered"])
         for i, (doc, _rows) in enumerate(day)], batch_size=5000)
    posts = ElectionPost.objects.bulk_create(
        [ElectionPost(election=e, code=p["post"], label=p["label"], seats=p["seats"], order=k)
         for e, (doc, _rows) in zip(elections, day, strict=True) for k, p in enumerate(doc["posts"])],
        batch_size=5000)
    people, voters, cands = [], [], []
    post_iter = iter(posts)
    for e, (doc, _rows) in zip(elections, day, strict=True):
        for p in doc["posts"]:
            post = next(post_iter)
            for name in p["candidates"]:
                r = Resident(name=name, id_hash=f"bench-{name}", id_cipher="-", id_masked="-",
                             birth_date=date(1970, 1, 1), sex="F", area_code=e.area_code,
                             community_code=e.area_code)
                people.append(r)
                voters.append(Voter(election=e, area_code=e.area_code, resident=r, id_hash=r.id_hash,
                                    name=name, sex="F", basis="registered_resident", active=False))
                cands.append(Candidate(election=e, post=post, voter=voters[-1], name=name, sex="F",
                                       state="formal"))
    Resident.objects.bulk_create(people, batch_size=5000)
    Voter.objects.bulk_create(voters, batch_size=5000)
    Candidate.objects.bulk_create(cands, batch_size=5000)
    stations, datas = [], []
    for e, (_doc, rows) in zip(elections, day, strict=True):
        for row in rows:
            data = json.loads(row)
            stations.append(Station(election=e, name=data.pop("station"), kind="fixed"))
            datas.append(data)
    Station.objects.bulk_create(stations, batch_size=5000)
    StationTally.objects.bulk_create(
        [StationTally(election=st.election, station=st, round=1, data=data, method="matched")
         for st, data in zip(stations, datas, strict=True)], batch_size=5000)
    loaded = time.perf_counter() - t0
    t1 = time.perf_counter()
    outcomes = services.count_many(actor=SYSTEM, within="51")
    counted = time.perf_counter() - t1
    n = len(day)
    return [
        f"through PostgreSQL: {n:,} elections, {len(stations):,} confirmed station tallies, "
        f"{len(cands):,} candidates bulk-loaded in {loaded:.1f} s (set-up, not part of the count)",
        f"services.count_many(within='51') — read, count, write {n:,} results + states + audit: "
        f"{counted:.1f} s = {n / counted:,.0f} elections/s — target < 60 s: "
        f"{'met' if counted < 60 else 'NOT met'}",
        "  outcomes: " + ", ".join(f"{k} {v:,}" for k, v in sorted(outcomes.items())),
    ]


def main() -> None:
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    use_db = "--db" in sys.argv
    if use_db:
        setup_django(fresh_database("bench_elections"))
    else:
        import django

        django.setup()
    from shequ.elections.tally import count_election

    n = int(args[0]) if args else 34_000
    rng = random.Random(510000)
    t0 = time.perf_counter()
    day = [make_election(rng, i) for i in range(n)]
    generated = time.perf_counter() - t0
    stations = sum(len(rows) for _doc, rows in day)
    outcomes: Counter[str] = Counter()
    t1 = time.perf_counter()
    for doc, rows in day:
        counting = {**doc, "rounds": [{"stations": [json.loads(r) for r in rows]}]}
        outcomes[count_election(counting)["outcome"]] += 1
    counted = time.perf_counter() - t1
    db_lines = through_database(day) if use_db else [
        "through PostgreSQL: not run (add --db)"]
    write_results("elections", [
        f"elections counted: {n:,} (communities and villages), polling stations: {stations:,} "
        f"({stations / n:.1f} per election), 4 posts, 10 candidates each",
        f"tallies generated in {generated:.1f} s (not part of the count)",
        f"decode stored tallies + count (one process, pure engine): {counted:.1f} s "
        f"= {n / counted:,.0f} elections/s — target < 60 s: {'met' if counted < 60 else 'NOT met'}",
        "outcomes: " + ", ".join(f"{k} {v:,}" for k, v in sorted(outcomes.items())),
        *db_lines,
        f"peak RSS {peak_rss_mb():.0f} MB",
        "machine shared with three other engineers' test runs (2 cores); figures are wall-clock.",
    ])


if __name__ == "__main__":
    main()
