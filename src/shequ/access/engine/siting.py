"""Where to add stations: maximal covering (k new sites covering the most residents
not yet covered) and set covering (the fewest sites covering everyone coverable), as
exact integer programmes on a sparse formulation, beside the greedy answer and its gap.

Formulation (Church and ReVelle 1974; Toregas et al. 1971), with demand points that are
covered by exactly the same candidates merged into one row of summed weight (an exact
reduction: their variables would be equal at every optimum):

    max  Σ w_g y_g              s.t.  y_g ≤ Σ_{j∈N(g)} x_j,  Σ x_j ≤ k,  x ∈ {0,1}, 0 ≤ y ≤ 1
    min  Σ x_j                  s.t.  Σ_{j∈N(g)} x_j ≥ 1,    x ∈ {0,1}

``y`` need not be integer: at an optimum each ``y_g`` is ``min(1, Σ x_j)``, which is 0
or 1 when ``x`` is. The solver is CBC as bundled with PuLP. A solve stopped by its time
limit still says "Optimal" in ``LpStatus``; only ``sol_status`` tells a proven optimum
(``LpSolutionOptimal``) from the best integer solution found so far
(``LpSolutionIntegerFeasible``), and only the first is reported as optimal.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from enum import StrEnum

import numpy as np
from scipy import sparse


class Outcome(StrEnum):
    OPTIMAL = "optimal"              # proven by the solver
    NOT_PROVEN = "not_proven"        # stopped at the time limit with a feasible answer
    NO_SOLUTION = "no_solution"      # stopped before any integer answer: greedy only
    INFEASIBLE = "infeasible"


@dataclass
class Problem:
    """Demand ``i`` (weight ``w_i``) is covered by candidate ``j`` when ``(j, i)`` is a
    pair. Built once; :meth:`groups` merges identical coverage sets."""

    n_candidates: int
    weights: np.ndarray
    cand: np.ndarray
    demand: np.ndarray

    def __post_init__(self) -> None:
        self.weights = np.asarray(self.weights, dtype=np.float64)
        n = self.weights.shape[0]
        data = np.ones(np.asarray(self.cand).shape[0], dtype=np.int8)
        m = sparse.csr_array((data, (np.asarray(self.demand), np.asarray(self.cand))),
                             shape=(n, self.n_candidates))
        m.sum_duplicates()
        m.sort_indices()
        self.by_demand = m
        self.by_candidate = m.tocsc()

    def undominated(self, rows: np.ndarray | None = None) -> np.ndarray:
        """Candidates whose coverage set (restricted to ``rows``) is not contained in
        another's: some optimal answer of either model uses only these (swap a dominated
        site for the one containing it and nothing is lost), so leaving the others out is
        exact. Of identical sets the lowest index stays."""
        m = self.by_demand if rows is None else self.by_demand[rows]
        m = (m > 0).astype(np.int32)
        size = np.asarray(m.sum(axis=0)).ravel()
        overlap = (m.T @ m).tocoo()
        a, b, n = overlap.row, overlap.col, overlap.data
        contained = (a != b) & (n == size[a]) & ((size[b] > size[a]) | (b < a))
        keep = size > 0
        keep[np.unique(a[contained])] = False
        return keep

    def coverable(self) -> np.ndarray:
        return np.diff(self.by_demand.indptr) > 0

    def groups(self, only: np.ndarray | None = None, candidates: np.ndarray | None = None
               ) -> tuple[list[np.ndarray], np.ndarray]:
        """Distinct coverage sets among demands with positive weight (or ``only``) and
        their summed weights, counting only ``candidates`` (a mask) when given."""
        keep = self.coverable() & (self.weights > 0 if only is None else only)
        seen: dict[bytes, int] = {}
        sets: list[np.ndarray] = []
        total: list[float] = []
        ip, ix = self.by_demand.indptr, self.by_demand.indices
        for i in np.flatnonzero(keep):
            row = ix[ip[i]:ip[i + 1]]
            if candidates is not None:
                row = row[candidates[row]]
            key = row.tobytes()
            g = seen.get(key)
            if g is None:
                seen[key] = len(sets)
                sets.append(row)
                total.append(float(self.weights[i]))
            else:
                total[g] += float(self.weights[i])
        return sets, np.asarray(total)

    def covered_weight(self, chosen: list[int] | np.ndarray) -> float:
        if len(chosen) == 0:
            return 0.0
        hit = self.by_candidate[:, np.asarray(chosen)].sum(axis=1) > 0
        return float(self.weights[np.asarray(hit).ravel()].sum())


@dataclass
class Answer:
    kind: str
    outcome: Outcome
    chosen: list[int]
    objective: float
    greedy_chosen: list[int]
    greedy_objective: float
    bound: float | None = None          # the LP relaxation's bound when not proven
    build_seconds: float = 0.0
    solve_seconds: float = 0.0
    rows: int = 0
    columns: int = 0  # candidate sites left in the model after dropping dominated ones
    notes: dict[str, float] = field(default_factory=dict)

    @property
    def proven(self) -> bool:
        return self.outcome == Outcome.OPTIMAL

    @property
    def gap(self) -> float | None:
        """How far the greedy answer is from the solver's (a share, 0 when equal)."""
        if self.kind == "max_cover":
            if self.objective <= 0:
                return 0.0
            return max(0.0, (self.objective - self.greedy_objective) / self.objective)
        if self.objective <= 0:
            return 0.0
        return max(0.0, (self.greedy_objective - self.objective) / self.objective)


