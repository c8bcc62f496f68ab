"""Scoring, pure: an indicator's value against an item's floor and target (ADR 1002).

Linear: nothing at or beyond the floor, the full weight at or beyond the target, in
proportion between them (for "lower is better" the floor is the larger number); never
more than the weight. Pass/fail: the full weight when the target is met. Values are in
the indicator's unit (a share as a fraction 0..1).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
HUNDRED = Decimal(100)


def unit_range(unit: str) -> tuple[Decimal, Decimal | None]:
    """The values an indicator of ``unit`` can take: a share lies in 0..1, every other
    figure (counts, days, per 10,000) is not negative."""
    if unit == "share":
        return Decimal(0), Decimal(1)
    return Decimal(0), None


def in_range(value: Decimal, unit: str) -> bool:
    low, high = unit_range(unit)
    return value >= low and (high is None or value <= high)


def met(value: Decimal, target: Decimal, direction: str) -> bool:
    return value >= target if direction == "higher" else value <= target


@dataclass(frozen=True)
class Rule:
    weight: Decimal
    scoring: str  # "linear" | "pass_fail"
    target: Decimal
    floor: Decimal | None
    direction: str  # "higher" | "lower"


def points(rule: Rule, value: Decimal | None) -> Decimal | None:
    """Points for ``value`` (``None``: no data, the item is left out of the total)."""
    if value is None:
        return None
    if rule.scoring == "pass_fail" or rule.floor is None:
        return rule.weight if met(value, rule.target, rule.direction) else Decimal(0)
    if met(value, rule.target, rule.direction):
        return rule.weight
    span = rule.target - rule.floor  # negative for "lower is better"; never zero (validated)
    share = (value - rule.floor) / span
    share = max(Decimal(0), min(Decimal(1), share))
    return (rule.weight * share).quantize(CENT, ROUND_HALF_UP)


def total(scored: list[tuple[Decimal, Decimal | None]]) -> Decimal | None:
    """``[(weight, points)]`` → score out of 100 over the items with data (an area
    without cases is not punished for an on-time rate it cannot have)."""
    weights = sum((w for w, p in scored if p is not None), Decimal(0))
    if not weights:
        return None
    got = sum((p for _w, p in scored if p is not None), Decimal(0))
    return (got * HUNDRED / weights).quantize(CENT, ROUND_HALF_UP)


def ranks(totals: list[tuple[str, Decimal | None]]) -> dict[str, int | None]:
    """Competition ranking (1, 2, 2, 4) by total, highest first; no total, no rank."""
    ordered = sorted((t for t in totals if t[1] is not None), key=lambda t: (-t[1], t[0]))  # type: ignore[operator]
    out: dict[str, int | None] = {code: None for code, _t in totals}
    prev: Decimal | None = None
    rank = 0
    for i, (code, value) in enumerate(ordered, start=1):
        if value != prev:
            rank, prev = i, value
        out[code] = rank
    return out
