"""What an analysis or a siting run gives people: a PNG map, GeoJSON and an Excel
workbook, all saying which network (and whether it is a generated one) and which
facility list the figures come from."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from shequ.access import selectors
from shequ.access.engine import render
from shequ.access.engine.network import WalkNetwork
from shequ.access.models import Analysis, Facility, FacilityKind, SitingRun
from shequ.core.excel import Sheet, workbook


def _minutes(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f}"


def _network(analysis: Analysis) -> WalkNetwork:
    return WalkNetwork.from_bytes(bytes(analysis.network.data or b""))


def _stations(analysis: Analysis) -> list[Facility]:
    return list(Facility.objects.filter(area_code__startswith=analysis.network.area_code,
                                        kind=FacilityKind.STATION))


def map_png(analysis: Analysis, within: str = "", run: SitingRun | None = None) -> bytes:
    rows = list(selectors.compounds(analysis, within))
    points = [render.MapPoint(r.lon, r.lat, r.station_minutes, r.population)
              for r in rows if r.lon is not None and r.lat is not None]
    stations = _stations(analysis)
    sites = [render.MapPoint(s["lon"], s["lat"]) for s in (run.chosen if run else [])]
    bbox = None
    pts = [*points, *sites]
    if pts:
        pad = 0.004
        bbox = (min(p.lon for p in pts) - pad, min(p.lat for p in pts) - pad,
                max(p.lon for p in pts) + pad, max(p.lat for p in pts) + pad)
    return render.png(_network(analysis), points,
                      [render.MapPoint(s.lon, s.lat) for s in stations], analysis.bands,
                      new_sites=sites, bbox=bbox)


def geojson(analysis: Analysis, within: str = "", run: SitingRun | None = None) -> dict[str, Any]:
    feats = []
    for r in selectors.compounds(analysis, within):
        if r.lon is None or r.lat is None:
            continue
        feats.append(render.feature(r.lon, r.lat, {
            "kind": "compound", "code": r.area_code, "name": r.name, "population": r.population,
            "station_minutes": r.station_minutes, "station": r.station_name,
            "minutes": r.minutes, "snapped": r.snapped}))
    for s in _stations(analysis):
        feats.append(render.feature(s.lon, s.lat, {"kind": "station", "name": s.name,
                                                   "floor_area": s.floor_area}))
    for site in (run.chosen if run else []):
        feats.append(render.feature(site["lon"], site["lat"], {
            "kind": "proposed_station", "population": site["population"],
            "compounds": site["compounds"]}))
    network = analysis.network
    return render.collection(
        feats, analysis=analysis.pk, area_code=analysis.area_code,
        network={"version": network.version, "source": network.source,
                 "generated": network.source == "generated"},
        facilities_on=analysis.facilities_on.isoformat() if analysis.facilities_on else None,
        bands=analysis.bands, metres_per_minute=analysis.speed,
        siting=run.pk if run else None)


def workbook_bytes(analysis: Analysis, within: str = "") -> bytes:
    b1, b2, b3 = analysis.bands
    network = analysis.network
    source = (_("generated street grid (not real streets)") if network.source == "generated"
              else _("OpenStreetMap extract %(file)s") % {"file": network.file_name})
    about = Sheet(_("About"), [_("Item"), _("Value")], [
        [_("Area"), selectors.area_name(analysis.area_code)],
        [_("Walking network"), _("version %(v)s, %(source)s") % {"v": network.version,
                                                                 "source": source}],
        [_("Facility list of"), analysis.facilities_on],
        [_("Walking distance per minute (metres)"), analysis.speed],
        [_("Rules version"), analysis.profile_version],
    ])
    areas = Sheet(_("Coverage by area"), [
        _("Area code"), _("Area name"), _("Residents"), _("Within %(n)s minutes") % {"n": b1},
        _("Within %(n)s minutes") % {"n": b2}, _("Within %(n)s minutes") % {"n": b3},
        _("Share within %(n)s minutes (%%)") % {"n": b3}, _("Compounds"),
        _("Compounds outside"), _("Communities"), _("With a facility"),
        _("Meeting the floor-area standard"), _("Floor area (m²)"), _("Households")],
        ([a.area_code, a.name, a.population, a.within_1, a.within_2, a.within_3,
          f"{a.within_3 / a.population * 100:.1f}" if a.population else "—", a.compounds,
          a.outside, a.communities, a.with_facility, a.area_ok, a.floor_area, a.households]
         for a in analysis.areas.filter(area_code__startswith=within or "").order_by("area_code")))
    kinds = list(FacilityKind)
    compounds = Sheet(_("Compounds"), [
        _("Compound code"), _("Compound"), _("Residents"), _("Nearest station"),
        _("Minutes to the station"), *[_("Minutes to: %(kind)s") % {"kind": k.label}
                                       for k in kinds[1:]]],
        ([c.area_code, c.name, c.population, c.station_name, _minutes(c.station_minutes),
          *[_minutes(c.minutes.get(k.value)) for k in kinds[1:]]]
         for c in selectors.compounds(analysis, within).iterator()))
    problems = Sheet(_("Problems"), [_("Problem")], ([p] for p in selectors.problems(analysis)))
    return workbook(about, areas, compounds, problems)
