"""Excel workbooks for every list staff keep: write-only (constant memory, rows streamed
from a queryset iterator), a bold frozen header, values typed (dates as dates, numbers as
numbers), never floats for money."""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

MAX_TITLE = 31  # Excel's limit for a sheet name


@dataclass(frozen=True)
class Sheet:
    title: str
    header: Sequence[str]
    rows: Iterable[Sequence[Any]]
    widths: Sequence[int] | None = None
    autofilter: bool = False  # a filter button on every header cell (sort and filter)


def workbook(*sheets: Sheet) -> bytes:
    wb = Workbook(write_only=True)
    bold = Font(bold=True)
    for sheet in sheets:
        ws = wb.create_sheet(title=str(sheet.title)[:MAX_TITLE])
        ws.freeze_panes = "A2"
        for i, width in enumerate(sheet.widths or [], start=1):
            ws.column_dimensions[_column(i)].width = width
        head = []
        for text in sheet.header:
            cell = WriteOnlyCell(ws, value=str(text))
            cell.font = bold
            head.append(cell)
        ws.append(head)
        last = 1
        for row in sheet.rows:
            ws.append([_cell(v) for v in row])
            last += 1
        if sheet.autofilter and sheet.header:  # written after the rows, at save
            ws.auto_filter.ref = f"A1:{_column(len(sheet.header))}{last}"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _cell(value: Any) -> Any:
    if value is None or isinstance(value, int | str | bool) or hasattr(value, "isoformat"):
        return value
    return str(value)


def _column(index: int) -> str:
    name = ""
    while index:
        index, rem = divmod(index - 1, 26)
        name = chr(65 + rem) + name
    return name


CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
