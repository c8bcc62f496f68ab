"""Demo: the district's scheme for the last
full year, the province's 2015 targets, figures on paper, and both snapshots computed
from the figures the other modules' demo data give. Runs after every other module's demo
(INSTALLED_APPS order); idempotent."""

from __future__ import annotations

import random
from datetime import date
from typing import Any

from django.conf import settings
from django.utils import timezone

from shequ.areas.models import Area, Level
from shequ.assessment import services
from shequ.assessment.indicators import DRILLS, SAFETY
from shequ.assessment.models import ManualFigure, Scheme, SchemeKind, Snapshot
from shequ.authz import SYSTEM

SCHEME = [  # the district's scheme: the eight duties, weights summing to 100 %
    {"duty": "party_building", "items": [
        {"indicator": "people.party_coverage", "weight": 10, "scoring": "pass_fail",
         "target": "100%"}]},
    {"duty": "community_building", "items": [
        {"indicator": "elections.direct_coverage", "weight": 10, "scoring": "linear",
         "floor": "50%", "target": "80%"},
        {"indicator": "autonomy.satisfaction", "weight": 10, "scoring": "linear",
         "floor": "60%", "target": "95%"}]},
    {"duty": "public_service", "items": [
        {"indicator": "services.on_time_rate", "weight": 20, "scoring": "linear",
         "floor": "80%", "target": "98%"},
        {"indicator": "services.working_days", "weight": 10, "scoring": "linear",
         "floor": "15", "target": "5"},
        {"indicator": "access.circle_coverage", "weight": 5, "scoring": "linear",
         "floor": "50%", "target": "90%"}]},
    {"duty": "urban_management", "items": [
        {"indicator": "services.overdue", "weight": 5, "scoring": "linear",
         "floor": "20", "target": "0"}]},
    {"duty": "safety_supervision", "items": [
        {"indicator": SAFETY, "weight": 5, "scoring": "linear", "floor": "0", "target": "24"}]},
    {"duty": "emergency_management", "items": [
        {"indicator": DRILLS, "weight": 5, "scoring": "linear", "floor": "0", "target": "4"}]},
    {"duty": "social_stability", "items": [
        {"indicator": "autonomy.disclosures_on_time", "weight": 10, "scoring": "linear",
         "floor": "70%", "target": "100%"}]},
    {"duty": "public_order", "items": [
        {"indicator": "orgs.per_10k", "weight": 5, "scoring": "linear", "floor": "2",
         "target": "8"},
        {"indicator": "people.committee_coverage", "weight": 5, "scoring": "pass_fail",
         "target": "100%"}]},
]


def load(stdout: Any = None) -> None:
    district = settings.SHEQU_DISTRICT_CODE
    if not Area.objects.filter(code=district).exists():
        return
    today = timezone.localdate()
    year = today.year - 1
    start, end = date(year, 1, 1), date(year, 12, 31)
    streets = list(Area.objects.filter(code__startswith=district, level=Level.STREET,
                                       valid_to__isnull=True).order_by("code"))
    rng = random.Random(1017)
    if not ManualFigure.objects.filter(area_code__startswith=district, start=start).exists():
        for street in streets:
            services.enter_figure(actor=SYSTEM, indicator=SAFETY, area_code=street.code,
                                  start=start, end=end, value=rng.randint(12, 30),
                                  note="街道安全检查台账")
            services.enter_figure(actor=SYSTEM, indicator=DRILLS, area_code=street.code,
                                  start=start, end=end, value=rng.randint(1, 5),
                                  note="应急演练记录")
    if not Scheme.objects.filter(area_code=district, year=year, kind=SchemeKind.DISTRICT).exists():
        services.save_scheme(actor=SYSTEM, area_code=district, year=year, name="",
                             sections=SCHEME, source="锦江区街道考核办法（演示）")
    province = district[:2]
    services.province_scheme(actor=SYSTEM, area_code=province, year=year)
    made = []
    for area, kind in ((district, SchemeKind.DISTRICT), (province, SchemeKind.PROVINCE)):
        if not Snapshot.objects.filter(scheme__area_code=area, scheme__kind=kind, start=start,
                                       end=end).exists():
            made.append(services.compute(actor=SYSTEM, area_code=area, year=year, kind=kind,
                                         today=today))
    if stdout is not None:
        stdout.write(f"assessment: {len(streets)} streets assessed for {year}, "
                     f"{len(made)} snapshots computed")
