"""The demo assesses Jinjiang's 11 streets for the last full year with the figures the
other modules' demo data give (slow: loads every module's demo)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.utils import timezone

from shequ.assessment.models import Score, Snapshot

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


def test_demo_assesses_jinjiangs_streets_for_the_last_full_year() -> None:
    from shequ.web.management.commands.demo import demo_loaders

    for load in demo_loaders():
        load()
    year = timezone.localdate().year - 1
    snap = Snapshot.objects.get(area_code="510104")
    assert (snap.start, snap.end, snap.version) == (date(year, 1, 1), date(year, 12, 31), 1)
    streets = list(Score.objects.filter(snapshot=snap, level="street").order_by("rank"))
    assert len(streets) == 11
    assert all(s.total is not None and Decimal(0) <= s.total <= Decimal(100) for s in streets)
    assert sorted(s.rank for s in streets)[0] == 1
    on_time = [s.values["services.on_time_rate"] for s in streets]
    assert sum(int(v[1] or 0) for v in on_time) > 0  # the services demo decided cases
    coverage = [s.values["people.party_coverage"] for s in streets]
    assert sum(int(v[1]) for v in coverage) == Score.objects.filter(
        snapshot=snap, level="community").count()  # every current community counted once
    province = Snapshot.objects.get(area_code="51")
    assert Score.objects.filter(snapshot=province, area_code="510104").exists()
    for load in demo_loaders():  # idempotent
        load()
    assert Snapshot.objects.count() == 2
    from shequ.assessment.demo import load as again
    again()
    assert Snapshot.objects.count() == 2
