"""Jinjiang's 15-minute circle for the demo: a generated street grid (labelled as such
on every page: no OpenStreetMap data of Chengdu can be had here), the demo's compounds
and 28 stations placed on it, the facility list with floor areas, one coverage analysis
of the district and one siting answer. Safe to run again: each step is skipped when done.
"""

from __future__ import annotations

import math
import random
from typing import Any

from shequ.access import services
from shequ.access.models import (
    Analysis,
    Facility,
    FacilityKind,
    Network,
    NetworkState,
    RunState,
    SitingKind,
    SitingRun,
)
from shequ.areas import services as areas_services
from shequ.areas.models import Area, Level, ServiceStation
from shequ.authz import SYSTEM

DISTRICT = "510104"
# roughly Jinjiang's extent (WGS 84); the street layout inside it is generated
BBOX = (104.080, 30.575, 104.160, 30.660)
SPACING = 120.0
SEED = 510104


def load(stdout: Any = None) -> None:
    if not Area.objects.filter(code=DISTRICT).exists():
        return
    _place()
    network = (Network.objects.filter(area_code=DISTRICT, state=NetworkState.READY)
               .order_by("-version").first())
    if network is None:
        network = services.import_generated(actor=SYSTEM, area_code=DISTRICT, bbox=BBOX,
                                            spacing=SPACING, seed=SEED)
    _facilities()
    analysis = (Analysis.objects.filter(area_code=DISTRICT, network=network, state=RunState.DONE)
                .order_by("-id").first())
    if analysis is None:
        analysis = services.request_analysis(actor=SYSTEM, area_code=DISTRICT, enqueue=False)
        analysis = services.run_analysis(analysis_id=analysis.pk)
    if not SitingRun.objects.filter(analysis=analysis).exists():
        run = services.request_siting(actor=SYSTEM, analysis_id=analysis.pk,
                                      kind=SitingKind.MAX_COVER, k=3, time_limit=30,
                                      enqueue=False)
        services.run_siting(run_id=run.pk)
    if stdout is not None:
        s = analysis.summary
        share = s["within"][2] / s["population"] * 100 if s["population"] else 0
        stdout.write(f"access: generated grid v{network.version} ({network.nodes:,} nodes), "
                     f"{s['compounds']} compounds, {share:.1f}% of residents within "
                     f"{analysis.bands[2]} min, {s['outside']} compounds outside")


