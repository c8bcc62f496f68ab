"""Statistics as an Excel workbook: one sheet per grouping, and the overdue list."""

from __future__ import annotations

import io
from datetime import date
from typing import Any

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from shequ.services import selectors


def workbook(*, user: Any, on: date | None = None, start: date | None = None,
             end: date | None = None) -> bytes:
    wb = Workbook()
    first = True
    for by, title in (("street", _("Street")), ("department", _("Department")),
                      ("item", _("Service item")), ("month", _("Month"))):
        rows = selectors.statistics(user=user, by=by, on=on, start=start, end=end)
        ws = wb.active if first else wb.create_sheet()
        assert ws is not None
        first = False
        ws.title = str(title)[:31]
        ws.append([str(title), _("Code"), _("Cases"), _("Completed"), _("On time"), _("Late"),
                   _("On-time rate"), _("Average working days used"), _("Overdue, open")])
        for r in [*rows, selectors.total(rows)]:
            ws.append([r.label, r.key, r.cases, r.completed, r.on_time, r.late,
                       round(r.on_time_rate, 4) if r.on_time_rate is not None else None,
                       r.avg_workdays, r.overdue_open])
        for cell in ws[1]:
            cell.font = Font(bold=True)
        ws.freeze_panes = "A2"
    ws = wb.create_sheet(str(_("Overdue cases"))[:31])
    ws.append([_("Case number"), _("Street"), _("Service item"), _("Department"),
               _("Accepted on"), _("Due on")])
    for c in selectors.overdue_cases(user=user, on=on, limit=100_000):
        ws.append([c.number, c.street_code, c.version.name, c.version.department,
                   c.accepted_on, c.due_on])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
