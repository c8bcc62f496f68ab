"""Roles and what each may do. Other modules add their permissions in their
``AppConfig.ready`` with :func:`allow`, so each module declares its own (Decidim's
manifest habit) while the check stays one function."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    DISTRICT_ADMIN = "district_admin", _("District administrator")
    CIVIL_AFFAIRS = "civil_affairs", _("Civil-affairs officer")
    STREET_OFFICER = "street_officer", _("Street officer")
    STATION_WORKER = "station_worker", _("Service-station worker")
    COMMUNITY_WORKER = "community_worker", _("Community worker")
    REPRESENTATIVE = "representative", _("Resident representative")
    RESIDENT = "resident", _("Resident")
    ORG_USER = "org_user", _("Social-organisation user")


STAFF_ROLES = frozenset({Role.DISTRICT_ADMIN, Role.CIVIL_AFFAIRS, Role.STREET_OFFICER,
                         Role.STATION_WORKER, Role.COMMUNITY_WORKER})

ROLE_PERMISSIONS: dict[str, set[str]] = {role.value: set() for role in Role}


def allow(roles: list[Role] | frozenset[Role] | set[Role], *perms: str) -> None:
    for role in roles:
        ROLE_PERMISSIONS[role.value].update(perms)


# Foundation permissions.
allow(list(Role), "areas.view")
allow(STAFF_ROLES, "console.view", "areas.figures")
allow({Role.DISTRICT_ADMIN, Role.CIVIL_AFFAIRS}, "areas.manage")
allow({Role.DISTRICT_ADMIN}, "accounts.manage", "calendar.manage", "audit.verify")
allow({Role.DISTRICT_ADMIN, Role.CIVIL_AFFAIRS, Role.STREET_OFFICER}, "audit.view")
