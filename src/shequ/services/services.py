"""The only writers of the services module: publish catalogue versions, submit cases,
move cases through their lifecycle, sweep the clock.

Each use case is keyword-only, takes the acting user first, checks permission, runs in
one transaction and writes one audit entry per change. Everything that can fail
(permission, attachments, calendar, state) is checked before the first write, so a
refusal changes nothing.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.core.files.base import ContentFile
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shequ import authz
from shequ.accounts import facade as accounts
from shequ.accounts.facade import User
from shequ.areas.models import Area, ServiceStation
from shequ.audit.services import record
from shequ.core import crypto, rows
from shequ.core.calendar import WorkdayCalendar, get_calendar
from shequ.core.errors import AuthRequired, BusinessError, Conflict, NotFound
from shequ.people import facade as people
from shequ.services import rules, selectors, sla
from shequ.services.enums import Perm
from shequ.services.models import (
    Attachment,
    Case,
    CaseCounter,
    CaseEvent,
    Channel,
    ClockPause,
    ItemVersion,
    Notification,
    PauseKind,
    ProgressFailure,
    ServiceItem,
    Sla,
    State,
)
from shequ.services.states import ACTION_PERMS, APPLICANT_ACTIONS, Action, next_state

STREET_LENGTH = 9


class DuplicateSubmission(Conflict):
    default_code = "duplicate_submission"
    default_message = _("This application was already submitted (same idempotency key).")


class AttachmentRejected(BusinessError):
    default_code = "attachment_rejected"
    status = 422


@dataclass(frozen=True)
class Upload:
    """A file as received (page, API or CLI), checked before anything is stored."""

    name: str
    content: bytes
    material_code: str = ""


# ---------------------------------------------------------------- helpers


def _now(at: datetime | None) -> datetime:
    return at or timezone.now()


def _local_date(at: datetime) -> date:
    return timezone.localtime(at).date()


def _actor_name(actor: Any) -> str:
    return str(getattr(actor, "username", "") or actor)


def _user_or_none(actor: Any) -> User | None:
    return actor if isinstance(actor, User) else None


def _snapshot(case: Case) -> dict[str, Any]:
    return {"state": case.state, "accepted_on": case.accepted_on, "due_on": case.due_on,
            "extension_days": case.extension_days, "paused_workdays": case.paused_workdays,
            "decided_on": case.decided_on, "sla": case.sla}


def check_uploads(uploads: Sequence[Upload], *, already: int = 0) -> list[tuple[Upload, str]]:
    """Type (extension and leading bytes) and size of each file; the first bad one
    refuses the whole request."""
    max_bytes = rules.value("attachment_max_bytes")
    max_count = rules.value("attachments_per_case")
    if already + len(uploads) > max_count:
        raise AttachmentRejected(_("At most %(n)d attachments per case.") % {"n": max_count},
                                 details={"max": max_count})
    checked: list[tuple[Upload, str]] = []
    for up in uploads:
        ext = up.name.rsplit(".", 1)[-1].lower() if "." in up.name else ""
        kind = rules.ATTACHMENT_TYPES.get(ext)
        if kind is None or not any(up.content.startswith(magic) for magic in kind[1]):
            raise AttachmentRejected(
                _("“%(name)s” is not an accepted file type (PDF, JPEG or PNG).")
                % {"name": up.name},
                details={"file": up.name, "allowed": sorted(rules.ATTACHMENT_TYPES)})
        if len(up.content) > max_bytes:
            raise AttachmentRejected(
                _("“%(name)s” is larger than %(mb)d MB.")
                % {"name": up.name, "mb": max_bytes // (1024 * 1024)},
                details={"file": up.name, "size": len(up.content), "max": max_bytes})
        if len(up.content) == 0:
            raise AttachmentRejected(_("“%(name)s” is empty.") % {"name": up.name},
                                     details={"file": up.name})
        checked.append((up, kind[0]))
    return checked


def _store_uploads(case: Case, checked: list[tuple[Upload, str]]) -> list[Attachment]:
    stored = []
    for up, content_type in checked:
        att = Attachment(case=case, material_code=up.material_code, name=up.name[:200],
                         content_type=content_type, size=len(up.content),
                         sha256=hashlib.sha256(up.content).hexdigest())
        safe = hashlib.sha256(up.content).hexdigest()[:16] + "." + up.name.rsplit(".", 1)[-1].lower()
        att.file.save(safe, ContentFile(up.content), save=False)
        att.save()
        stored.append(att)
    return stored


def _notification(case: Case, notice: str, at: datetime, /, **params: Any) -> Notification:
    return Notification(case=case, user_id=case.applicant_user_id, to_applicant=True,
                        kind=notice, params=params, created_at=at)


def _notify(case: Case, notice: str, at: datetime, /, **params: Any) -> None:
    rows.insert(_notification(case, notice, at, **params))


def _event_row(case: Case, *, at: datetime, action: str, from_state: str, actor: Any,
               note: str = "", details: dict[str, Any] | None = None) -> CaseEvent:
    return CaseEvent(case=case, at=at, action=action, from_state=from_state,
                     to_state=case.state, actor_name=_actor_name(actor), note=note,
                     details=details or {})


def _event(case: Case, *, at: datetime, action: str, from_state: str, actor: Any,
           note: str = "", details: dict[str, Any] | None = None) -> None:
    rows.insert(_event_row(case, at=at, action=action, from_state=from_state, actor=actor,
                           note=note, details=details))


def next_number(street_code: str, year: int) -> tuple[int, str]:
    """Take the next number of a street-year; must run inside the submitting
    transaction, whose rollback gives the number back (so numbers stay gapless).

    One ``UPDATE … RETURNING`` both locks the counter row and moves it (submission is the
    hot path; PostgreSQL and SQLite 3.35+ both support it)."""
    sql = (f"UPDATE {CaseCounter._meta.db_table} SET last = last + 1 "  # noqa: S608
           "WHERE street_code = %s AND year = %s RETURNING last")
    with connection.cursor() as cur:
        cur.execute(sql, [street_code, year])
        row = cur.fetchone()
        if row is None:  # the street's first case this year: create the row, then move it
            try:
                with transaction.atomic():
                    CaseCounter.objects.create(street_code=street_code, year=year)
            except IntegrityError:
                pass  # created meanwhile by a concurrent submission
            cur.execute(sql, [street_code, year])
            row = cur.fetchone()
    last = int(row[0])
    return last, f"{street_code}-{year}-{last:06d}"


# ---------------------------------------------------------------- catalogue


def publish_item(*, actor: Any, code: str, area_code: str, name: str, legal_basis: str,
                 handler_level: str, delegation_mode: str, department: str,
                 department_category: str, statutory_days: int | None = None,
                 promised_days: int | None = None, materials: list[dict[str, str]] | None = None,
                 fee_fen: int = 0, forms: list[str] | None = None, description: str = ""
                 ) -> ItemVersion:
    """Create an item or publish a new version of it; cases filed earlier keep theirs."""
    authz.check(actor, "services.catalogue", area_code)
    statutory = statutory_days if statutory_days is not None else rules.value("decision_days")
    promised = promised_days if promised_days is not None else statutory
    if not 0 < promised <= statutory:
        raise BusinessError(_("The promised limit must be between 1 and the statutory limit."),
                            code="invalid_limit",
                            details={"statutory_days": statutory, "promised_days": promised})
    with transaction.atomic():
        item, _created = ServiceItem.objects.select_for_update().get_or_create(
            code=code, defaults={"area_code": area_code})
        last = item.versions.order_by("-version").first()
        version = ItemVersion.objects.create(
            item=item, version=(last.version + 1) if last else 1, name=name,
            description=description, legal_basis=legal_basis, handler_level=handler_level,
            delegation_mode=delegation_mode, department=department,
            department_category=department_category, statutory_days=statutory,
            promised_days=promised, materials=list(materials or []), fee_fen=fee_fen,
            forms=list(forms or []))
        item.current = version
        item.save(update_fields=["current"])
        record(actor=actor, action="services.item.publish", obj=version, area_code=area_code,
               changes={"code": code, "version": version.version, "name": name,
                        "statutory_days": statutory, "promised_days": promised})
    return version


# ---------------------------------------------------------------- submission

# Published versions never change (a change is a new version), so a process keeps those it
# has read. Keyed by (id, publication time) rather than id alone: a rolled-back
# transaction may hand the same id to a different version later.
_VERSIONS: dict[tuple[int, Any], ItemVersion] = {}
_VERSIONS_MAX = 2_000


@functools.cache
def _submission_sql() -> str:
    qn = connection.ops.quote_name
    return (f"SELECT i.{qn('id')}, i.{qn('active')}, i.{qn('current_id')}, "  # noqa: S608
            f"v.{qn('published_at')}, "
            f"EXISTS (SELECT 1 FROM {qn(Area._meta.db_table)} WHERE {qn('code')} = %s) "
            f"FROM {qn(ServiceItem._meta.db_table)} i LEFT JOIN {qn(ItemVersion._meta.db_table)} v "
            f"ON v.{qn('id')} = i.{qn('current_id')} WHERE i.{qn('code')} = %s")


def _item_for_submission(item_code: str, area_code: str
                         ) -> tuple[ServiceItem | None, ItemVersion | None, bool]:
    """The item, its current version and whether the area exists, in one round trip with
    SQL built once: submission is the hot path, and building this query was its costliest
    step. The item comes back with only what a submission reads (others load on access,
    as with ``.only()``)."""
    with connection.cursor() as cur:
        cur.execute(_submission_sql(), [area_code, item_code])
        row = cur.fetchone()
    if row is None:
        return None, None, Area.objects.filter(code=area_code).exists()
    item_id, active, current_id, published_at, area_known = row
    # from_db takes the values in the model's field order
    item = ServiceItem.from_db(connection.alias, ["id", "code", "current_id", "active"],
                               [item_id, item_code, current_id, bool(active)])
    if current_id is None:
        return item, None, bool(area_known)
    key = (current_id, published_at)
    version = _VERSIONS.get(key)
    if version is None:
        version = ItemVersion.objects.get(pk=current_id)
        if len(_VERSIONS) >= _VERSIONS_MAX:
            _VERSIONS.clear()
        _VERSIONS[key] = version
    item.current = version
    return item, version, bool(area_known)


def submit_case(*, actor: Any, item_code: str, area_code: str, applicant_name: str,
                phone: str = "", description: str = "", channel: str = Channel.ONLINE,
                station_code: str = "", id_number: str = "", idempotency_key: str = "",
                uploads: Sequence[Upload] = (), at: datetime | None = None) -> Case:
    """File a case: online by the applicant, or at a station desk on their behalf."""
    perm = "services.apply" if channel == Channel.ONLINE else "services.desk"
    if channel == Channel.OPEN311 and not authz.has_perm(actor, "services.desk", area_code):
        perm = "services.apply"
    authz.check(actor, perm, area_code)
    item, version, area_known = _item_for_submission(item_code, area_code)
    if not area_known or len(area_code) < STREET_LENGTH:
        raise NotFound(_("Unknown area code: %(c)s.") % {"c": area_code}, code="unknown_area",
                       details={"area_code": area_code})
    if item is None or version is None or not item.active:
        raise NotFound(_("No such service item is accepting applications: %(c)s.")
                       % {"c": item_code}, code="unknown_item", details={"item_code": item_code})
    if not applicant_name.strip():
        raise BusinessError(_("The applicant's name is required."), code="applicant_required")
    digits = "".join(ch for ch in phone if ch.isdigit())
    if phone and len(digits) < 7:
        raise BusinessError(_("The phone number looks incomplete."), code="invalid_phone")
    station = None
    if station_code:
        station = ServiceStation.objects.filter(code=station_code).first()
        if station is None:
            raise NotFound(_("Unknown service station."), code="unknown_station",
                           details={"station": station_code})
    resident = people.resident_by_identity(id_number) if id_number else None
    checked = check_uploads(uploads)
    now = _now(at)
    received = _local_date(now)
    accept_by = get_calendar().add(received, rules.value("correction_notice_days"))
    scope = f"user:{getattr(actor, 'pk', None) or 'system'}"
    key = idempotency_key.strip()[:100]
    street_code = area_code[:STREET_LENGTH]
    # Filed by the applicants themselves (portal, or Open311 with their own key): they
    # follow the case in their account; filed by staff (代办): the applicant has none.
    applicant_user = _user_or_none(actor) if perm == "services.apply" else None
    try:
        with transaction.atomic():
            seq, number = next_number(street_code, received.year)
            case = rows.insert(Case(
                number=number, street_code=street_code, year=received.year, seq=seq,
                area_code=area_code, item=item, version=version, channel=channel,
                station=station, applicant_user=applicant_user, resident=resident,
                applicant_name=applicant_name.strip()[:100],
                phone_cipher=crypto.seal(digits, context="services.phone") if digits else "",
                phone_last4=digits[-4:], description=description,
                filed_by=_user_or_none(actor), idempotency_scope=scope if key else "",
                idempotency_key=key, state=State.SUBMITTED, submitted_at=now,
                accept_by=accept_by, limit_days=version.promised_days,
                statutory_days=version.statutory_days))
            _store_uploads(case, checked)
            rows.insert_all([  # one round trip where the database allows
                _event_row(case, at=now, action="submit", from_state="", actor=actor,
                           details={"channel": channel, "attachments": len(checked)}),
                _notification(case, "received", now, number=number,
                              accept_by=accept_by.isoformat())])
            record(actor=actor, action="services.case.submit", obj=case, area_code=area_code,
                   changes={"number": number, "item": item.code, "version": version.version,
                            "channel": channel, "attachments": len(checked)})
    except IntegrityError:
        if key:
            existing = Case.objects.filter(idempotency_scope=scope, idempotency_key=key).first()
            if existing is not None:
                raise DuplicateSubmission(details={"number": existing.number}) from None
        raise
    return case


# ---------------------------------------------------------------- lifecycle


def _may_act_as_applicant(actor: Any, case: Case, action: str) -> bool:
    return (action in APPLICANT_ACTIONS and case.applicant_user_id is not None
            and getattr(actor, "pk", None) == case.applicant_user_id)


def act(*, actor: Any, number: str, action: str, note: str = "",
        missing: Sequence[str] = (), pause_kind: str = "", days: int | None = None,
        uploads: Sequence[Upload] = (), at: datetime | None = None) -> Case:
    """The one transition service: every step of a case after submission."""
    case = Case.objects.select_related("version").filter(number=number).first()
    if case is None:
        raise NotFound(_("No such case."), code="unknown_case", details={"number": number})
    if not _may_act_as_applicant(actor, case, action):
        authz.check(actor, ACTION_PERMS.get(action, "services.handle"), case.area_code)
    target = next_state(case.state, action)
    now = _now(at)
    today = _local_date(now)
    cal = get_calendar()
    before = _snapshot(case)
    params: dict[str, Any] = {"number": case.number}
    details: dict[str, Any] = {}
    pause_to_close: ClockPause | None = None
    checked: list[tuple[Upload, str]] = []

    if action == Action.REQUEST_CORRECTION:
        names = case.version.material_names
        items = [m.strip() for m in missing if m.strip()]
        if not items:
            raise BusinessError(_("Name every missing material, all in one notice."),
                                code="missing_required")
        if today > case.accept_by:
            raise BusinessError(
                _("The window for requesting materials ended on %(d)s; the application "
                  "counts as accepted on receipt.") % {"d": case.accept_by.isoformat()},
                code="correction_window_passed", details={"accept_by": case.accept_by})
        case.missing = [names.get(m, m) for m in items]
        params["missing"] = case.missing
        details["missing"] = case.missing
    elif action == Action.SUPPLY:
        checked = check_uploads(uploads, already=case.attachments.count())
        case.accept_by = cal.add(today, rules.value("correction_notice_days"))
        details["supplied"] = list(case.missing)
        case.missing = []
    elif action == Action.ACCEPT:
        _start_clock(case, cal, today)
        params["due_on"] = case.due_on.isoformat() if case.due_on else ""
    elif action in (Action.REFUSE, Action.REJECT):
        if not note.strip():
            raise BusinessError(_("Give the reasons, so the applicant is told why."),
                                code="reasons_required")
        case.decision_reasons = note.strip()
        params["reasons"] = case.decision_reasons
    elif action == Action.EXTEND:
        allowed = rules.value("extension_days")
        extra = allowed if days is None else days
        if case.extension_days or not note.strip() or not 0 < extra <= allowed:
            raise BusinessError(
                _("One extension of at most %(n)d working days, with a reason for the "
                  "applicant.") % {"n": allowed},
                code="extension_refused",
                details={"already_extended": bool(case.extension_days), "max_days": allowed})
        case.extension_days = extra
        case.extension_reason = note.strip()
        assert case.accepted_on is not None
        case.due_on = sla.due_date(cal, case.accepted_on, case.limit_days, extra,
                                   case.paused_workdays)
        case.statutory_due_on = sla.due_date(cal, case.accepted_on, case.statutory_days,
                                             extra, case.paused_workdays)
        params.update(days=extra, reason=case.extension_reason, due_on=case.due_on.isoformat())
    elif action == Action.SUSPEND:
        if pause_kind not in PauseKind.values:
            raise BusinessError(_("Say which period stops the clock (hearing, inspection, "
                                  "testing, expert review, tender)."), code="pause_kind_required",
                                details={"allowed": list(PauseKind.values)})
        case.paused_since = today
        params["kind"] = pause_kind
    elif action == Action.RESUME:
        pause_to_close = case.pauses.filter(ended_on__isnull=True).order_by("-started_on").first()
        started = case.paused_since or today
        excluded = sla.excluded_workdays(cal, started, today)
        assert case.accepted_on is not None
        new_paused = case.paused_workdays + excluded
        case.due_on = sla.due_date(cal, case.accepted_on, case.limit_days, case.extension_days,
                                   new_paused)
        case.statutory_due_on = sla.due_date(cal, case.accepted_on, case.statutory_days,
                                             case.extension_days, new_paused)
        case.paused_workdays = new_paused
        case.paused_since = None
        details["excluded_workdays"] = excluded
        params.update(excluded=excluded, due_on=case.due_on.isoformat())
    if action in (Action.APPROVE, Action.REJECT):
        assert case.accepted_on is not None
        case.decided_on = today
        # The second clock: the written decision or licence reaches the applicant within
        # the issue limit (行政许可法 Art. 44), counted like every other limit.
        case.issue_due_on = cal.add(today, rules.value("issue_days"))
        case.workdays_used = sla.workdays_used(cal, case.accepted_on, today, case.paused_workdays)
        if note.strip():
            case.decision_reasons = note.strip()
    elif action == Action.ISSUE:
        case.issued_on = today
    elif action in (Action.CLOSE, Action.WITHDRAW, Action.REFUSE):
        case.closed_on = today

    source = case.state
    case.state = target
    case.sla = sla.status(case, today, cal, rules.value("warning_days"))
    with transaction.atomic():
        locked = Case.objects.select_for_update().get(pk=case.pk)
        if locked.state != source:  # someone else moved it meanwhile
            next_state(locked.state, action)
            raise Conflict(details={"state": locked.state})
        case.save()
        if action == Action.SUSPEND:
            ClockPause.objects.create(case=case, kind=pause_kind, reason=note, started_on=today)
        if pause_to_close is not None:
            pause_to_close.ended_on = today
            pause_to_close.workdays = details["excluded_workdays"]
            pause_to_close.save(update_fields=["ended_on", "workdays"])
        if checked:
            _store_uploads(case, checked)
        _event(case, at=now, action=action, from_state=source, actor=actor, note=note,
               details=details)
        _notify(case, action, now, **params)
        after = _snapshot(case)
        record(actor=actor, action=f"services.case.{action}", obj=case, area_code=case.area_code,
               changes={k: [before[k], v] for k, v in after.items() if before[k] != v}
               | ({"note": note} if note else {}) | details)
    return case


def attach(*, actor: Any, number: str, uploads: Sequence[Upload], at: datetime | None = None
           ) -> list[Attachment]:
    """Add materials to a case before acceptance (by the applicant or a desk worker);
    supplying materials after a 补正 notice goes through ``act(action="supply")``."""
    case = Case.objects.filter(number=number).first()
    if case is None:
        raise NotFound(_("No such case."), code="unknown_case", details={"number": number})
    if not _may_act_as_applicant(actor, case, Action.SUPPLY):
        authz.check(actor, "services.desk", case.area_code)
    if case.state not in (State.SUBMITTED, State.CORRECTION):
        raise Conflict(_("Materials can be added only before acceptance."),
                       code="attachments_closed", details={"state": case.state})
    checked = check_uploads(uploads, already=case.attachments.count())
    if not checked:
        raise BusinessError(_("No file was sent."), code="no_file")
    now = _now(at)
    with transaction.atomic():
        stored = _store_uploads(case, checked)
        CaseEvent.objects.create(case=case, at=now, action="attach", from_state=case.state,
                                 to_state=case.state, actor_name=_actor_name(actor),
                                 details={"files": [a.name for a in stored]})
        record(actor=actor, action="services.case.attach", obj=case, area_code=case.area_code,
               changes={"files": [[a.name, a.size, a.sha256] for a in stored]})
    return stored


def _start_clock(case: Case, cal: WorkdayCalendar, accepted_on: date) -> None:
    """Acceptance: the clock starts (Art. 32); raises before any change if the deadline
    falls in a year the calendar does not know."""
    due = sla.due_date(cal, accepted_on, case.limit_days)
    statutory = sla.due_date(cal, accepted_on, case.statutory_days)
    case.accepted_on, case.due_on, case.statutory_due_on = accepted_on, due, statutory
    case.missing = []


# ---------------------------------------------------------------- the sweep


@dataclass
class SweepResult:
    auto_accepted: int = 0
    updated: int = 0
    warned: int = 0
    escalated: int = 0
    errors: int = 0

    def as_dict(self) -> dict[str, int]:
        return dict(self.__dict__)


def supervisors_of(area_code: str) -> list[User]:
    """Users holding ``services.supervise`` at the case's area or above."""
    return accounts.holders(Perm.SUPERVISE, area_code)


