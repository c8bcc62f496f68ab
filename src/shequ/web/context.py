from __future__ import annotations

import logging
from datetime import date
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from shequ.authz import has_perm
from shequ.core.calendar import get_calendar
from shequ.core.registry import BADGES, NAV
from shequ.web.enums import Perm as WebPerm

log = logging.getLogger("shequ.web")


def site(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    signed_in = bool(user and user.is_authenticated)
    nav: list[dict[str, Any]] = []
    for item in NAV:
        if item.perm is not None and not (signed_in and has_perm(user, item.perm)):
            continue
        try:
            nav.append({"label": item.label, "url": reverse(item.url_name),
                        "section": item.section, "url_name": item.url_name})
        except NoReverseMatch:  # a module registered a page it does not serve (test_nav)
            log.error("menu item %s does not resolve", item.url_name)
    badges = {}
    if signed_in:
        for url_name, provider in BADGES:
            count = provider(user)
            if count:
                badges[url_name] = count
    for entry in nav:
        entry["badge"] = badges.get(str(entry["url_name"]), 0)
    is_staff = signed_in and has_perm(user, WebPerm.CONSOLE)
    return {
        "calendar_warning": calendar_warning() if is_staff else "",
        "shequ_site_name": settings.SHEQU_SITE_NAME or _("Jinjiang Community Governance"),
        "is_staff_user": is_staff,
        "nav_public": [i for i in nav if i["section"] == "public"],
        "nav_staff": [i for i in nav if i["section"] == "staff"],
        "nav_self": [i for i in nav if i["section"] == "self"],
    }


def calendar_warning(today: date | None = None) -> str:
    """From 1 November (the State Council usually publishes the next year's holidays in
    late October or November), warn staff while next year is not entered: deadlines that
    run into it cannot be computed until it is."""
    today = today or timezone.localdate()
    known = get_calendar().known_years
    if today.year not in known:
        return _("The working-day calendar does not know %(y)d: deadlines cannot be computed. "
                 "An administrator must enter this year's holiday notice on the calendar page."
                 ) % {"y": today.year}
    if today.month >= 11 and today.year + 1 not in known:
        return _("The working-day calendar does not know %(y)d yet: deadlines that run into "
                 "it cannot be computed. An administrator should enter the holiday notice for "
                 "%(y)d on the calendar page as soon as it is published.") % {"y": today.year + 1}
    return ""
