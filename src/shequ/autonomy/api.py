"""``/api/v1/autonomy``: the same use cases as the pages and the CLI. Reads of public
things (rules, roster, proposals, meetings, disclosures) need no sign-in; writes act as
the signed-in user (a resident acts for themselves; staff may name ``resident_id`` when
registering a paper form). Lists are cursor pages (``{items, next}``); a proposal's
detail says which steps the caller may take now (``allowed``: the session's user; a
public route reads no bearer token, so a program asks by trying the step).

No ``from __future__ import annotations`` here: ninja builds the query models of the
filter schemas from the annotations at import time."""

from enum import StrEnum
from typing import TYPE_CHECKING, Annotated, Any

from django.db import models
from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import FilterLookup, FilterSchema, Query, Router, Status
from ninja.pagination import paginate

from shequ.autonomy import selectors, services
from shequ.autonomy.lifecycles import PROPOSAL
from shequ.autonomy.models import (
    Constituency,
    ConveneRequest,
    Disclosure,
    EvaluationTarget,
    Meeting,
    Motion,
    Proposal,
    RecallPetition,
    Representative,
)
from shequ.autonomy.schemas import (
    AutonomyAnswerIn,
    AutonomyAnswerOut,
    AutonomyAppointIn,
    AutonomyAssignIn,
    AutonomyAttendanceIn,
    AutonomyByElectionIn,
    AutonomyConstituencyIn,
    AutonomyConstituencyOut,
    AutonomyConvenedIn,
    AutonomyCountedOut,
    AutonomyCountIn,
    AutonomyDisclosureOut,
    AutonomyEditIn,
    AutonomyEndIn,
    AutonomyEvaluationClosedOut,
    AutonomyEvaluationIn,
    AutonomyEvaluationOut,
    AutonomyEventOut,
    AutonomyMajorIn,
    AutonomyMeetingIn,
    AutonomyMeetingOut,
    AutonomyMinutesIn,
    AutonomyMotionIn,
    AutonomyMotionOut,
    AutonomyPlanOut,
    AutonomyProfileOut,
    AutonomyProposalDetailOut,
    AutonomyProposalIn,
    AutonomyProposalOut,
    AutonomyPublishIn,
    AutonomyQuestionOut,
    AutonomyRatingIn,
    AutonomyRecallIn,
    AutonomyRecallOut,
    AutonomyRecallResultIn,
    AutonomyRecallVoteIn,
    AutonomyRepresentativeOut,
    AutonomyRequestIn,
    AutonomyRequestOut,
    AutonomyResidentIn,
    AutonomyResultOut,
    AutonomyReviewIn,
    AutonomyRosterOut,
    AutonomyScheduleIn,
    AutonomyScoreIn,
    AutonomyScoreOut,
    AutonomyTextIn,
    AutonomyVoteIn,
    AutonomyVoteOut,
)
from shequ.core.apischemas import Year
from shequ.core.pagination import Cursor

router = Router()


def _choices(name: str, choices: type[models.TextChoices]) -> Any:
    """A module's choices as an enum named for the API (``AutonomyProposalState``): the
    document names every schema uniquely, and a wrong value is a 422."""
    return StrEnum(name, {v: v for v in choices.values})


if TYPE_CHECKING:  # the enums are made at run time; to a type checker they are strings
    ProposalState = str
    MeetingStatus = str
    MotionStatus = str
    ConstituencyKind = str
    DisclosureCategory = str
else:
    ProposalState = _choices("AutonomyProposalState", Proposal.State)
    MeetingStatus = _choices("AutonomyMeetingStatus", Meeting.Status)
    MotionStatus = _choices("AutonomyMotionStatus", Motion.Status)
    ConstituencyKind = _choices("AutonomyConstituencyKind", Constituency.Kind)
    DisclosureCategory = _choices("AutonomyDisclosureCategory", Disclosure.Category)


class AutonomyProposalFilter(FilterSchema):
    state: Annotated[ProposalState | None, FilterLookup("state")] = None


