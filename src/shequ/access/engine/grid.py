"""A generated street grid, for demonstrations where no real extract can be had.

Streets every ``spacing`` metres with a little jitter, some blocks merged (a street left
out), and a river across the middle crossed only by bridges: enough irregularity that
walking distance differs from straight-line distance. Node ids are negative so they can
never be mistaken for OpenStreetMap's. Pages label such a network "generated".
"""

from __future__ import annotations

import math

import numpy as np

from shequ.access.engine.network import EARTH_RADIUS_M, WalkNetwork, dedupe_edges, haversine_m


def generated_grid(bbox: tuple[float, float, float, float], spacing: float = 120.0,
                   seed: int = 510104, drop: float = 0.08, bridge_every: int = 7) -> WalkNetwork:
    west, south, east, north = bbox
    rng = np.random.default_rng(seed)
    mid = math.radians((south + north) / 2)
    dlat = math.degrees(spacing / EARTH_RADIUS_M)
    dlon = math.degrees(spacing / (EARTH_RADIUS_M * math.cos(mid)))
    nx = max(2, int((east - west) / dlon) + 1)
    ny = max(2, int((north - south) / dlat) + 1)
    ii, jj = np.meshgrid(np.arange(nx), np.arange(ny), indexing="xy")
    lon = west + ii.ravel() * dlon + rng.normal(0, dlon * 0.08, ii.size)
    lat = south + jj.ravel() * dlat + rng.normal(0, dlat * 0.08, ii.size)
    idx = (jj * nx + ii).ravel()
    river = ny // 2  # edges crossing between row river and river+1 are the river
    us: list[np.ndarray] = []
    vs: list[np.ndarray] = []
    # east-west streets
    a = idx.reshape(ny, nx)[:, :-1].ravel()
    us.append(a)
    vs.append(a + 1)
    # north-south streets, except across the river where there is no bridge
    b = idx.reshape(ny, nx)[:-1, :].ravel()
    row = b // nx
    col = b % nx
    keep = (row != river) | (col % bridge_every == 0)
    us.append(b[keep])
    vs.append(b[keep] + nx)
    u = np.concatenate(us)
    v = np.concatenate(vs)
    # leave out some streets (never a bridge) for irregular blocks
    bridge = ((u // nx) == river) & ((v // nx) == river + 1)
    dropped = (rng.random(u.size) < drop) & ~bridge
    u, v = u[~dropped], v[~dropped]
    length = haversine_m(lon[u], lat[u], lon[v], lat[v])
    u2, v2, l2, _ = dedupe_edges(u, v, length)
    return WalkNetwork(osm_id=-(np.arange(lon.size, dtype=np.int64) + 1), lon=lon, lat=lat,
                       u=u2, v=v2, length=l2, edge_name=[])
