"""Figures for the staff console: what needs acting on in the user's scope, in one query
over partial indexes that hold only the rows counted (ADR 0025)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from shequ.authz import has_perm
from shequ.core.registry import ConsoleItem
from shequ.services import selectors
from shequ.services.enums import Perm


def items(user: Any) -> list[ConsoleItem]:
    if not has_perm(user, Perm.VIEW):
        return []
    counts = selectors.alerts(user=user)
    return [
        ConsoleItem(_("Overdue cases"), counts.overdue, "services:work", "sla=overdue", "bad"),
        ConsoleItem(_("Cases near their deadline"), counts.warning, "services:work",
                    "sla=warning", "warn"),
        ConsoleItem(_("Results not issued in time"), counts.late_issue, "services:work",
                    "state=approved", "bad"),
    ]
