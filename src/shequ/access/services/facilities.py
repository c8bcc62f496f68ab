"""Keeping the facility list: places residents walk to, with their floor area."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from shequ import authz
from shequ.access.enums import AuditAction, Code, Perm
from shequ.access.models import Facility, FacilityKind
from shequ.areas.geo import InvalidGeometry, validate_point
from shequ.areas.models import Area, Level, ServiceStation
from shequ.audit.services import record
from shequ.core.errors import BusinessError, Conflict, NotFound

MAX_FLOOR_AREA = 100_000


def _community(code: str) -> Area:
    area = Area.objects.filter(code=code, valid_to__isnull=True).first()
    if area is None:
        raise NotFound(_("Unknown area code: %(c)s.") % {"c": code}, code=Code.NOT_AN_AREA,
                       details={"area_code": code})
    if area.level != Level.COMMUNITY:
        raise BusinessError(_("A facility belongs to a community; %(name)s is not one.")
                            % {"name": area.name}, code=Code.NOT_COMMUNITY)
    return area


def _point(lon: float, lat: float) -> tuple[float, float]:
    try:
        validate_point({"type": "Point", "coordinates": [float(lon), float(lat)]})
    except (InvalidGeometry, TypeError, ValueError) as exc:
        message = exc.message if isinstance(exc, InvalidGeometry) else _("Not a number.")
        raise BusinessError(_("The location is not usable: %(why)s") % {"why": message},
                            code=Code.BAD_POINT, details={"lon": lon, "lat": lat}) from None
    return float(lon), float(lat)


def save_facility(*, actor: Any, kind: str, name: str, area_code: str, lon: float, lat: float,
                  floor_area: int = 0, facility_id: int | None = None,
                  station_code: str = "") -> Facility:
    """Add a facility, or change one (``facility_id``)."""
    community = _community(area_code)
    authz.check(actor, Perm.MANAGE, community.code)
    if kind not in FacilityKind.values:
        raise BusinessError(_("Unknown kind of facility: %(k)s.") % {"k": kind},
                            code="unknown_kind", details={"known": list(FacilityKind.values)})
    name = name.strip()
    if not name:
        raise BusinessError(_("A facility needs a name."), code="name_required")
    if len(name) > 100:
        raise BusinessError(_("The facility name is longer than 100 characters."), code="name_too_long")
    if not isinstance(floor_area, int) or floor_area < 0 or floor_area > MAX_FLOOR_AREA:
        raise BusinessError(_("Enter the floor area as a whole number of square metres from "
                              "0 to %(max)s.") % {"max": f"{MAX_FLOOR_AREA:,}"},
                            code=Code.BAD_FLOOR_AREA, details={"floor_area": floor_area})
    lon, lat = _point(lon, lat)
    station = None
    if station_code:
        station = ServiceStation.objects.filter(code=station_code).first()
        if station is None:
            raise NotFound(_("Unknown station: %(c)s.") % {"c": station_code},
                           code="unknown_station")
    with transaction.atomic():
        clash = Facility.objects.filter(area_code=community.code, kind=kind, name=name)
        if facility_id is not None:
            clash = clash.exclude(pk=facility_id)
        if clash.exists():
            raise Conflict(_("This community already has a %(kind)s named %(name)s.")
                           % {"kind": FacilityKind(kind).label, "name": name},
                           code=Code.FACILITY_EXISTS)
        if facility_id is None:
            facility = Facility(kind=kind)
        else:
            found = Facility.objects.select_for_update().filter(pk=facility_id).first()
            if found is None or not authz.has_perm(actor, Perm.MANAGE, found.area_code):
                raise NotFound(code="unknown_facility")
            facility = found
        before = {"kind": facility.kind, "name": facility.name, "area_code": facility.area_code,
                  "floor_area": facility.floor_area} if facility.pk else {}
        facility.kind, facility.name, facility.area_code = kind, name, community.code
        facility.lon, facility.lat, facility.floor_area = lon, lat, floor_area
        facility.station = station
        facility.save()
        record(actor=actor, action=AuditAction.FACILITY_SAVE, obj=facility,
               area_code=community.code,
               changes={"before": before, "kind": kind, "name": name,
                        "floor_area": floor_area, "lon": lon, "lat": lat})
    return facility


def delete_facility(*, actor: Any, facility_id: int) -> None:
    with transaction.atomic():
        facility = Facility.objects.select_for_update().filter(pk=facility_id).first()
        if facility is None or not authz.has_perm(actor, Perm.VIEW, facility.area_code):
            raise NotFound(code="unknown_facility")
        authz.check(actor, Perm.MANAGE, facility.area_code)
        record(actor=actor, action=AuditAction.FACILITY_DELETE, obj=facility,
               area_code=facility.area_code,
               changes={"kind": facility.kind, "name": facility.name})
        facility.delete()


def sync_stations(*, actor: Any, area_code: str, floor_area: int = 0) -> tuple[int, list[str]]:
    """Put every service station of the area with a location on the facility list (its
    floor area kept when already listed); returns how many and the names of the stations
    without a location, which cannot be placed."""
    authz.check(actor, Perm.MANAGE, area_code)
    placed = 0
    missing: list[str] = []
    for station in ServiceStation.objects.filter(area_code__startswith=area_code).order_by("code"):
        point = station.point or {}
        coords = point.get("coordinates") if isinstance(point, dict) else None
        if not coords:
            missing.append(station.name)
            continue
        existing = Facility.objects.filter(kind=FacilityKind.STATION, station=station).first()
        save_facility(actor=actor, kind=FacilityKind.STATION, name=station.name,
                      area_code=station.area_code, lon=coords[0], lat=coords[1],
                      floor_area=existing.floor_area if existing else floor_area,
                      facility_id=existing.pk if existing else None, station_code=station.code)
        placed += 1
    return placed, missing


def import_facilities(*, actor: Any, rows: list[dict[str, Any]]) -> int:
    """Add many facilities at once (a list kept in a spreadsheet, the demo): every row is
    checked first and any problem refuses the whole list, naming the row; one audit
    entry per community."""
    communities = {a.code: a for a in Area.objects.filter(
        code__in={str(r.get("area_code", "")) for r in rows}, valid_to__isnull=True)}
    stations = {s.code: s for s in ServiceStation.objects.filter(
        code__in={r["station_code"] for r in rows if r.get("station_code")})}
    taken = set(Facility.objects.filter(area_code__in=communities).values_list(
        "area_code", "kind", "name"))
    made: list[Facility] = []
    for n, row in enumerate(rows, start=1):
        try:
            community = communities.get(str(row.get("area_code", "")))
            if community is None or community.level != Level.COMMUNITY:
                raise BusinessError(_("Unknown community code: %(c)s.")
                                    % {"c": row.get("area_code", "")}, code=Code.NOT_COMMUNITY)
            authz.check(actor, Perm.MANAGE, community.code)
            kind, name = str(row.get("kind", "")), str(row.get("name", "")).strip()
            if kind not in FacilityKind.values:
                raise BusinessError(_("Unknown kind of facility: %(k)s.") % {"k": kind},
                                    code="unknown_kind")
            if not name or len(name) > 100:
                raise BusinessError(_("A facility needs a name of at most 100 characters."),
                                    code="name_required")
            area = row.get("floor_area", 0)
            if not isinstance(area, int) or not 0 <= area <= MAX_FLOOR_AREA:
                raise BusinessError(_("Enter the floor area as a whole number of square metres "
                                      "from 0 to %(max)s.") % {"max": f"{MAX_FLOOR_AREA:,}"},
                                    code=Code.BAD_FLOOR_AREA)
            if (community.code, kind, name) in taken:
                raise Conflict(_("This community already has a %(kind)s named %(name)s.")
                               % {"kind": FacilityKind(kind).label, "name": name},
                               code=Code.FACILITY_EXISTS)
            lon, lat = _point(row.get("lon"), row.get("lat"))  # type: ignore[arg-type]
        except BusinessError as exc:
            raise BusinessError(_("Row %(n)s: %(problem)s") % {"n": n, "problem": exc.message},
                                code=exc.code, details={"row": n, **exc.details}) from None
        taken.add((community.code, kind, name))
        made.append(Facility(kind=kind, name=name, area_code=community.code, lon=lon, lat=lat,
                             floor_area=area, station=stations.get(row.get("station_code", ""))))
    with transaction.atomic():
        Facility.objects.bulk_create(made, batch_size=500)
        by_community: dict[str, list[str]] = {}
        for f in made:
            by_community.setdefault(f.area_code, []).append(f.name)
        for code, names in sorted(by_community.items()):
            record(actor=actor, action=AuditAction.FACILITY_SAVE, object_type="access.facility",
                   object_id=code, area_code=code, changes={"imported": names})
    return len(made)
