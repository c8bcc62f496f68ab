"""Reading the audit log, scoped: a street officer sees the entries of their street."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from shequ import authz
from shequ.audit.models import AuditEntry


def entries(*, user: Any, within: str = "", action: str = "", limit: int = 100
            ) -> list[AuditEntry]:
    """The newest entries inside the user's scope (and inside ``within``, if given)."""
    authz.check(user, "audit.view", within or None)
    qs: QuerySet[AuditEntry] = AuditEntry.objects.filter(
        authz.scope_q(user, "audit.view", field="area_code"))
    if within:
        qs = qs.filter(area_code__startswith=within)
    if action:
        qs = qs.filter(action=action)
    return list(qs.order_by("-at", "-id")[:limit])
