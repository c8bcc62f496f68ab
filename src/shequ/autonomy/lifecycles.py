"""Every state in self-governance, declared once (``shequ.lifecycle``, ADR 0011).

Eight lifecycles: proposals, recall petitions, meetings, motions, evaluation campaigns,
representatives' terms, disclosures and residents' questions. Each step names its
permission at the object's area and its guards: the law's conditions and dates (quorum,
majority, the rating period, a disclosure's due day, a by-election within the term…).
Guards only read, so pages show exactly the buttons the services accept
(``LIFECYCLE.allowed(user, obj)``), and ``move`` is the only code that changes a state,
writes the proposal's public history and the audit entry ``autonomy.<noun>.<action>``.

Residents act as the person linked to their account, or staff enter a paper form for a
named resident (ADR 0502): the services resolve that person and pass it as the input
``resident`` (or ``representative``); without it (a page asking which buttons to show)
the guards look up the user's own record.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext_lazy as _

from shequ import authz
from shequ.autonomy import rules as law
from shequ.autonomy import selectors
from shequ.autonomy.enums import Code, Perm
from shequ.autonomy.models import (
    Attendance,
    ConveneRequest,
    Disclosure,
    EvaluationBallot,
    EvaluationCampaign,
    Meeting,
    Motion,
    Proposal,
    ProposalEvent,
    Question,
    RecallPetition,
    Representative,
    VoteCast,
)
from shequ.core.errors import BusinessError, Conflict, Forbidden
from shequ.core.texts import Texts
from shequ.elections import facade as elections_facade
from shequ.lifecycle import Ctx, Lifecycle, Step
from shequ.people import facade
from shequ.rules import Profile

if TYPE_CHECKING:
    from shequ.people.models import Resident

P, PA = Proposal.State, Proposal.Action

# Generated text in a proposal's history: stored as a key, shown in the reader's language.
TEXTS = Texts({
    "no_quorum": _("The meeting had no quorum."),
    "tally": _("For %(f)d, against %(a)d, abstain %(s)d; %(p)d of %(m)d present."),
    "not_decided": _("Not decided at the meeting."),
    "threshold": _("%(n)d co-signers: threshold reached."),
    "satisfaction": _("Satisfaction %(v)s of 5 from %(n)d residents."),
    "no_ratings": _("No satisfaction ratings."),
})

# Steps that keep no line in the public history: co-signatures and ratings are counted
# (the count and the average are published), an edit happens before anyone co-signed.
QUIET = frozenset({PA.COSIGN, PA.RATE, PA.EDIT})


def describe(event: ProposalEvent) -> str:
    """A history line's text in the reader's language: generated part, then the note."""
    parts = [TEXTS.render(event.data)] if event.data else []
    if event.note:
        parts.append(event.note)
    return " ".join(p for p in parts if p)


def write_proposal_event(proposal: Proposal, *, action: str, target: str, actor: Any,
                         who: str | None = None, note: str = "",
                         data: dict[str, Any] | None = None, **_ignored: Any) -> None:
    """The proposal's public history row (``PROPOSAL``'s event writer; also the first
    line, written when the proposal is submitted)."""
    if action in QUIET:
        return
    ProposalEvent.objects.create(proposal=proposal, action=action, state=target,
                                 who=str(actor) if who is None else who, note=note,
                                 data=data or {})


# ---------------------------------------------------------------- shared guards


def _profile(obj: Any, ctx: Ctx) -> Profile:
    profile = ctx.inputs.get("profile")
    return profile if profile is not None else law.profile_for(obj.community_code)


def _resident(actor: Any, ctx: Ctx) -> Resident | None:
    resident = ctx.inputs.get("resident")
    return resident if resident is not None else facade.resident_of_user(actor)


def manages(actor: Any, obj: Any) -> bool:
    """Staff may take a resident's step for a named resident (a paper form, ADR 0502)."""
    return authz.has_perm(actor, Perm.MANAGE, obj.area_code)


def acting_resident(actor: Any, obj: Any, ctx: Ctx) -> BusinessError | None:
    if _resident(actor, ctx) is None:
        return Forbidden(_("Your account is not linked to a resident record. Ask your "
                           "community worker to link it."), code=Code.NOT_LINKED)
    return None


