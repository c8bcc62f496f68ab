from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.test import Client

from shequ.core import calendar
from shequ.core.models import CalendarDay, CalendarYear


def test_calculator_crosses_national_day(tree: Any, make_user: Any, client: Client) -> None:
    client.force_login(make_user("station_worker", tree.community.code))
    html = client.get("/console/calendar/", {"start": "2025-09-30", "days": "20"}).content.decode()
    assert "2025-11-04" in html
    assert "录入一年的放假通知" not in html  # only administrators enter data


def test_calculator_unknown_year(tree: Any, make_user: Any, client: Client) -> None:
    client.force_login(make_user("station_worker", tree.community.code))
    html = client.get("/console/calendar/", {"start": "2026-12-20", "days": "20"}).content.decode()
    assert "工作日历没有 2027 年的数据" in html


def test_admin_enters_2027(tree: Any, make_user: Any, client: Client) -> None:
    client.force_login(make_user("district_admin", "510104"))
    r = client.post("/console/calendar/", {
        "y-year": "2027", "y-source": "国办发明电(示例)",
        "y-holidays": "2027-01-01,2027-01-03,元旦\n2027-02-06,2027-02-13,春节",
        "y-workdays": "2027-01-30, 2027-02-14"})
    assert r.status_code == 302
    assert CalendarYear.objects.filter(year=2027).exists()
    assert CalendarDay.objects.filter(date__year=2027).count() == 3 + 8 + 2
    assert calendar.get_calendar(fresh=True).add(date(2026, 12, 31), 1) == date(2027, 1, 4)


def test_bad_notice_lines_are_refused_and_nothing_saved(tree: Any, make_user: Any,
                                                        client: Client) -> None:
    client.force_login(make_user("district_admin", "510104"))
    r = client.post("/console/calendar/", {"y-year": "2027", "y-source": "x",
                                           "y-holidays": "2027-01-01;元旦"})
    assert r.status_code == 200
    assert "第 1 行" in r.content.decode()
    assert not CalendarYear.objects.exists()


@pytest.mark.django_db
def test_street_officer_cannot_post_calendar_data(tree: Any, make_user: Any, client: Client) -> None:
    client.force_login(make_user("street_officer", tree.street.code))
    r = client.post("/console/calendar/", {"d-day": "2026-06-01", "d-kind": "holiday"})
    assert r.status_code == 403
    assert not CalendarDay.objects.exists()
