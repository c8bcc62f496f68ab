"""Indicators owned by the modules that hold the data (issue 17; ADR 0019).

A module registers each of its indicators in ``AppConfig.ready`` with
:func:`register_indicator`. The assessment module (and any dashboard) computes them for
every area of a level below a code in one call, so a province's 34,000 communities cost
one query per indicator, not one per community. Ratios are returned as numerator and
denominator, so an assessment can add communities up to streets and districts exactly
(a street's on-time rate is the sum of on-time cases over the sum of decided cases, not
an average of rates).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import NamedTuple

from django.utils.functional import Promise


class Value(NamedTuple):
    """One area's figure: ``numerator / denominator`` for a ratio (``denominator=None``
    for a plain count or amount). ``None`` numerator: no data for that area and period.
    A named tuple: a province's snapshot makes hundreds of thousands of them."""

    numerator: Decimal | int | None
    denominator: Decimal | int | None = None

    @property
    def value(self) -> Decimal | None:
        if self.numerator is None:
            return None
        if self.denominator is None:
            return Decimal(self.numerator)
        if not self.denominator:
            return None
        return Decimal(self.numerator) / Decimal(self.denominator)


Compute = Callable[[str, str, date, date], dict[str, Value]]
"""``compute(within, level, start, end)``: every area of ``level`` (``community``,
``street``, ``district``) whose code starts with ``within``, for the period
``start``..``end`` (inclusive) → ``{area_code: Value}``. Areas with no data may be
missing. Not scoped to a user: the caller checks who may see the result."""


@dataclass(frozen=True)
class Indicator:
    code: str  # "<module>.<name>", e.g. "services.on_time_rate"
    name: str | Promise
    unit: str  # a shequ.rules Unit value: "share", "count", "days", "per_10k", …
    direction: str  # "higher" (more is better) or "lower"
    compute: Compute
    policy: str | Promise  # the policy or law the indicator comes from
    levels: tuple[str, ...] = ("community", "street", "district")
    additive: bool = True  # numerators and denominators add up from a lower level
    description: str | Promise = ""

    @property
    def module(self) -> str:
        return self.code.split(".", 1)[0]


LEVEL_LENGTH = {"province": 2, "city": 4, "district": 6, "street": 9, "community": 12}
"""How many leading characters of an area code name an area of each level."""


def length(level: str) -> int:
    try:
        return LEVEL_LENGTH[level]
    except KeyError:
        raise ValueError(f"unknown level {level!r}") from None


def ratio(numerators: dict[str, int | Decimal], denominators: dict[str, int | Decimal],
          *, empty: bool = False) -> dict[str, Value]:
    """``{area: Value(n, d)}`` for every area with a denominator (``empty``: also those
    with a zero one, whose value is then ``None``)."""
    return {code: Value(numerators.get(code, 0), d) for code, d in denominators.items()
            if d or empty}


def counts(numerators: dict[str, int | Decimal]) -> dict[str, Value]:
    return {code: Value(n) for code, n in numerators.items()}


INDICATORS: dict[str, Indicator] = {}


def register_indicator(*indicators: Indicator) -> None:
    for ind in indicators:
        if ind.direction not in ("higher", "lower"):
            raise ValueError(f"{ind.code}: direction must be 'higher' or 'lower'")
        if "." not in ind.code:
            raise ValueError(f"{ind.code}: an indicator code carries its module prefix")
        INDICATORS[ind.code] = ind


def indicator(code: str) -> Indicator | None:
    return INDICATORS.get(code)
