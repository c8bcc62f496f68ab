"""Pages of the 15-minute circle: coverage of an area (map, table, chart, gaps), siting
answers, networks and the facility list. Heavy work is queued for the worker."""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from shequ import authz
from shequ.access import outputs, selectors, services
from shequ.access.enums import Perm
from shequ.access.forms import AnalyseForm, FacilityForm, NetworkForm, SitingForm
from shequ.access.lifecycles import NETWORK
from shequ.access.models import FacilityKind, NetworkSource, SitingKind
from shequ.access.texts import island_name
from shequ.access.texts import render as render_text
from shequ.areas.models import Area, Level
from shequ.core import paging
from shequ.core.charts import Chart, Series
from shequ.core.errors import BusinessError
from shequ.core.excel import CONTENT_TYPE

UPLOAD_LIMIT = 2 * 1024**3


def _areas_for(user: Any) -> list[Area]:
    """The districts and streets the user may see, for the area picker."""
    from django.db.models import Q

    own = authz.scope_codes(user, Perm.VIEW)
    qs = Area.objects.filter(authz.scope_q(user, Perm.VIEW, field="code"),
                             valid_to__isnull=True).filter(
        Q(level__in=[Level.DISTRICT, Level.STREET]) | Q(code__in=own or []))
    return list(qs.order_by("code")[:200])


@login_required
def index(request: HttpRequest) -> HttpResponse:
    authz.check(request.user, Perm.VIEW)
    page = paging.keyset(selectors.analyses(user=request.user), cursor=request.GET.get("cursor"),
                         limit=20)
    return render(request, "access/index.html", {
        "areas": _areas_for(request.user), "page": page,
        "networks": selectors.networks(user=request.user)[:10],
    })


@login_required
def coverage(request: HttpRequest, code: str) -> HttpResponse:
    user = request.user
    area = Area.objects.filter(code=code).first()
    if area is None:
        from shequ.core.errors import NotFound

        raise NotFound(_("Unknown area code: %(c)s.") % {"c": code}, code="unknown_area")
    analysis = selectors.latest(user=user, area_code=code)
    pending = (selectors.analyses(user=user).filter(area_code=code,
                                                    state__in=["queued", "running"]).first())
    ctx: dict[str, Any] = {
        "area": area, "analysis": analysis, "pending": pending,
        "standards": selectors.standards(code),
        "can_analyse": authz.has_perm(user, Perm.ANALYSE, code),
        "analyse_form": AnalyseForm(), "siting_form": SitingForm(),
    }
    if analysis is not None:
        rows = selectors.area_rows(analysis, code)
        top = next((r for r in rows if r.area_code == code), None)
        children = [r for r in rows if r.area_code != code]
        b1, b2, b3 = analysis.bands
        ctx.update({
            "top": top, "children": children, "bands": analysis.bands,
            "generated": selectors.generated(analysis),
            "outside": selectors.outside(analysis, code)[:100],
            "outside_count": selectors.outside(analysis, code).count(),
            "problems": selectors.problems(analysis),
            "sitings": selectors.sitings(user=user, analysis_id=analysis.pk)
                   .filter(area_code=code)[:10],
            "chart": Chart(
                id="coverage", title=_("Share of residents within walking time"),
                categories=[c.name.replace("社区居委会", "").replace("街道办事处", "")
                            for c in children],
                series=[Series(_("%(n)s minutes") % {"n": b}, [c.share(i) for c in children])
                        for i, b in enumerate((b1, b2, b3), start=1)],
                kind="hbar" if len(children) > 8 else "bar", percent=True,
                category_label=_("Area")) if children else None,
        })
    return render(request, "access/coverage.html", ctx)


@login_required
@require_POST
def analyse(request: HttpRequest, code: str) -> HttpResponse:
    form = AnalyseForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errs in form.errors.values() for e in errs))
        return redirect("access:coverage", code=code)
    try:
        analysis = services.request_analysis(actor=request.user, area_code=code,
                                             speed=form.cleaned_data.get("speed"))
    except BusinessError as exc:
        if exc.status in (401, 403, 404):
            raise
        messages.error(request, str(exc.message))
        return redirect("access:coverage", code=code)
    if analysis.state == "done":
        messages.success(request, _("The coverage analysis is done."))
    else:
        messages.info(request, _("The coverage analysis is queued; this page shows it when "
                                 "the worker has finished."))
    return redirect("access:coverage", code=code)


@login_required
def map_png(request: HttpRequest, pk: int) -> HttpResponse:
    within = request.GET.get("within", "")
    analysis = selectors.analysis(user=request.user, pk=pk, within=within)
    response = HttpResponse(outputs.map_png(analysis, within), content_type="image/png")
    response["Cache-Control"] = "private, max-age=300"
    return response


@login_required
def geojson(request: HttpRequest, pk: int) -> HttpResponse:
    within = request.GET.get("within", "")
    analysis = selectors.analysis(user=request.user, pk=pk, within=within)
    body = json.dumps(outputs.geojson(analysis, within),
                      ensure_ascii=False)
    response = HttpResponse(body, content_type="application/geo+json")
    response["Content-Disposition"] = f'attachment; filename="access-{pk}.geojson"'
    return response


