"""Template filters shared by every module's pages."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from fractions import Fraction
from typing import Any

from django import template
from django.utils.html import conditional_escape, format_html
from django.utils.translation import gettext as _

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


@register.filter
def pct(value: Any, places: int = 1) -> str:
    """A share 0..1 as a reader reads it: 0.9167 → 91.7%; a missing figure is a dash."""
    if value is None or value == "":
        return "—"
    try:
        share = Decimal(str(value)) if not isinstance(value, Fraction) else (
            Decimal(value.numerator) / Decimal(value.denominator))
    except (InvalidOperation, ValueError):
        return str(value)
    return f"{share * 100:.{int(places)}f}%"


@register.filter
def who(actor: Any) -> str:
    """Who acted, in a history or log: the system in words, a person by their real name,
    or else by their user name marked as a name (not prose to translate). Takes a user
    or a stored user name."""
    if hasattr(actor, "get_username"):
        if getattr(actor, "display_name", ""):
            return conditional_escape(actor.display_name)
        actor = actor.get_username()
    if not actor or actor == "system":
        return conditional_escape(_("the system"))
    return format_html('<span class="code">{}</span>', actor)
