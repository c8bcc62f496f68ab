"""The resident's own page (``/me/``): her applications and the notices about them."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from shequ.authz import has_perm
from shequ.core.registry import PanelItem, SelfPanel
from shequ.services import notices, selectors
from shequ.services.enums import Perm

SHOWN = 5


def panels(user: Any) -> list[SelfPanel]:
    if not has_perm(user, Perm.APPLY):
        return []
    cases = [PanelItem(f"{c.version.name} {c.number}", reverse("services:case", args=[c.number]),
                       c.get_state_display())
             for c in selectors.my_cases(user=user)[:SHOWN]]
    unread = [PanelItem(notices.notice(n), reverse("services:case", args=[n.case.number]),
                        n.created_at.strftime("%Y-%m-%d"))
              for n in selectors.notifications(user=user).filter(read_at__isnull=True)[:SHOWN]]
    return [
        SelfPanel(_("My applications"), cases, empty=_("No applications yet."),
                  more_url=reverse("services:mine"), order=10),
        SelfPanel(_("Notices about my applications"), unread, empty=_("No unread notices."),
                  more_url=reverse("services:mine"), order=11),
    ]


def unread(user: Any) -> int:
    """The menu badge on "my applications": unread notices (one indexed query)."""
    if not getattr(user, "pk", None):
        return 0
    return selectors.notifications(user=user).filter(read_at__isnull=True).count()
