"""Printable documents of self-governance (ADR 0012): the notice of a meeting, numbered
when the meeting is convened (``documents.services.issue``), printed with the agenda, the
date, the place and the notice period the profile required; printing again shows the same
number."""

from __future__ import annotations

import re
from typing import Any

from django.utils.translation import gettext as _

from shequ.areas.models import Area
from shequ.autonomy.models import Meeting
from shequ.core.errors import NotFound
from shequ.documents import services as documents
from shequ.documents.render import Document, long_date, render

NOTICE = "autonomy.meeting_notice"


def _name(code: str) -> str:
    return Area.objects.filter(code=code).values_list("name", flat=True).first() or code


def _short(code: str) -> str:
    """督院街社区居委会 → 督院街: the prefix of the notice's number."""
    name = _name(code)
    return re.sub(r"(社区居委会|居委会|社区|村委会|村)$", "", name) or name


def issue_notice(actor: Any, meeting: Meeting) -> str:
    """Number the meeting's notice (inside the caller's transaction)."""
    # numbers are official text: 督院街会通〔2026〕3号, whatever the reader's language
    doc = documents.issue(actor=actor, kind=NOTICE, prefix=f"{_short(meeting.community_code)}会通",
                          issuer_code=meeting.community_code, obj=meeting,
                          area_code=meeting.area_code, on=meeting.notice_on)
    return doc.number


def meeting_notice(meeting: Meeting) -> bytes:
    """The notice sent to the conference's members (VCL Art. 26; the notice period is the
    profile's ``notice_days``)."""
    doc = documents.issued_for(NOTICE, meeting)
    if doc is None:
        raise NotFound(_("No notice was issued for this meeting."))
    where = meeting.location or _("the community's meeting room")
    paragraphs: list[Any] = [
        _("%(title)s will be held on %(day)s at %(place)s. The agenda:")
        % {"title": meeting.title, "day": long_date(meeting.held_on), "place": where},
        *[line.strip() for line in meeting.agenda.splitlines() if line.strip()],
        _("Please attend on time. A member who cannot attend tells the residents' committee "
          "beforehand."),
    ]
    return render(Document(
        title=_("Notice of %(title)s") % {"title": meeting.title}, number=doc.number,
        addressee=(_("To the representatives and the members of the residents' committee")
                   if meeting.kind == Meeting.Kind.CONFERENCE
                   else _("To the members of the council")),
        paragraphs=paragraphs, issuer=_name(meeting.community_code),
        issued_on=meeting.notice_on))
