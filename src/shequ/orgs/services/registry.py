"""The registry itself: linking users who act for an organisation, and the service profile
an organisation keeps up to date (what it serves, how much it can take on)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from shequ import authz
from shequ.audit.services import record
from shequ.core.errors import BusinessError
from shequ.orgs.access import forget
from shequ.orgs.enums import AuditAction, Code, Perm
from shequ.orgs.models import Category, Operator, Org, Track
from shequ.orgs.services._common import (
    history,
    require_live,
    require_operator,
    require_org,
    sync_services,
    today,
)


def add_operator(*, actor: Any, org_id: int, user: Any, on: date | None = None) -> Operator:
    """Staff of the authority that keeps the file link a user to act for the organisation
    (after checking who they are)."""
    org = require_org(org_id)
    perm = Perm.FILING_DECIDE if org.track == Track.FILED else Perm.REGISTRATION_DECIDE
    authz.check(actor, perm, org.authority_code)
    if not getattr(user, "pk", None):
        raise BusinessError(_("No such user."), code=Code.NOT_OPERATOR)
    day = today(on)
    with transaction.atomic():
        op, created = Operator.objects.get_or_create(org=org, user_id=user.pk,
                                                     defaults={"added_on": day})
        if created:
            history(org, "operator_added", day=day, actor=actor, public=False)
            record(actor=actor, action=AuditAction.OPERATOR_ADD, obj=op, area_code=org.area_code,
                   changes={"org": org.pk, "user": user.pk})
    forget(user)
    return op


def update_service_profile(*, actor: Any, org_id: int, categories: Sequence[str],
                           capacity: int, lat_e6: int | None = None,
                           lon_e6: int | None = None) -> Org:
    """What the organisation serves and how many engagements it can take at once (not
    registered items: no application needed). Place is given with the premises' address."""
    org = require_org(org_id)
    if not authz.has_perm(actor, Perm.SUPERVISE, org.authority_code):
        require_operator(actor, org)
    require_live(org)
    cats = list(dict.fromkeys(str(c) for c in categories))
    if not cats or any(c not in Category.values for c in cats):
        raise BusinessError(_("Choose at least one service category."), code=Code.KIND_TRACK)
    if not 0 < capacity <= 100:
        raise BusinessError(_("Capacity is 1 to 100 engagements at once."), code=Code.BAD_AMOUNT)
    for value, low, high in ((lat_e6, -90_000_000, 90_000_000), (lon_e6, -180_000_000, 180_000_000)):
        if value is not None and not low <= value <= high:
            raise BusinessError(_("Coordinates are out of range."), code=Code.BAD_AMOUNT)
    with transaction.atomic():
        org = require_org(org_id, lock=True)
        before = {"categories": org.categories, "capacity": org.capacity,
                  "lat_e6": org.lat_e6, "lon_e6": org.lon_e6}
        org.categories, org.capacity = cats, capacity
        if lat_e6 is not None and lon_e6 is not None:
            org.lat_e6, org.lon_e6 = lat_e6, lon_e6
        org.save(update_fields=["categories", "capacity", "lat_e6", "lon_e6", "updated_at"])
        sync_services(org)
        after = {"categories": org.categories, "capacity": org.capacity,
                 "lat_e6": org.lat_e6, "lon_e6": org.lon_e6}
        record(actor=actor, action=AuditAction.ORG_CHANGE, obj=org, area_code=org.area_code,
               changes={k: [before[k], after[k]] for k in after if before[k] != after[k]})
    return org
