"""Benchmark: street assessment at province scale (issue 17).

Builds in postgres://…/shequ_bench_assessment (schema from the migrations, every product
index) a province of 20 cities, 200 districts, 4,000 streets and 34,000 communities, with
``--cases`` cases decided, overdue or issued over 2025 (SQL ``generate_series``) and, per
community, the other modules' rows the indicators read: a party organisation and a
residents' committee, a social worker, a posting, an election, a proposal, three
disclosures, an evaluation campaign, an organisation and a coverage-analysis row.

Then measures:

1. every registered indicator computed for all 34,000 communities over 2025 (one grouped
   query each, ``Indicator.compute(…, "community", …)``);
2. a snapshot of a scheme holding every indicator for the whole province: every indicator
   for every community, street, district and the province, scored, ranked and stored
   (``assessment.services.compute``) — the figure the issue's 60 s target is about;
3. the dashboard page at province level (200 districts ranked, charts, breakdown) read
   from that snapshot through the full Django stack, p50/p95 over ``--requests`` requests.

Writes bench/results/assessment.txt.

    .venv/bin/python bench/assessment.py [--cases 5000000] [--requests 60]
"""

from __future__ import annotations

import argparse
import statistics
import time
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from _common import fresh_database, peak_rss_mb, setup_django, write_results

SH = ZoneInfo("Asia/Shanghai")
CITIES, DISTRICTS, STREETS = 20, 10, 20  # per province, per city, per district
COMMUNITIES = 34_000

CASES = """
INSERT INTO services_case (number, street_code, year, seq, area_code, item_id, version_id,
  channel, applicant_name, phone_cipher, phone_last4, description, idempotency_scope,
  idempotency_key, state, submitted_at, accept_by, accepted_on, limit_days, statutory_days,
  extension_days, extension_reason, paused_workdays, due_on, statutory_due_on, decided_on,
  issue_due_on, issued_on, decision_reasons, workdays_used, missing, sla, updated_at)
SELECT 'B' || s.i, substr(s.area, 1, 9), 2025, s.i, s.area, %(item)s, %(version)s,
  'desk', '压测', '', '1234', '', '', '',
  s.state, (DATE '2025-01-01' + s.day)::timestamp AT TIME ZONE 'Asia/Shanghai',
  DATE '2025-01-01' + s.day + 5, DATE '2025-01-01' + s.day, 20, 20, 0, '', 0,
  DATE '2025-01-01' + s.day + 28, DATE '2025-01-01' + s.day + 28,
  CASE WHEN s.state = 'issued' THEN DATE '2025-01-01' + s.day + s.took END,
  CASE WHEN s.state = 'issued' THEN DATE '2025-01-01' + s.day + s.took + 10 END,
  CASE WHEN s.state = 'issued' THEN DATE '2025-01-01' + s.day + s.took + (s.i %% 13) END,
  '', CASE WHEN s.state = 'issued' THEN s.took * 5 / 7 END, '[]',
  CASE WHEN s.state = 'issued' AND s.took <= 28 THEN 'done_on_time'
       WHEN s.state = 'issued' THEN 'done_late' ELSE 'overdue' END, now()
FROM (
  SELECT g AS i, c.code AS area,
    ((g::bigint * 7919) %% 330)::int AS day,
    ((g::bigint * 104729) %% 34)::int AS took,
    CASE WHEN (g / %(communities)s) %% 100 < 95 THEN 'issued' ELSE 'in_review' END AS state
  FROM generate_series(%(lo)s, %(hi)s) AS g
  JOIN bench_community c ON c.n = g %% %(communities)s
) AS s
"""


def build_areas() -> list[str]:
    from shequ.areas.models import Area, Level

    rows = [Area(code="51", name="四川省", level=Level.PROVINCE)]
    communities: list[str] = []
    k = 0
    for ci in range(1, CITIES + 1):
        city = f"51{ci:02d}"
        rows.append(Area(code=city, name=f"市{ci}", level=Level.CITY, parent_id="51"))
        for di in range(1, DISTRICTS + 1):
            district = f"{city}{di:02d}"
            rows.append(Area(code=district, name=f"区{ci}-{di}", level=Level.DISTRICT,
                             parent_id=city))
            for si in range(1, STREETS + 1):
                street = f"{district}{si:03d}"
                rows.append(Area(code=street, name=f"街道{ci}-{di}-{si}", level=Level.STREET,
                                 parent_id=district))
                n = 9 if k < 2000 else 8
                k += 1
                for mi in range(1, n + 1):
                    code = f"{street}{mi:03d}"
                    communities.append(code)
                    rows.append(Area(code=code, name=f"社区{len(communities)}",
                                     level=Level.COMMUNITY, parent_id=street, kind="urban",
                                     population=3000 + len(communities) % 7000,
                                     households=1000 + len(communities) % 2000))
    Area.objects.bulk_create(rows, batch_size=5000)
    assert len(communities) == COMMUNITIES
    return communities


