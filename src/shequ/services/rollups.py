"""Statistics rollups (ADR 0026): what the statistics page sums, kept per street × item ×
department × month of receipt in :class:`~shequ.services.models.StatRollup`.

Two writers keep a row in step, each inside the transaction of the write it counts, so a
rollup never shows a case its transaction did not commit:

- :func:`count_submission` (the submission): one more case received;
- :func:`count_move` (every step, through the lifecycle's event hook): a decision adds
  one completed case, on time or late, and its working days.

Everything else a case does (acceptance, extension, suspension, issue, close) leaves
those figures unchanged. The ``overdue`` and ``warning`` columns (cases whose time-limit
status is overdue, or near the deadline: the statistics' "overdue, open" and the
console's cards) move with the status, which two writers change:

- :func:`count_status` (every step, from ``common.finish``): a step that makes a case
  overdue adds one, a step that ends it (a decision, a suspension, an extension that
  moves the deadline past today) takes one away;
- :func:`count_sweep` (the clock sweep): the cases its refresh moves in or out of
  "overdue" or "warning", counted from the rows it locked and updated, in the same
  transaction.

:func:`rebuild` recomputes every row from the cases (after a bulk load, or to check):
``shequ services rollups rebuild``.
"""

from __future__ import annotations

import functools
from collections import Counter
from collections.abc import Iterable, Iterator
from datetime import date, datetime
from typing import Any

from django.db import connection, transaction
from django.db.models import Count, F, Q, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from shequ.services.models import Case, Sla, State, StatRollup

DECISIONS = frozenset({State.APPROVED, State.REJECTED})
COUNTED = ("cases", "completed", "on_time", "timed", "workdays", "overdue", "warning")
STATUSES = {"overdue": Sla.OVERDUE, "warning": Sla.WARNING}  # column → the status it counts
Key = tuple[str, int, int, str, date]  # street, item, department record, name, month


def month_of(case: Case) -> date:
    """The first day of the month the case was received in, local time."""
    return _month(case.submitted_at)


def _month(submitted_at: datetime) -> date:
    return timezone.localtime(submitted_at).date().replace(day=1)


@functools.cache
def _upsert_sql() -> str:
    qn = connection.ops.quote_name
    table = qn(StatRollup._meta.db_table)
    cols = ["street_code", "item_id", "handling_department", "department", "month", *COUNTED]
    sets = ", ".join(f"{qn(c)} = {table}.{qn(c)} + EXCLUDED.{qn(c)}" for c in COUNTED)
    return (f"INSERT INTO {table} ({', '.join(qn(c) for c in cols)}) "  # noqa: S608
            f"VALUES ({', '.join(['%s'] * len(cols))}) "
            f"ON CONFLICT ({qn('street_code')}, {qn('item_id')}, {qn('handling_department')}, "
            f"{qn('department')}, {qn('month')}) DO UPDATE SET {sets}")


def department_key(department_id: int | None, version_department: str) -> tuple[int, str]:
    """The rollup's department dimension (ADR 1003): the case's handling department
    record, or, for a case without one, 0 and the name its item version gives."""
    return (department_id, "") if department_id else (0, version_department)


def key_of(case: Case) -> Key:
    """The rollup row a case is counted in."""
    return (case.street_code, case.item_id,
            *department_key(case.department_id, case.version.department), month_of(case))


def _add(case: Case, **deltas: int) -> None:
    """Add ``deltas`` to the case's rollup row (created at zero if missing): one
    statement, which also locks the row until the writer's transaction ends."""
    _add_many([(key_of(case), deltas)])


def _add_many(changes: Iterable[tuple[Key, dict[str, int]]]) -> None:
    """One upsert per row, in key order (two writers lock rows in the same order, so
    they cannot deadlock on each other)."""
    params: list[list[Any]] = [[*key, *(deltas.get(name, 0) for name in COUNTED)]
                               for key, deltas in sorted(changes, key=lambda c: c[0])]
    if params:
        with connection.cursor() as cur:
            cur.executemany(_upsert_sql(), params)


def count_submission(case: Case) -> None:
    """A case was received (call inside the submitting transaction)."""
    _add(case, cases=1)


def count_move(case: Case, source: str, target: str) -> None:
    """A case moved from ``source`` to ``target`` (the lifecycle's event hook calls this
    inside the step's transaction); only a decision changes the figures."""
    if target in DECISIONS and source not in DECISIONS and case.decided_on is not None:
        on_time = case.due_on is not None and case.decided_on <= case.due_on
        timed = case.workdays_used is not None
        _add(case, completed=1, on_time=int(on_time), timed=int(timed),
             workdays=case.workdays_used or 0)