class AutonomyMeetingFilter(FilterSchema):
    status: Annotated[MeetingStatus | None, FilterLookup("status")] = None


class AutonomyMotionFilter(FilterSchema):
    status: Annotated[MotionStatus | None, FilterLookup("status")] = None


class AutonomyRosterFilter(FilterSchema):
    kind: Annotated[ConstituencyKind | None, FilterLookup("kind")] = None


class AutonomyDisclosureFilter(FilterSchema):
    category: Annotated[DisclosureCategory | None, FilterLookup("category")] = None


class AutonomyOverdueFilter(FilterSchema):
    within: Annotated[str | None, FilterLookup("area_code__startswith")] = None


class AutonomyResultFilter(FilterSchema):
    within: Annotated[str, FilterLookup("campaign__community_code__startswith")]
    year: Annotated[int, FilterLookup("campaign__year")]


# ---------------------------------------------------------------- rules, roster


@router.get("/communities/{code}/rules", response=AutonomyProfileOut, auth=None)
def rules(request: HttpRequest, code: str) -> dict[str, Any]:
    selectors.community(code)
    p = selectors.rules(code)
    return {"profile": p.key, "version": p.version, "overridden": list(p.overridden),
            "rules": list(p.rules.values())}


@router.get("/communities/{code}/representatives", response=list[AutonomyRosterOut],
            auth=None)
@paginate(Cursor)
def roster(request: HttpRequest, code: str,
           filters: AutonomyRosterFilter = Query(...)) -> QuerySet[Constituency]:  # noqa: B008
    selectors.community(code)
    return filters.filter(selectors.public_constituencies(code))


@router.post("/constituencies", response={201: AutonomyConstituencyOut})
def create_constituency(request: HttpRequest, data: AutonomyConstituencyIn) -> Any:
    return Status(201, services.create_constituency(actor=request.user, **data.dict()))


@router.post("/representatives", response={201: AutonomyRepresentativeOut})
def appoint(request: HttpRequest, data: AutonomyAppointIn) -> Any:
    return Status(201, services.appoint_representative(actor=request.user, **data.dict()))


@router.post("/representatives/{pk}/end", response=AutonomyRepresentativeOut)
def end_term(request: HttpRequest, pk: int, data: AutonomyEndIn) -> Representative:
    return services.end_representative(actor=request.user, representative_id=pk, **data.dict())


@router.post("/representatives/{pk}/by-election", response={201: AutonomyRepresentativeOut})
def by_election(request: HttpRequest, pk: int, data: AutonomyByElectionIn) -> Any:
    return Status(201, services.by_elect(actor=request.user, representative_id=pk,
                                         **data.dict()))


# ---------------------------------------------------------------- proposals


@router.get("/communities/{code}/proposals", response=list[AutonomyProposalOut], auth=None)
@paginate(Cursor)
def proposals(request: HttpRequest, code: str,
              filters: AutonomyProposalFilter = Query(...)) -> QuerySet[Proposal]:  # noqa: B008
    return filters.filter(selectors.public_proposals(code))


@router.get("/proposals/{pk}", response=AutonomyProposalDetailOut, auth=None)
def proposal(request: HttpRequest, pk: int) -> Proposal:
    p = selectors.public_proposal(pk)
    p.allowed = PROPOSAL.allowed(request.user, p)  # type: ignore[attr-defined]
    return p


@router.post("/proposals", response={201: AutonomyProposalOut})
def submit(request: HttpRequest, data: AutonomyProposalIn) -> Any:
    return Status(201, services.submit_proposal(actor=request.user, **data.dict()))


@router.patch("/proposals/{pk}", response=AutonomyProposalOut)
def edit(request: HttpRequest, pk: int, data: AutonomyEditIn) -> Proposal:
    return services.edit_proposal(actor=request.user, proposal_id=pk, **data.dict())


@router.post("/proposals/{pk}/cosign", response=AutonomyProposalOut)
def cosign(request: HttpRequest, pk: int, data: AutonomyResidentIn) -> Proposal:
    return services.cosign_proposal(actor=request.user, proposal_id=pk,
                                    resident_id=data.resident_id)


