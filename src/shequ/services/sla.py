"""The clock: deadlines and time-limit status on the working-day calendar.

Pure functions over a :class:`~shequ.core.calendar.WorkdayCalendar` snapshot, so a page,
the sweep job and a benchmark over a million cases compute the same thing.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date, timedelta
from typing import Protocol

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


def status(case: Clocked, today: date, cal: WorkdayCalendar, warning_days: int) -> str:
    """One of :class:`~shequ.services.models.Sla`'s values."""
    state = case.state
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


def deadlines(cal: WorkdayCalendar, rows: Iterable[tuple[date, int]]) -> Iterator[date]:
    """Deadlines for many ``(accepted_on, working days)`` pairs (the bulk path)."""
    add = cal.add
    for accepted_on, days in rows:
        yield add(accepted_on, days)
