"""Reading the audit log, scoped: a street officer sees the entries of their street."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from shequ import authz
from shequ.audit.enums import Perm
from shequ.audit.models import AuditEntry


def entries(*, user: Any, within: str = "", action: str = "", limit: int = 100
            ) -> list[AuditEntry]:
    """The newest entries inside the user's scope (and inside ``within``, if given), and
    the user's own entries outside any area (a national calendar they entered)."""
    authz.check(user, Perm.VIEW, within or None)
    scope = authz.scope_q(user, Perm.VIEW, field="area_code")
    if getattr(user, "pk", None) and not within:
        scope |= Q(area_code="", actor_id=user.pk)
    qs: QuerySet[AuditEntry] = AuditEntry.objects.filter(scope)
    if within:
        qs = qs.filter(area_code__startswith=within)
    if action:
        qs = qs.filter(action=action)
    return list(qs.order_by("-at", "-id")[:limit])
