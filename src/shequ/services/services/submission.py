"""Filing a case: online by the applicant, at a station desk on their behalf (代办), or by
an Open311 client. The hot path (ADR 0010): SQL built once, published versions and the
rules kept per process, the case, its first history line, the notice and the audit entry
in as few round trips as the database allows."""

from __future__ import annotations

import functools
from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.db import IntegrityError, connection, transaction
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from shequ import authz
from shequ.areas import facade as areas_facade
from shequ.areas.models import Area, ServiceStation
from shequ.audit.services import record
from shequ.authz import SYSTEM
from shequ.core import crypto, ids, rows
from shequ.core.calendar import get_calendar
from shequ.core.errors import BusinessError, Conflict, NotFound
from shequ.people import facade as people
from shequ.services import rollups, rules
from shequ.services.enums import AuditAction, Code, Perm
from shequ.services.lifecycles import actor_name
from shequ.services.models import (
    OPEN_STATES,
    PHONE_CONTEXT,
    Case,
    CaseCounter,
    CaseEvent,
    Channel,
    HandlerLevel,
    ItemVersion,
    Notification,
    ServiceItem,
    State,
)
from shequ.services.services.attachments import Upload, check_uploads, store_uploads
from shequ.services.services.common import (
    STREET_LENGTH,
    local_date,
    now_or,
    user_or_none,
)

if TYPE_CHECKING:
    from shequ.people.models import Resident


class DuplicateSubmission(Conflict):
    default_code = Code.DUPLICATE_SUBMISSION
    default_message = _("This application was already submitted (same idempotency key).")


#: Longest accepted input per field (the model's columns; the description is text but
#: not unbounded). Longer input is refused, never cut.
MAX_LENGTHS = {"applicant_name": 100, "description": 2000, "agent_name": 100,
               "agent_relation": 50}


def _check_lengths(**values: str) -> None:
    labels = {"applicant_name": _("The applicant's name"), "description": _("The request"),
              "agent_name": _("The name of the person filing"),
              "agent_relation": _("The relation to the applicant")}
    for field, value in values.items():
        limit = MAX_LENGTHS[field]
        if len(value.strip()) > limit:
            raise BusinessError(
                _("%(field)s is longer than %(n)d characters (%(len)d given); nothing was "
                  "saved.") % {"field": labels[field], "n": limit, "len": len(value.strip())},
                code=Code.TOO_LONG, details={"field": field, "max": limit})


def _check_identity(id_number: str, on: Any) -> None:
    """GB 11643: length, characters, a real birth date not in the future, the check
    character; the error names which."""
    try:
        ids.parse_resident_id(id_number, today=on)
    except ids.InvalidId as exc:
        raise BusinessError(_("Identity number: %(cause)s") % {"cause": exc.message},
                            code=Code.INVALID_IDENTITY,
                            details={"cause": exc.code, **exc.details}) from None


def _warn_duplicate(item: ServiceItem, area_code: str, resident: Any, name: str,
                    last4: str) -> None:
    """The same person already has an open case of the same item (by the resident record,
    or by name and phone): the desk worker is asked to confirm before filing again."""
    same = (Q(resident=resident) if resident is not None
            else Q(applicant_name=name, phone_last4=last4))
    dup = (Case.objects.filter(same, item_id=item.pk, street_code=area_code[:STREET_LENGTH],
                               state__in=OPEN_STATES).order_by("-submitted_at").first())
    if dup is not None:
        raise Conflict(
            _("%(name)s already has an open case of this item: %(n)s (%(state)s). To file "
              "another one anyway, tick the confirmation and submit again.")
            % {"name": dup.applicant_name, "n": dup.number, "state": dup.get_state_display()},
            code=Code.DUPLICATE_OPEN_CASE, details={"number": dup.number})


