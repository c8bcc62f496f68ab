"""Public pages: the directory, an organisation's profile, the indicators, complaints."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from shequ import authz
from shequ.areas.models import Area, Level
from shequ.core.charts import Chart, Series
from shequ.core.errors import BusinessError
from shequ.orgs import selectors, services
from shequ.orgs.enums import Perm
from shequ.orgs.forms import ComplaintForm
from shequ.orgs.models import Category, Kind, Status, Track
from shequ.orgs.texts import TEXTS
from shequ.orgs.views._util import error, page_of, year_param


def _streets() -> list[Area]:
    return list(Area.objects.filter(code__startswith=settings.SHEQU_DISTRICT_CODE,
                                    level=Level.STREET, valid_to__isnull=True).order_by("code"))


def directory(request: HttpRequest) -> HttpResponse:
    f = {k: request.GET.get(k, "") for k in ("q", "track", "kind", "area", "category")}
    status = request.GET.get("status", Status.ACTIVE)
    qs = selectors.directory(q=f["q"], track=f["track"], kind=f["kind"], area=f["area"],
                             category=f["category"], status=status)
    page = page_of(request, qs)
    return render(request, "orgs/directory.html", {
        "page": page, "filters": f, "status": status, "tracks": Track.choices,
        "kinds": Kind.choices, "categories": Category.choices, "statuses": Status.choices,
        "streets": _streets(),
    })


def profile(request: HttpRequest, org_id: int) -> HttpResponse:
    org = selectors.public_org(org_id)
    history = [(e, TEXTS.render(e.text)) for e in selectors.public_history(org)[:100]]
    is_staff = authz.has_perm(request.user, Perm.VIEW, org.area_code)
    return render(request, "orgs/profile.html", {
        "org": org, "history": history, "grade": selectors.current_grade(org),
        "reports": selectors.report_results(org)[:10],
        "penalties": selectors.public_penalties(org)[:20],
        "categories": [Category(c).label for c in org.categories],
        "is_staff": is_staff,
        "can_complain": authz.has_perm(request.user, Perm.COMPLAIN, org.area_code),
        "staff": _staff_context(request, org) if is_staff else None,
    })


def _staff_context(request: HttpRequest, org: Any) -> dict[str, Any]:
    from shequ.orgs.forms import EvaluationForm, InspectionPlanForm, OperatorForm, PenaltyForm

    user = request.user
    history = [(e, TEXTS.render(e.text)) for e in org.events.filter(public=False)[:50]]
    supervise = authz.has_perm(user, Perm.SUPERVISE, org.authority_code)
    return {
        "private_history": history,
        "operators": org.operators.select_related("user").order_by("added_on"),
        "applications": org.applications.order_by("-received_on")[:20],
        "reports": org.reports.order_by("-year")[:10],
        "eligibility": selectors.eligibility(org.pk),
        "can_link": authz.has_perm(user, Perm.FILING_DECIDE if org.track == Track.FILED
                                   else Perm.REGISTRATION_DECIDE, org.authority_code),
        "can_evaluate": org.track == Track.REGISTERED
        and authz.has_perm(user, Perm.EVALUATE, org.authority_code),
        "can_supervise": supervise,
        "can_penalise": authz.has_perm(user, Perm.PENALISE, org.authority_code),
        "operator_form": OperatorForm(), "evaluation_form": EvaluationForm(),
        "inspection_form": InspectionPlanForm(), "penalty_form": PenaltyForm(),
    }


def complain(request: HttpRequest, org_id: int) -> HttpResponse:
    org = selectors.public_org(org_id)
    authz.check(request.user, Perm.COMPLAIN, org.area_code)
    form = ComplaintForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.file_complaint(actor=request.user, org_id=org.pk, **form.cleaned_data)
        except BusinessError as exc:
            error(request, exc)
        else:
            messages.success(request, _("Your complaint was received; the authority will answer "
                                        "it."))
            return redirect("orgs:profile", org.pk)
    return render(request, "orgs/complain.html", {"org": org, "form": form})


def indicators(request: HttpRequest) -> HttpResponse:
    area = request.GET.get("area") or settings.SHEQU_DISTRICT_CODE
    if not Area.objects.filter(code=area).exists():
        area = settings.SHEQU_DISTRICT_CODE
    year = year_param(request)
    total = selectors.indicators(area, year)
    parts = selectors.indicators_by_part(area, year)
    first = max(year - 9, 2009)
    series = selectors.indicator_series(area, range(first, year + 1))
    chart_parts = Chart(
        id="orgs-per-10k", title=_("Organisations per 10,000 residents"),
        categories=[p.name for p in parts], kind="hbar", category_label=_("Area"),
        series=[Series(_("Per 10,000 residents"), [p.per_10k for p in parts])],
        fmt=lambda v: f"{v:.2f}")
    chart_years = Chart(
        id="orgs-by-year", title=_("Organisations by year"), kind="stack",
        categories=[str(s.year) for s in series], category_label=_("Year"),
        series=[Series(_("Filed"), [s.filed for s in series]),
                Series(_("Registered"), [s.registered for s in series])])
    return render(request, "orgs/indicators.html", {
        "total": total, "parts": parts, "year": year, "area": area,
        "chart_parts": chart_parts, "chart_years": chart_years,
        "years": list(range(2009, timezone.localdate().year + 1))[::-1],
        "streets": _streets(), "district": settings.SHEQU_DISTRICT_CODE,
    })
