"""Siting on a finished analysis: proven optimal on the test instances, equal to an
exhaustive search, uncoverable compounds named, bad questions refused in Chinese."""

from __future__ import annotations

import itertools

import pytest

from shequ.access import services
from shequ.access.models import RunState, SitingKind
from shequ.access.tests.factories import make_world
from shequ.authz import SYSTEM
from shequ.core.errors import BusinessError

pytestmark = pytest.mark.django_db


@pytest.fixture
def analysis():  # type: ignore[no-untyped-def]
    make_world()
    return services.request_analysis(actor=SYSTEM, area_code="510104")


def _uncovered(analysis) -> dict[str, int]:  # type: ignore[no-untyped-def]
    return {r.name: r.population for r in analysis.compounds.all()
            if r.snapped and r.population and (r.station_minutes is None or r.station_minutes > 15)}


def test_maximal_covering_is_proven_optimal(analysis) -> None:  # type: ignore[no-untyped-def]
    run = services.request_siting(actor=SYSTEM, analysis_id=analysis.pk,
                                  kind=SitingKind.MAX_COVER, k=1)
    assert run.state == RunState.DONE and run.outcome == "optimal"
    uncovered = _uncovered(analysis)
    assert set(uncovered) == {"和美小区", "东篱院落"}
    # one station cannot reach both (they are 1.7 km apart): the bigger one is chosen
    assert run.objective == 3000 and run.chosen[0]["compounds"] == ["和美小区"]
    assert run.gap == 0 and run.greedy_objective == 3000
    two = services.request_siting(actor=SYSTEM, analysis_id=analysis.pk,
                                  kind=SitingKind.MAX_COVER, k=2)
    assert two.outcome == "optimal" and two.objective == 3800
    assert sorted(n for s in two.chosen for n in s["compounds"]) == ["东篱院落", "和美小区"]
    # compounds that cannot be placed on the network are named, not dropped
    assert {u["name"] for u in two.uncoverable} == {"远郊院落", "无坐标院落"}


def test_set_covering_is_proven_optimal_and_minimal(analysis) -> None:  # type: ignore[no-untyped-def]
    run = services.request_siting(actor=SYSTEM, analysis_id=analysis.pk,
                                  kind=SitingKind.SET_COVER)
    assert run.outcome == "optimal" and run.objective == 2 == len(run.chosen)
    covered = {n for s in run.chosen for n in s["compounds"]}
    assert covered == {"和美小区", "东篱院落"}
    assert run.candidates >= 6 and run.greedy_objective >= run.objective


def test_a_tighter_band_needs_more_stations(analysis) -> None:  # type: ignore[no-untyped-def]
    wide = services.request_siting(actor=SYSTEM, analysis_id=analysis.pk,
                                   kind=SitingKind.SET_COVER, band=15)
    tight = services.request_siting(actor=SYSTEM, analysis_id=analysis.pk,
                                    kind=SitingKind.SET_COVER, band=5)
    assert tight.outcome == wide.outcome == "optimal"
    assert tight.objective >= wide.objective


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"kind": SitingKind.MAX_COVER, "k": 0}, "请输入新增服务站数量,1 至 50 个。"),
    ({"kind": SitingKind.MAX_COVER, "k": None}, "请输入新增服务站数量,1 至 50 个。"),
    ({"kind": SitingKind.SET_COVER, "band": 0}, "请输入步行分钟数,1 至 90。"),
    ({"kind": SitingKind.SET_COVER, "time_limit": 0}, "请输入时限,1 至 600 秒。"),
    ({"kind": "nearest"}, "未知的选址问题:nearest。"),
])
def test_bad_questions_are_refused(analysis, kwargs, message) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(BusinessError) as caught:
        services.request_siting(actor=SYSTEM, analysis_id=analysis.pk, **kwargs)
    assert str(caught.value.message) == message


def test_exhaustive_search_agrees(analysis) -> None:  # type: ignore[no-untyped-def]
    """All pairs of candidate sites, tried one by one, cover no more than the ILP's two;
    no single site covers every uncovered compound, so set covering's two is minimal."""
    import numpy as np

    from shequ.access.engine import siting
    from shequ.access.engine.network import WalkNetwork
    from shequ.access.engine.paths import coverage_pairs, snap

    walk = WalkNetwork.from_bytes(bytes(analysis.network.data))
    rows = [r for r in analysis.compounds.order_by("area_code") if r.snapped]
    demand = snap(walk, np.array([r.lon for r in rows]), np.array([r.lat for r in rows]), 250)
    cands = np.unique(demand.node)
    cand, dem, _ = coverage_pairs(walk, cands, demand, 15 * 67)
    weights = np.array([0 if r.station_minutes is not None and r.station_minutes <= 15
                        else r.population for r in rows], dtype=float)
    problem = siting.Problem(cands.size, weights, cand, dem)
    best = max(problem.covered_weight(list(c))
               for c in itertools.combinations(range(cands.size), 2))
    run = services.request_siting(actor=SYSTEM, analysis_id=analysis.pk,
                                  kind=SitingKind.MAX_COVER, k=2)
    assert run.objective == best
    need = weights > 0
    singles = [np.asarray(problem.by_candidate[:, [j]].sum(axis=1)).ravel() > 0
               for j in range(cands.size)]
    assert not any(hit[need].all() for hit in singles)
