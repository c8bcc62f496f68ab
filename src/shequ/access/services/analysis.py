"""Coverage analyses: walking times from every compound to the nearest station and the
nearest facility of each kind, and the share of residents within each minute band per
community, street and district. Requested in a page or the API, computed by the worker
(or the CLI) with :func:`run_analysis`."""

from __future__ import annotations

import logging
import math
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shequ import authz, rules
from shequ.access.engine.network import WalkNetwork
from shequ.access.engine.paths import nearest_sources, point_distances, snap
from shequ.access.enums import AuditAction, Code, Perm
from shequ.access.lifecycles import ANALYSIS
from shequ.access.models import (
    SERVICE_KINDS,
    Analysis,
    AreaCoverage,
    CompoundAccess,
    Facility,
    FacilityKind,
    RunAction,
)
from shequ.access.rules import MODULE, PROFILE
from shequ.access.services.networks import _area, ready_network
from shequ.access.texts import TEXTS, failure
from shequ.areas.models import Area, Level, ServiceStation
from shequ.audit.services import record
from shequ.authz import SYSTEM
from shequ.core.errors import BusinessError, NotFound

log = logging.getLogger("shequ.access")
Progress = Callable[[int, int], object]
ANALYSABLE = (Level.PROVINCE, Level.CITY, Level.DISTRICT, Level.STREET, Level.COMMUNITY)


def request_analysis(*, actor: Any, area_code: str, speed: int | None = None,
                     enqueue: bool = True) -> Analysis:
    """Queue an analysis of ``area_code`` on the newest network that covers it, with the
    rules in force there; the worker computes it."""
    area = _area(area_code)
    authz.check(actor, Perm.ANALYSE, area.code)
    if area.level not in ANALYSABLE:
        raise BusinessError(_("Coverage is measured for a community, street or district, "
                              "not for a single compound."), code=Code.NOT_AN_AREA)
    network = ready_network(area.code)
    profile = rules.resolve(MODULE, PROFILE, area.code)
    rule = profile.rule("walk_speed")
    speed = profile.number("walk_speed") if speed is None else speed
    if not (rule.minimum or 0) <= speed <= (rule.maximum or 120):
        raise BusinessError(_("Enter a walking distance per minute from %(low)s to %(high)s "
                              "metres.") % {"low": rule.minimum, "high": rule.maximum},
                            code=Code.BAD_BAND, details={"speed": speed})
    bands = [profile.number(k) for k in ("band_1", "band_2", "band_3")]
    if bands != sorted(set(bands)):
        raise BusinessError(_("The minute bands in force here are not increasing (%(b)s); "
                              "correct the local rule values.") % {"b": "、".join(map(str, bands))},
                            code=Code.BAD_BAND, details={"bands": bands})
    with transaction.atomic():
        analysis = Analysis.objects.create(
            area_code=area.code, network=network, speed=speed, bands=bands,
            snap_distance=profile.number("snap_distance"), profile_version=profile.version,
            requested_by=actor if getattr(actor, "pk", None) else None)
        record(actor=actor, action=AuditAction.ANALYSIS_REQUEST, obj=analysis,
               area_code=area.code, changes={"network": network.pk, "version": network.version,
                                             "speed": speed, "bands": bands,
                                             "profile": profile.version})
    if enqueue:  # the CLI computes it itself, with a progress bar
        from shequ.access.tasks import run_analysis_task

        run_analysis_task.enqueue(analysis.pk)  # after the commit: the worker must see the row
        analysis.refresh_from_db()
    return analysis


@dataclass
class _Result:
    compounds: list[CompoundAccess] = field(default_factory=list)
    areas: list[AreaCoverage] = field(default_factory=list)
    problems: list[dict[str, Any]] = field(default_factory=list)
    summary: dict[str, Any] = field(default_factory=dict)
    facilities_on: Any = None
    facilities: int = 0


def run_analysis(*, analysis_id: int, actor: Any = SYSTEM,
                 progress: Progress | None = None) -> Analysis:
    """Compute a queued analysis (worker or CLI). A failure is recorded on the analysis
    with its reason and raised."""
    with transaction.atomic():
        analysis = Analysis.objects.select_for_update().filter(pk=analysis_id).first()
        if analysis is None:
            raise NotFound(code="unknown_analysis")
        ANALYSIS.move(actor=actor, obj=analysis, action=RunAction.START)
    try:
        result = compute(analysis, progress=progress)
    except Exception as exc:
        detail = str(getattr(exc, "code", "")) or type(exc).__name__
        with transaction.atomic():
            failed = Analysis.objects.select_for_update().get(pk=analysis_id)
            failed.problems = [*failed.problems, failure(exc)]
            ANALYSIS.move(actor=actor, obj=failed, action=RunAction.FAIL,
                          update_fields=["problems"], changes={"detail": detail})
        raise
    with transaction.atomic():
        done = Analysis.objects.select_for_update().get(pk=analysis_id)
        CompoundAccess.objects.bulk_create(result.compounds, batch_size=1000)
        AreaCoverage.objects.bulk_create(result.areas, batch_size=1000)
        done.summary, done.problems = result.summary, result.problems
        done.facilities_on, done.facilities = result.facilities_on, result.facilities
        done.finished_at = timezone.now()
        ANALYSIS.move(actor=actor, obj=done, action=RunAction.FINISH,
                      changes={"population": result.summary.get("population"),
                               "within": result.summary.get("within")})
    return done


