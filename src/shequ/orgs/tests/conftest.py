from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from shequ.authz import SYSTEM

ASSOCIATION = {"supervising_agency": "锦江区民政局", "person_in_charge": "王建国",
               "address": "锦江区督院街12号", "individual_members": 60, "staff": 2,
               "funds_yuan": "50000", "has_premises": True, "has_charter": True,
               "purpose": "为辖区老年人提供互助服务", "scope": "养老互助、文体活动",
               "categories": ["elderly", "culture"]}
FILED = {"person_in_charge": "李秀英", "address": "督院街社区活动室", "individual_members": 15,
         "funds_yuan": "2000", "has_charter": True, "categories": ["culture"]}
ALL_ASSOCIATION = ["application", "agency_approval", "funds_and_premises", "persons", "charter"]
ALL_FILED = ["application", "person", "place", "charter", "members", "funds"]


@pytest.fixture
def street_officer(tree: Any, make_user: Any) -> Any:
    return make_user("street_officer", "510104022", username="jiedao")


@pytest.fixture
def other_street_officer(tree: Any, make_user: Any) -> Any:
    return make_user("street_officer", "510104037", username="sansheng")


@pytest.fixture
def bureau(tree: Any, make_user: Any) -> Any:
    return make_user("civil_affairs", "510104", username="minzheng")


@pytest.fixture
def org_user(tree: Any, make_user: Any) -> Any:
    return make_user("org_user", "510104", username="zuzhi")


@pytest.fixture
def other_org_user(tree: Any, make_user: Any) -> Any:
    return make_user("org_user", "510104", username="other")


def submit_association(user: Any, on: date, *, name: str = "锦江区老年互助协会",
                       materials: list[str] | None = None, **items: Any) -> Any:
    from shequ.orgs import services

    return services.submit(actor=user, kind="establish", org_kind="association",
                           area_code="510104022009", name=name, items={**ASSOCIATION, **items},
                           materials=ALL_ASSOCIATION if materials is None else materials, on=on)


def submit_filing(user: Any, on: date, *, name: str = "督院街社区书画队",
                  materials: list[str] | None = None, area_code: str = "510104022009",
                  **items: Any) -> Any:
    from shequ.orgs import services

    return services.submit(actor=user, kind="file", org_kind="culture_sport",
                           area_code=area_code, name=name, items={**FILED, **items},
                           materials=ALL_FILED if materials is None else materials, on=on)


def registered_org(user: Any, on: date = date(2025, 3, 3), **kw: Any) -> Any:
    """An association approved through the whole procedure."""
    from shequ.orgs import services

    app = submit_association(user, on, **kw)
    services.act(actor=SYSTEM, number=app.number, action="accept", on=on)
    app = services.act(actor=SYSTEM, number=app.number, action="approve", on=on)
    return app.org


def filed_org(user: Any, on: date = date(2025, 3, 3), **kw: Any) -> Any:
    from shequ.orgs import services

    app = submit_filing(user, on, **kw)
    services.act(actor=SYSTEM, number=app.number, action="accept", on=on)
    app = services.act(actor=SYSTEM, number=app.number, action="approve", on=on)
    return app.org
