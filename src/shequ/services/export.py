"""Statistics and the case work list as Excel workbooks, written by the worker (ADR 0026).

A district's export holds tens of thousands of overdue cases: too long for a request.
The statistics page asks for one (:func:`request_export`), the worker writes it
(``tasks.export_statistics`` → :func:`run_export`) with ``core.excel`` (write-only,
streamed, only the exported columns), and the page offers the file once it is ready.
The sheets per grouping come from the rollups, the overdue list from the partial index
``case_open_due_all``, read in chunks with the item versions looked up from a dictionary
rather than joined.

The case work list's export (:func:`request_case_export`, ``kind`` ``cases``) holds the
list the officer is looking at: the same scope and filters as the page, every value in
the reader's language (state and time-limit names, area names, dates), the identity
number masked, the working days overdue as the page shows them; a sheet with a filter
button on each column, read by keyset in chunks (:func:`selectors.case_export_chunks`).

Workbooks are deleted ``SHEQU_EXPORT_KEEP_DAYS`` after they were asked for (:func:`prune`,
the periodic task ``services.prune_exports``).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Mapping
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from shequ import authz
from shequ.areas import facade as areas_facade
from shequ.areas import selectors as areas
from shequ.audit.services import record
from shequ.core import excel
from shequ.core.errors import BusinessError
from shequ.services import selectors
from shequ.services.enums import AuditAction, Perm
from shequ.services.models import (
    Channel,
    ExportKind,
    ExportState,
    ItemVersion,
    ServiceItem,
    Sla,
    State,
    StatExport,
)

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
    """The overdue cases; the department is the case's handling department (ADR 1003),
    else the one its item version names. Departments are looked up once per id, in
    batches as they first appear, rather than joined."""
    versions = {v.pk: v for v in ItemVersion.objects.only("id", "name", "department")}
    departments: dict[int, str] = {}
    qs = (selectors.overdue_cases(user=user, on=on).prefetch_related(None)
          .values_list("number", "street_code", "area_code", "version_id", "department_id",
                       "accepted_on", "due_on"))
    rows = qs.iterator(chunk_size=5000)
    while chunk := list(itertools.islice(rows, 5000)):
        new = {r[4] for r in chunk if r[4] and r[4] not in departments}
        departments.update((d.pk, d.name) for d in areas_facade.departments_by_id(list(new)))
        for number, street, area, version_id, dept_id, accepted_on, due_on in chunk:
            v = versions.get(version_id)
            counter[0] += 1
            department = departments.get(dept_id) if dept_id else None
            yield [number, street, area, v.name if v else "",
                   department or (v.department if v else ""),
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
        with translation.override(p.get("language") or settings.LANGUAGE_CODE):
            if job.kind == ExportKind.CASES:
                data, n = case_workbook(user=job.user, filters=p.get("filters") or {},
                                        on=date.fromisoformat(p["on"]) if p.get("on") else None)
            else:
                data, n = workbook(
                    user=job.user,
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


def prune(*, now: Any = None) -> int:
    """Delete the workbooks asked for more than ``SHEQU_EXPORT_KEEP_DAYS`` ago, ready or
    not: an export is a copy made for a task of the day, and the work list's holds
    applicants' names (《个人信息保护法》第十九条: kept no longer than the purpose needs).
    The cases stay; asking again makes a fresh one. Returns the rows deleted."""
    cutoff = (now or timezone.now()) - timedelta(days=settings.SHEQU_EXPORT_KEEP_DAYS)
    deleted, _rows = StatExport.objects.filter(created_at__lt=cutoff).delete()
    return deleted


def exports_of(*, user: Any, kind: str = ExportKind.STATISTICS, limit: int = 5
               ) -> list[StatExport]:
    """The user's latest exports of one kind, without their content."""
    if not getattr(user, "pk", None):
        return []
    return list(StatExport.objects.filter(user=user, kind=kind).defer("content")
                .order_by("-created_at", "-id")[:limit])


def get_export(*, user: Any, export_id: int, kind: str = ExportKind.STATISTICS
               ) -> StatExport | None:
    """The user's own finished export; anyone else's is not found."""
    return StatExport.objects.filter(pk=export_id, user=user, kind=kind,
                                     state=ExportState.READY).first()


# ---------------------------------------------------------------- the case work list

