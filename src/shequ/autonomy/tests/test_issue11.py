"""Issue 11 (autonomy parts) and issue 12's real meetings: the conference's members and
quorum, the clerk's count, attendance on the day and its correction, requests to
convene, the term ended by two "unfit" ratings, and dates that make sense."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest

from shequ.audit.models import AuditEntry
from shequ.authz import SYSTEM
from shequ.autonomy import services
from shequ.autonomy.models import ConveneRequest, Meeting, Proposal
from shequ.autonomy.rules import profile_for
from shequ.autonomy.tests.conftest import AGRI, URBAN
from shequ.autonomy.tests.factories import meeting_day
from shequ.core.errors import BusinessError, Conflict, Forbidden
from shequ.people.models import Body, Membership


def _committee(code: str, names: list[str]) -> list[Membership]:
    body = Body.objects.create(kind="residents_committee", name="居委会", area_code=code)
    return [Membership.objects.create(body=body, person_name=n, start_date=date(2024, 1, 1))
            for n in names]


def _meeting(code: str = URBAN) -> Meeting:
    day = services.today()
    notice = profile_for(code).number("notice_days")
    return services.convene_meeting(actor=SYSTEM, community_code=code, title="代表会议",
                                    agenda="议程", notice_on=day - timedelta(days=notice),
                                    held_on=day)


# ---------------------------------------------------------------- quorum (§9)


# 6 representatives + 3 committee members = 9 members; ≥ 2/3 → 6 present
@pytest.mark.parametrize("code", [URBAN, AGRI])
@pytest.mark.parametrize("offset", [-1, 0, 1], ids=["below", "at", "above"])
def test_the_committee_counts_in_the_conference(reps: Any, code: str, offset: int) -> None:
    members = reps(code, 6)
    committee = _committee(code, ["王主任", "李副主任", "张委员"])
    m = _meeting(code)
    assert m.members == 9
    m = services.record_attendance(actor=SYSTEM, meeting_id=m.pk,
                                   present_ids=[r.pk for r in members[:4 + offset]],
                                   committee_present_ids=[c.pk for c in committee[:2]])
    assert (m.members, m.present, m.quorate) == (9, 6 + offset, offset >= 0)
    assert m.status == (Meeting.Status.OPEN if offset >= 0 else Meeting.Status.NO_QUORUM)


def test_a_person_on_both_lists_counts_once(reps: Any) -> None:
    members = reps(URBAN, 3)
    body = Body.objects.create(kind="residents_committee", name="居委会", area_code=URBAN)
    Membership.objects.create(body=body, person_name=members[0].name,
                              resident=members[0].resident, start_date=date(2024, 1, 1))
    other = Membership.objects.create(body=body, person_name="赵委员", start_date=date(2024, 1, 1))
    reps_, committee = services.conference_members(URBAN, services.today())
    assert len(reps_) == 3 and [c.pk for c in committee] == [other.pk]
    with pytest.raises(BusinessError) as exc:  # a party member is not a member of it
        party = Body.objects.create(kind="party", name="党委", area_code=URBAN)
        pm = Membership.objects.create(body=party, person_name="钱书记",
                                       start_date=date(2024, 1, 1))
        services.record_attendance(actor=SYSTEM, meeting_id=_meeting().pk, present_ids=[],
                                   committee_present_ids=[pm.pk])
    assert exc.value.code == "not_member"


# ---------------------------------------------------------------- attendance (§12)


def test_attendance_only_on_the_day_and_correctable_until_closed(reps: Any) -> None:
    members = reps(URBAN, 9)
    day = services.today()
    m = services.convene_meeting(actor=SYSTEM, community_code=URBAN, title="会", agenda="议",
                                 held_on=day + timedelta(days=8))
    with pytest.raises(BusinessError) as exc:
        services.record_attendance(actor=SYSTEM, meeting_id=m.pk,
                                   present_ids=[r.pk for r in members])
    assert exc.value.code == "too_early"
    assert str(exc.value.message) == (
        f"出席情况只能在会议当天（{m.held_on.isoformat()}）或之后登记：谁出席要到开会时才知道。")
    assert not m.attendance.exists()
    meeting_day(m)
    # 5 of 9: no quorum; corrected to 6: open; corrected to 7: still open
    m = services.record_attendance(actor=SYSTEM, meeting_id=m.pk,
                                   present_ids=[r.pk for r in members[:5]])
    assert m.status == Meeting.Status.NO_QUORUM
    m = services.record_attendance(actor=SYSTEM, meeting_id=m.pk,
                                   present_ids=[r.pk for r in members[:6]])
    assert (m.status, m.present) == (Meeting.Status.OPEN, 6)
    motion = services.add_motion(actor=SYSTEM, meeting_id=m.pk, title="动议")
    services.cast_vote(actor=SYSTEM, motion_id=motion.pk, choice="for",
                       representative_id=members[0].pk)
    with pytest.raises(Conflict) as exc:  # who voted was there
        services.record_attendance(actor=SYSTEM, meeting_id=m.pk,
                                   present_ids=[r.pk for r in members[1:8]])
    assert exc.value.code == "voted_absent"
    m = services.record_attendance(actor=SYSTEM, meeting_id=m.pk,
                                   present_ids=[r.pk for r in members[:7]])
    assert (m.status, m.present) == (Meeting.Status.OPEN, 7)
    entry = AuditEntry.objects.filter(action="autonomy.meeting.correct_attendance").latest("pk")
    assert entry.changes["present_before"] == 6 and entry.changes["present"] == 7
    services.close_motion(actor=SYSTEM, motion_id=motion.pk)
    with pytest.raises(Conflict) as exc:  # decided with the quorum: cannot drop below it
        services.record_attendance(actor=SYSTEM, meeting_id=m.pk,
                                   present_ids=[r.pk for r in members[:2]])
    assert exc.value.code == "decided"
    services.close_meeting(actor=SYSTEM, meeting_id=m.pk, minutes="纪要")
    with pytest.raises(Conflict):
        services.record_attendance(actor=SYSTEM, meeting_id=m.pk,
                                   present_ids=[r.pk for r in members[:7]])


# ---------------------------------------------------------------- the clerk's count (issue 12)


def test_six_of_nine_present_one_online_decided_on_the_count(reps: Any) -> None:
    """Issue 12: 6 of 9 present, one with an account: the motion is decided on the
    counts the clerk enters (4-1-1), not 1-0."""
    members = reps(URBAN, 9)
    m = _meeting()
    p = services.submit_proposal(actor=SYSTEM, community_code=URBAN, title="t", body="b",
                                 resident_id=members[0].resident_id)
    services.review_proposal(actor=SYSTEM, proposal_id=p.pk, admit=True, reason="ok")
    p = services.schedule_proposal(actor=SYSTEM, proposal_id=p.pk, meeting_id=m.pk)
    services.record_attendance(actor=SYSTEM, meeting_id=m.pk,
                               present_ids=[r.pk for r in members[:6]])
    services.cast_vote(actor=SYSTEM, motion_id=p.motion_id, choice="for",
                       representative_id=members[0].pk)
    cases = [((4, 2, 1), "count_exceeds", "票数合计 7，多于出席的 6 人。"),
             ((0, 5, 1), "count_exceeds", "已有 1 名代表在网上投了赞成票，赞成票数不能少于此数。"),
             ((-1, 0, 0), "negative", "请填写赞成票数（0 或正整数）。")]
    for (f, a, s), code, message in cases:
        with pytest.raises(BusinessError) as exc:
            services.record_count(actor=SYSTEM, motion_id=p.motion_id, votes_for=f,
                                  votes_against=a, abstentions=s)
        assert (exc.value.code, str(exc.value.message)) == (code, message)
    motion = services.record_count(actor=SYSTEM, motion_id=p.motion_id, votes_for=3,
                                   votes_against=2, abstentions=1)
    motion = services.record_count(actor=SYSTEM, motion_id=p.motion_id, votes_for=4,
                                   votes_against=1, abstentions=1)  # corrected before close
    with pytest.raises(Conflict) as exc:
        services.cast_vote(actor=SYSTEM, motion_id=p.motion_id, choice="for",
                           representative_id=members[1].pk)
    assert exc.value.code == "counted"
    motion = services.close_motion(actor=SYSTEM, motion_id=p.motion_id)
    assert (motion.status, motion.votes_for, motion.votes_against, motion.abstentions) == \
        ("adopted", 4, 1, 1)
    p.refresh_from_db()
    assert p.state == Proposal.State.ADOPTED
    assert AuditEntry.objects.filter(action="autonomy.motion.count").count() == 2


# 6 present: > 1/2 → 4 for adopts
@pytest.mark.parametrize("offset", [-1, 0, 1], ids=["below", "at", "above"])
def test_the_count_is_judged_by_the_majority_of_those_present(reps: Any, offset: int) -> None:
    members = reps(URBAN, 9)
    m = _meeting()
    motion = services.add_motion(actor=SYSTEM, meeting_id=m.pk, title="动议")
    services.record_attendance(actor=SYSTEM, meeting_id=m.pk,
                               present_ids=[r.pk for r in members[:6]])
    services.record_count(actor=SYSTEM, motion_id=motion.pk, votes_for=4 + offset,
                          votes_against=2 - offset, abstentions=0)
    motion = services.close_motion(actor=SYSTEM, motion_id=motion.pk)
    assert motion.status == ("adopted" if offset >= 0 else "rejected")


# ---------------------------------------------------------------- requests (§10)


# 10 adults: urban ≥ 1/5 → 2 signatures; agricultural ≥ 1/10 → 1
@pytest.mark.parametrize(("code", "needed"), [(URBAN, 2), (AGRI, 1)])
def test_residents_request_a_residents_meeting(people: Any, code: str, needed: int) -> None:
    adults = people(code, 10)
    req = services.start_request(actor=SYSTEM, community_code=code,
                                 kind="residents_meeting", via="residents",
                                 subject="讨论院落停车收费", resident_id=adults[0].pk)
    assert (req.base, req.signatures_needed) == (10, needed)
    if needed > 1:
        assert req.state == ConveneRequest.State.COLLECTING
        req = services.sign_request(actor=SYSTEM, request_id=req.pk, resident_id=adults[1].pk)
    assert req.state == ConveneRequest.State.SUBMITTED
    assert req.due_on == services.today() + timedelta(days=30)
    with pytest.raises(Conflict) as exc:
        services.sign_request(actor=SYSTEM, request_id=req.pk, resident_id=adults[2].pk)
    assert exc.value.code == "signing_closed"
    day = services.today()
    with pytest.raises(BusinessError) as exc:  # notice before the request: no answer
        services.record_residents_meeting(actor=SYSTEM, request_id=req.pk,
                                          notice_on=day - timedelta(days=1),
                                          held_on=day + timedelta(days=10))
    assert exc.value.code == "bad_dates"
    with pytest.raises(BusinessError) as exc:
        services.record_residents_meeting(actor=SYSTEM, request_id=req.pk, notice_on=day,
                                          held_on=date(9999, 12, 31))
    assert exc.value.code == "bad_date"
    req = services.record_residents_meeting(actor=SYSTEM, request_id=req.pk, notice_on=day,
                                            held_on=day + timedelta(days=10))
    assert (req.state, req.held_on) == (ConveneRequest.State.CONVENED, day + timedelta(days=10))


# 10 serving representatives: the conference needs ≥ 1/5 → 2
def test_representatives_request_the_conference(reps: Any, people: Any) -> None:
    members = reps(URBAN, 10)
    outsider = people(URBAN, 1)[0]
    req = services.start_request(actor=SYSTEM, community_code=URBAN, kind="conference",
                                 via="representatives", subject="审议物业选聘",
                                 resident_id=members[0].resident_id)
    assert (req.base, req.signatures_needed, req.state) == (10, 2, "collecting")
    with pytest.raises(Forbidden) as exc:
        services.sign_request(actor=SYSTEM, request_id=req.pk, resident_id=outsider.pk)
    assert exc.value.code == "not_representative"
    req = services.sign_request(actor=SYSTEM, request_id=req.pk,
                                resident_id=members[1].resident_id)
    assert req.state == "submitted"
    day = services.today()
    m = services.convene_meeting(actor=SYSTEM, community_code=URBAN, title="临时代表会议",
                                 agenda="审议物业选聘", held_on=day + timedelta(days=7),
                                 request_id=req.pk)
    req.refresh_from_db()
    assert (req.state, req.meeting_id) == ("convened", m.pk)
    with pytest.raises(BusinessError) as exc:  # residents have no right to ask for it
        services.start_request(actor=SYSTEM, community_code=URBAN, kind="conference",
                               via="residents", subject="x", resident_id=outsider.pk)
    assert exc.value.code == "bad_kind"


def test_overdue_requests_are_the_committees_duty(people: Any) -> None:
    from shequ.autonomy.selectors import requests_overdue

    adults = people(AGRI, 5)
    req = services.start_request(actor=SYSTEM, community_code=AGRI, kind="residents_meeting",
                                 via="residents", subject="机耕道", resident_id=adults[0].pk)
    assert req.state == "submitted"
    due = req.due_on
    assert list(requests_overdue(SYSTEM, due)) == []
    assert list(requests_overdue(SYSTEM, due + timedelta(days=1))) == [req]


# ---------------------------------------------------------------- unfit (§10)


def test_two_unfit_ratings_in_a_row_end_the_term(people: Any) -> None:
    (wang, li) = _committee(URBAN, ["王主任", "李委员"])
    raters = people(URBAN, 10)
    day = services.today()
    for year in (day.year - 1, day.year):
        c = services.open_evaluation(actor=SYSTEM, community_code=URBAN, year=year,
                                     title=f"{year} 年度评议", criteria=["服务态度"],
                                     opens_on=day - timedelta(days=1),
                                     closes_on=day + timedelta(days=10))
        targets = list(c.targets.all())
        for i, r in enumerate(raters):
            answers = {t.pk: {"verdict": "unfit" if t.name == "王主任" and i < 6 else "fit",
                              "scores": {"服务态度": 3}} for t in targets}
            services.submit_rating(actor=SYSTEM, campaign_id=c.pk, answers=answers,
                                   resident_id=r.pk)
        services.close_evaluation(actor=SYSTEM, campaign_id=c.pk)
        wang.refresh_from_db()
        if year < day.year:
            assert wang.end_date is None  # once: not yet
    assert wang.end_date == day and wang.end_reason == "unfit"
    li.refresh_from_db()
    assert li.end_date is None
    entry = AuditEntry.objects.get(action="people.membership.end")
    assert entry.changes["reason"] == "unfit"


# ---------------------------------------------------------------- dates (§12)


def test_dates_that_make_sense(reps: Any, people: Any) -> None:
    day = services.today()
    cases = [
        (dict(held_on=date(9999, 12, 31)), "bad_date"),
        (dict(held_on=None), "required"),
        (dict(held_on=day + timedelta(days=10), notice_on=day + timedelta(days=1)), "bad_date"),
    ]
    for kwargs, code in cases:
        with pytest.raises(BusinessError) as exc:
            services.convene_meeting(actor=SYSTEM, community_code=URBAN, title="会",
                                     agenda="议", **kwargs)
        assert exc.value.code == code
    with pytest.raises(BusinessError) as exc:
        services.convene_meeting(actor=SYSTEM, community_code=URBAN, title="会", agenda="议",
                                 held_on=None)
    assert str(exc.value.message) == "请填写“会议日期”。"  # not the notice rule
    with pytest.raises(BusinessError) as exc:
        services.convene_meeting(actor=SYSTEM, community_code=URBAN, title="会", agenda="议",
                                 held_on=date(9999, 12, 31))
    latest = (day + timedelta(days=366)).isoformat()
    assert str(exc.value.message) == (
        f"“会议日期”须在 {(day - timedelta(days=366)).isoformat()} 至 {latest} 之间；"
        "9999-12-31 不在此范围内。")
    assert not Meeting.objects.exists()
    # a proposal's deadline: not in the past, within five years
    members = reps(URBAN, 3)
    m = _meeting()
    p = services.submit_proposal(actor=SYSTEM, community_code=URBAN, title="t", body="b",
                                 resident_id=members[0].resident_id)
    services.review_proposal(actor=SYSTEM, proposal_id=p.pk, admit=True, reason="ok")
    p = services.schedule_proposal(actor=SYSTEM, proposal_id=p.pk, meeting_id=m.pk)
    services.record_attendance(actor=SYSTEM, meeting_id=m.pk,
                               present_ids=[r.pk for r in members])
    services.record_count(actor=SYSTEM, motion_id=p.motion_id, votes_for=3, votes_against=0,
                          abstentions=0)
    services.close_motion(actor=SYSTEM, motion_id=p.motion_id)
    for deadline, code in ((date(9999, 12, 31), "bad_date"), (None, "required"),
                           (day - timedelta(days=1), "bad_date")):
        with pytest.raises(BusinessError) as exc:
            services.assign_proposal(actor=SYSTEM, proposal_id=p.pk, assignee="服务站",
                                     deadline=deadline)
        assert exc.value.code == code
    p = services.assign_proposal(actor=SYSTEM, proposal_id=p.pk, assignee="服务站",
                                 deadline=day + timedelta(days=90))
    assert p.state == Proposal.State.IN_PROGRESS
    # an evaluation: 9999 is no year, closing before opening is refused
    with pytest.raises(BusinessError) as exc:
        services.open_evaluation(actor=SYSTEM, community_code=URBAN, year=9999, title="评议",
                                 criteria=["a"], opens_on=day, closes_on=day)
    assert exc.value.code == "bad_date"
    with pytest.raises(BusinessError) as exc:
        services.open_evaluation(actor=SYSTEM, community_code=URBAN, year=day.year,
                                 title="评议", criteria=["a"], opens_on=day,
                                 closes_on=date(9999, 12, 31))
    assert exc.value.code == "bad_date"


def test_representatives_and_calendar_dates_that_make_sense(reps: Any, people: Any) -> None:
    from shequ.autonomy.models import Constituency

    (rep,) = reps(URBAN, 1)
    person = people(URBAN, 1)[0]
    c = Constituency.objects.get(pk=rep.constituency_id)
    for bad in (date(9999, 12, 31), date(1900, 1, 1)):
        with pytest.raises(BusinessError) as exc:
            services.appoint_representative(actor=SYSTEM, constituency_id=c.pk,
                                            resident_id=person.pk, term_start=bad)
        assert exc.value.code == "bad_date"
        with pytest.raises(BusinessError) as exc:
            services.end_representative(actor=SYSTEM, representative_id=rep.pk,
                                        reason="迁出", on=bad)
        assert exc.value.code == "bad_date"
    with pytest.raises(BusinessError) as exc:
        services.plan_disclosures(actor=SYSTEM, community_code=URBAN, year=9999)
    assert exc.value.code == "bad_date"
    assert str(exc.value.message) == f"公开日历的年度须在 2000 至 {services.today().year + 1} 之间。"
    with pytest.raises(BusinessError) as exc:  # a notice sent years before the meeting
        services.convene_meeting(actor=SYSTEM, community_code=URBAN, title="会", agenda="议",
                                 notice_on=date(2000, 1, 1),
                                 held_on=services.today() + timedelta(days=7))
    assert exc.value.code == "bad_date"