def build_cases(total: int, chunk: int) -> float:
    from django.db import connection

    from shequ.authz import SYSTEM
    from shequ.services import services

    version = services.publish_item(
        actor=SYSTEM, code="JJ-GF-001", area_code="51", name="居住证申领",
        legal_basis="《居住证暂行条例》第十条", handler_level="station",
        delegation_mode="entrusted", department="公共服务办公室",
        department_category="public_service", statutory_days=20, promised_days=20)
    t0 = time.perf_counter()
    with connection.cursor() as cur:
        cur.execute("CREATE TEMP TABLE bench_community AS SELECT row_number() OVER "
                    "(ORDER BY code) - 1 AS n, code FROM areas_area WHERE level = 'community'")
        cur.execute("CREATE INDEX ON bench_community (n)")
        for lo in range(0, total, chunk):
            hi = min(lo + chunk, total) - 1
            cur.execute(CASES, {"item": version.item_id, "version": version.pk, "lo": lo,
                                "hi": hi, "communities": COMMUNITIES})
            print(f"  {hi + 1:,} cases, {time.perf_counter() - t0:.0f} s", flush=True)
        cur.execute("VACUUM ANALYZE services_case")
    return time.perf_counter() - t0


def build_others(communities: list[str]) -> float:
    from shequ.access.models import Analysis, AreaCoverage, Network
    from shequ.autonomy.models import (
        Disclosure,
        EvaluationCampaign,
        EvaluationTarget,
        Proposal,
        ProposalEvent,
    )
    from shequ.elections.models import Election
    from shequ.orgs.models import Org
    from shequ.people.models import Body, Posting, Resident, StaffMember

    t0 = time.perf_counter()
    b = 5000
    Body.objects.bulk_create([Body(kind=k, name="组织", area_code=c, founded_on=date(2010, 1, 1))
                              for i, c in enumerate(communities)
                              for k in (("party", "residents_committee") if i % 50 else ("party",))],
                             batch_size=b)
    staff = StaffMember.objects.bulk_create(
        [StaffMember(code=f"S{i}", name="社工", kind="social_worker", area_code=c,
                     joined_on=date(2015 + i % 12, 1, 1)) for i, c in enumerate(communities)],
        batch_size=b)
    Posting.objects.bulk_create([Posting(staff=s, level="community", area_code=s.area_code,
                                         start_date=date(2016 + i % 10, 3, 1))
                                 for i, s in enumerate(staff)], batch_size=b)
    profile = {"rules": {"term_years": {"value": 5}}}
    Election.objects.bulk_create(
        [Election(area_code=c, name="换届选举", mode="all_voters" if i % 5 else
                  "group_representatives", profile=profile, status="announced",
                  voting_day=date(2024, 6, 1), outcome="complete",
                  announced_at=datetime(2024, 6, 2, 10, tzinfo=SH))
         for i, c in enumerate(communities)], batch_size=b)
    who = Resident.objects.create(name="居民", id_hash="x" * 64, id_masked="5101**********0000",
                                  birth_date=date(1980, 1, 1), sex="F", area_code=communities[0],
                                  community_code=communities[0])
    props = Proposal.objects.bulk_create(
        [Proposal(number=f"P{i}", community_code=c, area_code=c, title="提案", body="…",
                  via="representative", proposer=who, proposer_name="居民", state="implemented",
                  deadline=date(2025, 1 + i % 12, 20), profile_version="1")
         for i, c in enumerate(communities)], batch_size=b)
    ProposalEvent.objects.bulk_create([ProposalEvent(proposal=p, action="complete")
                                       for p in props], batch_size=b)
    Disclosure.objects.bulk_create(
        [Disclosure(community_code=c, area_code=c, category="finance",
                    period_start=date(2025, m, 1), period_end=date(2025, m, 28),
                    due_on=date(2025, m + 1, 10), street_code=c[:9], profile_version="1",
                    published_at=datetime(2025, m + 1, 8 + (i % 5), 10, tzinfo=SH), status="published")
         for i, c in enumerate(communities) for m in (1, 5, 9)], batch_size=b)
    camps = EvaluationCampaign.objects.bulk_create(
        [EvaluationCampaign(community_code=c, area_code=c, title="测评", year=2025,
                            opens_on=date(2025, 11, 1), closes_on=date(2025, 11, 30),
                            status="closed", profile_version="1") for c in communities],
        batch_size=b)
    EvaluationTarget.objects.bulk_create(
        [EvaluationTarget(campaign=camp, kind="member", name="主任", fit=20 + i % 10,
                          basically_fit=5, unfit=i % 4, ratings=25 + i % 10 + i % 4)
         for i, camp in enumerate(camps)], batch_size=b)
    Org.objects.bulk_create(
        [Org(name=f"社会组织{i}-{j}", track="filed", kind="culture_sport", area_code=c,
             street_code=c[:9], authority_code=c[:9], founded_on=date(2018 + j, 1, 1))
         for i, c in enumerate(communities) for j in range(3)], batch_size=b)
    net = Network.objects.create(area_code="51", version=1, source="generated", state="ready")
    analysis = Analysis.objects.create(area_code="51", network=net, state="done", speed=67,
                                       bands=[5, 10, 15], snap_distance=250, profile_version="1")
    AreaCoverage.objects.bulk_create(
        [AreaCoverage(analysis=analysis, area_code=c, level="community", name=c,
                      population=3000, within_3=1500 + i % 1500, communities=1,
                      with_facility=1 if i % 10 else 0, area_ok=1 if i % 7 else 0)
         for i, c in enumerate(communities)], batch_size=b)
    from django.db import connection
    with connection.cursor() as cur:
        cur.execute("ANALYZE")
    return time.perf_counter() - t0


