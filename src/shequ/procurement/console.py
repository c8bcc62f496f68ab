"""The console's "to do" figures for purchase projects (only what the user may act on)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from shequ import authz
from shequ.core.registry import ConsoleItem
from shequ.procurement import selectors
from shequ.procurement.enums import Perm


def items(user: Any) -> list[ConsoleItem]:
    if not authz.has_perm(user, Perm.BUY):
        return []
    f = selectors.console_figures(user)
    out = [
        ConsoleItem(_("Purchase projects past their bid deadline"), f["to_close"],
                    "procurement:projects", "state=tendering"),
        ConsoleItem(_("Purchase projects under evaluation"), f["to_evaluate"],
                    "procurement:projects", "state=evaluating"),
        ConsoleItem(_("Awarded purchase projects awaiting a contract"), f["to_sign"],
                    "procurement:projects", "state=awarded"),
        ConsoleItem(_("Supplier enquiries awaiting an answer"), f["enquiries"],
                    "procurement:projects", "state=tendering", "warn"),
        ConsoleItem(_("Supplier questions awaiting an answer"), f["complaints"],
                    "procurement:projects", "", "bad"),
    ]
    return [i for i in out if i.value]
