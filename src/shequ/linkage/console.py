"""The console's "to do" figures for linkage."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from shequ import authz
from shequ.core.registry import ConsoleItem
from shequ.linkage.enums import Perm
from shequ.linkage.models import EngagementState, Need, NeedState


def items(user: Any) -> list[ConsoleItem]:
    if not authz.has_perm(user, Perm.POST):
        return []
    scope = authz.scope_q(user, Perm.POST)
    open_needs = Need.objects.filter(scope, state=NeedState.OPEN).count()
    feedback = Need.objects.filter(scope, engagements__state=EngagementState.COMPLETED).count()
    out = [ConsoleItem(_("Community needs waiting for a provider"), open_needs, "linkage:needs",
                       "state=open"),
           ConsoleItem(_("Completed engagements waiting for feedback"), feedback,
                       "linkage:needs", "state=matched", "warn")]
    return [i for i in out if i.value]
