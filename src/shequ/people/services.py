"""People use cases: the only code that writes residents, households, staff and bodies.

Each use case is keyword-only, takes the acting user first, checks the permission at the
area concerned, runs in one transaction and writes its audit entry. Identity numbers are
validated (GB 11643), sealed (AES-GCM), hashed (HMAC) and masked here and nowhere else.
"""

from __future__ import annotations

import queue
import threading
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import IO, Any

from django.db import connection, connections, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shequ import authz
from shequ.areas.models import Area, Level, ServiceStation
from shequ.audit.services import diff, record
from shequ.core import crypto, ids
from shequ.core.errors import BusinessError, Conflict, Forbidden, NotFound
from shequ.people import access, rules
from shequ.people.importer import Row, RowError, parse_row
from shequ.people.models import (
    Body,
    BodyKind,
    Household,
    IdentityReveal,
    Membership,
    Post,
    Posting,
    Qualification,
    Resident,
    RightsKind,
    RightsRequest,
    RightsStatus,
    StaffKind,
    StaffMember,
    Training,
    UnitLevel,
)

ID_CONTEXT = "resident.id"
PHONE_CONTEXT = "resident.phone"
DEIDENTIFIED_NAME = "已去标识化"


# --------------------------------------------------------------------------- helpers


def _actor_name(actor: Any) -> str:
    return (getattr(actor, "username", "") or str(actor)) if actor is not None else "system"


def _actor_pk(actor: Any) -> int | None:
    pk = getattr(actor, "pk", None)
    return pk if isinstance(pk, int) else None


def _community(code: str) -> Area:
    area = Area.objects.filter(code=code, level=Level.COMMUNITY).first()
    if area is None:
        raise NotFound(_("Unknown community code: %(c)s.") % {"c": code}, code="unknown_community",
                       details={"community_code": code})
    return area


def _area_in(community_code: str, area_code: str | None) -> str:
    """The resident's area: the compound when given (it must lie in the community)."""
    if not area_code or area_code == community_code:
        return community_code
    if not area_code.startswith(community_code) or not Area.objects.filter(
            code=area_code, level=Level.COMPOUND).exists():
        raise BusinessError(_("%(a)s is not a compound of community %(c)s.")
                            % {"a": area_code, "c": community_code}, code="bad_compound",
                            details={"area_code": area_code, "community_code": community_code})
    return area_code


def _parse_id(number: str) -> ids.ResidentId:
    return ids.parse_resident_id(number)


def _phone(phone: str) -> tuple[str, str]:
    phone = (phone or "").replace(" ", "").replace("-", "")
    if not phone:
        return "", ""
    if not (phone.lstrip("+").isdigit() and 7 <= len(phone) <= 15):
        raise BusinessError(_("%(v)s is not a phone number.") % {"v": phone}, code="bad_phone")
    return crypto.seal(phone, context=PHONE_CONTEXT), phone[-4:]


def registered_elsewhere(existing: Resident, community_code: str) -> BusinessError:
    return Conflict(
        _("This person is already registered in another community (%(c)s); they must move "
          "out there first.") % {"c": existing.community_code},
        code="registered_elsewhere", details={"community_code": existing.community_code})


def _household(community_code: str, number: str, *, area_code: str, address: str = ""
               ) -> Household:
    hh, created = Household.objects.get_or_create(
        community_code=community_code, number=number,
        defaults={"area_code": area_code, "address": address})
    if not created and address and hh.address != address:
        hh.address = address
        hh.save(update_fields=["address"])
    return hh


def _head_conflict(household: Household, resident: Resident) -> BusinessError:
    return Conflict(_("Household %(h)s already has a head (%(n)s).")
                    % {"h": household.number, "n": household.head.name if household.head else ""},
                    code="household_has_head",
                    details={"household": household.number, "community_code": household.community_code})


# --------------------------------------------------------------------------- residents


def register_resident(*, actor: Any, name: str, id_number: str, community_code: str,
                      area_code: str | None = None, household_number: str = "",
                      household_address: str = "", head: bool = False, phone: str = "",
                      registered_here: bool = True, lives_here: bool = True,
                      residence_since: date | None = None, disability: bool = False,
                      low_income: bool = False, registered_address: str = "",
                      actual_address: str = "") -> Resident:
    """Register a person in a community (or register again someone who moved away).

    Refused: an invalid number; a person already registered here or in another community;
    a second head for a household."""
    authz.check(actor, access.MANAGE, community_code)
    _community(community_code)
    area = _area_in(community_code, area_code)
    parsed = _parse_id(id_number)
    name = name.strip()
    if not name:
        raise BusinessError(_("The name is empty."), code="name_required",
                            details={"field": "name"})
    if head and not household_number:
        raise BusinessError(_("A household head needs a household number."),
                            code="head_without_household")
    phone_cipher, phone_last4 = _phone(phone)
    id_hash = crypto.lookup_hash(parsed.number)
    with transaction.atomic():
        existing = Resident.objects.select_for_update().filter(id_hash=id_hash).first()
        if existing is not None and existing.moved_out_on is None:
            if existing.community_code != community_code:
                raise registered_elsewhere(existing, community_code)
            raise Conflict(_("This person is already registered in this community."),
                           code="already_registered", details={"resident": existing.pk})
        hh = (_household(community_code, household_number, area_code=area,
                         address=household_address) if household_number else None)
        if hh is not None and head and hh.head_id and (existing is None or hh.head_id != existing.pk):
            head_res = hh.head
            if head_res is not None and head_res.is_current:
                raise _head_conflict(hh, head_res)
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
            resident = Resident.objects.create(
                id_hash=id_hash, id_cipher=crypto.seal(parsed.number, context=ID_CONTEXT), **values)
            action = "people.register"
        else:
            resident = existing
            for key, value in values.items():
                setattr(resident, key, value)
            resident.save()
            action = "people.register_again"
        if hh is not None and head:
            Household.objects.filter(head=resident).exclude(pk=hh.pk).update(head=None)
            Household.objects.filter(pk=hh.pk).update(head=resident)
        record(actor=actor, action=action, obj=resident, area_code=area,
               changes={"community_code": community_code, "household": household_number,
                        "head": head, "id_masked": parsed.masked})
    return resident


UPDATABLE = ("name", "phone", "area_code", "registered_here", "lives_here", "residence_since",
             "disability", "low_income", "deprived_of_political_rights", "registered_address",
             "actual_address", "id_number")


