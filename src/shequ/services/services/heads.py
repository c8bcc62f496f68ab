"""The heads of office (本行政机关负责人) who approve extensions (行政许可法 Art. 42;
ADR 0407): designated per office (a street code, or the district code for the district
government) by the district administrator, from a day, until a day."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shequ import authz
from shequ.accounts import facade as accounts
from shequ.areas.models import Area
from shequ.audit.services import record
from shequ.core.errors import BusinessError, NotFound
from shequ.services.enums import AuditAction, Code, Perm
from shequ.services.lifecycles import actor_name
from shequ.services.models import OfficeHead

#: A head heads an office: the district government (6 digits) or a street office (9).
OFFICE_LENGTHS = (6, 9)


def designate_head(*, actor: Any, username: str, area_code: str, title: str = "",
                   since: date | None = None) -> OfficeHead:
    """Make ``username`` a head of the office at ``area_code`` from ``since`` (today)."""
    authz.check(actor, Perm.HEADS, area_code)
    if len(area_code) not in OFFICE_LENGTHS or not Area.objects.filter(code=area_code).exists():
        raise NotFound(_("Unknown office: give a district or street code."),
                       code=Code.UNKNOWN_AREA, details={"area_code": area_code})
    if len(title) > 100:
        raise BusinessError(_("The title is longer than %(n)d characters.") % {"n": 100},
                            code=Code.TOO_LONG, details={"max": 100})
    user = accounts.user_by_username(username)
    if user is None:
        raise NotFound(_("No such user."), code=Code.UNKNOWN_USER,
                       details={"username": username})
    day = since or timezone.localdate()
    with transaction.atomic():
        head, _created = OfficeHead.objects.get_or_create(
            user=user, area_code=area_code, since=day,
            defaults={"title": title.strip(), "designated_by": actor_name(actor)})
        record(actor=actor, action=AuditAction.HEAD_DESIGNATE, obj=head, area_code=area_code,
               changes={"user": user.username, "since": day.isoformat(), "title": title})
    return head


def end_head(*, actor: Any, username: str, area_code: str, until: date | None = None) -> int:
    """End the designations of ``username`` at ``area_code`` on ``until`` (today)."""
    authz.check(actor, Perm.HEADS, area_code)
    day = until or timezone.localdate()
    with transaction.atomic():
        ended = OfficeHead.objects.filter(user__username=username, area_code=area_code,
                                          until__isnull=True).update(until=day)
        if ended:
            record(actor=actor, action=AuditAction.HEAD_END, obj=None, area_code=area_code,
                   changes={"user": username, "until": day.isoformat()})
    return ended


def heads_of(area_code: str, on: date | None = None) -> list[OfficeHead]:
    day = on or timezone.localdate()
    return list(OfficeHead.objects.filter(area_code=area_code, since__lte=day)
                .exclude(until__lt=day).select_related("user"))
