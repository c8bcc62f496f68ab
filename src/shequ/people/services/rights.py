"""Individuals' requests to see, copy, correct or delete their data (PIPL Art. 44–47,
ADR 0303), answered through the rights-request lifecycle (``lifecycles.RIGHTS``)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shequ.audit.services import record
from shequ.authz import SYSTEM
from shequ.core.errors import BusinessError, Conflict
from shequ.people import access, rules
from shequ.people.enums import AuditAction, Code
from shequ.people.lifecycles import RIGHTS, on_time
from shequ.people.models import Resident, RightsAction, RightsKind, RightsRequest
from shequ.people.services._common import actor_name
from shequ.people.services.privacy import own_copy_number, wipe
from shequ.people.services.residents import update_resident


def file_rights_request(*, actor: Any, resident: Resident, kind: str, detail: str = "",
                        received_on: date | None = None) -> RightsRequest:
    """A resident (their own record) or staff on their behalf files a request to see,
    copy, correct or delete data; the answer is due within ``rights_answer_days`` (the
    value in force at the resident's area)."""
    access.check(access.own_or_rights_refusal(actor, resident))
    if kind not in RightsKind.values:
        raise BusinessError(_("Unknown request kind: %(k)s.") % {"k": kind}, code=Code.UNKNOWN_KIND,
                            details={"kinds": list(RightsKind.values)})
    detail = detail.strip()
    if kind == RightsKind.CORRECT and not detail:
        raise BusinessError(_("Say what should be corrected."), code=Code.DETAIL_REQUIRED,
                            details={"field": "detail"})
    received = received_on or timezone.localdate()
    profile = rules.profile_at(resident.area_code)
    with transaction.atomic():
        req = RightsRequest.objects.create(
            resident=resident, kind=kind, detail=detail, area_code=resident.area_code,
            received_on=received,
            due_on=received + timedelta(days=profile.number(rules.RIGHTS_ANSWER_DAYS)))
        record(actor=actor, action=AuditAction.RIGHTS_REQUEST_FILE, obj=req,
               area_code=req.area_code,
               changes={"kind": kind, "due_on": req.due_on, "resident": resident.pk,
                        "rules": profile.version})
    return req


def decide_rights_request(*, actor: Any, request: RightsRequest, accept: bool, outcome: str,
                          corrections: dict[str, Any] | None = None,
                          on: date | None = None) -> RightsRequest:
    """Answer a request, once. Accepting a deletion de-identifies the record; accepting a
    correction applies ``corrections`` through :func:`update_resident`. A refusal needs
    its reason in ``outcome`` (PIPL Art. 50). ``on`` is the day of the answer (today
    unless recorded later); whether it was on time is kept with it."""
    action = RightsAction.ACCEPT if accept else RightsAction.REFUSE
    on = on or timezone.localdate()
    access.can_handle_rights.check(actor, request.area_code)
    if RIGHTS.is_final(request.status):
        raise Conflict(_("This request has already been answered."), code=Code.ALREADY_DECIDED,
                       details={"status": request.status})
    RIGHTS.check(actor, request, action, on=on)
    outcome = outcome.strip()
    if not outcome:
        raise BusinessError(_("Write the outcome (and the reason, if refused)."),
                            code=Code.OUTCOME_REQUIRED, details={"field": "outcome"})
    with transaction.atomic():
        request = RightsRequest.objects.select_for_update().select_related("resident").get(
            pk=request.pk)
        resident = request.resident
        if accept and request.kind == RightsKind.CORRECT and corrections:
            update_resident(actor=actor, resident=resident, **corrections)
        if accept and request.kind == RightsKind.DELETE and resident.deidentified_at is None:
            wipe(resident)
        request.outcome = outcome
        request.decided_at = timezone.now()
        request.decided_by = actor_name(actor)
        RIGHTS.move(actor=actor, obj=request, action=action, on=on,
                    changes={"outcome": outcome, "on_time": on_time(request, on),
                             "decided_on": on, "corrections": sorted(corrections or {})})
    return request


def copy_of_own_data(*, actor: Any, resident: Resident) -> dict[str, Any]:
    """The resident's own data (PIPL Art. 45), the full number included; logged as a read."""
    access.check(access.own_or_rights_refusal(actor, resident))
    data = access.present(SYSTEM, resident)
    data["id_number"] = own_copy_number(actor, resident)
    data["household"] = resident.household.number if resident.household else ""
    return data