# -- greedy --------------------------------------------------------------------------------

def greedy_max_cover(problem: Problem, k: int) -> list[int]:
    """Pick the candidate adding the most uncovered weight, ``k`` times (ties: lowest
    index); stop early once nothing more can be covered."""
    w = problem.weights.copy()
    by_c, by_d = problem.by_candidate, problem.by_demand
    gains = np.asarray(by_c.T @ w).ravel() if by_c.nnz else np.zeros(problem.n_candidates)
    chosen: list[int] = []
    for _ in range(k):
        j = int(np.argmax(gains)) if gains.size else -1
        if j < 0 or gains[j] <= 0:
            break
        chosen.append(j)
        newly = by_c.indices[by_c.indptr[j]:by_c.indptr[j + 1]]
        newly = newly[w[newly] > 0]
        for i in newly:
            others = by_d.indices[by_d.indptr[i]:by_d.indptr[i + 1]]
            gains[others] -= w[i]
        w[newly] = 0.0
        gains[j] = 0.0
    return chosen


def greedy_set_cover(problem: Problem, must: np.ndarray) -> list[int]:
    """Pick the candidate covering the most still-uncovered demands until all of
    ``must`` are covered."""
    need = must & problem.coverable()
    by_c, by_d = problem.by_candidate, problem.by_demand
    counts = np.asarray(by_c.T @ need.astype(np.float64)).ravel()
    chosen: list[int] = []
    while need.any():
        j = int(np.argmax(counts))
        chosen.append(j)
        newly = by_c.indices[by_c.indptr[j]:by_c.indptr[j + 1]]
        newly = newly[need[newly]]
        for i in newly:
            others = by_d.indices[by_d.indptr[i]:by_d.indptr[i + 1]]
            counts[others] -= 1
        need[newly] = False
        counts[j] = 0
    return chosen


# -- exact ---------------------------------------------------------------------------------

def _solve(prob, time_limit: float, threads: int = 1):  # type: ignore[no-untyped-def]
    import pulp

    solver = pulp.PULP_CBC_CMD(msg=False, timeLimit=time_limit, threads=threads)
    prob.solve(solver)
    return prob


def outcome_of(prob) -> Outcome:  # type: ignore[no-untyped-def]
    """The solver's verdict read from ``sol_status``, not ``LpStatus`` alone."""
    import pulp

    if prob.status == pulp.LpStatusInfeasible:
        return Outcome.INFEASIBLE
    if prob.sol_status == pulp.LpSolutionOptimal:
        return Outcome.OPTIMAL
    if prob.sol_status == pulp.LpSolutionIntegerFeasible:
        return Outcome.NOT_PROVEN
    return Outcome.NO_SOLUTION