def update_resident(*, actor: Any, resident: Resident, **changes: Any) -> Resident:
    """Change a resident's data (corrections included). ``id_number`` re-validates,
    re-seals and re-hashes; ``phone`` is re-sealed. Unknown fields are refused."""
    unknown = sorted(set(changes) - set(UPDATABLE))
    if unknown:
        raise BusinessError(_("These fields cannot be changed here: %(f)s.") % {"f": ", ".join(unknown)},
                            code="unknown_fields", details={"fields": unknown})
    authz.check(actor, access.MANAGE, resident.area_code)
    if resident.deidentified_at is not None:
        raise Conflict(_("This record was de-identified and cannot be changed."),
                       code="deidentified")
    before: dict[str, Any] = {}
    after: dict[str, Any] = {}
    with transaction.atomic():
        for key, value in changes.items():
            if key == "id_number":
                parsed = _parse_id(str(value))
                new_hash = crypto.lookup_hash(parsed.number)
                if new_hash == resident.id_hash:
                    continue
                other = Resident.objects.filter(id_hash=new_hash).exclude(pk=resident.pk).first()
                if other is not None:
                    raise Conflict(_("Another record already has this identity number."),
                                   code="duplicate_identity", details={"resident": other.pk})
                before["id_masked"], after["id_masked"] = resident.id_masked, parsed.masked
                resident.id_hash = new_hash
                resident.id_cipher = crypto.seal(parsed.number, context=ID_CONTEXT)
                resident.id_masked = parsed.masked
                resident.birth_date, resident.sex = parsed.birth_date, parsed.sex
            elif key == "phone":
                cipher, last4 = _phone(str(value or ""))
                before["phone"], after["phone"] = f"…{resident.phone_last4}", f"…{last4}"
                resident.phone_cipher, resident.phone_last4 = cipher, last4
            elif key == "area_code":
                area = _area_in(resident.community_code, str(value))
                authz.check(actor, access.MANAGE, area)
                before[key], after[key] = resident.area_code, area
                resident.area_code = area
            elif key == "name":
                name = str(value).strip()
                if not name:
                    raise BusinessError(_("The name is empty."), code="name_required")
                before[key], after[key] = resident.name, name
                resident.name = name
            else:
                before[key], after[key] = getattr(resident, key), value
                setattr(resident, key, value)
        resident.save()
        record(actor=actor, action="people.update", obj=resident, area_code=resident.area_code,
               changes=diff(before, after))
    return resident


def move_out(*, actor: Any, resident: Resident, on: date | None = None,
             new_head: Resident | None = None) -> Resident:
    """Record that a resident moved away. A head leaving a household that keeps members
    must name the new head."""
    authz.check(actor, access.MANAGE, resident.area_code)
    on = on or timezone.localdate()
    if resident.moved_out_on is not None:
        raise Conflict(_("This resident has already moved away."), code="already_moved_out")
    if on > timezone.localdate():
        raise BusinessError(_("The date lies in the future."), code="future_date")
    with transaction.atomic():
        hh = resident.household
        if hh is not None and hh.head_id == resident.pk:
            others = hh.members.filter(moved_out_on__isnull=True).exclude(pk=resident.pk)
            if new_head is None and others.exists():
                raise Conflict(_("The household head is moving away: name the new head first."),
                               code="household_head_leaving",
                               details={"household": hh.number})
            if new_head is not None and (new_head.household_id != hh.pk or not new_head.is_current
                                         or new_head.pk == resident.pk):
                raise BusinessError(_("The new head must be a current member of the household."),
                                    code="bad_new_head")
            Household.objects.filter(pk=hh.pk).update(head=new_head)
        resident.moved_out_on = on
        resident.save(update_fields=["moved_out_on", "updated_at"])
        record(actor=actor, action="people.move_out", obj=resident, area_code=resident.area_code,
               changes={"moved_out_on": on, "new_head": new_head.pk if new_head else None})
    return resident


def set_household_head(*, actor: Any, household: Household, resident: Resident) -> Household:
    authz.check(actor, access.MANAGE, household.area_code)
    if resident.household_id != household.pk or not resident.is_current:
        raise BusinessError(_("The head must be a current member of the household."),
                            code="bad_new_head")
    with transaction.atomic():
        old = household.head_id
        Household.objects.filter(head=resident).exclude(pk=household.pk).update(head=None)
        household.head = resident
        household.save(update_fields=["head"])
        record(actor=actor, action="people.set_head", obj=household, area_code=household.area_code,
               changes={"head": [old, resident.pk]})
    return household


def link_user(*, actor: Any, resident: Resident, user: Any) -> Resident:
    """Let a user account see this resident's own record (``people.self``)."""
    authz.check(actor, access.MANAGE, resident.area_code)
    with transaction.atomic():
        Resident.objects.filter(user=user).exclude(pk=resident.pk).update(user=None)
        resident.user = user
        resident.save(update_fields=["user", "updated_at"])
        record(actor=actor, action="people.link_user", obj=resident, area_code=resident.area_code,
               changes={"user": getattr(user, "pk", None)})
    return resident


def reveal_identity_number(actor: Any, resident: Resident, reason: str, *,
                           channel: str = "page") -> str:
    """The full identity number, for a stated reason: permission ``people.reveal_id`` at the
    resident's area (or the resident themself); the read is logged (who, when, why) in
    :class:`IdentityReveal` and the audit chain, in the same transaction."""
    is_self = bool(_actor_pk(actor)) and resident.user_id == _actor_pk(actor)
    if not is_self:
        authz.check(actor, access.REVEAL, resident.area_code)
    reason = (reason or "").strip()
    if len(reason) < 2:
        raise BusinessError(_("Say why you need the full number."), code="reason_required",
                            details={"field": "reason"})
    if resident.deidentified_at is not None or not resident.id_cipher:
        raise Conflict(_("This record was de-identified: there is no number to show."),
                       code="deidentified")
    with transaction.atomic():
        number = crypto.open_sealed(resident.id_cipher, context=ID_CONTEXT)
        reveal = IdentityReveal.objects.create(
            resident=resident, actor_id=_actor_pk(actor), actor_name=_actor_name(actor),
            reason=reason[:300], channel=channel, area_code=resident.area_code)
        record(actor=actor, action="people.reveal_id", obj=resident, area_code=resident.area_code,
               changes={"reason": reason[:300], "channel": channel, "reveal": reveal.pk})
    return number


