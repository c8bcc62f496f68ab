from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext as _

from shequ.accounts.permissions import has_perm
from shequ.core.registry import NAV


def site(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    signed_in = bool(user and user.is_authenticated)
    nav = [item for item in NAV
           if item.perm is None or (signed_in and has_perm(user, item.perm))]
    return {
        "shequ_site_name": settings.SHEQU_SITE_NAME or _("Jinjiang Community Governance"),
        "is_staff_user": signed_in and has_perm(user, "console.view"),
        "nav_public": [i for i in nav if i.section == "public"],
        "nav_staff": [i for i in nav if i.section == "staff"],
        "nav_self": [i for i in nav if i.section == "self"],
    }