def max_cover(problem: Problem, k: int, time_limit: float = 60.0) -> Answer:
    import pulp

    t0 = time.perf_counter()
    greedy = greedy_max_cover(problem, k)
    greedy_obj = problem.covered_weight(greedy)
    keep = problem.undominated(problem.weights > 0)
    sets, weights = problem.groups(candidates=keep)
    used = np.unique(np.concatenate(sets)) if sets else np.zeros(0, dtype=np.int64)
    prob = pulp.LpProblem("max_cover", pulp.LpMaximize)
    x = {int(j): pulp.LpVariable(f"x{j}", cat=pulp.LpBinary) for j in used}
    y = [pulp.LpVariable(f"y{g}", lowBound=0, upBound=1) for g in range(len(sets))]
    prob.setObjective(pulp.LpAffineExpression(zip(y, weights.tolist(), strict=True)))
    for g, row in enumerate(sets):
        terms = [(y[g], 1.0)] + [(x[int(j)], -1.0) for j in row]
        prob.addConstraint(pulp.LpConstraint(pulp.LpAffineExpression(terms),
                                             pulp.LpConstraintLE, rhs=0), f"c{g}")
    prob.addConstraint(pulp.LpConstraint(pulp.LpAffineExpression((v, 1.0) for v in x.values()),
                                         pulp.LpConstraintLE, rhs=k), "k")
    build = time.perf_counter() - t0
    if not sets:  # nothing left to cover: the empty choice is optimal
        return Answer("max_cover", Outcome.OPTIMAL, [], 0.0, greedy, greedy_obj,
                      build_seconds=build)
    t1 = time.perf_counter()
    _solve(prob, time_limit)
    solve = time.perf_counter() - t1
    outcome = outcome_of(prob)
    chosen = sorted(j for j, v in x.items() if (v.value() or 0) > 0.5)
    if outcome == Outcome.NO_SOLUTION:
        chosen = sorted(greedy)
    objective = problem.covered_weight(chosen)
    bound = None
    if outcome != Outcome.OPTIMAL:
        bound = _lp_bound(prob)
    return Answer("max_cover", outcome, chosen, objective, greedy, greedy_obj, bound=bound,
                  build_seconds=build, solve_seconds=solve, rows=len(sets) + 1,
                  columns=len(x) + len(y))


def set_cover(problem: Problem, must: np.ndarray | None = None,
              time_limit: float = 60.0) -> Answer:
    """The fewest candidates covering every coverable demand in ``must`` (default: all
    with positive weight). Demands no candidate covers are the caller's to report."""
    import pulp

    t0 = time.perf_counter()
    must = (problem.weights > 0) if must is None else must
    need = must & problem.coverable()
    greedy = greedy_set_cover(problem, need)
    sets, _w = problem.groups(only=need, candidates=problem.undominated(need))
    used = np.unique(np.concatenate(sets)) if sets else np.zeros(0, dtype=np.int64)
    prob = pulp.LpProblem("set_cover", pulp.LpMinimize)
    x = {int(j): pulp.LpVariable(f"x{j}", cat=pulp.LpBinary) for j in used}
    prob.setObjective(pulp.LpAffineExpression((v, 1.0) for v in x.values()))
    for g, row in enumerate(sets):
        prob.addConstraint(pulp.LpConstraint(
            pulp.LpAffineExpression((x[int(j)], 1.0) for j in row),
            pulp.LpConstraintGE, rhs=1), f"c{g}")
    build = time.perf_counter() - t0
    if not sets:
        return Answer("set_cover", Outcome.OPTIMAL, [], 0.0, greedy, float(len(greedy)),
                      build_seconds=build)
    t1 = time.perf_counter()
    _solve(prob, time_limit)
    solve = time.perf_counter() - t1
    outcome = outcome_of(prob)
    chosen = sorted(j for j, v in x.items() if (v.value() or 0) > 0.5)
    if outcome == Outcome.NO_SOLUTION:
        chosen = sorted(greedy)
    bound = _lp_bound(prob) if outcome != Outcome.OPTIMAL else None
    return Answer("set_cover", outcome, chosen, float(len(chosen)), greedy,
                  float(len(greedy)), bound=bound, build_seconds=build, solve_seconds=solve,
                  rows=len(sets), columns=len(x))


def _lp_bound(prob) -> float | None:  # type: ignore[no-untyped-def]
    """The LP relaxation's optimum: no integer answer can beat it."""
    import pulp

    relaxed = prob.deepcopy()
    for v in relaxed.variables():
        v.cat = pulp.LpContinuous
    relaxed.solve(pulp.PULP_CBC_CMD(msg=False, timeLimit=60))
    if relaxed.sol_status != pulp.LpSolutionOptimal:
        return None
    return float(pulp.value(relaxed.objective) or 0.0)
