"""Figures for the staff console: what needs acting on in the user's scope."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from shequ.authz import has_perm
from shequ.core.registry import ConsoleItem
from shequ.services import selectors
from shequ.services.enums import Perm
from shequ.services.models import Sla


def items(user: Any) -> list[ConsoleItem]:
    if not has_perm(user, Perm.VIEW):
        return []
    open_cases = selectors.cases(user=user)
    return [
        ConsoleItem(_("Overdue cases"), open_cases.filter(sla=Sla.OVERDUE).count(),
                    "services:work", "sla=overdue", "bad"),
        ConsoleItem(_("Cases near their deadline"), open_cases.filter(sla=Sla.WARNING).count(),
                    "services:work", "sla=warning", "warn"),
        ConsoleItem(_("Results not issued in time"), selectors.issue_overdue(user=user).count(),
                    "services:work", "state=approved", "bad"),
    ]
