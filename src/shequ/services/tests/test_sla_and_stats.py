"""A hand-worked example across the 2025 National Day holiday.

Calendar: 1–8 Oct 2025 off; Sun 28 Sep and Sat 11 Oct are working days.

Case A: accepted Tue 30 Sep, 20 working days: the 20th working day after 30 Sep is
        Tue 4 Nov (9,10,11,13–17,20–24,27–31 Oct = 18; 3, 4 Nov = 20). Decided 4 Nov:
        on time, 20 working days used.
Case B: same, decided Wed 5 Nov: late by one day, 21 working days used.
Case C: accepted Fri 26 Sep: 28 Sep (Sun, working), 29, 30 Sep, 9, 10, 11 (Sat, working)
        Oct … → due Thu 30 Oct. On Mon 27 Oct 3 working days are left (28, 29, 30):
        "warning" with the default of 3; on Fri 31 Oct it is overdue.
Case D: accepted Tue 30 Sep, stopped for an inspection from Thu 9 Oct and restarted on
        Mon 13 Oct: 9, 10, 11 Oct excluded (3 working days) → due 23 working days after
        30 Sep = Fri 7 Nov; on Mon 27 Oct it is on time (9 working days left).
Statistics for the street: 4 cases, 2 completed, 1 on time (50 %), average 20.5 working
days used; on 31 Oct, one overdue open case (C).
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from shequ.authz import SYSTEM
from shequ.core.calendar import get_calendar
from shequ.services import selectors, services, sla
from shequ.services.models import Case, Notification

from .conftest import at


def _case(actor: Any, officer: Any, received: str, accepted: str) -> Case:
    case = services.submit_case(actor=actor, item_code="JJ-001", area_code="510104022009",
                                applicant_name="孙丽", phone="13800001234", at=at(received))
    return services.accept(actor=officer, number=case.number, at=at(accepted))


@pytest.mark.django_db  # the calendar reads entered years from the database
def test_deadline_crosses_national_day() -> None:
    cal = get_calendar()
    assert cal.add(date(2025, 9, 30), 20) == date(2025, 11, 4)
    assert cal.add(date(2025, 9, 26), 20) == date(2025, 10, 30)
    assert sla.excluded_workdays(cal, date(2025, 10, 9), date(2025, 10, 13)) == 3
    assert list(sla.deadlines(cal, [(date(2025, 9, 30), 20), (date(2025, 9, 26), 20)])) == [
        date(2025, 11, 4), date(2025, 10, 30)]


def test_hand_worked_example(item: Any, officer: Any, resident_user: Any, admin: Any) -> None:
    a = _case(resident_user, officer, "2025-09-29", "2025-09-30")
    b = _case(resident_user, officer, "2025-09-29", "2025-09-30")
    c = _case(resident_user, officer, "2025-09-25", "2025-09-26")
    d = _case(resident_user, officer, "2025-09-29", "2025-09-30")
    assert (a.due_on, c.due_on) == (date(2025, 11, 4), date(2025, 10, 30))
    services.suspend(actor=officer, number=d.number, kind="inspection", at=at("2025-10-09"))
    d = services.resume(actor=officer, number=d.number, at=at("2025-10-13"))
    assert d.paused_workdays == 3 and d.due_on == date(2025, 11, 7)

    # 27 Oct: C is in its warning window, the others on time.
    result = services.sweep(actor=SYSTEM, at=at("2025-10-27"))
    assert result.warned == 1 and result.escalated == 0
    states = dict(Case.objects.values_list("number", "sla"))
    assert states == {a.number: "on_time", b.number: "on_time", c.number: "warning",
                      d.number: "on_time"}

    a = services.decide(actor=officer, number=a.number, approve=True, at=at("2025-11-04"))
    assert a.sla == "done_on_time" and a.workdays_used == 20

    # 31 Oct: C overdue, escalated once to the district supervisor; sweeping again is harmless.
    first = services.sweep(actor=SYSTEM, at=at("2025-10-31"))
    again = services.sweep(actor=SYSTEM, at=at("2025-10-31", 15))
    assert first.escalated == 1 and again.escalated == 0 and again.warned == 0
    assert Case.objects.get(pk=c.pk).sla == "overdue"
    assert Notification.objects.filter(kind="escalate", user=admin, case=c).count() == 1
    assert [x.number for x in selectors.overdue(user=officer, street="510104022",
                                                on=date(2025, 10, 31))] == [c.number]

    b = services.decide(actor=officer, number=b.number, approve=False, reasons="材料不实",
                        at=at("2025-11-05"))
    assert b.sla == "done_late" and b.workdays_used == 21

    [row] = selectors.statistics(user=officer, by="street", on=date(2025, 10, 31))
    assert (row.key, row.label, row.cases, row.completed, row.on_time, row.late) == (
        "510104022", "春熙路街道", 4, 2, 1, 1)
    assert row.on_time_rate == 0.5 and row.avg_workdays == 20.5 and row.overdue_open == 1
    [month] = selectors.statistics(user=officer, by="month", on=date(2025, 10, 31))
    assert month.key == "2025-09" and month.cases == 4
    [dept] = selectors.statistics(user=officer, by="department", on=date(2025, 10, 31))
    assert dept.key == "社区发展科" and dept.on_time == 1


def test_unchecked_application_counts_as_accepted_on_receipt(item: Any, resident_user: Any) -> None:
    case = services.submit_case(actor=resident_user, item_code="JJ-001", area_code="510104022009",
                                applicant_name="孙丽", phone="13800001234", at=at("2025-09-29"))
    assert services.sweep(actor=SYSTEM, at=at("2025-10-13")).auto_accepted == 0
    assert services.sweep(actor=SYSTEM, at=at("2025-10-14")).auto_accepted == 1
    case.refresh_from_db()
    assert case.state == "in_review" and case.accepted_on == date(2025, 9, 29)
    assert services.sweep(actor=SYSTEM, at=at("2025-10-14")).auto_accepted == 0


def test_progress_query_reveals_no_personal_data(item: Any, resident_user: Any, officer: Any) -> None:
    case = _case(resident_user, officer, "2025-09-29", "2025-09-30")
    found = selectors.progress(number=case.number, phone_last4="1234")
    assert found.state == "in_review" and found.due_on == date(2025, 11, 4)
    assert "孙丽" not in repr(found) and "13800001234" not in repr(found)
    import pytest

    from shequ.core.errors import NotFound

    for number, digits in ((case.number, "9999"), ("510104022-2025-999999", "1234")):
        with pytest.raises(NotFound) as err:
            selectors.progress(number=number, phone_last4=digits)
        assert err.value.code == "progress_not_found"


def test_progress_query_pauses_after_repeated_wrong_digits(item: Any, resident_user: Any) -> None:
    import pytest

    from shequ.core.errors import BusinessError, NotFound

    case = services.submit_case(actor=resident_user, item_code="JJ-001", area_code="510104022009",
                                applicant_name="孙丽", phone="13800001234", at=at("2025-09-29"))
    for n in range(10):
        with pytest.raises(NotFound):
            services.query_progress(number=case.number, phone_last4=f"{n:04d}", at=at("2025-10-09"))
    with pytest.raises(BusinessError) as err:
        services.query_progress(number=case.number, phone_last4="1234", at=at("2025-10-09"))
    assert err.value.code == "progress_paused" and err.value.status == 429
    later = services.query_progress(number=case.number, phone_last4="1234",
                                    at=at("2025-10-09", 12))
    assert later.number == case.number


@pytest.mark.parametrize("today", ["2025-09-26", "2025-09-30", "2025-10-08", "2025-12-29"])
def test_sweep_status_in_sql_agrees_with_the_clock(item: Any, officer: Any, resident_user: Any,
                                                   today: str) -> None:
    """The sweep refreshes statuses with one UPDATE per street; each case must get what
    sla.status says, for due dates all around the day (holidays, weekends, make-up
    working days, the year's end), running, stopped and decided."""
    from datetime import timedelta

    from shequ.services import rules

    cal = get_calendar()
    day = date.fromisoformat(today)
    template = _case(resident_user, officer, "2025-09-01", "2025-09-02")
    variants: list[dict[str, Any]] = [
        {"due_on": day + timedelta(days=n)} for n in range(-3, 15)]
    variants += [{"state": "suspended", "due_on": day}, {"due_on": None},
                 {"decided_on": day, "due_on": day - timedelta(days=1)},
                 {"decided_on": day, "due_on": day}]
    for n, fields in enumerate(variants):
        Case.objects.filter(pk=template.pk).update(**{"state": "in_review", "decided_on": None,
                                                      **fields})
        Case.objects.filter(pk=template.pk).update(sla="not_started")
        services.sweep(actor=SYSTEM, at=at(today))
        case = Case.objects.get(pk=template.pk)
        expected = sla.status(case, day, cal, rules.profile("").number("warning_days"))
        assert (n, case.sla) == (n, expected)


def test_sweep_at_the_calendars_end_refreshes_what_it_can(item: Any, officer: Any,
                                                          resident_user: Any) -> None:
    """On 29 Dec 2026 the warning window reaches into 2027, which nobody has entered: cases
    still running are counted as errors and left alone; overdue ones are still marked."""
    running = _case(resident_user, officer, "2026-11-02", "2026-11-03")
    late = _case(resident_user, officer, "2026-11-02", "2026-11-03")
    Case.objects.filter(pk=running.pk).update(due_on=date(2026, 12, 30), sla="on_time")
    Case.objects.filter(pk=late.pk).update(due_on=date(2026, 12, 1), sla="on_time")
    result = services.sweep(actor=SYSTEM, at=at("2026-12-29"))
    assert result.errors == 1 and result.escalated == 1
    assert dict(Case.objects.values_list("pk", "sla")) == {running.pk: "on_time",
                                                           late.pk: "overdue"}
