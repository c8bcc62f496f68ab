"""Objections to the published roll: filed within 5 days, decided within 3 (a late
decision is recorded and flagged, never refused: ADR 0603)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from shequ.audit.services import record
from shequ.core.errors import BusinessError, Conflict, NotFound
from shequ.elections.enums import AuditAction, Code, Perm
from shequ.elections.errors import refuse
from shequ.elections.lifecycles import OBJECTION, WINDOWS
from shequ.elections.models import Basis, Objection, Voter
from shequ.elections.rules import profile_of
from shequ.elections.services._base import locked, text, today
from shequ.elections.services.roll import _resident, add_resident

DECISIONS = {Objection.Decision.UPHELD: Objection.Action.UPHOLD,
             Objection.Decision.REJECTED: Objection.Action.REJECT}


def file_objection(*, actor: Any, election_id: int, kind: str, filed_by: str, reason: str,
                   voter_id: int | None = None, identity_number: str | None = None,
                   on: date | None = None) -> Objection:
    """An objection to the published roll, within the statutory period."""
    window = WINDOWS["file_objection"]
    with transaction.atomic():
        election = locked(actor, election_id, window.perm)
        window.require(election)
        prof = profile_of(election)
        day = today(on)
        period = prof.rule("objection_days")
        published = election.roll_published_on
        assert published is not None  # every state of the window comes after publication
        last = published + timedelta(days=period.value)
        if day > last or day < published:
            raise refuse(_("Objections are accepted within %(n)d days of the roll's publication "
                           "(until %(last)s).") % {"n": period.value, "last": last}, period,
                         last_day=last)
        if kind not in Objection.Kind.values or not (reason or "").strip() \
                or not (filed_by or "").strip():
            raise BusinessError(_("An objection needs its kind, who files it and the reason."),
                                code=Code.OBJECTION_INVALID)
        reason = text(reason, what=_("The reason"), maxlen=500)
        filed_by = text(filed_by, what=_("Who files it"), maxlen=100)
        voter = resident = None
        if kind == Objection.Kind.WRONGFUL:
            voter = election.voters.filter(pk=voter_id or 0, removed=False).first()
            if voter is None:
                raise NotFound(_("That person is not on the roll."), code=Code.VOTER_NOT_FOUND)
        else:
            resident = _resident(election.area_code, None, identity_number) if identity_number else None
            if resident is None:
                raise NotFound(_("Give the identity number of the person missing from the roll."),
                               code=Code.RESIDENT_NOT_FOUND)
        obj = Objection.objects.create(election=election, kind=kind, voter=voter, resident=resident,
                                       filed_by=filed_by, reason=reason, filed_on=day)
        record(actor=actor, action=AuditAction.OBJECTION_FILE, obj=obj,
               area_code=election.area_code,
               changes={"kind": kind, "filed_on": day, "voter": voter_id})
    return obj


def decide_objection(*, actor: Any, objection_id: int, decision: str, reason: str,
                     on: date | None = None) -> Objection:
    """Decide an objection; upholding one adds or removes the person. A decision after
    the statutory period is recorded and flagged as late."""
    found = Objection.objects.filter(pk=objection_id).values_list("election_id", flat=True).first()
    if found is None:
        raise NotFound(_("No such objection."), code=Code.OBJECTION_NOT_FOUND)
    with transaction.atomic():
        election = locked(actor, found, Perm.MANAGE)
        # lock the objection only: PostgreSQL cannot lock the nullable side of the joins
        obj = (Objection.objects.select_for_update(of=("self",))
               .select_related("voter", "resident").get(pk=objection_id))
        obj.election = election
        if obj.decision:
            raise Conflict(_("This objection has already been decided."),
                           code=Code.OBJECTION_DECIDED)
        action = DECISIONS.get(decision)  # type: ignore[call-overload]
        if action is None or not (reason or "").strip():
            raise BusinessError(_("A decision is upheld or rejected, with reasons."),
                                code=Code.DECISION_INVALID)
        # at most 300: the reasons also become the roll entry's reason for removal or addition
        reason = text(reason, what=_("The reasons"), maxlen=300)
        day = today(on)
        OBJECTION.check(actor, obj, action, on=day)
        period = profile_of(election).rule("decision_days")
        obj.decided_late = day > obj.filed_on + timedelta(days=period.value)
        if action == Objection.Action.UPHOLD:
            if obj.kind == Objection.Kind.WRONGFUL and obj.voter is not None:
                Voter.objects.filter(pk=obj.voter.pk).update(removed=True, active=False,
                                                             removed_reason=reason)
            elif obj.resident is not None:
                add_resident(actor, election, obj.resident, Basis.OBJECTION, reason)
        obj.decided_on, obj.decision_reason = day, reason
        OBJECTION.move(actor=actor, obj=obj, action=action, on=day,
                       update_fields=["decided_on", "decision_reason", "decided_late"],
                       changes={"decided_on": day, "late": obj.decided_late,
                                "rule": str(period.citation)})
    return obj
