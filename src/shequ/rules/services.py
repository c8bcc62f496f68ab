"""Setting and clearing local rule values. One transaction each, audited."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from shequ import authz
from shequ.audit.services import record
from shequ.core.errors import BusinessError
from shequ.core.ids import InvalidId, check_division_code
from shequ.rules.enums import AuditAction, Code, Perm
from shequ.rules.models import RuleOverride
from shequ.rules.registry import ruleset


def set_override(*, actor: Any, module: str, profile: str, key: str, area_code: str,
                 value: str, citation: str, reason: str = "") -> RuleOverride:
    """Set ``key`` to ``value`` for every area below ``area_code``; the citation names
    the local document that sets it."""
    authz.check(actor, Perm.MANAGE, area_code)
    try:
        check_division_code(area_code)
    except InvalidId as exc:
        raise BusinessError(exc.message, code="invalid_area_code",
                            details={"area_code": area_code}) from None
    rs = ruleset(module, profile)
    rule = rs.rules.get(key)
    if rule is None:
        raise BusinessError(_("There is no rule “%(key)s” in this profile.") % {"key": key},
                            code=Code.UNKNOWN_RULE, details={"known": sorted(rs.rules)})
    if not rule.overridable:
        raise BusinessError(_("“%(rule)s” is set by law and cannot be changed locally.")
                            % {"rule": rule.label}, code=Code.NOT_OVERRIDABLE,
                            details={"citation": str(rule.citation)})
    try:
        parsed = rule.coerce(value)
    except ValueError as exc:
        raise BusinessError(_("“%(rule)s”: %(problem)s") % {"rule": rule.label, "problem": exc},
                            code=Code.BAD_VALUE, details={"value": value}) from None
    if not citation.strip():
        raise BusinessError(_("Name the document that sets this value."),
                            code=Code.CITATION_REQUIRED)
    with transaction.atomic():
        row, _created = RuleOverride.objects.update_or_create(
            module=module, profile=profile, key=key, area_code=area_code,
            defaults={"value": str(parsed) if not isinstance(parsed, bool) else
                      ("true" if parsed else "false"),
                      "citation": citation.strip()[:300], "reason": reason.strip()[:300],
                      "set_by": actor if getattr(actor, "pk", None) else None})
        record(actor=actor, action=AuditAction.OVERRIDE_SET, obj=row, area_code=area_code,
               changes={"module": module, "profile": profile, "key": key,
                        "value": row.value, "citation": row.citation})
    return row


def clear_override(*, actor: Any, module: str, profile: str, key: str, area_code: str) -> None:
    authz.check(actor, Perm.MANAGE, area_code)
    with transaction.atomic():
        row = RuleOverride.objects.select_for_update().filter(
            module=module, profile=profile, key=key, area_code=area_code).first()
        if row is None:
            raise BusinessError(_("No local value is set there."), code=Code.NO_OVERRIDE)
        record(actor=actor, action=AuditAction.OVERRIDE_CLEAR, obj=row, area_code=area_code,
               changes={"module": module, "profile": profile, "key": key, "value": row.value})
        row.delete()
