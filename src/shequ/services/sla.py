"""The clock: deadlines and time-limit status on the working-day calendar.

Pure functions over a :class:`~shequ.core.calendar.WorkdayCalendar` snapshot, so a page,
the sweep job and a benchmark over a million cases compute the same thing.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date, timedelta
from typing import Protocol

from django.db.models import Case as DbCase
from django.db.models import CharField, F, Q, Value, When

from shequ.core.calendar import WorkdayCalendar
from shequ.services.models import State


class Clocked(Protocol):
    state: str
    accepted_on: date | None
    due_on: date | None
    decided_on: date | None
    limit_days: int
    extension_days: int
    paused_workdays: int


def due_date(cal: WorkdayCalendar, accepted_on: date, limit_days: int, extension_days: int = 0,
             paused_workdays: int = 0) -> date:
    """The last working day of the period: the first day (acceptance) is not counted,
    excluded periods push the deadline by the working days they took."""
    return cal.add(accepted_on, limit_days + extension_days + paused_workdays)


def excluded_workdays(cal: WorkdayCalendar, started_on: date, resumed_on: date) -> int:
    """Working days in [started_on, resumed_on): the clock stops on the first day and runs
    again on the day it restarts."""
    return cal.between(started_on - timedelta(days=1), resumed_on - timedelta(days=1))


def workdays_used(cal: WorkdayCalendar, accepted_on: date, decided_on: date,
                  paused_workdays: int = 0) -> int:
    return max(cal.between(accepted_on, decided_on) - paused_workdays, 0)


def status(case: Clocked, today: date, cal: WorkdayCalendar, warning_days: int,
           state: str | None = None) -> str:
    """One of :class:`~shequ.services.models.Sla`'s values; ``state`` is the state the
    case is about to enter (a step computes the status it will have after moving)."""
    state = state or case.state
    if case.decided_on is not None and case.due_on is not None:
        return "done_on_time" if case.decided_on <= case.due_on else "done_late"
    if state in (State.SUBMITTED, State.CORRECTION):
        return "not_started"
    if state == State.SUSPENDED:
        return "paused"
    if state != State.IN_REVIEW or case.due_on is None:
        return "ended"
    if today > case.due_on:
        return "overdue"
    if cal.between(today, case.due_on) <= warning_days:
        return "warning"
    return "on_time"


def last_warning_day(cal: WorkdayCalendar, today: date, warning_days: int) -> date:
    """The last due date still in the warning window on ``today``: ``status`` says
    "warning" exactly for due dates from today to this day, because ``between(today, d)``
    grows with ``d`` and first exceeds ``warning_days`` on the next working day after it."""
    return cal.add(today, warning_days + 1) - timedelta(days=1)


def status_expression(today: date, last_warning: date | None) -> DbCase:
    """:func:`status` as SQL, for the sweep's set-based refresh of open cases (in review
    or suspended); the two agree case by case (tested). With ``last_warning`` unknown (the
    calendar ends too soon) the caller leaves undecided running cases alone."""
    whens = [
        When(decided_on__isnull=False, due_on__isnull=False, decided_on__lte=F("due_on"),
             then=Value("done_on_time")),
        When(decided_on__isnull=False, due_on__isnull=False, then=Value("done_late")),
        When(state=State.SUSPENDED, then=Value("paused")),
        When(~Q(state=State.IN_REVIEW) | Q(due_on__isnull=True), then=Value("ended")),
        When(due_on__lt=today, then=Value("overdue")),
    ]
    if last_warning is None:  # cannot tell warning from on time: leave those as they are
        return DbCase(*whens, default=F("sla"), output_field=CharField())
    whens.append(When(due_on__lte=last_warning, then=Value("warning")))
    return DbCase(*whens, default=Value("on_time"), output_field=CharField())


def deadlines(cal: WorkdayCalendar, rows: Iterable[tuple[date, int]]) -> Iterator[date]:
    """Deadlines for many ``(accepted_on, working days)`` pairs (the bulk path)."""
    add = cal.add
    for accepted_on, days in rows:
        yield add(accepted_on, days)
