"""``/api/v1/elections``: thin over services and selectors. Every route has a response
schema (names prefixed ``Elections…``); lists page with ``@paginate(Cursor)`` and filter
with a ``FilterSchema``."""

# No ``from __future__ import annotations``: ninja reads the list routes' parameter types
# through ``@paginate``'s wrapper, whose module cannot resolve this module's names.
from datetime import date, datetime
from typing import Annotated, Any

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Body, Field, FilterLookup, FilterSchema, Query, Router, Schema
from ninja.pagination import paginate

from shequ import authz
from shequ.core.errors import BusinessError
from shequ.core.pagination import Cursor
from shequ.elections import selectors, services, tally
from shequ.elections.enums import Code, Perm
from shequ.elections.models import Candidate, Election, Kind, Mode, Station, Voter

router = Router()


# ------------------------------------------------------------------ input


class ElectionsPostIn(Schema):
    code: str
    label: str = ""
    seats: int
    women_only: bool = False


class ElectionsStationIn(Schema):
    name: str
    kind: str = Station.Kind.FIXED
    place: str = ""


class ElectionsElectionIn(Schema):
    community_code: str
    voting_day: date
    posts: list[ElectionsPostIn]
    mode: str = Mode.ALL_VOTERS
    name: str = ""
    profile: str | None = None
    overrides: dict[str, Any] | None = None
    kind: str = Kind.GENERAL
    replaces_id: int | None = None
    stations: list[ElectionsStationIn] = []


class ElectionsVoterIn(Schema):
    basis: str
    reason: str = ""
    resident_id: int | None = None
    identity_number: str | None = None
    group: str = ""
    confirmed_on: date | None = Field(None, description="community workers: the election "
                                      "committee's confirmation date (ADR 0609)")
    confirmation: str = Field("", description="community workers: the confirmation's record")


class ElectionsObjectionIn(Schema):
    kind: str
    filed_by: str
    reason: str
    voter_id: int | None = None
    identity_number: str | None = None
    on: date | None = None


class ElectionsDecisionIn(Schema):
    decision: str
    reason: str
    on: date | None = None


class ElectionsProxyIn(Schema):
    principal_id: int
    proxy_id: int
    relation: str


class ElectionsNominationIn(Schema):
    post: str
    candidate_id: int
    nominator_ids: list[int]
    statement: str = ""
    relative_ids: list[int] = Field([], description="residents declared close relatives of the "
                                    "candidate (near-relative avoidance, ADR 0609)")


class ElectionsReasonIn(Schema):
    reason: str


class ElectionsTallyIn(Schema):
    issued: int
    returned: int
    posts: dict[str, Any] = {}


class ElectionsResolveIn(Schema):
    """Either ``fields`` (the checked figure of each differing field only) or a whole
    sheet (``issued``, ``returned``, ``posts``)."""

    reason: str
    fields: dict[str, int] | None = Field(None, description='e.g. {"posts.chair.votes.张建国": 14}')
    issued: int | None = None
    returned: int | None = None
    posts: dict[str, Any] = {}


class ElectionsRecountIn(ElectionsTallyIn):
    reason: str
    station_id: int
    round: int = 1


class ElectionsFilter(FilterSchema):
    within: Annotated[str | None, FilterLookup("area_code__startswith")] = Field(
        None, max_length=15, description="area code prefix")


# ------------------------------------------------------------------ output


class ElectionsElectionOut(Schema):
    id: int
    name: str
    area_code: str
    kind: str
    mode: str
    status: str
    round: int
    voting_day: date
    outcome: str


class ElectionsProfileRefOut(Schema):
    code: str
    version: str | int


class ElectionsCommitteePostOut(Schema):
    post: str
    label: str
    seats: int
    elected: list[str]
    vacant: int


class ElectionsCountOut(Schema):
    """The counting engine's output (``docs/elections.md``)."""

    profile: ElectionsProfileRefOut
    outcome: str
    rounds: list[dict[str, Any]]
    supplementary_ballot: list[dict[str, Any]]
    committee: list[ElectionsCommitteePostOut]