def deidentify(*, actor: Any, resident: Resident, reason: str) -> Resident:
    """Remove what identifies the person (PIPL Art. 47, 51) and keep what statistics need:
    area, sex, year of birth, statuses. Cannot be undone."""
    authz.check(actor, access.RIGHTS, resident.area_code)
    with transaction.atomic():
        _deidentify(resident)
        record(actor=actor, action="people.deidentify", obj=resident, area_code=resident.area_code,
               changes={"reason": reason})
    return resident


def _deidentify(resident: Resident) -> None:
    Household.objects.filter(head=resident).update(head=None)
    resident.name = DEIDENTIFIED_NAME
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
    """De-identify everyone who moved away more than ``RETENTION_YEARS`` ago. Idempotent;
    one audit entry per community."""
    authz.check(actor, access.RIGHTS, None)
    today = today or timezone.localdate()
    years = rules.RETENTION_YEARS.current() if years is None else years
    cutoff = today.replace(year=today.year - years) if (today.month, today.day) != (2, 29) \
        else date(today.year - years, 2, 28)
    due = Resident.objects.filter(moved_out_on__lt=cutoff, deidentified_at__isnull=True)
    due = due.filter(authz.scope_q(actor, access.RIGHTS))
    if dry_run:
        return due.count()
    done = 0
    communities = sorted(set(due.values_list("community_code", flat=True)))
    for code in communities:
        with transaction.atomic():
            batch = list(due.filter(community_code=code).select_for_update())
            for resident in batch:
                _deidentify(resident)
            record(actor=actor, action="people.retention", object_type="people.resident",
                   area_code=code, changes={"deidentified": len(batch), "cutoff": cutoff,
                                            "years": years})
            done += len(batch)
    return done


def reseal_all(*, actor: Any, batch_size: int = 2000) -> dict[str, int]:
    """Move every sealed value to the current key (after adding a key in front of
    ``SHEQU_PII_KEYS``). Idempotent; resumable; hashes are unchanged. Operators only
    (the CLI's system actor or a superuser): it touches every area."""
    authz.check(actor, access.MANAGE, None)
    if not getattr(actor, "is_superuser", False):
        raise Forbidden(details={"permission": "superuser"})
    counts = {"checked": 0, "resealed": 0}
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
                record(actor=actor, action="people.reseal", object_type="people.resident",
                       changes={"from_pk": rows[0][0], "to_pk": rows[-1][0],
                                "resealed": len(changed)})
        counts["resealed"] += len(changed)
        last = rows[-1][0]
    return counts


# --------------------------------------------------------------------------- rights


def file_rights_request(*, actor: Any, resident: Resident, kind: str, detail: str = "",
                        received_on: date | None = None) -> RightsRequest:
    """A resident (their own record) or staff on their behalf files a request to see,
    copy, correct or delete data; the answer is due within ``RIGHTS_ANSWER_DAYS``."""
    is_self = bool(_actor_pk(actor)) and resident.user_id == _actor_pk(actor)
    if not is_self:
        authz.check(actor, access.RIGHTS, resident.area_code)
    if kind not in RightsKind.values:
        raise BusinessError(_("Unknown request kind: %(k)s.") % {"k": kind}, code="unknown_kind",
                            details={"kinds": list(RightsKind.values)})
    if kind == RightsKind.CORRECT and not detail.strip():
        raise BusinessError(_("Say what should be corrected."), code="detail_required",
                            details={"field": "detail"})
    received = received_on or timezone.localdate()
    with transaction.atomic():
        req = RightsRequest.objects.create(
            resident=resident, kind=kind, detail=detail.strip(), area_code=resident.area_code,
            received_on=received,
            due_on=received + timedelta(days=rules.RIGHTS_ANSWER_DAYS.current()))
        record(actor=actor, action="people.rights_request", obj=req, area_code=req.area_code,
               changes={"kind": kind, "due_on": req.due_on, "resident": resident.pk})
    return req


def decide_rights_request(*, actor: Any, request: RightsRequest, accept: bool, outcome: str,
                          corrections: dict[str, Any] | None = None) -> RightsRequest:
    """Answer a request. Accepting a deletion de-identifies the record; accepting a
    correction applies ``corrections`` through :func:`update_resident`. A refusal needs
    its reason in ``outcome`` (PIPL Art. 50)."""
    authz.check(actor, access.RIGHTS, request.area_code)
    if request.status != RightsStatus.OPEN:
        raise Conflict(_("This request has already been answered."), code="already_decided")
    if not outcome.strip():
        raise BusinessError(_("Write the outcome (and the reason, if refused)."),
                            code="outcome_required", details={"field": "outcome"})
    with transaction.atomic():
        resident = request.resident
        if accept and request.kind == RightsKind.CORRECT and corrections:
            update_resident(actor=actor, resident=resident, **corrections)
        if accept and request.kind == RightsKind.DELETE:
            _deidentify(resident)
        request.status = RightsStatus.DONE if accept else RightsStatus.REFUSED
        request.outcome = outcome.strip()
        request.decided_at = timezone.now()
        request.decided_by = _actor_name(actor)
        request.save()
        record(actor=actor, action="people.rights_decide", obj=request, area_code=request.area_code,
               changes={"status": request.status, "outcome": request.outcome,
                        "on_time": timezone.localdate() <= request.due_on,
                        "corrections": sorted(corrections or {})})
    return request


def copy_of_own_data(*, actor: Any, resident: Resident) -> dict[str, Any]:
    """The resident's own data (PIPL Art. 45), the full number included; logged as a read."""
    if not (_actor_pk(actor) and resident.user_id == _actor_pk(actor)):
        authz.check(actor, access.RIGHTS, resident.area_code)
    data = access.present(authz.SYSTEM, resident)
    data["id_number"] = reveal_identity_number(actor, resident, "个人信息副本 (PIPL Art. 45)",
                                               channel="copy")
    data["household"] = resident.household.number if resident.household else ""
    return data


# --------------------------------------------------------------------------- import


