"""Importing residents and households from CSV or .xlsx rows (ADR 0302): streamed,
checked row by row, written all-or-nothing per batch, idempotent by the identity hash.

On PostgreSQL, outside a caller's transaction, a second thread writes batch N while this
one parses, checks and encrypts batch N+1 (:class:`_Writer`); the set-based SQL it runs
is in :mod:`.import_pg`.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db import connection, connections, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shequ import authz
from shequ.areas.models import Area, Level
from shequ.audit.services import record
from shequ.core import crypto, pii
from shequ.core.errors import BusinessError
from shequ.people import access
from shequ.people.enums import AuditAction, Code, Perm
from shequ.people.importer import COLUMN_LABELS as COL
from shequ.people.importer import RawRow, Row, RowError, parse_row
from shequ.people.models import ID_CONTEXT, PHONE_CONTEXT, Household, Resident
from shequ.people.services import import_pg
from shequ.people.services._common import common_area, log_elsewhere

MAX_BATCH = 50_000



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
    errors_left_off: int = 0  # problems beyond ``max_errors``: counted, not listed

    @property
    def ok(self) -> bool:
        return not self.errors and not self.rejected_rows

    def add(self, error: RowError) -> None:
        if len(self.errors) < self.max_errors:
            self.errors.append(error)
        else:
            self.errors_left_off += 1

    def as_dict(self) -> dict[str, Any]:
        return {"rows": self.rows, "created": self.created, "updated": self.updated,
                "rejected_rows": self.rejected_rows, "batches": self.batches,
                "batches_rejected": self.batches_rejected, "dry_run": self.dry_run,
                "errors": [e.as_dict() for e in self.errors],
                "errors_left_off": self.errors_left_off}


class _FileState:
    """What the import remembers across batches: numbers seen (as 64-bit ints of the
    hash, so a million rows stay small) and household heads claimed."""

    def __init__(self) -> None:
        self.seen: dict[int, int] = {}
        self.heads: dict[tuple[str, str], int] = {}
        self.communities: dict[str, bool] = {}
        self.compounds: dict[str, bool] = {}
        self.allowed: dict[str, bool] = {}
        self.sensitive: dict[str, bool] = {}
        # (line, community, the other community, masked number): logged, never shown
        self.elsewhere: list[tuple[int, str, str, str]] = []


def _chunks(rows: Iterable[RawRow], size: int) -> Iterator[list[RawRow]]:
    chunk: list[RawRow] = []
    for item in rows:
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


class _RolledBack(Exception):
    """Raised inside the import's transaction to undo it after a problem."""


def import_residents(*, actor: Any, rows: Iterable[RawRow],
                     dry_run: bool = False, batch_size: int = 5000,
                     progress: Callable[[int], Any] | None = None,
                     today: date | None = None) -> ImportReport:
    """Import residents and households from ``(line, {column: text})`` rows (or the
    :class:`RowError` of a line the reader could not read).

    Every row is checked; the file is written in one transaction and only when no row
    has a problem: on any problem nothing is written (issue 13), and the report lists
    each one with line, column and reason. The same person (same identity hash) is
    updated, never duplicated, so re-running a file is safe. A number recorded in another
    community is answered without naming it, and the attempt is logged for the district
    (ADR 0308); a sensitive column needs ``people.sensitive`` (ADR 0307)."""
    access.can_import.check(actor)
    if not 1 <= batch_size <= MAX_BATCH:
        raise BusinessError(_("The batch size must be between 1 and %(max)d rows.")
                            % {"max": MAX_BATCH}, code=Code.BAD_BATCH_SIZE,
                            details={"batch_size": batch_size, "max": MAX_BATCH})
    today = today or timezone.localdate()
    report = ImportReport(dry_run=dry_run)
    state = _FileState()
    # On PostgreSQL, outside a caller's transaction, a second thread writes batch N while
    # this one parses, checks and encrypts batch N+1 (ADR 0302), all in the writer's one
    # transaction. Checks against the database concern data from before the import;
    # within the file, ``state`` decides.
    writer = _Writer(actor) if (not dry_run and connection.vendor == "postgresql"
                                and not connection.in_atomic_block) else None
    totals = _Totals()
    finished = False  # the whole file was read and checked (an exception leaves it False)
    try:
        with transaction.atomic():
            for chunk in _chunks(rows, batch_size):
                report.batches += 1
                unreadable: list[RowError] = []
                parsed: list[Row] = []
                for item in chunk:
                    if isinstance(item, RowError):
                        unreadable.append(item)
                    else:
                        parsed.append(parse_row(item[0], item[1], today=today))
                hashes = _check_batch(actor, parsed, state)
                report.rows += len(chunk)
                bad = [r for r in parsed if r.errors]
                if bad or unreadable:
                    report.batches_rejected += 1
                    report.rejected_rows += len(bad) + len(unreadable)
                    errors = unreadable + [err for r in bad for err in r.errors]
                    for err in sorted(errors, key=lambda e: e.line):
                        report.add(err)
                elif report.batches_rejected:
                    pass  # nothing will be written: the rest is only checked
                elif dry_run:
                    existing = set(Resident.objects.filter(id_hash__in=list(hashes.values()))
                                   .values_list("id_hash", flat=True))
                    totals.would_update += len(existing)
                    totals.would_create += len(parsed) - len(existing)
                else:
                    sealed = list(_sealed_rows(parsed, hashes))
                    if writer is not None:
                        writer.submit(parsed, sealed)
                    else:
                        totals.add(*_write_batch(parsed, sealed), parsed)
                if progress is not None:
                    progress(len(chunk))
            finished = True
            if writer is None and not dry_run and report.ok and totals.rows:
                _record_import(actor, totals)
            if not report.ok or dry_run:
                raise _RolledBack
    except _RolledBack:
        pass
    finally:
        if writer is not None:
            totals.merge(writer.close(commit=finished and report.ok))
        if state.elsewhere:
            _log_elsewhere(actor, state.elsewhere)
    if dry_run:
        report.created, report.updated = totals.would_create, totals.would_update
    elif report.ok:
        report.created, report.updated = totals.created, totals.updated
    return report