def voter_refusal(resident: Resident | None, community_code: str, on: date
                  ) -> BusinessError | None:
    """Residents of the community aged 18 or over with political rights (RCL Art. 8)."""
    if resident is None or not facade.eligible_voters(community_code, on).filter(
            pk=resident.pk).exists():
        return Forbidden(_("Only residents of this community aged 18 or over with political "
                           "rights may do this (《城市居民委员会组织法》第八条)."),
                         code=Code.NOT_ELIGIBLE, details={"community_code": community_code})
    return None


def eligible_voter(actor: Any, obj: Any, ctx: Ctx) -> BusinessError | None:
    return voter_refusal(_resident(actor, ctx), obj.community_code, ctx.on)


def notice_refusal(profile: Profile, notice_on: date, held_on: date) -> BusinessError | None:
    """The notice with the agenda goes out the profile's days before a meeting (a
    meeting's own date rule, checked when it is convened)."""
    if law.notice_sufficient(profile, notice_on, held_on):
        return None
    rule = profile.rule("notice_days")
    return BusinessError(
        _("The notice with the agenda must go out at least %(n)s before the meeting "
          "(%(cite)s).") % {"n": rule.display(), "cite": rule.source()},
        code=Code.NOTICE_TOO_SHORT,
        details={"notice_days": rule.value, "given": (held_on - notice_on).days})


# ---------------------------------------------------------------- proposals


def _not_own(actor: Any, p: Proposal, ctx: Ctx) -> BusinessError | None:
    resident = _resident(actor, ctx)
    if resident is not None and resident.pk == p.proposer_id:
        return Conflict(_("The proposer cannot co-sign their own proposal."),
                        code=Code.OWN_PROPOSAL)
    return None


def _proposer(actor: Any, p: Proposal, ctx: Ctx) -> BusinessError | None:
    resident = _resident(actor, ctx)
    if resident is None or resident.pk != p.proposer_id:
        return Forbidden(_("Only the proposer can do this."), code=Code.NOT_PROPOSER)
    return None


def _nobody_cosigned(actor: Any, p: Proposal, ctx: Ctx) -> BusinessError | None:
    if p.cosigner_count:
        return Conflict(_("Closed items cannot be edited: a proposal can be changed only "
                          "before anyone has co-signed it."), code=Code.CLOSED)
    return None


def _comment_as(actor: Any, p: Proposal, ctx: Ctx) -> BusinessError | None:
    """Staff comment as themselves; anyone else as the resident they are."""
    if ctx.inputs.get("resident") is None and manages(actor, p):
        return None
    return acting_resident(actor, p, ctx)


def _enough_cosigners(actor: Any, p: Proposal, ctx: Ctx) -> BusinessError | None:
    if not law.cosigners_enough(_profile(p, ctx), p.cosigner_count):
        return Conflict(_("The proposal has not yet been co-signed by enough residents."),
                        code=Code.BELOW_THRESHOLD, details={"count": p.cosigner_count})
    return None


def _meeting_takes_it(actor: Any, p: Proposal, ctx: Ctx) -> BusinessError | None:
    meeting = ctx.inputs.get("meeting")
    if meeting is None:
        return None  # the page asks before a meeting is chosen
    if meeting.community_code != p.community_code:
        return BusinessError(_("The meeting belongs to another community."),
                             code=Code.OTHER_COMMUNITY)
    return MEETING.refusal(actor, meeting, Meeting.Action.ADD_MOTION, on=ctx.on)


def _motion_is(status: str) -> Any:
    def guard(actor: Any, p: Proposal, ctx: Ctx) -> BusinessError | None:
        motion = p.motion
        if motion is None or motion.status != status:
            return Conflict(_("The meeting has not decided on this proposal."),
                            code=Code.NOT_DECIDED)
        return None
    return guard


def _meeting_decided_nothing(actor: Any, p: Proposal, ctx: Ctx) -> BusinessError | None:
    meeting = p.meeting
    if meeting is not None and meeting.status not in (Meeting.Status.NO_QUORUM,
                                                      Meeting.Status.CLOSED):
        return Conflict(_("The meeting can still decide on this proposal."),
                        code=Code.NOT_DECIDED)
    return None


def _deadline_ahead(actor: Any, p: Proposal, ctx: Ctx) -> BusinessError | None:
    deadline = ctx.inputs.get("deadline")
    if deadline is not None and deadline < ctx.on:
        return BusinessError(_("The deadline cannot be in the past."), code=Code.BAD_DEADLINE)
    return None