@dataclass
class ImportReport:
    rows: int = 0
    created: int = 0
    updated: int = 0
    rejected_rows: int = 0
    batches: int = 0
    batches_rejected: int = 0
    dry_run: bool = False
    errors: list[RowError] = field(default_factory=list)
    max_errors: int = 1000

    @property
    def ok(self) -> bool:
        return not self.errors and not self.rejected_rows

    def add(self, error: RowError) -> None:
        if len(self.errors) < self.max_errors:
            self.errors.append(error)

    def as_dict(self) -> dict[str, Any]:
        return {"rows": self.rows, "created": self.created, "updated": self.updated,
                "rejected_rows": self.rejected_rows, "batches": self.batches,
                "batches_rejected": self.batches_rejected, "dry_run": self.dry_run,
                "errors": [e.as_dict() for e in self.errors]}


class _FileState:
    """What the import remembers across batches: numbers seen (as 64-bit ints of the
    hash, so a million rows stay small) and household heads claimed."""

    def __init__(self) -> None:
        self.seen: dict[int, int] = {}
        self.heads: dict[tuple[str, str], int] = {}
        self.communities: dict[str, bool] = {}
        self.compounds: dict[str, bool] = {}
        self.allowed: dict[str, bool] = {}


def _chunks(rows: Iterable[tuple[int, dict[str, str]]], size: int
            ) -> Iterator[list[tuple[int, dict[str, str]]]]:
    chunk: list[tuple[int, dict[str, str]]] = []
    for item in rows:
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def import_residents(*, actor: Any, rows: Iterable[tuple[int, dict[str, str]]],
                     dry_run: bool = False, batch_size: int = 5000,
                     progress: Callable[[int], Any] | None = None,
                     today: date | None = None) -> ImportReport:
    """Import residents and households from ``(line, {column: text})`` rows.

    Rows go in batches of ``batch_size``; a batch is one transaction and is written only
    when every row in it is valid (all-or-nothing per batch). The same person (same
    identity hash) is updated, never duplicated, so re-running a file is safe. Each
    rejected row is reported with line, column and reason."""
    authz.check(actor, access.IMPORT, None)
    today = today or timezone.localdate()
    report = ImportReport(dry_run=dry_run)
    state = _FileState()
    # On PostgreSQL, outside a caller's transaction, a second thread writes batch N while
    # this one parses, checks and encrypts batch N+1 (ADR 0302). Checks against the
    # database concern data from before the import; within the file, ``state`` decides.
    writer = _Writer(actor) if (not dry_run and connection.vendor == "postgresql"
                                and not connection.in_atomic_block) else None
    try:
        for chunk in _chunks(rows, max(1, batch_size)):
            report.batches += 1
            parsed = [parse_row(line, values, today=today) for line, values in chunk]
            hashes = _check_batch(actor, parsed, state)
            report.rows += len(parsed)
            bad = [r for r in parsed if r.errors]
            if bad:
                report.batches_rejected += 1
                report.rejected_rows += len(bad)
                for r in bad:
                    for err in r.errors:
                        report.add(err)
            elif dry_run:
                existing = set(Resident.objects.filter(id_hash__in=list(hashes.values()))
                               .values_list("id_hash", flat=True))
                report.updated += len(existing)
                report.created += len(parsed) - len(existing)
            else:
                sealed = list(_sealed_rows(parsed, hashes))
                if writer is not None:
                    writer.submit(parsed, sealed)
                else:
                    created, updated = _write_batch(actor, parsed, sealed)
                    report.created += created
                    report.updated += updated
            if progress is not None:
                progress(len(parsed))
    finally:
        if writer is not None:
            created, updated = writer.close()
            report.created += created
            report.updated += updated
    return report


class _Writer:
    """One background thread that writes valid batches in order (its own connection,
    one transaction per batch). An error stops the import at the next batch."""

    def __init__(self, actor: Any) -> None:
        self.actor = actor
        self.queue: queue.Queue[tuple[list[Row], list[dict[str, Any]]] | None] = queue.Queue(maxsize=1)
        self.created = 0
        self.updated = 0
        self.error: BaseException | None = None
        self.thread = threading.Thread(target=self._run, name="people-import-writer", daemon=True)
        self.thread.start()

    def _run(self) -> None:
        try:
            while True:
                item = self.queue.get()
                if item is None:
                    return
                if self.error is None:
                    try:
                        created, updated = _write_batch(self.actor, *item)
                        self.created += created
                        self.updated += updated
                    except BaseException as exc:  # handed to the importing thread
                        self.error = exc
        finally:
            connections.close_all()

    def submit(self, parsed: list[Row], sealed: list[dict[str, Any]]) -> None:
        if self.error is not None:
            raise self.error
        self.queue.put((parsed, sealed))

    def close(self) -> tuple[int, int]:
        self.queue.put(None)
        self.thread.join()
        if self.error is not None:
            raise self.error
        return self.created, self.updated


