"""Figures that exist only on paper, entered by hand with who and when (ADR 1002)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from shequ import authz
from shequ.areas.models import Area
from shequ.assessment.enums import AuditAction, Code, Perm
from shequ.assessment.indicators import MANUAL
from shequ.assessment.models import ManualFigure
from shequ.assessment.services.schemes import _decimal, indicator_or_error
from shequ.audit.services import record
from shequ.core.errors import BusinessError, NotFound


def enter_figure(*, actor: Any, indicator: str, area_code: str, start: date, end: date,
                 value: Any, note: str = "") -> ManualFigure:
    ind = indicator_or_error(indicator)
    if indicator not in MANUAL:
        raise BusinessError(_("%(i)s is computed from the data the system holds; only figures "
                              "that exist on paper are entered by hand.") % {"i": ind.name},
                            code=Code.NOT_MANUAL)
    if not Area.objects.filter(code=area_code).exists():
        raise NotFound(_("Unknown area code: %(c)s.") % {"c": area_code}, code=Code.UNKNOWN_AREA)
    authz.check(actor, Perm.ENTER, area_code)
    if end < start:
        raise BusinessError(_("The period ends (%(e)s) before it starts (%(s)s).")
                            % {"s": start, "e": end}, code=Code.BAD_PERIOD)
    number = _decimal(value, _("value"), indicator)
    if number < 0:
        raise BusinessError(_("%(i)s cannot be negative.") % {"i": ind.name}, code=Code.BAD_VALUE)
    if len(note) > 300:
        raise BusinessError(_("The source document is described in at most 300 characters."),
                            code=Code.BAD_VALUE)
    with transaction.atomic():
        row = ManualFigure.objects.create(
            indicator=indicator, area_code=area_code, start=start, end=end, value=number,
            note=note, entered_by=actor if getattr(actor, "pk", None) else None,
            entered_by_name=getattr(actor, "username", "") or str(actor))
        record(actor=actor, action=AuditAction.FIGURE_ENTER, obj=row, area_code=area_code,
               changes={"indicator": indicator, "start": start.isoformat(),
                        "end": end.isoformat(), "value": str(number), "note": note})
    return row
