"""Pages of the foundation: public home, sign-in, staff console and area pages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import LoginView
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from shequ import authz
from shequ.accounts.selectors import grants_of
from shequ.areas import selectors as areas
from shequ.areas import services as area_services
from shequ.areas.enums import Perm as AreasPerm
from shequ.audit import selectors as audit
from shequ.authz import STAFF_ROLES, Role
from shequ.core.errors import BusinessError, NotFound
from shequ.core.registry import CONSOLE, HOMES, SELF_PANELS
from shequ.web.enums import Perm as WebPerm
from shequ.web.forms import SignInForm


def home(request: HttpRequest) -> HttpResponse:
    try:
        district, streets = areas.public_district(settings.SHEQU_DISTRICT_CODE)
    except NotFound:
        district, streets = None, []
    stations = areas.stations(within=settings.SHEQU_DISTRICT_CODE)
    return render(request, "web/home.html", {
        "district": district, "streets": streets, "station_count": stations.count(),
        "community_total": sum(n for _s, n in streets),
    })


def stations(request: HttpRequest) -> HttpResponse:
    return render(request, "web/stations.html",
                  {"stations": areas.stations(within=settings.SHEQU_DISTRICT_CODE)})


def landing_url(user: Any) -> str:
    """Where a signed-in person's own work is: the console for staff, else the page a
    module registered for one of their roles (the organisation portal), else "my page"."""
    roles = {g.role for g in grants_of(user)}
    if user.is_superuser or roles & {str(r) for r in STAFF_ROLES}:
        return reverse("web:console")
    homes = sorted(HOMES[r] for r in roles if r in HOMES)
    for _order, url_name in homes:
        try:
            return reverse(url_name)
        except NoReverseMatch:
            continue
    return reverse("web:me")


class SignInView(LoginView):
    form_class = SignInForm
    template_name = "web/login.html"
    redirect_authenticated_user = True

    def get_default_redirect_url(self) -> str:
        return landing_url(self.request.user)


@login_required
def me(request: HttpRequest) -> HttpResponse:
    """A person's own page: what every module has for them (applications, notices, their
    community's disclosures, meetings, elections, proposals to co-sign…)."""
    panels = sorted((panel for provider in SELF_PANELS for panel in provider(request.user)),
                    key=lambda p: p.order)
    return render(request, "web/me.html", {"panels": panels})


@require_POST
def sign_out(request: HttpRequest) -> HttpResponse:
    logout(request)
    return redirect("web:home")


def console(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated and not authz.has_perm(request.user, WebPerm.CONSOLE):
        return redirect(landing_url(request.user))  # a resident's work is elsewhere
    authz.check(request.user, WebPerm.CONSOLE)
    cards = []
    for grant in grants_of(request.user):
        if authz.has_perm(request.user, AreasPerm.FIGURES, grant.area_code):
            try:
                figures = areas.figures(user=request.user, code=grant.area_code)
            except NotFound:
                figures = None
            cards.append({"grant": grant, "role": Role(grant.role).label, "figures": figures})
    todo = [{"item": item, "url": reverse(item.url_name) + (f"?{item.query}" if item.query else "")}
            for provider in CONSOLE for item in provider(request.user)]
    return render(request, "web/console.html", {"cards": cards, "todo": todo})


class FiguresForm(forms.Form):
    population = forms.IntegerField(label=gettext_lazy("Residents"), min_value=0, required=False)
    households = forms.IntegerField(label=gettext_lazy("Households"), min_value=0, required=False)


class GeometryForm(forms.Form):
    geojson = forms.JSONField(label=gettext_lazy("Boundary or point (GeoJSON, WGS 84)"),
                              widget=forms.Textarea(attrs={"rows": 4}))


class CompoundForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Compound name"), max_length=100)
    households = forms.IntegerField(label=gettext_lazy("Households"), min_value=0, required=False)


def area_detail(request: HttpRequest, code: str) -> HttpResponse:
    area = areas.get_area(user=request.user, code=code)
    can_manage = authz.has_perm(request.user, AreasPerm.MANAGE, code)
    forms_ = {"figures": FiguresForm(initial={"population": area.population,
                                              "households": area.households}),
              "geometry": GeometryForm(), "compound": CompoundForm()}
    if request.method == "POST":
        authz.check(request.user, AreasPerm.MANAGE, code)
        which = request.POST.get("form", "")
        if which in forms_:
            form = {"figures": FiguresForm, "geometry": GeometryForm,
                    "compound": CompoundForm}[which](request.POST)
            forms_[which] = form
            if form.is_valid():
                d = form.cleaned_data
                try:
                    if which == "figures":
                        area_services.update_figures(actor=request.user, code=code,
                                                     population=d["population"],
                                                     households=d["households"])
                    elif which == "geometry":
                        geo = d["geojson"]
                        kind = geo.get("type") if isinstance(geo, dict) else None
                        area_services.set_geometry(
                            actor=request.user, code=code,
                            point=geo if kind == "Point" else None,
                            boundary=None if kind == "Point" else geo)
                    else:
                        area_services.create_compound(actor=request.user, community_code=code,
                                                      name=d["name"], households=d["households"])
                    messages.success(request, _("Saved."))
                    return redirect("web:area", code=code)
                except BusinessError as exc:
                    form.add_error(None, str(exc.message))
    figures = (areas.figures(user=request.user, code=code)
               if authz.has_perm(request.user, AreasPerm.FIGURES, code) else None)
    return render(request, "web/area.html", {
        "area": area,
        "ancestors": areas.ancestors(area),
        "children": areas.children(user=request.user, code=code),
        "figures": figures,
        "history": areas.history(code),
        "stations": areas.stations(within=code)[:200],
        "zones": areas.zones(code) if area.level == "district" else [],
        "can_manage": can_manage,
        "forms": forms_,
    })


def audit_log(request: HttpRequest) -> HttpResponse:
    within = request.GET.get("within", "").strip()
    action = request.GET.get("action", "").strip()
    rows = audit.entries(user=request.user, within=within, action=action, limit=200)
    return render(request, "web/audit.html", {"entries": rows, "within": within, "action": action})
