"""Template filters of the linkage pages."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.filter
def fen_yuan(fen: Any) -> str:
    """Integer fen as yuan with two decimals and grouped digits (no float)."""
    if fen is None or fen == "":
        return "—"
    n = int(fen)
    return f"{'-' if n < 0 else ''}{abs(n) // 100:,}.{abs(n) % 100:02d}"
