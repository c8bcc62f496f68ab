"""Local values of the autonomy rule profiles, through the one rule store
(``shequ.rules``; ADR 0011 generalised ADR 0501's overrides)."""

from __future__ import annotations

from typing import Any

from shequ import authz
from shequ.autonomy.enums import Perm
from shequ.autonomy.rules import MODULE
from shequ.rules import services as rule_services
from shequ.rules.models import RuleOverride


def set_rule_override(*, actor: Any, profile: str, key: str, area_code: str, value: str,
                      citation: str, reason: str = "") -> RuleOverride:
    """Set ``key`` of the ``urban`` or ``agricultural`` profile for every community below
    ``area_code``; the citation names the local document that sets it."""
    authz.check(actor, Perm.RULES, area_code)
    return rule_services.set_override(actor=actor, module=MODULE, profile=profile, key=key,
                                      area_code=area_code, value=value, citation=citation,
                                      reason=reason)
