"""A case's handling department (办理科室, issue 17 item 1, ADR 1003): the item version
names the street duty whose department handles it; the street that receives the case
resolves its department holding that duty and the case keeps it; the case page shows it
and the statistics rollups group by it."""

from __future__ import annotations

import itertools
from datetime import date
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client

from shequ.areas import facade as areas
from shequ.authz import SYSTEM
from shequ.core.errors import BusinessError
from shequ.services import rollups, selectors, services
from shequ.services.models import Case, StatRollup

from .conftest import at

pytestmark = pytest.mark.django_db
NAMES = itertools.count(1)


@pytest.fixture
def depts(tree: Any) -> dict[str, Any]:
    return {
        "dev": areas.save_department(actor=SYSTEM, street_code=tree.street.code, name="社区发展科",
                                     category="public_service",
                                     duties=["public_service", "community_building"]),
        "affairs": areas.save_department(actor=SYSTEM, street_code=tree.street.code,
                                         name="社会事务科", category="social_service",
                                         duties=["public_service", "social_stability"]),
        "b": areas.save_department(actor=SYSTEM, street_code=tree.other_street.code,
                                   name="三圣公共服务科", category="public_service",
                                   duties=["public_service"]),
    }


@pytest.fixture
def duty_item(db: Any) -> Any:
    return services.publish_item(
        actor=SYSTEM, code="JJ-D01", area_code="510104", name="居住证明",
        legal_basis="《居住证暂行条例》第十条", handler_level="street",
        delegation_mode="entrusted", delegation_rank="rules",
        delegation_basis="《锦江区街道办事处委托事项目录》", department="公共服务办公室",
        department_category="social_service", handling_duty="public_service",
        statutory_days=20, promised_days=20, materials=[{"code": "id", "name": "身份证复印件"}])


def _file(actor: Any, area: str, code: str = "JJ-D01") -> Case:
    return services.submit_case(actor=actor, item_code=code, area_code=area,
                                applicant_name=f"申请人{next(NAMES)}", phone="13800001234",
                                channel="desk", at=at("2025-09-29"))


def test_the_receiving_streets_department_holding_the_duty_handles_the_case(
        tree: Any, depts: Any, duty_item: Any, make_user: Any) -> None:
    admin = make_user("district_admin", "510104")
    a = _file(admin, tree.community.code)
    b = _file(admin, tree.agricultural.code)
    # two departments of 春熙路 hold public service: the one of the item's category
    assert a.department == depts["affairs"]
    assert b.department == depts["b"]
    # accepting keeps it: the case never moves between departments (nor rollup rows)
    services.accept(actor=admin, number=a.number, at=at("2025-09-30"))
    a.refresh_from_db()
    assert a.department_id == depts["affairs"].pk
    c = Client()
    c.force_login(make_user("street_officer", tree.street.code))
    page = c.get(f"/services/cases/{a.number}/").content.decode()
    assert "办理科室" in page and "社会事务科" in page
    api = c.get(f"/api/v1/services/cases/{a.number}").json()
    assert api["department_id"] == depts["affairs"].pk and api["department_name"] == "社会事务科"


def test_no_street_department_for_a_district_item_or_a_street_without_one(
        tree: Any, duty_item: Any, make_user: Any, item: Any) -> None:
    admin = make_user("district_admin", "510104")
    # no department holds the duty yet: the case has none and shows the version's name
    case = _file(admin, tree.community.code)
    assert case.department_id is None
    # an item without a duty (the shared fixture's) has none either
    assert _file(admin, tree.community.code, "JJ-001").department_id is None
    c = Client()
    c.force_login(make_user("street_officer", tree.street.code))
    assert "公共服务办公室" in c.get(f"/services/cases/{case.number}/").content.decode()


def test_the_handling_duty_is_a_street_duty(db: Any) -> None:
    args = {"actor": SYSTEM, "code": "JJ-D02", "area_code": "510104", "name": "招商",
            "legal_basis": "x", "handler_level": "street", "delegation_mode": "front_desk",
            "department": "x", "department_category": "public_service", "statutory_days": 20,
            "promised_days": 10, "kind": "service", "period_basis": "本地"}
    with pytest.raises(BusinessError) as exc:
        services.publish_item(**args, handling_duty="investment_promotion")
    assert str(exc.value.message) == "承办职责须为街道办事处的八项职责之一：招商引资是功能区的经济职能。"
    with pytest.raises(BusinessError) as unknown:
        services.publish_item(**args, handling_duty="nope")
    assert str(unknown.value.message) == "没有这项职责：nope。"


