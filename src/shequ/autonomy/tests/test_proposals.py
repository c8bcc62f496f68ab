from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest

from shequ.authz import SYSTEM
from shequ.autonomy import selectors, services
from shequ.autonomy.models import Choice, Disclosure, Proposal
from shequ.autonomy.tests.conftest import AGRI, URBAN
from shequ.autonomy.tests.factories import link, meeting_day
from shequ.core.errors import Conflict, Forbidden, InvalidTransition


def _propose(resident_id: int, code: str = URBAN) -> Proposal:
    return services.submit_proposal(actor=SYSTEM, community_code=code, title="加装电梯",
                                    body="三号楼加装电梯，联系人 13812345678",
                                    resident_id=resident_id)


@pytest.mark.parametrize("code", [URBAN, AGRI])
@pytest.mark.parametrize("offset", [-1, 0, 1], ids=["below", "at", "above"])
def test_cosignature_threshold(people: Any, code: str, offset: int) -> None:
    proposer, *others = people(code, 12)
    p = _propose(proposer.pk, code)
    assert p.state == Proposal.State.COLLECTING and p.cosigners_needed == 10
    assert "13812345678" not in p.body and "138****5678" in p.body
    signers = others[: 10 + offset]
    for i, r in enumerate(signers):
        if i == 10:
            with pytest.raises(Conflict) as exc:
                services.cosign_proposal(actor=SYSTEM, proposal_id=p.pk, resident_id=r.pk)
            assert exc.value.code == "signing_closed"
        else:
            p = services.cosign_proposal(actor=SYSTEM, proposal_id=p.pk, resident_id=r.pk)
    p.refresh_from_db()
    assert p.cosigner_count == min(10 + offset, 10)
    assert p.state == (Proposal.State.SUBMITTED if offset >= 0 else Proposal.State.COLLECTING)


def test_sign_once_only_if_eligible(people: Any) -> None:
    proposer, a = people(URBAN, 2)
    minor = people(URBAN, 1, birth=date(2016, 5, 5))[0]
    stranger = people("510104022011", 1)[0]
    deprived = people(URBAN, 1, deprived_of_political_rights=True)[0]
    p = _propose(proposer.pk)
    services.cosign_proposal(actor=SYSTEM, proposal_id=p.pk, resident_id=a.pk)
    with pytest.raises(Conflict) as exc:
        services.cosign_proposal(actor=SYSTEM, proposal_id=p.pk, resident_id=a.pk)
    assert exc.value.code == "already_signed"
    for r in (minor, stranger, deprived):
        with pytest.raises(Forbidden) as exc2:
            services.cosign_proposal(actor=SYSTEM, proposal_id=p.pk, resident_id=r.pk)
        assert exc2.value.code == "not_eligible"
    with pytest.raises(Conflict):
        services.cosign_proposal(actor=SYSTEM, proposal_id=p.pk, resident_id=proposer.pk)
    p.refresh_from_db()
    assert p.cosigner_count == 1


def test_resident_acts_only_for_themselves(people: Any, make_user: Any) -> None:
    proposer, other = people(URBAN, 2)
    user = make_user("resident", URBAN)
    with pytest.raises(Forbidden) as exc:
        services.submit_proposal(actor=user, community_code=URBAN, title="t", body="b")
    assert exc.value.code == "not_linked"
    link(user, proposer)
    p = services.submit_proposal(actor=user, community_code=URBAN, title="t", body="b")
    with pytest.raises(Forbidden) as exc:
        services.cosign_proposal(actor=user, proposal_id=p.pk, resident_id=other.pk)
    assert exc.value.code == "not_yourself"
    with pytest.raises(Forbidden):
        services.review_proposal(actor=user, proposal_id=p.pk, admit=True, reason="ok")
    outsider = make_user("resident", "510104022011")
    with pytest.raises(Forbidden):
        services.comment_on_proposal(actor=outsider, proposal_id=p.pk, text="hi")


