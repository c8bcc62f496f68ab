"""Jinjiang district as the demo data: the 2023 divisions (11 streets, 76 communities),
the 2015 structure of 16 streets as history, five functional zones, 28 service stations,
compounds, residents and households. Safe to run again: every step upserts."""

from __future__ import annotations

import random
from datetime import date
from typing import Any

from django.db import transaction

from shequ.areas import services
from shequ.areas.importer import SHIPPED
from shequ.areas.models import (
    Area,
    AreaSuccession,
    CommunityKind,
    Department,
    FunctionalZone,
    Level,
)
from shequ.authz import SYSTEM

DISTRICT = "510104"
HISTORY_FILE = SHIPPED.parent / "2015-jinjiang-streets.csv"
# The 2019 street adjustment. The day is this project's assumption (ADR 0005): the
# province approved the adjustment in late 2019; correct it as data if needed.
REFORM_DATE = date(2019, 12, 1)
# (former street, successor, note). 合江亭 and 水井坊 merged into 锦官驿; the others are
# read off where the former streets' communities sit in the 2023 data (e.g. 督院街社区
# and 盐市口社区 are now under 春熙路). For 莲新 and 东光 no successor is evident, so their
# records resolve to the district.
SUCCESSIONS = [
    ("510104024", "510104017", "合江亭街道并入锦官驿街道"),
    ("510104025", "510104017", "水井坊街道并入锦官驿街道"),
    ("510104020", "510104022", "督院街社区今属春熙路街道"),
    ("510104021", "510104022", "盐市口社区今属春熙路街道"),
    ("510104027", "510104026", "龙舟社区今属牛市口街道"),
    ("510104028", "510104030", "双桂路社区今属沙河街道"),
]
NEW_STREETS = ["510104017", "510104018", "510104019"]
# 三圣街道's communities were villages until the 2000s (花乡农居): agricultural communities.
AGRICULTURAL_STREET = "510104037"
ZONES = [
    ("中央商务区", "总部经济与现代商贸", ["510104022", "510104023"]),
    ("创意产业商务区", "文化创意产业", ["510104017"]),
    ("生态商务区", "生态旅游与休闲", ["510104037"]),
    ("金融街商务区", "金融服务", ["510104018", "510104026"]),
    ("沙河商务商业区", "商务与商业", ["510104030", "510104035", "510104036"]),
]
# each street office's departments (科室): name, category, duties (ADR 1000, 1003); the
# functional zones' committees hold economic work only
DEPARTMENTS = (
    ("党建工作办公室", "social_management", ["party_building"]),
    ("社区发展科", "public_service", ["public_service", "community_building"]),
    ("社会事务科", "social_service", ["public_service", "social_stability"]),
    ("城市管理科", "enforcement", ["urban_management"]),
    ("平安建设办公室", "social_management", ["safety_supervision", "emergency_management",
                                         "public_order"]),
)
ZONE_DEPARTMENT = ("招商服务部", ["investment_promotion", "enterprise_service"])
STATIONS = 28
DISTRICT_POPULATION = 690_000
COMPOUND_NAMES = ["锦绣苑", "芙蓉院", "和美小区", "望江苑", "东篱院落", "春晓小区", "桂园",
                  "府河苑", "金沙院", "清风里", "锦城花园", "安居苑", "竹林院落", "书香苑"]


def load(stdout: Any = None) -> None:
    services.import_divisions(actor=SYSTEM, within=DISTRICT)
    with transaction.atomic():
        _history()
        _kinds_and_figures()
        _zones()
    _compounds()
    _stations()
    _departments()
    if stdout is not None:
        streets = Area.objects.filter(code__startswith=DISTRICT, level=Level.STREET)
        stdout.write(f"areas: {streets.filter(valid_to__isnull=True).count()} streets, "
                     f"{streets.filter(valid_to__isnull=False).count()} former streets, "
                     f"{Area.objects.filter(code__startswith=DISTRICT, level=Level.COMMUNITY).count()}"
                     " communities")


def _history() -> None:
    import csv

    with HISTORY_FILE.open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            name = row["name"].replace("街道办事处", "街道")
            Area.objects.get_or_create(code=row["code"], defaults={
                "name": name, "level": Level.STREET, "parent_id": DISTRICT, "source": "stats-2015"})
    for code in NEW_STREETS:
        Area.objects.filter(code=code).update(valid_from=REFORM_DATE)
    for old, new, note in SUCCESSIONS:
        if not AreaSuccession.objects.filter(predecessor_id=old, successor_id=new).exists():
            services.record_succession(actor=SYSTEM, predecessor=old, successor=new,
                                       effective=REFORM_DATE, note=note)
    for old in ("510104029", "510104031"):
        Area.objects.filter(code=old, valid_to__isnull=True).update(
            valid_to=date.fromordinal(REFORM_DATE.toordinal() - 1))


