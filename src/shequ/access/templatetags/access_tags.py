"""Filters of the access pages: shares as per cent with one decimal, minutes."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.filter
def pct(value: Any) -> str:
    """0.8532 → 85.3%; a missing share shows as a dash."""
    if value is None or value == "":
        return "—"
    return f"{float(value) * 100:.1f}%"


@register.filter
def minutes(value: Any) -> str:
    if value is None or value == "":
        return "—"
    return f"{float(value):.1f}"


@register.filter
def at_least(value: Any, target: Any) -> bool:
    """A share (0..1) against a target in per cent."""
    if value is None:
        return False
    return float(value) * 100 >= float(target)
