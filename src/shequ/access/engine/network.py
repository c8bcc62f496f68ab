"""A walking network as plain arrays: nodes (OSM id, longitude, latitude) and undirected
edges (node index pairs with their length in metres).

Stored as a compressed ``.npz`` blob (a network of a district is a few hundred
kilobytes; see ADR 0801). The sparse graph for shortest paths is built from these
arrays in one pass (:meth:`WalkNetwork.csr`), so nothing but the arrays is kept.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
from scipy import sparse
from scipy.sparse.csgraph import connected_components

EARTH_RADIUS_M = 6_371_008.8


def haversine_m(lon1: np.ndarray, lat1: np.ndarray, lon2: np.ndarray,
                lat2: np.ndarray) -> np.ndarray:
    """Great-circle distance in metres (vectorised)."""
    p1, p2 = np.radians(lat1), np.radians(lat2)
    dphi = p2 - p1
    dlmb = np.radians(lon2 - lon1)
    a = np.sin(dphi / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dlmb / 2) ** 2
    return 2 * EARTH_RADIUS_M * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0)))


def ecef(lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
    """Points on the sphere in metres (x, y, z): straight-line distances between them
    equal great-circle distances to well under a millimetre at walking scale, anywhere
    on Earth, so one KD-tree serves a whole province."""
    lo, la = np.radians(lon), np.radians(lat)
    return np.column_stack([EARTH_RADIUS_M * np.cos(la) * np.cos(lo),
                            EARTH_RADIUS_M * np.cos(la) * np.sin(lo),
                            EARTH_RADIUS_M * np.sin(la)])


@dataclass
class Island:
    """A part of the network not connected to its largest part."""

    component: int
    nodes: int
    lon: float
    lat: float
    name: str  # a street name in it ("" when none is named)
    node: int  # the OSM id of one of its nodes, to find it when it has no name


@dataclass
class WalkNetwork:
    osm_id: np.ndarray   # int64, one per node
    lon: np.ndarray      # float64
    lat: np.ndarray      # float64
    u: np.ndarray        # int32 node index
    v: np.ndarray        # int32 node index
    length: np.ndarray   # float64 metres
    edge_name: list[str] = field(default_factory=list)  # one per edge ("" when unnamed)

    def __post_init__(self) -> None:
        self.u = np.asarray(self.u, dtype=np.int32)
        self.v = np.asarray(self.v, dtype=np.int32)
        self.length = np.asarray(self.length, dtype=np.float64)

    @property
    def n_nodes(self) -> int:
        return int(self.lon.shape[0])

    @property
    def n_edges(self) -> int:
        return int(self.u.shape[0])

    # -- storage ---------------------------------------------------------------------

    def to_bytes(self) -> bytes:
        buf = io.BytesIO()
        names = np.array(self.edge_name if self.edge_name else [""] * 0, dtype=np.str_)
        np.savez_compressed(buf, osm_id=self.osm_id, lon=self.lon, lat=self.lat, u=self.u,
                            v=self.v, length=self.length, edge_name=names)
        return buf.getvalue()

    @classmethod
    def from_bytes(cls, data: bytes) -> WalkNetwork:
        with np.load(io.BytesIO(data), allow_pickle=False) as z:
            return cls(osm_id=z["osm_id"], lon=z["lon"], lat=z["lat"], u=z["u"], v=z["v"],
                       length=z["length"], edge_name=[str(s) for s in z["edge_name"]])

    # -- graph -------------------------------------------------------------------------

    def csr(self, extra_rows: int = 0, extra_targets: np.ndarray | None = None,
            extra_weights: np.ndarray | None = None,
            extra_indptr: np.ndarray | None = None) -> sparse.csr_array:
        """The symmetric sparse graph (both directions of every edge), optionally with
        ``extra_rows`` virtual nodes appended whose out-edges are given in CSR form.
        Built directly from index arrays: explicit zero lengths stay edges."""
        base = self._base_csr
        if not extra_rows:
            return base
        assert extra_targets is not None and extra_weights is not None and extra_indptr is not None
        n = self.n_nodes + extra_rows
        indptr = np.concatenate([base.indptr, base.indptr[-1] + extra_indptr[1:]])
        indices = np.concatenate([base.indices, extra_targets.astype(base.indices.dtype)])
        data = np.concatenate([base.data, extra_weights.astype(np.float64)])
        # virtual rows need matching columns: pad the base rows' column count to n
        return sparse.csr_array((data, indices, indptr), shape=(n, n))

    @cached_property
    def _base_csr(self) -> sparse.csr_array:
        n = self.n_nodes
        rows = np.concatenate([self.u, self.v])
        cols = np.concatenate([self.v, self.u])
        data = np.concatenate([self.length, self.length])
        order = np.lexsort((cols, rows))
        rows, cols, data = rows[order], cols[order], data[order]
        indptr = np.zeros(n + 1, dtype=np.int64)
        np.add.at(indptr, rows + 1, 1)
        np.cumsum(indptr, out=indptr)
        idx = np.int32 if n < 2**31 - 1 else np.int64
        return sparse.csr_array((data, cols.astype(idx), indptr.astype(idx)), shape=(n, n))

    @cached_property
    def components(self) -> tuple[int, np.ndarray]:
        """``(count, label per node)``; label 0 is not necessarily the largest."""
        count, labels = connected_components(self._base_csr, directed=False)
        return int(count), labels

    @cached_property
    def main_component(self) -> int:
        count, labels = self.components
        if count == 0:
            return -1
        return int(np.bincount(labels).argmax())

    def islands(self, limit: int = 50) -> list[Island]:
        """The parts not connected to the largest one, biggest first (at most ``limit``
        listed; :meth:`island_count` counts them all)."""
        count, labels = self.components
        if count <= 1:
            return []
        sizes = np.bincount(labels, minlength=count)
        order = [int(c) for c in np.argsort(-sizes, kind="stable") if c != self.main_component]
        out: list[Island] = []
        for comp in order[:limit]:
            members = np.flatnonzero(labels == comp)
            out.append(Island(component=comp, nodes=int(members.size),
                              lon=float(self.lon[members].mean()),
                              lat=float(self.lat[members].mean()),
                              name=self._name_near(members),
                              node=int(self.osm_id[members[0]])))
        return out

    def island_count(self) -> int:
        return max(0, self.components[0] - 1)

    def _name_near(self, members: np.ndarray) -> str:
        inside = np.isin(self.u, members)
        for e in np.flatnonzero(inside):
            if self.edge_name and self.edge_name[e]:
                return self.edge_name[e]
        return ""

    @cached_property
    def tree(self):  # type: ignore[no-untyped-def]
        from scipy.spatial import cKDTree

        return cKDTree(ecef(self.lon, self.lat))

    def bounds(self) -> tuple[float, float, float, float]:
        return (float(self.lon.min()), float(self.lat.min()), float(self.lon.max()),
                float(self.lat.max()))


def dedupe_edges(u: np.ndarray, v: np.ndarray, length: np.ndarray,
                 names: list[str] | None = None) -> tuple[np.ndarray, np.ndarray, np.ndarray,
                                                         list[str]]:
    """Undirected edges without self-loops, each pair once with its shortest length
    (two ways joining the same nodes are two routes: walking takes the shorter)."""
    u = np.asarray(u, dtype=np.int64)
    v = np.asarray(v, dtype=np.int64)
    length = np.asarray(length, dtype=np.float64)
    keep = u != v
    a, b = np.minimum(u, v)[keep], np.maximum(u, v)[keep]
    length = length[keep]
    names_kept = [n for n, k in zip(names, keep, strict=True) if k] if names else []
    order = np.lexsort((length, b, a))
    a, b, length = a[order], b[order], length[order]
    first = np.ones(a.size, dtype=bool)
    first[1:] = (a[1:] != a[:-1]) | (b[1:] != b[:-1])
    out_names = [names_kept[i] for i in order[first]] if names_kept else []
    return a[first].astype(np.int32), b[first].astype(np.int32), length[first], out_names