def _kinds_and_figures() -> None:
    rng = random.Random(510104)
    communities = list(Area.objects.filter(code__startswith=DISTRICT, level=Level.COMMUNITY,
                                           valid_to__isnull=True).order_by("code"))
    weights = [rng.uniform(0.5, 1.5) for _ in communities]
    scale = DISTRICT_POPULATION / sum(weights)
    for area, weight in zip(communities, weights, strict=True):
        if area.population is None:
            area.population = int(weight * scale)
            area.households = int(area.population / rng.uniform(2.4, 2.8))
        if area.code.startswith(AGRICULTURAL_STREET):
            area.kind = CommunityKind.AGRICULTURAL
        area.save(update_fields=["population", "households", "kind"])


def _zones() -> None:
    for name, purpose, streets in ZONES:
        zone, _created = FunctionalZone.objects.get_or_create(
            district_id=DISTRICT, name=name, defaults={"purpose": purpose})
        zone.streets.set(Area.objects.filter(code__in=streets))


def _compounds() -> None:
    rng = random.Random(2015)
    for community in Area.objects.filter(code__startswith=DISTRICT, level=Level.COMMUNITY,
                                         valid_to__isnull=True).order_by("code"):
        if Area.objects.filter(parent=community, level=Level.COMPOUND).exists():
            continue
        count = rng.randint(3, 6)
        names = rng.sample(COMPOUND_NAMES, count)
        shares = [rng.uniform(0.5, 1.5) for _ in names]
        for name, share in zip(names, shares, strict=True):
            households = int((community.households or 3000) * share / sum(shares))
            services.create_compound(actor=SYSTEM, community_code=community.code, name=name,
                                     households=households,
                                     population=int(households * 2.6))


def _stations() -> None:
    """28 stations: each street's communities are shared out among its stations, each
    station hosted by the first community it serves."""
    streets = list(Area.objects.filter(parent_id=DISTRICT, level=Level.STREET,
                                       valid_to__isnull=True).order_by("code"))
    by_street = {s.code: list(Area.objects.filter(parent=s, level=Level.COMMUNITY)
                              .order_by("code")) for s in streets}
    total = sum(len(c) for c in by_street.values())
    allotted = {code: max(1, round(STATIONS * len(c) / total)) for code, c in by_street.items()}
    while sum(allotted.values()) > STATIONS:
        allotted[max(allotted, key=lambda k: allotted[k])] -= 1
    while sum(allotted.values()) < STATIONS:
        allotted[max(by_street, key=lambda k: len(by_street[k]) / allotted[k])] += 1
    number = 0
    for street in streets:
        communities = by_street[street.code]
        n = allotted[street.code]
        for i in range(n):
            group = communities[i::n]
            if not group:
                continue
            number += 1
            host = group[0]
            short = host.name.replace("社区居委会", "")
            services.save_station(
                actor=SYSTEM, code=f"JJ-{number:02d}", name=f"{short}社区公共服务站",
                community_code=host.code, serves=[c.code for c in group],
                address=f"成都市锦江区{street.name}{short}社区服务中心",
                phone=f"028-8{number:03d}{number * 37 % 10000:04d}",
                opening_hours="周一至周五 9:00–17:00,周六 9:00–12:00")


def _departments() -> None:
    """Every current street's office gets the five departments, each zone committee its
    investment-service department (skipped once the district has any)."""
    if Department.objects.filter(area_code__startswith=DISTRICT).exists():
        return
    for street in Area.objects.filter(parent_id=DISTRICT, level=Level.STREET,
                                      valid_to__isnull=True).order_by("code"):
        for name, category, duties in DEPARTMENTS:
            services.save_department(actor=SYSTEM, street_code=street.code, name=name,
                                     category=category, duties=duties)
    for zone in FunctionalZone.objects.filter(district_id=DISTRICT).order_by("pk"):
        services.save_department(actor=SYSTEM, zone_id=zone.pk, name=ZONE_DEPARTMENT[0],
                                 duties=ZONE_DEPARTMENT[1])
