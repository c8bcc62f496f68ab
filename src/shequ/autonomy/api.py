"""``/api/v1/autonomy``: the same use cases as the pages and the CLI. Reads of public
things (rules, roster, proposals, disclosures) need no sign-in; writes act as the
signed-in user (a resident acts for themselves; staff may name ``resident_id`` when
registering a paper form)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema, Status

from shequ.autonomy import selectors, services, states
from shequ.autonomy.models import Disclosure, Meeting, Motion, Proposal, RecallPetition

router = Router()


class RuleOut(Schema):
    key: str
    label: str
    value: Any
    unit: str
    citation: str


class ProfileOut(Schema):
    profile: str
    version: str
    overridden: list[str]
    rules: list[RuleOut]


class RosterOut(Schema):
    constituency: str
    kind: str
    seats: int
    households: int
    representatives: list[dict[str, Any]]


class EventOut(Schema):
    at: datetime
    action: str
    state: str
    who: str
    note: str
    text: str

    @staticmethod
    def resolve_text(obj: Any) -> str:
        return states.describe(obj)


class ProposalOut(Schema):
    id: int
    number: str
    community_code: str
    title: str
    body: str
    via: str
    state: str
    cosigners_needed: int
    cosigner_count: int
    review_reason: str
    meeting_id: int | None
    motion_id: int | None
    assignee: str
    deadline: date | None
    feedback: str
    satisfaction: Decimal | None
    profile_version: str


class ProposalDetailOut(ProposalOut):
    events: list[EventOut]
    resolution_number: str = ""


class ProposalIn(Schema):
    community_code: str
    title: str
    body: str
    resident_id: int | None = None


class ResidentIn(Schema):
    resident_id: int | None = None


class TextIn(Schema):
    text: str
    resident_id: int | None = None


class ReviewIn(Schema):
    admit: bool
    reason: str


class ScheduleIn(Schema):
    meeting_id: int


class AssignIn(Schema):
    assignee: str
    deadline: date


class ScoreIn(Schema):
    score: int
    resident_id: int | None = None


class MeetingIn(Schema):
    community_code: str
    title: str
    agenda: str
    held_on: date
    notice_on: date | None = None
    location: str = ""


class MeetingOut(Schema):
    id: int
    community_code: str
    kind: str
    title: str
    agenda: str
    notice_on: date
    held_on: date
    status: str
    members: int
    present: int
    quorate: bool | None
    minutes: str
    profile_version: str


class AttendanceIn(Schema):
    present_ids: list[int]


class MotionIn(Schema):
    title: str
    text: str = ""
    personnel: bool = False


class MotionOut(Schema):
    id: int
    meeting_id: int
    title: str
    secret: bool
    status: str
    votes_for: int
    votes_against: int
    abstentions: int
    resolution_number: str
    profile_version: str


class VoteIn(Schema):
    choice: str
    representative_id: int | None = None


class MinutesIn(Schema):
    minutes: str


class EvaluationIn(Schema):
    community_code: str
    year: int
    title: str
    criteria: list[str]
    opens_on: date
    closes_on: date
    departments: list[str] = []


class RatingIn(Schema):
    answers: dict[int, dict[str, Any]]
    resident_id: int | None = None


class DisclosureOut(Schema):
    id: int
    community_code: str
    category: str
    title: str
    body: str
    period_start: date
    period_end: date
    due_on: date
    published_at: datetime | None
    overdue_flagged_at: datetime | None


class PublishIn(Schema):
    body: str
    title: str = ""


class MajorIn(Schema):
    community_code: str
    title: str
    body: str


class AnswerIn(Schema):
    answer: str


class RecallIn(Schema):
    community_code: str
    member_name: str = ""
    reasons: str
    membership_id: int | None = None
    resident_id: int | None = None
    via: str = "voters"


class RecallOut(Schema):
    id: int
    community_code: str
    member_name: str
    reasons: str
    via: str
    state: str
    voters: int
    signatures_needed: int
    signature_count: int
    reply: str
    registered: int | None
    cast: int | None
    approve: int | None
    outcome: str
    profile_version: str


class RecallResultIn(Schema):
    registered: int
    cast: int
    approve: int


# ---------------------------------------------------------------- rules, roster

@router.get("/communities/{code}/rules", response=ProfileOut, auth=None)
def rules(request: HttpRequest, code: str) -> dict[str, Any]:
    selectors.community(code)
    p = selectors.rules(code)
    return {"profile": p.key, "version": p.version, "overridden": list(p.overridden),
            "rules": [{"key": r.key, "label": str(r.label), "value": r.value, "unit": r.unit,
                       "citation": str(r.citation)} for r in p.rules.values()]}


@router.get("/communities/{code}/representatives", response=list[RosterOut], auth=None)
def roster(request: HttpRequest, code: str) -> list[dict[str, Any]]:
    selectors.community(code)
    return selectors.public_roster(code)


class ConstituencyIn(Schema):
    community_code: str
    name: str
    kind: str
    households: int
    area_code: str = ""


class ConstituencyOut(Schema):
    id: int
    community_code: str
    area_code: str
    kind: str
    name: str
    households: int
    seats: int
    profile_version: str


class AppointIn(Schema):
    constituency_id: int
    resident_id: int
    term_start: date
    duties: str = ""


class RepresentativeOut(Schema):
    id: int
    constituency_id: int
    name: str
    term_start: date
    term_end: date
    status: str
    source: str
    replaces_id: int | None


class EndIn(Schema):
    reason: str
    on: date | None = None


class ByElectionIn(Schema):
    resident_id: int
    reason: str = ""
    on: date | None = None


@router.post("/constituencies", response={201: ConstituencyOut})
def create_constituency(request: HttpRequest, data: ConstituencyIn) -> Any:
    return Status(201, services.create_constituency(actor=request.user, **data.dict()))


@router.post("/representatives", response={201: RepresentativeOut})
def appoint(request: HttpRequest, data: AppointIn) -> Any:
    return Status(201, services.appoint_representative(actor=request.user, **data.dict()))


@router.post("/representatives/{pk}/end", response=RepresentativeOut)
def end_term(request: HttpRequest, pk: int, data: EndIn) -> Any:
    return services.end_representative(actor=request.user, representative_id=pk, **data.dict())


@router.post("/representatives/{pk}/by-election", response={201: RepresentativeOut})
def by_election(request: HttpRequest, pk: int, data: ByElectionIn) -> Any:
    return Status(201, services.by_elect(actor=request.user, representative_id=pk,
                                         **data.dict()))


# ---------------------------------------------------------------- proposals

@router.get("/communities/{code}/proposals", response=list[ProposalOut], auth=None)
def proposals(request: HttpRequest, code: str, state: str | None = None) -> Any:
    return selectors.public_proposals(code, state)[:500]


@router.get("/proposals/{pk}", response=ProposalDetailOut, auth=None)
def proposal(request: HttpRequest, pk: int) -> Any:
    p = selectors.public_proposal(pk)
    p.resolution_number = p.motion.resolution_number if p.motion_id and p.motion else ""  # type: ignore[attr-defined]
    return p


@router.post("/proposals", response={201: ProposalOut})
def submit(request: HttpRequest, data: ProposalIn) -> Any:
    return Status(201, services.submit_proposal(actor=request.user, **data.dict()))


class EditIn(Schema):
    title: str
    body: str
    resident_id: int | None = None


@router.patch("/proposals/{pk}", response=ProposalOut)
def edit(request: HttpRequest, pk: int, data: EditIn) -> Proposal:
    return services.edit_proposal(actor=request.user, proposal_id=pk, **data.dict())


@router.post("/proposals/{pk}/cosign", response=ProposalOut)
def cosign(request: HttpRequest, pk: int, data: ResidentIn) -> Proposal:
    return services.cosign_proposal(actor=request.user, proposal_id=pk,
                                    resident_id=data.resident_id)


@router.post("/proposals/{pk}/comments", response={201: EventOut})
def comment(request: HttpRequest, pk: int, data: TextIn) -> Any:
    return Status(201, services.comment_on_proposal(
        actor=request.user, proposal_id=pk, text=data.text, resident_id=data.resident_id))


@router.post("/proposals/{pk}/review", response=ProposalOut)
def review(request: HttpRequest, pk: int, data: ReviewIn) -> Proposal:
    return services.review_proposal(actor=request.user, proposal_id=pk, admit=data.admit,
                                    reason=data.reason)


@router.post("/proposals/{pk}/schedule", response=ProposalOut)
def schedule(request: HttpRequest, pk: int, data: ScheduleIn) -> Proposal:
    return services.schedule_proposal(actor=request.user, proposal_id=pk,
                                      meeting_id=data.meeting_id)


@router.post("/proposals/{pk}/assign", response=ProposalOut)
def assign(request: HttpRequest, pk: int, data: AssignIn) -> Proposal:
    return services.assign_proposal(actor=request.user, proposal_id=pk, assignee=data.assignee,
                                    deadline=data.deadline)


@router.post("/proposals/{pk}/progress", response={201: EventOut})
def progress(request: HttpRequest, pk: int, data: TextIn) -> Any:
    return Status(201, services.report_progress(actor=request.user, proposal_id=pk, note=data.text))


@router.post("/proposals/{pk}/complete", response=ProposalOut)
def complete(request: HttpRequest, pk: int, data: TextIn) -> Proposal:
    return services.complete_proposal(actor=request.user, proposal_id=pk, feedback=data.text)


@router.post("/proposals/{pk}/satisfaction", response={201: dict[str, int]})
def rate(request: HttpRequest, pk: int, data: ScoreIn) -> Any:
    r = services.rate_proposal(actor=request.user, proposal_id=pk, score=data.score,
                               resident_id=data.resident_id)
    return Status(201, {"score": r.score})


@router.post("/proposals/{pk}/close", response=ProposalOut)
def close(request: HttpRequest, pk: int) -> Proposal:
    return services.close_proposal(actor=request.user, proposal_id=pk)


@router.post("/proposals/{pk}/withdraw", response=ProposalOut)
def withdraw(request: HttpRequest, pk: int, data: ResidentIn) -> Proposal:
    return services.withdraw_proposal(actor=request.user, proposal_id=pk,
                                      resident_id=data.resident_id)


# ---------------------------------------------------------------- meetings

@router.get("/communities/{code}/meetings", response=list[MeetingOut], auth=None)
def meetings(request: HttpRequest, code: str) -> Any:
    return selectors.public_meetings(code)[:200]


@router.post("/meetings", response={201: MeetingOut})
def convene(request: HttpRequest, data: MeetingIn) -> Any:
    return Status(201, services.convene_meeting(actor=request.user, **data.dict()))


@router.post("/meetings/{pk}/attendance", response=MeetingOut)
def attendance(request: HttpRequest, pk: int, data: AttendanceIn) -> Meeting:
    return services.record_attendance(actor=request.user, meeting_id=pk,
                                      present_ids=data.present_ids)


@router.post("/meetings/{pk}/motions", response={201: MotionOut})
def motion(request: HttpRequest, pk: int, data: MotionIn) -> Any:
    return Status(201, services.add_motion(actor=request.user, meeting_id=pk, **data.dict()))


@router.get("/meetings/{pk}/motions", response=list[MotionOut], auth=None)
def motions(request: HttpRequest, pk: int) -> Any:
    return selectors.public_meeting(pk).motions.all()


@router.post("/motions/{pk}/votes", response={201: dict[str, Any]})
def vote(request: HttpRequest, pk: int, data: VoteIn) -> Any:
    r = services.cast_vote(actor=request.user, motion_id=pk, choice=data.choice,
                           representative_id=data.representative_id)
    return Status(201, {"motion_id": r.motion_id, "representative_id": r.representative_id,
                        "secret": r.secret})


@router.post("/motions/{pk}/close", response=MotionOut)
def close_motion(request: HttpRequest, pk: int) -> Motion:
    return services.close_motion(actor=request.user, motion_id=pk)


@router.post("/meetings/{pk}/close", response=MeetingOut)
def close_meeting(request: HttpRequest, pk: int, data: MinutesIn) -> Meeting:
    return services.close_meeting(actor=request.user, meeting_id=pk, minutes=data.minutes)


# ---------------------------------------------------------------- evaluation

@router.post("/evaluations", response={201: dict[str, Any]})
def open_evaluation(request: HttpRequest, data: EvaluationIn) -> Any:
    c = services.open_evaluation(actor=request.user, **data.dict())
    return Status(201, {"id": c.pk, "targets": [{"id": t.pk, "kind": t.kind, "name": t.name}
                                                for t in c.targets.all()]})


@router.post("/evaluations/{pk}/ratings", response={201: dict[str, bool]})
def submit_rating(request: HttpRequest, pk: int, data: RatingIn) -> Any:
    services.submit_rating(actor=request.user, campaign_id=pk, answers=data.answers,
                           resident_id=data.resident_id)
    return Status(201, {"counted": True})


@router.post("/evaluations/{pk}/close", response=dict[str, Any])
def close_evaluation(request: HttpRequest, pk: int) -> dict[str, Any]:
    c = services.close_evaluation(actor=request.user, campaign_id=pk)
    return {"id": c.pk, "raters": c.raters, "profile_version": c.profile_version}


@router.get("/results", response=list[dict[str, Any]], auth=None)
def results(request: HttpRequest, within: str, year: int) -> list[dict[str, Any]]:
    """Aggregated evaluation results (anonymous) for the assessment module."""
    return selectors.evaluation_results(within, year)


# ---------------------------------------------------------------- disclosure

@router.get("/communities/{code}/disclosures", response=list[DisclosureOut], auth=None)
def disclosures(request: HttpRequest, code: str) -> Any:
    return selectors.public_disclosures(code)[:500]


@router.get("/disclosures/overdue", response=list[DisclosureOut])
def overdue(request: HttpRequest) -> Any:
    return selectors.overdue_for(request.user)[:500]


@router.post("/communities/{code}/disclosure-plan", response=dict[str, int])
def plan(request: HttpRequest, code: str, year: int) -> dict[str, int]:
    return {"created": services.plan_disclosures(actor=request.user, community_code=code,
                                                 year=year)}


@router.post("/disclosures/{pk}/publish", response=DisclosureOut)
def publish(request: HttpRequest, pk: int, data: PublishIn) -> Disclosure:
    return services.publish_disclosure(actor=request.user, disclosure_id=pk, **data.dict())


@router.post("/disclosures/major", response={201: DisclosureOut})
def major(request: HttpRequest, data: MajorIn) -> Any:
    return Status(201, services.disclose_major(actor=request.user, **data.dict()))


@router.post("/disclosures/{pk}/questions", response={201: dict[str, Any]})
def ask(request: HttpRequest, pk: int, data: TextIn) -> Any:
    q = services.ask_question(actor=request.user, disclosure_id=pk, text=data.text,
                              resident_id=data.resident_id)
    return Status(201, {"id": q.pk, "asker": q.asker_masked, "text": q.text})


@router.post("/questions/{pk}/answer", response=dict[str, Any])
def answer(request: HttpRequest, pk: int, data: AnswerIn) -> dict[str, Any]:
    q = services.answer_question(actor=request.user, question_id=pk, answer=data.answer)
    return {"id": q.pk, "answer": q.answer}


# ---------------------------------------------------------------- recall

@router.post("/recalls", response={201: RecallOut})
def start_recall(request: HttpRequest, data: RecallIn) -> Any:
    return Status(201, services.start_recall(actor=request.user, **data.dict()))


@router.get("/recalls/{pk}", response=RecallOut, auth=None)
def get_recall(request: HttpRequest, pk: int) -> RecallPetition:
    return selectors.recall(pk)


@router.post("/recalls/{pk}/signatures", response=RecallOut)
def sign_recall(request: HttpRequest, pk: int, data: ResidentIn) -> RecallPetition:
    return services.sign_recall(actor=request.user, petition_id=pk, resident_id=data.resident_id)


@router.post("/recalls/{pk}/reply", response=RecallOut)
def recall_reply(request: HttpRequest, pk: int, data: TextIn) -> RecallPetition:
    return services.record_recall_reply(actor=request.user, petition_id=pk, reply=data.text)


@router.post("/recalls/{pk}/result", response=RecallOut)
def recall_result(request: HttpRequest, pk: int, data: RecallResultIn) -> RecallPetition:
    return services.record_recall_result(actor=request.user, petition_id=pk, **data.dict())
