"""Organisations per 10,000 residents and the share filed, by area and year, worked by hand
on the small tree (督院街 8,000, 盐市口 6,000, 幸福 5,000 residents)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from shequ.authz import SYSTEM
from shequ.orgs import facade, selectors, services
from shequ.orgs.models import Org

HEAD = ["name", "kind", "credit_code", "filing_number", "area_code", "person_in_charge",
        "founded_on", "status", "ended_on"]


def _code(serial: int) -> str:
    from shequ.core import ids

    first17 = f"51510104MJ{serial:07d}"
    return first17 + ids.uscc_check_char(first17)


@pytest.fixture
def registry(tree: Any) -> None:
    rows = [
        ["书画队", "culture_sport", "", "春熙路社备〔2020〕1号", "510104022009", "甲",
         date(2020, 5, 1), "", None],
        ["舞蹈队", "culture_sport", "", "春熙路社备〔2023〕1号", "510104022009", "乙",
         date(2023, 5, 1), "", None],
        ["助餐队", "life_service", "", "春熙路社备〔2025〕1号", "510104022009", "丙",
         date(2025, 2, 1), "", None],
        ["调解组", "community_affairs", "", "春熙路社备〔2021〕1号", "510104022009", "丁",
         date(2021, 6, 1), "", None],
        ["老年协会", "association", _code(1), "", "510104022011", "戊", date(2022, 3, 1), "", None],
        ["秧歌队", "culture_sport", "", "三圣社备〔2024〕1号", "510104037001", "己", date(2024, 4, 1),
         "deregistered", date(2025, 6, 1)],
    ]
    services.import_records(actor=SYSTEM, records=[(i + 2, dict(zip(HEAD, r, strict=True)))
                                                   for i, r in enumerate(rows)])
    # 调解组 moved from filing to registration on 1 July 2025
    Org.objects.filter(name="调解组").update(track="registered", kind="association",
                                             converted_on=date(2025, 7, 1), credit_code=_code(2),
                                             authority_code="510104")


def test_district_by_year(registry: None) -> None:
    y24 = selectors.indicators("510104", 2024)
    assert (y24.orgs, y24.filed, y24.registered, y24.population) == (5, 4, 1, 19000)
    assert y24.per_10k == Decimal("2.63") and y24.filed_share == Decimal("0.8000")
    y25 = selectors.indicators("510104", 2025)
    assert (y25.orgs, y25.filed, y25.registered, y25.founded, y25.ended) == (5, 3, 2, 1, 1)


def test_by_street_and_community(registry: None) -> None:
    parts = {p.area_code: p for p in selectors.indicators_by_part("510104", 2025)}
    chunxi, sansheng = parts["510104022"], parts["510104037"]
    assert (chunxi.orgs, chunxi.filed, chunxi.registered, chunxi.population) == (5, 3, 2, 14000)
    assert chunxi.per_10k == Decimal("3.57")
    assert (sansheng.orgs, sansheng.per_10k, sansheng.filed_share) == (0, Decimal("0.00"), None)
    communities = {p.area_code: p for p in selectors.indicators_by_part("510104022", 2025)}
    assert communities["510104022009"].orgs == 4 and communities["510104022011"].orgs == 1
    assert communities["510104022009"].per_10k == Decimal("5.00")


def test_facade_for_a_period(registry: None) -> None:
    i = facade.indicators("510104022", date(2025, 1, 1), date(2025, 6, 30))
    # on 30 June 2025 调解组 was still filed
    assert (i.orgs, i.filed, i.registered, i.founded, i.ended) == (5, 4, 1, 1, 0)
