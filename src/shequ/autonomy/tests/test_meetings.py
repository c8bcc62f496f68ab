from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest

from shequ.authz import SYSTEM
from shequ.autonomy import services
from shequ.autonomy.models import Ballot, Choice, Meeting, Proposal
from shequ.autonomy.rules import profile_for
from shequ.autonomy.tests.conftest import AGRI, URBAN
from shequ.autonomy.tests.factories import link, meeting_day
from shequ.core.errors import BusinessError, Conflict


def _meeting(code: str, days: int | None = None) -> Meeting:
    """A meeting held today, its notice sent ``days`` before (the profile's by default)."""
    notice = profile_for(code).value("notice_days") if days is None else days
    held = services.today()
    return services.convene_meeting(actor=SYSTEM, community_code=code, title="代表会议",
                                    agenda="议程", notice_on=held - timedelta(days=notice),
                                    held_on=held)


@pytest.mark.parametrize(("code", "days"), [(URBAN, 7), (AGRI, 10)])
@pytest.mark.parametrize("offset", [-1, 0, 1], ids=["below", "at", "above"])
def test_notice_period(world: Any, code: str, days: int, offset: int) -> None:
    if offset < 0:
        with pytest.raises(BusinessError) as exc:
            _meeting(code, days + offset)
        assert exc.value.code == "notice_too_short"
    else:
        assert _meeting(code, days + offset).kind == ("conference" if code == URBAN else "council")


# 9 members: both profiles ≥ 2/3 of the conference's members → 6 (VCL Art. 26, ADR 0508)
@pytest.mark.parametrize(("code", "needed"), [(URBAN, 6), (AGRI, 6)])
@pytest.mark.parametrize("offset", [-1, 0, 1], ids=["below", "at", "above"])
def test_quorum_and_no_decision_without_it(reps: Any, people: Any, code: str, needed: int,
                                           offset: int) -> None:
    members = reps(code, 9)
    proposer = people(code, 1)[0]
    m = _meeting(code)
    p = services.submit_proposal(actor=SYSTEM, community_code=code, title="t", body="b",
                                 resident_id=members[0].resident_id)
    services.review_proposal(actor=SYSTEM, proposal_id=p.pk, admit=True, reason="ok")
    p = services.schedule_proposal(actor=SYSTEM, proposal_id=p.pk, meeting_id=m.pk)
    assert proposer
    m = services.record_attendance(actor=SYSTEM, meeting_id=meeting_day(m),
                                   present_ids=[r.pk for r in members[: needed + offset]])
    assert m.quorate is (offset >= 0)
    assert m.profile_version == profile_for(code).version
    if offset < 0:
        assert m.status == Meeting.Status.NO_QUORUM
        with pytest.raises(Conflict) as exc:
            services.cast_vote(actor=SYSTEM, motion_id=p.motion_id, choice=Choice.FOR,
                               representative_id=members[0].pk)
        assert exc.value.code == "no_quorum"
        p.refresh_from_db()
        assert p.state == Proposal.State.ADMITTED  # back to the queue, nothing decided
    else:
        services.cast_vote(actor=SYSTEM, motion_id=p.motion_id, choice=Choice.FOR,
                           representative_id=members[0].pk)


# present 9: majority > 1/2 of those present → 5 votes for
@pytest.mark.parametrize("code", [URBAN, AGRI])
@pytest.mark.parametrize("offset", [-1, 0, 1], ids=["below", "at", "above"])
def test_majority_of_those_present(reps: Any, code: str, offset: int) -> None:
    members = reps(code, 9)
    m = _meeting(code)
    motion = services.add_motion(actor=SYSTEM, meeting_id=m.pk, title="动议")
    services.record_attendance(actor=SYSTEM, meeting_id=meeting_day(m), present_ids=[r.pk for r in members])
    n_for = 5 + offset
    for i, r in enumerate(members):
        choice = Choice.FOR if i < n_for else (Choice.ABSTAIN if i % 2 else Choice.AGAINST)
        services.cast_vote(actor=SYSTEM, motion_id=motion.pk, choice=choice,
                           representative_id=r.pk)
    motion = services.close_motion(actor=SYSTEM, motion_id=motion.pk)
    assert motion.votes_for == n_for
    assert motion.status == ("adopted" if offset >= 0 else "rejected")
    with pytest.raises(Conflict):
        services.cast_vote(actor=SYSTEM, motion_id=motion.pk, choice=Choice.FOR,
                           representative_id=members[0].pk)


