"""The organisation's own portal (role ``org_user``): its organisations, applications,
reports due, support; a new registration or filing; every step it takes itself."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from shequ import authz
from shequ.areas.models import Area, Level
from shequ.core.errors import BusinessError
from shequ.orgs import rules, selectors, services
from shequ.orgs.enums import Perm
from shequ.orgs.forms import (
    ChangeForm,
    ConvertForm,
    DeregisterForm,
    GrantForm,
    IncubationForm,
    MaterialsForm,
    MergeForm,
    NewOrgForm,
    ReportForm,
    ServiceProfileForm,
    fen,
)
from shequ.orgs.models import (
    FILED_KINDS,
    AppKind,
    Centre,
    GrantApplication,
    Incubation,
    Kind,
    Org,
    Status,
    Track,
)


def _choices(kind: str, org_kind: str, track: str) -> list[tuple[str, str]]:
    return [(k, str(label)) for k, label in rules.materials_for(kind, org_kind, track)["items"]]


def portal(request: HttpRequest) -> HttpResponse:
    authz.check(request.user, Perm.APPLY)
    today = timezone.localdate()
    orgs = list(selectors.my_orgs(user=request.user))
    facts = {e.org_id: e for e in selectors.eligibility_of(orgs, on=today)}
    return render(request, "orgs/portal.html", {
        "orgs": [(o, facts[o.pk]) for o in orgs],
        "applications": selectors.my_applications(user=request.user)[:30],
        "grants": GrantApplication.objects.filter(org__in=orgs).select_related("programme")
        .order_by("-submitted_on")[:20],
        "incubations": Incubation.objects.filter(org__in=orgs).select_related("centre")[:10],
        "programmes": selectors.programmes(on=today, open_only=True),
    })


def _communities(user: Any) -> list[tuple[str, str]]:
    qs = Area.objects.filter(authz.scope_q(user, Perm.APPLY, "code"), level=Level.COMMUNITY,
                             valid_to__isnull=True).select_related("parent").order_by("code")
    return [(a.code, f"{a.parent.name if a.parent else ''} {a.name}".strip()) for a in qs]


def apply(request: HttpRequest) -> HttpResponse:
    """A new organisation: registration (bureau) or filing (street office)."""
    authz.check(request.user, Perm.APPLY)
    org_kind = request.POST.get("org_kind") or request.GET.get("kind") or Kind.CULTURE_SPORT
    if org_kind not in Kind.values:
        org_kind = Kind.CULTURE_SPORT
    filed = org_kind in FILED_KINDS
    kind = AppKind.FILE if filed else AppKind.ESTABLISH
    track = Track.FILED if filed else Track.REGISTERED
    form = NewOrgForm(request.POST or None, initial={"org_kind": org_kind},
                      communities=_communities(request.user),
                      materials=_choices(kind, org_kind, track))
    if request.method == "POST" and form.is_valid():
        try:
            app = services.submit(actor=request.user, kind=form.kind(),
                                  org_kind=form.cleaned_data["org_kind"],
                                  area_code=form.cleaned_data["area_code"],
                                  name=form.cleaned_data["name"], items=form.items(),
                                  materials=form.cleaned_data["materials"])
        except BusinessError as exc:
            form.add_error(None, str(exc.message))
        else:
            messages.success(request, _("Received. Application number %(n)s.") % {"n": app.number})
            return redirect("orgs:application", app.number)
    return render(request, "orgs/apply.html", {
        "form": form, "org_kind": org_kind, "kinds": Kind.choices, "filed": filed,
        "materials_source": rules.materials_for(kind, org_kind, track)["citation"],
        "limit": rules.profile().rule("filing_days" if filed else "registration_days"),
    })


FORMS = ("change", "convert", "deregister", "merge", "recognise", "report", "grant",
         "incubation", "profile")


def manage(request: HttpRequest, org_id: int) -> HttpResponse:
    """Everything an organisation's user does for it, one form at a time."""
    org = selectors.get_org(user=request.user, org_id=org_id)
    from shequ.orgs.access import operates

    if not operates(request.user, org.pk):
        return redirect("orgs:profile", org.pk)
    which = request.POST.get("form") or request.GET.get("do") or ""
    forms = _forms(org, request.POST if request.method == "POST" else None, which)
    if request.method == "POST" and which in forms and forms[which].is_valid():
        try:
            target = _submit(request, org, which, forms[which])
        except BusinessError as exc:
            forms[which].add_error(None, str(exc.message))
        else:
            return target
    facts = selectors.eligibility(org.pk)
    return render(request, "orgs/manage.html", {
        "org": org, "forms": forms, "open": which, "facts": facts,
        "live": org.status in (Status.ACTIVE, Status.SUSPENDED),
        "reports": org.reports.order_by("-year")[:10],
        "applications": org.applications.order_by("-received_on")[:10],
    })


