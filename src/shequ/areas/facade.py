"""What other modules may ask ``areas`` about street offices as organisations (ADR 1000,
1003): the duties, the departments (科室) of a street office, and which department
handles a duty. Not scoped: the caller has checked its actor. People, services and
assessment reach departments only through here (an import contract keeps it so)."""

from __future__ import annotations

from datetime import date
from typing import Any

from shequ.areas import services as _services
from shequ.areas.models import STREET_DUTIES, Department, Duty, DutyCode, Level

__all__ = ["STREET_DUTIES", "Department", "Duty", "DutyCode", "department", "department_in",
           "departments_by_id", "departments_of", "departments_within", "duty",
           "duty_holders", "ensure_duties", "handling_department", "handling_department_id",
           "office_code", "save_department", "street_duties"]

STREET_LENGTH = 9
DISTRICT_LENGTH = 6


def ensure_duties() -> None:
    _services.ensure_duties()


def save_department(**kwargs: Any) -> Department:
    """``areas.services.save_department`` (checks its actor's ``areas.manage``)."""
    return _services.save_department(**kwargs)


def duty(code: str) -> Duty | None:
    ensure_duties()
    return Duty.objects.filter(code=code).first()


def street_duties() -> list[Duty]:
    """The eight duties of a street office, in their order."""
    ensure_duties()
    return list(Duty.objects.filter(code__in=STREET_DUTIES).order_by("order"))


def office_code(level: str, area_code: str) -> str:
    """Whose departments a unit's staff may be posted to: the street office's for a
    street, a community or a station (the street above it), the district's (its
    functional zones' committees) for a district."""
    if level == Level.DISTRICT or len(area_code) == DISTRICT_LENGTH:
        return area_code[:DISTRICT_LENGTH]
    return area_code[:STREET_LENGTH]


def _current(on: date | None) -> Any:
    from django.db.models import Q

    if on is None:
        return Q(valid_to__isnull=True)
    return ((Q(valid_from__isnull=True) | Q(valid_from__lte=on))
            & (Q(valid_to__isnull=True) | Q(valid_to__gte=on)))


def departments_of(office: str, *, on: date | None = None) -> list[Department]:
    """The departments of one street office (or one district's zone committees), current
    on ``on`` (today's when ``None``), by name, with their duties."""
    return list(Department.objects.filter(_current(on), area_code=office)
                .select_related("street", "zone").prefetch_related("duties")
                .order_by("name", "pk"))


def departments_within(prefix: str) -> list[Department]:
    """Current departments of every street office under ``prefix`` (a district or a
    street), for pickers grouped by street."""
    return list(Department.objects.filter(valid_to__isnull=True, area_code__startswith=prefix,
                                          street__isnull=False)
                .select_related("street").order_by("area_code", "name", "pk"))


def department(pk: Any) -> Department | None:
    """One department by id (``None`` for an unknown or malformed id)."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        return None
    return (Department.objects.filter(pk=pk).select_related("street", "zone")
            .prefetch_related("duties").first())


def departments_by_id(ids: list[int]) -> list[Department]:
    """Departments by id with their street (labels of a statistics grouping)."""
    return list(Department.objects.filter(pk__in=ids).select_related("street"))


def department_in(pk: Any, office: str, *, on: date | None = None) -> Department | None:
    """The department ``pk`` if it belongs to ``office`` and is current on ``on``; ``None``
    otherwise. Callers refuse with one message whatever the reason, so an id from another
    street tells nothing about that street."""
    found = department(pk)
    if found is None or found.area_code != office:
        return None
    if on is not None and ((found.valid_from and found.valid_from > on)
                           or (found.valid_to and found.valid_to < on)):
        return None
    if on is None and found.valid_to is not None:
        return None
    return found


def handling_department(street_code: str, duty_code: str, category: str = "", *,
                        on: date | None = None) -> Department | None:
    """The department of ``street_code``'s office that handles work of ``duty_code``: of
    the departments holding the duty, the one of ``category`` if there is one, else the
    one recorded first; ``None`` when no department of the street holds the duty."""
    if not duty_code or len(street_code) != STREET_LENGTH:
        return None
    holders = sorted((d for d in departments_of(street_code, on=on)
                      if any(x.code == duty_code for x in d.duties.all())), key=lambda d: d.pk)
    if not holders:
        return None
    same = [d for d in holders if category and d.category == category]
    return (same or holders)[0]


def handling_department_id(street_code: str, duty_code: str, category: str = "") -> int | None:
    """:func:`handling_department`'s id in one query (a case's submission)."""
    if not duty_code or len(street_code) != STREET_LENGTH:
        return None
    rows = list(Department.objects.filter(valid_to__isnull=True, area_code=street_code,
                                          duties__code=duty_code)
                .order_by("pk").values_list("pk", "category"))
    same = [pk for pk, cat in rows if category and cat == category]
    found = same or [pk for pk, _cat in rows]
    return found[0] if found else None


def duty_holders(street_code: str, *, on: date | None = None) -> dict[str, list[Department]]:
    """Each duty's code → the departments of the street office that hold it."""
    out: dict[str, list[Department]] = {}
    for dept in departments_of(street_code, on=on):
        for d in dept.duties.all():
            out.setdefault(d.code, []).append(dept)
    return out
