from __future__ import annotations

from datetime import date

import pytest

from shequ.core.calendar import CalendarYearUnknown, WorkdayCalendar

CAL = WorkdayCalendar.build()


def test_twenty_working_days_across_national_day_2025() -> None:
    # 2025 National Day: 1–8 Oct off; Sat 11 Oct is a make-up working day.
    assert CAL.add(date(2025, 9, 30), 20) == date(2025, 11, 4)
    assert CAL.between(date(2025, 9, 30), date(2025, 11, 4)) == 20


def test_make_up_weekend_counts_and_holiday_does_not() -> None:
    assert CAL.is_workday(date(2025, 10, 11))  # Saturday, 调休
    assert CAL.is_workday(date(2025, 9, 28))  # Sunday, 调休
    assert not CAL.is_workday(date(2025, 10, 8))
    assert not CAL.is_workday(date(2025, 10, 12))  # ordinary Sunday


def test_period_does_not_count_its_first_day() -> None:
    assert CAL.add(date(2025, 11, 3), 1) == date(2025, 11, 4)
    assert CAL.add(date(2025, 11, 7), 1) == date(2025, 11, 10)  # Friday -> Monday


def test_zero_and_negative() -> None:
    assert CAL.add(date(2025, 10, 4), 0) == date(2025, 10, 9)
    assert CAL.add(date(2025, 11, 4), -20) == date(2025, 9, 30)
    assert CAL.between(date(2025, 11, 4), date(2025, 9, 30)) == -20


def test_unknown_year_is_an_error_not_a_guess() -> None:
    with pytest.raises(CalendarYearUnknown) as err:
        CAL.add(date(2026, 12, 20), 20)
    assert err.value.details == {"year": 2027}
    with pytest.raises(CalendarYearUnknown):
        CAL.is_workday(date(2027, 3, 1))
    with pytest.raises(CalendarYearUnknown):
        CAL.between(date(2003, 12, 1), date(2004, 1, 10))


def test_entered_year_is_used_and_a_gap_year_is_refused() -> None:
    cal = WorkdayCalendar.build(
        entered_years=[2027],
        overrides={date(2027, 1, 1): False, date(2027, 2, 7): True})
    assert not cal.is_workday(date(2027, 1, 1))
    assert cal.is_workday(date(2027, 2, 7))  # Sunday make-up day
    assert cal.add(date(2026, 12, 31), 1) == date(2027, 1, 4)
    gap = WorkdayCalendar.build(entered_years=[2028])
    with pytest.raises(CalendarYearUnknown) as err:
        gap.add(date(2026, 12, 20), 200)
    assert err.value.details["year"] == 2027


