"""Calendar data entry: an administrator enters a year's holiday notice, or adjusts a
day locally. The arithmetic is ``core.calendar``; this app only writes its data."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from shequ import authz
from shequ.audit.services import record
from shequ.core import calendar
from shequ.core.errors import BusinessError
from shequ.core.models import CalendarDay, CalendarYear, DayKind
from shequ.workdays.enums import AuditAction, Code, Perm


def enter_year(*, actor: Any, year: int, holidays: list[tuple[date, date, str]],
               workdays: list[date], source: str) -> CalendarYear:
    """Enter a year's official notice: holiday periods (first day, last day, name) and
    make-up working days. Replaces what was entered for that year before."""
    authz.check(actor, Perm.MANAGE)
    if not source.strip():
        raise BusinessError(_("Name the notice the dates come from."), code=Code.SOURCE_REQUIRED)
    days: dict[date, tuple[str, str]] = {}
    for first, last, name in holidays:
        if last < first:
            raise BusinessError(_("A holiday period ends before it starts: %(a)s – %(b)s.")
                                % {"a": first, "b": last}, code=Code.BAD_PERIOD)
        day = first
        while day <= last:
            days[day] = (DayKind.HOLIDAY, name)
            day += timedelta(days=1)
    for day in workdays:
        if day in days:
            raise BusinessError(_("%(d)s is both a holiday and a make-up working day.") % {"d": day},
                                code=Code.DAY_CONFLICT)
        days[day] = (DayKind.WORKDAY, str(_("Make-up working day")))
    outside = sorted(d for d in days if d.year != year)
    if outside:
        raise BusinessError(_("%(d)s is not in %(y)d.") % {"d": outside[0], "y": year},
                            code=Code.WRONG_YEAR, details={"dates": [d.isoformat() for d in outside]})
    with transaction.atomic():
        CalendarDay.objects.filter(date__year=year).delete()
        CalendarDay.objects.bulk_create(CalendarDay(date=d, kind=k, name=n)
                                        for d, (k, n) in sorted(days.items()))
        entered_by = actor if getattr(actor, "pk", None) else None
        entry, _created = CalendarYear.objects.update_or_create(
            year=year, defaults={"source": source, "entered_by": entered_by})
        record(actor=actor, action=AuditAction.ENTER_YEAR, obj=entry,
               changes={"year": year, "source": source, "holidays": len(holidays),
                        "workdays": [d.isoformat() for d in workdays]})
        calendar.invalidate()
        transaction.on_commit(calendar.invalidate)
    return entry


def set_day(*, actor: Any, day: date, kind: str, name: str = "", note: str = "") -> CalendarDay:
    """A local adjustment of one day (e.g. a provincial holiday)."""
    authz.check(actor, Perm.MANAGE)
    if kind not in DayKind.values:
        raise BusinessError(_("Unknown day kind: %(k)s.") % {"k": kind}, code=Code.UNKNOWN_KIND)
    if day.year not in calendar.get_calendar().known_years:
        raise calendar.CalendarYearUnknown(day.year)
    with transaction.atomic():
        entry, _created = CalendarDay.objects.update_or_create(
            date=day, defaults={"kind": kind, "name": name, "note": note})
        record(actor=actor, action=AuditAction.SET_DAY, obj=entry,
               changes={"date": day, "kind": kind, "name": name, "note": note})
        calendar.invalidate()
        transaction.on_commit(calendar.invalidate)
    return entry
