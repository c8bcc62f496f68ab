"""Template filters shared by every module's pages."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.filter
def num(value: Any) -> str:
    """Group digits by three (689,962), as statistical tables do in both languages;
    a missing figure shows as a dash."""
    if value is None or value == "":
        return "—"
    try:
        return f"{int(value):,}"
    except (TypeError, ValueError):
        return str(value)


@register.inclusion_tag("web/_chart.html")
def chart(c: Any) -> dict[str, Any]:
    """``{% chart some_chart %}``: the chart and its table (``core.charts.Chart``)."""
    header, rows = c.table()
    return {"chart": c, "chart_header": header, "chart_rows": rows,
            "option_id": f"{c.id}-option"}