def next_number(street_code: str, year: int) -> tuple[int, str]:
    """Take the next number of a street-year; must run inside the submitting
    transaction, whose rollback gives the number back (so numbers stay gapless, ADR 0400).

    One ``UPDATE … RETURNING`` both locks the counter row and moves it (PostgreSQL and
    SQLite 3.35+ both support it)."""
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
    SQL built once: building this query was the submission's costliest step. The item
    comes back with only what a submission reads (others load on access, as with
    ``.only()``)."""
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
        version = ItemVersion.objects.select_related("handling_duty").get(pk=current_id)
        if len(_VERSIONS) >= _VERSIONS_MAX:
            _VERSIONS.clear()
        _VERSIONS[key] = version
    item.current = version
    return item, version, bool(area_known)


def handling_department_id(version: ItemVersion, street_code: str) -> int | None:
    """The department (科室) of the street office that handles a case of ``version`` filed
    in ``street_code``: the one holding the version's duty (of the version's category if
    several do), fixed when the street receives the case (ADR 1003). None for an item a
    district department handles, or one without a duty, or a street with no such
    department."""
    duty = version.handling_duty if version.handling_duty_id else None
    if duty is None or version.handler_level == HandlerLevel.DISTRICT:
        return None
    return areas_facade.handling_department_id(street_code, duty.code,
                                               version.department_category)


def _as_themselves(actor: Any, applicant_name: str, id_number: str) -> Resident:
    """A signed-in resident applies only as the person of their own resident record:
    the name and number are the record's, another person's are refused (acting for
    someone else is the station desk's 代办, with its own record of who acted)."""
    own = people.resident_of_user(actor)
    if own is None:
        raise BusinessError(
            _("Your account is not linked to your resident record, so you cannot apply online "
              "as yourself; the community's station desk can file for you (代办)."),
            code=Code.NO_RESIDENT_RECORD)
    name = applicant_name.strip()
    if (name and name != own.name) or (
            id_number.strip() and people.identity_hash(id_number) != own.id_hash):
        raise BusinessError(
            _("You can apply only for yourself, under the name and identity number of your "
              "own resident record; for another person, the station desk files on their "
              "behalf (代办)."), code=Code.NOT_YOURSELF)
    return own


def submit_case(*, actor: Any, item_code: str, area_code: str, applicant_name: str,
                phone: str = "", description: str = "", channel: str = Channel.ONLINE,
                station_code: str = "", id_number: str = "", idempotency_key: str = "",
                uploads: Sequence[Upload] = (), at: datetime | None = None,
                agent_name: str = "", agent_relation: str = "",
                confirm_duplicate: bool = False) -> Case:
    """File a case. The applicant's own filing (portal, Open311 with their own key) needs
    ``services.apply``, is made as the person of the actor's resident record and is
    followed in their account; a desk filing (代办) needs ``services.desk``, belongs to no
    account and records who acted for whom (the worker, and the person who came if not
    the applicant). A repeated idempotency key is refused with the number already given.
    An identity number is checked (GB 11643) wherever it is given; at the desk, an open
    case of the same item for the same person is a warning the worker confirms
    (``confirm_duplicate``)."""
    perm = Perm.APPLY if channel == Channel.ONLINE else Perm.DESK
    if channel == Channel.OPEN311 and not authz.has_perm(actor, Perm.DESK, area_code):
        perm = Perm.APPLY
    authz.check(actor, perm, area_code)
    now = now_or(at)
    received = local_date(now)
    if id_number.strip():
        _check_identity(id_number, received)
    own = _as_themselves(actor, applicant_name, id_number) if (
        perm == Perm.APPLY and actor is not SYSTEM) else None
    if own is not None:
        applicant_name, agent_name, agent_relation = own.name, "", ""
    _check_lengths(applicant_name=applicant_name, description=description,
                   agent_name=agent_name, agent_relation=agent_relation)
    if agent_name.strip() and not agent_relation.strip():
        raise BusinessError(_("Say how the person filing is related to the applicant."),
                            code=Code.APPLICANT_REQUIRED)
    item, version, area_known = _item_for_submission(item_code, area_code)
    if not area_known or len(area_code) < STREET_LENGTH:
        raise NotFound(_("Unknown area code: %(c)s.") % {"c": area_code},
                       code=Code.UNKNOWN_AREA, details={"area_code": area_code})
    if item is None or version is None or not item.active:
        raise NotFound(_("No such service item is accepting applications: %(c)s.")
                       % {"c": item_code}, code=Code.UNKNOWN_ITEM,
                       details={"item_code": item_code})
    if not applicant_name.strip():
        raise BusinessError(_("The applicant's name is required."),
                            code=Code.APPLICANT_REQUIRED)
    digits = "".join(ch for ch in phone if ch.isdigit())
    if phone and len(digits) < 7:
        raise BusinessError(_("The phone number looks incomplete."), code=Code.INVALID_PHONE)
    station = None
    if station_code:
        station = ServiceStation.objects.filter(code=station_code).first()
        if station is None:
            raise NotFound(_("Unknown service station."), code=Code.UNKNOWN_STATION,
                           details={"station": station_code})
    resident = own or (people.resident_by_identity(id_number) if id_number.strip() else None)
    if channel == Channel.DESK and not confirm_duplicate:
        _warn_duplicate(item, area_code, resident, applicant_name.strip(), digits[-4:])
    profile = rules.profile(area_code)  # kept per process: no query on the hot path
    checked = check_uploads(uploads, profile=profile)
    accept_by = get_calendar().add(received, profile.number("correction_notice_days"))
    scope = f"user:{getattr(actor, 'pk', None) or 'system'}"
    key = idempotency_key.strip()[:100]
    street_code = area_code[:STREET_LENGTH]
    department_id = handling_department_id(version, street_code)
    applicant_user = user_or_none(actor) if perm == Perm.APPLY else None
    try:
        with transaction.atomic():
            seq, number = next_number(street_code, received.year)
            case = rows.insert(Case(
                number=number, street_code=street_code, year=received.year, seq=seq,
                area_code=area_code, item=item, version=version, channel=channel,
                station=station, department_id=department_id, applicant_user=applicant_user,
                resident=resident,
                applicant_name=applicant_name.strip(), agent_name=agent_name.strip(),
                agent_relation=agent_relation.strip(),
                phone_cipher=crypto.seal(digits, context=PHONE_CONTEXT) if digits else "",
                phone_last4=digits[-4:], description=description,
                filed_by=user_or_none(actor), idempotency_scope=scope if key else "",
                idempotency_key=key, state=State.SUBMITTED, submitted_at=now,
                received_on=received, accept_by=accept_by, limit_days=version.promised_days,
                statutory_days=version.statutory_days))
            rollups.count_submission(case)  # the statistics, in this transaction
            store_uploads(case, checked)
            rows.insert_all([  # one round trip where the database allows
                CaseEvent(case=case, at=now, action="submit", from_state="",
                          to_state=case.state, actor_name=actor_name(actor),
                          details={"channel": channel, "attachments": len(checked)}),
                Notification(case=case, user_id=case.applicant_user_id, to_applicant=True,
                             kind="received", created_at=now,
                             params={"number": number, "accept_by": accept_by.isoformat()})])
            record(actor=actor, action=AuditAction.CASE_SUBMIT, obj=case, area_code=area_code,
                   changes={"number": number, "item": item.code, "version": version.version,
                            "channel": channel, "attachments": len(checked),
                            **({"agent": agent_name.strip(),
                                "relation": agent_relation.strip()} if agent_name else {}),
                            "rules": profile.version})
    except IntegrityError:
        if key:
            existing = Case.objects.filter(idempotency_scope=scope, idempotency_key=key).first()
            if existing is not None:
                raise DuplicateSubmission(details={"number": existing.number}) from None
        raise
    return case