def _status_deltas(before: str, after: str) -> dict[str, int]:
    """The counted statuses a change from ``before`` to ``after`` enters and leaves."""
    deltas = {column: int(after == status) - int(before == status)
              for column, status in STATUSES.items()}
    return {column: n for column, n in deltas.items() if n}


def count_status(case: Case, before: str) -> None:
    """A step changed the case's time-limit status from ``before`` to ``case.sla``
    (``common.finish`` calls this inside the step's transaction, after the move)."""
    deltas = _status_deltas(before, case.sla)
    if deltas:
        _add(case, **deltas)


def count_sweep(moved: Iterable[tuple[str, int, int | None, str, datetime, str, str]]) -> int:
    """The sweep moved these cases' status (street, item, department record, version's
    department, received at, status before, status after; rows it holds locked): add
    their entries into and out of "overdue" and "warning" to their rows. Returns the
    rows changed."""
    deltas: dict[Key, Counter[str]] = {}
    for street, item, dept, dept_name, submitted_at, before, after in moved:
        change = _status_deltas(before, after)
        if change:
            key = (street, item, *department_key(dept, dept_name), _month(submitted_at))
            deltas.setdefault(key, Counter()).update(change)
    changed = [(key, {c: n for c, n in d.items() if n}) for key, d in deltas.items()]
    changed = [(key, d) for key, d in changed if d]
    _add_many(changed)
    return len(changed)


def computed() -> Iterator[dict[str, Any]]:
    """The rollup rows as the cases say they should be (what :func:`rebuild` writes)."""
    decided = Q(decided_on__isnull=False)
    rows = (Case.objects.order_by()
            .annotate(month=TruncMonth("submitted_at"))
            .values("street_code", "item_id", "department_id", "version__department", "month")
            .annotate(cases=Count("id"), completed=Count("id", filter=decided),
                      on_time=Count("id", filter=decided & Q(due_on__isnull=False,
                                                             decided_on__lte=F("due_on"))),
                      timed=Count("workdays_used", filter=decided),
                      workdays=Sum("workdays_used", filter=decided),
                      overdue=Count("id", filter=Q(sla=Sla.OVERDUE)),
                      warning=Count("id", filter=Q(sla=Sla.WARNING))))
    # a case with a department record is keyed by it alone, so rows of several versions'
    # names for one department add up into one key
    merged: dict[tuple[Any, ...], dict[str, Any]] = {}
    for r in rows.iterator(chunk_size=5000):
        month = r["month"]
        if hasattr(month, "date"):
            month = timezone.localtime(month).date() if timezone.is_aware(month) else month.date()
        ref, name = department_key(r["department_id"], r["version__department"])
        key = (r["street_code"], r["item_id"], ref, name, month)
        row = merged.get(key)
        figures = {"cases": r["cases"], "completed": r["completed"], "on_time": r["on_time"],
                   "timed": r["timed"], "workdays": r["workdays"] or 0,
                   "overdue": r["overdue"], "warning": r["warning"]}
        if row is None:
            merged[key] = {"street_code": key[0], "item_id": key[1], "handling_department": ref,
                           "department": name, "month": month, **figures}
        else:
            for k, v in figures.items():
                row[k] += v
    yield from merged.values()


def rebuild(batch: int = 5000) -> int:
    """Recompute every rollup row from the cases, in one transaction (readers see the old
    figures until it commits, then the new); returns the number of rows written.

    On PostgreSQL the table is locked against writers first (readers go on): a case
    committed before the lock is counted by the rebuild, a writer arriving later waits
    at its upsert and adds its case to the rebuilt row, so none is counted twice or lost."""
    written = 0
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cur:
                cur.execute(f"LOCK TABLE {connection.ops.quote_name(StatRollup._meta.db_table)}"
                            " IN EXCLUSIVE MODE")
        StatRollup.objects.all().delete()
        chunk: list[StatRollup] = []
        for r in computed():
            chunk.append(StatRollup(**r))
            if len(chunk) >= batch:
                StatRollup.objects.bulk_create(chunk)
                written += len(chunk)
                chunk = []
        if chunk:
            StatRollup.objects.bulk_create(chunk)
            written += len(chunk)
    return written


def snapshot() -> dict[tuple[Any, ...], tuple[int, ...]]:
    """Every non-empty rollup row as ``key → figures`` (to compare two states)."""
    return {(r.street_code, r.item_id, r.handling_department, r.department, r.month):
            tuple(getattr(r, name) for name in COUNTED)
            for r in StatRollup.objects.all() if any(getattr(r, n) for n in COUNTED)}
