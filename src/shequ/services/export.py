"""Statistics as an Excel workbook, written by the worker (ADR 0026).

A district's export holds tens of thousands of overdue cases: too long for a request.
The statistics page asks for one (:func:`request_export`), the worker writes it
(``tasks.export_statistics`` → :func:`run_export`) with ``core.excel`` (write-only,
streamed, only the exported columns), and the page offers the file once it is ready.
The sheets per grouping come from the rollups, the overdue list from the partial index
``case_open_due_all``, read in chunks with the item versions looked up from a dictionary
rather than joined.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shequ import authz
from shequ.audit.services import record
from shequ.core import excel
from shequ.services import selectors
from shequ.services.enums import AuditAction, Perm
from shequ.services.models import ExportState, ItemVersion, StatExport

GROUPINGS = (("street", "Street"), ("department", "Department"), ("item", "Service item"),
             ("month", "Month"))


def _stat_sheet(user: Any, by: str, title: str, on: date | None, start: date | None,
                end: date | None) -> excel.Sheet:
    rows = selectors.statistics(user=user, by=by, on=on, start=start, end=end)
    body = [[r.label, r.key, r.cases, r.completed, r.on_time, r.late,
             round(r.on_time_rate, 4) if r.on_time_rate is not None else None,
             r.avg_workdays, r.overdue_open] for r in [*rows, selectors.total(rows)]]
    return excel.Sheet(title=title, header=[
        title, _("Code"), _("Cases"), _("Completed"), _("On time"), _("Late"),
        _("On-time rate"), _("Average working days used"), _("Overdue, open")], rows=body)


def _overdue_rows(user: Any, on: date, counter: list[int]) -> Iterator[list[Any]]:
    versions = {v.pk: v for v in ItemVersion.objects.only("id", "name", "department")}
    qs = (selectors.overdue_cases(user=user, on=on).prefetch_related(None)
          .values_list("number", "street_code", "area_code", "version_id", "accepted_on",
                       "due_on"))
    for number, street, area, version_id, accepted_on, due_on in qs.iterator(chunk_size=5000):
        v = versions.get(version_id)
        counter[0] += 1
        yield [number, street, area, v.name if v else "", v.department if v else "",
               accepted_on, due_on, (on - due_on).days if due_on else None]


def workbook(*, user: Any, on: date | None = None, start: date | None = None,
             end: date | None = None) -> tuple[bytes, int]:
    """The workbook and the number of overdue cases in it."""
    on = on or selectors.today()
    sheets = [_stat_sheet(user, by, _(label), on, start, end) for by, label in GROUPINGS]
    counter = [0]
    sheets.append(excel.Sheet(
        title=_("Overdue cases"),
        header=[_("Case number"), _("Street"), _("Community"), _("Service item"),
                _("Department"), _("Accepted on"), _("Due on"), _("Days overdue (calendar)")],
        rows=_overdue_rows(user, on, counter)))
    return excel.workbook(*sheets), counter[0]


def request_export(*, actor: Any, start: date | None = None, end: date | None = None
                   ) -> StatExport:
    """Queue a statistics workbook for ``actor``; the worker writes it."""
    authz.check(actor, Perm.STATS)
    params = {"start": start.isoformat() if start else None,
              "end": end.isoformat() if end else None}
    with transaction.atomic():
        job = StatExport.objects.create(user=actor, params=params, created_at=timezone.now())
        codes = authz.scope_codes(actor, Perm.STATS)
        record(actor=actor, action=AuditAction.STATS_EXPORT, obj=job,
               area_code=codes[0] if codes else "", changes=params)
    from shequ.services.tasks import export_statistics

    export_statistics.enqueue(job.pk)  # after the commit: the worker must see the row
    job.refresh_from_db()
    return job


def run_export(export_id: int) -> StatExport:
    """Write a queued workbook (the worker). A failure is kept on the row with its reason."""
    job = StatExport.objects.select_related("user").get(pk=export_id)
    if job.state != ExportState.QUEUED:
        return job
    p = job.params
    try:
        data, n = workbook(user=job.user,
                           start=date.fromisoformat(p["start"]) if p.get("start") else None,
                           end=date.fromisoformat(p["end"]) if p.get("end") else None)
    except Exception as exc:  # kept on the row for the page; the worker logs it too
        StatExport.objects.filter(pk=job.pk).update(state=ExportState.FAILED, error=str(exc)[:500],
                                                    finished_at=timezone.now())
        raise
    StatExport.objects.filter(pk=job.pk).update(state=ExportState.READY, content=data, rows=n,
                                                finished_at=timezone.now())
    job.refresh_from_db()
    return job


def exports_of(*, user: Any, limit: int = 5) -> list[StatExport]:
    """The user's latest exports, without their content."""
    if not getattr(user, "pk", None):
        return []
    return list(StatExport.objects.filter(user=user).defer("content")
                .order_by("-created_at", "-id")[:limit])


def get_export(*, user: Any, export_id: int) -> StatExport | None:
    return StatExport.objects.filter(pk=export_id, user=user, state=ExportState.READY).first()
