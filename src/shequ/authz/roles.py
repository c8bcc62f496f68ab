"""The eight roles. A role is granted at an area code and covers everything below it."""

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


STAFF_ROLES: frozenset[Role] = frozenset({
    Role.DISTRICT_ADMIN, Role.CIVIL_AFFAIRS, Role.STREET_OFFICER, Role.STATION_WORKER,
    Role.COMMUNITY_WORKER,
})
