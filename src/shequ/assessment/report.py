"""The Excel workbook and the printable report (PDF, Chinese font) of one area of a
snapshot: the same figures the dashboard shows (ADR 0012)."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from shequ.assessment import display, selectors
from shequ.core import excel
from shequ.documents.render import Document, TableBlock, long_date, render


def _indicator_header(lines: list[selectors.Line]) -> list[str]:
    return [ln.name for ln in lines]


def workbook_of(b: selectors.Board) -> bytes:
    lines = selectors.lines(b.snapshot, b.row)
    rows: list[Any] = [b.row, *b.children]
    header = [_("Area code"), _("Area"), _("Rank"), _("Score"), _("Targets met"),
              *_indicator_header(lines)]
    data = []
    for r in rows:
        own = {ln.code: ln for ln in selectors.lines(b.snapshot, r)}
        data.append([r.area_code, r.name, r.rank, r.total, r.passed,
                     *[display.value_text(own[ln.code].value, ln.unit) for ln in lines]])
    detail = [[selectors.duty_label(ln.duty), ln.name, display.value_text(ln.value, ln.unit),
               display.value_text(ln.target, ln.unit), ln.weight, ln.points]
              for ln in lines]
    return excel.workbook(
        excel.Sheet(_("Scores by area"), header, data),
        excel.Sheet(_("Indicators"), [_("Section"), _("Indicator"), _("Value"), _("Target"),
                                      _("Weight"), _("Points")], detail))


def report_pdf(b: selectors.Board) -> bytes:
    snap, row = b.snapshot, b.row
    lines = selectors.lines(snap, row)
    top = b.trail[0] if b.trail else row
    paragraphs: list[str | TableBlock] = [
        _("%(area)s, assessment period %(s)s to %(e)s, version %(v)s.") % {
            "area": row.name, "s": long_date(snap.start), "e": long_date(snap.end),
            "v": snap.version},
        _("Score: %(t)s; targets met: %(m)s of %(n)s.") % {
            "t": display.points_text(row.total), "m": row.passed, "n": len(lines)},
        TableBlock([_("Section"), _("Indicator"), _("Value"), _("Target"), _("Weight"),
                    _("Points")],
                   [[selectors.duty_label(ln.duty), ln.name, display.value_text(ln.value, ln.unit),
                     display.value_text(ln.target, ln.unit), display.points_text(ln.weight),
                     display.points_text(ln.points)] for ln in lines]),
    ]
    if b.children:
        paragraphs.append(TableBlock(
            [_("Rank"), _("Area"), _("Score"), _("Targets met")],
            [[c.rank or "—", c.name, display.points_text(c.total), c.passed]
             for c in b.children]))
    if snap.reason:
        paragraphs.append(_("Corrected: %(r)s") % {"r": snap.reason})
    return render(Document(
        title=snap.scheme.title(top.name), paragraphs=paragraphs,
        issued_on=timezone.localdate(),
        footnote=_("Computed on %(d)s from the system's data; this report reads the stored "
                   "snapshot and does not change when the data do.") % {
            "d": long_date(timezone.localtime(snap.computed_at).date())}))
