"""Ranking candidates for a need, with each factor's contribution: pure arithmetic, so a
page, the API, the CLI, the benchmark and a hand-worked test compute the same thing.

    score = 100 × Σ weight_f × s_f     (weights sum to 1)

    category  s = 1 for the provider's main category, ``other_category_percent`` for another
    distance  s = max(0, 1 − d / max_distance)            (unknown place: 0)
    capacity  s = free / capacity, free = capacity − engagements under way (0 when full)
    record    s = n / (n + record_half), n = completed engagements
    rating    s = (r − 1) / 4, r = (Σ ratings + prior × m) / (number of ratings + m)
              (prior: the evaluation grade 1A–5A of a graded organisation, else
              ``rating_prior``; m = ``rating_prior_weight``)

ADR 0710 says why these shapes.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

EARTH_RADIUS_M = 6_371_008.8  # mean radius (IUGG)
FACTORS = ("category", "distance", "capacity", "record", "rating")


def distance_m(lat1_e6: int, lon1_e6: int, lat2_e6: int, lon2_e6: int) -> float:
    """Great-circle distance (haversine) in metres between two points in millionths of a
    degree."""
    p1, p2 = math.radians(lat1_e6 / 1e6), math.radians(lat2_e6 / 1e6)
    dp, dl = p2 - p1, math.radians((lon2_e6 - lon1_e6) / 1e6)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(math.sqrt(a))


def box(lat_e6: int, lon_e6: int, metres: int) -> tuple[tuple[int, int], tuple[int, int]]:
    """The latitude and longitude ranges (millionths) that contain every point within
    ``metres`` of the centre: what the index can narrow before distances are computed."""
    dlat = metres / (math.pi * EARTH_RADIUS_M / 180) * 1e6
    dlon = dlat / max(math.cos(math.radians(lat_e6 / 1e6)), 0.01)
    return ((int(lat_e6 - dlat) - 1, int(lat_e6 + dlat) + 1),
            (int(lon_e6 - dlon) - 1, int(lon_e6 + dlon) + 1))


@dataclass(frozen=True)
class Params:
    weights: dict[str, Decimal]  # sum to 1
    max_distance_m: int
    other_category: Decimal
    record_half: int
    prior_weight: int
    prior: int

    @staticmethod
    def of(profile: Any) -> Params:
        raw = {f: Decimal(profile.number(f"weight_{f}")) for f in FACTORS}
        total = sum(raw.values()) or Decimal(1)
        return Params(weights={f: v / total for f, v in raw.items()},
                      max_distance_m=profile.number("max_distance_m"),
                      other_category=Decimal(profile.number("other_category_percent")) / 100,
                      record_half=profile.number("record_half"),
                      prior_weight=profile.number("rating_prior_weight"),
                      prior=profile.number("rating_prior"))


@dataclass(frozen=True)
class Facts:
    """What is known of one provider for one need."""

    kind: str  # org | worker
    id: int
    main_category: bool
    distance_m: float | None
    capacity: int
    active: int
    completed: int
    rating_sum: int
    rating_n: int
    grade: int | None = None  # an organisation's evaluation grade (1–5)


@dataclass(frozen=True)
class Factor:
    key: str
    value: Decimal  # the raw figure: metres, free places, completed, mean rating
    score: Decimal  # 0..1
    weight: Decimal  # 0..1
    points: Decimal  # weight × score × 100, one decimal
    data: dict[str, Any]


@dataclass(frozen=True)
class Ranked:
    kind: str
    id: int
    total: Decimal
    factors: tuple[Factor, ...]
    distance_m: float | None

    def explanation(self) -> list[dict[str, Any]]:
        """JSON-clean, for storing with an engagement."""
        return [{"factor": f.key, "value": str(f.value), "score": str(f.score),
                 "weight": str(f.weight), "points": str(f.points), **f.data}
                for f in self.factors]


Q4 = Decimal("0.0001")
Q1 = Decimal("0.1")


def _d(x: float | Decimal) -> Decimal:
    return Decimal(str(x)).quantize(Q4, ROUND_HALF_UP)


def score(facts: Facts, params: Params) -> Ranked:
    w = params.weights
    s_cat = Decimal(1) if facts.main_category else params.other_category
    if facts.distance_m is None:
        s_dist, dist = Decimal(0), Decimal(-1)
    else:
        s_dist = _d(max(0.0, 1 - facts.distance_m / params.max_distance_m))
        dist = Decimal(round(facts.distance_m))
    free = max(facts.capacity - facts.active, 0)
    s_cap = _d(Decimal(free) / facts.capacity) if facts.capacity > 0 else Decimal(0)
    s_rec = _d(Decimal(facts.completed) / (facts.completed + params.record_half))
    prior = facts.grade if facts.grade else params.prior
    mean = (Decimal(facts.rating_sum) + Decimal(prior * params.prior_weight)) / (
        facts.rating_n + params.prior_weight)
    s_rat = _d((mean - 1) / 4)
    parts: list[tuple[str, Decimal, Decimal, dict[str, Any]]] = [
        ("category", Decimal(1 if facts.main_category else 0), s_cat, {"main": facts.main_category}),
        ("distance", dist, s_dist, {"known": facts.distance_m is not None}),
        ("capacity", Decimal(free), s_cap, {"capacity": facts.capacity, "active": facts.active}),
        ("record", Decimal(facts.completed), s_rec, {}),
        ("rating", mean.quantize(Decimal("0.01"), ROUND_HALF_UP), s_rat,
         {"ratings": facts.rating_n, "prior": prior, "graded": bool(facts.grade)}),
    ]
    factors = tuple(Factor(key=k, value=v, score=s, weight=w[k],
                           points=(w[k] * s * 100).quantize(Q1, ROUND_HALF_UP), data=data)
                    for k, v, s, data in parts)
    # the total is the sum of the points shown, so the explanation adds up exactly
    total = sum((f.points for f in factors), Decimal(0))
    return Ranked(kind=facts.kind, id=facts.id, total=total, factors=factors,
                  distance_m=facts.distance_m)


def estimate(f: Facts, params: Params, w: dict[str, float]) -> float:
    """The total in floating point, unrounded: used only to leave out, before exact
    scoring, providers that cannot reach the shortlist."""
    s_cat = 1.0 if f.main_category else float(params.other_category)
    s_dist = 0.0 if f.distance_m is None else max(0.0, 1 - f.distance_m / params.max_distance_m)
    s_cap = max(f.capacity - f.active, 0) / f.capacity if f.capacity > 0 else 0.0
    s_rec = f.completed / (f.completed + params.record_half)
    prior = f.grade if f.grade else params.prior
    mean = (f.rating_sum + prior * params.prior_weight) / (f.rating_n + params.prior_weight)
    return 100 * (w["category"] * s_cat + w["distance"] * s_dist + w["capacity"] * s_cap
                  + w["record"] * s_rec + w["rating"] * (mean - 1) / 4)


# Each shown point is rounded to 0.1, so an exact total differs from the estimate by at
# most 5 × 0.05; anything further than this below the shortlist's last estimate is out.
MARGIN = 0.5


def rank(facts: list[Facts], params: Params, limit: int) -> list[Ranked]:
    """Best first; ties broken by distance (nearer first, unknown last), then kind and id,
    so the order is the same on every run. Only providers whose estimate comes within
    ``MARGIN`` of the shortlist are scored exactly (Decimals, the explanation)."""
    if len(facts) > limit:
        w = {k: float(v) for k, v in params.weights.items()}
        estimates = sorted((estimate(f, params, w) for f in facts), reverse=True)
        cutoff = estimates[limit - 1] - MARGIN
        facts = [f for f in facts if estimate(f, params, w) >= cutoff]
    ranked = [score(f, params) for f in facts]
    ranked.sort(key=lambda r: (-r.total, r.distance_m if r.distance_m is not None else math.inf,
                               r.kind, r.id))
    return ranked[:limit]
