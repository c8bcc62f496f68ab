"""Indicators that exist only on paper (a safety inspection count, emergency drills held):
entered by hand with who entered them and when (``services.enter_figure``), computed like
every other indicator for every area of a level in one query (ADR 0019, 1002)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from shequ.assessment.models import ManualFigure
from shequ.core.indicators import Indicator, Value, length


def figures(code: str, within: str, start: date, end: date) -> list[ManualFigure]:
    """The figures in force for the period: the newest entry per area."""
    rows = (ManualFigure.objects.filter(indicator=code, area_code__startswith=within,
                                        start__gte=start, end__lte=end)
            .order_by("area_code", "start", "entered_at", "id"))
    latest: dict[tuple[str, date], ManualFigure] = {}
    for row in rows:
        latest[(row.area_code, row.start)] = row
    return list(latest.values())


def _manual(code: str):  # type: ignore[no-untyped-def]
    def compute(within: str, level: str, start: date, end: date) -> dict[str, Value]:
        n = length(level)
        out: dict[str, Decimal] = {}
        for row in figures(code, within, start, end):
            if len(row.area_code) >= n:
                out[row.area_code[:n]] = out.get(row.area_code[:n], Decimal(0)) + row.value
        return {k: Value(v) for k, v in out.items()}
    return compute


SAFETY = "assessment.safety_inspections"
DRILLS = "assessment.emergency_drills"

INDICATORS = (
    Indicator(SAFETY, _("Safety inspections carried out (entered by hand)"), "count", "higher",
              _manual(SAFETY), _("Jinjiang reform: street duty of safety supervision"),
              levels=("street", "district")),
    Indicator(DRILLS, _("Emergency drills held (entered by hand)"), "count", "higher",
              _manual(DRILLS), _("Jinjiang reform: street duty of emergency management"),
              levels=("street", "district")),
)
MANUAL = {i.code for i in INDICATORS}


def register() -> None:
    from shequ.core.indicators import register_indicator

    register_indicator(*INDICATORS)
