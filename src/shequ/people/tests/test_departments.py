"""Staff postings in a street office's departments (科室): issue 17 item 1, ADR 1003.
A posting's department is one of the departments of the street its area belongs to; a
street officer cannot attach another street's, and the refusal names only the posting's
own office."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.test import Client

from shequ.areas import facade as areas
from shequ.audit.models import AuditEntry
from shequ.authz import SYSTEM
from shequ.core.errors import BusinessError
from shequ.people import facade, selectors, services
from shequ.people.models import Posting, StaffKind, UnitLevel

pytestmark = pytest.mark.django_db

REFUSAL = ("所选科室不是春熙路街道（岗位所在地所属的街道办事处）的现有科室；"
           "请从该街道办事处的科室中选择。")


@pytest.fixture
def depts(tree: Any) -> dict[str, Any]:
    return {
        "a": areas.save_department(actor=SYSTEM, street_code=tree.street.code, name="社区发展科",
                                   category="public_service",
                                   duties=["public_service", "community_building"]),
        "a2": areas.save_department(actor=SYSTEM, street_code=tree.street.code,
                                    name="平安建设办公室", category="social_management",
                                    duties=["public_order"]),
        "b": areas.save_department(actor=SYSTEM, street_code=tree.other_street.code,
                                   name="三圣秘密科", category="enforcement",
                                   duties=["urban_management"]),
    }


def _cadre(tree: Any, dept: Any = None, *, actor: Any = SYSTEM, code: str = "GB-1",
           start: date = date(2016, 3, 1)) -> Any:
    return services.create_staff(actor=actor, code=code, name="干部甲", kind=StaffKind.CADRE,
                                 level=UnitLevel.STREET, area_code=tree.street.code,
                                 start_date=start, department_id=dept.pk if dept else None)


def test_a_posting_in_its_streets_department_is_kept_and_audited(tree: Any, depts: Any) -> None:
    s = _cadre(tree, depts["a"])
    posting = s.postings.get()
    assert posting.department == depts["a"]
    entry = AuditEntry.objects.filter(action="people.staff.create").latest("pk")
    assert entry.changes["department"] == depts["a"].pk


def test_another_streets_department_is_refused_naming_only_the_postings_office(
        tree: Any, depts: Any) -> None:
    with pytest.raises(BusinessError) as exc:
        _cadre(tree, depts["b"])
    assert exc.value.code == "bad_posting_department"
    assert str(exc.value.message) == REFUSAL
    assert "三圣" not in str(exc.value.message)
    assert not Posting.objects.exists()
    # an unknown id gets the very same answer: no oracle for other streets' ids
    with pytest.raises(BusinessError) as unknown:
        services.create_staff(actor=SYSTEM, code="GB-2", name="乙", kind=StaffKind.CADRE,
                              level=UnitLevel.STREET, area_code=tree.street.code,
                              start_date=date(2016, 3, 1), department_id=999_999)
    assert str(unknown.value.message) == REFUSAL


def test_a_community_posting_takes_its_streets_department_and_the_other_way_round(
        tree: Any, depts: Any) -> None:
    s = _cadre(tree)
    # a community or station of street A: A's department is fine, B's is not
    p = services.post_staff(actor=SYSTEM, staff=s, level=UnitLevel.STATION, area_code="",
                            station_code=tree.station.code, start_date=date(2018, 1, 1),
                            department_id=depts["a"].pk)
    assert p.department == depts["a"] and p.area_code == tree.community.code
    with pytest.raises(BusinessError):
        services.post_staff(actor=SYSTEM, staff=s, level=UnitLevel.COMMUNITY,
                            area_code=tree.agricultural.code, start_date=date(2019, 1, 1),
                            department_id=depts["a"].pk)
    moved = services.post_staff(actor=SYSTEM, staff=s, level=UnitLevel.COMMUNITY,
                                area_code=tree.agricultural.code, start_date=date(2019, 1, 1),
                                department_id=depts["b"].pk)
    assert moved.department == depts["b"]
    # a district posting has none of a street's departments
    with pytest.raises(BusinessError):
        services.post_staff(actor=SYSTEM, staff=s, level=UnitLevel.DISTRICT,
                            area_code=tree.district.code, start_date=date(2020, 1, 1),
                            department_id=depts["b"].pk)


def test_an_ended_department_takes_no_new_posting(tree: Any, depts: Any) -> None:
    type(depts["a"]).objects.filter(pk=depts["a"].pk).update(valid_to=date(2015, 12, 31))
    with pytest.raises(BusinessError) as exc:
        _cadre(tree, depts["a"])
    assert str(exc.value.message) == REFUSAL


def test_a_street_officer_cannot_attach_another_streets_department(
        tree: Any, depts: Any, make_user: Any) -> None:
    officer = make_user("street_officer", tree.street.code)
    with pytest.raises(BusinessError) as exc:
        _cadre(tree, depts["b"], actor=officer)
    assert str(exc.value.message) == REFUSAL
    c = Client()
    c.force_login(officer)
    r = c.post("/api/v1/people/staff", {
        "code": "GB-9", "name": "丙", "kind": "cadre", "level": "street",
        "area_code": tree.street.code, "start_date": "2020-01-01",
        "department_id": depts["b"].pk}, content_type="application/json")
    assert r.status_code == 400 and r.json()["code"] == "bad_posting_department"
    assert "三圣" not in r.content.decode()
    ok = c.post("/api/v1/people/staff", {
        "code": "GB-9", "name": "丙", "kind": "cadre", "level": "street",
        "area_code": tree.street.code, "start_date": "2020-01-01",
        "department_id": depts["a2"].pk}, content_type="application/json")
    assert ok.status_code == 201
    assert ok.json()["postings"][0]["department_name"] == "平安建设办公室"


def test_the_picker_lists_only_the_officers_street(tree: Any, depts: Any,
                                                   make_user: Any) -> None:
    officer = make_user("street_officer", tree.street.code)
    groups = selectors.department_choices(user=officer)
    assert groups == [("春熙路街道", [(depts["a2"].pk, "平安建设办公室"),
                                    (depts["a"].pk, "社区发展科")])]
    c = Client()
    c.force_login(officer)
    page = c.get("/people/staff/new/").content.decode()
    assert "社区发展科" in page and "三圣秘密科" not in page
    admin = make_user("district_admin", tree.district.code)
    assert [g for g, _ in selectors.department_choices(user=admin)] == ["春熙路街道", "三圣街道"]


def test_posting_form_records_the_department_and_history_shows_it(
        tree: Any, depts: Any, make_user: Any) -> None:
    s = _cadre(tree, depts["a2"])
    c = Client()
    c.force_login(make_user("district_admin", tree.district.code))
    r = c.post(f"/people/staff/{s.pk}/", {"post": "1", "level": "community",
                                          "area_code": tree.community2.code,
                                          "department_id": str(depts["a"].pk),
                                          "start_date": "2024-02-01", "rotation": "on"})
    assert r.status_code == 302
    assert [p.department for p in selectors.postings_of(s)] == [depts["a"], depts["a2"]]
    page = c.get(f"/people/staff/{s.pk}/").content.decode()
    assert "社区发展科" in page and "平安建设办公室" in page
    # another street's department, chosen by a district admin: the form says why
    r = c.post(f"/people/staff/{s.pk}/", {"post": "1", "level": "community",
                                          "area_code": tree.community.code,
                                          "department_id": str(depts["b"].pk),
                                          "start_date": "2025-02-01", "rotation": "on"})
    assert r.status_code == 200 and REFUSAL in r.content.decode()


def test_the_department_page_lists_its_current_staff(tree: Any, depts: Any,
                                                      make_user: Any) -> None:
    old = _cadre(tree, depts["a"], start=date(2010, 1, 1))
    new = _cadre(tree, depts["a"], code="GB-2", start=date(2024, 1, 1))
    moved = _cadre(tree, depts["a"], code="GB-3", start=date(2016, 1, 1))
    services.post_staff(actor=SYSTEM, staff=moved, level=UnitLevel.STREET,
                        area_code=tree.street.code, start_date=date(2020, 1, 1),
                        department_id=depts["a2"].pk)
    found = selectors.department_staff(user=SYSTEM, pk=depts["a"].pk, on=date(2025, 1, 1))
    assert [p.staff for p in found.postings] == [old, new]
    assert found.rotation_due == {old.postings.get().pk}
    officer = make_user("street_officer", tree.street.code)
    c = Client()
    c.force_login(officer)
    page = c.get(f"/people/departments/{depts['a'].pk}/")
    assert page.status_code == 200 and "GB-3" not in page.content.decode()
    body = page.content.decode()
    assert "社区发展科" in body and "应轮岗" in body
    api = c.get(f"/api/v1/people/departments/{depts['a'].pk}").json()
    assert [r["staff"]["code"] for r in api["staff"]] == ["GB-1", "GB-2"]
    # another street's department is "not found", the same as a missing one
    other = c.get(f"/people/departments/{depts['b'].pk}/")
    missing = c.get("/people/departments/999999/")
    assert other.status_code == missing.status_code == 404
    assert "三圣秘密科" not in other.content.decode()


def test_rotations_overdue_counted_per_department(tree: Any, depts: Any) -> None:
    _cadre(tree, depts["a"], start=date(2010, 1, 1))
    _cadre(tree, depts["a"], code="GB-2", start=date(2012, 1, 1))
    _cadre(tree, depts["a2"], code="GB-3", start=date(2011, 1, 1))
    _cadre(tree, code="GB-4", start=date(2011, 1, 1))
    _cadre(tree, depts["a2"], code="GB-5", start=date(2024, 1, 1))
    assert facade.rotations_overdue_by_department(tree.street.code, date(2020, 12, 31)) == {
        depts["a"].pk: 2, depts["a2"].pk: 1, None: 1}


def test_the_cli_lists_departments_and_posts_into_one(tree: Any, depts: Any) -> None:
    from io import StringIO

    from django.core.management import CommandError, call_command

    s = _cadre(tree, depts["a"], start=date(2010, 1, 1))
    out = StringIO()
    call_command("people", "departments", tree.community.code, stdout=out)
    lines = out.getvalue().splitlines()
    assert lines == [f"{depts['a2'].pk}\t平安建设办公室\t社会管理类\t社会治安综合治理\t0",
                     f"{depts['a'].pk}\t社区发展科\t公共服务类\t公共服务、社区建设\t1"]
    call_command("people", "rotation-due", "--on", "2020-01-01", stdout=out)
    assert out.getvalue().splitlines()[-1].endswith("\t社区发展科")
    with pytest.raises(CommandError, match="所选科室不是春熙路街道"):
        call_command("people", "post", s.code, "--level", "street", "--area", tree.street.code,
                     "--from", "2021-01-01", "--department", str(depts["b"].pk))
    call_command("people", "post", s.code, "--level", "street", "--area", tree.street.code,
                 "--from", "2021-01-01", "--department", str(depts["a2"].pk), stdout=out)
    assert s.postings.get(end_date__isnull=True).department == depts["a2"]
