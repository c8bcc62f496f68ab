"""The ranking worked by hand. Need at 30.650000 N 104.080000 E (督院街), elderly care.
Weights 20/25/15/20/20 %, farthest 10 km, another category 50 %, record half at 5,
prior weight 3, prior 3 (an organisation with a grade uses its grade).

Distances (haversine, R = 6,371,008.8 m): 0.01° of latitude = R × 0.000174533 = 1,111.95 m;
0.01° of longitude at 30.65° N = R × cos 30.65° × 0.000174533 = 956.61 m.

A 颐养社工中心 (main: elderly, 1,111.95 m north, 2 places free of 2, 4 done, ratings 18/4,
  grade 4A): 20.0 + 25 × (1 − 0.111195) = 25 × 0.8888 = 22.2 + 15 × 2/2 = 15.0
  + 20 × 4/9 = 20 × 0.4444 = 8.9 + 20 × ((18 + 4×3)/7 − 1)/4 = 20 × 0.8214 = 16.4 → 82.5
B 文艺队 (elderly besides culture, 956.61 m east, 1 of 3 free, nothing done, prior 3):
  20 × 0.5 = 10.0 + 25 × 0.9043 = 22.6 + 15 × 0.3333 = 5.0 + 0 + 20 × 0.5 = 10.0 → 47.6
W 陈静 (social worker, main elderly, 1,111.95 m south, 1 of 1 free, 10 done, 40/10):
  20.0 + 22.2 + 15.0 + 20 × 10/15 = 13.3 + 20 × ((40 + 9)/13 − 1)/4 = 20 × 0.6923 = 13.8 → 84.3
D 长者之家 (main elderly, at the need, full: 0 of 1 free): 20 + 25 + 0 + 0 + 10 → 55.0
C 夕阳红 (12.0 km north: beyond 10 km, not proposed); E 少儿艺术中心 (no elderly care).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from shequ.linkage import explain, selectors
from shequ.linkage.ranking import distance_m


def test_distances_by_hand() -> None:
    assert round(distance_m(30_650_000, 104_080_000, 30_660_000, 104_080_000), 2) == 1111.95
    assert round(distance_m(30_650_000, 104_080_000, 30_650_000, 104_090_000), 2) == 956.61


def test_hand_worked_ranking(need: Any, providers: Any) -> None:
    ranked, version = selectors.candidates(need)
    got = [(c.name, c.ranked.total) for c in ranked]
    assert got == [("陈静", Decimal("84.3")), ("锦江区颐养社工中心", Decimal("82.5")),
                   ("锦江区长者之家", Decimal("55.0")), ("督院街社区文艺队", Decimal("47.6"))]
    assert version.startswith("district-2026.1/")
    a = next(c for c in ranked if c.name == "锦江区颐养社工中心")
    assert [(f.key, f.score, f.points) for f in a.ranked.factors] == [
        ("category", Decimal(1), Decimal("20.0")), ("distance", Decimal("0.8888"), Decimal("22.2")),
        ("capacity", Decimal("1.0000"), Decimal("15.0")), ("record", Decimal("0.4444"), Decimal("8.9")),
        ("rating", Decimal("0.8214"), Decimal("16.4"))]
    assert sum(f.points for f in a.ranked.factors) == a.ranked.total
    assert explain.lines(a.ranked) == [
        {"factor": "category", "label": "服务类别", "figure": "主营类别",
         "arithmetic": "100.0% × 20% = 20.0"},
        {"factor": "distance", "label": "距离", "figure": "1.11 公里",
         "arithmetic": "88.9% × 25% = 22.2"},
        {"factor": "capacity", "label": "空余服务能力", "figure": "2 项中空余 2 项",
         "arithmetic": "100.0% × 15% = 15.0"},
        {"factor": "record", "label": "服务经历", "figure": "已完成 4 次服务",
         "arithmetic": "44.4% × 20% = 8.9"},
        {"factor": "rating", "label": "评价", "figure": "4 条评价与先验（评估等级 4A）的均值 4.29",
         "arithmetic": "82.1% × 20% = 16.4"},
    ]
    b = next(c for c in ranked if c.name == "督院街社区文艺队")
    assert [line["figure"] for line in explain.lines(b.ranked)][:3] == [
        "兼营类别", "0.96 公里", "3 项中空余 1 项"]
    assert b.detail == "文体活动类"
    w = ranked[0]
    assert (w.ranked.kind, w.detail) == ("worker", "社会工作师")


def test_weights_are_local_rules(need: Any, providers: Any) -> None:
    from shequ.authz import SYSTEM
    from shequ.rules.services import set_override

    for key, value in (("weight_distance", "75"), ("weight_capacity", "0"),
                       ("weight_record", "0"), ("weight_rating", "0")):
        set_override(actor=SYSTEM, module="linkage", profile="district", key=key,
                     area_code="510104", value=value, citation="锦江区三社联动工作规程")
    ranked, _version = selectors.candidates(need)
    # only category (20) and distance (75) count, out of 95: the full organisation at the
    # need itself comes first (100.0); A and the worker, both 1.11 km away, tie at
    # 21.1 + 70.2 = 91.3, and a tie puts the nearer, then organisations, first
    assert [(c.name, c.ranked.total) for c in ranked[:3]] == [
        ("锦江区长者之家", Decimal("100.0")), ("锦江区颐养社工中心", Decimal("91.3")),
        ("陈静", Decimal("91.3"))]
    assert explain.lines(ranked[0].ranked)[1]["arithmetic"] == "100.0% × 78.9% = 78.9"


def test_without_a_place_the_street_counts_and_distance_scores_nothing(
        providers: Any, community_worker: Any) -> None:
    from datetime import date

    from shequ.linkage import services

    need = services.post_need(
        actor=community_worker, area_code="510104022009", category="elderly", title="陪诊",
        description="陪老人看病", address="督院街", beneficiaries=5, wanted_from=date(2026, 3, 1),
        wanted_to=date(2026, 3, 31), budget_fen=200_000, on=date(2026, 2, 20))
    ranked, _v = selectors.candidates(need)
    assert {c.name for c in ranked} == {"陈静", "锦江区颐养社工中心", "锦江区长者之家",
                                        "督院街社区文艺队", "锦江区夕阳红服务中心"}
    assert all(c.ranked.factors[1].points == 0 for c in ranked)
    assert explain.lines(ranked[0].ranked)[1]["figure"] == "位置未登记"
