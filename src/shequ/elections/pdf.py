"""The results announcement as PDF, with reportlab's built-in Chinese CID font
(STSong-Light: no font file to download or ship)."""

from __future__ import annotations

from io import BytesIO
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

FONT = "STSong-Light"


def _font() -> str:
    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    return FONT


def announcement_pdf(election: Any) -> bytes:
    from shequ.elections.models import Outcome
    from shequ.elections.selectors import announced_result, latest_result

    font = _font()
    title = ParagraphStyle("t", fontName=font, fontSize=18, leading=26, alignment=1, wordWrap="CJK")
    body = ParagraphStyle("b", fontName=font, fontSize=11, leading=18, wordWrap="CJK")
    res = announced_result(election) or latest_result(election)
    buf = BytesIO()
    doc = SimpleDocTemplate(buf, pagesize=A4, leftMargin=20 * mm, rightMargin=20 * mm,
                            title=election.name, author="shequ")
    story: list[Any] = [Paragraph(f"{election.name}{_('Results announcement')}", title), Spacer(1, 6 * mm)]
    if res is None:
        story.append(Paragraph(_("No result has been counted yet."), body))
    else:
        r = res.result
        first = r["rounds"][0]
        story.append(Paragraph(
            _("Voting day %(day)s. Registered voters %(reg)d; ballots issued %(issued)d, returned "
              "%(returned)d (turnout %(turnout)s).") % {
                "day": election.voting_day, "reg": first["registered"], "issued": first["issued"],
                "returned": first["returned"], "turnout": first["turnout"]}, body))
        story.append(Paragraph(_("Outcome: %(o)s") % {"o": Outcome(r["outcome"]).label}, body))
        story.append(Spacer(1, 4 * mm))
        for rnd in r["rounds"]:
            label = _("First round") if rnd["round"] == "first" else _("Supplementary round")
            story.append(Paragraph(f"{label}：{_('ballots returned')} {rnd['returned']}", body))
            rows = [[_("Post"), _("Name"), _("Votes"), _("Result")]]
            for post in rnd.get("posts", []):
                for c in post["candidates"]:
                    rows.append([post["label"], c["name"] + (" *" if c["write_in"] else ""), str(c["for"]),
                                 _("elected") if c["status"] == "elected" else ""])
            if len(rows) > 1:
                t = Table(rows, colWidths=[35 * mm, 50 * mm, 25 * mm, 30 * mm])
                t.setStyle(TableStyle([("FONT", (0, 0), (-1, -1), font, 10),
                                       ("GRID", (0, 0), (-1, -1), 0.5, colors.grey),
                                       ("BACKGROUND", (0, 0), (-1, 0), colors.whitesmoke)]))
                story += [t, Spacer(1, 4 * mm)]
        story.append(Paragraph(_("The new committee:"), body))
        for post in r["committee"]:
            names = "、".join(post["elected"]) or "—"
            vacant = _("(%(n)d seat(s) vacant)") % {"n": post["vacant"]} if post["vacant"] else ""
            story.append(Paragraph(f"{post['label']}：{names} {vacant}", body))
        story.append(Spacer(1, 6 * mm))
        story.append(Paragraph(_("* write-in (另选他人). Result version %(v)d.") % {"v": res.version}, body))
    story.append(Paragraph(_("Election committee, %(date)s") % {
        "date": timezone.localdate().isoformat()}, body))
    doc.build(story)
    return buf.getvalue()
