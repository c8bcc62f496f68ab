"""Area use cases: import, figures, geometry, compounds, stations and division changes."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from shequ import authz
from shequ.areas import geo
from shequ.areas.enums import AuditAction, Code, Perm
from shequ.areas.importer import SHIPPED, load, read_source
from shequ.areas.models import (
    ECONOMIC_DUTIES,
    STREET_DUTIES,
    Area,
    AreaSuccession,
    CommunityKind,
    Department,
    DepartmentCategory,
    Duty,
    DutyKind,
    FunctionalZone,
    Level,
    ServiceStation,
)
from shequ.audit.services import diff, record
from shequ.core.errors import BusinessError, Conflict, NotFound


def _area(code: str) -> Area:
    area = Area.objects.filter(code=code).first()
    if area is None:
        raise NotFound(_("Unknown area code: %(c)s.") % {"c": code}, code=Code.UNKNOWN_AREA,
                       details={"area_code": code})
    return area


def import_divisions(*, actor: Any, source: Path | None = None, within: str = "",
                     progress: Callable[[int], Any] | None = None,
                     on_total: Callable[[int], Any] | None = None) -> dict[str, int]:
    """Import division files (the shipped Sichuan set by default). ``actor=None`` is the
    system (the demo, a deployment script)."""
    authz.check(actor, Perm.MANAGE, within or None)
    rows = read_source(source or SHIPPED, within=within,
                       known=set(Area.objects.filter(level__in=[Level.PROVINCE, Level.CITY,
                                                               Level.DISTRICT])
                                 .values_list("code", flat=True)) if within else None)
    if on_total:
        on_total(len(rows))
    with transaction.atomic():
        counts = load(rows, progress=progress)
        record(actor=actor, action=AuditAction.IMPORT, object_type="areas.area", object_id=within,
               area_code=within, changes={"source": str(source or "shipped"), **counts})
    return counts


def update_figures(*, actor: Any, code: str, population: int | None = None,
                   households: int | None = None) -> Area:
    area = _area(code)
    authz.check(actor, Perm.MANAGE, code)
    for label, value in (("population", population), ("households", households)):
        if value is not None and value < 0:
            raise BusinessError(_("%(f)s cannot be negative.") % {"f": label}, code=Code.NEGATIVE,
                                details={"field": label})
    before = {"population": area.population, "households": area.households}
    after = {k: v for k, v in (("population", population), ("households", households))
             if v is not None}
    with transaction.atomic():
        Area.objects.filter(code=code).update(**after)
        record(actor=actor, action=AuditAction.FIGURES_SET, obj=area, area_code=code,
               changes=diff(before, after))
    area.refresh_from_db()
    return area


def set_geometry(*, actor: Any, code: str, boundary: Any = None, point: Any = None) -> Area:
    area = _area(code)
    authz.check(actor, Perm.MANAGE, code)
    fields: dict[str, Any] = {}
    if boundary is not None:
        fields["boundary"] = geo.validate_boundary(boundary)
    if point is not None:
        fields["point"] = geo.validate_point(point)
    with transaction.atomic():
        Area.objects.filter(code=code).update(**fields)
        record(actor=actor, action=AuditAction.GEOMETRY_SET, obj=area, area_code=code,
               changes={k: "set" for k in fields})
    area.refresh_from_db()
    return area


def create_compound(*, actor: Any, community_code: str, name: str, households: int | None = None,
                    population: int | None = None, point: Any = None) -> Area:
    """A compound's code is its community's plus the next free 3-digit number."""
    community = _area(community_code)
    if community.level != Level.COMMUNITY:
        raise BusinessError(_("Compounds belong to a community; %(c)s is a %(l)s.")
                            % {"c": community_code, "l": community.get_level_display()},
                            code=Code.NOT_A_COMMUNITY)
    authz.check(actor, Perm.MANAGE, community_code)
    if not name.strip():
        raise BusinessError(_("A compound needs a name."), code=Code.NAME_REQUIRED)
    with transaction.atomic():
        siblings = (Area.objects.select_for_update()
                    .filter(parent=community, level=Level.COMPOUND).values_list("code", flat=True))
        taken = {int(c[-3:]) for c in siblings}
        if Area.objects.filter(parent=community, level=Level.COMPOUND, name=name.strip()).exists():
            raise Conflict(_("This community already has a compound named %(n)s.")
                           % {"n": name}, code=Code.COMPOUND_EXISTS)
        number = next(n for n in range(1, 1000) if n not in taken)
        compound = Area.objects.create(
            code=f"{community_code}{number:03d}", name=name.strip(), level=Level.COMPOUND,
            parent=community, households=households, population=population,
            point=geo.validate_point(point) if point is not None else None, source="local")
        record(actor=actor, action=AuditAction.COMPOUND_CREATE, obj=compound,
               area_code=compound.code, changes={"name": compound.name})
    return compound


def set_community_kind(*, actor: Any, code: str, kind: str) -> Area:
    area = _area(code)
    if area.level != Level.COMMUNITY:
        raise BusinessError(_("Only a community has a kind."), code=Code.NOT_A_COMMUNITY)
    if kind not in CommunityKind.values:
        raise BusinessError(_("Unknown community kind: %(k)s.") % {"k": kind}, code=Code.UNKNOWN_KIND)
    authz.check(actor, Perm.MANAGE, code)
    with transaction.atomic():
        Area.objects.filter(code=code).update(kind=kind)
        record(actor=actor, action=AuditAction.KIND_SET, obj=area, area_code=code,
               changes=diff({"kind": area.kind}, {"kind": kind}))
    area.kind = kind
    return area


def record_succession(*, actor: Any, predecessor: str, successor: str, effective: date,
                      kind: str = AreaSuccession.Kind.MERGE, note: str = "") -> AreaSuccession:
    """Record that ``predecessor`` ended the day before ``effective`` and passed to
    ``successor``; records filed under the old code keep resolving (ADR 0005)."""
    old, new = _area(predecessor), _area(successor)
    authz.check(actor, Perm.MANAGE, predecessor)
    if old.level != new.level:
        raise BusinessError(_("A division can only pass to one of the same level."),
                            code=Code.LEVEL_MISMATCH)
    with transaction.atomic():
        succession, _created = AreaSuccession.objects.update_or_create(
            predecessor=old, successor=new, defaults={"kind": kind, "effective": effective,
                                                      "note": note})
        ended = date.fromordinal(effective.toordinal() - 1)
        Area.objects.filter(code=old.code).update(valid_to=ended)
        if new.valid_from is None or new.valid_from > effective:
            Area.objects.filter(code=new.code).update(valid_from=effective)
        record(actor=actor, action=AuditAction.SUCCESSION_RECORD, obj=succession, area_code=old.code,
               changes={"predecessor": old.code, "successor": new.code,
                        "effective": effective, "kind": kind})
    return succession


def save_station(*, actor: Any, code: str, name: str, community_code: str,
                 serves: list[str] | None = None, address: str = "", phone: str = "",
                 opening_hours: str = "", point: Any = None) -> ServiceStation:
    community = _area(community_code)
    if community.level != Level.COMMUNITY:
        raise BusinessError(_("A station is hosted by a community."), code=Code.NOT_A_COMMUNITY)
    authz.check(actor, Perm.MANAGE, community_code)
    served = [_area(c) for c in (serves or [community_code])]
    for area in served:
        if area.level != Level.COMMUNITY:
            raise BusinessError(_("A station serves communities; %(c)s is not one.")
                                % {"c": area.code}, code=Code.NOT_A_COMMUNITY)
    with transaction.atomic():
        station, created = ServiceStation.objects.update_or_create(
            code=code, defaults={"name": name, "community": community, "area_code": community.code,
                                 "address": address, "phone": phone,
                                 "opening_hours": opening_hours,
                                 "point": geo.validate_point(point) if point is not None else None})
        station.serves.set(served)
        record(actor=actor, action=AuditAction.STATION_SAVE, obj=station, area_code=community.code,
               changes={"name": name, "serves": [a.code for a in served], "created": created})
    return station


def ensure_duties() -> None:
    """The twelve duties as rows (the migration makes them; test databases built from the
    models and a fresh demo get them here). Idempotent."""
    if Duty.objects.count() == len(STREET_DUTIES) + len(ECONOMIC_DUTIES):
        return
    for i, code in enumerate((*STREET_DUTIES, *ECONOMIC_DUTIES), start=1):
        Duty.objects.update_or_create(code=code, defaults={
            "kind": DutyKind.STREET if code in STREET_DUTIES else DutyKind.ECONOMIC, "order": i})


def save_department(*, actor: Any, name: str, duties: list[str], street_code: str = "",
                    zone_id: int | None = None, category: str = "",
                    valid_from: date | None = None) -> Department:
    """Create or update a street office's department (科室) with its category and duties,
    or a functional zone committee's department (economic duties only: the reform moved
    economic work out of the streets, ADR 1000)."""
    name = (name or "").strip()
    if not name:
        raise BusinessError(_("A department needs a name."), code=Code.NAME_REQUIRED)
    if len(name) > 100:
        raise BusinessError(_("A department name has at most 100 characters."),
                            code=Code.NAME_REQUIRED)
    zone: FunctionalZone | None = None
    street: Area | None = None
    if zone_id is not None:
        zone = FunctionalZone.objects.filter(pk=zone_id).select_related("district").first()
        if zone is None:
            raise NotFound(_("Unknown functional zone."), code=Code.UNKNOWN_ZONE)
        area_code, kind = zone.district_id, DutyKind.ECONOMIC
    else:
        street = _area(street_code)
        if street.level != Level.STREET:
            raise BusinessError(_("%(c)s is not a street: departments belong to street offices.")
                                % {"c": street_code}, code=Code.LEVEL_MISMATCH)
        area_code, kind = street.code, DutyKind.STREET
        if category not in DepartmentCategory.values:
            raise BusinessError(
                _("A street department belongs to one of the four categories of the reform "
                  "(public service, social management, social service, administrative "
                  "enforcement)."), code=Code.CATEGORY_REQUIRED)
    authz.check(actor, Perm.MANAGE, area_code)
    ensure_duties()
    found = {d.code: d for d in Duty.objects.filter(code__in=duties)}
    unknown = [c for c in duties if c not in found]
    if unknown:
        raise BusinessError(_("Unknown duty: %(d)s.") % {"d": ", ".join(unknown)},
                            code=Code.UNKNOWN_DUTY)
    wrong = [d for d in found.values() if d.kind != kind]
    if wrong:
        if kind == DutyKind.STREET:
            msg = _("%(d)s is economic work of the functional zones' management committees; "
                    "after the reform a street office does not hold it.")
        else:
            msg = _("%(d)s is a street office's duty; a functional zone's management "
                    "committee holds economic work only.")
        raise BusinessError(msg % {"d": "、".join(str(d) for d in wrong)}, code=Code.DUTY_HOLDER)
    with transaction.atomic():
        dept = (Department.objects.select_for_update()
                .filter(area_code=area_code, name=name, valid_to__isnull=True).first())
        before = {} if dept is None else {"category": dept.category,
                                          "duties": sorted(dept.duties.values_list("code", flat=True))}
        if dept is None:
            dept = Department.objects.create(street=street, zone=zone, area_code=area_code,
                                             name=name, category=category if street else "",
                                             valid_from=valid_from)
        else:
            dept.category = category if street else ""
            dept.save(update_fields=["category"])
        dept.duties.set(found.values())
        record(actor=actor, action=AuditAction.DEPARTMENT_SAVE, obj=dept, area_code=area_code,
               changes={"name": name, "before": before, "category": dept.category,
                        "duties": sorted(found)})
    return dept