@dataclass
class _Totals:
    """What an import wrote (or, in a dry run, would write)."""

    created: int = 0
    updated: int = 0
    households: int = 0
    rows: int = 0
    first_line: int = 0
    last_line: int = 0
    communities: set[str] = field(default_factory=set)
    would_create: int = 0
    would_update: int = 0

    def add(self, created: int, updated: int, households: int, parsed: list[Row]) -> None:
        self.created += created
        self.updated += updated
        self.households += households
        self.rows += len(parsed)
        self.first_line = self.first_line or parsed[0].line
        self.last_line = parsed[-1].line
        self.communities.update(r.community_code for r in parsed)

    def merge(self, other: _Totals) -> None:
        self.created += other.created
        self.updated += other.updated


def _record_import(actor: Any, totals: _Totals) -> None:
    """One audit entry for the whole import, at its end (the chain's head is locked only
    for the last moment of the import's transaction)."""
    record(actor=actor, action=AuditAction.RESIDENT_IMPORT, object_type="people.resident",
           area_code=common_area(sorted(totals.communities)),
           changes={"lines": [totals.first_line, totals.last_line], "rows": totals.rows,
                    "created": totals.created, "updated": totals.updated,
                    "households": totals.households})


def _log_elsewhere(actor: Any, found: list[tuple[int, str, str, str]]) -> None:
    """The rows whose number is recorded in another community, in one entry."""
    log_elsewhere(actor=actor, kind="import",
                  community_code=common_area(sorted({c for _l, c, _o, _m in found})),
                  elsewhere=[o for _l, _c, o, _m in found],
                  id_masked=[m for _l, _c, _o, m in found], lines=[ln for ln, *_ in found])


class _Writer:
    """One background thread that writes valid batches in order, all in one transaction
    on its own connection; :meth:`close` commits only when the whole file was clean."""

    def __init__(self, actor: Any) -> None:
        self.actor = actor
        self.queue: queue.Queue[tuple[list[Row], list[dict[str, Any]]] | None] = queue.Queue(maxsize=1)
        self.totals = _Totals()
        self.commit = False
        self.error: BaseException | None = None
        self.thread = threading.Thread(target=self._run, name="people-import-writer", daemon=True)
        self.thread.start()

    def _run(self) -> None:
        try:
            with transaction.atomic():
                while True:
                    item = self.queue.get()
                    if item is None:
                        break
                    if self.error is None:
                        try:
                            self.totals.add(*_write_batch(*item), item[0])
                        except BaseException as exc:  # handed to the importing thread
                            self.error = exc
                if self.error is None and self.commit and self.totals.rows:
                    _record_import(self.actor, self.totals)
                if self.error is not None or not self.commit:
                    transaction.set_rollback(True)
        except BaseException as exc:  # the commit itself failed
            self.error = self.error or exc
        finally:
            connections.close_all()

    def submit(self, parsed: list[Row], sealed: list[dict[str, Any]]) -> None:
        if self.error is not None:
            raise self.error
        self.queue.put((parsed, sealed))

    def close(self, *, commit: bool) -> _Totals:
        self.commit = commit
        self.queue.put(None)
        self.thread.join()
        if self.error is not None:
            raise self.error
        return self.totals if commit else _Totals()


