"""``/api/v1/access``: networks, facilities, coverage analyses and siting answers.
Requests that need heavy work (an analysis, a siting question) return the queued row;
poll it until its ``state`` is ``done``."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from shequ.access import selectors, services
from shequ.access.models import FacilityKind, SitingKind
from shequ.access.texts import render
from shequ.core.pagination import Cursor

router = Router()


class AccessNetworkOut(Schema):
    id: int
    area_code: str
    version: int
    source: str
    state: str
    file_name: str
    nodes: int
    edges: int
    islands: int
    problem: str = ""

    @staticmethod
    def resolve_problem(obj: Any) -> str:
        return render(obj.report.get("problem"))


class AccessFacilityOut(Schema):
    id: int
    kind: str
    name: str
    area_code: str
    lon: float
    lat: float
    floor_area: int


class AccessFacilityIn(Schema):
    kind: FacilityKind
    name: str = Field(..., max_length=100)
    area_code: str = Field(..., pattern=r"^\d{12}$")
    lon: float
    lat: float
    floor_area: int = Field(0, ge=0, le=100_000)


class AccessAnalysisIn(Schema):
    area_code: str = Field(..., pattern=r"^\d{6}(\d{3}(\d{3})?)?$")
    speed: int | None = Field(None, ge=30, le=120, description="metres per minute")


class AccessAnalysisOut(Schema):
    id: int
    area_code: str
    state: str
    network_version: int
    generated_network: bool
    facilities_on: date | None
    speed: int
    bands: list[int]
    profile_version: str
    summary: dict[str, Any]
    problems: list[str]
    requested_at: datetime

    @staticmethod
    def resolve_network_version(obj: Any) -> int:
        return int(obj.network.version)

    @staticmethod
    def resolve_generated_network(obj: Any) -> bool:
        return selectors.generated(obj)

    @staticmethod
    def resolve_problems(obj: Any) -> list[str]:
        return selectors.problems(obj)


class AccessAreaOut(Schema):
    area_code: str
    level: str
    name: str
    population: int
    within: list[int]
    shares: list[float | None]
    compounds: int
    outside: int
    communities: int
    with_facility: int
    area_ok: int
    floor_area: int
    households: int

    @staticmethod
    def resolve_within(obj: Any) -> list[int]:
        return [obj.within_1, obj.within_2, obj.within_3]

    @staticmethod
    def resolve_shares(obj: Any) -> list[float | None]:
        return [obj.share_1, obj.share_2, obj.share_3]


class AccessCompoundOut(Schema):
    area_code: str
    name: str
    population: int
    snapped: bool
    station_minutes: float | None
    station_name: str
    minutes: dict[str, float | None]


class AccessSitingIn(Schema):
    kind: SitingKind
    k: int | None = Field(None, ge=1, le=50)
    band: int | None = Field(None, ge=1, le=90)
    time_limit: int = Field(60, ge=1, le=600)
    within: str = Field("", pattern=r"^(\d{6}(\d{3}(\d{3})?)?)?$",
                        description="only the compounds of this area (default: all)")


class AccessSiteOut(Schema):
    lon: float
    lat: float
    near: str
    population: int
    compounds: list[str]


class AccessSitingOut(Schema):
    id: int
    analysis_id: int
    kind: str
    k: int | None
    band: int
    state: str
    outcome: str
    proven_optimal: bool
    objective: float | None
    greedy_objective: float | None
    gap: float | None
    bound: float | None
    candidates: int
    chosen: list[AccessSiteOut]
    greedy: list[AccessSiteOut]
    uncoverable: list[dict[str, Any]]
    problems: list[str]

    @staticmethod
    def resolve_proven_optimal(obj: Any) -> bool:
        return obj.outcome == "optimal"

    @staticmethod
    def resolve_problems(obj: Any) -> list[str]:
        return selectors.problems(obj)


@router.get("/networks", response=list[AccessNetworkOut])
@paginate(Cursor)
def networks(request: HttpRequest) -> Any:
    return selectors.networks(user=request.user)


@router.get("/facilities", response=list[AccessFacilityOut])
@paginate(Cursor)
def facilities(request: HttpRequest, within: str = "", kind: str = "") -> Any:
    return selectors.facilities(user=request.user, within=within, kind=kind)


@router.post("/facilities", response={201: AccessFacilityOut})
def add_facility(request: HttpRequest, payload: AccessFacilityIn) -> Any:
    data = payload.dict()
    data["kind"] = str(data["kind"])
    return Status(201, services.save_facility(actor=request.user, **data))


@router.get("/analyses", response=list[AccessAnalysisOut])
@paginate(Cursor)
def analyses(request: HttpRequest, within: str = "") -> Any:
    return selectors.analyses(user=request.user, within=within)


@router.post("/analyses", response={202: AccessAnalysisOut})
def request_analysis(request: HttpRequest, payload: AccessAnalysisIn) -> Any:
    return Status(202, services.request_analysis(actor=request.user,
                                                 area_code=payload.area_code, speed=payload.speed))


@router.get("/analyses/{pk}", response=AccessAnalysisOut)
def analysis(request: HttpRequest, pk: int, within: str = "") -> Any:
    return selectors.analysis(user=request.user, pk=pk, within=within)


@router.get("/analyses/{pk}/areas", response=list[AccessAreaOut])
@paginate(Cursor)
def analysis_areas(request: HttpRequest, pk: int, within: str = "") -> Any:
    found = selectors.analysis(user=request.user, pk=pk, within=within)
    return found.areas.filter(area_code__startswith=within).order_by("area_code")


@router.get("/analyses/{pk}/compounds", response=list[AccessCompoundOut])
@paginate(Cursor)
def analysis_compounds(request: HttpRequest, pk: int, within: str = "",
                       outside: bool = False) -> Any:
    found = selectors.analysis(user=request.user, pk=pk, within=within)
    if outside:
        return list(selectors.outside(found, within))
    return selectors.compounds(found, within)


@router.post("/analyses/{pk}/siting", response={202: AccessSitingOut})
def request_siting(request: HttpRequest, pk: int, payload: AccessSitingIn) -> Any:
    selectors.analysis(user=request.user, pk=pk, within=payload.within)
    return Status(202, services.request_siting(
        actor=request.user, analysis_id=pk, kind=str(payload.kind), k=payload.k,
        band=payload.band, time_limit=payload.time_limit, within=payload.within))


@router.get("/siting/{pk}", response=AccessSitingOut)
def siting(request: HttpRequest, pk: int) -> Any:
    return selectors.siting(user=request.user, pk=pk)
