"""Schemes: weights, targets, floors, installed modules, versions, the province's targets
(ADR 1002). Every refusal names its rule and saves nothing."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from shequ.assessment import scoring, services
from shequ.assessment.models import Item, Scheme
from shequ.audit.models import AuditEntry
from shequ.authz import SYSTEM
from shequ.core.errors import BusinessError, Forbidden

D = "510104"


def spec(**over: Any) -> list[dict[str, Any]]:
    on_time = {"indicator": "services.on_time_rate", "weight": "40", "scoring": "linear",
               "floor": "0.8", "target": "0.95"}
    on_time.update(over)
    return [
        {"duty": "public_service", "items": [
            on_time,
            {"indicator": "services.working_days", "weight": "20", "scoring": "linear",
             "floor": "15", "target": "5"}]},
        {"duty": "party_building", "items": [
            {"indicator": "people.party_coverage", "weight": "20", "scoring": "pass_fail",
             "target": "100%"}]},
        {"duty": "community_building", "items": [
            {"indicator": "elections.direct_coverage", "weight": "20", "scoring": "pass_fail",
             "target": "0.8"}]},
    ]


@pytest.mark.django_db
def test_a_scheme_is_saved_with_sections_and_a_new_version_each_time(tree: Any) -> None:
    first = services.save_scheme(actor=SYSTEM, area_code=D, year=2025, name="", sections=spec())
    assert first.version == 1 and first.title("锦江区") == "锦江区 2025 年街道考核"
    assert [str(s) for s in first.sections.all()] == ["公共服务", "基层党建", "社区建设"]
    party = Item.objects.get(section__scheme=first, indicator="people.party_coverage")
    assert party.target == Decimal(1)
    second = services.save_scheme(actor=SYSTEM, area_code=D, year=2025, name="", sections=spec())
    assert second.version == 2
    assert AuditEntry.objects.filter(action="assessment.scheme.save").count() == 2


@pytest.mark.django_db
def test_weights_must_sum_to_100(tree: Any) -> None:
    with pytest.raises(BusinessError) as err:
        services.save_scheme(actor=SYSTEM, area_code=D, year=2025, name="", sections=spec(weight="35"))
    assert str(err.value.message) == "各指标权重合计为 95%，须为 100%（规则：考核方案的权重合计为 100%）。"
    assert err.value.code == "weight_sum_not_100"
    assert not Scheme.objects.exists()


@pytest.mark.django_db
def test_a_target_outside_the_indicators_range(tree: Any) -> None:
    with pytest.raises(BusinessError) as err:
        services.save_scheme(actor=SYSTEM, area_code=D, year=2025, name="",
                             sections=spec(target="120%"))
    assert str(err.value.message) == (
        "指标“按时办结的办件”的目标值 120% 超出其可取值范围（0%–100%）（规则：目标值须在指标的取值范围内）。")
    assert err.value.code == "target_outside_range"
    assert not Scheme.objects.exists()


@pytest.mark.django_db
def test_an_indicator_whose_module_is_not_installed(tree: Any) -> None:
    with pytest.raises(BusinessError) as err:
        services.save_scheme(actor=SYSTEM, area_code=D, year=2025, name="",
                             sections=spec(indicator="procurement.spending"))
    assert str(err.value.message) == (
        "指标 procurement.spending 来自模块 procurement，该模块在本系统中未安装；考核方案只能使用"
        "由模块登记的指标（规则：指标由持有数据的模块登记）。")
    assert err.value.code == "indicator_module_not_installed"
    assert not Scheme.objects.exists()


@pytest.mark.django_db
def test_a_floor_on_the_wrong_side_and_a_district_only(tree: Any) -> None:
    with pytest.raises(BusinessError) as err:
        services.save_scheme(actor=SYSTEM, area_code=D, year=2025, name="", sections=spec(floor="0.99"))
    assert err.value.code == "floor_wrong_side"
    with pytest.raises(BusinessError) as err:
        services.save_scheme(actor=SYSTEM, area_code="510104022", year=2025, name="", sections=spec())
    assert str(err.value.message) == "春熙路街道不是区（县）：考核街道办事处的是区（县）。"


@pytest.mark.django_db
def test_a_street_officer_cannot_write_the_scheme(tree: Any, make_user: Any) -> None:
    officer = make_user("street_officer", "510104022")
    with pytest.raises(Forbidden):
        services.save_scheme(actor=officer, area_code=D, year=2025, name="", sections=spec())


@pytest.mark.django_db
def test_the_provinces_2015_targets_are_a_scheme_read_from_the_rules(tree: Any) -> None:
    scheme = services.province_scheme(actor=SYSTEM, area_code="51", year=2025)
    items = {i.indicator: (i.target, i.scoring, i.rule_key) for i in
             Item.objects.filter(section__scheme=scheme)}
    assert items == {
        "people.party_coverage": (Decimal(1), "pass_fail", "party_org_coverage"),
        "people.committee_coverage": (Decimal(1), "pass_fail", "autonomous_org_coverage"),
        "elections.direct_coverage": (Decimal("0.8"), "pass_fail", "direct_election_coverage"),
        "access.facility_coverage": (Decimal("0.9"), "pass_fail", "facility_coverage"),
        "access.floor_area": (Decimal("0.9"), "pass_fail", "facility_area_compliance"),
    }
    assert scheme.title("四川省") == "四川省 · 四川省 2015 年社区建设目标"
    assert "四川省民政厅" in scheme.source
    assert services.province_scheme(actor=SYSTEM, area_code="51", year=2025).pk == scheme.pk


def test_linear_scoring_is_capped_and_lower_is_better() -> None:
    higher = scoring.Rule(Decimal(40), "linear", Decimal("0.95"), Decimal("0.8"), "higher")
    assert scoring.points(higher, Decimal("0.875")) == Decimal("20.00")
    assert scoring.points(higher, Decimal("0.99")) == Decimal(40)
    assert scoring.points(higher, Decimal("0.5")) == Decimal(0)
    assert scoring.points(higher, None) is None
    lower = scoring.Rule(Decimal(20), "linear", Decimal(5), Decimal(15), "lower")
    assert scoring.points(lower, Decimal(7)) == Decimal("16.00")
    assert scoring.points(lower, Decimal(3)) == Decimal(20)
    assert scoring.total([(Decimal(40), Decimal(20)), (Decimal(60), None)]) == Decimal("50.00")
    assert scoring.ranks([("a", Decimal(90)), ("b", Decimal(95)), ("c", Decimal(90)),
                          ("d", None)]) == {"b": 1, "a": 2, "c": 2, "d": None}
