"""Test data for self-governance: residents, linked users, representatives."""

from __future__ import annotations

import itertools
from datetime import date
from typing import Any

from shequ.authz import SYSTEM
from shequ.autonomy import services
from shequ.autonomy.models import Constituency, Representative
from shequ.people.models import Resident
from shequ.people.tests.factories import make_identity_number, make_resident

_n = itertools.count(1)
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"


def residents(community_code: str, count: int, **fields: Any) -> list[Resident]:
    out = []
    for _i in range(count):
        n = next(_n)
        birth = fields.pop("birth", None) or date(1960 + n % 40, 1 + n % 12, 1 + n % 27)
        out.append(make_resident(community_code, name=SURNAMES[n % 20] + "居民" + str(n),
                                 birth=birth, number=make_identity_number(birth, serial=n),
                                 **fields))
    return out


def link(user: Any, resident: Resident) -> Resident:
    """What ``people.services.link_user`` does: the user acts as this resident."""
    resident.user = user
    resident.save(update_fields=["user"])
    return resident


def representatives(community_code: str, count: int,
                    start: date = date(2026, 1, 1)) -> list[Representative]:
    households = count * (50 if community_code != "510104037001" else 15)
    c = services.create_constituency(actor=SYSTEM, community_code=community_code,
                                     name=f"第{next(_n)}居民小组", kind=Constituency.Kind.GROUP,
                                     households=households)
    return [services.appoint_representative(actor=SYSTEM, constituency_id=c.pk,
                                            resident_id=r.pk, term_start=start)
            for r in residents(community_code, count)]


def meeting_day(meeting: Any) -> int:
    """The meeting's day has come: a meeting convened for a later day is moved to today
    (notice shifted with it), as if the test had waited; returns its id. Attendance is
    refused before the meeting's date."""
    from datetime import timedelta

    from shequ.autonomy.models import Meeting
    from shequ.autonomy.services import today

    m = Meeting.objects.get(pk=getattr(meeting, "pk", meeting))
    if m.held_on > today():
        shift = m.held_on - today()
        Meeting.objects.filter(pk=m.pk).update(held_on=today(), notice_on=m.notice_on - shift)
    assert timedelta(0) <= today() - Meeting.objects.get(pk=m.pk).held_on
    return m.pk
