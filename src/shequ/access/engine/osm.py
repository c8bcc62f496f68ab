"""Reading a walking network from an OpenStreetMap ``.pbf`` extract (pyosmium).

Which ways one may walk on follows OSMnx's "walk" filter (the reference most studies of
walking access use): every ``highway`` except motorways, cycleways and roads that do not
exist yet or any more, without ``area=yes``, ``foot=no``, ``service=private`` or a
private ``access`` that ``foot`` does not lift. Every way is cut into its segments
between consecutive nodes; a segment's length is the great-circle distance of its ends.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from shequ.access.engine.network import WalkNetwork, dedupe_edges, haversine_m

EXCLUDED_HIGHWAYS = frozenset({
    "abandoned", "bus_guideway", "construction", "cycleway", "motorway", "motorway_link",
    "no", "planned", "platform", "proposed", "raceway", "razed", "bus_stop", "services",
    "rest_area", "elevator", "corridor",
})
FOOT_ALLOWED = frozenset({"yes", "designated", "permissive", "official"})
PBF_MAGIC = b"OSMHeader"


class PbfError(Exception):
    """The file is not a readable OSM extract, or holds no walkable way. ``reason`` is a
    key the service turns into a sentence; ``detail`` is what the reader said."""

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason
        self.detail = detail


def walkable(tags: dict[str, str]) -> bool:
    highway = tags.get("highway")
    if not highway or highway in EXCLUDED_HIGHWAYS:
        return False
    if tags.get("area") == "yes":
        return False
    foot = tags.get("foot", "")
    if foot == "no":
        return False
    if tags.get("service") == "private":
        return False
    return not (tags.get("access") in {"private", "no"} and foot not in FOOT_ALLOWED)


@dataclass
class ReadStats:
    ways: int = 0
    walkable_ways: int = 0
    segments_without_location: int = 0


def read_pbf(path: Path, progress: Callable[[int], object] | None = None,
             stats: ReadStats | None = None) -> WalkNetwork:
    """The walking network of ``path``; :class:`PbfError` for a missing, empty, broken
    or truncated file or one without a walkable way."""
    import osmium

    path = Path(path)
    if not path.is_file():
        raise PbfError("missing", str(path))
    size = path.stat().st_size
    if size == 0:
        raise PbfError("empty")
    with path.open("rb") as fh:
        head = fh.read(64)
    if PBF_MAGIC not in head:
        raise PbfError("not_pbf")
    stats = stats if stats is not None else ReadStats()
    ids: list[int] = []
    lons: list[float] = []
    lats: list[float] = []
    index: dict[int, int] = {}
    us: list[int] = []
    vs: list[int] = []
    names: list[str] = []
    try:
        processor = (osmium.FileProcessor(str(path))
                     .with_locations()
                     .with_filter(osmium.filter.KeyFilter("highway")))
        for obj in processor:
            if not isinstance(obj, osmium.osm.Way):
                continue
            way = obj
            stats.ways += 1
            tags = dict(way.tags)
            if not walkable(tags):
                continue
            stats.walkable_ways += 1
            name = tags.get("name:zh") or tags.get("name") or ""
            prev = -1
            for node in way.nodes:
                loc = node.location
                if not loc.valid():
                    stats.segments_without_location += 1
                    prev = -1
                    continue
                i = index.get(node.ref)
                if i is None:
                    i = len(ids)
                    index[node.ref] = i
                    ids.append(node.ref)
                    lons.append(loc.lon)
                    lats.append(loc.lat)
                if prev >= 0:
                    us.append(prev)
                    vs.append(i)
                    names.append(name)
                prev = i
            if progress is not None and stats.walkable_ways % 1000 == 0:
                progress(stats.walkable_ways)
    except RuntimeError as exc:  # libosmium's own words: "PBF error: unexpected EOF"
        raise PbfError("unreadable", str(exc)) from None
    if not us:
        raise PbfError("no_walkable_ways")
    lon = np.asarray(lons, dtype=np.float64)
    lat = np.asarray(lats, dtype=np.float64)
    u_arr = np.asarray(us, dtype=np.int64)
    v_arr = np.asarray(vs, dtype=np.int64)
    length = haversine_m(lon[u_arr], lat[u_arr], lon[v_arr], lat[v_arr])
    u2, v2, l2, n2 = dedupe_edges(u_arr, v_arr, length, names)
    return WalkNetwork(osm_id=np.asarray(ids, dtype=np.int64), lon=lon, lat=lat, u=u2, v=v2,
                       length=l2, edge_name=n2)
