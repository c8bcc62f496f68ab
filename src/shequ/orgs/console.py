"""The console's "to do" figures for organisation work (only what the user may see)."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shequ import authz
from shequ.core.registry import ConsoleItem
from shequ.orgs import selectors
from shequ.orgs.enums import Perm


def items(user: Any) -> list[ConsoleItem]:
    if not authz.has_perm(user, Perm.SUPERVISE):
        return []
    today = timezone.localdate()
    queue = selectors.applications(user=user, queue=True)
    out = [
        ConsoleItem(_("Organisation applications to decide"), queue.count(), "orgs:queue"),
        ConsoleItem(_("Organisation applications overdue"),
                    selectors.overdue_applications(user=user, on=today).count(), "orgs:queue",
                    "overdue=1", "bad"),
        ConsoleItem(_("Annual reports awaiting inspection"),
                    selectors.report_queue(user=user).count(), "orgs:supervision"),
        ConsoleItem(_("Open complaints about organisations"),
                    selectors.open_complaints(user=user).count(), "orgs:supervision", "", "warn"),
    ]
    return [i for i in out if i.value]
