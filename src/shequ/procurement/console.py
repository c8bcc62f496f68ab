"""The console's "to do" figures for purchase projects (only what the user may act on)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from shequ import authz
from shequ.core.registry import ConsoleItem, PanelItem, SelfPanel
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


def self_panels(user: Any) -> list[SelfPanel]:
    """An organisation's user: the tenders open now (up to five) on their own page."""
    from django.urls import reverse
    from django.utils import timezone

    from shequ.orgs import facade as orgs

    if not authz.has_perm(user, Perm.BID) or not orgs.orgs_of_user(user):
        return []
    tenders = selectors.open_tenders(on=timezone.localdate())[:5]
    items = [PanelItem(p.title, reverse("procurement:tender", args=[p.number]),
                       _("bids due by %(d)s") % {"d": p.bid_deadline}) for p in tenders]
    return [SelfPanel(_("Open tenders"), items, empty=_("No tender is open now."),
                      more_url=reverse("procurement:portal"), order=55)]
