"""Staff (postings, rotation, training) and governance bodies (posts, memberships,
coverage)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.test import Client

from shequ.audit.models import AuditEntry
from shequ.authz import SYSTEM
from shequ.core.errors import BusinessError, Conflict, Forbidden
from shequ.people import facade, selectors, services
from shequ.people.enums import AuditAction, EndReason
from shequ.people.models import BodyKind, Posting, Qualification, StaffKind, UnitLevel
from shequ.rules.services import set_override

pytestmark = pytest.mark.django_db


def cadre(tree: Any, code: str = "GB-1", start: date = date(2016, 3, 1)) -> Any:
    return services.create_staff(actor=SYSTEM, code=code, name="干部甲", kind=StaffKind.CADRE,
                                 level=UnitLevel.STREET, area_code=tree.street.code,
                                 start_date=start)


def test_posting_history_and_rotation_due(tree: Any) -> None:
    s = cadre(tree)
    services.post_staff(actor=SYSTEM, staff=s, level=UnitLevel.STATION, area_code="",
                        station_code=tree.station.code, start_date=date(2018, 1, 1))
    postings = list(Posting.objects.filter(staff=s).order_by("start_date"))
    assert [p.end_date for p in postings] == [date(2017, 12, 31), None]
    assert postings[1].rotation and s.area_code == tree.community.code
    due = selectors.rotation_due(user=SYSTEM, on=date(2023, 1, 1))
    assert [d.staff for d in due] == [s] and due[0].years == 5.0 and due[0].rule_years == 5
    assert selectors.rotation_due(user=SYSTEM, on=date(2022, 12, 30)) == []
    # a district's own period is a local value for its areas, not a setting
    set_override(actor=SYSTEM, module="people", profile="national", key="rotation_years",
                 area_code=tree.street.code, value="3", citation="街道交流轮岗实施办法")
    due = selectors.rotation_due(user=SYSTEM, on=date(2021, 1, 1))
    assert [(d.staff, d.rule_years) for d in due] == [(s, 3)]
    assert selectors.rotation_due(user=SYSTEM, on=date(2020, 12, 31)) == []
    with pytest.raises(BusinessError) as exc:
        services.post_staff(actor=SYSTEM, staff=s, level=UnitLevel.COMMUNITY,
                            area_code=tree.community2.code, start_date=date(2017, 1, 1))
    assert exc.value.code == "posting_dates"


def test_staff_rules(tree: Any, make_user: Any) -> None:
    cadre(tree)
    with pytest.raises(Conflict):
        cadre(tree)
    with pytest.raises(BusinessError) as exc:
        services.create_staff(actor=SYSTEM, code="X", name="x", kind=StaffKind.CADRE,
                              level=UnitLevel.COMMUNITY, area_code=tree.street.code,
                              start_date=date(2020, 1, 1))
    assert exc.value.code == "bad_posting_area"
    other = make_user("street_officer", tree.other_street.code)
    with pytest.raises(Forbidden):
        services.create_staff(actor=other, code="Y", name="y", kind=StaffKind.COMMUNITY_WORKER,
                              level=UnitLevel.COMMUNITY, area_code=tree.community.code,
                              start_date=date(2020, 1, 1))


def test_qualification_and_training(tree: Any) -> None:
    s = services.create_staff(actor=SYSTEM, code="SW-1", name="社工乙", kind=StaffKind.SOCIAL_WORKER,
                              level=UnitLevel.COMMUNITY, area_code=tree.community.code,
                              start_date=date(2020, 1, 1), qualification=Qualification.ASSISTANT)
    services.set_qualification(actor=SYSTEM, staff=s, qualification=Qualification.SOCIAL_WORKER,
                               qualified_on=date(2023, 6, 1))
    services.add_training(actor=SYSTEM, staff=s, title="督导培训", start_date=date(2024, 1, 5),
                          hours="12.5")
    s.refresh_from_db()
    assert s.qualification == Qualification.SOCIAL_WORKER
    assert s.get_qualification_display() == "社会工作师"
    assert s.trainings.get().hours == 12.5
    entry = AuditEntry.objects.get(action=AuditAction.STAFF_QUALIFY)
    assert entry.changes == {"qualification": ["assistant", "social_worker"],
                             "qualified_on": [None, "2023-06-01"]}
    assert AuditEntry.objects.filter(action="people.staff.train").count() == 1
    for bad, code in (("-1", "negative"), ("abc", "bad_hours"), ("100000", "bad_hours")):
        with pytest.raises(BusinessError) as exc:
            services.add_training(actor=SYSTEM, staff=s, title="课", start_date=date(2024, 1, 5),
                                  hours=bad)
        assert exc.value.code == code


def test_staff_scoped_by_posting(tree: Any, make_user: Any) -> None:
    s = cadre(tree)
    mine = make_user("street_officer", tree.street.code)
    other = make_user("street_officer", tree.other_street.code)
    assert list(selectors.staff(user=mine)) == [s]
    assert list(selectors.staff(user=other)) == []
    with pytest.raises(Forbidden):
        selectors.get_staff(user=other, pk=s.pk)


def test_bodies_posts_memberships_and_coverage(tree: Any) -> None:
    party = services.create_body(actor=SYSTEM, kind=BodyKind.PARTY, name="中共督院街社区委员会",
                                 area_code=tree.community.code)
    services.create_body(actor=SYSTEM, kind=BodyKind.RESIDENTS_COMMITTEE, name="督院街社区居委会",
                         area_code=tree.community.code)
    services.create_body(actor=SYSTEM, kind=BodyKind.PARTY, name="幸福社区党委",
                         area_code=tree.agricultural.code)
    assert {p.role for p in party.posts.all()} == {"secretary", "deputy", "member"}
    m = services.add_membership(actor=SYSTEM, body=party, post_role="secretary", person_name="书记甲",
                                start_date=date(2021, 6, 1))
    with pytest.raises(Conflict) as exc:
        services.add_membership(actor=SYSTEM, body=party, post_role="secretary",
                                person_name="书记乙", start_date=date(2022, 1, 1))
    assert exc.value.code == "post_full" and str(exc.value.message) == "书记 的 1 个名额已满。"
    with pytest.raises(BusinessError) as exc:  # a reason is a key, not a sentence
        services.end_membership(actor=SYSTEM, membership=m, end_date=date(2021, 12, 31),
                                reason="调任")
    assert exc.value.code == "unknown_end_reason"
    services.end_membership(actor=SYSTEM, membership=m, end_date=date(2021, 12, 31),
                            reason=EndReason.TRANSFERRED)
    m.refresh_from_db()
    assert m.end_reason == "transferred" and m.get_end_reason_display() == "调任其他职务"
    services.add_membership(actor=SYSTEM, body=party, post_role="secretary", person_name="书记乙",
                            start_date=date(2022, 1, 1))
    assert [x.person_name for x in facade.current_members(party, date(2022, 2, 1))] == ["书记乙"]
    rows = selectors.coverage(user=SYSTEM, code=tree.district.code)
    total = rows[-1]
    assert (total.communities, total.with_party, total.with_committee) == (3, 2, 1)
    assert total.party_share == 66.7 and total.committee_share == 33.3 and not total.meets_target
    street = next(r for r in rows if r.code == tree.street.code)
    assert street.party_share == 50.0
    with pytest.raises(Conflict):
        services.create_body(actor=SYSTEM, kind=BodyKind.PARTY, name="中共督院街社区委员会",
                             area_code=tree.community.code)


def test_pages_and_api_for_staff_and_bodies(tree: Any, make_user: Any) -> None:
    s = cadre(tree, start=date(2015, 1, 1))
    body = services.create_body(actor=SYSTEM, kind=BodyKind.COUNCIL, name="幸福社区议事会",
                                area_code=tree.agricultural.code)
    c = Client()
    c.force_login(make_user("district_admin", tree.district.code))
    assert "干部甲" in c.get("/people/staff/").content.decode()
    assert "干部甲" in c.get("/people/staff/rotation/").content.decode()
    assert "议事会" in c.get("/people/bodies/").content.decode()
    r = c.post(f"/people/bodies/{body.pk}/", {"post_role": "chair", "person_name": "议事长甲",
                                              "start_date": "2024-01-01"})
    assert r.status_code == 302 and body.memberships.count() == 1
    r = c.post(f"/people/staff/{s.pk}/", {"post": "1", "level": "community",
                                          "area_code": tree.community2.code,
                                          "start_date": "2024-02-01", "rotation": "on"})
    assert r.status_code == 302 and s.postings.count() == 2
    api = c.get("/api/v1/people/staff/rotation-due?on=2030-01-01").json()
    assert api["items"][0]["staff"]["code"] == "GB-1" and api["items"][0]["rule_years"] == 5
    cov = c.get(f"/api/v1/people/bodies/coverage?code={tree.district.code}").json()
    assert cov["items"][-1]["communities"] == 3 and cov["items"][-1]["target"] == 100
    new = c.post("/api/v1/people/bodies", {"kind": "owners_committee", "name": "锦绣苑业主委员会",
                                           "area_code": tree.compound.code},
                 content_type="application/json")
    assert new.status_code == 201 and new.json()["posts"]
    bad = c.post("/api/v1/people/bodies", {"kind": "nope", "name": "x", "area_code": tree.compound.code},
                 content_type="application/json")
    assert bad.status_code == 400 and bad.json()["code"] == "unknown_kind"


def test_api_qualification_and_dissolve(tree: Any, make_user: Any) -> None:
    s = cadre(tree)
    body = services.create_body(actor=SYSTEM, kind=BodyKind.OWNERS_COMMITTEE, name="业委会",
                                area_code=tree.compound.code)
    services.add_membership(actor=SYSTEM, body=body, post_role="chair", person_name="甲",
                            start_date=date(2022, 1, 1))
    c = Client()
    c.force_login(make_user("street_officer", tree.street.code))
    r = c.post(f"/api/v1/people/staff/{s.pk}/qualification",
               {"qualification": "assistant", "qualified_on": "2024-06-01"},
               content_type="application/json")
    assert r.status_code == 200 and r.json()["qualification"] == "assistant"
    r = c.post(f"/api/v1/people/bodies/{body.pk}/dissolve", {"on": "2025-01-01"},
               content_type="application/json")
    assert r.json()["dissolved_on"] == "2025-01-01"
    ended = body.memberships.get()
    assert (ended.end_date, ended.end_reason) == (date(2025, 1, 1), "dissolved")
    assert AuditEntry.objects.get(action="people.body.dissolve").changes == {
        "dissolved_on": "2025-01-01", "memberships_ended": 1}
    other = Client()
    other.force_login(make_user("street_officer", tree.other_street.code))
    assert other.post(f"/api/v1/people/staff/{s.pk}/qualification", {"qualification": ""},
                      content_type="application/json").status_code == 403


def test_ending_a_term_on_the_body_page_asks_for_confirmation(tree: Any, make_user: Any) -> None:
    body = services.create_body(actor=SYSTEM, kind=BodyKind.PARTY, name="党委",
                                area_code=tree.community.code)
    m = services.add_membership(actor=SYSTEM, body=body, post_role="member", person_name="委员丙",
                                start_date=date(2021, 6, 1))
    c = Client()
    c.force_login(make_user("street_officer", tree.street.code))
    page = c.get(f"/people/bodies/{body.pk}/").content.decode()
    assert f'id="end-{m.pk}"' in page and "任期一经终止不能恢复。" in page
    r = c.post(f"/people/memberships/{m.pk}/end/", {"end_date": "2024-01-01",
                                                    "reason": "resigned"}, follow=True)
    assert "请确认终止任职：终止后不能恢复。" in r.content.decode()
    m.refresh_from_db()
    assert m.end_date is None
    r = c.post(f"/people/memberships/{m.pk}/end/", {"end_date": "2024-01-01", "reason": "resigned",
                                                    "confirm": "on"}, follow=True)
    m.refresh_from_db()
    assert (m.end_date, m.end_reason) == (date(2024, 1, 1), "resigned")
    page = r.content.decode()
    assert "已终止任职。" in page and "(辞职)" in page and f'id="end-{m.pk}"' not in page