# a resident's own step, or staff entering it from a paper form
_RESIDENT: dict[str, Any] = {"perm": Perm.PARTICIPATE, "also": manages}

PROPOSAL: Lifecycle[Proposal] = Lifecycle(
    "autonomy.proposal", noun=_("proposal"), states=P, actions=PA,
    event=write_proposal_event, steps=[
        Step(PA.EDIT, (P.COLLECTING,), None, guards=(acting_resident, _proposer,
                                                     _nobody_cosigned), **_RESIDENT),
        Step(PA.COSIGN, (P.COLLECTING,), None,
             guards=(acting_resident, eligible_voter, _not_own), **_RESIDENT),
        Step(PA.COSIGNED, (P.COLLECTING,), P.SUBMITTED, guards=(_enough_cosigners,)),
        Step(PA.COMMENT, (P.COLLECTING, P.SUBMITTED, P.ADMITTED, P.SCHEDULED), None,
             guards=(_comment_as,), **_RESIDENT),
        Step(PA.WITHDRAW, (P.COLLECTING, P.SUBMITTED, P.ADMITTED), P.WITHDRAWN,
             guards=(acting_resident, _proposer), **_RESIDENT),
        Step(PA.ADMIT, (P.SUBMITTED,), P.ADMITTED, perm=Perm.MANAGE),
        Step(PA.REJECT, (P.SUBMITTED,), P.REJECTED, perm=Perm.MANAGE),
        Step(PA.SCHEDULE, (P.ADMITTED,), P.SCHEDULED, perm=Perm.MANAGE,
             guards=(_meeting_takes_it,)),
        Step(PA.ADOPT, (P.SCHEDULED,), P.ADOPTED, perm=Perm.MANAGE,
             guards=(_motion_is(Motion.Status.ADOPTED),)),
        Step(PA.NOT_ADOPT, (P.SCHEDULED,), P.NOT_ADOPTED, perm=Perm.MANAGE,
             guards=(_motion_is(Motion.Status.REJECTED),)),
        Step(PA.UNSCHEDULE, (P.SCHEDULED,), P.ADMITTED, perm=Perm.MANAGE,
             guards=(_meeting_decided_nothing,)),
        Step(PA.ASSIGN, (P.ADOPTED,), P.IN_PROGRESS, perm=Perm.MANAGE,
             guards=(_deadline_ahead,)),
        Step(PA.PROGRESS, (P.IN_PROGRESS,), None, perm=Perm.MANAGE),
        Step(PA.COMPLETE, (P.IN_PROGRESS,), P.IMPLEMENTED, perm=Perm.MANAGE),
        Step(PA.RATE, (P.IMPLEMENTED,), None, guards=(acting_resident, eligible_voter),
             **_RESIDENT),
        Step(PA.CLOSE, (P.IMPLEMENTED,), P.CLOSED, perm=Perm.MANAGE),
    ])


# ---------------------------------------------------------------- recall petitions

R, RA = RecallPetition.State, RecallPetition.Action


def may_sign_recall(actor: Any, petition: RecallPetition, ctx: Ctx) -> BusinessError | None:
    """Voters sign a voters' petition; serving representatives a representatives' one
    (村民委员会组织法 Art. 16)."""
    if petition.via == RecallPetition.Via.REPRESENTATIVES:
        resident = _resident(actor, ctx)
        if resident is None or selectors.active_representative(
                resident, petition.community_code) is None:
            return Forbidden(_("Only serving representatives sign a representatives' recall "
                               "petition."), code=Code.NOT_REPRESENTATIVE)
        return None
    refused = eligible_voter(actor, petition, ctx)
    area = recall_area(petition)
    if refused is None and area != petition.community_code:
        resident = _resident(actor, ctx)
        if resident is None or not resident.area_code.startswith(area):
            # a representative answers to the households that chose them (ADR 0513)
            return Forbidden(_("Only voters of the households that chose this representative "
                               "sign a petition to recall them."), code=Code.NOT_ELIGIBLE,
                             details={"area_code": area})
    return refused


def recall_area(petition: RecallPetition) -> str:
    """Whose voters decide the recall: the community's, or for a standing representative
    the area of their constituency (ADR 0513)."""
    rep = petition.representative
    if rep is not None and len(rep.constituency.area_code) > len(petition.community_code):
        return rep.constituency.area_code
    return petition.community_code