def _check_batch(actor: Any, parsed: list[Row], state: _FileState) -> dict[int, str]:
    """Checks that need the file so far or the database. Returns line -> id hash."""
    hashes: dict[int, str] = {}
    for row in parsed:
        code = row.community_code
        if len(code) == 12 and code.isdigit():
            if code not in state.communities:
                state.communities[code] = Area.objects.filter(code=code,
                                                              level=Level.COMMUNITY).exists()
                state.allowed[code] = authz.has_perm(actor, access.IMPORT, code)
            if not state.communities[code]:
                row.fail("社区代码", "unknown_community",
                         _("There is no community with code %(c)s.") % {"c": code})
            elif not state.allowed[code]:
                row.fail("社区代码", "forbidden",
                         _("You may not import residents of community %(c)s.") % {"c": code})
        if row.area_code != code and len(row.area_code) == 15:
            if row.area_code not in state.compounds:
                state.compounds[row.area_code] = Area.objects.filter(
                    code=row.area_code, level=Level.COMPOUND).exists()
            if not state.compounds[row.area_code]:
                row.fail("小区代码", "unknown_compound",
                         _("There is no compound with code %(c)s.") % {"c": row.area_code})
        if row.number:
            digest = crypto.lookup_hash(row.number)
            key = int(digest[:16], 16)
            first = state.seen.get(key)
            if first is not None and first != row.line:
                row.fail("公民身份号码", "duplicate_in_file",
                         _("The same identity number is already on line %(l)d.") % {"l": first})
            else:
                state.seen[key] = row.line
                hashes[row.line] = digest
        if row.head and row.household and code:
            hkey = (code, row.household)
            other = state.heads.get(hkey)
            if other is not None and other != row.line:
                row.fail("户主", "duplicate_head",
                         _("Household %(h)s already has its head on line %(l)d.")
                         % {"h": row.household, "l": other})
            else:
                state.heads[hkey] = row.line
    # database: registered in another community; household with another head
    by_hash = {h: line for line, h in hashes.items()}
    rows_by_line = {r.line: r for r in parsed}
    existing: Iterable[tuple[str, str]]
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:  # one array parameter instead of 10,000
            cur.execute("SELECT id_hash, community_code FROM people_resident "
                        "WHERE id_hash = ANY(%s) AND moved_out_on IS NULL", [list(by_hash)])
            existing = cur.fetchall()
    else:
        existing = Resident.objects.filter(id_hash__in=list(by_hash), moved_out_on__isnull=True) \
            .values_list("id_hash", "community_code")
    for id_hash, community in existing:
        row = rows_by_line[by_hash[id_hash]]
        if community != row.community_code:
            row.fail("公民身份号码", "registered_elsewhere",
                     _("This person is already registered in another community (%(c)s).")
                     % {"c": community})
    head_rows = [r for r in parsed if r.head and r.household and not r.errors]
    if head_rows:
        current_heads: Iterable[tuple[str, str, str, str]]
        if connection.vendor == "postgresql":
            with connection.cursor() as cur:
                cur.execute(SQL_CURRENT_HEADS, [[r.community_code for r in head_rows],
                                                [r.household for r in head_rows]])
                current_heads = cur.fetchall()
        else:  # a superset by community and number, narrowed below (no giant OR)
            current_heads = Household.objects.filter(
                community_code__in={r.community_code for r in head_rows},
                number__in={r.household for r in head_rows}, head__isnull=False,
                head__moved_out_on__isnull=True,
            ).values_list("community_code", "number", "head__id_hash", "head__name")
        heads = {(c, n): (h, name) for c, n, h, name in current_heads}
        for r in head_rows:
            found = heads.get((r.community_code, r.household))
            if found is not None and found[0] != hashes.get(r.line):
                r.fail("户主", "household_has_head",
                       _("Household %(h)s already has a head (%(n)s).")
                       % {"h": r.household, "n": found[1]})
    return hashes


# on re-import the number-derived fields (same hash, same number) are left as they are
RESIDENT_FIELDS = ["name", "phone_cipher",
                   "phone_last4", "household", "area_code", "community_code", "registered_here",
                   "lives_here", "residence_since", "disability", "low_income",
                   "registered_address", "actual_address", "moved_out_on", "updated_at"]


def _common_area(codes: list[str]) -> str:
    """The smallest division code covering all ``codes`` (for the audit chain)."""
    if not codes:
        return ""
    prefix = codes[0]
    for code in codes[1:]:
        while not code.startswith(prefix):
            prefix = prefix[:-1]
    for length in (15, 12, 9, 6, 4, 2):
        if len(prefix) >= length:
            return prefix[:length]
    return ""


def _write_batch(actor: Any, parsed: list[Row], sealed: list[dict[str, Any]]) -> tuple[int, int]:
    """Write one valid batch in one transaction, with one audit entry for the batch."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            created, updated, households = _write_batch_pg(parsed, sealed)
        else:
            created, updated, households = _write_batch_orm(parsed, sealed)
        codes = sorted({r.community_code for r in parsed})
        record(actor=actor, action="people.import", object_type="people.resident",
               area_code=_common_area(codes),
               changes={"lines": [parsed[0].line, parsed[-1].line], "rows": len(parsed),
                        "created": created, "updated": updated, "households": households})
    return created, updated


def _sealed_rows(parsed: list[Row], hashes: dict[int, str]) -> Iterator[dict[str, Any]]:
    seal = crypto.seal
    for r in parsed:
        phone_cipher = seal(r.phone, context=PHONE_CONTEXT) if r.phone else ""
        yield {
            "name": r.name, "id_hash": hashes[r.line],
            "id_cipher": seal(r.number, context=ID_CONTEXT),
            "id_masked": ids.mask_resident_id(r.number), "birth_date": r.birth_date, "sex": r.sex,
            "phone_cipher": phone_cipher, "phone_last4": r.phone[-4:] if r.phone else "",
            "area_code": r.area_code, "community_code": r.community_code,
            "registered_here": r.registered_here, "lives_here": r.lives_here,
            "residence_since": r.residence_since, "disability": r.disability,
            "low_income": r.low_income, "registered_address": r.registered_address,
            "actual_address": r.actual_address,
        }


def _write_batch_orm(parsed: list[Row], sealed: list[dict[str, Any]]) -> tuple[int, int, int]:
    now = timezone.now()
    hh_rows: dict[tuple[str, str], Household] = {}
    for r in parsed:
        if r.household:
            key = (r.community_code, r.household)
            if key not in hh_rows or (r.head and r.household_address):
                hh_rows[key] = Household(community_code=r.community_code, number=r.household,
                                         area_code=r.area_code, address=r.household_address,
                                         created_at=now)
    hh_ids: dict[tuple[str, str], int] = {}
    if hh_rows:
        Household.objects.bulk_create(list(hh_rows.values()), update_conflicts=True,
                                      unique_fields=["community_code", "number"],
                                      update_fields=["area_code", "address"])
        for pk, c, n in Household.objects.filter(
                community_code__in={c for c, _n in hh_rows}, number__in={n for _c, n in hh_rows}
        ).values_list("pk", "community_code", "number"):
            if (c, n) in hh_rows:
                hh_ids[(c, n)] = pk
    before = set(Resident.objects.filter(id_hash__in=[v["id_hash"] for v in sealed])
                 .values_list("id_hash", flat=True))
    objs = [Resident(**values, household_id=hh_ids.get((r.community_code, r.household)),
                     moved_out_on=None, created_at=now, updated_at=now)
            for r, values in zip(parsed, sealed, strict=True)]
    Resident.objects.bulk_create(objs, update_conflicts=True, unique_fields=["id_hash"],
                                 update_fields=RESIDENT_FIELDS)
    heads = [(hh_ids[(r.community_code, r.household)], v["id_hash"])
             for r, v in zip(parsed, sealed, strict=True) if r.head and r.household]
    if heads:
        pks = dict(Resident.objects.filter(id_hash__in=[h for _hh, h in heads])
                   .values_list("id_hash", "pk"))
        Household.objects.filter(head_id__in=list(pks.values())).update(head=None)
        Household.objects.bulk_update([Household(pk=hh, head_id=pks[h]) for hh, h in heads],
                                      ["head"])
    created = len(objs) - len(before)
    return created, len(objs) - created, len(hh_rows)



# The PostgreSQL import path (ADR 0302). Identifiers are constants; data only via COPY.
SQL_STAGE = """
CREATE TEMP TABLE people_stage (line int, name text, id_hash text, id_cipher text,
  id_masked text, birth_date date, sex text, phone_cipher text, phone_last4 text,
  area_code text, community_code text, registered_here bool, lives_here bool,
  residence_since date, disability bool, low_income bool, registered_address text,
  actual_address text, household text, head bool, household_address text) ON COMMIT DROP"""
SQL_COPY = """
COPY people_stage (line, name, id_hash, id_cipher, id_masked, birth_date, sex, phone_cipher,
  phone_last4, area_code, community_code, registered_here, lives_here, residence_since,
  disability, low_income, registered_address, actual_address, household, head,
  household_address) FROM STDIN"""
SQL_HOUSEHOLDS = """
INSERT INTO people_household (number, area_code, community_code, address, created_at)
SELECT DISTINCT ON (community_code, household) household, area_code, community_code,
       household_address, now()
  FROM people_stage WHERE household <> ''
 ORDER BY community_code, household, head DESC
