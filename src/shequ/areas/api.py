"""``/api/v1/areas``: divisions, their children, figures, history and stations."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status

from shequ.areas import selectors, services
from shequ.areas.models import Area

router = Router()


class AreaOut(Schema):
    code: str
    name: str
    level: str
    parent_code: str | None = Field(None, alias="parent_id")
    kind: str
    valid_from: date | None
    valid_to: date | None
    population: int | None
    households: int | None


class AreaDetailOut(AreaOut):
    boundary: dict[str, Any] | None
    point: dict[str, Any] | None


class FiguresOut(Schema):
    code: str
    streets: int
    communities: int
    compounds: int
    stations: int
    population: int | None
    households: int | None


class SuccessionOut(Schema):
    predecessor: str = Field(..., alias="predecessor_id")
    successor: str = Field(..., alias="successor_id")
    kind: str
    effective: date
    note: str


class StationOut(Schema):
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


@router.get("", response=list[AreaOut], summary="Areas in your scope")
def list_areas(request: HttpRequest, level: str | None = None,
               include_history: bool = False) -> list[Area]:
    qs = selectors.areas_in_scope(user=request.user, level=level,
                                  current_only=not include_history)
    return list(qs[:5000])


@router.get("/{code}", response=AreaDetailOut, summary="One area")
def get_area(request: HttpRequest, code: str) -> Area:
    return selectors.get_area(user=request.user, code=code)


@router.get("/{code}/children", response=list[AreaOut], summary="Areas directly below")
def children(request: HttpRequest, code: str, on: date | None = None) -> list[Area]:
    return selectors.children(user=request.user, code=code, on=on)


@router.get("/{code}/figures", response=FiguresOut, summary="Counts, residents and households")
def figures(request: HttpRequest, code: str) -> FiguresOut:
    f = selectors.figures(user=request.user, code=code)
    return FiguresOut(code=f.area.code, streets=f.streets, communities=f.communities,
                      compounds=f.compounds, stations=f.stations, population=f.population,
                      households=f.households)


@router.get("/{code}/resolve", response=list[AreaOut],
            summary="The current area(s) an old code stands for")
def resolve(request: HttpRequest, code: str, on: date | None = None) -> list[Area]:
    selectors.get_area(user=request.user, code=code)
    return selectors.resolve(code, on)


@router.get("/{code}/history", response=list[SuccessionOut], summary="Division changes")
def history(request: HttpRequest, code: str) -> list[Any]:
    selectors.get_area(user=request.user, code=code)
    return selectors.history(code)


@router.get("/{code}/stations", response=list[StationOut], auth=None,
            summary="Service stations in an area (public)")
def stations(request: HttpRequest, code: str) -> list[Any]:
    selectors.require(code)
    return list(selectors.stations(within=code))


class FiguresIn(Schema):
    population: int | None = None
    households: int | None = None


class GeometryIn(Schema):
    boundary: dict[str, Any] | None = None
    point: dict[str, Any] | None = None


class CompoundIn(Schema):
    name: str
    households: int | None = None
    population: int | None = None
    point: dict[str, Any] | None = None


@router.patch("/{code}/figures", response=AreaOut, summary="Set residents and households")
def set_figures(request: HttpRequest, code: str, payload: FiguresIn) -> Area:
    return services.update_figures(actor=request.user, code=code, population=payload.population,
                                   households=payload.households)


@router.put("/{code}/geometry", response=AreaDetailOut,
            summary="Set the boundary (Polygon/MultiPolygon) and/or point (GeoJSON, WGS 84)")
def set_geometry(request: HttpRequest, code: str, payload: GeometryIn) -> Area:
    return services.set_geometry(actor=request.user, code=code, boundary=payload.boundary,
                                 point=payload.point)


@router.post("/{code}/compounds", response={201: AreaOut}, summary="Add a compound to a community")
def add_compound(request: HttpRequest, code: str, payload: CompoundIn) -> Status[Area]:
    compound = services.create_compound(actor=request.user, community_code=code,
                                        name=payload.name, households=payload.households,
                                        population=payload.population, point=payload.point)
    return Status(201, compound)