CASE_FILTERS = ("state", "sla", "street", "item", "q")
SEARCH_MAX = 100
CASE_COLUMNS: tuple[tuple[Any, int], ...] = (
    # (header, column width in characters)
    (_lazy("Case number"), 22), (_lazy("Service item"), 28), (_lazy("Department"), 18),
    (_lazy("Applicant"), 12), (_lazy("Identity number"), 21), (_lazy("Street"), 14),
    (_lazy("Community"), 16), (_lazy("Channel"), 10), (_lazy("State"), 16),
    (_lazy("Time limit"), 14), (_lazy("Received on"), 12), (_lazy("Accepted on"), 12),
    (_lazy("Due on"), 12), (_lazy("Working days overdue"), 12), (_lazy("Decided on"), 12))


def _refuse(field: str, value: str) -> BusinessError:
    return BusinessError(
        _("Cannot export: the filter “%(field)s” has no value “%(value)s”.")
        % {"field": field, "value": value}, code="bad_filter",
        details={"filter": field, "value": value})


def check_case_filters(*, actor: Any, filters: Mapping[str, Any]) -> dict[str, str]:
    """The work list's filters as an export keeps them, or a refusal naming the bad one
    (the page shows a bad filter on its form; an export of an unknown filter would be a
    list nobody asked for)."""
    clean = {name: str(filters.get(name) or "").strip() for name in CASE_FILTERS}
    if clean["state"] and clean["state"] not in State.values:
        raise _refuse(_("State"), clean["state"])
    if clean["sla"] and clean["sla"] not in Sla.values:
        raise _refuse(_("Time limit"), clean["sla"])
    if clean["street"]:
        streets = {a.code for a in areas.areas_in_scope(user=actor, level="street",
                                                        perm=Perm.VIEW)}
        if clean["street"] not in streets:
            raise _refuse(_("Street"), clean["street"])
    if clean["item"] and not ServiceItem.objects.filter(code=clean["item"]).exists():
        raise _refuse(_("Service item"), clean["item"])
    if len(clean["q"]) > SEARCH_MAX:
        raise BusinessError(_("Cannot export: the search text is longer than %(n)d "
                              "characters.") % {"n": SEARCH_MAX}, code="bad_filter",
                            details={"filter": "q"})
    return clean


def request_case_export(*, actor: Any, filters: Mapping[str, Any]) -> StatExport:
    """Queue the case work list, with these filters, for ``actor``; the worker writes it.
    A bad filter is refused before anything is queued."""
    authz.check(actor, Perm.VIEW)
    clean = check_case_filters(actor=actor, filters=filters)
    params = {"filters": clean, "language": translation.get_language() or settings.LANGUAGE_CODE}
    with transaction.atomic():
        job = StatExport.objects.create(user=actor, kind=ExportKind.CASES, params=params,
                                        created_at=timezone.now())
        codes = authz.scope_codes(actor, Perm.VIEW)
        record(actor=actor, action=AuditAction.CASES_EXPORT, obj=job,
               area_code=codes[0] if codes else "", changes=clean)
    from shequ.services.tasks import export_statistics

    export_statistics.enqueue(job.pk)  # after the commit: the worker must see the row
    job.refresh_from_db()
    return job


def _case_rows(user: Any, filters: Mapping[str, str], on: date, counter: list[int]
               ) -> Iterator[list[Any]]:
    from shequ.people import facade as people

    versions = {v.pk: (v.name, v.department)
                for v in ItemVersion.objects.only("id", "name", "department")}
    states, slas, channels = dict(State.choices), dict(Sla.choices), dict(Channel.choices)
    for chunk in selectors.case_export_chunks(user=user, filters=filters):
        ids = people.masked_identities(row[5] for row in chunk)
        names = selectors.street_names(sorted({c for row in chunk for c in row[6:8]}))
        for (_id, submitted_at, number, version_id, applicant, resident_id, street, area,
             channel, state, sla, accepted_on, due_on, decided_on) in chunk:
            name, department = versions.get(version_id, ("", ""))
            counter[0] += 1
            yield [number, name, department, applicant, ids.get(resident_id, ""),
                   names.get(street, street), names.get(area, area),
                   str(channels.get(channel, channel)), str(states.get(state, state)),
                   str(slas.get(sla, sla)), timezone.localdate(submitted_at), accepted_on,
                   due_on, selectors.days_overdue(state, due_on, on), decided_on]


def case_workbook(*, user: Any, filters: Mapping[str, str], on: date | None = None
                  ) -> tuple[bytes, int]:
    """The case work list as a workbook, and the number of cases in it."""
    on = on or selectors.today()
    counter = [0]
    sheet = excel.Sheet(title=_("Case work list"), header=[str(h) for h, _w in CASE_COLUMNS],
                        widths=[w for _h, w in CASE_COLUMNS], autofilter=True,
                        rows=_case_rows(user, filters, on, counter))
    return excel.workbook(sheet), counter[0]
