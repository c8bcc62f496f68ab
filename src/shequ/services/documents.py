"""Printable documents of a case (ADR 0012, ADR 0408): the acceptance notice (受理通知书,
行政许可法 Art. 32: a written voucher, sealed and dated), each notice to supply materials
(补正通知书, listing exactly what that notice asked for), the extension notice (延期通知书,
Art. 42) and the decision, worded for the kind of item: a licence is granted or refused
(准予/不予行政许可决定书, Art. 38), a benefit approved or not (批准/不予批准), a confirmation
or registration made or not.

Each document belongs to the history line of the step it records, so a second 补正 notice
has its own number; it is numbered on first printing in the series of the office that
decides (``documents.services.issue``) and dated the day of the step; printing it again
gives the same number and text.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from shequ.areas.models import Area
from shequ.core.calendar import get_calendar
from shequ.core.errors import NotFound
from shequ.documents import services as documents
from shequ.documents.render import Document, TableBlock, long_date, render
from shequ.services import selectors
from shequ.services.lifecycles import head_office
from shequ.services.models import Action, Case, CaseEvent, HandlerLevel, ItemKind

XKXF = "《中华人民共和国行政许可法》"


@dataclass(frozen=True)
class Kind:
    key: str  # documents' kind
    prefix: str  # the number's prefix after the office's name (stored: never translated)
    actions: tuple[str, ...]


ACCEPTANCE = Kind("services.acceptance", "受", (Action.ACCEPT, Action.AUTO_ACCEPT))
CORRECTION = Kind("services.correction", "补", (Action.REQUEST_CORRECTION,))
EXTENSION = Kind("services.extension", "延", (Action.EXTEND,))
DECISION = Kind("services.decision", "决", (Action.APPROVE, Action.REJECT))
KINDS = {k.key.removeprefix("services."): k for k in (ACCEPTANCE, CORRECTION, EXTENSION,
                                                      DECISION)}


def kind_of(action: str) -> str | None:
    """The document a history line has (``acceptance``…), if any."""
    for name, kind in KINDS.items():
        if action in kind.actions:
            return name
    return None


def _office_code(case: Case) -> str:
    """The office that decides (and seals the documents): the street office or the
    district."""
    return head_office(case)


def office_name(case: Case) -> str:
    code = _office_code(case)
    name = Area.objects.filter(code=code).values_list("name", flat=True).first() or code
    if len(code) > 6:
        return _("%(street)s Office") % {"street": name}
    return _("%(district)s People's Government") % {"district": name}


def decision_title(case: Case, approved: bool) -> str:
    kind = case.version.kind
    titles = {
        ItemKind.LICENCE: (_("Decision to Grant an Administrative Licence"),
                           _("Decision Not to Grant an Administrative Licence")),
        ItemKind.BENEFIT: (_("Decision of Approval"), _("Decision Not to Approve")),
        ItemKind.CONFIRMATION: (_("Decision of Confirmation"), _("Decision Not to Confirm")),
        ItemKind.REGISTRATION: (_("Notice of Registration"), _("Notice of Refusal to Register")),
        ItemKind.SERVICE: (_("Notice of the Result"), _("Notice of Refusal")),
    }
    granted, refused = titles.get(ItemKind(kind), titles[ItemKind.SERVICE])
    return granted if approved else refused


def _event(case: Case, name: str, event_id: int) -> CaseEvent:
    kind = KINDS.get(name)
    event = case.events.filter(pk=event_id).first()
    if kind is None or event is None or event.action not in kind.actions:
        raise NotFound(_("No such document for this case."))
    return event


def pdf(*, actor: Any, number: str, name: str, event_id: int) -> tuple[bytes, str]:
    """The document ``name`` of the history line ``event_id`` of case ``number``, for
    someone who may see the case; numbered on first printing. Returns the PDF and the
    document number."""
    case = selectors.get_case(user=actor, number=number)
    event = _event(case, name, event_id)
    day = timezone.localtime(event.at).date()
    with transaction.atomic():
        issued = documents.issue(actor=actor, kind=KINDS[name].key,
                                 prefix=f"{_area_short(case)}{KINDS[name].prefix}",
                                 issuer_code=_office_code(case), obj=event,
                                 area_code=case.area_code, on=day)
    builder = {"acceptance": _acceptance, "correction": _correction,
               "extension": _extension, "decision": _decision}[name]
    return render(builder(case, event, issued.number, day)), issued.number


def _area_short(case: Case) -> str:
    """The office's name as a number prefix (春熙路街道 → 春熙路): stored, not translated."""
    code = _office_code(case)
    name = Area.objects.filter(code=code).values_list("name", flat=True).first() or code
    for suffix in ("街道", "区", "县", "市"):
        if name.endswith(suffix) and len(name) > len(suffix):
            return name[: -len(suffix)]
    return name


def _facts(case: Case) -> TableBlock:
    return TableBlock(header=[_("Item"), _("Details")], widths_mm=[45, 115], rows=[
        (_("Case number"), case.number),
        (_("Service item"), case.version.name),
        (_("Applicant"), case.applicant_name),
        (_("Received on"), long_date(timezone.localtime(case.submitted_at).date())),
    ])


def _decider(case: Case) -> str:
    if case.version.handler_level == HandlerLevel.STATION:
        return _("Accepted at %(station)s on behalf of %(office)s.") % {
            "station": case.station.name if case.station else _("the community service station"),
            "office": office_name(case)}
    return ""