def _no_vote_running(actor: Any, petition: RecallPetition, ctx: Ctx) -> BusinessError | None:
    """One recall vote per petition; a cancelled one may be set up again (ADR 0513)."""
    if petition.vote_id is None:
        return None
    found = elections_facade.recall_status(petition.vote_id)
    if found is not None and found[1] != elections_facade.CANCELLED:
        return Conflict(_("The recall vote is already set up (%(name)s).")
                        % {"name": found[0]}, code=Code.VOTE_SET_UP,
                        details={"vote": petition.vote_id})
    return None


def _reported_by_the_vote(actor: Any, petition: RecallPetition) -> bool:
    """The announced result of the vote is applied for whoever announced it: the election
    committee's permission is elections', checked there (ADR 0513)."""
    return bool(getattr(petition, "_announced_vote", False))


def _result_path(actor: Any, petition: RecallPetition, ctx: Ctx) -> BusinessError | None:
    """A recall's result comes from its vote's tally; only a petition that was waiting
    for its result before votes ran in elections may have figures typed in (ADR 0513)."""
    if ctx.inputs.get("ballot"):
        if petition.vote_id is None or petition.state != R.SCHEDULED:
            return Conflict(_("No recall vote is set up for this petition."),
                            code=Code.NO_VOTE)
        return None
    if not petition.legacy_figures or petition.vote_id is not None:
        return Conflict(_("The result of a recall comes from its vote's tally in the "
                          "elections module (roll, polling stations, double entry); it "
                          "cannot be typed in."), code=Code.RESULT_FROM_VOTE)
    return None


def _signatures_enough(actor: Any, petition: RecallPetition, ctx: Ctx) -> BusinessError | None:
    if petition.signature_count < petition.signatures_needed:
        return Conflict(_("The petition has not reached its threshold."),
                        code=Code.BELOW_THRESHOLD,
                        details={"count": petition.signature_count,
                                 "needed": petition.signatures_needed})
    return None


RECALL: Lifecycle[RecallPetition] = Lifecycle(
    "autonomy.recall", noun=_("recall petition"), states=R, actions=RA, steps=[
        Step(RA.SIGN, (R.COLLECTING,), None, guards=(acting_resident, may_sign_recall),
             **_RESIDENT),
        Step(RA.THRESHOLD, (R.COLLECTING,), R.SUBMITTED, guards=(_signatures_enough,)),
        Step(RA.REPLY, (R.SUBMITTED,), R.REPLIED, perm=Perm.MANAGE),
        Step(RA.SCHEDULE, (R.SUBMITTED, R.REPLIED, R.SCHEDULED), R.SCHEDULED,
             perm=Perm.SUPERVISE, guards=(_no_vote_running,)),
        Step(RA.RESULT, (R.SUBMITTED, R.REPLIED, R.SCHEDULED), R.DECIDED, perm=Perm.SUPERVISE,
             also=_reported_by_the_vote, guards=(_result_path,)),
    ])


# ---------------------------------------------------------------- requests to convene

CR, CRA = ConveneRequest.State, ConveneRequest.Action


def may_sign_request(actor: Any, req: ConveneRequest, ctx: Ctx) -> BusinessError | None:
    """Adult residents sign a residents' request (RCL 2018 Art. 10: 十八周岁以上的居民);
    serving representatives a representatives' one (VCL Arts. 21, 26)."""
    resident = _resident(actor, ctx)
    if req.via == ConveneRequest.Via.REPRESENTATIVES:
        if resident is None or selectors.active_representative(
                resident, req.community_code) is None:
            return Forbidden(_("Only serving representatives sign a representatives' "
                               "request."), code=Code.NOT_REPRESENTATIVE)
        return None
    if resident is None or not facade.adults_of(req.community_code, ctx.on).filter(
            pk=resident.pk).exists():
        return Forbidden(_("Only residents of this community aged 18 or over sign this "
                           "request."), code=Code.NOT_ELIGIBLE)
    return None


def _request_enough(actor: Any, req: ConveneRequest, ctx: Ctx) -> BusinessError | None:
    if req.signature_count < req.signatures_needed:
        return Conflict(_("The request has not reached its threshold."),
                        code=Code.BELOW_THRESHOLD,
                        details={"count": req.signature_count, "needed": req.signatures_needed})
    return None


