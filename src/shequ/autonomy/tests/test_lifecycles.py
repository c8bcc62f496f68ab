"""Every lifecycle of the module: its declared edges, and each guard on both sides of the
law's condition and its day (guards only look: they are asked here without moving)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest

from shequ.authz import SYSTEM
from shequ.autonomy import services
from shequ.autonomy.enums import AuditAction
from shequ.autonomy.lifecycles import (
    CONVENE_REQUEST,
    DISCLOSURE,
    EVALUATION,
    LIFECYCLES,
    MEETING,
    MOTION,
    PROPOSAL,
    QUESTION,
    RECALL,
    REPRESENTATIVE,
    describe,
)
from shequ.autonomy.models import (
    PROPOSAL_FINAL,
    Choice,
    Constituency,
    Disclosure,
    Meeting,
    Motion,
    Proposal,
    RecallPetition,
)
from shequ.autonomy.tests.conftest import URBAN
from shequ.autonomy.tests.factories import link, meeting_day
from shequ.core.errors import BusinessError, Conflict, Forbidden, InvalidTransition

P, PA = Proposal.State, Proposal.Action


def _code(refused: BusinessError | None) -> str | None:
    return None if refused is None else refused.code


# ---------------------------------------------------------------- declarations


def test_the_proposal_lifecycle_is_the_documented_one() -> None:
    assert set(PROPOSAL.edges()) == {
        (P.COLLECTING, PA.EDIT, P.COLLECTING), (P.COLLECTING, PA.COSIGN, P.COLLECTING),
        (P.COLLECTING, PA.COSIGNED, P.SUBMITTED), (P.COLLECTING, PA.WITHDRAW, P.WITHDRAWN),
        (P.SUBMITTED, PA.WITHDRAW, P.WITHDRAWN), (P.ADMITTED, PA.WITHDRAW, P.WITHDRAWN),
        (P.SUBMITTED, PA.ADMIT, P.ADMITTED), (P.SUBMITTED, PA.REJECT, P.REJECTED),
        (P.ADMITTED, PA.SCHEDULE, P.SCHEDULED), (P.SCHEDULED, PA.ADOPT, P.ADOPTED),
        (P.SCHEDULED, PA.NOT_ADOPT, P.NOT_ADOPTED), (P.SCHEDULED, PA.UNSCHEDULE, P.ADMITTED),
        (P.ADOPTED, PA.ASSIGN, P.IN_PROGRESS), (P.IN_PROGRESS, PA.PROGRESS, P.IN_PROGRESS),
        (P.IN_PROGRESS, PA.COMPLETE, P.IMPLEMENTED), (P.IMPLEMENTED, PA.RATE, P.IMPLEMENTED),
        (P.IMPLEMENTED, PA.CLOSE, P.CLOSED),
        *((s, PA.COMMENT, s) for s in (P.COLLECTING, P.SUBMITTED, P.ADMITTED, P.SCHEDULED)),
    }
    assert {s for s in P.values if PROPOSAL.is_final(s)} == set(PROPOSAL_FINAL)


def test_the_other_lifecycles_are_the_documented_ones() -> None:
    R, M, V = RecallPetition.State, Meeting.Status, Motion.Status
    assert set(RECALL.edges()) == {
        (R.COLLECTING, "sign", R.COLLECTING), (R.COLLECTING, "threshold", R.SUBMITTED),
        (R.SUBMITTED, "reply", R.REPLIED), (R.SUBMITTED, "result", R.DECIDED),
        (R.REPLIED, "result", R.DECIDED),
        # ADR 0513: the vote set up in elections (again only after a cancelled one)
        (R.SUBMITTED, "schedule", R.SCHEDULED), (R.REPLIED, "schedule", R.SCHEDULED),
        (R.SCHEDULED, "schedule", R.SCHEDULED), (R.SCHEDULED, "result", R.DECIDED)}
    assert set(MEETING.edges()) == {
        (M.NOTIFIED, "open", M.OPEN), (M.NOTIFIED, "no_quorum", M.NO_QUORUM),
        (M.NO_QUORUM, "open", M.OPEN), (M.OPEN, "no_quorum", M.NO_QUORUM),
        (M.OPEN, "correct_attendance", M.OPEN),
        (M.NO_QUORUM, "correct_attendance", M.NO_QUORUM),
        (M.NOTIFIED, "add_motion", M.NOTIFIED), (M.OPEN, "add_motion", M.OPEN),
        (M.OPEN, "close", M.CLOSED), (M.NO_QUORUM, "close", M.CLOSED)}
    assert set(MOTION.edges()) == {(V.OPEN, "vote", V.OPEN), (V.OPEN, "count", V.OPEN),
                                   (V.OPEN, "adopt", V.ADOPTED),
                                   (V.OPEN, "reject", V.REJECTED)}
    assert set(CONVENE_REQUEST.edges()) == {
        ("collecting", "sign", "collecting"), ("collecting", "threshold", "submitted"),
        ("submitted", "convene", "convened")}
    assert set(EVALUATION.edges()) == {("open", "rate", "open"), ("open", "close", "closed")}
    assert set(REPRESENTATIVE.edges()) == {("active", "end", "ended"),
                                           ("active", "replace", "ended"),
                                           ("ended", "replace", "ended"),
                                           ("ended", "reinstate", "active")}
    assert set(DISCLOSURE.edges()) == {("planned", "publish", "published"),
                                       ("overdue", "publish", "published"),
                                       ("planned", "flag_overdue", "overdue")}
    assert set(QUESTION.edges()) == {("asked", "answer", "answered")}


def test_every_step_writes_an_audit_action_of_the_vocabulary() -> None:
    written = {f"{lc.name}.{action}" for lc in LIFECYCLES for (_s, action, _t) in lc.edges()}
    vocabulary = {a.value for a in AuditAction}
    assert written <= vocabulary, sorted(written - vocabulary)


# ---------------------------------------------------------------- proposals


def _proposal(resident_id: int) -> Proposal:
    return services.submit_proposal(actor=SYSTEM, community_code=URBAN, title="t", body="b",
                                    resident_id=resident_id)


def test_cosign_guards(people: Any) -> None:
    proposer, neighbour = people(URBAN, 2)
    minor = people(URBAN, 1, birth=date(2015, 1, 1))[0]
    p = _proposal(proposer.pk)
    assert _code(PROPOSAL.refusal(SYSTEM, p, PA.COSIGN, resident=neighbour)) is None
    assert _code(PROPOSAL.refusal(SYSTEM, p, PA.COSIGN, resident=proposer)) == "own_proposal"
    assert _code(PROPOSAL.refusal(SYSTEM, p, PA.COSIGN, resident=minor)) == "not_eligible"
    assert _code(PROPOSAL.refusal(SYSTEM, p, PA.COSIGNED)) == "below_threshold"
    assert _code(PROPOSAL.refusal(SYSTEM, p, PA.EDIT, resident=proposer)) is None
    assert _code(PROPOSAL.refusal(SYSTEM, p, PA.EDIT, resident=neighbour)) == "not_proposer"
    services.cosign_proposal(actor=SYSTEM, proposal_id=p.pk, resident_id=neighbour.pk)
    p.refresh_from_db()
    assert _code(PROPOSAL.refusal(SYSTEM, p, PA.EDIT, resident=proposer)) == "closed"
    with pytest.raises(Conflict) as exc:
        services.edit_proposal(actor=SYSTEM, proposal_id=p.pk, title="x", body="y",
                               resident_id=proposer.pk)
    assert exc.value.code == "closed"


def test_a_resident_page_without_a_linked_record_offers_nothing(people: Any,
                                                               make_user: Any) -> None:
    p = _proposal(people(URBAN, 1)[0].pk)
    user = make_user("resident", URBAN)
    assert PROPOSAL.allowed(user, p) == []
    refused = PROPOSAL.refusal(user, p, PA.COSIGN)
    assert refused is not None and refused.code == "not_linked"
    assert str(refused.message) == "您的账号尚未关联居民信息，请联系社区工作者办理关联。"


def _admitted(reps: Any) -> tuple[Proposal, list[Any]]:
    members = reps(URBAN, 3)
    p = _proposal(members[0].resident_id)
    p = services.review_proposal(actor=SYSTEM, proposal_id=p.pk, admit=True, reason="ok")
    return p, members


def test_schedule_guard_names_the_meeting_that_cannot_take_it(reps: Any) -> None:
    p, members = _admitted(reps)
    m = services.convene_meeting(actor=SYSTEM, community_code=URBAN, title="会", agenda="议",
                                 held_on=date.today() + timedelta(days=7))
    other = services.convene_meeting(actor=SYSTEM, community_code="510104022011", title="会",
                                     agenda="议", held_on=date.today() + timedelta(days=7))
    assert _code(PROPOSAL.refusal(SYSTEM, p, PA.SCHEDULE, meeting=m)) is None
    assert _code(PROPOSAL.refusal(SYSTEM, p, PA.SCHEDULE, meeting=other)) == "other_community"
    services.record_attendance(actor=SYSTEM, meeting_id=meeting_day(m), present_ids=[members[0].pk])
    services.close_meeting(actor=SYSTEM, meeting_id=m.pk, minutes="纪要")
    m.refresh_from_db()
    refused = PROPOSAL.refusal(SYSTEM, p, PA.SCHEDULE, meeting=m)
    assert isinstance(refused, InvalidTransition)
    assert str(refused.message) == "会议处于“已闭会”时不能“增加议题”。"


def test_the_meeting_decides_a_scheduled_proposal_not_staff(reps: Any) -> None:
    p, members = _admitted(reps)
    m = services.convene_meeting(actor=SYSTEM, community_code=URBAN, title="会", agenda="议",
                                 held_on=date.today() + timedelta(days=7))
    p = services.schedule_proposal(actor=SYSTEM, proposal_id=p.pk, meeting_id=m.pk)
    for action in (PA.ADOPT, PA.NOT_ADOPT, PA.UNSCHEDULE):
        assert _code(PROPOSAL.refusal(SYSTEM, p, action)) == "not_decided", action
    services.record_attendance(actor=SYSTEM, meeting_id=meeting_day(m),
                               present_ids=[r.pk for r in members])
    for r in members:
        services.cast_vote(actor=SYSTEM, motion_id=p.motion_id, choice=Choice.AGAINST,
                           representative_id=r.pk)
    services.close_motion(actor=SYSTEM, motion_id=p.motion_id)
    p.refresh_from_db()
    assert p.state == P.NOT_ADOPTED
    last = p.events.all().last()
    assert last is not None and last.action == PA.NOT_ADOPT
    assert describe(last) == "赞成 0 票，反对 3 票，弃权 0 票；应到 3 人，实到 3 人。"


@pytest.mark.parametrize(("days", "refused"), [(-1, "bad_deadline"), (0, None), (1, None)])
def test_assign_deadline_is_judged_on_the_day_of_the_step(reps: Any, days: int,
                                                          refused: str | None) -> None:
    p, _members = _admitted(reps)
    Proposal.objects.filter(pk=p.pk).update(state=P.ADOPTED)
    p.refresh_from_db()
    day = date(2026, 5, 10)
    assert _code(PROPOSAL.refusal(SYSTEM, p, PA.ASSIGN, on=day,
                                  deadline=day + timedelta(days=days))) == refused


# ---------------------------------------------------------------- meetings and motions


def test_attendance_opens_the_meeting_only_with_a_quorum(reps: Any) -> None:
    members = reps(URBAN, 4)
    m = services.convene_meeting(actor=SYSTEM, community_code=URBAN, title="会", agenda="议",
                                 held_on=date.today() + timedelta(days=7))
    # not before the meeting's date, whatever the figures
    assert _code(MEETING.refusal(SYSTEM, m, "open", present=4, members=4)) == "too_early"
    meeting_day(m)
    m.refresh_from_db()
    # 4 members, at least two thirds: 3
    assert _code(MEETING.refusal(SYSTEM, m, "open", present=3, members=4)) is None
    assert _code(MEETING.refusal(SYSTEM, m, "open", present=2, members=4)) == "not_quorate"
    assert _code(MEETING.refusal(SYSTEM, m, "no_quorum", present=2, members=4)) is None
    assert _code(MEETING.refusal(SYSTEM, m, "no_quorum", present=3, members=4)) == "quorate"
    motion = services.add_motion(actor=SYSTEM, meeting_id=m.pk, title="动议")
    services.record_attendance(actor=SYSTEM, meeting_id=meeting_day(m),
                               present_ids=[r.pk for r in members[:3]])
    m.refresh_from_db()
    refused = MEETING.refusal(SYSTEM, m, "close")
    assert refused is not None and refused.code == "open_motions"
    assert str(refused.message) == "请先结束所有议案的表决。"
    services.close_motion(actor=SYSTEM, motion_id=motion.pk)
    m.refresh_from_db()
    assert MEETING.refusal(SYSTEM, m, "close") is None


def test_vote_guards(reps: Any, people: Any, make_user: Any) -> None:
    members = reps(URBAN, 3)
    m = services.convene_meeting(actor=SYSTEM, community_code=URBAN, title="会", agenda="议",
                                 held_on=date.today() + timedelta(days=7))
    motion = services.add_motion(actor=SYSTEM, meeting_id=m.pk, title="动议")
    rep = members[0]
    assert _code(MOTION.refusal(SYSTEM, motion, "vote", representative=rep)) == "not_in_session"
    services.record_attendance(actor=SYSTEM, meeting_id=meeting_day(m),
                               present_ids=[members[0].pk, members[1].pk])
    motion.refresh_from_db()
    assert _code(MOTION.refusal(SYSTEM, motion, "vote", representative=rep)) is None
    assert _code(MOTION.refusal(SYSTEM, motion, "vote",
                                representative=members[2])) == "not_present"
    services.cast_vote(actor=SYSTEM, motion_id=motion.pk, choice=Choice.FOR,
                       representative_id=rep.pk)
    assert _code(MOTION.refusal(SYSTEM, motion, "vote", representative=rep)) == "already_voted"
    resident = make_user("resident", URBAN)
    link(resident, people(URBAN, 1)[0])
    assert _code(MOTION.refusal(resident, motion, "vote")) == "forbidden"
    voter = make_user("representative", URBAN)
    link(voter, members[1].resident)
    assert MOTION.allowed(voter, motion) == ["vote"]
    # 2 present: the motion is carried by 2 votes for, not by 1
    assert _code(MOTION.refusal(SYSTEM, motion, "adopt", votes_for=1)) == "no_majority"
    assert _code(MOTION.refusal(SYSTEM, motion, "reject", votes_for=1)) is None
    assert _code(MOTION.refusal(SYSTEM, motion, "adopt", votes_for=2)) is None
    assert _code(MOTION.refusal(SYSTEM, motion, "reject", votes_for=2)) == "majority"


def test_no_vote_in_a_meeting_without_quorum(reps: Any) -> None:
    members = reps(URBAN, 3)
    m = services.convene_meeting(actor=SYSTEM, community_code=URBAN, title="会", agenda="议",
                                 held_on=date.today() + timedelta(days=7))
    motion = services.add_motion(actor=SYSTEM, meeting_id=m.pk, title="动议")
    services.record_attendance(actor=SYSTEM, meeting_id=meeting_day(m), present_ids=[members[0].pk])
    motion.refresh_from_db()
    for action in ("vote", "adopt", "reject"):
        assert _code(MOTION.refusal(SYSTEM, motion, action,
                                    representative=members[0])) == "no_quorum"


# ---------------------------------------------------------------- evaluation


@pytest.mark.parametrize(("offset", "refused"), [
    (-1, "not_open"), (0, None), (10, None), (11, "not_open")])
def test_ratings_only_within_the_published_period(people: Any, offset: int,
                                                  refused: str | None) -> None:
    rater = people(URBAN, 1)[0]
    opens = date(2026, 3, 1)
    c = services.open_evaluation(actor=SYSTEM, community_code=URBAN, year=2026, title="评议",
                                 criteria=["服务"], opens_on=opens,
                                 closes_on=opens + timedelta(days=10), departments=["科"])
    assert _code(EVALUATION.refusal(SYSTEM, c, "rate", on=opens + timedelta(days=offset),
                                    resident=rater)) == refused


# ---------------------------------------------------------------- representatives


def _rep(people: Any) -> Any:
    c = services.create_constituency(actor=SYSTEM, community_code=URBAN, name="一组",
                                     kind=Constituency.Kind.GROUP, households=100)
    return services.appoint_representative(actor=SYSTEM, constituency_id=c.pk,
                                           resident_id=people(URBAN, 1)[0].pk,
                                           term_start=date(2026, 1, 1))


@pytest.mark.parametrize(("on", "refused"), [
    (date(2025, 12, 31), "term_dates"), (date(2026, 1, 1), None), (date(2030, 12, 31), None),
    (date(2031, 1, 1), "term_dates")])
def test_a_by_election_fills_the_rest_of_the_term(people: Any, on: date,
                                                  refused: str | None) -> None:
    rep = _rep(people)
    assert _code(REPRESENTATIVE.refusal(SYSTEM, rep, "replace", on=on)) == refused


def test_a_term_ends_once_and_is_replaced_once(people: Any) -> None:
    rep = _rep(people)
    assert _code(REPRESENTATIVE.refusal(SYSTEM, rep, "end", on=date(2025, 6, 1))) == "term_dates"
    rep = services.end_representative(actor=SYSTEM, representative_id=rep.pk, reason="迁出",
                                      on=date(2026, 6, 1))
    assert (rep.status, rep.ended_on) == ("ended", date(2026, 6, 1))
    # reinstate is a re-count's step only (ADR 0513 §1a), never a button
    assert REPRESENTATIVE.allowed(SYSTEM, rep, on=date(2026, 7, 1)) == ["replace"]
    new = services.by_elect(actor=SYSTEM, representative_id=rep.pk,
                            resident_id=people(URBAN, 1)[0].pk, on=date(2026, 7, 1))
    assert (new.term_start, new.term_end, new.replaces_id) == (date(2026, 7, 1),
                                                              date(2030, 12, 31), rep.pk)
    rep.refresh_from_db()
    assert rep.end_reason == "迁出"  # the earlier end keeps its reason
    assert _code(REPRESENTATIVE.refusal(SYSTEM, rep, "replace",
                                        on=date(2026, 8, 1))) == "already_replaced"


# ---------------------------------------------------------------- disclosure, questions


@pytest.mark.parametrize(("offset", "refused"), [(0, "not_due"), (1, None)])
def test_a_disclosure_is_overdue_the_day_after_it_is_due(world: Any, offset: int,
                                                         refused: str | None) -> None:
    services.plan_disclosures(actor=SYSTEM, community_code=URBAN, year=2026)
    d = Disclosure.objects.filter(community_code=URBAN).order_by("due_on").first()
    assert d is not None
    assert _code(DISCLOSURE.refusal(SYSTEM, d, "flag_overdue",
                                    on=d.due_on + timedelta(days=offset))) == refused


def test_only_the_streets_supervisors_flag_and_publishing_ends_it(world: Any,
                                                                  make_user: Any) -> None:
    services.plan_disclosures(actor=SYSTEM, community_code=URBAN, year=2026)
    d = Disclosure.objects.filter(community_code=URBAN).order_by("due_on").first()
    assert d is not None
    late = d.due_on + timedelta(days=1)
    own, other = make_user("street_officer", URBAN[:9]), make_user("street_officer", "510104023")
    assert isinstance(DISCLOSURE.refusal(other, d, "flag_overdue", on=late), Forbidden)
    assert services.flag_overdue_disclosures(actor=other, on=late) == 0
    assert services.flag_overdue_disclosures(actor=own, on=late) >= 1
    d.refresh_from_db()
    assert d.status == Disclosure.Status.OVERDUE and d.overdue_flagged_at is not None
    d = services.publish_disclosure(actor=SYSTEM, disclosure_id=d.pk, body="已公开")
    assert d.status == Disclosure.Status.PUBLISHED
    assert d.heading == "财务收支 2026-01–2026-01"


def test_a_question_is_answered_once(people: Any) -> None:
    asker = people(URBAN, 1)[0]
    d = services.disclose_major(actor=SYSTEM, community_code=URBAN, title="招标", body="内容")
    q = services.ask_question(actor=SYSTEM, disclosure_id=d.pk, text="预算？",
                              resident_id=asker.pk)
    assert QUESTION.allowed(SYSTEM, q) == ["answer"]
    q = services.answer_question(actor=SYSTEM, question_id=q.pk, answer="30 万元")
    assert q.status == "answered" and QUESTION.allowed(SYSTEM, q) == []


# ---------------------------------------------------------------- recall


def test_recall_steps_belong_to_their_roles(people: Any, make_user: Any) -> None:
    voters = people(URBAN, 10)
    from shequ.people.models import Body, Membership

    body = Body.objects.create(kind="residents_committee", name="居委会", area_code=URBAN)
    member = Membership.objects.create(body=body, person_name="李委员",
                                       start_date=date(2024, 1, 1))
    p = services.start_recall(actor=SYSTEM, community_code=URBAN, membership_id=member.pk,
                              reasons="理由", resident_id=voters[0].pk)
    assert _code(RECALL.refusal(SYSTEM, p, "threshold")) == "below_threshold"
    p = services.sign_recall(actor=SYSTEM, petition_id=p.pk, resident_id=voters[1].pk)
    assert p.state == RecallPetition.State.SUBMITTED
    worker = make_user("community_worker", URBAN)
    street = make_user("street_officer", URBAN[:9])
    assert RECALL.allowed(worker, p) == ["reply"]
    # ADR 0513: a new recall's result comes from its vote in elections, never typed in
    assert RECALL.allowed(street, p) == ["reply", "schedule"]
    with pytest.raises(Forbidden):
        services.record_recall_result(actor=worker, petition_id=p.pk, cast=6, approve=4)
    RecallPetition.objects.filter(pk=p.pk).update(legacy_figures=True)  # waiting since before
    p.refresh_from_db()
    assert RECALL.allowed(street, p) == ["reply", "schedule", "result"]
    p = services.record_recall_result(actor=street, petition_id=p.pk, registered=10, cast=6,
                                      approve=4)
    assert (p.state, p.outcome) == (RecallPetition.State.DECIDED, "recalled")
    assert RECALL.allowed(street, p) == []