def full_scheme() -> Any:
    """A scheme holding every registered indicator (equal weights summing to 100 %)."""
    from shequ.assessment.models import SchemeKind
    from shequ.assessment.services import schemes
    from shequ.authz import SYSTEM
    from shequ.core.indicators import INDICATORS

    codes = sorted(INDICATORS)
    base = (Decimal(100) / len(codes)).quantize(Decimal("0.01"))
    weights = [base] * len(codes)
    weights[-1] = Decimal(100) - base * (len(codes) - 1)
    items = []
    for code, w in zip(codes, weights, strict=True):
        ind = INDICATORS[code]
        target = Decimal("0.9") if ind.unit == "share" else Decimal(5)
        items.append({"indicator": code, "weight": w, "scoring": "pass_fail", "target": target})
    checked = schemes._validate([{"duty": "", "items": items}])
    from django.db import transaction
    with transaction.atomic():  # the province as the scheme's area (no public path does this)
        return schemes._store(SYSTEM, area_code="51", year=2025, kind=SchemeKind.DISTRICT,
                              name="全部指标（压测）", source="", rules_version="",
                              sections=checked)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=5_000_000)
    parser.add_argument("--chunk", type=int, default=500_000)
    parser.add_argument("--requests", type=int, default=60)
    args = parser.parse_args()
    setup_django(fresh_database("shequ_bench_assessment"))
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    t0 = time.perf_counter()
    communities = build_areas()
    areas_s = time.perf_counter() - t0
    print(f"areas: {areas_s:.0f} s", flush=True)
    cases_s = build_cases(args.cases, args.chunk)
    others_s = build_others(communities)
    print(f"others: {others_s:.0f} s", flush=True)

    from django.db import connection, reset_queries
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from shequ.assessment import services
    from shequ.authz import SYSTEM
    from shequ.core.indicators import INDICATORS

    start, end = date(2025, 1, 1), date(2025, 12, 31)
    lines = [f"province: {COMMUNITIES:,} communities, 4,000 streets, 200 districts; "
             f"{args.cases:,} cases in 2025 (loaded in {cases_s:.0f} s), other modules' rows "
             f"per community (loaded in {others_s:.0f} s); PostgreSQL, one process, 2 shared cores",
             "", "1. each indicator for every community, one call (rows returned, queries, seconds):"]
    total = 0.0
    for code in sorted(INDICATORS):
        with CaptureQueriesContext(connection) as q:
            t = time.perf_counter()
            found = INDICATORS[code].compute("51", "community", start, end)
            took = time.perf_counter() - t
        total += took
        lines.append(f"   {code:34s} {len(found):>6,} rows {len(q.captured_queries):>2} q "
                     f"{took:6.2f} s")
        print(lines[-1], flush=True)
    lines.append(f"   all {len(INDICATORS)} indicators: {total:.1f} s")

    scheme = full_scheme()
    t = time.perf_counter()
    snap = services.compute(actor=SYSTEM, area_code="51", year=2025, kind=scheme.kind,
                            today=date(2026, 1, 5))
    took = time.perf_counter() - t
    n = snap.scores.count()
    lines += ["", f"2. snapshot of a scheme with all {len(INDICATORS)} indicators for the whole "
                  f"province: {took:.1f} s ({n:,} areas scored, ranked and stored) "
                  f"[target < 60 s]"]
    print(lines[-1], flush=True)

    from shequ.accounts.tests.factories import make_user
    user = make_user("district_admin", "51", username="bench")
    client = Client()
    client.force_login(user)
    times = []
    for path in [f"/assessment/{snap.pk}/", f"/assessment/{snap.pk}/?area=510101",
                 f"/assessment/{snap.pk}/?area=510101001"]:
        client.get(path)
    for i in range(args.requests):
        path = f"/assessment/{snap.pk}/"
        reset_queries()
        t = time.perf_counter()
        r = client.get(path)
        times.append((time.perf_counter() - t) * 1000)
        assert r.status_code == 200, r.status_code
        if i == 0:
            with CaptureQueriesContext(connection) as q:
                client.get(path)
            queries = len(q.captured_queries)
    times.sort()
    p95 = times[int(len(times) * 0.95) - 1]
    lines += ["", f"3. dashboard at province level (200 districts ranked) from the snapshot, "
                  f"{args.requests} requests through Django: p50 {statistics.median(times):.0f} ms, "
                  f"p95 {p95:.0f} ms, max {times[-1]:.0f} ms, {queries} queries [target p95 < 200 ms]",
              f"peak RSS {peak_rss_mb():.0f} MB"]
    write_results("assessment", lines)


if __name__ == "__main__":
    main()