def test_rollups_group_by_the_handling_department(tree: Any, depts: Any, duty_item: Any,
                                                   item: Any, make_user: Any) -> None:
    admin = make_user("district_admin", "510104")
    cases = [_file(admin, tree.community.code), _file(admin, tree.community2.code),
             _file(admin, tree.agricultural.code), _file(admin, tree.community.code, "JJ-001")]
    services.accept(actor=admin, number=cases[0].number, at=at("2025-09-30"))
    services.decide(actor=admin, number=cases[0].number, approve=True, at=at("2025-10-10"))
    rows = {(r.street_code, r.handling_department, r.department): r.cases
            for r in StatRollup.objects.all()}
    assert rows == {(tree.street.code, depts["affairs"].pk, ""): 2,
                    (tree.other_street.code, depts["b"].pk, ""): 1,
                    (tree.street.code, 0, "社区发展科"): 1}
    stats = {r.label: (r.cases, r.completed) for r in selectors.statistics(
        user=admin, by="department", start=date(2025, 9, 1), end=date(2025, 12, 31))}
    assert stats == {"春熙路街道 · 社会事务科": (2, 1), "三圣街道 · 三圣公共服务科": (1, 0),
                     "社区发展科": (1, 0)}
    # the rollups the writers kept are what a rebuild computes, and equal the cases' count
    kept = rollups.snapshot()
    call_command("services", "rollups", "rebuild")
    assert rollups.snapshot() == kept
    fast, _ = selectors._from_rollups(None, "department", date(2025, 9, 1), date(2025, 12, 31),
                                      "")
    slow = selectors._from_cases(admin, "department", date(2025, 9, 1), date(2025, 12, 31), "")
    assert fast == slow
    # a street officer's grouping holds only her street's departments
    officer = make_user("street_officer", tree.street.code)
    mine = [r.label for r in selectors.statistics(user=officer, by="department",
                                                  start=date(2025, 9, 1),
                                                  end=date(2025, 12, 31))]
    assert sorted(mine) == ["春熙路街道 · 社会事务科", "社区发展科"]


def test_a_demo_load_forgets_the_departments_an_earlier_load_remembered(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """The full suite loads the demo in a rolled-back test and again in a later one in the
    same process: a department id remembered from the first load no longer exists, and the
    second load's cases failed their foreign key at commit."""
    from shequ.services import demo

    demo._DEPARTMENTS[(999_999, "510104022")] = 999_999
    seen: list[dict[tuple[int, str], int | None]] = []
    for step in ("_catalogue", "_heads", "_demo_resident"):
        monkeypatch.setattr(demo, step, lambda: None)
    monkeypatch.setattr(demo, "_history", lambda: seen.append(dict(demo._DEPARTMENTS)) or 0)
    monkeypatch.setattr(demo.services, "sweep", lambda **_kw: None)
    demo.load()
    assert seen == [{}]


def test_the_overdue_list_and_export_name_the_handling_department(
        tree: Any, depts: Any, duty_item: Any, item: Any, make_user: Any) -> None:
    """The statistics page's overdue list and the workbook's overdue sheet show the case's
    department record (社会事务科), not the name its item version gives (公共服务办公室);
    a case without one (a district item) keeps the version's name."""
    from io import BytesIO

    from openpyxl import load_workbook

    from shequ.services import export

    admin = make_user("district_admin", "510104")
    mine, district = _file(admin, tree.community.code), _file(admin, tree.community.code,
                                                              "JJ-001")
    for c in (mine, district):
        services.accept(actor=admin, number=c.number, at=at("2025-09-30"))
    services.sweep(actor=SYSTEM, at=at("2025-12-01"))
    job = export.request_export(actor=admin, start=date(2025, 1, 1))
    sheet = load_workbook(BytesIO(bytes(job.content)), read_only=True)["超期办件"]
    named = {r[0]: r[4] for r in sheet.iter_rows(min_row=2, values_only=True)}
    assert named == {mine.number: "社会事务科", district.number: "社区发展科"}
    client = Client()
    client.force_login(admin)
    page = client.get("/services/stats/").content.decode()
    overdue = page[page.index('id="overdue"'):]
    assert "<td>社会事务科</td>" in overdue and "公共服务办公室" not in overdue
