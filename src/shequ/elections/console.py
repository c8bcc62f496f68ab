"""Figures for the staff console: elections under way in the user's scope."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from shequ.authz import has_perm
from shequ.core.registry import ConsoleItem
from shequ.elections import selectors
from shequ.elections.enums import Perm
from shequ.elections.lifecycles import CLOSED_STATES
from shequ.elections.models import Kind


def items(user: Any) -> list[ConsoleItem]:
    """Elections under way, and recall votes under way apart (they run on the same pages
    but are not elections, ADR 0612)."""
    if not has_perm(user, Perm.VIEW):
        return []
    running = selectors.elections(user=user).exclude(status__in=list(CLOSED_STATES))
    recalls = running.filter(kind=Kind.RECALL).count()
    out = [ConsoleItem(_("Elections under way"), running.exclude(kind=Kind.RECALL).count(),
                       "elections:index")]
    if recalls:
        out.append(ConsoleItem(_("Recall votes under way"), recalls, "elections:index"))
    return out
