"""The elections module's indicator for assessment (ADR 0019, 0601, 1001): the share of
current communities whose committee came from a direct election within its term, at the
period's end (``selectors.directly_elected``, the same answer the coverage page shows)."""

from __future__ import annotations

from datetime import date

from django.utils.translation import gettext_lazy as _

from shequ.areas.indicators import community_codes
from shequ.core.indicators import Indicator, Value, length
from shequ.elections.selectors import directly_elected
from shequ.rules.targets import SOURCE


def direct_election_coverage(within: str, level: str, start: date, end: date
                             ) -> dict[str, Value]:
    elected = directly_elected(end)
    n = length(level)
    totals: dict[str, list[int]] = {}
    for code in community_codes(within):
        bucket = totals.setdefault(code[:n], [0, 0])
        bucket[0] += 1
        bucket[1] += code in elected
    return {part: Value(hit, total) for part, (total, hit) in totals.items()}


INDICATORS = (
    Indicator("elections.direct_coverage", _("Residents' committees directly elected"), "share",
              "higher", direct_election_coverage, SOURCE),
)


def register() -> None:
    from shequ.core.indicators import register_indicator

    register_indicator(*INDICATORS)
