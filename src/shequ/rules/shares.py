"""Shares written so that "more than" and "at least" never get confused: ``">1/2"``
(more than half), ``">=2/3"`` (at least two thirds). Exact arithmetic, no floats."""

from __future__ import annotations

import math
from fractions import Fraction


def parse_share(spec: str) -> tuple[Fraction, bool]:
    """``">1/2"`` → (1/2, strict=True); ``">=2/3"`` → (2/3, strict=False)."""
    spec = str(spec).strip().replace(" ", "")
    if spec.startswith(">="):
        frac, strict = Fraction(spec[2:]), False
    elif spec.startswith(">"):
        frac, strict = Fraction(spec[1:]), True
    else:
        raise ValueError(f"share must start with > or >=: {spec!r}")
    if not 0 <= frac <= 1:
        raise ValueError(f"share must lie between 0 and 1: {spec!r}")
    return frac, strict


def share_met(spec: str, count: int, base: int) -> bool:
    """Whether ``count`` out of ``base`` satisfies the share."""
    frac, strict = parse_share(spec)
    if base <= 0:
        return False
    lhs, rhs = count * frac.denominator, frac.numerator * base
    return lhs > rhs if strict else lhs >= rhs


def share_needed(spec: str, base: int) -> int:
    """The smallest count out of ``base`` that satisfies the share (at least 1)."""
    frac, strict = parse_share(spec)
    exact = frac * base
    need = math.floor(exact) + 1 if strict else math.ceil(exact)
    return max(need, 1)