ON CONFLICT (community_code, number) DO UPDATE SET area_code = EXCLUDED.area_code,
  address = CASE WHEN EXCLUDED.address <> '' THEN EXCLUDED.address
                 ELSE people_household.address END"""
SQL_RESIDENTS = """
WITH upserted AS (
INSERT INTO people_resident (name, id_hash, id_cipher, id_masked, birth_date, sex,
  phone_cipher, phone_last4, area_code, community_code, registered_here, lives_here,
  residence_since, disability, low_income, registered_address, actual_address, household_id,
  moved_out_on, deprived_of_political_rights, created_at, updated_at)
SELECT s.name, s.id_hash, s.id_cipher, s.id_masked, s.birth_date, s.sex, s.phone_cipher,
       s.phone_last4, s.area_code, s.community_code, s.registered_here, s.lives_here,
       s.residence_since, s.disability, s.low_income, s.registered_address, s.actual_address,
       h.id, NULL, false, now(), now()
  FROM people_stage s LEFT JOIN people_household h
    ON h.community_code = s.community_code AND h.number = s.household
ON CONFLICT (id_hash) DO UPDATE SET name = EXCLUDED.name,
  phone_cipher = EXCLUDED.phone_cipher, phone_last4 = EXCLUDED.phone_last4,
  area_code = EXCLUDED.area_code, community_code = EXCLUDED.community_code,
  registered_here = EXCLUDED.registered_here, lives_here = EXCLUDED.lives_here,
  residence_since = EXCLUDED.residence_since, disability = EXCLUDED.disability,
  low_income = EXCLUDED.low_income, registered_address = EXCLUDED.registered_address,
  actual_address = EXCLUDED.actual_address, household_id = EXCLUDED.household_id,
  moved_out_on = NULL, updated_at = now()
RETURNING (xmax = 0) AS inserted)
SELECT count(*) FILTER (WHERE inserted) FROM upserted"""
SQL_CURRENT_HEADS = """
SELECT h.community_code, h.number, r.id_hash, r.name
  FROM people_household h JOIN people_resident r ON r.id = h.head_id
 WHERE r.moved_out_on IS NULL
   AND (h.community_code, h.number) IN (SELECT * FROM unnest(%s::text[], %s::text[]))"""
# a head who now heads another household stops heading the old one; unchanged heads are
# not rewritten (re-imports stay cheap)
SQL_CLEAR_HEADS = """
UPDATE people_household h SET head_id = NULL
  FROM people_stage s JOIN people_resident r USING (id_hash)
 WHERE s.head AND h.head_id = r.id
   AND (h.community_code <> s.community_code OR h.number <> s.household)"""
SQL_SET_HEADS = """
UPDATE people_household h SET head_id = r.id
  FROM people_stage s JOIN people_resident r USING (id_hash)
 WHERE s.head AND h.community_code = s.community_code AND h.number = s.household
   AND h.head_id IS DISTINCT FROM r.id"""



def _write_batch_pg(parsed: list[Row], sealed: list[dict[str, Any]]) -> tuple[int, int, int]:
    """PostgreSQL: COPY the batch into a temporary table, then three set-based
    statements (households, residents, heads). ADR 0302."""
    with connection.cursor() as cur:
        cur.execute(SQL_STAGE)
        with cur.copy(SQL_COPY) as copy:
            for r, v in zip(parsed, sealed, strict=True):
                copy.write_row((r.line, v["name"], v["id_hash"], v["id_cipher"], v["id_masked"],
                                v["birth_date"], v["sex"], v["phone_cipher"], v["phone_last4"],
                                v["area_code"], v["community_code"], v["registered_here"],
                                v["lives_here"], v["residence_since"], v["disability"],
                                v["low_income"], v["registered_address"], v["actual_address"],
                                r.household, r.head, r.household_address))
        cur.execute(SQL_HOUSEHOLDS)
        households = cur.rowcount
        cur.execute(SQL_RESIDENTS)
        row = cur.fetchone()
        existing = len(parsed) - int(row[0]) if row else 0
        cur.execute(SQL_CLEAR_HEADS)
        cur.execute(SQL_SET_HEADS)
        cur.execute("DROP TABLE people_stage")  # also inside an outer transaction
    return len(parsed) - existing, existing, households


# --------------------------------------------------------------------------- export


EXPORT_HEADERS = ["姓名", "公民身份号码", "性别", "出生日期", "社区代码", "小区代码", "户号", "户主",
                  "联系电话", "户籍在本社区", "实际居住", "居住起始日期", "残疾", "低保", "敏感(未满14周岁)"]


def export_residents(*, actor: Any, area_code: str, out: IO[bytes] | str,
                     full_numbers: bool = False, reason: str = "") -> int:
    """Write the residents of ``area_code`` to an .xlsx file (streamed, write-only mode).

    Numbers are masked unless ``full_numbers`` is asked for by someone holding
    ``people.reveal_id`` there, with a reason; then every full number exported is logged
    as a read. Fields the actor may not see are left empty."""
    from openpyxl import Workbook

    authz.check(actor, access.EXPORT, area_code)
    if full_numbers:
        authz.check(actor, access.REVEAL, area_code)
        if len(reason.strip()) < 2:
            raise BusinessError(_("Say why you need the full numbers."), code="reason_required")
    qs = (Resident.objects.filter(area_code__startswith=area_code, deidentified_at__isnull=True,
                                  moved_out_on__isnull=True)
          .filter(authz.scope_q(actor, access.VIEW))
          .select_related("household").order_by("community_code", "pk"))
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("居民")
    ws.append(EXPORT_HEADERS)
    n = 0
    yes, no = "是", "否"
    with transaction.atomic():
        reveals: list[IdentityReveal] = []
        for res in qs.iterator(chunk_size=2000):
            data = access.present(actor, res)
            number = data.get("id_masked", "")
            if full_numbers:
                number = crypto.open_sealed(res.id_cipher, context=ID_CONTEXT)
                reveals.append(IdentityReveal(resident=res, actor_id=_actor_pk(actor),
                                              actor_name=_actor_name(actor), reason=reason[:300],
                                              channel="export", area_code=res.area_code))

            def flag(key: str, d: dict[str, Any] = data) -> str:
                return "" if key not in d else (yes if d[key] else no)

            ws.append([
                data.get("name", ""), number, res.get_sex_display() if "sex" in data else "",
                data.get("birth_date", ""), res.community_code,
                res.area_code if res.area_code != res.community_code else "",
                data.get("household", ""), flag("is_head"), data.get("phone", ""),
                flag("registered_here"), flag("lives_here"), data.get("residence_since") or "",
                flag("disability"), flag("low_income"), yes if res.is_child else no])
            n += 1
            if len(reveals) >= 2000:
                IdentityReveal.objects.bulk_create(reveals)
                reveals = []
        if reveals:
            IdentityReveal.objects.bulk_create(reveals)
        record(actor=actor, action="people.export", object_type="people.resident",
               area_code=area_code, changes={"rows": n, "full_numbers": full_numbers,
                                             "reason": reason[:300]})
    wb.save(out)
    return n


# --------------------------------------------------------------------------- staff


def _check_level_area(level: str, area_code: str, station_code: str | None
                      ) -> ServiceStation | None:
    expected = {UnitLevel.DISTRICT: 6, UnitLevel.STREET: 9, UnitLevel.COMMUNITY: 12}
    if level not in UnitLevel.values:
        raise BusinessError(_("Unknown unit level: %(l)s.") % {"l": level}, code="unknown_level")
    station = None
    if level == UnitLevel.STATION:
        station = ServiceStation.objects.filter(code=station_code or "").first()
        if station is None:
            raise NotFound(_("Unknown service station: %(s)s.") % {"s": station_code or "—"},
                           code="unknown_station")
    elif len(area_code) != expected[UnitLevel(level)] or not Area.objects.filter(code=area_code).exists():
        raise BusinessError(_("%(a)s is not a %(l)s code.") % {"a": area_code,
                                                              "l": UnitLevel(level).label},
                            code="bad_posting_area", details={"area_code": area_code})
    return station


def create_staff(*, actor: Any, code: str, name: str, kind: str, level: str, area_code: str,
                 start_date: date, position: str = "", station_code: str | None = None,
                 qualification: str = "", qualified_on: date | None = None, sex: str = "",
                 birth_year: int | None = None, joined_on: date | None = None) -> StaffMember:
    """A new staff member with their first posting."""
    if kind not in StaffKind.values:
        raise BusinessError(_("Unknown staff kind: %(k)s.") % {"k": kind}, code="unknown_kind")
    if qualification not in Qualification.values:
        raise BusinessError(_("Unknown qualification: %(q)s.") % {"q": qualification},
                            code="unknown_qualification")
    station = _check_level_area(level, area_code, station_code)
    where = station.area_code if station else area_code
    authz.check(actor, access.STAFF_MANAGE, where)
    if not name.strip() or not code.strip():
        raise BusinessError(_("Name and staff number are required."), code="name_required")
    with transaction.atomic():
        if StaffMember.objects.filter(code=code).exists():
            raise Conflict(_("Staff number %(c)s is taken.") % {"c": code}, code="staff_code_taken")
        staff = StaffMember.objects.create(
            code=code.strip(), name=name.strip(), kind=kind, qualification=qualification,
            qualified_on=qualified_on, sex=sex, birth_year=birth_year, area_code=where,
            joined_on=joined_on or start_date)
        Posting.objects.create(staff=staff, level=level, area_code=where, station=station,
                               position=position, start_date=start_date)
        record(actor=actor, action="staff.create", obj=staff, area_code=where,
               changes={"kind": kind, "level": level, "area_code": where, "position": position})
    return staff


def post_staff(*, actor: Any, staff: StaffMember, level: str, area_code: str, start_date: date,
               position: str = "", station_code: str | None = None, rotation: bool = True
               ) -> Posting:
    """Post a staff member elsewhere (交流轮岗 when ``rotation``): the current posting ends
    the day before."""
    station = _check_level_area(level, area_code, station_code)
    where = station.area_code if station else area_code
    authz.check(actor, access.STAFF_MANAGE, staff.area_code)
    authz.check(actor, access.STAFF_MANAGE, where)
    with transaction.atomic():
        current = staff.postings.filter(end_date__isnull=True).first()
        if current is not None:
            if start_date <= current.start_date:
                raise BusinessError(_("The new posting must start after the current one (%(d)s).")
                                    % {"d": current.start_date}, code="posting_dates")
            current.end_date = start_date - timedelta(days=1)
            current.save(update_fields=["end_date"])
        posting = Posting.objects.create(staff=staff, level=level, area_code=where, station=station,
                                         position=position, start_date=start_date,
                                         rotation=rotation)
        old_area = staff.area_code
        staff.area_code = where
        staff.save(update_fields=["area_code"])
        record(actor=actor, action="staff.post", obj=staff, area_code=where,
               changes={"from": old_area, "to": where, "rotation": rotation,
                        "start_date": start_date})
    return posting


def set_qualification(*, actor: Any, staff: StaffMember, qualification: str,
                      qualified_on: date | None) -> StaffMember:
    authz.check(actor, access.STAFF_MANAGE, staff.area_code)
    if qualification not in Qualification.values:
        raise BusinessError(_("Unknown qualification: %(q)s.") % {"q": qualification},
                            code="unknown_qualification")
    with transaction.atomic():
        before = {"qualification": staff.qualification, "qualified_on": staff.qualified_on}
        staff.qualification, staff.qualified_on = qualification, qualified_on
        staff.save(update_fields=["qualification", "qualified_on"])
        record(actor=actor, action="staff.qualify", obj=staff, area_code=staff.area_code,
               changes=diff(before, {"qualification": qualification, "qualified_on": qualified_on}))
    return staff


def add_training(*, actor: Any, staff: StaffMember, title: str, start_date: date,
                 hours: Decimal | int | str = 0, provider: str = "") -> Training:
    authz.check(actor, access.STAFF_MANAGE, staff.area_code)
    if not title.strip():
        raise BusinessError(_("The course needs a title."), code="title_required")
    hours_d = Decimal(str(hours))
    if hours_d < 0:
        raise BusinessError(_("Hours cannot be negative."), code="negative")
    with transaction.atomic():
        training = Training.objects.create(staff=staff, title=title.strip(), provider=provider,
                                           start_date=start_date, hours=hours_d)
        record(actor=actor, action="staff.training", obj=training, area_code=staff.area_code,
               changes={"staff": staff.pk, "title": training.title, "hours": hours_d})
    return training


# --------------------------------------------------------------------------- bodies

DEFAULT_POSTS: dict[str, list[tuple[str, str, int]]] = {
    BodyKind.PARTY: [("secretary", "书记", 1), ("deputy", "副书记", 2), ("member", "委员", 4)],
    BodyKind.RESIDENTS_COMMITTEE: [("chair", "主任", 1), ("vice_chair", "副主任", 2),
                                   ("member", "委员", 6)],
    BodyKind.CONFERENCE_COMMITTEE: [("chair", "主任", 1), ("member", "委员", 6)],
    BodyKind.COUNCIL: [("chair", "议事长", 1), ("member", "议事员", 14)],
    BodyKind.COMPOUND_GROUP: [("chair", "院落自治小组组长", 1), ("member", "成员", 6)],
    BodyKind.OWNERS_COMMITTEE: [("chair", "主任", 1), ("vice_chair", "副主任", 1),
                                ("member", "委员", 5)],
    BodyKind.REPRESENTATIVE_CONFERENCE: [("member", "居民代表", 50)],
    BodyKind.ELECTION_COMMITTEE: [("chair", "主任", 1), ("member", "委员", 6)],
}


def create_body(*, actor: Any, kind: str, name: str, area_code: str,
                founded_on: date | None = None,
                posts: list[tuple[str, str, int]] | None = None) -> Body:
    """A governance body with its posts (the usual ones for its kind unless given)."""
    authz.check(actor, access.BODIES_MANAGE, area_code)
    if kind not in BodyKind.values:
        raise BusinessError(_("Unknown body kind: %(k)s.") % {"k": kind}, code="unknown_kind")
    if not Area.objects.filter(code=area_code).exists():
        raise NotFound(_("Unknown area code: %(c)s.") % {"c": area_code}, code="unknown_area")
    if not name.strip():
        raise BusinessError(_("The body needs a name."), code="name_required")
    with transaction.atomic():
        if Body.objects.filter(kind=kind, area_code=area_code, name=name.strip(),
                               dissolved_on__isnull=True).exists():
            raise Conflict(_("This area already has a body of that name."), code="body_exists")
        body = Body.objects.create(kind=kind, name=name.strip(), area_code=area_code,
                                   founded_on=founded_on)
        Post.objects.bulk_create([Post(body=body, role=r, label=label, seats=seats)
                                  for r, label, seats in (posts or DEFAULT_POSTS.get(kind, []))])
        record(actor=actor, action="bodies.create", obj=body, area_code=area_code,
               changes={"kind": kind, "name": body.name})
    return body


def dissolve_body(*, actor: Any, body: Body, on: date) -> Body:
    authz.check(actor, access.BODIES_MANAGE, body.area_code)
    with transaction.atomic():
        body.dissolved_on = on
        body.save(update_fields=["dissolved_on"])
        body.memberships.filter(Q(end_date__isnull=True) | Q(end_date__gt=on)).update(
            end_date=on, end_reason="body dissolved")
        record(actor=actor, action="bodies.dissolve", obj=body, area_code=body.area_code,
               changes={"dissolved_on": on})
    return body


def add_membership(*, actor: Any, body: Body, post_role: str, person_name: str, start_date: date,
                   end_date: date | None = None, resident: Resident | None = None,
                   source: str = "") -> Membership:
    """Someone holds a post for a term. The post's seats may not be exceeded on the
    start date."""
    authz.check(actor, access.BODIES_MANAGE, body.area_code)
    post = body.posts.filter(role=post_role).first()
    if post is None:
        raise NotFound(_("%(b)s has no post %(p)s.") % {"b": body.name, "p": post_role},
                       code="unknown_post",
                       details={"posts": list(body.posts.values_list("role", flat=True))})
    if end_date is not None and end_date < start_date:
        raise BusinessError(_("The term cannot end before it starts."), code="term_dates")
    name = (resident.name if resident is not None and not person_name else person_name).strip()
    if not name:
        raise BusinessError(_("The member needs a name."), code="name_required")
    with transaction.atomic():
        Post.objects.select_for_update().filter(pk=post.pk).first()
        holding = post.memberships.filter(Q(end_date__isnull=True) | Q(end_date__gte=start_date),
                                          start_date__lte=start_date).count()
        if holding >= post.seats:
            raise Conflict(_("All %(n)d seat(s) of %(p)s are taken.") % {"n": post.seats,
                                                                       "p": post.label},
                           code="post_full", details={"seats": post.seats})
        m = Membership.objects.create(body=body, post=post, resident=resident, person_name=name,
                                      start_date=start_date, end_date=end_date, source=source)
        record(actor=actor, action="bodies.add_member", obj=m, area_code=body.area_code,
               changes={"body": body.pk, "post": post_role, "name": name,
                        "start_date": start_date, "end_date": end_date})
    return m


def end_membership(*, actor: Any, membership: Membership, end_date: date, reason: str = ""
                   ) -> Membership:
    authz.check(actor, access.BODIES_MANAGE, membership.body.area_code)
    if end_date < membership.start_date:
        raise BusinessError(_("The term cannot end before it starts."), code="term_dates")
    with transaction.atomic():
        membership.end_date, membership.end_reason = end_date, reason[:100]
        membership.save(update_fields=["end_date", "end_reason"])
        record(actor=actor, action="bodies.end_member", obj=membership,
               area_code=membership.body.area_code, changes={"end_date": end_date, "reason": reason})
    return membership