CLOCK_STATES = (State.IN_REVIEW, State.SUSPENDED)


def sweep(*, actor: Any, at: datetime | None = None) -> SweepResult:
    """Move the clock: accept on receipt what nobody checked in time (Art. 32), refresh
    every open case's status, warn once, escalate overdue cases once. Idempotent."""
    authz.check(actor, "services.sweep")
    now = _now(at)
    today = _local_date(now)
    cal = get_calendar()
    warn_days = rules.value("warning_days")
    result = SweepResult()
    for case in Case.objects.filter(state=State.SUBMITTED, accept_by__lt=today).order_by("pk"):
        received = _local_date(case.submitted_at)
        try:
            with transaction.atomic():
                locked = Case.objects.select_for_update().get(pk=case.pk)
                if locked.state != State.SUBMITTED:
                    continue
                _start_clock(locked, cal, received)
                locked.state = State.IN_REVIEW
                locked.sla = sla.status(locked, today, cal, warn_days)
                locked.save()
                _event(locked, at=now, action="auto_accept", from_state=State.SUBMITTED,
                       actor=actor, details={"accepted_on": received.isoformat()})
                _notify(locked, "auto_accept", now, number=locked.number,
                        due_on=locked.due_on.isoformat() if locked.due_on else "")
                record(actor=actor, action="services.case.auto_accept", obj=locked,
                       area_code=locked.area_code,
                       changes={"accepted_on": received, "due_on": locked.due_on})
            result.auto_accepted += 1
        except BusinessError:
            result.errors += 1
    try:
        last_warning_day: date | None = sla.last_warning_day(cal, today, warn_days)
    except BusinessError:  # the calendar does not reach far enough: refresh what it can
        last_warning_day = None
    bosses: dict[str, list[User]] = {}
    streets = (Case.objects.filter(state__in=CLOCK_STATES).order_by("street_code")
               .values_list("street_code", flat=True).distinct())
    expr = sla.status_expression(today, last_warning_day)
    for street in list(streets):
        # one set-based UPDATE per street (short transactions; streets never wait for each
        # other), touching only cases whose status changes: province scale without
        # reading every open case into Python
        open_cases = Case.objects.filter(street_code=street, state__in=CLOCK_STATES)
        if last_warning_day is None:
            result.errors += open_cases.filter(state=State.IN_REVIEW, decided_on__isnull=True,
                                               due_on__gte=today).count()
        result.updated += open_cases.exclude(sla=expr).update(sla=expr)
        for case in open_cases.filter(state=State.IN_REVIEW, sla=Sla.WARNING,
                                      warned_at__isnull=True).order_by("pk"):
            with transaction.atomic():
                if Case.objects.filter(pk=case.pk, warned_at__isnull=True).update(warned_at=now):
                    _event(case, at=now, action="warn", from_state=case.state, actor=actor)
                    record(actor=actor, action="services.case.warn", obj=case,
                           area_code=case.area_code, changes={"due_on": case.due_on})
                    result.warned += 1
        for case in open_cases.filter(state=State.IN_REVIEW, sla=Sla.OVERDUE,
                                      escalated_at__isnull=True).order_by("pk"):
            with transaction.atomic():
                if Case.objects.filter(pk=case.pk, escalated_at__isnull=True).update(
                        escalated_at=now):
                    if case.area_code not in bosses:  # a street's cases share them
                        bosses[case.area_code] = supervisors_of(case.area_code)
                    rows.insert_all([
                        Notification(case=case, user=boss, to_applicant=False, kind="escalate",
                                     params={"number": case.number, "due_on":
                                             case.due_on.isoformat() if case.due_on else ""},
                                     created_at=now)
                        for boss in bosses[case.area_code]])
                    _event(case, at=now, action="escalate", from_state=case.state,
                           actor=actor)
                    record(actor=actor, action="services.case.escalate", obj=case,
                           area_code=case.area_code, changes={"due_on": case.due_on})
                    result.escalated += 1
    return result