def _forms(org: Org, data: Any, which: str) -> dict[str, Any]:
    """One form per thing the organisation may do, each with its own field prefix (one
    page, no clashing ids)."""
    def bound(name: str) -> dict[str, Any]:
        return {"data": data if which == name else None, "prefix": name}

    today = timezone.localdate()
    forms: dict[str, Any] = {
        "change": ChangeForm(**bound("change"),
                             materials=_choices(AppKind.CHANGE, org.kind, org.track)),
        "deregister": DeregisterForm(**bound("deregister"), materials=_choices(
            AppKind.DEREGISTER, org.kind, org.track)),
        "merge": MergeForm(**bound("merge"),
                           materials=_choices(AppKind.MERGE, org.kind, org.track)),
        "report": ReportForm(**bound("report"), initial={"year": today.year - 1}),
        "grant": GrantForm(**bound("grant"), programmes=[
            (p.pk, f"{p.funder.name} · {p.name}") for p in
            selectors.programmes(on=today, open_only=True)]),
        "incubation": IncubationForm(**bound("incubation"), centres=[
            (c.pk, c.name) for c in Centre.objects.order_by("name")]),
        "profile": ServiceProfileForm(**bound("profile"), initial={
            "categories": org.categories, "capacity": org.capacity}),
    }
    if org.track == Track.FILED:
        forms["convert"] = ConvertForm(**bound("convert"), initial={
            "person_in_charge": org.person_in_charge, "address": org.address,
            "individual_members": org.individual_members, "categories": org.categories},
            materials=_choices(AppKind.CONVERT, Kind.ASSOCIATION, Track.REGISTERED))
    else:
        forms["recognise"] = MaterialsForm(**bound("recognise"), materials=_choices(
            AppKind.RECOGNISE, org.kind, org.track))
    return forms


def _submit(request: HttpRequest, org: Org, which: str, form: Any) -> HttpResponse:
    d = form.cleaned_data
    user = request.user
    if which in ("change", "convert", "deregister", "merge", "recognise"):
        kw: dict[str, Any] = {"actor": user, "kind": which, "org_id": org.pk,
                              "materials": d.get("materials", [])}
        if which == "change":
            items = form.items()
            kw.update(items=items, name=items.get("name", ""))
        elif which == "convert":
            kw.update(org_kind=d["org_kind"], items=form.items())
        elif which == "deregister" and d.get("liquidation_ended_on"):
            kw["items"] = {"liquidation_ended_on": d["liquidation_ended_on"].isoformat()}
        elif which == "merge":
            partner = Org.objects.filter(status__in=(Status.ACTIVE, Status.SUSPENDED)).filter(
                credit_code=d["partner"].strip().upper()).first() or Org.objects.filter(
                filing_number=d["partner"].strip()).first()
            kw["partner_id"] = partner.pk if partner else -1
        app = services.submit(**kw)
        messages.success(request, _("Received. Application number %(n)s.") % {"n": app.number})
        return redirect("orgs:application", app.number)
    if which == "report":
        services.lodge_report(actor=user, org_id=org.pk, year=d["year"],
                              activities=d["activities"], income_fen=fen(d["income_yuan"]),
                              expenditure_fen=fen(d["expenditure_yuan"]), staff=d["staff"],
                              members=d["members"],
                              agency_submitted_on=d.get("agency_submitted_on"),
                              agency_approved_on=d.get("agency_approved_on"))
        messages.success(request, _("The report on %(year)d was lodged.") % {"year": d["year"]})
    elif which == "grant":
        services.apply_grant(actor=user, programme_id=int(d["programme"]), org_id=org.pk,
                             title=d["title"], category=d["category"], summary=d["summary"],
                             requested_fen=fen(d["requested_yuan"]))
        messages.success(request, _("The grant application was submitted."))
    elif which == "incubation":
        services.apply_incubation(actor=user, org_id=org.pk, centre_id=int(d["centre"]),
                                  plan=d["plan"])
        messages.success(request, _("The application for incubation was submitted."))
    elif which == "profile":
        services.update_service_profile(actor=user, org_id=org.pk, categories=d["categories"],
                                        capacity=d["capacity"])
        messages.success(request, _("The service profile was saved."))
    return redirect("orgs:manage", org.pk)