def _acceptance(case: Case, event: CaseEvent, number: str, day: Any) -> Document:
    accepted = case.accepted_on or day
    due = get_calendar().add(accepted, case.statutory_days)  # as on the day of acceptance
    lines: list[str | TableBlock] = [
        _("Your application for “%(item)s” has been accepted as of %(d)s.")
        % {"item": case.version.name, "d": long_date(accepted)},
        _facts(case),
        _("The decision will be made within %(n)d working days of acceptance, by %(due)s "
          "(periods excluded by law and an approved extension come in addition).")
        % {"n": case.statutory_days, "due": long_date(due)},
    ]
    if event.action == Action.AUTO_ACCEPT or (event.details or {}).get("on_receipt"):
        lines.append(_("No request to supply materials was made within five working days of "
                       "receipt, so the application counts as accepted on the day it was "
                       "received (%(law)s Article 32(1)(4)).") % {"law": XKXF})
    if extra := _decider(case):
        lines.append(extra)
    return Document(title=_("Notice of Acceptance"), number=number,
                    addressee=case.applicant_name, paragraphs=lines,
                    issuer=office_name(case), issued_on=day,
                    footnote=_("Progress: case number %(n)s and the last four digits of the "
                               "phone given.") % {"n": case.number})


def _correction(case: Case, event: CaseEvent, number: str, day: Any) -> Document:
    asked = list((event.details or {}).get("missing", []))
    rows = [(str(i), m) for i, m in enumerate(asked, 1)]
    lines: list[str | TableBlock] = [
        _("The materials of your application for “%(item)s” (case %(n)s) are incomplete or "
          "not in the legal form. Everything to be supplied is listed here, all at once "
          "(%(law)s Article 32(1)(4)):") % {"item": case.version.name, "n": case.number,
                                             "law": XKXF},
        TableBlock(header=[pgettext("document table", "No."), _("Material to be supplied")],
                   rows=rows,
                   widths_mm=[20, 140]),
    ]
    if event.note:
        lines.append(_("What is wrong: %(note)s") % {"note": event.note})
    lines.append(_("Once all of them are supplied the application is examined again; if no "
                   "further notice follows within five working days, it counts as accepted "
                   "on the day they were received."))
    return Document(title=_("Notice to Supply Materials"), number=number,
                    addressee=case.applicant_name, paragraphs=lines,
                    issuer=office_name(case), issued_on=day)


def _extension(case: Case, event: CaseEvent, number: str, day: Any) -> Document:
    details = event.details or {}
    approved_by = details.get("approved_by", "")
    days = int(details.get("days", case.extension_days))
    due = (date.fromisoformat(details["statutory_due_on"]) if details.get("statutory_due_on")
           else case.statutory_due_on or day)
    lines: list[str | TableBlock] = [
        _("The decision on your application for “%(item)s” (case %(n)s) cannot be made within "
          "the period. With the approval of the head of this office, the period is extended "
          "by %(days)d working days, to %(due)s (%(law)s Article 42).")
        % {"item": case.version.name, "n": case.number, "days": days,
           "due": long_date(due), "law": XKXF},
        _("Reason: %(r)s") % {"r": case.extension_reason or event.note},
    ]
    if approved_by:
        lines.append(_("Approved by the head of the office on %(d)s.") % {"d": long_date(day)})
    return Document(title=_("Notice of Extension"), number=number,
                    addressee=case.applicant_name, paragraphs=lines,
                    issuer=office_name(case), issued_on=day)


def _decision(case: Case, event: CaseEvent, number: str, day: Any) -> Document:
    approved = event.action == Action.APPROVE
    lines: list[str | TableBlock] = [_facts(case)]
    if approved:
        lines.append(_("Having examined your application for “%(item)s”, this office decides "
                       "to grant it under %(basis)s.")
                     % {"item": case.version.name, "basis": case.version.legal_basis})
        if case.version.kind == ItemKind.LICENCE:
            lines.append(_("The licence will be issued or delivered to you within ten working "
                           "days of this decision (%(law)s Article 44).") % {"law": XKXF})
    else:
        lines.append(_("Having examined your application for “%(item)s”, this office decides "
                       "not to grant it.") % {"item": case.version.name})
        lines.append(_("Reasons: %(r)s") % {"r": case.decision_reasons or event.note})
        lines.append(_("You have the right to apply for administrative reconsideration or to "
                       "bring an administrative lawsuit according to law (%(law)s Article "
                       "38(2)).") % {"law": XKXF})
    return Document(title=decision_title(case, approved), number=number,
                    addressee=case.applicant_name, paragraphs=lines,
                    issuer=office_name(case), issued_on=day)


def title(case: Case, name: str, event: CaseEvent) -> str:
    return {"acceptance": _("Notice of Acceptance"),
            "correction": _("Notice to Supply Materials"),
            "extension": _("Notice of Extension")}.get(name) or decision_title(
        case, event.action == Action.APPROVE)


def available(case: Case) -> list[tuple[str, CaseEvent, str]]:
    """The documents a case has so far: (name, history line, title), in the order of the
    history."""
    return [(name, e, title(case, name, e)) for e in case.events.all()
            if (name := kind_of(e.action)) is not None]
