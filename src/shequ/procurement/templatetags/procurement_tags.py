"""Template filters of the purchase pages."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.filter
def yuan(fen: Any) -> str:
    """Integer fen as yuan with grouped digits and two decimals (no float)."""
    if fen is None or fen == "":
        return "—"
    n = int(fen)
    sign = "-" if n < 0 else ""
    n = abs(n)
    return f"{sign}{n // 100:,}.{n % 100:02d}"