def _cells(n: int, x0: float, y0: float, x1: float, y1: float) -> list[tuple[float, float, float, float]]:
    cols = max(1, math.ceil(math.sqrt(n * (x1 - x0) / max(y1 - y0, 1e-9))))
    rows = math.ceil(n / cols)
    w, h = (x1 - x0) / cols, (y1 - y0) / rows
    return [(x0 + (i % cols) * w, y0 + (i // cols) * h, x0 + (i % cols + 1) * w,
             y0 + (i // cols + 1) * h) for i in range(n)]


def _place() -> None:
    """Give the demo's communities, compounds and stations generated locations: streets
    tile the district, communities tile their street, compounds lie in their community."""
    rng = random.Random(SEED)
    streets = list(Area.objects.filter(parent_id=DISTRICT, level=Level.STREET,
                                       valid_to__isnull=True).order_by("code"))
    west, south, east, north = BBOX
    pad = 0.003
    centre: dict[str, tuple[float, float]] = {}
    for street, (x0, y0, x1, y1) in zip(streets, _cells(len(streets), west + pad, south + pad,
                                                        east - pad, north - pad), strict=True):
        communities = list(Area.objects.filter(parent=street, level=Level.COMMUNITY,
                                               valid_to__isnull=True).order_by("code"))
        for community, (a0, b0, a1, b1) in zip(communities,
                                               _cells(len(communities), x0, y0, x1, y1), strict=True):
            cx = (a0 + a1) / 2 + rng.uniform(-0.15, 0.15) * (a1 - a0)
            cy = (b0 + b1) / 2 + rng.uniform(-0.15, 0.15) * (b1 - b0)
            centre[community.code] = (cx, cy)
            for compound in Area.objects.filter(parent=community, level=Level.COMPOUND).order_by("code"):
                if compound.point:
                    continue
                px = cx + rng.uniform(-0.45, 0.45) * (a1 - a0)
                py = cy + rng.uniform(-0.45, 0.45) * (b1 - b0)
                areas_services.set_geometry(actor=SYSTEM, code=compound.code, point={
                    "type": "Point", "coordinates": [round(px, 6), round(py, 6)]})
    for station in ServiceStation.objects.filter(area_code__startswith=DISTRICT).order_by("code"):
        served = [centre[c] for c in station.serves.values_list("code", flat=True) if c in centre]
        if station.point or not served:
            continue
        # between the communities it serves, as a shared station is sited
        x = sum(p[0] for p in served) / len(served)
        y = sum(p[1] for p in served) / len(served)
        areas_services.save_station(
            actor=SYSTEM, code=station.code, name=station.name, community_code=station.community_id,
            serves=list(station.serves.values_list("code", flat=True)), address=station.address,
            phone=station.phone, opening_hours=station.opening_hours,
            point={"type": "Point", "coordinates": [round(x, 6), round(y, 6)]})


def _facilities() -> None:
    """The 28 stations with floor areas, activity rooms, elderly-care and health points in
    most communities, some schools and clinics: one list, imported at once."""
    if Facility.objects.filter(area_code__startswith=DISTRICT).exists():
        return
    rng = random.Random(SEED + 1)
    rows: list[dict[str, Any]] = []
    for station in ServiceStation.objects.filter(area_code__startswith=DISTRICT).order_by("code"):
        if not station.point:
            continue
        lon, lat = station.point["coordinates"]
        rows.append({"kind": FacilityKind.STATION, "name": station.name,
                     "area_code": station.area_code, "lon": lon, "lat": lat,
                     "floor_area": rng.randrange(400, 1300, 10), "station_code": station.code})
    extra = [(FacilityKind.ACTIVITY, "社区活动室", 0.7, (150, 600)),
             (FacilityKind.ELDERLY, "日间照料中心", 0.6, (200, 700)),
             (FacilityKind.HEALTH, "社区卫生服务站", 0.5, (150, 500))]
    communities = list(Area.objects.filter(code__startswith=DISTRICT, level=Level.COMMUNITY,
                                           valid_to__isnull=True).order_by("code"))
    points: dict[str, list[list[float]]] = {}
    for compound in Area.objects.filter(code__startswith=DISTRICT, level=Level.COMPOUND,
                                        point__isnull=False).order_by("code"):
        if compound.point:
            points.setdefault(compound.code[:12], []).append(compound.point["coordinates"])
    for community in communities:
        here = points.get(community.code)
        if not here:
            continue
        short = community.name.replace("社区居委会", "")
        for kind, label, chance, (low, high) in extra:
            if rng.random() > chance:
                continue
            lon, lat = rng.choice(here)
            rows.append({"kind": kind, "name": f"{short}{label}", "area_code": community.code,
                         "lon": round(lon + rng.uniform(-8e-4, 8e-4), 6),
                         "lat": round(lat + rng.uniform(-8e-4, 8e-4), 6),
                         "floor_area": rng.randrange(low, high, 10)})
    for kind, label, count in ((FacilityKind.SCHOOL, "锦江区第%s小学", 14),
                               (FacilityKind.CLINIC, "锦江区第%s门诊部", 10)):
        for n, community in enumerate(rng.sample(communities, count), start=1):
            here = points.get(community.code)
            if here:
                lon, lat = rng.choice(here)
                rows.append({"kind": kind, "name": label % n, "area_code": community.code,
                             "lon": round(lon + 6e-4, 6), "lat": round(lat - 6e-4, 6),
                             "floor_area": 0})
    services.import_facilities(actor=SYSTEM, rows=rows)