@router.post("/proposals/{pk}/comments", response={201: AutonomyEventOut})
def comment(request: HttpRequest, pk: int, data: AutonomyTextIn) -> Any:
    return Status(201, services.comment_on_proposal(
        actor=request.user, proposal_id=pk, text=data.text, resident_id=data.resident_id))


@router.post("/proposals/{pk}/review", response=AutonomyProposalOut)
def review(request: HttpRequest, pk: int, data: AutonomyReviewIn) -> Proposal:
    return services.review_proposal(actor=request.user, proposal_id=pk, admit=data.admit,
                                    reason=data.reason)


@router.post("/proposals/{pk}/schedule", response=AutonomyProposalOut)
def schedule(request: HttpRequest, pk: int, data: AutonomyScheduleIn) -> Proposal:
    return services.schedule_proposal(actor=request.user, proposal_id=pk,
                                      meeting_id=data.meeting_id)


@router.post("/proposals/{pk}/assign", response=AutonomyProposalOut)
def assign(request: HttpRequest, pk: int, data: AutonomyAssignIn) -> Proposal:
    return services.assign_proposal(actor=request.user, proposal_id=pk, assignee=data.assignee,
                                    deadline=data.deadline)


@router.post("/proposals/{pk}/progress", response={201: AutonomyEventOut})
def progress(request: HttpRequest, pk: int, data: AutonomyTextIn) -> Any:
    return Status(201, services.report_progress(actor=request.user, proposal_id=pk,
                                                note=data.text))


@router.post("/proposals/{pk}/complete", response=AutonomyProposalOut)
def complete(request: HttpRequest, pk: int, data: AutonomyTextIn) -> Proposal:
    return services.complete_proposal(actor=request.user, proposal_id=pk, feedback=data.text)


@router.post("/proposals/{pk}/satisfaction", response={201: AutonomyScoreOut})
def rate(request: HttpRequest, pk: int, data: AutonomyScoreIn) -> Any:
    r = services.rate_proposal(actor=request.user, proposal_id=pk, score=data.score,
                               resident_id=data.resident_id)
    return Status(201, {"score": r.score})


@router.post("/proposals/{pk}/close", response=AutonomyProposalOut)
def close(request: HttpRequest, pk: int) -> Proposal:
    return services.close_proposal(actor=request.user, proposal_id=pk)


@router.post("/proposals/{pk}/withdraw", response=AutonomyProposalOut)
def withdraw(request: HttpRequest, pk: int, data: AutonomyResidentIn) -> Proposal:
    return services.withdraw_proposal(actor=request.user, proposal_id=pk,
                                      resident_id=data.resident_id)


# ---------------------------------------------------------------- meetings


@router.get("/communities/{code}/meetings", response=list[AutonomyMeetingOut], auth=None)
@paginate(Cursor)
def meetings(request: HttpRequest, code: str,
             filters: AutonomyMeetingFilter = Query(...)) -> QuerySet[Meeting]:  # noqa: B008
    return filters.filter(selectors.public_meetings(code))


@router.post("/meetings", response={201: AutonomyMeetingOut})
def convene(request: HttpRequest, data: AutonomyMeetingIn) -> Any:
    return Status(201, services.convene_meeting(actor=request.user, **data.dict()))


@router.post("/meetings/{pk}/attendance", response=AutonomyMeetingOut)
def attendance(request: HttpRequest, pk: int, data: AutonomyAttendanceIn) -> Meeting:
    return services.record_attendance(actor=request.user, meeting_id=pk,
                                      present_ids=data.present_ids,
                                      committee_present_ids=data.committee_present_ids)


@router.post("/meetings/{pk}/motions", response={201: AutonomyMotionOut})
def motion(request: HttpRequest, pk: int, data: AutonomyMotionIn) -> Any:
    return Status(201, services.add_motion(actor=request.user, meeting_id=pk, **data.dict()))