def test_secret_ballot_on_personnel_matters(reps: Any, make_user: Any) -> None:
    members = reps(URBAN, 3)
    m = _meeting(URBAN)
    secret = services.add_motion(actor=SYSTEM, meeting_id=m.pk, title="罢免动议", personnel=True)
    open_ = services.add_motion(actor=SYSTEM, meeting_id=m.pk, title="普通动议")
    assert secret.secret and not open_.secret
    services.record_attendance(actor=SYSTEM, meeting_id=meeting_day(m), present_ids=[r.pk for r in members])
    user = make_user("representative", URBAN)
    link(user, members[0].resident)
    services.cast_vote(actor=user, motion_id=secret.pk, choice=Choice.AGAINST)
    services.cast_vote(actor=user, motion_id=open_.pk, choice=Choice.FOR)
    assert Ballot.objects.get(motion=secret).voter is None
    assert Ballot.objects.get(motion=open_).voter == members[0]
    with pytest.raises(Conflict):
        services.cast_vote(actor=user, motion_id=secret.pk, choice=Choice.FOR)


def test_closed_meeting_cannot_be_edited(reps: Any) -> None:
    members = reps(URBAN, 3)
    m = _meeting(URBAN)
    services.record_attendance(actor=SYSTEM, meeting_id=meeting_day(m),
                               present_ids=[r.pk for r in members])
    services.close_meeting(actor=SYSTEM, meeting_id=m.pk, minutes="纪要 510104198001011234")
    m.refresh_from_db()
    assert "510104********1234" in m.minutes
    with pytest.raises(Conflict):
        services.close_meeting(actor=SYSTEM, meeting_id=m.pk, minutes="again")
    with pytest.raises(Conflict):  # attendance is corrected until the meeting is closed
        services.record_attendance(actor=SYSTEM, meeting_id=m.pk, present_ids=[])
    with pytest.raises(Conflict):
        services.add_motion(actor=SYSTEM, meeting_id=m.pk, title="late")


def test_seats_follow_households_and_by_election(world: Any, people: Any) -> None:
    from shequ.autonomy.models import Constituency

    c = services.create_constituency(actor=SYSTEM, community_code=URBAN, name="锦绣苑",
                                     kind=Constituency.Kind.COMPOUND, households=101,
                                     area_code="510104022009001")
    assert c.seats == 3
    a, b, d, e = people(URBAN, 4)
    reps = [services.appoint_representative(actor=SYSTEM, constituency_id=c.pk, resident_id=r.pk,
                                            term_start=date(2026, 1, 1)) for r in (a, b, d)]
    assert reps[0].term_end == date(2030, 12, 31)
    with pytest.raises(Conflict):
        services.appoint_representative(actor=SYSTEM, constituency_id=c.pk, resident_id=e.pk,
                                        term_start=date(2026, 1, 1))
    new = services.by_elect(actor=SYSTEM, representative_id=reps[0].pk, resident_id=e.pk,
                            reason="迁出本社区", on=date(2026, 6, 1))
    assert new.term_end == reps[0].term_end and new.replaces_id == reps[0].pk
    from shequ.autonomy import selectors

    roster = selectors.public_roster(URBAN)
    names = [r["name"] for r in roster[0]["representatives"]]
    assert e.name in names and a.name not in names
    assert set(roster[0]["representatives"][0]) == {"name", "term_end", "by_election"}
