"""The working-day calendar: the one place deadline arithmetic happens.

Rules (``shared/reference/LAW.md``, 行政许可法 Art. 82 and Civil Code Art. 201): time
limits are counted in working days; statutory holidays are excluded and make-up working
weekends (调休) count; a period does not count its first day, so "20 working days from
30 Sept" is the 20th working day *after* 30 Sept.

Sources, in order of precedence for a day:
1. a :class:`~shequ.core.models.CalendarDay` entered by an administrator (local
   adjustment, or the days of a year entered as data);
2. the ``chinese-calendar`` package for the years it covers (2004–2026 in 1.11.0);
3. for a year entered as a :class:`~shequ.core.models.CalendarYear`: Monday–Friday.

A year known to neither is :class:`CalendarYearUnknown`, never a guess.
"""

from __future__ import annotations

import threading
import time
from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

import chinese_calendar
from django.utils.translation import gettext_lazy as _

from shequ.core.errors import BusinessError


class CalendarYearUnknown(BusinessError):
    default_code = "calendar_year_unknown"
    status = 422

    def __init__(self, year: int) -> None:
        super().__init__(
            _("The working-day calendar has no data for %(year)d. An administrator must enter "
              "that year's holidays and make-up working days first.") % {"year": year},
            details={"year": year},
        )


def _package_years() -> frozenset[int]:
    years = set()
    for year in range(2000, 2060):
        try:
            chinese_calendar.is_workday(date(year, 6, 1))
        except NotImplementedError:
            continue
        years.add(year)
    return frozenset(years)


PACKAGE_YEARS = _package_years()


@dataclass(frozen=True)
class WorkdayCalendar:
    """An immutable snapshot; build once, then compute millions of deadlines with it."""

    entered_years: frozenset[int] = frozenset()
    overrides: dict[date, bool] = field(default_factory=dict)  # True: a working day
    _ordinals: list[int] = field(default_factory=list, repr=False)

    @classmethod
    def build(cls, entered_years: Iterable[int] = (), overrides: dict[date, bool] | None = None
              ) -> WorkdayCalendar:
        entered = frozenset(entered_years)
        overrides = dict(overrides or {})
        ordinals: list[int] = []
        for year in sorted(PACKAGE_YEARS | entered):
            day = date(year, 1, 1)
            while day.year == year:
                if cls._base_is_workday(day, entered, overrides):
                    ordinals.append(day.toordinal())
                day += timedelta(days=1)
        return cls(entered_years=entered, overrides=overrides, _ordinals=ordinals)

    @staticmethod
    def _base_is_workday(day: date, entered: frozenset[int], overrides: dict[date, bool]) -> bool:
        if day in overrides:
            return overrides[day]
        if day.year in entered:
            return day.weekday() < 5
        return bool(chinese_calendar.is_workday(day))

    @property
    def known_years(self) -> frozenset[int]:
        return PACKAGE_YEARS | self.entered_years

    def _require(self, first: date, last: date) -> None:
        for year in range(min(first, last).year, max(first, last).year + 1):
            if year not in self.known_years:
                raise CalendarYearUnknown(year)

    def is_workday(self, day: date) -> bool:
        self._require(day, day)
        return self._base_is_workday(day, self.entered_years, self.overrides)

    def add(self, start: date, days: int) -> date:
        """The ``days``-th working day after ``start`` (before it, when negative).

        ``add(d, 0)`` is ``d`` itself when ``d`` is a working day, else the next one.
        """
        self._require(start, start)
        ords = self._ordinals
        if days > 0:
            index = bisect_right(ords, start.toordinal()) + days - 1
        elif days < 0:
            index = bisect_right(ords, start.toordinal() - 1) + days
        else:
            index = bisect_right(ords, start.toordinal() - 1)
        if index < 0 or index >= len(ords):
            edge = min(self.known_years) - 1 if index < 0 else max(self.known_years) + 1
            raise CalendarYearUnknown(edge)
        result = date.fromordinal(ords[index])
        self._require(start, result)  # a gap year between start and result is unknown too
        return result

    def between(self, start: date, end: date) -> int:
        """Working days in (start, end]: the count ``add`` would need to reach ``end``.

        Negative when ``end`` is before ``start``.
        """
        self._require(start, end)
        ords = self._ordinals
        if end >= start:
            return bisect_right(ords, end.toordinal()) - bisect_right(ords, start.toordinal())
        return -self.between(end, start)


_lock = threading.Lock()
_cached: tuple[float, WorkdayCalendar] | None = None
CACHE_SECONDS = 60.0


def get_calendar(*, fresh: bool = False) -> WorkdayCalendar:
    """The calendar from the database, cached in this process for a minute (and dropped
    at once when this process changes calendar data)."""
    global _cached
    with _lock:
        if not fresh and _cached and time.monotonic() - _cached[0] < CACHE_SECONDS:
            return _cached[1]
    from shequ.core.models import CalendarDay, CalendarYear

    overrides = {d.date: d.kind == "workday" for d in CalendarDay.objects.all()}
    years = CalendarYear.objects.values_list("year", flat=True)
    calendar = WorkdayCalendar.build(years, overrides)
    with _lock:
        _cached = (time.monotonic(), calendar)
    return calendar


def invalidate() -> None:
    global _cached
    with _lock:
        _cached = None


def add_workdays(start: date, days: int) -> date:
    return get_calendar().add(start, days)


def workdays_between(start: date, end: date) -> int:
    return get_calendar().between(start, end)


def is_workday(day: date) -> bool:
    return get_calendar().is_workday(day)
