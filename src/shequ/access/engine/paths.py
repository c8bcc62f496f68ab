"""Snapping points to the network and exact multi-source shortest paths.

A point (a compound's gate, a station's door) joins the network at its nearest node;
the straight line to that node is walked too, so it is added to the network distance at
both ends. Nearest-facility distances for every node come from one Dijkstra run over
the graph with one virtual node per facility, joined to the facility's node by its
access leg: exact, and ``sources`` names the facility that is nearest (scipy's
``min_only``), so no path is traced back.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.sparse.csgraph import dijkstra

from shequ.access.engine.network import WalkNetwork, ecef


@dataclass
class Snapped:
    """Where each point joins the network: node index and the straight leg in metres;
    ``ok`` is False where the nearest node is farther than the allowed distance."""

    node: np.ndarray    # int64
    offset: np.ndarray  # float64 metres
    ok: np.ndarray      # bool

    def __len__(self) -> int:
        return int(self.node.shape[0])


def snap(network: WalkNetwork, lon: np.ndarray, lat: np.ndarray,
         max_distance: float) -> Snapped:
    lon = np.asarray(lon, dtype=np.float64)
    lat = np.asarray(lat, dtype=np.float64)
    if lon.size == 0:
        empty = np.zeros(0)
        return Snapped(empty.astype(np.int64), empty, empty.astype(bool))
    dist, node = network.tree.query(ecef(lon, lat), k=1)
    dist = np.asarray(dist, dtype=np.float64)
    return Snapped(node=np.asarray(node, dtype=np.int64), offset=dist,
                   ok=dist <= max_distance)


@dataclass
class Nearest:
    """For every network node: the distance in metres to the nearest source (``inf``
    where none can be reached) and that source's index (``-1`` then)."""

    distance: np.ndarray
    source: np.ndarray


def nearest_sources(network: WalkNetwork, nodes: np.ndarray, offsets: np.ndarray,
                    limit: float = np.inf) -> Nearest:
    """Multi-source Dijkstra from ``nodes`` (each starting ``offsets`` metres away)."""
    n = network.n_nodes
    k = int(np.asarray(nodes).shape[0])
    if k == 0:
        return Nearest(np.full(n, np.inf), np.full(n, -1, dtype=np.int64))
    indptr = np.arange(k + 1, dtype=np.int64)
    graph = network.csr(extra_rows=k, extra_targets=np.asarray(nodes, dtype=np.int64),
                        extra_weights=np.asarray(offsets, dtype=np.float64),
                        extra_indptr=indptr)
    dist, _pred, src = dijkstra(graph, directed=True, indices=np.arange(n, n + k),
                                min_only=True, return_predecessors=True, limit=limit)
    src = np.asarray(src, dtype=np.int64)
    source = np.where(src >= n, src - n, -1)
    return Nearest(np.asarray(dist[:n], dtype=np.float64), source[:n])


def point_distances(nearest: Nearest, snapped: Snapped) -> tuple[np.ndarray, np.ndarray]:
    """Distance (metres) from each snapped point to its nearest source, and which."""
    d = nearest.distance[snapped.node] + snapped.offset
    which = nearest.source[snapped.node]
    return np.where(which >= 0, d, np.inf), which


def coverage_pairs(network: WalkNetwork, candidate_nodes: np.ndarray,
                   demand: Snapped, limit: float,
                   chunk_cells: int = 20_000_000) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """All (candidate, demand, metres) with network distance from the candidate's node to
    the demand point within ``limit``: the sparse coverage sets of the siting models.
    Candidates are network nodes (a new station is placed on the street)."""
    n = network.n_nodes
    graph = network.csr()
    cand = np.asarray(candidate_nodes, dtype=np.int64)
    per_chunk = max(1, chunk_cells // max(n, 1))
    rows: list[np.ndarray] = []
    cols: list[np.ndarray] = []
    vals: list[np.ndarray] = []
    for start in range(0, cand.size, per_chunk):
        block = cand[start:start + per_chunk]
        dist = dijkstra(graph, directed=False, indices=block, limit=limit)
        dist = np.atleast_2d(dist)[:, demand.node] + demand.offset[None, :]
        r, c = np.nonzero(dist <= limit)
        rows.append(r + start)
        cols.append(c)
        vals.append(dist[r, c])
    if not rows:
        z = np.zeros(0, dtype=np.int64)
        return z, z, np.zeros(0)
    return np.concatenate(rows), np.concatenate(cols), np.concatenate(vals)