@login_required
def excel(request: HttpRequest, pk: int) -> HttpResponse:
    within = request.GET.get("within", "")
    analysis = selectors.analysis(user=request.user, pk=pk, within=within)
    response = HttpResponse(outputs.workbook_bytes(analysis, within),
                            content_type=CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="access-{pk}.xlsx"'
    return response


@login_required
@require_POST
def site(request: HttpRequest, pk: int) -> HttpResponse:
    within = request.POST.get("within", "")
    analysis = selectors.analysis(user=request.user, pk=pk, within=within)
    form = SitingForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errs in form.errors.values() for e in errs))
        return redirect("access:coverage", code=within or analysis.area_code)
    data = form.cleaned_data
    try:
        run = services.request_siting(
            actor=request.user, analysis_id=analysis.pk, kind=data["kind"],
            k=data.get("k") if data["kind"] == SitingKind.MAX_COVER else None,
            band=data["band"], time_limit=data["time_limit"], within=within)
    except BusinessError as exc:
        if exc.status in (401, 403, 404):
            raise
        messages.error(request, str(exc.message))
        return redirect("access:coverage", code=within or analysis.area_code)
    return redirect("access:siting", pk=run.pk)


@login_required
def siting(request: HttpRequest, pk: int) -> HttpResponse:
    run = selectors.siting(user=request.user, pk=pk)
    return render(request, "access/siting.html", {
        "run": run, "analysis": run.analysis, "generated": selectors.generated(run.analysis),
        "problems": selectors.problems(run),
        "gap_percent": None if run.gap is None else f"{run.gap * 100:.1f}%",
    })


@login_required
def siting_png(request: HttpRequest, pk: int) -> HttpResponse:
    run = selectors.siting(user=request.user, pk=pk)
    return HttpResponse(outputs.map_png(run.analysis, run.area_code, run=run),
                        content_type="image/png")


@login_required
def networks(request: HttpRequest) -> HttpResponse:
    authz.check(request.user, Perm.VIEW)
    can_manage = authz.has_perm(request.user, Perm.MANAGE)
    form = NetworkForm()
    if request.method == "POST":
        authz.check(request.user, Perm.MANAGE, request.POST.get("area_code") or None)
        form = NetworkForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["extract"]
            if upload.size > UPLOAD_LIMIT:
                form.add_error("extract", _("The file is larger than 2 GB; import it with "
                                            "the command line."))
            else:
                try:
                    network = _queue_upload(request.user, form.cleaned_data["area_code"], upload)
                except BusinessError as exc:
                    if exc.status in (401, 403):
                        raise
                    form.add_error(None, str(exc.message))
                else:
                    messages.info(request, _("Version %(v)s is being imported.")
                                  % {"v": network.version})
                    return redirect("access:networks")
    rows = selectors.networks(user=request.user)[:50]
    return render(request, "access/networks.html", {
        "rows": [(n, NETWORK.allowed(request.user, n), render_text(n.report.get("problem")),
                  "、".join(island_name(i) for i in n.report.get("islands", [])[:3]))
                 for n in rows], "form": form,
        "can_manage": can_manage, "generated": NetworkSource.GENERATED,
    })


def _queue_upload(user: Any, area_code: str, upload: Any) -> Any:
    import hashlib

    from shequ.access.tasks import load_network_task

    folder = Path(settings.DATA_DIR) / "access" / "uploads"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{uuid.uuid4().hex}.osm.pbf"
    digest = hashlib.sha256()
    with path.open("wb") as fh:
        for chunk in upload.chunks():
            digest.update(chunk)
            fh.write(chunk)
    try:
        network = services.start_import(actor=user, area_code=area_code, source=NetworkSource.OSM,
                                        file_name=upload.name, sha256=digest.hexdigest())
    except BusinessError:
        path.unlink(missing_ok=True)
        raise
    load_network_task.enqueue(network.pk, str(path))
    return network


@login_required
@require_POST
def retire(request: HttpRequest, pk: int) -> HttpResponse:
    network = services.retire_network(actor=request.user, network_id=pk)
    messages.success(request, _("Version %(v)s is retired.") % {"v": network.version})
    return redirect("access:networks")


@login_required
def facilities(request: HttpRequest) -> HttpResponse:
    authz.check(request.user, Perm.VIEW)
    form = FacilityForm()
    if request.method == "POST":
        form = FacilityForm(request.POST)
        if form.is_valid():
            try:
                services.save_facility(actor=request.user, **form.cleaned_data)
            except BusinessError as exc:
                if exc.status in (401, 403):
                    raise
                form.add_error(None, str(exc.message))
            else:
                messages.success(request, _("%(name)s is on the facility list.")
                                 % {"name": form.cleaned_data["name"]})
                return redirect(reverse("access:facilities"))
    kind = request.GET.get("kind", "")
    page = paging.keyset(selectors.facilities(user=request.user,
                                              kind=kind if kind in FacilityKind.values else ""),
                         cursor=request.GET.get("cursor"), limit=50)
    return render(request, "access/facilities.html", {
        "page": page, "form": form, "kinds": FacilityKind.choices, "kind": kind,
        "can_manage": authz.has_perm(request.user, Perm.MANAGE),
    })