class ElectionsTimelineOut(Schema):
    publish_roll_by: date
    announce_candidates_by: date
    voting_day: date
    objections_until: date | None = None
    decisions_until: date | None = None
    announce_candidates_from: date | None = Field(
        None, description="the first day after the objection window (ADR 0610)")


class ElectionsPostOut(Schema):
    code: str
    label: str
    seats: int
    women_only: bool


class ElectionsStationOut(Schema):
    id: int
    name: str
    kind: str
    place: str


class ElectionsElectionDetailOut(ElectionsElectionOut):
    roll_published_on: date | None
    timeline: ElectionsTimelineOut
    profile: ElectionsProfileRefOut
    posts: list[ElectionsPostOut]
    stations: list[ElectionsStationOut]
    registered: int
    announced_at: datetime | None
    allowed_actions: list[str] = Field(description="steps the caller may take now")
    result: ElectionsCountOut | None


class ElectionsVoterOut(Schema):
    id: int
    name: str
    sex: str
    basis: str
    reason: str
    group: str
    station_id: int | None
    removed: bool


class ElectionsRollBuiltOut(Schema):
    added: int
    already: int
    on_other_roll: int


class ElectionsObjectionOut(Schema):
    id: int
    kind: str
    filed_on: date


class ElectionsDecisionOut(Schema):
    id: int
    decision: str
    decided_on: date | None
    late: bool


class ElectionsProxyOut(Schema):
    id: int
    principal_id: int
    proxy_id: int
    relation: str


class ElectionsCandidateOut(Schema):
    id: int
    name: str
    sex: str
    post: str
    state: str

    @staticmethod
    def resolve_post(obj: Candidate) -> str:
        return obj.post.code


class ElectionsDifferenceOut(Schema):
    field: str
    first: Any
    second: Any


class ElectionsTallyEntryOut(Schema):
    station: int
    entry: int
    status: str
    differences: list[ElectionsDifferenceOut]


class ElectionsResolvedOut(Schema):
    station: int
    status: str
    data: dict[str, Any]


class ElectionsResultOut(Schema):
    version: int | None
    announced: bool
    result: ElectionsCountOut | None


class ElectionsCoverageRowOut(Schema):
    code: str
    name: str
    communities: int
    directly_elected: int
    share: str = Field(description="exact share, 4 decimals")
    target_met: bool = Field(description="the share meets the province's target")


class ElectionsCoverageTargetOut(Schema):
    value: str = Field(description="share spec, e.g. >=4/5")
    display: str
    label: str
    source: str


class ElectionsCoverageOut(ElectionsCoverageRowOut):
    target: ElectionsCoverageTargetOut
    provinces: list[ElectionsCoverageRowOut]
    districts: list[ElectionsCoverageRowOut]
    streets: list[ElectionsCoverageRowOut]


class ElectionsPublicElectionOut(ElectionsElectionOut):
    candidates: list[ElectionsCandidateOut]
    result: ElectionsCountOut | None


PDF = {"responses": {200: {"description": "the results announcement",
                           "content": {"application/pdf": {"schema": {"type": "string",
                                                                      "format": "binary"}}}}}}


# ------------------------------------------------------------------ routes


@router.get("/", response=list[ElectionsElectionOut])
@paginate(Cursor)
def list_elections(request: HttpRequest,
                   filters: Query[ElectionsFilter]) -> QuerySet[Election]:
    return filters.filter(selectors.elections(user=request.user))


@router.post("/", response={201: ElectionsElectionOut})
def create(request: HttpRequest, payload: ElectionsElectionIn) -> tuple[int, Election]:
    data = payload.dict()
    e = services.create_election(actor=request.user, community_code=data["community_code"],
                                 voting_day=data["voting_day"], posts=data["posts"],
                                 mode=data["mode"], name=data["name"], profile=data["profile"],
                                 overrides=data["overrides"], kind=data["kind"],
                                 replaces_id=data["replaces_id"], stations=data["stations"])
    return 201, e


