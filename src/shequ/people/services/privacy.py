"""Personal data at rest (PIPL): reading a full number (logged), de-identifying a record,
the retention job and re-sealing under a new key (ADR 0300, ADR 0303)."""

from __future__ import annotations

import uuid
from collections import defaultdict
from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shequ import authz
from shequ.audit.services import record
from shequ.core import crypto
from shequ.core.errors import BusinessError
from shequ.people import access, rules
from shequ.people.enums import AuditAction, Code, Perm
from shequ.people.models import (
    ID_CONTEXT,
    PHONE_CONTEXT,
    Household,
    IdentityReveal,
    Resident,
    RevealChannel,
    years_before,
)
from shequ.people.services._common import actor_name, actor_pk, open_number

REASON_MAX = 300


def reveal_identity_number(actor: Any, resident: Resident, reason: str, *,
                           channel: str = RevealChannel.PAGE) -> str:
    """The full identity number, for a stated reason: permission ``people.reveal_id`` at the
    resident's area (or the resident themself); the read is logged (who, when, why) in
    :class:`IdentityReveal` and the audit chain, in the same transaction."""
    access.check(access.reveal_refusal(actor, resident))
    reason = (reason or "").strip()
    if len(reason) < 2:
        raise BusinessError(_("Say why you need the full number."), code=Code.REASON_REQUIRED,
                            details={"field": "reason"})
    return _reveal(actor, resident, reason[:REASON_MAX], channel)


def own_copy_number(actor: Any, resident: Resident) -> str:
    """The full number for a person's copy of their own data (PIPL Art. 45): the law is
    the reason, so none is stored in words (``IdentityReveal.why`` says it in the
    reader's language)."""
    access.check(access.reveal_refusal(actor, resident))
    return _reveal(actor, resident, "", RevealChannel.COPY)


def _reveal(actor: Any, resident: Resident, reason: str, channel: str) -> str:
    with transaction.atomic():
        number = open_number(resident)
        reveal = IdentityReveal.objects.create(
            resident=resident, actor_id=actor_pk(actor), actor_name=actor_name(actor),
            reason=reason, channel=channel, area_code=resident.area_code)
        record(actor=actor, action=AuditAction.RESIDENT_REVEAL_ID, obj=resident,
               area_code=resident.area_code,
               changes={"reason": reason, "channel": str(channel), "reveal": reveal.pk})
    return number


def deidentify(*, actor: Any, resident: Resident, reason: str) -> Resident:
    """Remove what identifies the person (PIPL Art. 47, 51) and keep what statistics need:
    area, sex, year of birth, statuses. Cannot be undone."""
    access.can_handle_rights.check(actor, resident.area_code)
    with transaction.atomic():
        wipe(resident)
        record(actor=actor, action=AuditAction.RESIDENT_DEIDENTIFY, obj=resident,
               area_code=resident.area_code, changes={"reason": reason[:REASON_MAX]})
    return resident


def wipe(resident: Resident) -> None:
    """De-identify in place (the caller holds the transaction and writes the audit entry).
    The name is emptied, not replaced by a word: pages say "de-identified" in the
    reader's language."""
    Household.objects.filter(head=resident).update(head=None)
    resident.name = ""
    resident.id_hash = f"deid:{uuid.uuid4().hex}"
    resident.id_cipher = ""
    resident.id_masked = ""
    resident.phone_cipher = ""
    resident.phone_last4 = ""
    resident.birth_date = date(resident.birth_date.year, 1, 1)
    resident.registered_address = ""
    resident.actual_address = ""
    resident.user = None
    resident.household = None
    resident.deidentified_at = timezone.now()
    resident.moved_out_on = resident.moved_out_on or timezone.localdate()
    resident.save()


def run_retention(*, actor: Any, today: date | None = None, dry_run: bool = False,
                  years: int | None = None) -> int:
    """De-identify everyone who moved away longer ago than the retention period in force
    at their community (``retention_years``, a local value per area). Idempotent; one
    audit entry per community. ``years`` replaces the rule (tests, a one-off run)."""
    access.can_handle_rights.check(actor)
    today = today or timezone.localdate()
    gone = Resident.objects.filter(moved_out_on__isnull=False, deidentified_at__isnull=True,
                                   ).filter(authz.scope_q(actor, Perm.RIGHTS))
    codes = set(gone.values_list("community_code", flat=True).distinct())
    profiles = rules.profiles_at(codes) if years is None else {}
    cutoffs: dict[str, tuple[date, int]] = {}
    groups: dict[tuple[date, int], list[str]] = defaultdict(list)
    for code in sorted(codes):
        n = years if years is not None else profiles[code].number(rules.RETENTION_YEARS)
        cutoffs[code] = (years_before(today, n), n)
        groups[cutoffs[code]].append(code)
    due_q = Q(pk__in=[])
    for (cutoff, _n), group in groups.items():  # usually one group: one statement
        due_q |= Q(community_code__in=group, moved_out_on__lt=cutoff)
    due = gone.filter(due_q)
    if dry_run:
        return due.count()
    done = 0
    for code in sorted(set(due.values_list("community_code", flat=True).distinct())):
        cutoff, n = cutoffs[code]
        with transaction.atomic():
            batch = list(due.filter(community_code=code).select_for_update())
            for resident in batch:
                wipe(resident)
            record(actor=actor, action=AuditAction.RESIDENT_RETENTION,
                   object_type="people.resident", area_code=code,
                   changes={"deidentified": len(batch), "cutoff": cutoff, "years": n})
            done += len(batch)
    return done


def reseal_all(*, actor: Any, batch_size: int = 2000) -> dict[str, int]:
    """Move every sealed value to the current key (after adding a key in front of
    ``SHEQU_PII_KEYS``). Idempotent; resumable; hashes are unchanged. Operators only
    (the CLI's system actor or a superuser): it touches every area."""
    access.check(access.reseal_refusal(actor))
    counts: dict[str, int] = defaultdict(int, checked=0, resealed=0)
    last = 0
    while True:
        rows = list(Resident.objects.filter(pk__gt=last).order_by("pk")
                    .values_list("pk", "id_cipher", "phone_cipher")[:batch_size])
        if not rows:
            break
        changed: list[Resident] = []
        for pk, id_cipher, phone_cipher in rows:
            counts["checked"] += 1
            new_id = crypto.reseal(id_cipher, context=ID_CONTEXT) \
                if id_cipher and crypto.needs_reseal(id_cipher) else id_cipher
            new_phone = crypto.reseal(phone_cipher, context=PHONE_CONTEXT) \
                if phone_cipher and crypto.needs_reseal(phone_cipher) else phone_cipher
            if (new_id, new_phone) != (id_cipher, phone_cipher):
                changed.append(Resident(pk=pk, id_cipher=new_id, phone_cipher=new_phone))
        with transaction.atomic():
            Resident.objects.bulk_update(changed, ["id_cipher", "phone_cipher"])
            if changed:
                record(actor=actor, action=AuditAction.RESIDENT_RESEAL,
                       object_type="people.resident",
                       changes={"from_pk": rows[0][0], "to_pk": rows[-1][0],
                                "resealed": len(changed)})
        counts["resealed"] += len(changed)
        last = rows[-1][0]
    return dict(counts)
