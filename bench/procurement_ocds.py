"""Benchmark: export 100,000 purchase projects as an OCDS 1.1 release package, streaming
(target: under 60 s, memory bounded).

A fresh PostgreSQL database (shequ_procurement_bench, schema from the migrations) gets
2,000 registered organisations, the 2011 catalogue, 21 buyers with budget lines per year,
and 100,000 projects spread over 2011–2026, bulk-inserted in their final states like the
demo's archive (ADR 0907): 3 bids and 3 criteria each; 95 % awarded and contracted with
two milestones, payments and (for most) a performance evaluation; the rest cancelled or
still open. Then the real command, ``shequ ocds export``, runs in a child process writing
to a file; its wall time and peak resident memory are measured, for one year and for all
years (bounded memory: the peak must not grow with the number of projects). A sample of
the output is validated against the official schema.
Writes bench/results/procurement.txt.

    .venv/bin/python bench/procurement_ocds.py [--projects 100000]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from _common import ROOT, fresh_database, setup_django, write_results

DB = "shequ_procurement_bench"
SIGNED = ("completed", "contracted")


def build(n: int, rng: random.Random) -> float:
    from django.core.management import call_command
    from django.db import transaction

    from shequ.orgs.models import Org
    from shequ.procurement.demo import CATALOGUE, DEPARTMENTS
    from shequ.procurement.models import (
        Bid,
        BudgetLine,
        Buyer,
        Catalogue,
        CatalogueCategory,
        CatalogueItem,
        Contract,
        Criterion,
        Milestone,
        Payment,
        Performance,
        Project,
    )

    call_command("migrate", verbosity=0)
    t0 = time.perf_counter()
    with transaction.atomic():
        orgs = Org.objects.bulk_create([
            Org(name=f"锦江区社会组织{i:05d}", track="registered",
                kind="association" if i % 2 else "pne", credit_code=f"5{i:017d}",
                area_code="510104022009", street_code="510104022", authority_code="510104",
                person_in_charge="负责人", founded_on=date(2008, 1, 1)) for i in range(2000)],
            batch_size=2000)
        cat = Catalogue.objects.create(version="2011", title="指导性目录",
                                       published_on=date(2011, 1, 10))
        items = []
        for code, name, its in CATALOGUE:
            c = CatalogueCategory.objects.create(catalogue=cat, code=code, name=name)
            items += CatalogueItem.objects.bulk_create(
                CatalogueItem(category=c, code=i, name=nm) for i, nm in its)
        buyers = [Buyer.objects.create(name=d, kind="department", area_code="510104")
                  for d in DEPARTMENTS]
        buyers += [Buyer.objects.create(name=f"街道{i:02d}办事处", kind="street",
                                        area_code=f"510104{i:03d}") for i in range(1, 17)]
        years = list(range(2011, 2027))
        lines = {(b.pk, y): BudgetLine(buyer=b, year=y, title="政府购买社会组织服务",
                                       amount_fen=10**12, area_code=b.area_code)
                 for b in buyers for y in years}
        BudgetLine.objects.bulk_create(lines.values())
        org_ids = [o.pk for o in orgs]
        batch = 5000
        for start in range(0, n, batch):
            projects, plans = [], []
            for k in range(start, min(n, start + batch)):
                year = years[k * len(years) // n]
                buyer = buyers[k % len(buyers)]
                created = date(year, 1, 5) + timedelta(days=k % 200)
                budget = rng.randint(100, 3000) * 100_000
                state = rng.choices(["completed", "contracted", "cancelled", "tendering"],
                                    [70, 25, 3, 2])[0]
                deadline = created + timedelta(days=24)
                projects.append(Project(
                    number=f"JJ{year}-{k:06d}", title=f"购买服务项目{k}", buyer=buyer,
                    budget_line=lines[(buyer.pk, year)], item=items[k % len(items)],
                    area_code=buyer.area_code, year=year, method="open", budget_fen=budget,
                    created_on=created, published_on=created + timedelta(days=2),
                    bid_deadline=deadline,
                    closed_on=None if state == "tendering" else deadline + timedelta(days=1),
                    awarded_on=deadline + timedelta(days=3) if state in SIGNED else None,
                    standstill_until=deadline + timedelta(days=14) if state in SIGNED else None,
                    cancelled_on=deadline + timedelta(days=1) if state == "cancelled" else None,
                    cancel_reason="too_few" if state == "cancelled" else "", state=state))
                plans.append(state)
            Project.objects.bulk_create(projects, batch_size=batch)
            crits, bids = [], []
            for p in projects:
                crits += [Criterion(project=p, seq=i, name=nm, weight=w)
                          for i, (nm, w) in enumerate((("服务方案", 50), ("团队", 30), ("报价", 20)), 1)]
                for r, org_id in enumerate(rng.sample(org_ids, 3), 1):
                    won = p.state in ("completed", "contracted") and r == 1
                    bids.append(Bid(project=p, org_id=org_id, area_code=p.area_code,
                                    price_fen=p.budget_fen * (98 - r) // 100,
                                    submitted_on=p.bid_deadline - timedelta(days=r),
                                    state="won" if won else (
                                        "submitted" if p.state == "tendering" else "lost"),
                                    rank=r, score=90 - 5 * r))
            Criterion.objects.bulk_create(crits, batch_size=batch)
            Bid.objects.bulk_create(bids, batch_size=batch)
            contracts = []
            for p, first in zip(projects, bids[::3], strict=True):
                if p.state in ("completed", "contracted"):
                    signed = p.standstill_until + timedelta(days=3)
                    contracts.append(Contract(
                        project=p, org_id=first.org_id, bid=first, area_code=p.area_code,
                        value_fen=first.price_fen, original_value_fen=first.price_fen,
                        paid_fen=first.price_fen if p.state == "completed" else first.price_fen // 2,
                        signed_on=signed, starts_on=signed + timedelta(days=5),
                        ends_on=signed + timedelta(days=364),
                        state="completed" if p.state == "completed" else "active",
                        ended_on=signed + timedelta(days=364) if p.state == "completed" else None))
            Contract.objects.bulk_create(contracts, batch_size=batch)
            ms, pays, perfs = [], [], []
            for c in contracts:
                half = c.value_fen // 2
                done = c.state == "completed"
                m1 = Milestone(contract=c, seq=1, title="中期", deliverable="中期报告",
                               due_on=c.starts_on + timedelta(days=180), amount_fen=half,
                               state="accepted", delivered_on=c.starts_on + timedelta(days=180),
                               accepted_on=c.starts_on + timedelta(days=185),
                               area_code=c.area_code)
                m2 = Milestone(contract=c, seq=2, title="结项", deliverable="结项报告",
                               due_on=c.ends_on, amount_fen=c.value_fen - half,
                               state="accepted" if done else "pending",
                               delivered_on=c.ends_on if done else None,
                               accepted_on=c.ends_on if done else None, area_code=c.area_code)
                ms += [m1, m2]
            Milestone.objects.bulk_create(ms, batch_size=batch)
            for m in ms:
                if m.state == "accepted":
                    pays.append(Payment(contract=m.contract, milestone=m, amount_fen=m.amount_fen,
                                        paid_on=m.accepted_on + timedelta(days=5),
                                        area_code=m.area_code))
            Payment.objects.bulk_create(pays, batch_size=batch)
            for c in contracts:
                if c.state == "completed":
                    perfs.append(Performance(contract=c, evaluated_by="third_party",
                                             evaluator_name="第三方评估机构",
                                             score=rng.randint(60, 98),
                                             on=c.ends_on + timedelta(days=30),
                                             area_code=c.area_code))
            Performance.objects.bulk_create(perfs, batch_size=batch)
    return time.perf_counter() - t0


CPU: list[float] = []


def export(url: str, keep: Path | None, *args: str) -> tuple[float, float, int, bytes]:
    """Run ``shequ ocds export`` in a child process reading its output through a pipe (a
    consumer of the stream); returns wall seconds, the child's own peak RSS (MB, from
    ``wait4``), the bytes written and their last bytes. The child's CPU seconds (user +
    system) go to ``CPU``: on a shared machine the wall time includes waiting for a core.
    ``keep``: also save the output there (the small export, validated afterwards)."""
    env = {**os.environ, "DATABASE_URL": url, "PYTHONPATH": str(ROOT / "src")}
    t0 = time.perf_counter()
    child = subprocess.Popen([sys.executable, "-m", "shequ.cli", "ocds", "export", *args],
                             stdout=subprocess.PIPE, env=env)
    assert child.stdout is not None
    size, tail = 0, b""
    sink = keep.open("wb") if keep else None
    while block := child.stdout.read(1 << 20):
        size += len(block)
        tail = (tail + block)[-16:]
        if sink:
            sink.write(block)
    if sink:
        sink.close()
    _pid, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    assert child.returncode == 0, child.returncode
    wall = time.perf_counter() - t0
    CPU.append(usage.ru_utime + usage.ru_stime)
    return wall, usage.ru_maxrss / 1024, size, tail


def sample_check(path: Path, limit: int = 2000) -> int:
    """Validate a package against the package schema (releases by reference) and its first
    ``limit`` releases completely."""
    sys.path.insert(0, str(ROOT / "src"))
    from shequ.procurement.tests import ocdsschema as schema

    package = json.loads(path.read_text(encoding="utf-8"))
    sample = package["releases"][:limit]
    head = {**package, "releases": sample}
    assert schema.errors(schema.validator("release-package-schema.json"), head) == []
    v = schema.validator("release-schema.json")
    for release in sample:
        assert schema.errors(v, release) == [], release["id"]
    return len(sample)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--projects", type=int, default=100_000)
    parser.add_argument("--reuse", action="store_true",
                        help="keep the database a previous run built (export only)")
    args = parser.parse_args()
    if args.reuse:
        url = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432") + f"/{DB}"
        setup_django(url)
        built = float("nan")
    else:
        url = fresh_database(DB)
        setup_django(url)
        built = build(args.projects, random.Random(15))
    from shequ.procurement.models import Contract, Payment, Project

    counts = (Project.objects.count(), Contract.objects.count(), Payment.objects.count())
    load = os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as tmp:
        small = Path(tmp) / "small.json"
        # the big export first: a child's peak RSS counts the parent's pages it was forked
        # from, and validating the sample below grows the parent
        w_all, m_all, b_all, tail = export(url, None)
        tail_ok = tail.endswith(b"]}\n")
        w1, m1, b1, _t = export(url, small, "--year", "2011")
        validated = sample_check(small)
        CPU.reverse()
    write_results("procurement", [
        "command: .venv/bin/python bench/procurement_ocds.py "
        f"--projects {args.projects}" + (" --reuse" if args.reuse else ""),
        f"built (bulk insert): {counts[0]:,} projects, {counts[1]:,} contracts, "
        f"{counts[2]:,} payments" + (" (database built by an earlier run; --reuse)"
                                       if built != built else f" in {built:.1f} s"),
        f"load average before the exports: {load:.1f} on {os.cpu_count()} cores",
        f"export --year 2011 (one year, {counts[0] // 16:,} projects): {w1:.1f} s wall, "
        f"{CPU[0]:.1f} s CPU, "
        f"peak RSS {m1:.0f} MB, {b1 / 1e6:.1f} MB written; the first {validated:,} releases "
        "valid against the OCDS 1.1.5 release-package and release schemas",
        f"export (all {counts[0]:,} projects): {w_all:.1f} s wall, {CPU[1]:.1f} s CPU, "
        f"peak RSS {m_all:.0f} MB, "
        f"{b_all / 1e6:.0f} MB streamed through a pipe (package closed: {tail_ok})",
        f"target: under 60 s — wall {'met' if w_all < 60 else 'NOT met'}, CPU "
        f"{'met' if CPU[1] < 60 else 'NOT met'}; memory bounded: "
        f"peak for all years / one year = {m_all / max(m1, 1):.2f}",
    ])


if __name__ == "__main__":
    main()
