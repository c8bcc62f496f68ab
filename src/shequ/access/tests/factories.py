"""A small world for the access tests: the shared ``tree`` slice of Jinjiang, a generated
street grid over a corner of it, compounds placed on it and a station."""

from __future__ import annotations

from dataclasses import dataclass

from shequ.access import services
from shequ.access.models import Facility, FacilityKind, Network
from shequ.areas.models import Area
from shequ.areas.tests.factories import Tree, area, make_tree
from shequ.authz import SYSTEM

BBOX = (104.070, 30.600, 104.090, 30.620)
STATION_AT = (104.0750, 30.6045)
# (community, name, residents, households, lon, lat); 锦绣苑 is the tree's own compound
COMPOUNDS = [
    ("510104022009", "芙蓉院", 600, 230, 104.0800, 30.6080),
    ("510104022011", "和美小区", 3000, 1150, 104.0880, 30.6180),
    ("510104022011", "望江苑", 200, 80, 104.0760, 30.6030),
    ("510104037001", "东篱院落", 800, 300, 104.0890, 30.6020),
    ("510104037001", "清风里", 0, 0, 104.0820, 30.6100),
]


def point(lon: float, lat: float) -> dict[str, object]:
    return {"type": "Point", "coordinates": [lon, lat]}


@dataclass
class World:
    tree: Tree
    network: Network
    station: Facility


def make_world(*, with_far: bool = True) -> World:
    tree = make_tree()
    Area.objects.filter(code=tree.compound.code).update(point=point(104.0755, 30.6050))
    for n, (community, name, pop, hh, lon, lat) in enumerate(COMPOUNDS, start=2):
        area(f"{community}{n:03d}", name, Area.objects.get(code=community), population=pop,
             households=hh, point=point(lon, lat))
    if with_far:
        area("510104022011009", "远郊院落", Area.objects.get(code="510104022011"),
             population=50, households=20, point=point(104.1200, 30.6500))
        area("510104037001010", "无坐标院落", Area.objects.get(code="510104037001"),
             population=70, households=30)
    network = services.import_generated(actor=SYSTEM, area_code="510104", bbox=BBOX,
                                        spacing=100, seed=3)
    station = services.save_facility(
        actor=SYSTEM, kind=FacilityKind.STATION, name=tree.station.name,
        area_code=tree.community.code, lon=STATION_AT[0], lat=STATION_AT[1], floor_area=1040,
        station_code=tree.station.code)
    return World(tree, network, station)
