"""Charts where people look rather than read, each with its table beside it.

A view builds a :class:`Chart` from figures its selectors computed; the template
``web/_chart.html`` shows the chart (Apache ECharts, vendored under
``web/static/vendor/echarts``, initialised by ``shequ/charts.js`` from a JSON script tag,
so no inline script is needed) and the same figures as a table for screen readers,
printing and copying into Excel.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any


@dataclass(frozen=True)
class Series:
    name: str
    values: Sequence[int | float | Decimal | None]


def _num(value: int | float | Decimal | None) -> float | int | None:
    if value is None:
        return None
    return float(value) if isinstance(value, Decimal) else value


@dataclass(frozen=True)
class Chart:
    """``kind``: ``bar``, ``hbar`` (horizontal, for long labels), ``line``, ``pie`` or
    ``stack`` (stacked bars). ``fmt`` formats a value for the table and the tooltip."""

    id: str
    title: str
    categories: Sequence[str]
    series: Sequence[Series]
    kind: str = "bar"
    category_label: str = ""
    fmt: Callable[[Any], str] = field(default=lambda v: "" if v is None else f"{v:,}")
    percent: bool = False  # values are shares 0..1, shown as per cent

    def option(self) -> dict[str, Any]:
        """The ECharts option (plain JSON)."""
        scale = 100 if self.percent else 1
        data = [[None if v is None else round(_num(v) * scale, 1)  # type: ignore[operator]
                 for v in s.values] for s in self.series]
        if self.kind == "pie":
            s = self.series[0]
            return {"tooltip": {"trigger": "item"}, "legend": {"bottom": 0},
                    "series": [{"type": "pie", "radius": ["35%", "65%"], "name": s.name,
                                "data": [{"name": c, "value": v}
                                         for c, v in zip(self.categories, data[0], strict=True)]}]}
        horizontal = self.kind == "hbar"
        cat_axis = {"type": "category", "data": list(self.categories),
                    "axisLabel": {"interval": 0, "rotate": 0 if horizontal else 30}}
        val_axis: dict[str, Any] = {"type": "value"}
        if self.percent:
            val_axis.update(max=100, axisLabel={"formatter": "{value}%"})
        option: dict[str, Any] = {
            "tooltip": {"trigger": "axis"},
            "grid": {"left": 8, "right": 16, "top": 36, "bottom": 8, "containLabel": True},
            "legend": {"top": 0} if len(self.series) > 1 else {"show": False},
            "xAxis": val_axis if horizontal else cat_axis,
            "yAxis": cat_axis if horizontal else val_axis,
            "series": [{"type": "line" if self.kind == "line" else "bar", "name": s.name,
                        "data": d, **({"stack": "all"} if self.kind == "stack" else {})}
                       for s, d in zip(self.series, data, strict=True)],
        }
        return option

    def table(self) -> tuple[list[str], list[list[str]]]:
        header = [self.category_label, *[s.name for s in self.series]]
        rows = []
        for i, cat in enumerate(self.categories):
            rows.append([cat, *[self._cell(s.values[i]) for s in self.series]])
        return header, rows

    def _cell(self, value: Any) -> str:
        if value is None:
            return "—"
        if self.percent:
            return f"{_num(value) * 100:.1f}%"  # type: ignore[operator]
        return self.fmt(value)

    @property
    def height(self) -> int:
        if self.kind == "hbar":
            return max(240, 28 * len(self.categories) + 60)
        return 320
