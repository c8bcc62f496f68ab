"""Figures for the staff console: individuals' rights requests waiting (PIPL time limits)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from shequ.core.registry import ConsoleItem
from shequ.people import access, selectors
from shequ.people.models import RightsStatus


def items(user: Any) -> list[ConsoleItem]:
    if not access.can_handle_rights(user):
        return []
    pending = selectors.rights_requests(user=user, status=RightsStatus.OPEN).count()
    return [ConsoleItem(_("Personal-data requests pending"), pending, "people:rights", "",
                        "warn" if pending else "")]
