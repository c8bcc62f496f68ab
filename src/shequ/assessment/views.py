"""Dashboards of ``assessment``: a district's (or the province's) snapshot, drilled down
to a street and a community; Excel and a printable report of the same figures. Every page
answers from the snapshot, in a constant number of queries."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from shequ import authz
from shequ.areas.models import Level
from shequ.assessment import display, selectors, services
from shequ.assessment.enums import Perm
from shequ.assessment.forms import CorrectionForm, FigureForm
from shequ.assessment.report import report_pdf, workbook_of
from shequ.core import excel, paging
from shequ.core.charts import Chart, Series
from shequ.core.errors import BusinessError

LEVEL_NAMES = {"province": Level.PROVINCE.label, "district": Level.DISTRICT.label,
               "street": Level.STREET.label, "community": Level.COMMUNITY.label}


def index(request: HttpRequest) -> HttpResponse:
    authz.check(request.user, Perm.VIEW)
    snaps = selectors.current(user=request.user)
    names = selectors.area_names({s.area_code for s in snaps})
    rows = [(s, s.scheme.title(names.get(s.area_code, s.area_code))) for s in snaps]
    return render(request, "assessment/index.html", {"rows": rows})


def dashboard(request: HttpRequest, pk: int) -> HttpResponse:
    authz.check(request.user, Perm.VIEW)
    b = selectors.board(user=request.user, pk=pk, area=request.GET.get("area", ""))
    snap, row = b.snapshot, b.row
    lines = selectors.lines(snap, row)
    top = b.trail[0] if b.trail else row
    title = snap.scheme.title(top.name)
    level = b.children[0].level if b.children else ""
    charts = []
    if b.children:
        charts.append(Chart(
            id="assessment-children", title=_("Score of each %(level)s") % {
                "level": LEVEL_NAMES.get(level, "")},
            categories=[c.name for c in b.children], kind="hbar", category_label=_("Area"),
            series=[Series(_("Score"), [c.total for c in b.children])],
            fmt=display.points_text))
    charts.append(Chart(
        id="assessment-breakdown", title=_("Points by indicator"), kind="hbar",
        categories=[ln.name for ln in lines], category_label=_("Indicator"),
        series=[Series(_("Points"), [ln.points for ln in lines]),
                Series(_("Weight"), [ln.weight for ln in lines])], fmt=display.points_text))
    if len(b.trend) > 1:
        charts.append(Chart(
            id="assessment-trend", title=_("Score by year"), kind="line",
            categories=[str(y) for y, _t, _r in b.trend], category_label=_("Year"),
            series=[Series(_("Score"), [t for _y, t, _r in b.trend])], fmt=display.points_text))
    table = [{"line": ln, "value": display.value_text(ln.value, ln.unit),
              "target": display.value_text(ln.target, ln.unit),
              "points": display.points_text(ln.points), "section": selectors.duty_label(ln.duty)}
             for ln in lines]
    return render(request, "assessment/dashboard.html", {
        "snap": snap, "row": row, "title": title, "trail": b.trail, "children": b.children,
        "child_level": LEVEL_NAMES.get(level, ""), "charts": charts, "table": table,
        "sections": selectors.sections(snap, row), "total": display.points_text(row.total),
        "level": LEVEL_NAMES.get(row.level, ""),
        "can_correct": authz.has_perm(request.user, Perm.COMPUTE, snap.area_code),
        "correction_form": CorrectionForm(),
    })


def correct(request: HttpRequest, pk: int) -> HttpResponse:
    """A correction: the same period computed again as a new version, with its reason."""
    authz.check(request.user, Perm.COMPUTE)
    form = CorrectionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            snap = services.correct(actor=request.user, snapshot_id=pk,
                                    reason=form.cleaned_data["reason"])
        except BusinessError as exc:
            messages.error(request, str(exc.message))
        else:
            messages.success(request, _("Version %(v)s computed; the earlier version stays as "
                                        "it was.") % {"v": snap.version})
            return redirect("assessment:dashboard", snap.pk)
    elif request.method == "POST":
        messages.error(request, _("A correction needs its reason."))
    return redirect(reverse("assessment:dashboard", args=[pk]))


def figures(request: HttpRequest) -> HttpResponse:
    """Figures that exist only on paper: who entered which, when; a form to enter one."""
    authz.check(request.user, Perm.ENTER)
    form = FigureForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.enter_figure(actor=request.user, **form.cleaned_data)
        except BusinessError as exc:
            messages.error(request, str(exc.message))
        else:
            messages.success(request, _("The figure was entered."))
            return redirect("assessment:figures")
    page = paging.keyset(selectors.figures(user=request.user),
                         cursor=request.GET.get("cursor") or None, limit=50)
    return render(request, "assessment/figures.html", {"form": form, "page": page,
                                                       "names": selectors.indicator_names()})


def export(request: HttpRequest, pk: int) -> HttpResponse:
    authz.check(request.user, Perm.VIEW)
    b = selectors.board(user=request.user, pk=pk, area=request.GET.get("area", ""))
    response = HttpResponse(workbook_of(b), content_type=excel.CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="assessment-{b.row.area_code}.xlsx"'
    return response


def report(request: HttpRequest, pk: int) -> HttpResponse:
    authz.check(request.user, Perm.VIEW)
    b = selectors.board(user=request.user, pk=pk, area=request.GET.get("area", ""))
    response = HttpResponse(report_pdf(b), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="assessment-{b.row.area_code}.pdf"'
    return response
