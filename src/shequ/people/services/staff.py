"""Cadres, community workers and social workers: their postings (交流轮岗 when a
posting is a rotation), qualifications and training. Scoping follows the current posting:
``StaffMember.area_code`` is where they serve now."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from shequ.areas import facade as areas
from shequ.areas.models import Area, ServiceStation
from shequ.audit.services import diff, record
from shequ.core.errors import BusinessError, Conflict, NotFound
from shequ.people import access
from shequ.people.enums import AuditAction, Code
from shequ.people.models import (
    Posting,
    Qualification,
    StaffKind,
    StaffMember,
    Training,
    UnitLevel,
)


def _check_level_area(level: str, area_code: str, station_code: str | None
                      ) -> ServiceStation | None:
    expected = {UnitLevel.DISTRICT: 6, UnitLevel.STREET: 9, UnitLevel.COMMUNITY: 12}
    if level not in UnitLevel.values:
        raise BusinessError(_("Unknown unit level: %(l)s.") % {"l": level}, code=Code.UNKNOWN_LEVEL)
    station = None
    if level == UnitLevel.STATION:
        station = ServiceStation.objects.filter(code=station_code or "").first()
        if station is None:
            raise NotFound(_("Unknown service station: %(s)s.") % {"s": station_code or "—"},
                           code=Code.UNKNOWN_STATION)
    elif len(area_code) != expected[UnitLevel(level)] or not Area.objects.filter(code=area_code).exists():
        raise BusinessError(_("%(a)s is not a %(l)s code.") % {"a": area_code,
                                                              "l": UnitLevel(level).label},
                            code=Code.BAD_POSTING_AREA, details={"area_code": area_code})
    return station


def _check_department(department_id: Any, level: str, where: str, on: date
                      ) -> areas.Department | None:
    """The department (科室) of a posting: one of the departments of the street office the
    posting's area sits under (the district's zone committees for a district posting),
    current on the posting's first day (ADR 1003). One refusal whatever the reason (an
    unknown id, another street's, an ended one), naming only the posting's own office,
    so an id tells nothing about another street."""
    if department_id in (None, ""):
        return None
    office = areas.office_code(level, where)
    found = areas.department_in(department_id, office, on=on)
    if found is None:
        name = Area.objects.filter(code=office).values_list("name", flat=True).first() or office
        raise BusinessError(
            _("The department chosen is not a current department of %(office)s, the office "
              "the posting's area belongs to; choose one of its departments.")
            % {"office": name}, code=Code.BAD_POSTING_DEPARTMENT,
            details={"field": "department_id"})
    return found


MAX_HOURS = Decimal("99999.9")  # Training.hours: six digits, one after the point


def create_staff(*, actor: Any, code: str, name: str, kind: str, level: str, area_code: str,
                 start_date: date, position: str = "", station_code: str | None = None,
                 qualification: str = "", qualified_on: date | None = None, sex: str = "",
                 birth_year: int | None = None, joined_on: date | None = None,
                 department_id: int | None = None) -> StaffMember:
    """A new staff member with their first posting (in ``department_id``, a department of
    the posting's street office, if given)."""
    if kind not in StaffKind.values:
        raise BusinessError(_("Unknown staff kind: %(k)s.") % {"k": kind}, code=Code.UNKNOWN_KIND)
    if qualification not in Qualification.values:
        raise BusinessError(_("Unknown qualification: %(q)s.") % {"q": qualification},
                            code=Code.UNKNOWN_QUALIFICATION)
    station = _check_level_area(level, area_code, station_code)
    where = station.area_code if station else area_code
    access.can_manage_staff.check(actor, where)
    department = _check_department(department_id, level, where, start_date)
    if not name.strip() or not code.strip():
        raise BusinessError(_("Name and staff number are required."), code=Code.NAME_REQUIRED)
    with transaction.atomic():
        if StaffMember.objects.filter(code=code).exists():
            raise Conflict(_("Staff number %(c)s is taken.") % {"c": code}, code=Code.STAFF_CODE_TAKEN)
        staff = StaffMember.objects.create(
            code=code.strip(), name=name.strip(), kind=kind, qualification=qualification,
            qualified_on=qualified_on, sex=sex, birth_year=birth_year, area_code=where,
            joined_on=joined_on or start_date)
        Posting.objects.create(staff=staff, level=level, area_code=where, station=station,
                               department=department, position=position,
                               start_date=start_date)
        record(actor=actor, action=AuditAction.STAFF_CREATE, obj=staff, area_code=where,
               changes={"kind": kind, "level": level, "area_code": where, "position": position,
                        "department": department.pk if department else None})
    return staff


def post_staff(*, actor: Any, staff: StaffMember, level: str, area_code: str, start_date: date,
               position: str = "", station_code: str | None = None, rotation: bool = True,
               department_id: int | None = None) -> Posting:
    """Post a staff member elsewhere (交流轮岗 when ``rotation``): the current posting ends
    the day before. ``department_id``: a department of the new posting's street office."""
    station = _check_level_area(level, area_code, station_code)
    where = station.area_code if station else area_code
    access.can_manage_staff.check(actor, staff.area_code)
    access.can_manage_staff.check(actor, where)
    department = _check_department(department_id, level, where, start_date)
    with transaction.atomic():
        current = staff.postings.filter(end_date__isnull=True).first()
        if current is not None:
            if start_date <= current.start_date:
                raise BusinessError(_("The new posting must start after the current one (%(d)s).")
                                    % {"d": current.start_date}, code=Code.POSTING_DATES)
            current.end_date = start_date - timedelta(days=1)
            current.save(update_fields=["end_date"])
        posting = Posting.objects.create(staff=staff, level=level, area_code=where, station=station,
                                         department=department, position=position,
                                         start_date=start_date, rotation=rotation)
        old_area = staff.area_code
        staff.area_code = where
        staff.save(update_fields=["area_code"])
        record(actor=actor, action=AuditAction.STAFF_POST, obj=staff, area_code=where,
               changes={"from": old_area, "to": where, "rotation": rotation,
                        "start_date": start_date,
                        "department": department.pk if department else None})
    return posting


def set_qualification(*, actor: Any, staff: StaffMember, qualification: str,
                      qualified_on: date | None) -> StaffMember:
    access.can_manage_staff.check(actor, staff.area_code)
    if qualification not in Qualification.values:
        raise BusinessError(_("Unknown qualification: %(q)s.") % {"q": qualification},
                            code=Code.UNKNOWN_QUALIFICATION)
    with transaction.atomic():
        before = {"qualification": staff.qualification, "qualified_on": staff.qualified_on}
        staff.qualification, staff.qualified_on = qualification, qualified_on
        staff.save(update_fields=["qualification", "qualified_on"])
        record(actor=actor, action=AuditAction.STAFF_QUALIFY, obj=staff, area_code=staff.area_code,
               changes=diff(before, {"qualification": qualification, "qualified_on": qualified_on}))
    return staff


def add_training(*, actor: Any, staff: StaffMember, title: str, start_date: date,
                 hours: Decimal | int | str = 0, provider: str = "") -> Training:
    access.can_manage_staff.check(actor, staff.area_code)
    if not title.strip():
        raise BusinessError(_("The course needs a title."), code=Code.TITLE_REQUIRED)
    try:
        hours_d = Decimal(str(hours))
    except InvalidOperation:
        hours_d = Decimal("NaN")
    if hours_d.is_nan() or hours_d > MAX_HOURS:
        raise BusinessError(_("Hours must be a number up to %(max)s.") % {"max": MAX_HOURS},
                            code=Code.BAD_HOURS, details={"field": "hours"})
    if hours_d < 0:
        raise BusinessError(_("Hours cannot be negative."), code=Code.NEGATIVE,
                            details={"field": "hours"})
    with transaction.atomic():
        training = Training.objects.create(staff=staff, title=title.strip(), provider=provider,
                                           start_date=start_date, hours=hours_d)
        record(actor=actor, action=AuditAction.STAFF_TRAIN, obj=training, area_code=staff.area_code,
               changes={"staff": staff.pk, "title": training.title, "hours": hours_d})
    return training
