"""Figures for the staff console: proposals and disclosures waiting in the user's scope."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from shequ.authz import has_perm
from shequ.autonomy import selectors
from shequ.autonomy.enums import Perm
from shequ.core.registry import ConsoleItem


def items(user: Any) -> list[ConsoleItem]:
    found: list[ConsoleItem] = []
    if has_perm(user, Perm.MANAGE):
        found.append(ConsoleItem(_("Open proposals"), selectors.review_queue(user).count(),
                                 "autonomy:desk"))
    if has_perm(user, Perm.SUPERVISE):
        found.append(ConsoleItem(_("Overdue disclosures"), selectors.overdue_for(user).count(),
                                 "autonomy:desk", "", "bad"))
    return found
