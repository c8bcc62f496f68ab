"""Every module's indicators against figures computed by hand on the small tree
(ADR 0019, 1001): 春熙路街道 (督院街 8,000 residents, 盐市口 6,000) and 三圣街道 (幸福
5,000), the year 2025."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from shequ.core.indicators import INDICATORS, Value

SH = ZoneInfo("Asia/Shanghai")
START, END = date(2025, 1, 1), date(2025, 12, 31)
S1, S2, D = "510104022", "510104037", "510104"
C1, C2, C3 = "510104022009", "510104022011", "510104037001"


def compute(code: str, level: str, within: str = D) -> dict[str, Value]:
    return INDICATORS[code].compute(within, level, START, END)


def at(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 10, tzinfo=SH)


def test_every_module_registers_its_indicators() -> None:
    assert {c.split(".")[0] for c in INDICATORS} >= {"services", "autonomy", "elections", "people",
                                                      "orgs", "access"}
    assert len(INDICATORS) >= 16


# ---------------------------------------------------------------- services

@pytest.mark.django_db
def test_services_on_time_rate(cases: None, django_assert_num_queries: Any) -> None:
    with django_assert_num_queries(1):
        streets = compute("services.on_time_rate", "street")
    assert streets == {S1: Value(2, 3)}
    assert compute("services.on_time_rate", "community") == {C1: Value(1, 2), C2: Value(1, 1)}
    assert compute("services.on_time_rate", "district")[D].value == Decimal(2) / Decimal(3)


@pytest.mark.django_db
def test_services_overdue_working_days_and_late_issue(cases: None) -> None:
    assert compute("services.overdue", "street") == {S2: Value(2)}
    days = compute("services.working_days", "street")
    assert days == {S1: Value(21, 3)} and days[S1].value == 7
    assert compute("services.working_days", "community")[C1] == Value(17, 2)
    assert compute("services.issued_late", "street") == {S1: Value(1)}


# ---------------------------------------------------------------- people

@pytest.mark.django_db
def test_people_party_and_committee_coverage(people_data: None, django_assert_max_num_queries: Any
                                             ) -> None:
    with django_assert_max_num_queries(2):
        party = compute("people.party_coverage", "street")
    assert party == {S1: Value(1, 2), S2: Value(1, 1)}
    assert compute("people.party_coverage", "district") == {D: Value(2, 3)}
    assert compute("people.committee_coverage", "street") == {S1: Value(2, 2), S2: Value(0, 1)}


@pytest.mark.django_db
def test_people_social_workers_per_10k_and_rotations(people_data: None) -> None:
    workers = compute("people.social_workers", "street")
    assert workers == {S1: Value(20000, 14000), S2: Value(0, 5000)}
    assert workers[S1].value.quantize(Decimal("0.01")) == Decimal("1.43")
    assert compute("people.social_workers", "community")[C1] == Value(10000, 8000)
    assert compute("people.rotations_overdue", "street") == {S1: Value(1)}


# ---------------------------------------------------------------- elections

@pytest.mark.django_db
def test_elections_direct_coverage(tree: Any, django_assert_max_num_queries: Any) -> None:
    from shequ.elections.models import Election

    profile = {"rules": {"term_years": {"value": 5}}}
    for code, mode, announced in ((C1, "all_voters", date(2024, 6, 1)),
                                  (C2, "group_representatives", date(2024, 6, 1)),
                                  (C3, "household", date(2019, 1, 1))):
        Election.objects.create(area_code=code, name="换届选举", mode=mode, profile=profile,
                                status="announced", voting_day=announced, outcome="complete",
                                announced_at=at(announced))
    with django_assert_max_num_queries(2):
        found = compute("elections.direct_coverage", "street")
    assert found == {S1: Value(1, 2), S2: Value(0, 1)}
    assert compute("elections.direct_coverage", "district") == {D: Value(1, 3)}


# ---------------------------------------------------------------- autonomy

@pytest.mark.django_db
def test_autonomy_proposals_disclosures_and_satisfaction(tree: Any) -> None:
    from shequ.autonomy.models import (
        Disclosure,
        EvaluationCampaign,
        EvaluationTarget,
        Proposal,
        ProposalEvent,
    )
    from shequ.people.tests.factories import make_resident

    who = make_resident(C1)
    for n, code, deadline, done in ((1, C1, date(2025, 6, 30), date(2025, 6, 20)),
                                    (2, C1, date(2025, 7, 31), date(2025, 8, 5)),
                                    (3, C3, date(2025, 9, 30), None),
                                    (4, C3, date(2026, 3, 1), None)):
        p = Proposal.objects.create(number=f"P{n}", community_code=code, area_code=code,
                                    title="加装电梯", body="…", via="representative", proposer=who,
                                    proposer_name="居民", state="in_progress", deadline=deadline,
                                    profile_version="1")
        ProposalEvent.objects.create(proposal=p, action="assign")
        if done:
            ev = ProposalEvent.objects.create(proposal=p, action="complete")
            ProposalEvent.objects.filter(pk=ev.pk).update(at=at(done))
    assert compute("autonomy.proposals_in_time", "street") == {S1: Value(1, 2), S2: Value(0, 1)}

    for code, cat, due, published in ((C1, "finance", date(2025, 2, 10), date(2025, 2, 8)),
                                      (C2, "finance", date(2025, 3, 10), date(2025, 3, 15)),
                                      (C2, "affairs", date(2025, 4, 10), None)):
        Disclosure.objects.create(community_code=code, area_code=code, category=cat,
                                  period_start=date(2025, 1, 1), period_end=date(2025, 1, 31),
                                  due_on=due, street_code=code[:9], profile_version="1",
                                  published_at=at(published) if published else None)
    assert compute("autonomy.disclosures_on_time", "street") == {S1: Value(1, 3)}

    for code, closes, fit, basic, unfit in ((C1, date(2025, 12, 20), 30, 10, 10),
                                            (C3, date(2025, 11, 1), 5, 0, 5)):
        camp = EvaluationCampaign.objects.create(community_code=code, area_code=code, title="测评",
                                                 year=2025, opens_on=date(2025, 10, 1),
                                                 closes_on=closes, status="closed",
                                                 profile_version="1")
        EvaluationTarget.objects.create(campaign=camp, kind="member", name="主任", fit=fit,
                                        basically_fit=basic, unfit=unfit,
                                        ratings=fit + basic + unfit)
    assert compute("autonomy.satisfaction", "street") == {S1: Value(40, 50), S2: Value(5, 10)}
    assert compute("autonomy.satisfaction", "district")[D].value == Decimal(45) / Decimal(60)


# ---------------------------------------------------------------- orgs

@pytest.mark.django_db
def test_orgs_per_10k(tree: Any) -> None:
    from shequ.orgs.models import Org

    for n, code, founded, ended in ((1, C1, date(2020, 1, 1), None),
                                    (2, C1, date(2020, 1, 1), date(2025, 5, 1)),
                                    (3, C2, date(2026, 2, 1), None),
                                    (4, C3, date(2021, 1, 1), None)):
        Org.objects.create(name=f"书画队{n}", track="filed", kind="culture_sport", area_code=code,
                           street_code=code[:9], authority_code=code[:9], founded_on=founded,
                           ended_on=ended)
    found = compute("orgs.per_10k", "street")
    assert found == {S1: Value(10000, 14000), S2: Value(10000, 5000)}
    assert found[S2].value == 2


# ---------------------------------------------------------------- access

@pytest.mark.django_db
def test_access_circle_facilities_and_floor_area(tree: Any) -> None:
    from shequ.access.models import Analysis, AreaCoverage, Network

    net = Network.objects.create(area_code=D, version=1, source="generated", state="ready")

    def analysis(rows: list[tuple[str, int, int, int, int]]) -> None:
        a = Analysis.objects.create(area_code=D, network=net, state="done", speed=67,
                                    bands=[5, 10, 15], snap_distance=250, profile_version="1")
        for code, pop, within, facility, ok in rows:
            AreaCoverage.objects.create(analysis=a, area_code=code, level="community", name=code,
                                        population=pop, within_3=within, communities=1,
                                        with_facility=facility, area_ok=ok)

    analysis([(C1, 8000, 100, 0, 0)])  # older: replaced by the next one
    analysis([(C1, 8000, 6000, 1, 1), (C2, 6000, 3000, 1, 0), (C3, 5000, 5000, 0, 0)])
    assert compute("access.circle_coverage", "street") == {S1: Value(9000, 14000),
                                                          S2: Value(5000, 5000)}
    assert compute("access.facility_coverage", "street") == {S1: Value(2, 2), S2: Value(0, 1)}
    assert compute("access.floor_area", "district") == {D: Value(1, 3)}
