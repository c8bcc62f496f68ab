"""Data on the small tree shared by the assessment tests: cases and people's bodies,
staff and postings, with figures computed by hand in ``test_indicators``."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest

SH = ZoneInfo("Asia/Shanghai")
D = "510104"
S1, S2 = "510104022", "510104037"
C1, C2, C3 = "510104022009", "510104022011", "510104037001"


def at(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 10, tzinfo=SH)


def make_case(n: int, area: str, *, accepted: date, due: date, decided: date | None = None,
          used: int | None = None, issued: date | None = None, issue_due: date | None = None,
          state: str = "in_review") -> Any:
    from shequ.services.models import Case, ItemVersion, ServiceItem

    item, _ = ServiceItem.objects.get_or_create(code="JJ-T", defaults={"area_code": D})
    version = ItemVersion.objects.filter(item=item).first() or ItemVersion.objects.create(
        item=item, version=1, name="居住证明", legal_basis="条例", handler_level="street",
        delegation_mode="entrusted", department="社区发展科", department_category="public_service",
        statutory_days=20, promised_days=10)
    return Case.objects.create(
        number=f"T{n}", street_code=area[:9], year=2025, seq=n, area_code=area, item=item,
        version=version, channel="online", applicant_name="孙丽", submitted_at=at(accepted),
        accept_by=accepted, accepted_on=accepted, limit_days=10, statutory_days=20, due_on=due,
        decided_on=decided, workdays_used=used, issued_on=issued, issue_due_on=issue_due,
        state=state if decided is None else "issued")


@pytest.fixture
def cases(tree: Any) -> None:
    make_case(1, C1, accepted=date(2025, 3, 1), due=date(2025, 3, 20), decided=date(2025, 3, 10),
          used=5, issued=date(2025, 3, 25), issue_due=date(2025, 3, 24))  # on time, issued late
    make_case(2, C1, accepted=date(2025, 3, 15), due=date(2025, 4, 1), decided=date(2025, 4, 10),
          used=12)                                                           # late
    make_case(3, C2, accepted=date(2025, 4, 20), due=date(2025, 5, 10), decided=date(2025, 5, 5),
          used=4, issued=date(2025, 5, 6), issue_due=date(2025, 5, 19))     # on time
    make_case(4, C3, accepted=date(2024, 12, 1), due=date(2024, 12, 20), decided=date(2024, 12, 30),
          used=9)                                                           # another year
    make_case(5, C3, accepted=date(2025, 11, 1), due=date(2025, 12, 1))        # overdue, open
    make_case(6, C3, accepted=date(2025, 11, 1), due=date(2025, 12, 1), decided=date(2026, 1, 10),
          used=30)                                                          # overdue at 31 Dec
    make_case(7, C2, accepted=date(2025, 12, 20), due=date(2026, 1, 10))      # not yet due
    make_case(8, C2, accepted=date(2025, 1, 2), due=date(2025, 1, 20), state="withdrawn")


@pytest.fixture
def people_data(tree: Any) -> None:
    from shequ.people.models import Body, Posting, StaffMember

    for code, founded, dissolved in ((C1, date(2010, 1, 1), None),
                                     (C2, date(2010, 1, 1), date(2025, 6, 1)),
                                     (C3, None, None)):
        Body.objects.create(kind="party", name="党委", area_code=code, founded_on=founded,
                            dissolved_on=dissolved)
    Body.objects.create(kind="party", name="街道党工委", area_code=S2)  # not a community's
    for code, founded in ((C1, None), (C2, date(2012, 1, 1)), (C3, date(2026, 1, 1))):
        Body.objects.create(kind="residents_committee", name="居委会", area_code=code,
                            founded_on=founded)
    StaffMember.objects.create(code="W1", name="甲", kind="social_worker", area_code=C1,
                               joined_on=date(2020, 1, 1))
    StaffMember.objects.create(code="W2", name="乙", kind="social_worker", area_code=C1,
                               joined_on=date(2020, 1, 1), left_on=date(2025, 6, 30))
    StaffMember.objects.create(code="W3", name="丙", kind="social_worker", area_code=C2)
    StaffMember.objects.create(code="W4", name="丁", kind="cadre", area_code=C3)
    staff = StaffMember.objects.get(code="W4")
    Posting.objects.create(staff=staff, level="community", area_code=C1, start_date=date(2019, 1, 1))
    Posting.objects.create(staff=staff, level="community", area_code=C2, start_date=date(2021, 6, 1))
    Posting.objects.create(staff=staff, level="community", area_code=C3, start_date=date(2018, 1, 1),
                           end_date=date(2024, 1, 1))


