"""Figures for the staff console: elections under way in the user's scope."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from shequ.authz import has_perm
from shequ.core.registry import ConsoleItem
from shequ.elections import selectors
from shequ.elections.enums import Perm
from shequ.elections.lifecycles import CLOSED_STATES


def items(user: Any) -> list[ConsoleItem]:
    if not has_perm(user, Perm.VIEW):
        return []
    running = selectors.elections(user=user).exclude(status__in=list(CLOSED_STATES))
    return [ConsoleItem(_("Elections under way"), running.count(), "elections:index")]
