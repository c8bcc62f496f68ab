"""``/api/v1/areas``: divisions, their children, figures, history and stations."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from shequ.areas import facade, selectors, services
from shequ.areas.models import Area
from shequ.core.pagination import Cursor

router = Router()


class AreasAreaOut(Schema):
    code: str
    name: str
    level: str
    parent_code: str | None = Field(None, alias="parent_id")
    kind: str
    valid_from: date | None
    valid_to: date | None
    population: int | None
    households: int | None


class AreasAreaDetailOut(AreasAreaOut):
    boundary: dict[str, Any] | None
    point: dict[str, Any] | None


class AreasFiguresOut(Schema):
    code: str
    streets: int
    communities: int
    compounds: int
    stations: int
    population: int | None
    households: int | None


class AreasSuccessionOut(Schema):
    predecessor: str = Field(..., alias="predecessor_id")
    successor: str = Field(..., alias="successor_id")
    kind: str
    effective: date
    note: str


class AreasStationOut(Schema):
    code: str
    name: str
    community_code: str = Field(..., alias="community_id")
    address: str
    phone: str
    opening_hours: str
    serves: list[str]

    @staticmethod
    def resolve_serves(obj: Any) -> list[str]:
        return [a.code for a in obj.serves.all()]


@router.get("", response=list[AreasAreaOut], summary="Areas in your scope")
@paginate(Cursor)
def list_areas(request: HttpRequest, level: str | None = None,
               include_history: bool = False) -> Any:
    return selectors.areas_in_scope(user=request.user, level=level,
                                    current_only=not include_history).order_by("code")


@router.get("/{code}", response=AreasAreaDetailOut, summary="One area")
def get_area(request: HttpRequest, code: str) -> Area:
    return selectors.get_area(user=request.user, code=code)


@router.get("/{code}/children", response=list[AreasAreaOut], summary="Areas directly below")
def children(request: HttpRequest, code: str, on: date | None = None) -> list[Area]:
    return selectors.children(user=request.user, code=code, on=on)


@router.get("/{code}/figures", response=AreasFiguresOut, summary="Counts, residents and households")
def figures(request: HttpRequest, code: str) -> AreasFiguresOut:
    f = selectors.figures(user=request.user, code=code)
    return AreasFiguresOut(code=f.area.code, streets=f.streets, communities=f.communities,
                      compounds=f.compounds, stations=f.stations, population=f.population,
                      households=f.households)


@router.get("/{code}/resolve", response=list[AreasAreaOut],
            summary="The current area(s) an old code stands for")
def resolve(request: HttpRequest, code: str, on: date | None = None) -> list[Area]:
    selectors.get_area(user=request.user, code=code)
    return selectors.resolve(code, on)


@router.get("/{code}/history", response=list[AreasSuccessionOut], summary="Division changes")
def history(request: HttpRequest, code: str) -> list[Any]:
    selectors.get_area(user=request.user, code=code)
    return selectors.history(code)


class AreasDepartmentOut(Schema):
    id: int
    name: str
    category: str = Field(..., description="public_service | social_management | "
                          "social_service | enforcement ('' for a zone committee's)")
    area_code: str = Field(..., description="the street's code (the district's for a zone "
                           "committee's department)")
    duties: list[str] = Field(..., description="duty keys (areas.DutyCode)")

    @staticmethod
    def resolve_duties(obj: Any) -> list[str]:
        return [d.code for d in obj.duties.all()]


@router.get("/{code}/departments", response=list[AreasDepartmentOut],
            summary="A street office's current departments (科室)")
def departments(request: HttpRequest, code: str) -> list[Any]:
    area = selectors.get_area(user=request.user, code=code)
    return facade.departments_of(facade.office_code(area.level, area.code))


@router.get("/{code}/stations", response=list[AreasStationOut], auth=None,
            summary="Service stations in an area (public)")
@paginate(Cursor)
def stations(request: HttpRequest, code: str) -> Any:
    selectors.require(code)
    return selectors.stations(within=code).order_by("code")


MAX_FIGURE = 200_000_000  # more people than any province has


class AreasFiguresIn(Schema):
    population: int | None = Field(None, ge=0, le=MAX_FIGURE)
    households: int | None = Field(None, ge=0, le=MAX_FIGURE)


class AreasGeometryIn(Schema):
    boundary: dict[str, Any] | None = None
    point: dict[str, Any] | None = None


class AreasCompoundIn(Schema):
    name: str = Field(..., min_length=1, max_length=100)
    households: int | None = Field(None, ge=0, le=MAX_FIGURE)
    population: int | None = Field(None, ge=0, le=MAX_FIGURE)
    point: dict[str, Any] | None = None


@router.patch("/{code}/figures", response=AreasAreaOut, summary="Set residents and households")
def set_figures(request: HttpRequest, code: str, payload: AreasFiguresIn) -> Area:
    return services.update_figures(actor=request.user, code=code, population=payload.population,
                                   households=payload.households)


@router.put("/{code}/geometry", response=AreasAreaDetailOut,
            summary="Set the boundary (Polygon/MultiPolygon) and/or point (GeoJSON, WGS 84)")
def set_geometry(request: HttpRequest, code: str, payload: AreasGeometryIn) -> Area:
    return services.set_geometry(actor=request.user, code=code, boundary=payload.boundary,
                                 point=payload.point)


@router.post("/{code}/compounds", response={201: AreasAreaOut}, summary="Add a compound to a community")
def add_compound(request: HttpRequest, code: str, payload: AreasCompoundIn) -> Status[Area]:
    compound = services.create_compound(actor=request.user, community_code=code,
                                        name=payload.name, households=payload.households,
                                        population=payload.population, point=payload.point)
    return Status(201, compound)
