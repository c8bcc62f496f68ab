"""``people.facade``: a committee recorded by another module (an election's announcement,
a recall) writes the same rows and the same people audit entries as one entered by hand."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from shequ.audit.models import AuditEntry
from shequ.authz import SYSTEM
from shequ.core import ids
from shequ.core.errors import BusinessError
from shequ.people import facade, services
from shequ.people.enums import AuditAction, EndReason
from shequ.people.facade import Seat
from shequ.people.models import Body, BodyKind, Membership
from shequ.people.tests.factories import make_resident

pytestmark = pytest.mark.django_db
DAY = date(2026, 6, 1)


def seats(*names: str) -> list[Seat]:
    roles = [("chair", "主任", 1), ("vice_chair", "副主任", 2), ("member", "委员", 6)]
    return [Seat(post_role=roles[min(i, 2)][0], post_label=roles[min(i, 2)][1],
                 post_seats=roles[min(i, 2)][2], person_name=n) for i, n in enumerate(names)]


def entries(action: str) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(action=action).order_by("at", "pk"))


def test_a_recorded_committee_leaves_peoples_own_audit_entries(tree: Any, make_user: Any) -> None:
    officer = make_user("street_officer", tree.street.code, username="xuanju")
    resident = make_resident(tree.community.code, name="王主任")
    body = facade.record_committee(
        actor=officer, area_code=tree.community.code, kind=BodyKind.RESIDENTS_COMMITTEE,
        name="督院街社区居民委员会", day=DAY, source="elections:7", replaces_all=True,
        seats=[Seat("chair", "主任", 1, "王主任", resident.pk), *seats("x", "李副主任")[1:]])
    (created,) = entries(AuditAction.BODY_CREATE)
    assert created.action == "people.body.create" and created.actor == officer
    assert created.object_id == str(body.pk) and created.area_code == tree.community.code
    assert created.changes["source"] == "elections:7"
    added = entries(AuditAction.MEMBERSHIP_ADD)
    assert [e.changes["name"] for e in added] == ["王主任", "李副主任"]
    assert added[0].changes["resident"] == resident.pk and added[0].actor == officer
    assert {m.person_name: m.post.role for m in body.memberships.select_related("post")} == {
        "王主任": "chair", "李副主任": "vice_chair"}


def test_the_same_entries_as_a_body_and_member_entered_by_hand(tree: Any) -> None:
    by_hand = services.create_body(actor=SYSTEM, kind=BodyKind.RESIDENTS_COMMITTEE,
                                   name="幸福社区居民委员会", area_code=tree.agricultural.code)
    member = services.add_membership(actor=SYSTEM, body=by_hand, post_role="chair",
                                     person_name="张主任", start_date=DAY)
    services.end_membership(actor=SYSTEM, membership=member, end_date=date(2026, 12, 31),
                            reason=EndReason.RESIGNED)
    facade.record_committee(actor=SYSTEM, area_code=tree.community.code,
                            kind=BodyKind.RESIDENTS_COMMITTEE, name="督院街社区居民委员会", day=DAY,
                            seats=seats("王主任"), source="elections:8", replaces_all=True)
    recorded = Membership.objects.get(person_name="王主任")
    facade.end_membership(actor=SYSTEM, membership_id=recorded.pk, end_date=date(2026, 12, 31),
                          reason=EndReason.RECALLED)
    for action in (AuditAction.BODY_CREATE, AuditAction.MEMBERSHIP_ADD, AuditAction.MEMBERSHIP_END):
        hand, facade_entry = entries(action)
        assert set(hand.changes) == set(facade_entry.changes), action
        assert hand.object_type == facade_entry.object_type
    ends = entries(AuditAction.MEMBERSHIP_END)
    assert [e.changes["reason"] for e in ends] == ["resigned", "recalled"]


def test_a_general_election_ends_the_old_terms_and_a_recount_corrects(tree: Any) -> None:
    code = tree.community.code
    body = services.create_body(actor=SYSTEM, kind=BodyKind.RESIDENTS_COMMITTEE,
                                name="督院街社区居民委员会", area_code=code)
    services.add_membership(actor=SYSTEM, body=body, post_role="chair", person_name="旧主任",
                            start_date=date(2021, 6, 1))
    again = facade.record_committee(actor=SYSTEM, area_code=code, kind=BodyKind.RESIDENTS_COMMITTEE,
                                    name="不用的名字", day=DAY, seats=seats("新主任"),
                                    source="elections:9", replaces_all=True)
    assert again == body and Body.objects.count() == 1  # the existing body, not a new one
    old = Membership.objects.get(person_name="旧主任")
    assert (old.end_date, old.end_reason) == (date(2026, 5, 31), EndReason.TERM_ENDED)
    assert old.get_end_reason_display() == "任期届满：新一届委员会已选出"
    # a re-count announces again: the first announcement's memberships are corrected
    facade.record_committee(actor=SYSTEM, area_code=code, kind=BodyKind.RESIDENTS_COMMITTEE,
                            name="不用的名字", day=DAY, seats=seats("改正主任"),
                            source="elections:9", replaces_all=True)
    first = Membership.objects.get(person_name="新主任")
    assert (first.end_date, first.end_reason) == (DAY, EndReason.CORRECTED)
    # (a corrected term ends on the announcement day itself, as it always has)
    current = facade.current_members(body, date(2026, 6, 2))
    assert [m.person_name for m in current] == ["改正主任"]
    assert [e.changes["reason"] for e in entries(AuditAction.MEMBERSHIP_END)] == [
        "term_ended", "corrected"]


def test_a_by_election_only_adds(tree: Any) -> None:
    code = tree.community.code
    facade.record_committee(actor=SYSTEM, area_code=code, kind=BodyKind.RESIDENTS_COMMITTEE,
                            name="督院街社区居民委员会", day=DAY, seats=seats("甲", "乙"),
                            source="elections:1", replaces_all=True)
    facade.record_committee(actor=SYSTEM, area_code=code, kind=BodyKind.RESIDENTS_COMMITTEE,
                            name="督院街社区居民委员会", day=date(2027, 3, 1),
                            seats=[Seat("member", "委员", 6, "丙")], source="elections:2",
                            replaces_all=False)
    assert sorted(m.person_name for m in Membership.objects.filter(end_date__isnull=True)) == [
        "丙", "乙", "甲"]
    assert not entries(AuditAction.MEMBERSHIP_END)


def test_end_membership_takes_a_key_and_refuses_a_sentence(tree: Any) -> None:
    facade.record_committee(actor=SYSTEM, area_code=tree.community.code,
                            kind=BodyKind.RESIDENTS_COMMITTEE, name="督院街社区居民委员会", day=DAY,
                            seats=seats("王主任"), source="elections:3", replaces_all=True)
    m = Membership.objects.get()
    with pytest.raises(BusinessError) as exc:
        facade.end_membership(actor=SYSTEM, membership_id=m.pk, end_date=DAY, reason="罢免通过")
    assert exc.value.code == "unknown_end_reason"
    m.refresh_from_db()
    assert m.end_date is None and not entries(AuditAction.MEMBERSHIP_END)
    ended = facade.end_membership(actor=SYSTEM, membership_id=m.pk, end_date=DAY,
                                  reason=EndReason.UNFIT)
    assert ended.end_reason == "unfit"
    assert ended.get_end_reason_display() == "连续评议“不称职”，职务终止"


def test_resident_of_user_and_fake_numbers(tree: Any, make_user: Any) -> None:
    user = make_user("resident", tree.community.code)
    resident = make_resident(tree.community.code, name="本人")
    assert facade.resident_of_user(user) is None
    services.link_user(actor=SYSTEM, resident=resident, user=user)
    assert facade.resident_of_user(user) == resident
    services.deidentify(actor=SYSTEM, resident=resident, reason="本人申请删除")
    assert facade.resident_of_user(user) is None
    number = facade.fake_identity_number(date(1990, 2, 3), sex="F", serial=7)
    parsed = ids.parse_resident_id(number)
    assert (parsed.birth_date, parsed.sex) == (date(1990, 2, 3), "F")
    assert facade.fake_identity_number(date(1990, 2, 3), sex="F", serial=7) == number