def mark_read(*, actor: Any, notification_ids: Sequence[int]) -> int:
    """Mark one's own notifications read (no audit entry: nothing official changes)."""
    if actor is None or not getattr(actor, "is_authenticated", False) or not getattr(actor, "pk", None):
        raise AuthRequired()
    return Notification.objects.filter(pk__in=list(notification_ids), user=actor,
                                       read_at__isnull=True).update(read_at=timezone.now())


def query_progress(*, number: str, phone_last4: str, at: datetime | None = None
                   ) -> selectors.Progress:
    """The public progress query with its brake: after ``progress_max_failures`` wrong
    answers for a number within the window, that number answers nothing for a while
    (even to the right digits), so the four digits cannot be guessed."""
    now = _now(at)
    number = number.strip()[:40]
    since = now - timedelta(minutes=rules.value("progress_window_minutes"))
    failures = ProgressFailure.objects.filter(number=number, at__gte=since).count()
    if failures >= rules.value("progress_max_failures"):
        raise BusinessError(_("Too many wrong attempts for this case number. Try again later, "
                              "or ask at your service station."), code="progress_paused",
                            status=429)
    try:
        return selectors.progress(number=number, phone_last4=phone_last4)
    except NotFound:
        ProgressFailure.objects.create(number=number, at=now)
        raise
