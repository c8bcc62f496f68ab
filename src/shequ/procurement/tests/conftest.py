from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest

from shequ.authz import SYSTEM

CATEGORIES = [
    ("01", "社区养老服务", [("0101", "居家养老上门服务", ""), ("0102", "老年助餐服务", "")]),
    ("02", "青少年服务", [("0201", "四点半课堂", "")]),
]
CRITERIA = [("服务方案", 50), ("团队与经验", 30), ("报价", 20)]
CREATED = date(2025, 6, 3)
PUBLISHED = date(2025, 6, 4)
DEADLINE = date(2025, 6, 30)
CLOSED = date(2025, 7, 1)


@dataclass
class World:
    officer: Any
    org_user: Any
    buyer: Any
    line: Any
    item: Any
    orgs: list[Any]  # three registered organisations; org_user acts for the first


@pytest.fixture
def world(tree: Any, make_user: Any) -> World:
    from shequ.orgs.services import add_operator
    from shequ.orgs.tests.conftest import registered_org
    from shequ.procurement import services

    officer = make_user("street_officer", "510104022", username="jiedao", display_name="陈静")
    org_user = make_user("org_user", "510104", username="zuzhi", display_name="周洋")
    orgs = [registered_org(SYSTEM, on=date(2025, 3, 3), name=n, person_in_charge=p)
            for n, p in (("锦江区社工服务协会", "王建国"), ("锦江区养老服务协会", "刘淑芬"),
                         ("锦江区家庭服务协会", "何志强"))]
    add_operator(actor=SYSTEM, org_id=orgs[0].pk, user=org_user, on=date(2025, 3, 4))
    catalogue = services.publish_catalogue(actor=SYSTEM, version="2025", title="锦江区政府购买服务指导性目录",
                                           categories=CATEGORIES, area_code="510104",
                                           on=date(2025, 1, 2))
    item = catalogue.categories.get(code="01").items.get(code="0101")
    buyer = services.save_buyer(actor=SYSTEM, name="春熙路街道办事处", kind="street",
                                area_code="510104022")
    line = services.save_budget_line(actor=SYSTEM, buyer_id=buyer.pk, year=2025,
                                     title="社区服务购买", amount_fen=100_000_000)
    return World(officer, org_user, buyer, line, item, orgs)


def new_project(w: World, *, budget_fen: int = 30_000_000, method: str = "open",
                **kw: Any) -> Any:
    from shequ.procurement import services

    project = services.create_project(actor=w.officer, budget_line_id=w.line.pk,
                                      item_id=w.item.pk, title="春熙路街道居家养老上门服务",
                                      method=method, budget_fen=budget_fen, on=CREATED, **kw)
    if method != "single":
        services.set_criteria(actor=w.officer, number=project.number, criteria=CRITERIA)
    return project


def open_project(w: World, **kw: Any) -> Any:
    from shequ.procurement import services

    project = new_project(w, **kw)
    return services.publish(actor=w.officer, number=project.number, bid_deadline=DEADLINE,
                            on=PUBLISHED)


def bids_in(w: World, project: Any, prices: tuple[int, ...] = (28_000_000, 29_000_000,
                                                                 27_500_000)) -> list[Any]:
    from shequ.procurement import services

    return [services.submit_bid(actor=SYSTEM, number=project.number, org_id=org.pk,
                                price_fen=price, on=date(2025, 6, 20))
            for org, price in zip(w.orgs, prices, strict=False)]


def committee(w: World, project: Any, n: int = 5, experts: int = 4) -> list[Any]:
    from shequ.procurement import services

    names = ["张明", "李华", "王芳", "刘洋", "杨帆", "赵敏", "孙强"]
    members = []
    for i in range(n):
        m = services.add_evaluator(actor=w.officer, number=project.number, name=names[i],
                                   kind="expert" if i < experts else "buyer")
        members.append(services.declare_interest(actor=w.officer, evaluator_id=m.pk,
                                                 on=CLOSED))
    return members


def evaluated(w: World, **kw: Any) -> tuple[Any, list[Any], list[Any]]:
    """A project closed with three bids and scored by a committee of five: the first
    organisation ranks first."""
    from shequ.procurement import services

    project = open_project(w, **kw)
    bids = bids_in(w, project)
    services.close(actor=w.officer, number=project.number, on=CLOSED)
    members = committee(w, project)
    criteria = list(project.criteria.all())
    for member in members:
        for bid, base in zip(bids, (90, 80, 70), strict=True):
            services.enter_scores(actor=w.officer, number=project.number, evaluator_id=member.pk,
                                  bid_id=bid.pk, points={c.pk: base for c in criteria})
    return project, bids, members


def awarded(w: World) -> tuple[Any, list[Any]]:
    from shequ.procurement import services

    project, bids, _m = evaluated(w)
    services.award(actor=w.officer, number=project.number, on=date(2025, 7, 3))
    project.refresh_from_db()
    return project, bids


MILESTONES = [("第一阶段", "服务台账和中期报告", date(2025, 12, 31), 14_000_000),
              ("第二阶段", "服务台账和结项报告", date(2026, 6, 30), 14_000_000)]


def contracted(w: World) -> Any:
    from shequ.procurement import services

    project, _bids = awarded(w)
    return services.sign_contract(actor=w.officer, number=project.number,
                                  starts_on=date(2025, 8, 1), ends_on=date(2026, 7, 31),
                                  milestones=MILESTONES, on=date(2025, 7, 20))


def reported(w: World) -> None:
    """Last year's annual reports lodged, so the organisations are in good standing today
    (for tests dated today rather than in 2025)."""
    from django.utils import timezone

    from shequ.orgs.services import lodge_report

    today = timezone.localdate()
    for org in w.orgs:
        for year in range(2025, today.year):
            lodge_report(actor=SYSTEM, org_id=org.pk, year=year, activities="开展社区服务",
                         agency_submitted_on=date(year + 1, 3, 1),
                         agency_approved_on=date(year + 1, 3, 10), on=date(year + 1, 4, 1))
