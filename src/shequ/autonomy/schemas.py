"""The API's input and output shapes, named ``Autonomy…`` (unique across the API).
Outputs carry keys for programs and, where a person reads them, the words
(``state_label``, a rule's ``display`` and ``source``)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from ninja import Schema

from shequ.autonomy.lifecycles import describe
from shequ.autonomy.models import RecallPetition
from shequ.core.apischemas import Year

# ---------------------------------------------------------------- rules, representatives


class AutonomyRuleOut(Schema):
    key: str
    label: str
    value: Any
    display: str
    unit: str
    citation: str
    source: str
    verified: bool
    local: bool

    @staticmethod
    def resolve_label(obj: Any) -> str:
        return str(obj.label)

    @staticmethod
    def resolve_display(obj: Any) -> str:
        return str(obj.display())

    @staticmethod
    def resolve_citation(obj: Any) -> str:
        return str(obj.citation)

    @staticmethod
    def resolve_source(obj: Any) -> str:
        return str(obj.source())


class AutonomyProfileOut(Schema):
    profile: str
    version: str
    overridden: list[str]
    rules: list[AutonomyRuleOut]


class AutonomyRosterMemberOut(Schema):
    name: str
    term_end: date
    by_election: bool


class AutonomyRosterOut(Schema):
    constituency: str
    kind: str
    seats: int
    households: int
    representatives: list[AutonomyRosterMemberOut]

    @staticmethod
    def resolve_constituency(obj: Any) -> str:
        return str(obj.name)

    @staticmethod
    def resolve_kind(obj: Any) -> str:
        return str(obj.get_kind_display())

    @staticmethod
    def resolve_representatives(obj: Any) -> list[dict[str, Any]]:
        from shequ.autonomy.selectors import roster_entry

        return roster_entry(obj)["representatives"]  # type: ignore[no-any-return]


class AutonomyConstituencyIn(Schema):
    community_code: str
    name: str
    kind: str
    households: int
    area_code: str = ""


class AutonomyConstituencyOut(Schema):
    id: int
    community_code: str
    area_code: str
    kind: str
    name: str
    households: int
    seats: int
    profile_version: str


class AutonomyAppointIn(Schema):
    constituency_id: int
    resident_id: int
    term_start: date
    duties: str = ""


class AutonomyRepresentativeOut(Schema):
    id: int
    constituency_id: int
    name: str
    term_start: date
    term_end: date
    status: str
    source: str
    replaces_id: int | None


class AutonomyEndIn(Schema):
    reason: str
    on: date | None = None


class AutonomyByElectionIn(Schema):
    resident_id: int
    reason: str = ""
    on: date | None = None


# ---------------------------------------------------------------- proposals


class AutonomyEventOut(Schema):
    at: datetime
    action: str
    state: str
    who: str
    note: str
    text: str

    @staticmethod
    def resolve_text(obj: Any) -> str:
        return describe(obj)


class AutonomyProposalOut(Schema):
    id: int
    number: str
    community_code: str
    title: str
    body: str
    via: str
    state: str
    state_label: str
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

    @staticmethod
    def resolve_state_label(obj: Any) -> str:
        return str(obj.get_state_display())


class AutonomyProposalDetailOut(AutonomyProposalOut):
    events: list[AutonomyEventOut]
    resolution_number: str = ""
    allowed: list[str] = []

    @staticmethod
    def resolve_events(obj: Any) -> list[Any]:
        return list(obj.events.all())

    @staticmethod
    def resolve_resolution_number(obj: Any) -> str:
        return str(obj.motion.resolution_number) if obj.motion_id else ""


class AutonomyProposalIn(Schema):
    community_code: str
    title: str
    body: str
    resident_id: int | None = None


class AutonomyEditIn(Schema):
    title: str
    body: str
    resident_id: int | None = None


class AutonomyResidentIn(Schema):
    resident_id: int | None = None


class AutonomyTextIn(Schema):
    text: str
    resident_id: int | None = None


class AutonomyReviewIn(Schema):
    admit: bool
    reason: str


class AutonomyScheduleIn(Schema):
    meeting_id: int


class AutonomyAssignIn(Schema):
    assignee: str
    deadline: date


class AutonomyScoreIn(Schema):
    score: int
    resident_id: int | None = None


class AutonomyScoreOut(Schema):
    score: int


# ---------------------------------------------------------------- meetings


class AutonomyMeetingIn(Schema):
    community_code: str
    title: str
    agenda: str
    held_on: date | None = None
    notice_on: date | None = None
    location: str = ""
    request_id: int | None = None


class AutonomyMeetingOut(Schema):
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


class AutonomyAttendanceIn(Schema):
    present_ids: list[int]
    committee_present_ids: list[int] = []


class AutonomyCountIn(Schema):
    votes_for: int
    votes_against: int
    abstentions: int


class AutonomyMotionIn(Schema):
    title: str
    text: str = ""
    personnel: bool = False


class AutonomyMotionOut(Schema):
    id: int
    meeting_id: int
    title: str
    secret: bool
    status: str
    votes_for: int
    votes_against: int
    abstentions: int
    counted: bool  # the clerk entered the count of a show of hands or paper ballot
    resolution_number: str
    profile_version: str


class AutonomyVoteIn(Schema):
    choice: str
    representative_id: int | None = None


class AutonomyVoteOut(Schema):
    motion_id: int
    representative_id: int
    secret: bool


class AutonomyMinutesIn(Schema):
    minutes: str


# ---------------------------------------------------------------- evaluation


class AutonomyEvaluationIn(Schema):
    community_code: str
    year: Year
    title: str
    criteria: list[str]
    opens_on: date
    closes_on: date
    departments: list[str] = []


class AutonomyTargetOut(Schema):
    id: int
    kind: str
    name: str


class AutonomyEvaluationOut(Schema):
    id: int
    targets: list[AutonomyTargetOut]


class AutonomyRatingIn(Schema):
    answers: dict[int, dict[str, Any]]
    resident_id: int | None = None


class AutonomyCountedOut(Schema):
    counted: bool


class AutonomyEvaluationClosedOut(Schema):
    id: int
    raters: int
    profile_version: str


class AutonomyResultOut(Schema):
    community_code: str
    kind: str
    name: str
    ratings: int
    fit: int
    basically_fit: int
    unfit: int
    scores: dict[str, float]
    rated_unfit: bool | None
    flagged: bool
    profile_version: str

    @staticmethod
    def resolve_community_code(obj: Any) -> str:
        return str(obj.campaign.community_code)

    @staticmethod
    def resolve_profile_version(obj: Any) -> str:
        return str(obj.campaign.profile_version)


# ---------------------------------------------------------------- disclosure


class AutonomyDisclosureOut(Schema):
    id: int
    community_code: str
    category: str
    status: str
    title: str
    body: str
    period_start: date
    period_end: date
    due_on: date
    published_at: datetime | None
    overdue_flagged_at: datetime | None

    @staticmethod
    def resolve_title(obj: Any) -> str:
        return str(obj.heading)


class AutonomyPlanOut(Schema):
    created: int


class AutonomyPublishIn(Schema):
    body: str
    title: str = ""


class AutonomyMajorIn(Schema):
    community_code: str
    title: str
    body: str


class AutonomyQuestionOut(Schema):
    id: int
    asker: str
    text: str

    @staticmethod
    def resolve_asker(obj: Any) -> str:
        return str(obj.asker_masked)


class AutonomyAnswerIn(Schema):
    answer: str


class AutonomyAnswerOut(Schema):
    id: int
    answer: str


# ---------------------------------------------------------------- recall


class AutonomyRecallIn(Schema):
    community_code: str
    reasons: str
    membership_id: int
    resident_id: int | None = None
    via: str = RecallPetition.Via.VOTERS.value


class AutonomyRecallOut(Schema):
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
    vote_id: int | None = None
    decided_on: date | None = None
    # a re-count announced again that changed the outcome (ADR 0513 §1a): when, and what
    # it did to the term (reinstated, ended_otherwise, succeeded, ended, already_left)
    corrected_on: date | None = None
    correction: str = ""


class AutonomyRecallStationIn(Schema):
    name: str
    place: str = ""
    kind: str = "fixed"


class AutonomyRecallVoteIn(Schema):
    """The recall vote set up in the elections module (ADR 0513): voting day, polling
    stations, and ``on`` for a set-up entered after the fact."""

    voting_day: date
    stations: list[AutonomyRecallStationIn] = []
    on: date | None = None


class AutonomyRecallResultIn(Schema):
    cast: int
    approve: int
    registered: int | None = None
    voted_on: date | None = None


# ---------------------------------------------------------------- requests to convene


class AutonomyRequestIn(Schema):
    community_code: str
    kind: str
    via: str
    subject: str
    resident_id: int | None = None


class AutonomyRequestOut(Schema):
    id: int
    community_code: str
    kind: str
    via: str
    subject: str
    state: str
    base: int
    signatures_needed: int
    signature_count: int
    submitted_on: date | None
    due_on: date | None
    meeting_id: int | None
    notice_on: date | None
    held_on: date | None
    profile_version: str


class AutonomyConvenedIn(Schema):
    notice_on: date | None = None
    held_on: date | None = None
