"""``/api/v1/elections``: thin over services and selectors."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Body, Router, Schema

from shequ.elections import selectors, services, tally
from shequ.elections.models import Mode

router = Router()


class PostIn(Schema):
    code: str
    label: str = ""
    seats: int
    women_only: bool = False


class StationIn(Schema):
    name: str
    kind: str = "fixed"
    place: str = ""


class ElectionIn(Schema):
    community_code: str
    voting_day: date
    posts: list[PostIn]
    mode: str = Mode.ALL_VOTERS
    name: str = ""
    profile: str | None = None
    overrides: dict[str, Any] | None = None
    kind: str = "general"
    replaces_id: int | None = None
    stations: list[StationIn] = []


class ElectionOut(Schema):
    id: int
    name: str
    area_code: str
    kind: str
    mode: str
    status: str
    round: int
    voting_day: date
    outcome: str


class VoterIn(Schema):
    basis: str
    reason: str = ""
    resident_id: int | None = None
    identity_number: str | None = None
    group: str = ""


class VoterOut(Schema):
    id: int
    name: str
    sex: str
    basis: str
    reason: str
    group: str
    station_id: int | None
    removed: bool


class ObjectionIn(Schema):
    kind: str
    filed_by: str
    reason: str
    voter_id: int | None = None
    identity_number: str | None = None
    on: date | None = None


class DecisionIn(Schema):
    decision: str
    reason: str
    on: date | None = None


class ProxyIn(Schema):
    principal_id: int
    proxy_id: int
    relation: str


class NominationIn(Schema):
    post: str
    candidate_id: int
    nominator_ids: list[int]
    statement: str = ""


class CandidateOut(Schema):
    id: int
    name: str
    sex: str
    post: str
    state: str


class ReasonIn(Schema):
    reason: str


class TallyIn(Schema):
    issued: int
    returned: int
    posts: dict[str, Any] = {}


class ResolveIn(TallyIn):
    reason: str


class RecountIn(TallyIn):
    reason: str
    station_id: int
    round: int = 1


def _out(e: Any) -> dict[str, Any]:
    return {"id": e.pk, "name": e.name, "area_code": e.area_code, "kind": e.kind, "mode": e.mode,
            "status": e.status, "round": e.round, "voting_day": e.voting_day, "outcome": e.outcome}


def _cand(c: Any) -> dict[str, Any]:
    return {"id": c.pk, "name": c.name, "sex": c.sex, "post": c.post.code, "state": c.state}


@router.get("/", response=list[ElectionOut])
def list_elections(request: HttpRequest, within: str = "") -> list[dict[str, Any]]:
    return [_out(e) for e in selectors.elections(user=request.user, within=within)[:500]]


@router.post("/", response={201: ElectionOut})
def create(request: HttpRequest, payload: ElectionIn) -> tuple[int, dict[str, Any]]:
    data = payload.dict()
    e = services.create_election(actor=request.user, community_code=data["community_code"],
                                 voting_day=data["voting_day"], posts=data["posts"], mode=data["mode"],
                                 name=data["name"], profile=data["profile"], overrides=data["overrides"],
                                 kind=data["kind"], replaces_id=data["replaces_id"],
                                 stations=data["stations"])
    return 201, _out(e)


@router.post("/tally", auth=None)
def independent_tally(request: HttpRequest, payload: dict[str, Any] = Body(...)) -> dict[str, Any]:  # noqa: B008
    """The counting engine over a JSON document (the same as ``shequ elections tally``)."""
    return tally.count_election(payload)


@router.get("/coverage/{code}")
def coverage(request: HttpRequest, code: str) -> dict[str, Any]:
    from shequ import authz

    authz.check(request.user, selectors.VIEW, code)
    return selectors.coverage(code)


@router.get("/public/", auth=None, response=list[ElectionOut])
def public_list(request: HttpRequest, within: str = "") -> list[dict[str, Any]]:
    return [_out(e) for e in selectors.public_elections(within)[:500]]


@router.get("/public/{election_id}", auth=None)
def public_detail(request: HttpRequest, election_id: int) -> dict[str, Any]:
    e = selectors.public_election(election_id)
    res = selectors.announced_result(e)
    return {**_out(e), "candidates": [_cand(c) for c in selectors.candidates(e)
                                      if c.state == "formal"],
            "result": res.result if res else None}


@router.get("/{election_id}")
def detail(request: HttpRequest, election_id: int) -> dict[str, Any]:
    return selectors.election_summary(user=request.user, election_id=election_id)


@router.post("/{election_id}/steps/{action}", response=ElectionOut)
def step(request: HttpRequest, election_id: int, action: str, on: date | None = None) -> dict[str, Any]:
    """A lifecycle step (``states.TRANSITIONS``); ``on`` back-dates a step taken on paper."""
    e = services.transition(actor=request.user, election_id=election_id, action=action, on=on)
    return _out(e)


@router.post("/{election_id}/stations")
def add_station(request: HttpRequest, election_id: int, payload: StationIn) -> dict[str, Any]:
    st = services.add_station(actor=request.user, election_id=election_id, **payload.dict())
    return {"id": st.pk, "name": st.name, "kind": st.kind, "place": st.place}


@router.post("/{election_id}/roll/build")
def build_roll(request: HttpRequest, election_id: int) -> dict[str, int]:
    return services.build_roll(actor=request.user, election_id=election_id)


@router.get("/{election_id}/roll", response=list[VoterOut])
def get_roll(request: HttpRequest, election_id: int) -> list[Any]:
    return list(selectors.roll(selectors.get_election(user=request.user, election_id=election_id)))


@router.post("/{election_id}/roll", response={201: VoterOut})
def add_voter(request: HttpRequest, election_id: int, payload: VoterIn) -> tuple[int, Any]:
    return 201, services.add_voter(actor=request.user, election_id=election_id, **payload.dict())


@router.post("/{election_id}/objections")
def file_objection(request: HttpRequest, election_id: int, payload: ObjectionIn) -> dict[str, Any]:
    o = services.file_objection(actor=request.user, election_id=election_id, **payload.dict())
    return {"id": o.pk, "kind": o.kind, "filed_on": o.filed_on}


@router.post("/objections/{objection_id}/decision")
def decide(request: HttpRequest, objection_id: int, payload: DecisionIn) -> dict[str, Any]:
    o = services.decide_objection(actor=request.user, objection_id=objection_id, **payload.dict())
    return {"id": o.pk, "decision": o.decision, "decided_on": o.decided_on, "late": o.decided_late}


@router.post("/{election_id}/proxies")
def proxy(request: HttpRequest, election_id: int, payload: ProxyIn) -> dict[str, Any]:
    p = services.register_proxy(actor=request.user, election_id=election_id, **payload.dict())
    return {"id": p.pk, "principal_id": p.principal_id, "proxy_id": p.proxy_id}


@router.get("/{election_id}/candidates", response=list[CandidateOut])
def list_candidates(request: HttpRequest, election_id: int) -> list[dict[str, Any]]:
    e = selectors.get_election(user=request.user, election_id=election_id)
    return [_cand(c) for c in selectors.candidates(e)]


@router.post("/{election_id}/candidates", response=CandidateOut)
def nominate(request: HttpRequest, election_id: int, payload: NominationIn) -> dict[str, Any]:
    return _cand(services.nominate(actor=request.user, election_id=election_id, **payload.dict()))


@router.post("/candidates/{candidate_id}/withdraw", response=CandidateOut)
def withdraw(request: HttpRequest, candidate_id: int, payload: ReasonIn) -> dict[str, Any]:
    return _cand(services.withdraw(actor=request.user, candidate_id=candidate_id, reason=payload.reason))


@router.post("/{election_id}/stations/{station_id}/tally")
def enter_tally(request: HttpRequest, election_id: int, station_id: int, payload: TallyIn
                ) -> dict[str, Any]:
    return services.enter_tally(actor=request.user, election_id=election_id, station_id=station_id,
                                data=payload.dict())


@router.post("/{election_id}/stations/{station_id}/resolve")
def resolve(request: HttpRequest, election_id: int, station_id: int, payload: ResolveIn) -> dict[str, Any]:
    data = payload.dict()
    reason = data.pop("reason")
    t = services.resolve_tally(actor=request.user, election_id=election_id, station_id=station_id,
                               data=data, reason=reason)
    return {"station": station_id, "status": "confirmed", "data": t.data}


@router.post("/{election_id}/count")
def count(request: HttpRequest, election_id: int) -> dict[str, Any]:
    return services.count(actor=request.user, election_id=election_id).result


@router.post("/{election_id}/announce", response=ElectionOut)
def announce(request: HttpRequest, election_id: int) -> dict[str, Any]:
    return _out(services.announce(actor=request.user, election_id=election_id))


@router.post("/{election_id}/recount")
def recount(request: HttpRequest, election_id: int, payload: RecountIn) -> dict[str, Any]:
    data = payload.dict()
    r = services.recount(actor=request.user, election_id=election_id, station_id=data.pop("station_id"),
                         round_no=data.pop("round"), reason=data.pop("reason"), data=data)
    return r.result


@router.get("/{election_id}/result")
def result(request: HttpRequest, election_id: int) -> dict[str, Any]:
    e = selectors.get_election(user=request.user, election_id=election_id)
    res = selectors.latest_result(e)
    return {"version": res.version if res else None, "announced": bool(res and res.announced_at),
            "result": res.result if res else None}


@router.get("/{election_id}/announcement.pdf")
def announcement_pdf(request: HttpRequest, election_id: int) -> HttpResponse:
    from shequ.elections.pdf import announcement_pdf as make

    e = selectors.get_election(user=request.user, election_id=election_id)
    return HttpResponse(make(e), content_type="application/pdf")

