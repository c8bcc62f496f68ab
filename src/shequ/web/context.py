from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from shequ.authz import has_perm
from shequ.core.registry import NAV
from shequ.web.enums import Perm as WebPerm

log = logging.getLogger("shequ.web")


def site(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    signed_in = bool(user and user.is_authenticated)
    nav = []
    for item in NAV:
        if item.perm is not None and not (signed_in and has_perm(user, item.perm)):
            continue
        try:
            nav.append({"label": item.label, "url": reverse(item.url_name),
                        "section": item.section})
        except NoReverseMatch:  # a module registered a page it does not serve (test_nav)
            log.error("menu item %s does not resolve", item.url_name)
    return {
        "shequ_site_name": settings.SHEQU_SITE_NAME or _("Jinjiang Community Governance"),
        "is_staff_user": signed_in and has_perm(user, WebPerm.CONSOLE),
        "nav_public": [i for i in nav if i["section"] == "public"],
        "nav_staff": [i for i in nav if i["section"] == "staff"],
        "nav_self": [i for i in nav if i["section"] == "self"],
    }