@router.post("/tally", auth=None, response=ElectionsCountOut)
def independent_tally(request: HttpRequest,
                      payload: dict[str, Any] = Body(...)) -> dict[str, Any]:  # noqa: B008
    """The counting engine over a JSON document (the same as ``shequ elections tally``)."""
    return tally.count_election(payload)


@router.get("/coverage/{code}", response=ElectionsCoverageOut)
def coverage(request: HttpRequest, code: str) -> dict[str, Any]:
    authz.check(request.user, Perm.VIEW, code)
    return selectors.coverage(code)


@router.get("/public/", auth=None, response=list[ElectionsElectionOut])
@paginate(Cursor)
def public_list(request: HttpRequest,
                filters: Query[ElectionsFilter]) -> QuerySet[Election]:
    return filters.filter(selectors.public_elections())


@router.get("/public/{election_id}", auth=None, response=ElectionsPublicElectionOut)
def public_detail(request: HttpRequest, election_id: int) -> dict[str, Any]:
    e = selectors.public_election(election_id)
    res = selectors.announced_result(e)
    return {**_out(e), "candidates": list(selectors.formal_candidates(e)),
            "result": res.result if res else None}


def _out(e: Election) -> dict[str, Any]:
    return {"id": e.pk, "name": e.name, "area_code": e.area_code, "kind": e.kind,
            "mode": e.mode, "status": e.status, "round": e.round, "voting_day": e.voting_day,
            "outcome": e.outcome}


@router.get("/{election_id}", response=ElectionsElectionDetailOut)
def detail(request: HttpRequest, election_id: int) -> dict[str, Any]:
    return selectors.election_summary(user=request.user, election_id=election_id)


@router.post("/{election_id}/steps/{action}", response=ElectionsElectionOut)
def step(request: HttpRequest, election_id: int, action: str, on: date | None = None) -> Election:
    """A lifecycle step (``lifecycles.ELECTION``); ``on`` back-dates a step taken on paper
    (ADR 0603), for ``announce`` too."""
    return services.transition(actor=request.user, election_id=election_id, action=action, on=on)


@router.post("/{election_id}/stations", response=ElectionsStationOut)
def add_station(request: HttpRequest, election_id: int, payload: ElectionsStationIn) -> Station:
    return services.add_station(actor=request.user, election_id=election_id, **payload.dict())


@router.post("/{election_id}/roll/build", response=ElectionsRollBuiltOut)
def build_roll(request: HttpRequest, election_id: int) -> dict[str, int]:
    return services.build_roll(actor=request.user, election_id=election_id)


@router.get("/{election_id}/roll", response=list[ElectionsVoterOut])
@paginate(Cursor)
def get_roll(request: HttpRequest, election_id: int) -> QuerySet[Voter]:
    return selectors.roll(selectors.get_election(user=request.user, election_id=election_id))


@router.post("/{election_id}/roll", response={201: ElectionsVoterOut})
def add_voter(request: HttpRequest, election_id: int, payload: ElectionsVoterIn) -> tuple[int, Any]:
    return 201, services.add_voter(actor=request.user, election_id=election_id, **payload.dict())


@router.post("/{election_id}/objections", response=ElectionsObjectionOut)
def file_objection(request: HttpRequest, election_id: int, payload: ElectionsObjectionIn) -> Any:
    return services.file_objection(actor=request.user, election_id=election_id, **payload.dict())


@router.post("/objections/{objection_id}/decision", response=ElectionsDecisionOut)
def decide(request: HttpRequest, objection_id: int, payload: ElectionsDecisionIn) -> dict[str, Any]:
    o = services.decide_objection(actor=request.user, objection_id=objection_id, **payload.dict())
    return {"id": o.pk, "decision": o.decision, "decided_on": o.decided_on, "late": o.decided_late}


