"""Snapshots: every indicator for every area, scored and ranked against hand-computed
values; a period not closed is refused; a correction is a new version with a reason and
the earlier version stays as it was (ADR 1002)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from shequ.assessment import services
from shequ.assessment.models import Score, Snapshot
from shequ.assessment.tests.conftest import make_case
from shequ.assessment.tests.test_schemes import spec
from shequ.audit.models import AuditEntry
from shequ.authz import SYSTEM
from shequ.core.errors import BusinessError, Conflict

D, S1, S2 = "510104", "510104022", "510104037"
C1, C2, C3 = "510104022009", "510104022011", "510104037001"
JAN = date(2026, 1, 5)


@pytest.fixture
def scheme(tree: Any) -> Any:
    return services.save_scheme(actor=SYSTEM, area_code=D, year=2025, name="", sections=spec())


@pytest.mark.django_db
def test_a_snapshot_scores_and_ranks_every_area(scheme: Any, cases: None, people_data: None) -> None:
    snap = services.compute(actor=SYSTEM, area_code=D, year=2025, today=JAN)
    rows = {r.area_code: r for r in Score.objects.filter(snapshot=snap)}
    assert set(rows) == {D, S1, S2, C1, C2, C3}
    assert (rows[S1].total, rows[S1].rank) == (Decimal("16.00"), 2)
    assert (rows[S2].total, rows[S2].rank) == (Decimal("50.00"), 1)
    assert rows[D].total == Decimal("16.00") and rows[D].parent_code == ""
    assert (rows[C1].total, rows[C1].rank, rows[C1].parent_code) == (Decimal("33.00"), 2, S1)
    assert (rows[C2].total, rows[C2].rank) == (Decimal("60.00"), 1)
    assert rows[S1].values["services.on_time_rate"] == ["2", "3"]
    assert rows[S1].points["services.working_days"] == "16.00"
    assert rows[S2].values["services.on_time_rate"] == [None, None]
    assert rows[S1].sections == {"public_service": "16.00", "party_building": "0",
                                 "community_building": "0"}
    assert rows[S2].passed == 1
    assert snap.inputs["scheme"]["version"] == 1
    assert snap.inputs["indicators"]["services.on_time_rate"]["module"] == "services"
    assert AuditEntry.objects.filter(action="assessment.snapshot.compute").exists()


@pytest.mark.django_db
def test_a_period_not_closed_is_refused(scheme: Any) -> None:
    with pytest.raises(BusinessError) as err:
        services.compute(actor=SYSTEM, area_code=D, year=2025, today=date(2025, 12, 31))
    assert str(err.value.message) == ("考核期 2025-01-01 至 2025-12-31 尚未结束，期满次日起方可计算"
                                      "（规则：考核只对已结束的考核期计算）。")
    assert err.value.code == "period_not_closed"
    assert not Snapshot.objects.exists()


@pytest.mark.django_db
def test_a_correction_is_a_new_version_and_the_old_one_stays(scheme: Any, cases: None) -> None:
    first = services.compute(actor=SYSTEM, area_code=D, year=2025, today=JAN)
    with pytest.raises(Conflict):
        services.compute(actor=SYSTEM, area_code=D, year=2025, today=JAN)
    with pytest.raises(BusinessError) as err:
        services.correct(actor=SYSTEM, snapshot_id=first.pk, reason=" ", today=JAN)
    assert str(err.value.message) == "更正须写明理由。"
    make_case(20, C2, accepted=date(2025, 6, 1), due=date(2025, 6, 20), decided=date(2025, 6, 10),
          used=3)  # a case entered late
    second = services.correct(actor=SYSTEM, snapshot_id=first.pk, reason="补录 6 月办件",
                              today=JAN)
    assert (second.version, second.supersedes_id, second.reason) == (2, first.pk, "补录 6 月办件")
    old = Score.objects.get(snapshot=first, area_code=S1)
    new = Score.objects.get(snapshot=second, area_code=S1)
    assert old.values["services.on_time_rate"] == ["2", "3"]
    assert new.values["services.on_time_rate"] == ["3", "4"]
    with pytest.raises(RuntimeError):
        old.save()
    with pytest.raises(RuntimeError):
        first.delete()
    entry = AuditEntry.objects.get(action="assessment.snapshot.correct")
    assert entry.changes["reason"] == "补录 6 月办件"


@pytest.mark.django_db
def test_the_periodic_job_computes_ended_years_once(scheme: Any) -> None:
    assert len(services.compute_due(actor=SYSTEM, today=JAN)) == 1
    assert services.compute_due(actor=SYSTEM, today=JAN) == []


@pytest.mark.django_db
def test_figures_on_paper_are_entered_with_who_and_when(tree: Any, make_user: Any) -> None:
    officer = make_user("street_officer", S1, username="jiedao")
    services.enter_figure(actor=officer, indicator="assessment.safety_inspections", area_code=S1,
                          start=date(2025, 1, 1), end=date(2025, 12, 31), value="12",
                          note="安全检查台账 2025")
    row = services.enter_figure(actor=officer, indicator="assessment.safety_inspections",
                                area_code=S1, start=date(2025, 1, 1), end=date(2025, 12, 31),
                                value="14", note="补登")
    assert row.entered_by_name == "jiedao"
    from shequ.core.indicators import INDICATORS, Value
    got = INDICATORS["assessment.safety_inspections"].compute(D, "street", date(2025, 1, 1),
                                                              date(2025, 12, 31))
    assert got == {S1: Value(Decimal(14))}
    with pytest.raises(BusinessError) as err:
        services.enter_figure(actor=officer, indicator="services.on_time_rate", area_code=S1,
                              start=date(2025, 1, 1), end=date(2025, 12, 31), value="1")
    assert str(err.value.message) == ("按时办结的办件由系统根据已有数据计算；"
                                      "只有仅存在于纸面的数字才手工录入。")
    assert AuditEntry.objects.filter(action="assessment.figure.enter").count() == 2


@pytest.mark.django_db
def test_an_indicator_whose_module_is_gone_stops_the_computation(scheme: Any, monkeypatch: Any
                                                                 ) -> None:
    from django.apps import apps

    from shequ.core import indicators

    gone = {k: v for k, v in indicators.INDICATORS.items() if not k.startswith("elections.")}
    monkeypatch.setattr(indicators, "INDICATORS", gone)
    monkeypatch.setattr("shequ.assessment.services.schemes.INDICATORS", gone)
    real = apps.is_installed
    monkeypatch.setattr(apps, "is_installed", lambda name: name != "shequ.elections" and real(name))
    with pytest.raises(BusinessError) as err:
        services.compute(actor=SYSTEM, area_code=D, year=2025, today=JAN)
    assert err.value.code == "indicator_module_not_installed"
    assert "模块 elections" in str(err.value.message)
    assert not Snapshot.objects.exists() and not Score.objects.exists()