def _check_batch(actor: Any, parsed: list[Row], state: _FileState) -> dict[int, str]:
    """Checks that need the file so far or the database. Returns line -> id hash."""
    hashes: dict[int, str] = {}
    for row in parsed:
        code = row.community_code
        if len(code) == 12 and code.isdigit():
            if code not in state.communities:
                state.communities[code] = Area.objects.filter(code=code,
                                                              level=Level.COMMUNITY).exists()
                state.allowed[code] = access.can_import(actor, code)
                state.sensitive[code] = authz.has_perm(actor, Perm.SENSITIVE, code)
            if not state.communities[code]:
                row.fail(COL["community_code"], Code.UNKNOWN_COMMUNITY,
                         _("There is no community with code %(c)s.") % {"c": code})
            elif not state.allowed[code]:
                row.fail(COL["community_code"], Code.NOT_ALLOWED_HERE,
                         _("You may not import residents of community %(c)s.") % {"c": code})
            elif not state.sensitive[code]:
                row.write_sensitive = False
                for given in row.sensitive_given:
                    row.fail(COL[given], Code.FIELD_FORBIDDEN, access.field_refusal(
                        given, Perm.SENSITIVE).message)
        if row.area_code != code and len(row.area_code) == 15:
            if row.area_code not in state.compounds:
                state.compounds[row.area_code] = Area.objects.filter(
                    code=row.area_code, level=Level.COMPOUND).exists()
            if not state.compounds[row.area_code]:
                row.fail(COL["compound_code"], Code.UNKNOWN_COMPOUND,
                         _("There is no compound with code %(c)s.") % {"c": row.area_code})
        if row.number:
            digest = crypto.lookup_hash(row.number)
            key = int(digest[:16], 16)
            first = state.seen.get(key)
            if first is not None and first != row.line:
                row.fail(COL["id_number"], Code.DUPLICATE_IN_FILE,
                         _("The same identity number is already on line %(l)d.") % {"l": first})
            else:
                state.seen[key] = row.line
                hashes[row.line] = digest
        if row.head and row.household and code:
            hkey = (code, row.household)
            other = state.heads.get(hkey)
            if other is not None and other != row.line:
                row.fail(COL["head"], Code.DUPLICATE_HEAD,
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
            row.fail(COL["id_number"], Code.REGISTERED_ELSEWHERE,
                     _("This person is already registered in another community; they must "
                       "move out there first (the district office can see where)."))
            state.elsewhere.append((row.line, row.community_code, community,
                                    pii.mask_resident_id(row.number)))
    head_rows = [r for r in parsed if r.head and r.household and not r.errors]
    if head_rows:
        current_heads: Iterable[tuple[str, str, str, str]]
        if connection.vendor == "postgresql":
            with connection.cursor() as cur:
                cur.execute(import_pg.SQL_CURRENT_HEADS, [[r.community_code for r in head_rows],
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
                r.fail(COL["head"], Code.HOUSEHOLD_HAS_HEAD,
                       _("Household %(h)s already has a head (%(n)s).")
                       % {"h": r.household, "n": found[1]})
    return hashes


SENSITIVE_FIELDS = ("disability", "low_income")
# on re-import the number-derived fields (same hash, same number) are left as they are
RESIDENT_FIELDS = ["name", "phone_cipher",
                   "phone_last4", "household", "area_code", "community_code", "registered_here",
                   "lives_here", "residence_since", "disability", "low_income",
                   "registered_address", "actual_address", "moved_out_on", "updated_at"]


def _write_batch(parsed: list[Row], sealed: list[dict[str, Any]]) -> tuple[int, int, int]:
    """Write one valid batch (inside the import's transaction): created, updated,
    households."""
    with transaction.atomic(savepoint=False):
        if connection.vendor == "postgresql":
            return import_pg.write_batch(parsed, sealed)
        return _write_batch_orm(parsed, sealed)


def _sealed_rows(parsed: list[Row], hashes: dict[int, str]) -> Iterator[dict[str, Any]]:
    seal = crypto.seal
    for r in parsed:
        phone_cipher = seal(r.phone, context=PHONE_CONTEXT) if r.phone else ""
        yield {
            "name": r.name, "id_hash": hashes[r.line],
            "id_cipher": seal(r.number, context=ID_CONTEXT),
            "id_masked": pii.mask_resident_id(r.number), "birth_date": r.birth_date, "sex": r.sex,
            "phone_cipher": phone_cipher, "phone_last4": r.phone[-4:] if r.phone else "",
            "area_code": r.area_code, "community_code": r.community_code,
            "registered_here": r.registered_here, "lives_here": r.lives_here,
            "residence_since": r.residence_since, "disability": r.disability,
            "low_income": r.low_income, "registered_address": r.registered_address,
            "actual_address": r.actual_address, "write_sensitive": r.write_sensitive,
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
    objs = [Resident(**{k: v for k, v in values.items() if k != "write_sensitive"},
                     household_id=hh_ids.get((r.community_code, r.household)),
                     moved_out_on=None, created_at=now, updated_at=now)
            for r, values in zip(parsed, sealed, strict=True)]
    # a row of someone without ``people.sensitive`` leaves an existing record's sensitive
    # fields as they are (ADR 0307)
    for keep in (False, True):
        part = [o for o, r in zip(objs, parsed, strict=True) if r.write_sensitive is not keep]
        if part:
            Resident.objects.bulk_create(
                part, update_conflicts=True, unique_fields=["id_hash"],
                update_fields=[f for f in RESIDENT_FIELDS
                               if not (keep and f in SENSITIVE_FIELDS)])
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
