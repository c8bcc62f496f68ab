"""Rules from law and policy as data, one type for every module (ADR 0011).

A module registers its :class:`RuleSet` objects (one per profile: ``national``,
``urban``, ``rcl-2025``…) in ``AppConfig.ready``; services read the :class:`Profile` in
force at an area with :func:`resolve` (base values, then local values set for the areas
above it, the longest code winning) and store ``profile.version`` with every decision
that used it. Pages show ``rule.display()`` and ``rule.source()``, never a key.
"""

from shequ.rules.registry import base, prefixes, register, resolve, resolve_many, ruleset, rulesets
from shequ.rules.shares import parse_share, share_met, share_needed
from shequ.rules.types import Profile, Rule, RuleSet, Unit, format_value

__all__ = [
    "Profile",
    "Rule",
    "RuleSet",
    "Unit",
    "base",
    "format_value",
    "parse_share",
    "prefixes",
    "register",
    "resolve",
    "resolve_many",
    "ruleset",
    "rulesets",
    "share_met",
    "share_needed",
]
