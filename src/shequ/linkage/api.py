"""``/api/v1/linkage``: needs, ranked candidates with their explanation, invitations and
engagement steps, social workers' profiles. Thin: schema in, service or selector, out."""

from datetime import date
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from ninja import Field, FilterSchema, Query, Router, Schema, Status
from ninja.pagination import paginate

from shequ.core.pagination import Cursor
from shequ.linkage import explain, selectors, services
from shequ.linkage.models import Engagement, Need

router = Router()


class LinkageNeedIn(Schema):
    area_code: str = Field(..., description="the community (12 digits)")
    category: str
    title: str
    description: str
    address: str
    beneficiaries: int
    wanted_from: date
    wanted_to: date
    budget_fen: int | None = Field(None, description="empty when volunteers only")
    volunteer_only: bool = False
    providers: str = Field("both", description="both, orgs or workers")
    lat_e6: int | None = None
    lon_e6: int | None = None


class LinkageNeedOut(Schema):
    id: int
    area_code: str
    category: str
    title: str
    address: str
    beneficiaries: int
    budget_fen: int | None
    volunteer_only: bool
    providers: str
    wanted_from: date
    wanted_to: date
    posted_on: date
    state: str


class LinkageNeedFilter(FilterSchema):
    state: str | None = None
    category: str | None = None


@router.get("/needs", response=list[LinkageNeedOut], summary="Needs in your scope")
@paginate(Cursor)
def needs(request: HttpRequest, filters: Query[LinkageNeedFilter]) -> Any:
    return selectors.needs(user=request.user, state=filters.state or "",
                           category=filters.category or "")


@router.post("/needs", response={201: LinkageNeedOut}, summary="Post a community need")
def post_need(request: HttpRequest, payload: LinkageNeedIn) -> Status[Need]:
    return Status(201, services.post_need(actor=request.user, **payload.dict()))


@router.get("/needs/{int:need_id}", response=LinkageNeedOut, summary="One need")
def get_need(request: HttpRequest, need_id: int) -> Need:
    return selectors.get_need(user=request.user, need_id=need_id)


class LinkageFactorOut(Schema):
    factor: str
    label: str
    figure: str
    score: Decimal
    weight: Decimal
    points: Decimal
    arithmetic: str


class LinkageCandidateOut(Schema):
    kind: str
    id: int
    name: str
    detail: str
    total: Decimal
    distance_m: int | None
    invited: bool
    factors: list[LinkageFactorOut]


class LinkageRankingOut(Schema):
    need_id: int
    rules_version: str
    candidates: list[LinkageCandidateOut]


@router.get("/needs/{int:need_id}/candidates", response=LinkageRankingOut,
            summary="Ranked providers with each factor's contribution")
def candidates(request: HttpRequest, need_id: int, limit: int | None = None
               ) -> LinkageRankingOut:
    need = selectors.get_need(user=request.user, need_id=need_id)
    ranked, version = selectors.candidates(need, limit=max(1, min(limit, 200)) if limit else None)
    out = []
    for c in ranked:
        lines = {line["factor"]: line for line in explain.lines(c.ranked)}
        out.append(LinkageCandidateOut(
            kind=c.ranked.kind, id=c.ranked.id, name=c.name, detail=c.detail,
            total=c.ranked.total, invited=c.invited,
            distance_m=round(c.ranked.distance_m) if c.ranked.distance_m is not None else None,
            factors=[LinkageFactorOut(factor=f.key, label=lines[f.key]["label"],
                                      figure=lines[f.key]["figure"], score=f.score,
                                      weight=f.weight, points=f.points,
                                      arithmetic=lines[f.key]["arithmetic"])
                     for f in c.ranked.factors]))
    return LinkageRankingOut(need_id=need.pk, rules_version=version, candidates=out)


class LinkageInviteIn(Schema):
    kind: str = Field(..., description="org or worker")
    provider_id: int
    note: str = ""


class LinkageEngagementOut(Schema):
    id: int
    need_id: int
    kind: str
    org_id: int | None
    worker_id: int | None
    provider_name: str
    state: str
    invited_on: date
    responded_on: date | None
    started_on: date | None
    completed_on: date | None
    hours: int
    served: int
    rating: int | None
    score: Decimal
    explanation: list[dict[str, Any]]


@router.post("/needs/{int:need_id}/invitations", response={201: LinkageEngagementOut},
             summary="Invite a provider (its explanation is kept with the invitation)")
def invite(request: HttpRequest, need_id: int, payload: LinkageInviteIn
           ) -> Status[Engagement]:
    return Status(201, services.invite(actor=request.user, need_id=need_id, **payload.dict()))


class LinkageIdOut(Schema):
    id: int
    state: str


@router.post("/needs/{int:need_id}/steps/{action}", response=LinkageIdOut, summary="close, cancel")
def need_step(request: HttpRequest, need_id: int, action: str) -> Need:
    return services.need_step(actor=request.user, need_id=need_id, action=action)


class LinkageStepIn(Schema):
    hours: int = 0
    served: int = 0
    rating: int | None = None
    feedback: str = ""
    note: str = ""


@router.post("/engagements/{int:engagement_id}/steps/{action}", response=LinkageEngagementOut,
             summary="accept, decline, withdraw, start, complete, abandon, feedback")
def engagement_step(request: HttpRequest, engagement_id: int, action: str,
                    payload: LinkageStepIn) -> Engagement:
    selectors.get_engagement(user=request.user, engagement_id=engagement_id)
    return services.engagement_step(actor=request.user, engagement_id=engagement_id,
                                    action=action, **payload.dict())


@router.get("/invitations", response=list[LinkageEngagementOut],
            summary="Invitations of the organisations you act for")
@paginate(Cursor)
def invitations(request: HttpRequest, open_only: bool = False) -> Any:
    return selectors.invitations(user=request.user, open_only=open_only)


class LinkageWorkerIn(Schema):
    staff_id: int
    categories: list[str]
    capacity: int = 2
    lat_e6: int | None = None
    lon_e6: int | None = None
    available: bool = True


class LinkageWorkerOut(Schema):
    id: int
    staff_id: int
    area_code: str
    categories: list[str]
    capacity: int
    available: bool


@router.post("/workers", response=LinkageWorkerOut, summary="Save a social worker's profile")
def save_worker(request: HttpRequest, payload: LinkageWorkerIn) -> Any:
    return services.save_worker(actor=request.user, **payload.dict())
