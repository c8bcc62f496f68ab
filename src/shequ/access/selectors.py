"""Reads of ``access``, scoped to the caller (``access.view`` unless said otherwise)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.db.models.functions import Length
from django.utils.translation import gettext_lazy as _

from shequ import authz, rules
from shequ.access.enums import Perm
from shequ.access.models import (
    Analysis,
    AreaCoverage,
    CompoundAccess,
    Facility,
    Network,
    NetworkSource,
    RunState,
    SitingRun,
)
from shequ.access.rules import MODULE, PROFILE
from shequ.access.texts import render
from shequ.areas.models import Area
from shequ.core.errors import NotFound


def networks(*, user: Any) -> QuerySet[Network]:
    return Network.objects.filter(authz.scope_q(user, Perm.VIEW)).defer("data").order_by(
        "area_code", "-version")


def network(*, user: Any, pk: int) -> Network:
    found = networks(user=user).filter(pk=pk).first()
    if found is None:
        raise NotFound(_("No such walking network here."), code="unknown_network")
    return found


def facilities(*, user: Any, within: str = "", kind: str = "") -> QuerySet[Facility]:
    qs = Facility.objects.filter(authz.scope_q(user, Perm.VIEW))
    if within:
        qs = qs.filter(area_code__startswith=within)
    if kind:
        qs = qs.filter(kind=kind)
    return qs.order_by("area_code", "kind", "name", "id")


def analyses(*, user: Any, within: str = "") -> QuerySet[Analysis]:
    qs = Analysis.objects.filter(authz.scope_q(user, Perm.VIEW)).select_related("network")
    if within:
        qs = qs.filter(area_code__startswith=within)
    return qs.defer("network__data").order_by("-id")


def analysis(*, user: Any, pk: int, within: str = "") -> Analysis:
    """An analysis, seen for the part ``within`` it (default: all of it): a community
    worker sees their community's rows of the district's analysis, nothing more."""
    found = (Analysis.objects.select_related("network").defer("network__data")
             .filter(pk=pk).first())
    within = within or (found.area_code if found else "")
    if (found is None or not within.startswith(found.area_code)
            or not authz.has_perm(user, Perm.VIEW, within)):
        raise NotFound(_("No such coverage analysis here."), code="unknown_analysis")
    return found


def latest(*, user: Any, area_code: str) -> Analysis | None:
    """The newest finished analysis of this area or of an area containing it (a
    district's analysis holds its streets' and communities' figures)."""
    authz.check(user, Perm.VIEW, area_code)
    return (Analysis.objects.select_related("network").defer("network__data")
            .filter(area_code__in=[*rules.prefixes(area_code), area_code], state=RunState.DONE)
            .order_by("-id").first())


def area_rows(analysis: Analysis, parent: str) -> list[AreaCoverage]:
    """The area itself and its children's rows (a street's communities)."""
    length = {6: 9, 9: 12, 4: 6, 2: 4}.get(len(parent), 15)
    return list(analysis.areas.filter(area_code__startswith=parent)
                .annotate(n=Length("area_code")).filter(n__in=[len(parent), length])
                .order_by("area_code"))


def outside(analysis: Analysis, within: str = "") -> QuerySet[CompoundAccess]:
    """Compounds beyond the last band or without a path, farthest first."""
    qs = analysis.compounds.all()
    if within:
        qs = qs.filter(area_code__startswith=within)
    last = analysis.bands[-1]
    from django.db.models import F, Q

    return (qs.filter(Q(station_minutes__isnull=True) | Q(station_minutes__gt=last))
            .order_by(F("station_minutes").desc(nulls_first=True), "area_code"))


def compounds(analysis: Analysis, within: str = "") -> QuerySet[CompoundAccess]:
    qs = analysis.compounds.all()
    if within:
        qs = qs.filter(area_code__startswith=within)
    return qs.order_by("area_code")


def problems(obj: Analysis | SitingRun) -> list[str]:
    return [render(p) for p in obj.problems]


def sitings(*, user: Any, analysis_id: int | None = None) -> QuerySet[SitingRun]:
    qs = SitingRun.objects.filter(authz.scope_q(user, Perm.VIEW))
    if analysis_id is not None:
        qs = qs.filter(analysis_id=analysis_id)
    return qs.order_by("-id")


def siting(*, user: Any, pk: int) -> SitingRun:
    found = sitings(user=user).select_related("analysis").filter(pk=pk).first()
    if found is None:
        raise NotFound(_("No such siting run here."), code="unknown_siting")
    return found


@dataclass(frozen=True)
class Standards:
    """The rules an analysis page compares against, as the reader reads them."""

    floor_area: Any
    coverage_target: Any
    area_target: Any
    speed: Any
    snap: Any


def standards(area_code: str) -> Standards:
    p = rules.resolve(MODULE, PROFILE, area_code)
    return Standards(p.rule("floor_area_per_100"), p.rule("coverage_target"),
                     p.rule("area_target"), p.rule("walk_speed"), p.rule("snap_distance"))


def generated(analysis: Analysis) -> bool:
    return analysis.network.source == NetworkSource.GENERATED


def area_name(code: str) -> str:
    area = Area.objects.filter(code=code).only("name").first()
    return area.name if area else code
