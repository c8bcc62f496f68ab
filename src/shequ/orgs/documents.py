"""Printable documents of ``orgs``: registration certificates, filing receipts, notices to
supply missing materials, deregistration certificates and penalty decisions (ADR 0012).
Numbers are drawn when the decision is taken (``documents.services.issue``); printing
again shows the same number."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from shequ.core.errors import NotFound
from shequ.documents import services as documents
from shequ.documents.render import Document, TableBlock, long_date, render
from shequ.orgs import rules
from shequ.orgs.models import (
    AppKind,
    Application,
    AppState,
    Category,
    Kind,
    Org,
    Penalty,
    PenaltyKind,
    Track,
    Violation,
)
from shequ.orgs.services._common import area_name


def _yuan(fen: int) -> str:
    return _("%(yuan)s yuan") % {"yuan": f"{Decimal(fen) / 100:,.2f}"}


def issuer(authority_code: str) -> str:
    """The authority as it signs: a street office, or the civil-affairs bureau."""
    name = area_name(authority_code)
    if len(authority_code) >= 9:
        return _("%(area)s Office") % {"area": name}
    return _("%(area)s Civil Affairs Bureau (Social Organisation Administration)") % {"area": name}


def _issued(kind: str, app: Application) -> str:
    doc = documents.issued_for(kind, app)
    if doc is None:
        raise NotFound(_("No such document was issued for this application."))
    return doc.number


CERTIFICATE_TITLES = {
    Kind.ASSOCIATION: gettext_lazy("Certificate of Registration of a Social Association as a "
                                   "Legal Person"),
    Kind.PNE: gettext_lazy("Certificate of Registration of a Private Non-enterprise Unit "
                           "(Legal Person)"),
    Kind.FOUNDATION: gettext_lazy("Certificate of Registration of a Foundation as a Legal "
                                  "Person"),
}


def certificate(app: Application) -> bytes:
    """The certificate issued on an approval (社团条例 第十二条; 民非条例 第十二条;
    基金会条例 第十一条), with the registered items each text lists."""
    if app.state != AppState.APPROVED or app.org is None or app.track != Track.REGISTERED \
            or app.kind not in (AppKind.ESTABLISH, AppKind.CHANGE, AppKind.CONVERT):
        raise NotFound(_("No certificate was issued for this application."))
    number = _issued("orgs.certificate", app)
    org: Org = app.org
    funds_label = {Kind.ASSOCIATION: _("Activity funds"), Kind.PNE: _("Starting funds"),
                   Kind.FOUNDATION: _("Original fund")}[Kind(org.kind)]
    rows = [
        (_("Unified social credit code"), org.credit_code),
        (_("Organisation name"), org.name),
        (_("Premises"), org.address),
        (_("Purpose"), org.purpose),
        (_("Business scope"), org.scope),
    ]
    if org.kind == Kind.ASSOCIATION:
        rows.append((_("Area of activity"), area_name(org.authority_code)))
    if org.kind == Kind.FOUNDATION:
        rows.append((_("Type"), org.get_foundation_type_display()))
    rows += [
        (_("Legal representative"), org.person_in_charge),
        (funds_label, _yuan(org.funds_fen)),
    ]
    if org.kind != Kind.FOUNDATION:
        rows.append((_("Supervising agency"), org.supervising_agency))
    rows.append((_("Registered on"), long_date(org.founded_on)))
    title = str(CERTIFICATE_TITLES[Kind(org.kind)])
    basis = {Kind.ASSOCIATION: f"{rules.SHETUAN}第十二条", Kind.PNE: f"{rules.MINFEI}第十二条",
             Kind.FOUNDATION: f"{rules.JIJINHUI}第十一条"}[Kind(org.kind)]
    doc = Document(
        title=title, number=number,
        paragraphs=[_("Registered under %(basis)s.") % {"basis": basis},
                    TableBlock(header=[pgettext("certificate", "Item"), _("Registered")], rows=rows,
                               widths_mm=[45, 115])],
        issuer=issuer(app.authority_code), issued_on=app.decided_on,
        footnote=_("Application %(number)s.") % {"number": app.number})
    return render(doc)


def filing_receipt(app: Application) -> bytes:
    """The street office's receipt for a filing: the filing number and what was filed."""
    if app.state != AppState.APPROVED or app.org is None or app.kind != AppKind.FILE:
        raise NotFound(_("No filing receipt was issued for this application."))
    number = _issued("orgs.filing", app)
    org: Org = app.org
    rows = [
        (_("Filing number"), number),
        (_("Organisation name"), org.name),
        (_("Type"), org.get_kind_display()),
        (_("Person in charge"), org.person_in_charge),
        (_("Place of activity"), org.address),
        (_("Members"), str(org.individual_members)),
        (_("Activity funds"), _yuan(org.funds_fen)),
        (_("Services offered"), "、".join(str(Category(c).label) for c in org.categories)),
        (_("Date of filing"), long_date(org.founded_on)),
        (_("Kept by"), area_name(app.authority_code)),
    ]
    doc = Document(
        title=_("Filing Receipt of a Community Social Organisation"), number=number,
        addressee=org.name,
        paragraphs=[_("Your organisation is filed with this office and may carry out the "
                      "activities in its charter within the community. A filed organisation "
                      "has no legal-person status; to act as a legal person it must register."),
                    TableBlock(header=[pgettext("certificate", "Item"), _("Filed")], rows=rows,
                               widths_mm=[45, 115])],
        issuer=issuer(app.authority_code), issued_on=app.decided_on,
        footnote=str(rules.RULESET.rules["filing_days"].source()))
    return render(doc)


