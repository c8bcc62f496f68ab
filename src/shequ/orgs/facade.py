"""What other modules may use of ``orgs`` (linkage, procurement, assessment).

Not scoped to a user: the calling module has checked its own actor's permission. See
``docs/orgs.md`` ("For other modules") for the meaning of every fact.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Q

from shequ.areas.models import Area
from shequ.orgs import selectors
from shequ.orgs.access import operates, org_ids_of
from shequ.orgs.models import Category, Org, OrgService, Status
from shequ.orgs.selectors import Eligibility, Indicator

__all__ = [
    "CATEGORIES",
    "Candidate",
    "Eligibility",
    "Indicator",
    "OrgBrief",
    "briefs",
    "candidates",
    "category_label",
    "demo_point",
    "eligibility",
    "eligibility_many",
    "indicators",
    "indicators_by_part",
    "is_active",
    "kind_label",
    "legal_persons",
    "operates",
    "org_named",
    "orgs_of_user",
    "record_performance",
]

CATEGORIES = Category


def category_label(key: str) -> str:
    return str(Category(key).label) if key in Category.values else key


# -- eligibility (procurement) -----------------------------------------------------------


def eligibility(org_id: int, *, on: date | None = None, years: int | None = None) -> Eligibility:
    """The facts a buyer checks: track and legal-person status, status, good standing,
    penalties decided in the last ``years`` years (default: the district's rule), whether
    the annual report last due was lodged and its result, the evaluation grade."""
    return selectors.eligibility(org_id, on=on, years=years)


def eligibility_many(org_ids: Iterable[int], *, on: date | None = None,
                     years: int | None = None) -> dict[int, Eligibility]:
    items = list(Org.objects.filter(pk__in=list(org_ids)))
    return {e.org_id: e for e in selectors.eligibility_of(items, on=on, years=years)}


# -- indicators (assessment) ----------------------------------------------------------


def indicators(area_code: str, start: date, end: date) -> Indicator:
    """Figures for ``area_code`` over a period: organisations alive at ``end``, per 10,000
    residents, filed and registered then; registrations and ends between ``start`` and
    ``end``."""
    return selectors.indicators(area_code, end.year, start=start, on=end)


def indicators_by_part(area_code: str, year: int) -> list[Indicator]:
    return selectors.indicators_by_part(area_code, year)


# -- linkage ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Candidate:
    org_id: int
    category: str
    main: bool
    lat_e6: int | None
    lon_e6: int | None
    area_code: str
    capacity: int
    grade: int | None  # the evaluation grade, if valid on the day asked


def candidates(category: str, *, lat_range: tuple[int, int] | None = None,
               lon_range: tuple[int, int] | None = None, area_prefix: str = "",
               unplaced_within: str = "", org_ids: Iterable[int] | None = None,
               on: date | None = None) -> list[Candidate]:
    """Active organisations serving ``category`` inside a box of coordinates (index
    ``orgs_service_near``), plus those without coordinates based under
    ``unplaced_within`` (an area prefix), with their capacity and valid grade. One query."""
    from django.utils import timezone

    day = on or timezone.localdate()
    q = Q(category=category, available=True)
    near = Q()
    if lat_range is not None and lon_range is not None:
        near = Q(lat_e6__gte=lat_range[0], lat_e6__lte=lat_range[1],
                 lon_e6__gte=lon_range[0], lon_e6__lte=lon_range[1])
    elif area_prefix:
        near = Q(area_code__startswith=area_prefix)
    if unplaced_within:
        near |= Q(lat_e6__isnull=True, area_code__startswith=unplaced_within)
    qs = OrgService.objects.filter(q & near)
    if org_ids is not None:
        qs = qs.filter(org_id__in=list(org_ids))
    rows = qs.values_list("org_id", "category", "main", "lat_e6", "lon_e6", "area_code",
                          "capacity", "grade", "grade_until")
    return [Candidate(o, c, m, la, lo, a, cap, g if g and u and u >= day else None)
            for o, c, m, la, lo, a, cap, g, u in rows]


@dataclass(frozen=True)
class OrgBrief:
    org_id: int
    name: str
    track: str
    kind: str
    status: str
    capacity: int
    area_code: str
    grade: int | None
    identifier: str


def briefs(org_ids: Iterable[int], *, on: date | None = None, grades: bool = True
           ) -> dict[int, OrgBrief]:
    """Names, capacity and current grade of some organisations (two queries; one without
    ``grades``)."""
    from django.utils import timezone

    from shequ.orgs.models import Evaluation

    ids = list(org_ids)
    on = on or timezone.localdate()
    current: dict[int, int] = {}
    for org_id, grade in Evaluation.objects.filter(
            org_id__in=ids if grades else [], assessed_on__lte=on, valid_until__gte=on
            ).order_by("assessed_on").values_list("org_id", "grade"):
        current[org_id] = grade
    return {o.pk: OrgBrief(o.pk, o.name, o.track, o.kind, o.status, o.capacity, o.area_code,
                           current.get(o.pk), o.identifier)
            for o in Org.objects.filter(pk__in=ids).only(
                "id", "name", "track", "kind", "status", "capacity", "area_code", "credit_code",
                "filing_number")}


def orgs_of_user(user: Any) -> list[int]:
    """The organisations a user acts for."""
    return org_ids_of(user)


def org_named(name: str) -> int | None:
    """The live organisation of that name (demos and loaders)."""
    return Org.objects.filter(name=name, status__in=(Status.ACTIVE, Status.SUSPENDED)).values_list(
        "pk", flat=True).first()


def is_active(org_id: int) -> bool:
    return Org.objects.filter(pk=org_id, status=Status.ACTIVE).exists()


def legal_persons(*, founded_by: date, area_prefix: str = "") -> list[int]:
    """Live registered (legal-person) organisations founded by a day, by id (demos,
    loaders and benchmarks pick suppliers from these)."""
    return list(Org.objects.filter(track="registered", status=Status.ACTIVE,
                                   founded_on__lte=founded_by,
                                   area_code__startswith=area_prefix)
                .order_by("pk").values_list("pk", flat=True))


def record_performance(org_id: int, *, on: date, title: str, score: int, grade: str,
                       third_party: bool, actor: Any) -> None:
    """Put a purchased service's performance evaluation on the organisation's public
    history (procurement). Runs inside the caller's transaction; the caller audits it."""
    from shequ.orgs.services._common import history

    org = Org.objects.filter(pk=org_id).first()
    if org is not None:
        history(org, "performance_third_party" if third_party else "performance", day=on,
                actor=actor, action="performance", title=title, score=score, grade=grade)


# -- places for demos, tests and benchmarks ----------------------------------------------

CENTRE = (30_657_000, 104_083_000)  # Jinjiang, around 春熙路 (WGS 84, millionths)


def demo_point(area_code: str) -> tuple[int, int]:
    """A place for an area in demo data: its own point when the areas module has one,
    else a stable spot within about 5 km of Jinjiang's centre derived from the code (so
    every community keeps its place from run to run). Never for real records."""
    point = Area.objects.filter(code=area_code).values_list("point", flat=True).first()
    if point and point.get("type") == "Point":
        lon, lat = point["coordinates"][:2]
        return round(lat * 1_000_000), round(lon * 1_000_000)
    digest = hashlib.sha256(area_code.encode()).digest()
    dlat = int.from_bytes(digest[:4], "big") % 90_000 - 45_000
    dlon = int.from_bytes(digest[4:8], "big") % 100_000 - 50_000
    return CENTRE[0] + dlat, CENTRE[1] + dlon


def kind_label(kind: str) -> str:
    from shequ.orgs.models import Kind

    return str(Kind(kind).label) if kind in Kind.values else kind
