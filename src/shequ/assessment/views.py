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
from shequ.assessment.forms import CorrectionForm, FigureForm, ItemFormSet, SchemeForm
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
    carriers = selectors.carriers(snap, row)
    children = [{"code": c.area_code, "name": c.name, "rank": str(c.rank or "—"),
                 "total": display.points_text(c.total), "passed": str(c.passed)}
                for c in b.children]
    return render(request, "assessment/dashboard.html", {
        "snap": snap, "row": row, "title": title, "trail": b.trail, "children": children,
        "child_level": LEVEL_NAMES.get(level, ""), "charts": charts, "table": table,
        "sections": [(name, pts, weight, carriers.get(name, []))
                     for name, pts, weight in selectors.sections(snap, row)],
        "carriers": bool(carriers), "total": display.points_text(row.total),
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
    b = selectors.board(user=request.user, pk=pk, area=request.GET.get("area", ""), figures=True)
    response = HttpResponse(workbook_of(b), content_type=excel.CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="assessment-{b.row.area_code}.xlsx"'
    return response


def report(request: HttpRequest, pk: int) -> HttpResponse:
    authz.check(request.user, Perm.VIEW)
    b = selectors.board(user=request.user, pk=pk, area=request.GET.get("area", ""))
    response = HttpResponse(report_pdf(b), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="assessment-{b.row.area_code}.pdf"'
    return response


def schemes(request: HttpRequest) -> HttpResponse:
    authz.check(request.user, Perm.VIEW)
    page = paging.keyset(selectors.schemes(user=request.user),
                         cursor=request.GET.get("cursor") or None, limit=50)
    names = selectors.area_names({s.area_code for s in page.items})
    rows = [(s, s.title(names.get(s.area_code, s.area_code))) for s in page.items]
    return render(request, "assessment/schemes.html", {
        "rows": rows, "page": page, "can_write": authz.has_perm(request.user, Perm.SCHEME)})


def scheme(request: HttpRequest, pk: int) -> HttpResponse:
    authz.check(request.user, Perm.VIEW)
    found, sections = selectors.scheme(user=request.user, pk=pk)
    name = selectors.area_names({found.area_code}).get(found.area_code, found.area_code)
    return render(request, "assessment/scheme.html", {"scheme": found, "sections": sections,
                                                      "title": found.title(name)})


def _scheme_initial(area: str, year: int) -> list[dict[str, str]]:
    """The rows of the latest version for the district and year (or the year before), so a
    new version is an edit of the last; the demo scheme's layout otherwise."""
    from shequ.assessment.models import Item

    for y in (year, year - 1):
        items = list(Item.objects.filter(section__scheme__area_code=area,
                                         section__scheme__year=y,
                                         section__scheme__kind="district")
                     .select_related("section__duty", "section__scheme")
                     .order_by("-section__scheme__version", "section__order", "order"))
        if items:
            top = items[0].section.scheme.version
            return [{"duty": it.section.duty.code if it.section.duty else "",
                     "indicator": it.indicator, "weight": f"{it.weight.normalize():f}",
                     "scoring": it.scoring,
                     "floor": "" if it.floor is None else f"{it.floor.normalize():f}",
                     "target": f"{it.target.normalize():f}"}
                    for it in items if it.section.scheme.version == top]
    return []


def scheme_edit(request: HttpRequest) -> HttpResponse:
    """Write a district's scheme for a year: a new version each time (ADR 1002)."""
    from django.conf import settings
    from django.utils import timezone

    authz.check(request.user, Perm.SCHEME)
    area = request.GET.get("area") or settings.SHEQU_DISTRICT_CODE
    raw_year = request.GET.get("year", "")
    year = int(raw_year) if raw_year.isdigit() else timezone.localdate().year
    if request.method == "POST":
        head = SchemeForm(request.POST)
        rows = ItemFormSet(request.POST, prefix="items")
        if not rows.management_form.is_valid():
            # a request without the rows' counters (not sent by this page): say so in the
            # reader's words rather than Django's field names
            messages.error(request, _("The form arrived incomplete: fill it in again."))
            rows = ItemFormSet(prefix="items", initial=[{}] * 4)
        elif head.is_valid() and rows.is_valid():
            by_duty: dict[str, list[dict[str, str]]] = {}
            for r in rows.cleaned_data:
                if r.get("indicator"):
                    by_duty.setdefault(r["duty"], []).append(
                        {k: r[k] for k in ("indicator", "weight", "scoring", "floor", "target")})
            try:
                saved = services.save_scheme(
                    actor=request.user, area_code=head.cleaned_data["area_code"],
                    year=head.cleaned_data["year"], name=head.cleaned_data["name"],
                    source=head.cleaned_data["source"],
                    sections=[{"duty": d, "items": items} for d, items in by_duty.items()])
            except BusinessError as exc:
                messages.error(request, str(exc.message))
            else:
                messages.success(request, _("Saved as version %(v)s.") % {"v": saved.version})
                return redirect("assessment:scheme", saved.pk)
        else:
            messages.error(request, _("Check the rows marked below."))
    else:
        head = SchemeForm(initial={"area_code": area, "year": year})
        initial = _scheme_initial(area, year) or [{}]
        initial += [{}] * 3
        rows = ItemFormSet(prefix="items", initial=initial)
    return render(request, "assessment/scheme_edit.html", {"head": head, "rows": rows})
