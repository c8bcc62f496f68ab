"""Template filters of the organisation pages."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import template

register = template.Library()


@register.filter
def share(value: Any) -> str:
    """A share 0..1 as per cent with one decimal (59.9%); a missing share as a dash."""
    if value is None or value == "":
        return "—"
    return f"{(Decimal(value) * 100).quantize(Decimal('0.1'))}%"


@register.filter
def yuan(fen: Any) -> str:
    """Integer fen as yuan with two decimals and grouped digits (no float)."""
    if fen is None or fen == "":
        return "—"
    n = int(fen)
    sign = "-" if n < 0 else ""
    n = abs(n)
    return f"{sign}{n // 100:,}.{n % 100:02d}"
