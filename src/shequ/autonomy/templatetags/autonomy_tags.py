"""Template filters of the self-governance pages."""

from __future__ import annotations

from django import template

from shequ import rules
from shequ.autonomy.rules import MODULE
from shequ.core.errors import BusinessError

register = template.Library()


@register.filter
def rule_version(version: str) -> str:
    """A stored profile version (``urban-2026.1/57a2b691``) as a reader sees it: the rule
    set's name in their language, then the version and digest, never the profile key."""
    key, _sep, rest = str(version).partition("-")
    try:
        label = rules.ruleset(MODULE, key).label
    except BusinessError:
        return str(version)
    return f"{label} {rest}"