@router.post("/{election_id}/proxies", response=ElectionsProxyOut)
def proxy(request: HttpRequest, election_id: int, payload: ElectionsProxyIn) -> Any:
    return services.register_proxy(actor=request.user, election_id=election_id, **payload.dict())


@router.get("/{election_id}/candidates", response=list[ElectionsCandidateOut])
@paginate(Cursor)
def list_candidates(request: HttpRequest, election_id: int) -> QuerySet[Candidate]:
    return selectors.candidates(selectors.get_election(user=request.user, election_id=election_id))


@router.post("/{election_id}/candidates", response=ElectionsCandidateOut)
def nominate(request: HttpRequest, election_id: int, payload: ElectionsNominationIn) -> Candidate:
    return services.nominate(actor=request.user, election_id=election_id, **payload.dict())


@router.post("/candidates/{candidate_id}/withdraw", response=ElectionsCandidateOut)
def withdraw(request: HttpRequest, candidate_id: int, payload: ElectionsReasonIn) -> Candidate:
    return services.withdraw(actor=request.user, candidate_id=candidate_id, reason=payload.reason)


@router.post("/{election_id}/stations/{station_id}/tally", response=ElectionsTallyEntryOut)
def enter_tally(request: HttpRequest, election_id: int, station_id: int,
                payload: ElectionsTallyIn) -> dict[str, Any]:
    return services.enter_tally(actor=request.user, election_id=election_id,
                                station_id=station_id, data=payload.dict())


@router.post("/{election_id}/stations/{station_id}/resolve", response=ElectionsResolvedOut)
def resolve(request: HttpRequest, election_id: int, station_id: int,
            payload: ElectionsResolveIn) -> dict[str, Any]:
    data = payload.dict()
    reason, fields = data.pop("reason"), data.pop("fields")
    if fields is None and (data["issued"] is None or data["returned"] is None):
        raise BusinessError(_("Give the checked figures of the differing fields, or the whole "
                              "sheet."), code=Code.TALLY_MALFORMED)
    t = services.resolve_tally(actor=request.user, election_id=election_id, station_id=station_id,
                               data=None if fields is not None else data, fields=fields,
                               reason=reason)
    return {"station": station_id, "status": "confirmed", "data": t.data}


@router.post("/{election_id}/count", response=ElectionsCountOut)
def count(request: HttpRequest, election_id: int) -> dict[str, Any]:
    return services.count(actor=request.user, election_id=election_id).result


@router.post("/{election_id}/announce", response=ElectionsElectionOut)
def announce(request: HttpRequest, election_id: int) -> Election:
    """Announce the counted result today (``POST /steps/announce?on=…`` back-dates)."""
    return services.announce(actor=request.user, election_id=election_id)


@router.post("/{election_id}/recount", response=ElectionsCountOut)
def recount(request: HttpRequest, election_id: int, payload: ElectionsRecountIn) -> dict[str, Any]:
    data = payload.dict()
    r = services.recount(actor=request.user, election_id=election_id,
                         station_id=data.pop("station_id"), round_no=data.pop("round"),
                         reason=data.pop("reason"), data=data)
    return r.result


@router.get("/{election_id}/result", response=ElectionsResultOut)
def result(request: HttpRequest, election_id: int) -> dict[str, Any]:
    e = selectors.get_election(user=request.user, election_id=election_id)
    res = selectors.latest_result(e)
    return {"version": res.version if res else None, "announced": bool(res and res.announced_at),
            "result": res.result if res else None}


@router.get("/{election_id}/announcement.pdf", openapi_extra=PDF)
def announcement_pdf(request: HttpRequest, election_id: int) -> HttpResponse:
    from shequ.elections.documents import announcement

    e = selectors.get_election(user=request.user, election_id=election_id)
    return HttpResponse(announcement(e, request.user), content_type="application/pdf")
