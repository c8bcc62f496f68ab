"""An application's page (applicant, organisation users, staff in scope) and its steps;
the documents it produced."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from shequ import authz
from shequ.core.errors import BusinessError, NotFound
from shequ.orgs import documents, rules, selectors, services
from shequ.orgs.enums import Perm
from shequ.orgs.forms import StepForm
from shequ.orgs.lifecycles import application_lifecycle
from shequ.orgs.models import AppAction, AppKind, AppState, RejectReason, Track
from shequ.orgs.views._util import error, pdf

DOCUMENTS = {"certificate": documents.certificate, "receipt": documents.filing_receipt,
             "notice": documents.return_notice, "deregistration": documents.deregistration}


def _materials(app: Any) -> list[tuple[str, str]]:
    return [(k, str(label)) for k, label in
            rules.materials_for(app.kind, app.org_kind, app.track)["items"]]


def detail(request: HttpRequest, number: str) -> HttpResponse:
    app = selectors.get_application(user=request.user, number=number)
    cycle = application_lifecycle(app)
    materials = _materials(app)
    received = set(app.materials)
    actions = cycle.allowed(request.user, app)
    is_staff = authz.has_perm(request.user, Perm.VIEW, app.area_code) or authz.has_perm(
        request.user, Perm.FILING_DECIDE if app.track == Track.FILED
        else Perm.REGISTRATION_DECIDE, app.authority_code)
    profile = rules.profile(app.area_code)
    key, _unit = services.limit_of(app.kind, app.track)
    return render(request, "orgs/application.html", {
        "app": app, "actions": actions, "action_labels": {a: cycle.action_label(a)
                                                          for a in actions},
        "materials": [(k, label, k in received) for k, label in materials],
        "missing": [label for k, label in materials if k in app.missing],
        "not_received": [k for k, _label in materials if k not in received],
        "materials_source": rules.materials_for(app.kind, app.org_kind, app.track)["citation"],
        "limit": profile.rule(key), "notice_rule": profile.rule("notice_days"),
        "events": [(e, cycle.action_label(e.action) if e.action in AppAction.values
                    else _("Application received"),
                    AppState(e.to_state).label if e.to_state in AppState.values else "",
                    _("the system") if e.actor_name == "system" else e.actor_name)
                   for e in app.events.all()], "is_staff": is_staff, "reasons": RejectReason.choices,
        "registered": app.track == Track.REGISTERED,
        "extension_days": profile.number("recognition_extension_days"
                                         if app.kind == AppKind.RECOGNISE else "extension_days"),
        "documents": _documents(app), "flags": _flags(app),
    })


def _documents(app: Any) -> list[tuple[str, str]]:
    out = []
    if app.notices and app.missing:
        out.append(("notice", _("Notice to supply missing materials")))
    if app.state == "approved" and app.org_id:
        if app.track == Track.REGISTERED and app.kind in (AppKind.ESTABLISH, AppKind.CHANGE,
                                                         AppKind.CONVERT):
            out.append(("certificate", _("Registration certificate")))
        if app.kind == AppKind.FILE:
            out.append(("receipt", _("Filing receipt")))
        if app.kind == AppKind.DEREGISTER and app.track == Track.REGISTERED:
            out.append(("deregistration", _("Certificate of deregistration")))
    return out


def _flags(app: Any) -> list[str]:
    profile = rules.profile(app.area_code)
    out = []
    for f in app.flags:
        if f.get("flag") == "late_change":
            out.append(_("Applied %(d)d days after the supervising agency's consent; the limit is "
                         "%(limit)s (%(source)s).") % {
                "d": f["days"], "limit": profile.rule("change_apply_days").display(),
                "source": profile.rule("change_apply_days").source()})
        elif f.get("flag") == "late_deregistration":
            out.append(_("Applied %(d)d days after the liquidation ended; the limit is %(limit)s "
                         "(%(source)s).") % {
                "d": f["days"], "limit": profile.rule("deregister_apply_days").display(),
                "source": profile.rule("deregister_apply_days").source()})
        elif f.get("flag") == "extended":
            out.append(_("Time limit extended by %(d)d days.") % {"d": f["days"]})
    if app.late:
        out.append(_("Decided after the time limit."))
    return out


@require_POST
def act(request: HttpRequest, number: str) -> HttpResponse:
    app = selectors.get_application(user=request.user, number=number)
    form = StepForm(request.POST, materials=_materials(app))
    if not form.is_valid():
        messages.error(request, _("Some fields are missing or invalid."))
        return redirect("orgs:application", number)
    d = form.cleaned_data
    try:
        app = services.act(actor=request.user, number=number, action=d["action"],
                           missing=d["missing"], materials=d["materials"],
                           reason=d["reason"] or "", reason_text=d["reason_text"] or "",
                           note=d["note"] or "", credit_code=d["credit_code"] or "",
                           days=d["days"])
    except NotFound:
        raise
    except BusinessError as exc:
        error(request, exc)
    else:
        label = application_lifecycle(app).action_label(d["action"])
        messages.success(request, _("Done: %(a)s. Now: %(s)s.")
                         % {"a": label, "s": app.get_state_display()})
        if d["action"] == AppAction.APPROVE and app.org is not None:
            messages.info(request, _("Organisation: %(name)s (%(id)s).")
                          % {"name": app.org.name, "id": app.org.identifier})
    return redirect("orgs:application", number)


def document(request: HttpRequest, number: str, kind: str) -> HttpResponse:
    app = selectors.get_application(user=request.user, number=number)
    make = DOCUMENTS.get(kind)
    if make is None:
        raise NotFound()
    return pdf(make(app), f"{app.number}-{kind}.pdf")