@router.get("/meetings/{pk}/motions", response=list[AutonomyMotionOut], auth=None)
@paginate(Cursor)
def motions(request: HttpRequest, pk: int,
            filters: AutonomyMotionFilter = Query(...)) -> QuerySet[Motion]:  # noqa: B008
    return filters.filter(selectors.motions(selectors.public_meeting(pk)))


@router.post("/motions/{pk}/votes", response={201: AutonomyVoteOut})
def vote(request: HttpRequest, pk: int, data: AutonomyVoteIn) -> Any:
    return Status(201, services.cast_vote(actor=request.user, motion_id=pk, choice=data.choice,
                                          representative_id=data.representative_id))


@router.post("/motions/{pk}/count", response=AutonomyMotionOut)
def count(request: HttpRequest, pk: int, data: AutonomyCountIn) -> Motion:
    """The clerk's count of a show of hands or a paper ballot for everyone present."""
    return services.record_count(actor=request.user, motion_id=pk, **data.dict())


@router.post("/motions/{pk}/close", response=AutonomyMotionOut)
def close_motion(request: HttpRequest, pk: int) -> Motion:
    return services.close_motion(actor=request.user, motion_id=pk)


@router.post("/meetings/{pk}/close", response=AutonomyMeetingOut)
def close_meeting(request: HttpRequest, pk: int, data: AutonomyMinutesIn) -> Meeting:
    return services.close_meeting(actor=request.user, meeting_id=pk, minutes=data.minutes)


# ---------------------------------------------------------------- evaluation


@router.post("/evaluations", response={201: AutonomyEvaluationOut})
def open_evaluation(request: HttpRequest, data: AutonomyEvaluationIn) -> Any:
    c = services.open_evaluation(actor=request.user, **data.dict())
    return Status(201, {"id": c.pk, "targets": list(c.targets.all())})


@router.post("/evaluations/{pk}/ratings", response={201: AutonomyCountedOut})
def submit_rating(request: HttpRequest, pk: int, data: AutonomyRatingIn) -> Any:
    services.submit_rating(actor=request.user, campaign_id=pk, answers=data.answers,
                           resident_id=data.resident_id)
    return Status(201, {"counted": True})


@router.post("/evaluations/{pk}/close", response=AutonomyEvaluationClosedOut)
def close_evaluation(request: HttpRequest, pk: int) -> Any:
    return services.close_evaluation(actor=request.user, campaign_id=pk)


@router.get("/results", response=list[AutonomyResultOut], auth=None)
@paginate(Cursor)
def results(request: HttpRequest,
            filters: AutonomyResultFilter = Query(...)) -> QuerySet[EvaluationTarget]:  # noqa: B008
    """Aggregated evaluation results (anonymous) for the assessment module."""
    return selectors.evaluation_targets(filters.within, filters.year)


# ---------------------------------------------------------------- disclosure


@router.get("/communities/{code}/disclosures", response=list[AutonomyDisclosureOut], auth=None)
@paginate(Cursor)
def disclosures(request: HttpRequest, code: str,
                filters: AutonomyDisclosureFilter = Query(...)  # noqa: B008
                ) -> QuerySet[Disclosure]:
    return filters.filter(selectors.public_disclosures(code))


@router.get("/disclosures/overdue", response=list[AutonomyDisclosureOut])
@paginate(Cursor)
def overdue(request: HttpRequest,
            filters: AutonomyOverdueFilter = Query(...)) -> QuerySet[Disclosure]:  # noqa: B008
    return filters.filter(selectors.overdue_for(request.user))


@router.post("/communities/{code}/disclosure-plan", response=AutonomyPlanOut)
def plan(request: HttpRequest, code: str, year: Year) -> dict[str, int]:
    return {"created": services.plan_disclosures(actor=request.user, community_code=code,
                                                 year=year)}


@router.post("/disclosures/{pk}/publish", response=AutonomyDisclosureOut)
def publish(request: HttpRequest, pk: int, data: AutonomyPublishIn) -> Disclosure:
    return services.publish_disclosure(actor=request.user, disclosure_id=pk, **data.dict())