def _not_before_request(actor: Any, req: ConveneRequest, ctx: Ctx) -> BusinessError | None:
    notice_on = ctx.inputs.get("notice_on")
    if notice_on is not None and req.submitted_on is not None and notice_on < req.submitted_on:
        return BusinessError(_("A meeting whose notice went out on %(n)s, before the request "
                               "reached its threshold on %(s)s, does not answer it.")
                             % {"n": notice_on.isoformat(), "s": req.submitted_on.isoformat()},
                             code=Code.BAD_DATES)
    return None


CONVENE_REQUEST: Lifecycle[ConveneRequest] = Lifecycle(
    "autonomy.convene_request", noun=_("request to convene"), states=CR, actions=CRA,
    steps=[
        Step(CRA.SIGN, (CR.COLLECTING,), None, guards=(acting_resident, may_sign_request),
             **_RESIDENT),
        Step(CRA.THRESHOLD, (CR.COLLECTING,), CR.SUBMITTED, guards=(_request_enough,)),
        Step(CRA.CONVENE, (CR.SUBMITTED,), CR.CONVENED, perm=Perm.MANAGE,
             guards=(_not_before_request,)),
    ])


# ---------------------------------------------------------------- meetings and motions

M, MA = Meeting.Status, Meeting.Action


def _quorum(wanted: bool) -> Any:
    """Attendance opens the session when the quorum is reached and records the lack of
    it otherwise; the figures are the step's inputs (none: the page asks for the form)."""
    def guard(actor: Any, meeting: Meeting, ctx: Ctx) -> BusinessError | None:
        present, members = ctx.inputs.get("present"), ctx.inputs.get("members")
        if present is None or members is None:
            return None
        if law.quorate(_profile(meeting, ctx), present, members) is not wanted:
            return Conflict(_("The attendance does not match this step's quorum."),
                            code=Code.QUORATE if not wanted else Code.NOT_QUORATE,
                            details={"present": present, "members": members})
        return None
    return guard


def _no_open_motions(actor: Any, meeting: Meeting, ctx: Ctx) -> BusinessError | None:
    if meeting.status == M.OPEN and meeting.motions.filter(status=Motion.Status.OPEN).exists():
        return Conflict(_("Close the vote on every motion first."), code=Code.OPEN_MOTIONS)
    return None


def _on_the_day(actor: Any, meeting: Meeting, ctx: Ctx) -> BusinessError | None:
    """Attendance is taken at the meeting: not before its date."""
    if ctx.on < meeting.held_on:
        return BusinessError(
            _("Attendance can be recorded only on or after the meeting's date (%(d)s): who "
              "attends is known at the meeting.") % {"d": meeting.held_on.isoformat()},
            code=Code.TOO_EARLY, details={"held_on": meeting.held_on})
    return None


def _nothing_decided(actor: Any, meeting: Meeting, ctx: Ctx) -> BusinessError | None:
    """A correction that takes the quorum away cannot undo decisions already taken."""
    if meeting.status == M.OPEN and meeting.motions.exclude(status=Motion.Status.OPEN).exists():
        return Conflict(_("Motions of this meeting are already decided with the quorum; the "
                          "attendance can no longer be corrected to below the quorum."),
                        code=Code.DECIDED)
    return None


MEETING: Lifecycle[Meeting] = Lifecycle(
    "autonomy.meeting", noun=_("meeting"), states=M, actions=MA, field="status", steps=[
        Step(MA.OPEN, (M.NOTIFIED, M.NO_QUORUM), M.OPEN, perm=Perm.MANAGE,
             guards=(_on_the_day, _quorum(True))),
        Step(MA.NO_QUORUM, (M.NOTIFIED, M.OPEN), M.NO_QUORUM, perm=Perm.MANAGE,
             guards=(_on_the_day, _quorum(False), _nothing_decided)),
        Step(MA.CORRECT, (M.OPEN, M.NO_QUORUM), None, perm=Perm.MANAGE,
             guards=(_on_the_day,)),
        Step(MA.ADD_MOTION, (M.NOTIFIED, M.OPEN), None, perm=Perm.MANAGE),
        Step(MA.CLOSE, (M.OPEN, M.NO_QUORUM), M.CLOSED, perm=Perm.MANAGE,
             guards=(_no_open_motions,)),
    ])

V, VA = Motion.Status, Motion.Action


def _meeting_decides(actor: Any, motion: Motion, ctx: Ctx) -> BusinessError | None:
    meeting = motion.meeting
    if meeting.status == M.NO_QUORUM or (meeting.status == M.OPEN and not meeting.quorate):
        return Conflict(_("This meeting has no quorum, so it can decide nothing."),
                        code=Code.NO_QUORUM, details={"present": meeting.present,
                                                      "members": meeting.members})
    if meeting.status != M.OPEN:
        return Conflict(_("Voting is possible only while the meeting is in session."),
                        code=Code.NOT_IN_SESSION)
    return None