def return_notice(app: Application) -> bytes:
    """The one notice naming every missing material (行政许可法 第三十二条第一款第（四）项)."""
    if not app.notices or not app.missing:
        raise NotFound(_("No missing materials were named for this application."))
    names = dict(rules.materials_for(app.kind, app.org_kind, app.track)["items"])
    profile = rules.profile(app.area_code)
    from shequ.orgs.services.applications import limit_of

    key, _unit = limit_of(app.kind, app.track)
    doc = Document(
        title=_("Notice to Supply Missing Materials"), number=app.number,
        addressee=app.applicant_name,
        paragraphs=[
            _("The materials of your application “%(name)s” (%(kind)s), received on %(day)s, are "
              "incomplete. Under %(basis)s all the materials to be supplied are named here at "
              "once:") % {"name": app.name, "kind": app.get_kind_display(),
                          "day": long_date(app.received_on),
                          "basis": f"{rules.XUKE}第三十二条第一款第（四）项"},
            TableBlock(header=[_("No."), _("Material")],
                       rows=[(str(i), str(names.get(k, k))) for i, k in
                             enumerate(app.missing, start=1)], widths_mm=[20, 140]),
            _("The time limit of %(limit)s (%(source)s) runs from the day all of them are "
              "received.") % {"limit": profile.rule(key).display(),
                              "source": profile.rule(key).source()},
        ],
        issuer=issuer(app.authority_code), issued_on=_last_return_day(app))
    return render(doc)


def _last_return_day(app: Application) -> date:
    event = app.events.filter(action="return").order_by("-at").first()
    return event.on if event else app.received_on


def deregistration(app: Application) -> bytes:
    """The certificate of deregistration (社团条例 第二十一条第二款)."""
    if app.state != AppState.APPROVED or app.kind != AppKind.DEREGISTER or app.org is None \
            or app.track != Track.REGISTERED:
        raise NotFound(_("No certificate of deregistration was issued for this application."))
    number = _issued("orgs.deregistration", app)
    org: Org = app.org
    doc = Document(
        title=_("Certificate of Deregistration"), number=number, addressee=org.name,
        paragraphs=[_("%(name)s (unified social credit code %(code)s) is deregistered as of "
                      "%(day)s. Its registration certificate, seals and financial vouchers are "
                      "withdrawn.") % {"name": org.name, "code": org.credit_code,
                                       "day": long_date(app.decided_on or app.received_on)}],
        issuer=issuer(app.authority_code), issued_on=app.decided_on)
    return render(doc)


def penalty_decision(penalty: Penalty) -> bytes:
    doc_row = documents.issued_for("orgs.penalty", penalty)
    if doc_row is None:
        raise NotFound(_("No decision was issued for this penalty."))
    org: Org = penalty.org
    kinds = "、".join(str(PenaltyKind(k).label) for k in penalty.kinds)
    paragraphs: list[str | TableBlock] = [
        _("Facts: %(facts)s") % {"facts": penalty.facts},
        _("This is %(violation)s, punished under %(basis)s.")
        % {"violation": Violation(penalty.violation).label,
           "basis": rules.violation_basis(penalty.violation, org.kind)},
        _("Decided: %(kinds)s.") % {"kinds": kinds},
    ]
    if penalty.fine_fen:
        paragraphs.append(_("Fine: %(amount)s.") % {"amount": _yuan(penalty.fine_fen)})
    if penalty.suspend_until:
        paragraphs.append(_("Activities are suspended until %(day)s.")
                          % {"day": long_date(penalty.suspend_until)})
    doc = Document(title=_("Decision on an Administrative Penalty"), number=doc_row.number,
                   addressee=org.name, paragraphs=paragraphs,
                   issuer=issuer(penalty.authority_code), issued_on=penalty.decided_on)
    return render(doc)
