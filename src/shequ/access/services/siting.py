"""Siting questions on a finished analysis: where k new stations would bring the most
residents within the band, and the fewest new stations that would bring everyone
within it. Candidate sites are the street nodes where the analysis's compounds join
the network (a station is opened beside residents, on a street)."""

from __future__ import annotations

from typing import Any

import numpy as np
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shequ import authz
from shequ.access.engine import siting as engine
from shequ.access.engine.network import WalkNetwork
from shequ.access.engine.paths import Snapped, coverage_pairs, snap
from shequ.access.enums import AuditAction, Code, Perm
from shequ.access.lifecycles import SITING
from shequ.access.models import Analysis, RunAction, RunState, SitingKind, SitingRun
from shequ.access.texts import failure
from shequ.audit.services import record
from shequ.authz import SYSTEM
from shequ.core.errors import BusinessError, NotFound

MAX_K = 50
MAX_TIME_LIMIT = 600


def request_siting(*, actor: Any, analysis_id: int, kind: str, k: int | None = None,
                   band: int | None = None, time_limit: int = 60, within: str = "",
                   enqueue: bool = True) -> SitingRun:
    """Ask where new stations would help most for the compounds of ``within`` (default:
    all of the analysis's area)."""
    analysis = Analysis.objects.filter(pk=analysis_id).first()
    within = within or (analysis.area_code if analysis else "")
    if (analysis is None or not within.startswith(analysis.area_code)
            or not authz.has_perm(actor, Perm.VIEW, within)):
        raise NotFound(code="unknown_analysis")
    authz.check(actor, Perm.ANALYSE, within)
    if analysis.state != RunState.DONE:
        raise BusinessError(_("This analysis has not finished; ask again when it is done."),
                            code=Code.NOT_READY)
    if kind not in SitingKind.values:
        raise BusinessError(_("Unknown siting question: %(k)s.") % {"k": kind}, code="unknown_kind")
    if kind == SitingKind.MAX_COVER and (k is None or not 1 <= k <= MAX_K):
        raise BusinessError(_("Enter how many new stations, from 1 to %(max)s.") % {"max": MAX_K},
                            code=Code.BAD_K, details={"k": k})
    band = analysis.bands[-1] if band is None else band
    if not 1 <= band <= 90:
        raise BusinessError(_("Enter the walking time in minutes, from 1 to 90."),
                            code=Code.BAD_BAND, details={"band": band})
    if not 1 <= time_limit <= MAX_TIME_LIMIT:
        raise BusinessError(_("Enter a time limit from 1 to %(max)s seconds.")
                            % {"max": MAX_TIME_LIMIT}, code=Code.BAD_TIME_LIMIT)
    with transaction.atomic():
        run = SitingRun.objects.create(
            analysis=analysis, area_code=within, kind=kind,
            k=k if kind == SitingKind.MAX_COVER else None, band=band, time_limit=time_limit,
            requested_by=actor if getattr(actor, "pk", None) else None)
        record(actor=actor, action=AuditAction.SITING_REQUEST, obj=run,
               area_code=within,
               changes={"analysis": analysis.pk, "kind": kind, "k": run.k, "band": band,
                        "time_limit": time_limit})
    if enqueue:
        from shequ.access.tasks import run_siting_task

        run_siting_task.enqueue(run.pk)
        run.refresh_from_db()
    return run


def run_siting(*, run_id: int, actor: Any = SYSTEM) -> SitingRun:
    with transaction.atomic():
        run = SitingRun.objects.select_for_update().filter(pk=run_id).first()
        if run is None:
            raise NotFound(code="unknown_siting")
        SITING.move(actor=actor, obj=run, action=RunAction.START)
    try:
        fields = solve(run)
    except Exception as exc:
        detail = str(getattr(exc, "code", "")) or type(exc).__name__
        with transaction.atomic():
            failed = SitingRun.objects.select_for_update().get(pk=run_id)
            failed.problems = [*failed.problems, failure(exc)]
            SITING.move(actor=actor, obj=failed, action=RunAction.FAIL,
                        update_fields=["problems"], changes={"detail": detail})
        raise
    with transaction.atomic():
        done = SitingRun.objects.select_for_update().get(pk=run_id)
        for name, value in fields.items():
            setattr(done, name, value)
        done.finished_at = timezone.now()
        SITING.move(actor=actor, obj=done, action=RunAction.FINISH,
                    changes={"outcome": done.outcome, "objective": done.objective,
                             "greedy": done.greedy_objective})
    return done


def solve(run: SitingRun) -> dict[str, Any]:
    analysis = run.analysis
    walk = WalkNetwork.from_bytes(bytes(analysis.network.data or b""))
    rows = list(analysis.compounds.filter(area_code__startswith=run.area_code)
                .order_by("area_code"))
    placed = [r for r in rows if r.snapped and r.lon is not None]
    lon = np.array([r.lon for r in placed], dtype=np.float64)
    lat = np.array([r.lat for r in placed], dtype=np.float64)
    demand: Snapped = snap(walk, lon, lat, float(analysis.snap_distance))
    candidates = np.unique(demand.node)
    limit = run.band * analysis.speed
    cand, dem, _metres = coverage_pairs(walk, candidates, demand, limit)
    covered = np.array([r.station_minutes is not None and r.station_minutes <= run.band
                        for r in placed], dtype=bool)
    population = np.array([r.population for r in placed], dtype=np.float64)
    weights = np.where(covered, 0.0, population)
    problem = engine.Problem(int(candidates.size), weights, cand, dem)
    coverable = problem.coverable()
    uncoverable = [{"code": r.area_code, "name": r.name, "population": r.population}
                   for r, c, cov in zip(placed, coverable, covered, strict=True)
                   if not cov and not c]
    uncoverable += [{"code": r.area_code, "name": r.name, "population": r.population}
                    for r in rows if not (r.snapped and r.lon is not None)]
    if run.kind == SitingKind.MAX_COVER:
        answer = engine.max_cover(problem, int(run.k or 1), time_limit=run.time_limit)
    else:
        answer = engine.set_cover(problem, must=~covered & (population > 0),
                                  time_limit=run.time_limit)

    def describe(chosen: list[int]) -> list[dict[str, Any]]:
        out = []
        taken = np.zeros(len(placed), dtype=bool)
        for j in chosen:
            node = int(candidates[j])
            reach = problem.by_candidate.indices[
                problem.by_candidate.indptr[j]:problem.by_candidate.indptr[j + 1]]
            new = [int(i) for i in reach if weights[i] > 0 and not taken[i]]
            taken[new] = True
            here = [placed[i] for i in np.flatnonzero(demand.node == node)]
            out.append({"lon": round(float(walk.lon[node]), 6),
                        "lat": round(float(walk.lat[node]), 6),
                        "near": here[0].name if here else "",
                        "population": int(population[new].sum()) if new else 0,
                        "compounds": [placed[i].name for i in new]})
        return out

    return {
        "outcome": str(answer.outcome), "candidates": int(candidates.size),
        "objective": answer.objective, "greedy_objective": answer.greedy_objective,
        "bound": answer.bound, "gap": answer.gap, "build_seconds": answer.build_seconds,
        "solve_seconds": answer.solve_seconds, "chosen": describe(answer.chosen),
        "greedy": describe(answer.greedy_chosen), "uncoverable": uncoverable,
    }