def _voter(actor: Any, motion: Motion, ctx: Ctx) -> Representative | None:
    rep = ctx.inputs.get("representative")
    if rep is not None:
        return rep  # type: ignore[no-any-return]
    resident = facade.resident_of_user(actor)
    return None if resident is None else selectors.active_representative(
        resident, motion.meeting.community_code)


def _serving_voter(actor: Any, motion: Motion, ctx: Ctx) -> BusinessError | None:
    if _voter(actor, motion, ctx) is None:
        return Forbidden(_("Only serving representatives vote in this meeting."),
                         code=Code.NOT_REPRESENTATIVE)
    return None


def _present_voter(actor: Any, motion: Motion, ctx: Ctx) -> BusinessError | None:
    rep = _voter(actor, motion, ctx)
    if rep is None or not Attendance.objects.filter(meeting_id=motion.meeting_id,
                                                    representative=rep, present=True).exists():
        return Forbidden(_("Only representatives recorded as present can vote."),
                         code=Code.NOT_PRESENT)
    return None


def _not_voted(actor: Any, motion: Motion, ctx: Ctx) -> BusinessError | None:
    rep = _voter(actor, motion, ctx)
    if rep is not None and VoteCast.objects.filter(motion=motion, representative=rep).exists():
        return Conflict(_("%(name)s has already voted on this motion.") % {"name": rep.name},
                        code=Code.ALREADY_VOTED)
    return None


def _not_counted(actor: Any, motion: Motion, ctx: Ctx) -> BusinessError | None:
    if motion.counted:
        return Conflict(_("The clerk has entered the count for this motion; further votes "
                          "are part of that count."), code=Code.COUNTED)
    return None


def _majority(wanted: bool) -> Any:
    """A motion is carried by more than half of those present (RCL Art. 9, VCL Art. 26);
    the count is the step's input (none: the page asks for the button)."""
    def guard(actor: Any, motion: Motion, ctx: Ctx) -> BusinessError | None:
        votes_for = ctx.inputs.get("votes_for")
        if votes_for is None:
            return None
        present = motion.meeting.present
        if law.adopted(_profile(motion.meeting, ctx), votes_for, present) is not wanted:
            return Conflict(_("The count does not match this result."),
                            code=Code.MAJORITY if not wanted else Code.NO_MAJORITY,
                            details={"for": votes_for, "present": present})
        return None
    return guard


MOTION: Lifecycle[Motion] = Lifecycle(
    "autonomy.motion", noun=_("motion"), states=V, actions=VA, field="status", steps=[
        Step(VA.VOTE, (V.OPEN,), None, perm=Perm.VOTE, also=manages,
             guards=(_meeting_decides, _not_counted, _serving_voter, _present_voter,
                     _not_voted)),
        Step(VA.COUNT, (V.OPEN,), None, perm=Perm.MANAGE, guards=(_meeting_decides,)),
        Step(VA.ADOPT, (V.OPEN,), V.ADOPTED, perm=Perm.MANAGE,
             guards=(_meeting_decides, _majority(True))),
        Step(VA.REJECT, (V.OPEN,), V.REJECTED, perm=Perm.MANAGE,
             guards=(_meeting_decides, _majority(False))),
    ])


# ---------------------------------------------------------------- evaluation campaigns

E, EA = EvaluationCampaign.Status, EvaluationCampaign.Action


def _rating_period(actor: Any, campaign: EvaluationCampaign, ctx: Ctx) -> BusinessError | None:
    if not campaign.opens_on <= ctx.on <= campaign.closes_on:
        return Conflict(_("This evaluation is not open for ratings."), code=Code.NOT_OPEN,
                        details={"opens_on": campaign.opens_on.isoformat(),
                                 "closes_on": campaign.closes_on.isoformat()})
    return None


def _not_rated(actor: Any, campaign: EvaluationCampaign, ctx: Ctx) -> BusinessError | None:
    resident = _resident(actor, ctx)
    if resident is not None and EvaluationBallot.objects.filter(campaign=campaign,
                                                                resident=resident).exists():
        return Conflict(_("You have already taken part in this evaluation."),
                        code=Code.ALREADY_RATED)
    return None


