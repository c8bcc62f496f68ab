"""One way to print an official document: A4, Chinese font, title, number, date, the
addressee, paragraphs, tables and the issuer's signature block.

The font is reportlab's built-in CID font STSong-Light: no font file to ship or download,
and PDF readers (and ``pypdf`` in the tests) read its text back as Unicode.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from io import BytesIO
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

FONT = "STSong-Light"


def font() -> str:
    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    return FONT


def long_date(day: date) -> str:
    """2026年3月5日 in Chinese; 5 March 2026 otherwise."""
    from django.utils.translation import get_language

    if (get_language() or "").startswith("zh"):
        return f"{day.year}年{day.month}月{day.day}日"
    return f"{day.day} {day.strftime('%B')} {day.year}"


@dataclass(frozen=True)
class TableBlock:
    header: Sequence[str]
    rows: Sequence[Sequence[Any]]
    widths_mm: Sequence[float] | None = None


@dataclass(frozen=True)
class Document:
    """What a document says; :func:`render` lays it out. Every text is already in the
    reader's language (the caller translates)."""

    title: str
    number: str = ""
    addressee: str = ""
    paragraphs: Sequence[str | TableBlock] = field(default_factory=list)
    issuer: str = ""
    issued_on: date | None = None
    footnote: str = ""


def render(doc: Document) -> bytes:
    f = font()
    title = ParagraphStyle("title", fontName=f, fontSize=20, leading=30, alignment=1,
                           wordWrap="CJK")
    number = ParagraphStyle("number", fontName=f, fontSize=11, leading=18, alignment=1)
    body = ParagraphStyle("body", fontName=f, fontSize=12, leading=21, wordWrap="CJK",
                          firstLineIndent=24)
    plain = ParagraphStyle("plain", parent=body, firstLineIndent=0)
    right = ParagraphStyle("right", parent=plain, alignment=2)
    small = ParagraphStyle("small", parent=plain, fontSize=9, leading=14)
    buf = BytesIO()
    pdf = SimpleDocTemplate(buf, pagesize=A4, leftMargin=25 * mm, rightMargin=25 * mm,
                            topMargin=30 * mm, bottomMargin=25 * mm, title=doc.title,
                            author="shequ")
    story: list[Any] = [Paragraph(escape(doc.title), title)]
    if doc.number:
        story.append(Paragraph(escape(doc.number), number))
    story.append(Spacer(1, 8 * mm))
    if doc.addressee:
        story.append(Paragraph(escape(doc.addressee) + "：", plain))
    for part in doc.paragraphs:
        if isinstance(part, TableBlock):
            widths = [w * mm for w in part.widths_mm] if part.widths_mm else None
            data = [[Paragraph(escape(str(c)), plain) for c in part.header]]
            data += [[Paragraph(escape("" if c is None else str(c)), plain) for c in row]
                     for row in part.rows]
            table = Table(data, colWidths=widths, repeatRows=1)
            table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.grey),
                                       ("BACKGROUND", (0, 0), (-1, 0), colors.whitesmoke),
                                       ("VALIGN", (0, 0), (-1, -1), "TOP")]))
            story += [Spacer(1, 2 * mm), table, Spacer(1, 3 * mm)]
        else:
            story.append(Paragraph(escape(part), body))
    story.append(Spacer(1, 14 * mm))
    if doc.issuer:
        story.append(Paragraph(escape(doc.issuer), right))
    if doc.issued_on:
        story.append(Paragraph(escape(long_date(doc.issued_on)), right))
    if doc.footnote:
        story += [Spacer(1, 10 * mm), Paragraph(escape(doc.footnote), small)]
    pdf.build(story)
    return buf.getvalue()



