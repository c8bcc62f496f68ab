"""Street offices as organisations: the eight duties, departments in four categories, and
the functional zones' committees keeping economic work apart (issue 17, ADR 1000)."""

from __future__ import annotations

import pytest

from shequ.areas import services
from shequ.areas.models import Department, Duty, DutyKind, FunctionalZone
from shequ.audit.models import AuditEntry
from shequ.authz import SYSTEM
from shequ.core.errors import BusinessError


@pytest.mark.django_db
def test_the_eight_street_duties_and_four_economic_ones(tree):
    services.ensure_duties()
    street = [str(d) for d in Duty.objects.filter(kind=DutyKind.STREET)]
    assert street == ["基层党建", "城市管理", "公共服务", "社区建设", "安全监督", "应急管理",
                      "社会稳定", "社会治安综合治理"]
    assert [str(d) for d in Duty.objects.filter(kind=DutyKind.ECONOMIC)] == [
        "发展战略", "产业规划", "招商引资", "企业服务"]


@pytest.mark.django_db
def test_a_street_department_with_category_and_duties_is_audited(tree):
    dept = services.save_department(actor=SYSTEM, street_code=tree.street.code, name="社区建设科",
                                    category="social_service",
                                    duties=["community_building", "party_building"])
    assert dept.get_category_display() == "社会服务类"
    assert sorted(dept.duties.values_list("code", flat=True)) == ["community_building",
                                                                  "party_building"]
    assert AuditEntry.objects.filter(action="areas.department.save", area_code=tree.street.code).exists()
    again = services.save_department(actor=SYSTEM, street_code=tree.street.code, name="社区建设科",
                                     category="public_service", duties=["public_service"])
    assert again.pk == dept.pk
    assert list(again.duties.values_list("code", flat=True)) == ["public_service"]


@pytest.mark.django_db
def test_a_street_does_not_take_economic_work(tree):
    with pytest.raises(BusinessError) as err:
        services.save_department(actor=SYSTEM, street_code=tree.street.code, name="经济科",
                                 category="public_service", duties=["investment_promotion"])
    assert str(err.value.message) == ("招商引资是功能区管委会的经济职能；改革后街道办事处不再承担。")
    assert not Department.objects.exists()


@pytest.mark.django_db
def test_a_zone_committee_holds_economic_work_only(tree):
    zone = FunctionalZone.objects.create(district=tree.district, name="中央商务区")
    dept = services.save_department(actor=SYSTEM, zone_id=zone.pk, name="招商服务部",
                                    duties=["investment_promotion", "enterprise_service"])
    assert dept.area_code == tree.district.code and dept.category == ""
    with pytest.raises(BusinessError) as err:
        services.save_department(actor=SYSTEM, zone_id=zone.pk, name="城管部",
                                 duties=["urban_management"])
    assert str(err.value.message) == "城市管理是街道办事处的职责；功能区管委会只承担经济职能。"


@pytest.mark.django_db
def test_a_street_department_needs_one_of_the_four_categories(tree):
    with pytest.raises(BusinessError) as err:
        services.save_department(actor=SYSTEM, street_code=tree.street.code, name="综合科",
                                 duties=["public_service"])
    assert "四类" in str(err.value.message)
    with pytest.raises(BusinessError):
        services.save_department(actor=SYSTEM, street_code=tree.community.code, name="综合科",
                                 category="public_service", duties=["public_service"])


@pytest.mark.django_db
def test_the_facade_resolves_a_streets_department_by_duty_and_category(tree):
    from datetime import date

    from shequ.areas import facade

    dev = facade.save_department(actor=SYSTEM, street_code=tree.street.code, name="社区发展科",
                                 category="public_service",
                                 duties=["public_service", "community_building"])
    affairs = facade.save_department(actor=SYSTEM, street_code=tree.street.code, name="社会事务科",
                                     category="social_service",
                                     duties=["public_service", "social_stability"])
    # two departments hold public service: the category decides, else the one recorded first
    assert facade.handling_department(tree.street.code, "public_service", "social_service") == affairs
    assert facade.handling_department_id(tree.street.code, "public_service", "social_service") == affairs.pk
    assert facade.handling_department(tree.street.code, "public_service") == dev
    assert facade.handling_department(tree.street.code, "urban_management") is None
    assert facade.handling_department_id(tree.other_street.code, "public_service") is None
    holders = facade.duty_holders(tree.street.code)
    assert set(holders["public_service"]) == {dev, affairs}
    assert holders["social_stability"] == [affairs]
    # a department belongs to its street only, and only while it exists
    assert facade.department_in(dev.pk, tree.street.code) == dev
    assert facade.department_in(dev.pk, tree.other_street.code) is None
    assert facade.department_in("x", tree.street.code) is None
    Department.objects.filter(pk=dev.pk).update(valid_to=date(2020, 12, 31))
    assert facade.department_in(dev.pk, tree.street.code, on=date(2020, 6, 1)) is not None
    assert facade.department_in(dev.pk, tree.street.code, on=date(2021, 1, 1)) is None
    assert facade.department_in(dev.pk, tree.street.code) is None
    assert facade.office_code("community", tree.community.code) == tree.street.code
    assert facade.office_code("district", tree.district.code) == tree.district.code


@pytest.mark.django_db
def test_the_api_lists_a_streets_departments_in_scope(tree, make_user):
    from django.test import Client

    dept = services.save_department(actor=SYSTEM, street_code=tree.street.code, name="城市管理科",
                                    category="enforcement", duties=["urban_management"])
    services.save_department(actor=SYSTEM, street_code=tree.other_street.code, name="三圣城管科",
                             category="enforcement", duties=["urban_management"])
    c = Client()
    c.force_login(make_user("street_officer", tree.street.code))
    r = c.get(f"/api/v1/areas/{tree.community.code}/departments")
    assert r.status_code == 200
    assert r.json() == [{"id": dept.pk, "name": "城市管理科", "category": "enforcement",
                         "area_code": tree.street.code, "duties": ["urban_management"]}]
    assert c.get(f"/api/v1/areas/{tree.other_street.code}/departments").status_code == 403