EVALUATION: Lifecycle[EvaluationCampaign] = Lifecycle(
    "autonomy.evaluation", noun=_("evaluation"), states=E, actions=EA, field="status",
    steps=[
        Step(EA.RATE, (E.OPEN,), None,
             guards=(_rating_period, acting_resident, eligible_voter, _not_rated), **_RESIDENT),
        Step(EA.CLOSE, (E.OPEN,), E.CLOSED, perm=Perm.MANAGE),
    ])


# ---------------------------------------------------------------- representatives' terms

T, TA = Representative.Status, Representative.Action


def _on_or_after_start(actor: Any, rep: Representative, ctx: Ctx) -> BusinessError | None:
    if ctx.on < rep.term_start:
        return BusinessError(_("A term cannot end before it starts (%(d)s).")
                             % {"d": rep.term_start}, code=Code.TERM_DATES)
    return None


def _within_term(actor: Any, rep: Representative, ctx: Ctx) -> BusinessError | None:
    """Someone elected in a by-election serves the rest of the term (VCL Art. 19): there
    must be some left."""
    if not rep.term_start <= ctx.on <= rep.term_end:
        return BusinessError(_("A by-election fills a seat for the rest of its term "
                               "(%(a)s – %(b)s).") % {"a": rep.term_start, "b": rep.term_end},
                             code=Code.TERM_DATES,
                             details={"term_start": rep.term_start.isoformat(),
                                      "term_end": rep.term_end.isoformat()})
    return None


def _not_replaced(actor: Any, rep: Representative, ctx: Ctx) -> BusinessError | None:
    if rep.successors.exists():
        return Conflict(_("This seat has already been filled by a by-election."),
                        code=Code.ALREADY_REPLACED)
    return None


def _by_a_recount(actor: Any, rep: Representative, ctx: Ctx) -> BusinessError | None:
    """A term comes back only when a re-count overturns the recall that ended it
    (``services.recall``, ADR 0513); never as a button."""
    if not ctx.inputs.get("recall_overturned"):
        return Conflict(_("A term is reinstated only when a re-count overturns the recall "
                          "that ended it."), code=Code.NOT_SERVING)
    return None


REPRESENTATIVE: Lifecycle[Representative] = Lifecycle(
    "autonomy.representative", noun=_("representative"), states=T, actions=TA,
    field="status", steps=[
        Step(TA.END, (T.ACTIVE,), T.ENDED, perm=Perm.MANAGE, guards=(_on_or_after_start,)),
        Step(TA.REPLACE, (T.ACTIVE, T.ENDED), T.ENDED, perm=Perm.MANAGE,
             guards=(_not_replaced, _within_term)),
        Step(TA.REINSTATE, (T.ENDED,), T.ACTIVE, perm=Perm.MANAGE,
             guards=(_by_a_recount, _not_replaced, _within_term)),
    ])


# ---------------------------------------------------------------- disclosure and questions

D, DA = Disclosure.Status, Disclosure.Action


def _past_due(actor: Any, d: Disclosure, ctx: Ctx) -> BusinessError | None:
    if not law.disclosure_overdue(d.due_on, ctx.on):
        return Conflict(_("This disclosure is not overdue yet (due %(d)s).") % {"d": d.due_on},
                        code=Code.NOT_DUE)
    return None


DISCLOSURE: Lifecycle[Disclosure] = Lifecycle(
    "autonomy.disclosure", noun=_("disclosure"), states=D, actions=DA, field="status", steps=[
        Step(DA.PUBLISH, (D.PLANNED, D.OVERDUE), D.PUBLISHED, perm=Perm.MANAGE),
        Step(DA.FLAG_OVERDUE, (D.PLANNED,), D.OVERDUE, perm=Perm.SUPERVISE,
             guards=(_past_due,)),
    ])

QUESTION: Lifecycle[Question] = Lifecycle(
    "autonomy.question", noun=_("question"), states=Question.Status, actions=Question.Action,
    field="status", steps=[
        Step(Question.Action.ANSWER, (Question.Status.ASKED,), Question.Status.ANSWERED,
             perm=Perm.MANAGE),
    ])

LIFECYCLES: tuple[Lifecycle[Any], ...] = (PROPOSAL, RECALL, CONVENE_REQUEST, MEETING, MOTION,
                                          EVALUATION, REPRESENTATIVE, DISCLOSURE, QUESTION)