@router.post("/disclosures/major", response={201: AutonomyDisclosureOut})
def major(request: HttpRequest, data: AutonomyMajorIn) -> Any:
    return Status(201, services.disclose_major(actor=request.user, **data.dict()))


@router.post("/disclosures/{pk}/questions", response={201: AutonomyQuestionOut})
def ask(request: HttpRequest, pk: int, data: AutonomyTextIn) -> Any:
    return Status(201, services.ask_question(actor=request.user, disclosure_id=pk,
                                             text=data.text, resident_id=data.resident_id))


@router.post("/questions/{pk}/answer", response=AutonomyAnswerOut)
def answer(request: HttpRequest, pk: int, data: AutonomyAnswerIn) -> Any:
    return services.answer_question(actor=request.user, question_id=pk, answer=data.answer)


# ---------------------------------------------------------------- recall


@router.post("/recalls", response={201: AutonomyRecallOut})
def start_recall(request: HttpRequest, data: AutonomyRecallIn) -> Any:
    return Status(201, services.start_recall(actor=request.user, **data.dict()))


@router.get("/recalls/{pk}", response=AutonomyRecallOut, auth=None)
def get_recall(request: HttpRequest, pk: int) -> RecallPetition:
    return selectors.recall(pk)


@router.post("/recalls/{pk}/signatures", response=AutonomyRecallOut)
def sign_recall(request: HttpRequest, pk: int, data: AutonomyResidentIn) -> RecallPetition:
    return services.sign_recall(actor=request.user, petition_id=pk, resident_id=data.resident_id)


@router.post("/recalls/{pk}/reply", response=AutonomyRecallOut)
def recall_reply(request: HttpRequest, pk: int, data: AutonomyTextIn) -> RecallPetition:
    return services.record_recall_reply(actor=request.user, petition_id=pk, reply=data.text)


@router.post("/recalls/{pk}/vote", response=AutonomyRecallOut)
def recall_vote(request: HttpRequest, pk: int, data: AutonomyRecallVoteIn) -> RecallPetition:
    """Set up the recall vote in the elections module (roll from the register, polling
    stations, double-entry tally; ADR 0513): its result comes back when it is announced."""
    return services.schedule_recall_vote(
        actor=request.user, petition_id=pk, voting_day=data.voting_day, on=data.on,
        stations=[st.dict() for st in data.stations])


@router.post("/recalls/{pk}/result", response=AutonomyRecallOut)
def recall_result(request: HttpRequest, pk: int, data: AutonomyRecallResultIn) -> RecallPetition:
    """Only for a petition that was waiting for its result before recall votes ran in
    elections (a vote held on paper, ADR 0513); any other is refused (409)."""
    return services.record_recall_result(actor=request.user, petition_id=pk, **data.dict())


# ---------------------------------------------------------------- requests to convene


@router.post("/requests", response={201: AutonomyRequestOut})
def start_request(request: HttpRequest, data: AutonomyRequestIn) -> Any:
    """Adult residents or representatives ask the committee to convene a meeting
    (RCL 2018 Art. 10; VCL Arts. 21, 26; ADR 0511); the initiator signs first."""
    return Status(201, services.start_request(actor=request.user, **data.dict()))


@router.get("/requests/{pk}", response=AutonomyRequestOut, auth=None)
def get_request(request: HttpRequest, pk: int) -> ConveneRequest:
    return selectors.convene_request(pk)


@router.post("/requests/{pk}/signatures", response=AutonomyRequestOut)
def sign_request(request: HttpRequest, pk: int, data: AutonomyResidentIn) -> ConveneRequest:
    return services.sign_request(actor=request.user, request_id=pk, resident_id=data.resident_id)


@router.post("/requests/{pk}/convened", response=AutonomyRequestOut)
def request_convened(request: HttpRequest, pk: int, data: AutonomyConvenedIn) -> ConveneRequest:
    """The committee records the requested residents' meeting (a conference is answered
    by convening it with ``request_id``)."""
    return services.record_residents_meeting(actor=request.user, request_id=pk, **data.dict())
