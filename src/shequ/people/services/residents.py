"""Registering residents and households, changing and correcting them, moving away,
household heads and the link to a resident's own account."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shequ.audit.services import diff, record
from shequ.core import crypto
from shequ.core.errors import BusinessError, Conflict
from shequ.people import access
from shequ.people.enums import AuditAction, Code
from shequ.people.models import Household, Resident
from shequ.people.services._common import (
    area_in,
    community,
    duplicate_identity,
    head_conflict,
    household_of,
    log_elsewhere,
    name_of,
    parse_number,
    registered_elsewhere,
    seal_number,
    sealed_phone,
)


def register_resident(*, actor: Any, name: str, id_number: str, community_code: str,
                      area_code: str | None = None, household_number: str = "",
                      household_address: str = "", head: bool = False, phone: str = "",
                      registered_here: bool = True, lives_here: bool = True,
                      residence_since: date | None = None, disability: bool = False,
                      low_income: bool = False, registered_address: str = "",
                      actual_address: str = "") -> Resident:
    """Register a person in a community (or register again someone who moved away).

    Refused: an invalid number; a person already registered here or in another community
    (answered without saying which, and logged for the district: ADR 0308); a second head
    for a household; a field the actor may not read (ADR 0307)."""
    access.can_manage.check(actor, community_code)
    access.check(access.new_resident_refusal(actor, community_code, {
        "phone": phone, "registered_address": registered_address,
        "actual_address": actual_address, "disability": disability, "low_income": low_income}))
    community(community_code)
    area = area_in(community_code, area_code)
    parsed = parse_number(id_number)
    name = name_of(name)
    if head and not household_number:
        raise BusinessError(_("A household head needs a household number."),
                            code=Code.HEAD_WITHOUT_HOUSEHOLD,
                            details={"field": "household_number"})
    phone_cipher, phone_last4 = sealed_phone(phone)
    id_hash = crypto.lookup_hash(parsed.number)
    try:
        return _register(actor, id_hash, parsed, name=name, community_code=community_code,
                         area=area, household_number=household_number,
                         household_address=household_address, head=head,
                         phone_cipher=phone_cipher, phone_last4=phone_last4,
                         registered_here=registered_here, lives_here=lives_here,
                         residence_since=residence_since, disability=disability,
                         low_income=low_income, registered_address=registered_address,
                         actual_address=actual_address)
    except _Elsewhere as exc:
        log_elsewhere(actor=actor, kind="register", community_code=community_code,
                      elsewhere=[exc.community_code], id_masked=[parsed.masked])
        raise registered_elsewhere() from None


class _Elsewhere(Exception):
    """The number belongs to a current record outside the target community: the use case
    rolls back, then the attempt is logged and answered without saying where."""

    def __init__(self, community_code: str) -> None:
        super().__init__(community_code)
        self.community_code = community_code


def _register(actor: Any, id_hash: str, parsed: Any, *, name: str, community_code: str,
              area: str, household_number: str, household_address: str, head: bool,
              phone_cipher: str, phone_last4: str, registered_here: bool, lives_here: bool,
              residence_since: date | None, disability: bool, low_income: bool,
              registered_address: str, actual_address: str) -> Resident:
    with transaction.atomic():
        existing = Resident.objects.select_for_update().filter(id_hash=id_hash).first()
        if existing is not None and existing.moved_out_on is None:
            if existing.community_code != community_code:
                raise _Elsewhere(existing.community_code)
            raise Conflict(_("This person is already registered in this community."),
                           code=Code.ALREADY_REGISTERED, details={"resident": existing.pk})
        hh = (household_of(community_code, household_number, area_code=area,
                           address=household_address) if household_number else None)
        if hh is not None and head and hh.head_id and (existing is None or hh.head_id != existing.pk):
            current_head = hh.head
            if current_head is not None and current_head.is_current:
                raise head_conflict(hh, current_head)
        values: dict[str, Any] = {
            "name": name, "id_masked": parsed.masked, "birth_date": parsed.birth_date,
            "sex": parsed.sex, "phone_cipher": phone_cipher, "phone_last4": phone_last4,
            "household": hh, "area_code": area, "community_code": community_code,
            "registered_here": registered_here, "lives_here": lives_here,
            "residence_since": residence_since, "disability": disability,
            "low_income": low_income, "registered_address": registered_address,
            "actual_address": actual_address, "moved_out_on": None,
        }
        if existing is None:
            resident = Resident.objects.create(id_hash=id_hash,
                                               id_cipher=seal_number(parsed.number), **values)
            action = AuditAction.RESIDENT_REGISTER
        else:
            resident = existing
            for key, value in values.items():
                setattr(resident, key, value)
            resident.save()
            action = AuditAction.RESIDENT_REGISTER_AGAIN
        if hh is not None and head:
            Household.objects.filter(head=resident).exclude(pk=hh.pk).update(head=None)
            Household.objects.filter(pk=hh.pk).update(head=resident)
        record(actor=actor, action=action, obj=resident, area_code=area,
               changes={"community_code": community_code, "household": household_number,
                        "head": head, "id_masked": parsed.masked})
    return resident


UPDATABLE = ("name", "phone", "area_code", "registered_here", "lives_here", "residence_since",
             "disability", "low_income", "deprived_of_political_rights", "registered_address",
             "actual_address")


def update_resident(*, actor: Any, resident: Resident, **changes: Any) -> Resident:
    """Change a resident's data. ``phone`` is re-sealed. Unknown fields are refused, and
    so is each field the actor may not read (ADR 0307); the identity number changes only
    through :func:`correct_identity_number`."""
    if "id_number" in changes:
        raise BusinessError(_("The identity number is not changed by an edit: a correction "
                              "of the number needs its own permission and a reason."),
                            code=Code.ID_CORRECTION_ONLY, details={"field": "id_number"},
                            status=403)
    unknown = sorted(set(changes) - set(UPDATABLE))
    if unknown:
        raise BusinessError(_("These fields cannot be changed here: %(f)s.") % {"f": ", ".join(unknown)},
                            code=Code.UNKNOWN_FIELDS, details={"fields": unknown})
    access.check(access.edit_refusal(actor, resident))
    access.check(access.write_refusal(actor, resident, changes))
    before: dict[str, Any] = {}
    after: dict[str, Any] = {}
    with transaction.atomic():
        for key, value in changes.items():
            if key == "phone":
                cipher, last4 = sealed_phone(str(value or ""))
                before["phone"], after["phone"] = f"…{resident.phone_last4}", f"…{last4}"
                resident.phone_cipher, resident.phone_last4 = cipher, last4
            elif key == "area_code":
                area = area_in(resident.community_code, str(value))
                access.can_manage.check(actor, area)
                before[key], after[key] = resident.area_code, area
                resident.area_code = area
            elif key == "name":
                name = name_of(str(value))
                before[key], after[key] = resident.name, name
                resident.name = name
            else:
                before[key], after[key] = getattr(resident, key), value
                setattr(resident, key, value)
        resident.save()
        record(actor=actor, action=AuditAction.RESIDENT_UPDATE, obj=resident,
               area_code=resident.area_code, changes=diff(before, after))
    return resident


def correct_identity_number(*, actor: Any, resident: Resident, id_number: str,
                            reason: str) -> Resident:
    """Correct a recorded identity number (a typing error, a number re-issued by the
    public security organ): ``people.correct_id`` at the resident's area, with a reason;
    the number is re-validated, re-sealed and re-hashed, birth date and sex follow it, and
    the audit entry keeps both masked numbers and the reason (ADR 0307). A number another
    record holds is refused without saying whose, and logged for the district (ADR 0308)."""
    access.check(access.correct_id_refusal(actor, resident))
    reason = (reason or "").strip()
    if len(reason) < 2:
        raise BusinessError(_("Say why the number is corrected (for example the document "
                              "that shows the right number)."),
                            code=Code.REASON_REQUIRED, details={"field": "reason"})
    parsed = parse_number(id_number)
    new_hash = crypto.lookup_hash(parsed.number)
    if new_hash == resident.id_hash:
        raise BusinessError(_("This is the number already recorded; nothing to correct."),
                            code=Code.SAME_NUMBER, details={"field": "id_number"})
    try:
        with transaction.atomic():
            other = (Resident.objects.filter(id_hash=new_hash).exclude(pk=resident.pk)
                     .values_list("community_code", flat=True).first())
            if other is not None:
                raise _Elsewhere(other)
            old_masked = resident.id_masked
            resident.id_hash = new_hash
            resident.id_cipher = seal_number(parsed.number)
            resident.id_masked = parsed.masked
            resident.birth_date, resident.sex = parsed.birth_date, parsed.sex
            resident.save()
            record(actor=actor, action=AuditAction.RESIDENT_CORRECT_ID, obj=resident,
                   area_code=resident.area_code,
                   changes={"id_masked": [old_masked, parsed.masked], "reason": reason[:300]})
    except _Elsewhere as exc:
        log_elsewhere(actor=actor, kind="correct_id", community_code=resident.community_code,
                      elsewhere=[exc.community_code], id_masked=[parsed.masked])
        raise duplicate_identity() from None
    return resident


def move_out(*, actor: Any, resident: Resident, on: date | None = None,
             new_head: Resident | None = None) -> Resident:
    """Record that a resident moved away. A head leaving a household that keeps members
    must name the new head."""
    access.check(access.move_out_refusal(actor, resident))
    on = on or timezone.localdate()
    if on > timezone.localdate():
        raise BusinessError(_("The date lies in the future."), code=Code.FUTURE_DATE,
                            details={"field": "on"})
    with transaction.atomic():
        hh = resident.household
        if hh is not None and hh.head_id == resident.pk:
            others = hh.members.filter(moved_out_on__isnull=True).exclude(pk=resident.pk)
            if new_head is None and others.exists():
                raise Conflict(_("The household head is moving away: name the new head first."),
                               code=Code.HOUSEHOLD_HEAD_LEAVING,
                               details={"household": hh.number})
            if new_head is not None and (new_head.household_id != hh.pk or not new_head.is_current
                                         or new_head.pk == resident.pk):
                raise BusinessError(_("The new head must be a current member of the household."),
                                    code=Code.BAD_NEW_HEAD)
            Household.objects.filter(pk=hh.pk).update(head=new_head)
        resident.moved_out_on = on
        resident.save(update_fields=["moved_out_on", "updated_at"])
        record(actor=actor, action=AuditAction.RESIDENT_MOVE_OUT, obj=resident,
               area_code=resident.area_code,
               changes={"moved_out_on": on, "new_head": new_head.pk if new_head else None})
    return resident


def set_household_head(*, actor: Any, household: Household, resident: Resident) -> Household:
    access.can_manage.check(actor, household.area_code)
    if resident.household_id != household.pk or not resident.is_current:
        raise BusinessError(_("The head must be a current member of the household."),
                            code=Code.BAD_NEW_HEAD)
    with transaction.atomic():
        old = household.head_id
        Household.objects.filter(head=resident).exclude(pk=household.pk).update(head=None)
        household.head = resident
        household.save(update_fields=["head"])
        record(actor=actor, action=AuditAction.HOUSEHOLD_SET_HEAD, obj=household,
               area_code=household.area_code, changes={"head": [old, resident.pk]})
    return household


def link_user(*, actor: Any, resident: Resident, user: Any) -> Resident:
    """Let a user account see this resident's own record (``people.self``)."""
    access.check(access.edit_refusal(actor, resident))
    with transaction.atomic():
        Resident.objects.filter(user=user).exclude(pk=resident.pk).update(user=None)
        resident.user = user
        resident.save(update_fields=["user", "updated_at"])
        record(actor=actor, action=AuditAction.RESIDENT_LINK_USER, obj=resident,
               area_code=resident.area_code, changes={"user": getattr(user, "pk", None)})
    return resident
