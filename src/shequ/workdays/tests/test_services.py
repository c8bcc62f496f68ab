"""Entering the calendar: who may, and bad notices change nothing."""

from __future__ import annotations

from datetime import date

import pytest

from shequ.authz import SYSTEM
from shequ.core import calendar
from shequ.core.calendar import WorkdayCalendar
from shequ.core.errors import BusinessError, Forbidden
from shequ.core.models import CalendarDay
from shequ.workdays import services

CAL = WorkdayCalendar.build()


@pytest.mark.django_db
def test_enter_year_through_the_service_changes_the_calendar() -> None:
    services.enter_year(actor=SYSTEM, year=2027, source="测试通知",
                        holidays=[(date(2027, 1, 1), date(2027, 1, 3), "元旦")],
                        workdays=[date(2027, 1, 9)])
    cal = calendar.get_calendar(fresh=True)
    assert not cal.is_workday(date(2027, 1, 1))
    assert cal.is_workday(date(2027, 1, 9))
    assert calendar.add_workdays(date(2026, 12, 31), 1) == date(2027, 1, 4)


@pytest.mark.django_db
def test_bad_notice_changes_nothing() -> None:
    with pytest.raises(BusinessError):
        services.enter_year(actor=SYSTEM, year=2027, source="x",
                            holidays=[(date(2027, 1, 1), date(2027, 1, 3), "元旦")],
                            workdays=[date(2027, 1, 2)])
    assert not CalendarDay.objects.exists()


@pytest.mark.django_db
def test_only_district_admin_enters_calendar(make_user) -> None:
    officer = make_user("street_officer", "510104022")
    with pytest.raises(Forbidden):
        services.set_day(actor=officer, day=date(2026, 6, 1), kind="holiday")
    admin = make_user("district_admin", "510104")
    services.set_day(actor=admin, day=date(2026, 6, 1), kind="holiday", name="本地")
    assert not calendar.get_calendar(fresh=True).is_workday(date(2026, 6, 1))
