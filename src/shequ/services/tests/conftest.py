from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest

SH = ZoneInfo("Asia/Shanghai")
PDF = b"%PDF-1.4\n% test\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 32


def at(day: str, hour: int = 10) -> datetime:
    y, m, d = (int(p) for p in day.split("-"))
    return datetime(y, m, d, hour, tzinfo=SH)


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def item(db: Any) -> Any:
    from shequ.authz import SYSTEM
    from shequ.services import services

    version = services.publish_item(
        actor=SYSTEM, code="JJ-001", area_code="510104", name="居住证明",
        legal_basis="《居住证暂行条例》第十条", handler_level="street",
        delegation_mode="entrusted", delegation_rank="rules",
        delegation_basis="《锦江区街道办事处委托事项目录》", department="社区发展科",
        department_category="public_service", statutory_days=20, promised_days=20,
        materials=[{"code": "id", "name": "身份证复印件"}, {"code": "lease", "name": "租赁合同"},
                   {"code": "photo", "name": "近期照片"}])
    return version.item


@pytest.fixture
def officer(tree: Any, make_user: Any) -> Any:
    return make_user("street_officer", "510104022", username="jiedao")


@pytest.fixture
def desk(tree: Any, make_user: Any) -> Any:
    return make_user("station_worker", "510104022009", username="zhanwu")


@pytest.fixture
def resident_user(tree: Any, make_user: Any) -> Any:
    """The resident 孙丽, signed in as ``jumin`` and linked to her own resident record."""
    return with_record(make_user("resident", "510104022009", username="jumin"), "孙丽")


def with_record(user: Any, name: str, serial: int = 7,
                community: str = "510104022009") -> Any:
    from datetime import date

    from shequ.authz import SYSTEM
    from shequ.people import facade as people

    number = people.fake_identity_number(date(1986, 5, 4), sex="F", serial=serial)
    resident = people.register_resident(actor=SYSTEM, name=name, id_number=number,
                                         community_code=community)
    people.link_user(actor=SYSTEM, resident=resident, user=user)
    return user


@pytest.fixture
def head(tree: Any, make_user: Any) -> Any:
    """The head of the street office (街道办事处主任), who approves extensions."""
    from datetime import date

    from shequ.authz import SYSTEM
    from shequ.services import services

    user = make_user("street_officer", "510104022", username="zhuren", display_name="王主任")
    services.designate_head(actor=SYSTEM, username="zhuren", area_code="510104022",
                            title="街道办事处主任", since=date(2025, 1, 1))
    return user


@pytest.fixture
def admin(tree: Any, make_user: Any) -> Any:
    return make_user("district_admin", "510104", username="admin")


@pytest.fixture(autouse=True)
def _fresh_rules() -> Any:
    """Profiles are kept per process for a minute; a local value a test sets inside its
    (rolled-back) transaction must not outlive it."""
    from shequ.services import rules

    rules.forget()
    yield
    rules.forget()


def submit(actor: Any, **kw: Any) -> Any:
    """A case filed on Mon 29 Sep 2025 (window for 补正 ends Mon 13 Oct)."""
    from shequ.services import services

    args: dict[str, Any] = {"item_code": "JJ-001", "area_code": "510104022009",
                            "applicant_name": "孙丽", "phone": "13800001234",
                            "at": at("2025-09-29")}
    args.update(kw)
    return services.submit_case(actor=actor, **args)


@pytest.fixture
def next_year_known(db: Any) -> None:
    """For tests that file today: late in December a deadline falls in next year, which
    an administrator enters from the holiday notice (here: a year with weekends only)."""
    from datetime import date

    from shequ.core import calendar
    from shequ.core.models import CalendarYear

    next_year = date.today().year + 1
    if next_year not in calendar.PACKAGE_YEARS:
        CalendarYear.objects.get_or_create(year=next_year, defaults={"source": "test"})
    calendar.invalidate()
