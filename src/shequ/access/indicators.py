"""The access module's indicators for assessment (ADR 0019, 1001), read from the stored
figures of the newest finished coverage analysis holding each community (one query):

- residents within the circle (the third minute band, 15 minutes by default) over the
  communities' residents;
- communities with a community service facility (the province's 2015 target: 90 %);
- communities whose facilities meet the floor-area standard (target: 90 %).

A coverage analysis surveys the state of the street network and the facility list; the
assessment reads the newest survey when it computes and its snapshot keeps the figures.
"""

from __future__ import annotations

from datetime import date

from django.utils.translation import gettext_lazy as _

from shequ.access.models import AreaCoverage, RunState
from shequ.core.indicators import Indicator, Value, length
from shequ.rules.targets import SOURCE

FIELDS = ("within_3", "population", "with_facility", "communities", "area_ok")


def _latest(within: str) -> dict[str, tuple[int, ...]]:
    rows = (AreaCoverage.objects.filter(level="community", area_code__startswith=within,
                                        analysis__state=RunState.DONE)
            .order_by("analysis_id").values_list("area_code", *FIELDS))
    return {r[0]: r[1:] for r in rows}  # a later analysis replaces an earlier one


def _sum(within: str, level: str, num: str, den: str) -> dict[str, Value]:
    n = length(level)
    i, j = FIELDS.index(num), FIELDS.index(den)
    out: dict[str, list[int]] = {}
    for code, row in _latest(within).items():
        bucket = out.setdefault(code[:n], [0, 0])
        bucket[0] += row[i]
        bucket[1] += row[j]
    return {code: Value(a, b) for code, (a, b) in out.items()}


def circle_coverage(within: str, level: str, start: date, end: date) -> dict[str, Value]:
    return _sum(within, level, "within_3", "population")


def facility_coverage(within: str, level: str, start: date, end: date) -> dict[str, Value]:
    return _sum(within, level, "with_facility", "communities")


def floor_area(within: str, level: str, start: date, end: date) -> dict[str, Value]:
    return _sum(within, level, "area_ok", "communities")


INDICATORS = (
    Indicator("access.circle_coverage", _("Residents within the 15-minute service circle"),
              "share", "higher", circle_coverage,
              _("“15-minute public service circle” in “Lessons of Jinjiang's community "
                "governance”")),
    Indicator("access.facility_coverage", _("Communities with a service facility"), "share",
              "higher", facility_coverage, SOURCE),
    Indicator("access.floor_area", _("Communities meeting the facility floor-area standard"),
              "share", "higher", floor_area, SOURCE),
)


def register() -> None:
    from shequ.core.indicators import register_indicator

    register_indicator(*INDICATORS)
