"""Figures for the staff console: compounds beyond the circle in the user's scope."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from shequ.access import selectors
from shequ.access.enums import Perm
from shequ.authz import has_perm, scope_codes
from shequ.core.registry import ConsoleItem


def items(user: Any) -> list[ConsoleItem]:
    if not has_perm(user, Perm.VIEW):
        return []
    codes = scope_codes(user, Perm.VIEW)
    out: list[ConsoleItem] = []
    for code in (codes or [])[:1]:
        latest = selectors.analyses(user=user, within=code).filter(state="done").first()
        if latest is None:
            continue
        n = selectors.outside(latest, code).count()
        out.append(ConsoleItem(_("Compounds beyond the 15-minute circle"), n, "access:index",
                               "", "warn" if n else ""))
    return out