def test_full_lifecycle_of_a_representatives_proposal(reps: Any, people: Any,
                                                      make_user: Any) -> None:
    members = reps(URBAN, 6)
    staff = make_user("community_worker", URBAN)
    p = services.submit_proposal(actor=SYSTEM, community_code=URBAN, title="改造院落照明",
                                 body="路灯不亮", resident_id=members[0].resident_id)
    assert p.state == Proposal.State.SUBMITTED and p.via == Proposal.Via.REPRESENTATIVE
    with pytest.raises(InvalidTransition):
        services.assign_proposal(actor=staff, proposal_id=p.pk, assignee="x",
                                 deadline=date.today())
    services.comment_on_proposal(actor=SYSTEM, proposal_id=p.pk, text="支持",
                                 resident_id=people(URBAN, 1)[0].pk)
    p = services.review_proposal(actor=staff, proposal_id=p.pk, admit=True,
                                 reason="属于社区公共事务")
    meeting = services.convene_meeting(actor=staff, community_code=URBAN, title="第三次代表会议",
                                       agenda="1. 照明", held_on=date.today() + timedelta(days=7))
    p = services.schedule_proposal(actor=staff, proposal_id=p.pk, meeting_id=meeting.pk)
    assert p.state == Proposal.State.SCHEDULED
    services.record_attendance(actor=staff, meeting_id=meeting_day(meeting),
                               present_ids=[m.pk for m in members[:5]])
    for m in members[:4]:
        services.cast_vote(actor=staff, motion_id=p.motion_id, choice=Choice.FOR,
                           representative_id=m.pk)
    services.cast_vote(actor=staff, motion_id=p.motion_id, choice=Choice.AGAINST,
                       representative_id=members[4].pk)
    with pytest.raises(Conflict) as exc:
        services.cast_vote(actor=staff, motion_id=p.motion_id, choice=Choice.FOR,
                           representative_id=members[4].pk)
    assert exc.value.code == "already_voted"
    with pytest.raises(Forbidden) as exc2:
        services.cast_vote(actor=staff, motion_id=p.motion_id, choice=Choice.FOR,
                           representative_id=members[5].pk)
    assert exc2.value.code == "not_present"
    motion = services.close_motion(actor=staff, motion_id=p.motion_id)
    assert motion.status == "adopted" and motion.resolution_number
    p.refresh_from_db()
    assert p.state == Proposal.State.ADOPTED
    assert Disclosure.objects.filter(category="resolution").count() == 1
    services.close_meeting(actor=staff, meeting_id=meeting.pk, minutes="会议纪要")
    p = services.assign_proposal(actor=staff, proposal_id=p.pk, assignee="社区公共服务站",
                                 deadline=date.today() + timedelta(days=30))
    services.report_progress(actor=staff, proposal_id=p.pk, note="已采购灯具")
    p = services.complete_proposal(actor=staff, proposal_id=p.pk, feedback="已安装 12 盏路灯")
    raters = people(URBAN, 2)
    services.rate_proposal(actor=SYSTEM, proposal_id=p.pk, score=5, resident_id=raters[0].pk)
    services.rate_proposal(actor=SYSTEM, proposal_id=p.pk, score=4, resident_id=raters[1].pk)
    with pytest.raises(Conflict):
        services.rate_proposal(actor=SYSTEM, proposal_id=p.pk, score=1, resident_id=raters[1].pk)
    p = services.close_proposal(actor=staff, proposal_id=p.pk)
    assert p.state == Proposal.State.CLOSED and str(p.satisfaction) == "4.50"
    actions = [e.action for e in selectors.public_proposal(p.pk).events.all()]
    assert actions == ["submit", "comment", "admit", "schedule", "adopt", "assign", "progress",
                       "complete", "close"]
    with pytest.raises(InvalidTransition):
        services.comment_on_proposal(actor=staff, proposal_id=p.pk, text="late")
    with pytest.raises(Conflict):
        services.edit_proposal(actor=SYSTEM, proposal_id=p.pk, title="x", body="y")


def test_review_needs_reasons_and_rejection_is_final(people: Any, make_user: Any) -> None:
    staff = make_user("community_worker", URBAN)
    proposer, *others = people(URBAN, 11)
    p = _propose(proposer.pk)
    for r in others:
        services.cosign_proposal(actor=SYSTEM, proposal_id=p.pk, resident_id=r.pk)
    from shequ.core.errors import BusinessError

    with pytest.raises(BusinessError) as exc:
        services.review_proposal(actor=staff, proposal_id=p.pk, admit=False, reason=" ")
    assert exc.value.code == "required"
    p = services.review_proposal(actor=staff, proposal_id=p.pk, admit=False,
                                 reason="属于物业合同纠纷，不属于社区重大事项")
    assert p.state == Proposal.State.REJECTED and p.review_reason
    with pytest.raises(InvalidTransition):
        services.review_proposal(actor=staff, proposal_id=p.pk, admit=True, reason="again")