def _point(geo: Any) -> tuple[float, float] | None:
    if isinstance(geo, dict) and geo.get("type") == "Point":
        coords = geo.get("coordinates") or []
        if len(coords) >= 2:
            return float(coords[0]), float(coords[1])
    return None


def compute(analysis: Analysis, progress: Progress | None = None) -> _Result:
    """Everything an analysis stores, from the network, the compounds and the facility
    list; no write."""
    out = _Result()
    network = analysis.network
    walk = WalkNetwork.from_bytes(bytes(network.data or b""))
    rows = list(Area.objects.filter(code__startswith=analysis.area_code, level=Level.COMPOUND,
                                    valid_to__isnull=True).order_by("code")
                .values_list("code", "name", "population", "point"))
    if not rows:
        raise BusinessError(_("There are no compounds in this area to measure from."),
                            code=Code.NO_COMPOUNDS)
    facilities = list(Facility.objects.filter(area_code__startswith=network.area_code)
                      .select_related("station").order_by("kind", "name", "pk"))
    if not any(f.kind == FacilityKind.STATION for f in facilities):
        raise BusinessError(_("No service station is on the facility list: add the stations "
                              "(with their locations) first."), code=Code.NO_STATIONS)
    out.facilities = len(facilities)
    latest = Facility.objects.filter(area_code__startswith=network.area_code).aggregate(
        m=Max("updated_at"))["m"]
    out.facilities_on = timezone.localdate(latest) if latest else None
    total_steps = len(FacilityKind.values) + 2
    step = 0

    def tick() -> None:
        nonlocal step
        step += 1
        if progress is not None:
            progress(step, total_steps)

    limit = float(analysis.snap_distance)
    points = [_point(p) for _c, _n, _pop, p in rows]
    has = np.array([p is not None for p in points])
    lon = np.array([p[0] if p else 0.0 for p in points])
    lat = np.array([p[1] if p else 0.0 for p in points])
    snapped = snap(walk, lon, lat, limit)
    ok = has & snapped.ok
    for i, (code, name, pop, _p) in enumerate(rows):
        if not has[i]:
            out.problems.append(TEXTS.stored("compound_no_point", name=name, code=code))
        elif not snapped.ok[i]:
            out.problems.append(TEXTS.stored("compound_unsnapped", name=name, code=code,
                                             metres=f"{snapped.offset[i]:,.0f}",
                                             limit=f"{limit:,.0f}"))
        if not pop:
            out.problems.append(TEXTS.stored("compound_no_residents", name=name, code=code))
    tick()
    minutes: dict[str, np.ndarray] = {}
    nearest_name: dict[str, list[str]] = {}
    for kind in FacilityKind.values:
        mine = [f for f in facilities if f.kind == kind]
        if not mine:
            if kind != FacilityKind.STATION:
                out.problems.append(TEXTS.stored("no_facility_of_kind", kind=kind))
            tick()
            continue
        fs = snap(walk, np.array([f.lon for f in mine]), np.array([f.lat for f in mine]), limit)
        for f, fine, off in zip(mine, fs.ok, fs.offset, strict=True):
            if not fine:
                out.problems.append(TEXTS.stored("facility_unsnapped", kind=kind, name=f.name,
                                                 metres=f"{off:,.0f}", limit=f"{limit:,.0f}"))
        usable = np.flatnonzero(fs.ok)
        near = nearest_sources(walk, fs.node[usable], fs.offset[usable])
        dist, which = point_distances(near, snapped)
        dist = np.where(ok, dist, np.inf)
        minutes[kind] = dist / analysis.speed
        nearest_name[kind] = [mine[usable[w]].name if w >= 0 and ok[i] else ""
                              for i, w in enumerate(which)]
        tick()
    station = minutes.get(FacilityKind.STATION, np.full(len(rows), np.inf))
    for i, (code, name, _pop, _p) in enumerate(rows):
        if ok[i] and math.isinf(station[i]):
            out.problems.append(TEXTS.stored("compound_no_path", name=name, code=code))
    if network.islands:
        warning = network.report.get("warning")
        if warning:
            out.problems.insert(0, warning)

    def finite(v: float) -> float | None:
        return None if math.isinf(v) or math.isnan(v) else round(float(v), 2)

    for i, (code, name, pop, _p) in enumerate(rows):
        out.compounds.append(CompoundAccess(
            analysis=analysis, area_code=code, name=name, population=pop or 0,
            lon=lon[i] if has[i] else None, lat=lat[i] if has[i] else None,
            snapped=bool(ok[i]), snap_metres=round(float(snapped.offset[i]), 1) if has[i] else None,
            station_minutes=finite(station[i]),
            station_name=nearest_name.get(FacilityKind.STATION, [""] * len(rows))[i],
            minutes={k: finite(m[i]) for k, m in minutes.items()},
            nearest={k: v[i] for k, v in nearest_name.items() if v[i]}))
    out.areas = _aggregate(analysis, rows, station, facilities)
    top = next((a for a in out.areas if a.area_code == analysis.area_code), None)
    out.summary = {
        "population": top.population if top else 0,
        "within": [top.within_1, top.within_2, top.within_3] if top else [0, 0, 0],
        "compounds": len(rows), "outside": top.outside if top else 0,
        "communities": top.communities if top else 0,
        "with_facility": top.with_facility if top else 0, "area_ok": top.area_ok if top else 0,
        "network_version": network.version, "source": network.source,
        "floor_area_standard": rules.resolve(MODULE, PROFILE, analysis.area_code)
        .number("floor_area_per_100"),
    }
    tick()
    return out


