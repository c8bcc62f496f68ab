"""Reads about areas, scoped to the caller (``areas.view`` unless said otherwise)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.utils.translation import gettext_lazy as _

from shequ import authz
from shequ.areas.enums import Code, Perm
from shequ.areas.models import Area, AreaSuccession, Level, ServiceStation
from shequ.core.errors import NotFound


def require(code: str) -> Area:
    area = Area.objects.select_related("parent").filter(code=code).first()
    if area is None:
        raise NotFound(_("Unknown area code: %(c)s.") % {"c": code}, code=Code.UNKNOWN_AREA,
                       details={"area_code": code})
    return area


def get_area(*, user: Any, code: str, perm: str = Perm.VIEW) -> Area:
    """An area inside the user's scope; unknown codes are 404, others' areas 403."""
    area = require(code)
    authz.check(user, perm, area.code)
    return area


def areas_in_scope(*, user: Any, level: str | None = None, current_only: bool = True,
                   perm: str = Perm.VIEW) -> QuerySet[Area]:
    qs = Area.objects.filter(authz.scope_q(user, perm, field="code"))
    if level:
        qs = qs.filter(level=level)
    if current_only:
        qs = qs.filter(valid_to__isnull=True)
    return qs.order_by("code")


def children(*, user: Any, code: str, on: date | None = None) -> list[Area]:
    parent = get_area(user=user, code=code)
    qs = Area.objects.filter(parent=parent)
    qs = _valid_on(qs, on) if on else qs.filter(valid_to__isnull=True)
    return list(qs.order_by("code"))


def ancestors(area: Area) -> list[Area]:
    """From the province down to the area's parent (codes are prefixes, one query)."""
    codes = [area.code[:n] for n in (2, 4, 6, 9, 12) if n < len(area.code)]
    return list(Area.objects.filter(code__in=codes).order_by("code"))


def _valid_on(qs: QuerySet[Area], on: date) -> QuerySet[Area]:
    return qs.filter(Q(valid_from__isnull=True) | Q(valid_from__lte=on),
                     Q(valid_to__isnull=True) | Q(valid_to__gte=on))


def resolve(code: str, on: date | None = None) -> list[Area]:
    """The current area(s) an old code stands for today (or on ``on``).

    A record filed under 合江亭街道 in 2016 resolves to 锦官驿街道 now; a current code
    resolves to itself. Below-street codes resolve through their street when they have
    no succession of their own.
    """
    area = require(code)
    on = on or date.today()
    result: list[Area] = []
    frontier = [area]
    seen: set[str] = set()
    while frontier:
        current = frontier.pop()
        if current.code in seen:
            continue
        seen.add(current.code)
        if current.valid_to is None or current.valid_to >= on:
            result.append(current)
            continue
        successors = [s.successor for s in AreaSuccession.objects.select_related("successor")
                      .filter(predecessor=current, effective__lte=on)]
        if not successors and current.parent is not None:
            successors = [current.parent]
        frontier.extend(successors)
    return sorted(result, key=lambda a: a.code)


def history(code: str) -> list[AreaSuccession]:
    area = require(code)
    return list(AreaSuccession.objects.select_related("predecessor", "successor")
                .filter(Q(predecessor=area) | Q(successor=area)).order_by("effective"))


@dataclass(frozen=True)
class Figures:
    area: Area
    streets: int
    communities: int
    compounds: int
    stations: int
    population: int | None
    households: int | None


def figures(*, user: Any, code: str) -> Figures:
    """Counts below an area and its residents and households (the area's own figure when
    recorded, else the sum over its communities)."""
    area = get_area(user=user, code=code, perm=Perm.FIGURES)
    below = Area.objects.filter(code__startswith=area.code, valid_to__isnull=True)
    counts = dict(below.order_by().values("level").annotate(n=Count("code"))
                  .values_list("level", "n"))
    sums = below.filter(level=Level.COMMUNITY).aggregate(p=Sum("population"),
                                                          h=Sum("households"))
    stations = ServiceStation.objects.filter(area_code__startswith=area.code).count()
    return Figures(
        area=area, streets=counts.get(Level.STREET, 0), communities=counts.get(Level.COMMUNITY, 0),
        compounds=counts.get(Level.COMPOUND, 0), stations=stations,
        population=area.population if area.population is not None else sums["p"],
        households=area.households if area.households is not None else sums["h"],
    )


def stations(*, user: Any | None = None, within: str = "") -> QuerySet[ServiceStation]:
    """Stations are public places: everyone may list them (addresses and hours)."""
    qs = ServiceStation.objects.select_related("community").prefetch_related("serves")
    if within:
        qs = qs.filter(area_code__startswith=within)
    return qs.order_by("code")


def public_district(code: str) -> tuple[Area, list[tuple[Area, int]]]:
    """A district and its current streets with their number of communities, for the
    public home page."""
    district = require(code)
    streets = (Area.objects.filter(parent=district, valid_to__isnull=True)
               .annotate(n=Count("children")).order_by("code"))
    return district, [(s, s.n) for s in streets]


def zones(district_code: str) -> list[Any]:
    """Functional zones of a district (public: names and purposes)."""
    from shequ.areas.models import FunctionalZone

    return list(FunctionalZone.objects.filter(district_id=district_code)
                .prefetch_related("streets").order_by("name"))