def _aggregate(analysis: Analysis, rows: list[tuple[str, str, int | None, Any]],
               station: np.ndarray, facilities: list[Facility]) -> list[AreaCoverage]:
    code = analysis.area_code
    bands = analysis.bands
    areas = {a.code: a for a in Area.objects.filter(
        code__startswith=code, level__in=[Level.DISTRICT, Level.STREET, Level.COMMUNITY],
        valid_to__isnull=True)}
    above = Area.objects.filter(code=code).first()
    if above is not None:
        areas[above.code] = above
    standard = rules.resolve_many(MODULE, {c: PROFILE for c in areas if len(c) == 12})
    cov: dict[str, AreaCoverage] = {
        c: AreaCoverage(analysis=analysis, area_code=c, level=a.level, name=a.name)
        for c, a in areas.items()}

    def owners(area_code: str) -> list[AreaCoverage]:
        return [cov[area_code[:n]] for n in (2, 4, 6, 9, 12)
                if len(area_code) >= n and area_code[:n] in cov]

    for i, (ccode, _name, pop, _p) in enumerate(rows):
        minutes = station[i]
        for row in owners(ccode[:12]):
            row.population += pop or 0
            row.compounds += 1
            for b, band in enumerate(bands, start=1):
                if minutes <= band:
                    setattr(row, f"within_{b}", getattr(row, f"within_{b}") + (pop or 0))
            if not minutes <= bands[-1]:
                row.outside += 1
    # facilities: floor area of the community service kinds, a station's shared by the
    # communities it serves in proportion to their households
    area_of: dict[str, float] = defaultdict(float)
    has_facility: set[str] = set()
    served = _served_by({f.station_id for f in facilities if f.station_id})
    for f in facilities:
        if f.kind not in SERVICE_KINDS:
            continue
        targets = served.get(f.station_id or 0) or [f.area_code]
        weights = [max(areas[t].households or 0, 0) if t in areas else 0 for t in targets]
        total = sum(weights)
        for t, w in zip(targets, weights, strict=True):
            has_facility.add(t)
            area_of[t] += f.floor_area * (w / total if total else 1 / len(targets))
    for c, row in cov.items():
        area = areas[c]
        if area.level != Level.COMMUNITY:
            continue
        row.households = area.households or 0
        row.floor_area = round(area_of.get(c, 0.0))
        per_100 = standard[c].number("floor_area_per_100") if c in standard else 0
        row.communities = 1
        row.with_facility = 1 if c in has_facility else 0
        needed = row.households / 100 * per_100
        row.area_ok = 1 if row.with_facility and row.floor_area >= needed else 0
        for parent in owners(c[:9]):
            if parent is row or len(parent.area_code) >= 12:
                continue
            parent.households += row.households
            parent.floor_area += row.floor_area
            parent.communities += 1
            parent.with_facility += row.with_facility
            parent.area_ok += row.area_ok
    return sorted(cov.values(), key=lambda r: r.area_code)


def _served_by(station_ids: set[int]) -> dict[int, list[str]]:
    out: dict[int, list[str]] = defaultdict(list)
    through = ServiceStation.serves.through.objects.filter(servicestation_id__in=station_ids)
    for sid, code in through.values_list("servicestation_id", "area_id"):
        out[sid].append(code)
    return {k: sorted(v) for k, v in out.items()}
