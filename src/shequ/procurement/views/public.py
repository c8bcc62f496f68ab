"""Public pages: every published project with the same data as the OCDS export (no
personal data), the OCDS downloads and the extension."""

from __future__ import annotations

import json

from django.http import FileResponse, HttpRequest, HttpResponse, JsonResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.utils import timezone

from shequ.core import paging
from shequ.procurement import ocds, selectors
from shequ.procurement.models import Catalogue, Contract, State
from shequ.procurement.views._util import year_param, years


def projects(request: HttpRequest) -> HttpResponse:
    year = year_param(request)
    state = request.GET.get("state", "")
    if state not in State.values or state == State.DRAFT:
        state = ""
    qs = selectors.public_projects(year=year, state=state)
    page = paging.keyset(qs, cursor=request.GET.get("cursor") or None, limit=50)
    return render(request, "procurement/public.html", {
        "page": page, "year": year, "years": years(), "state": state,
        "states": [(k, v) for k, v in State.choices if k != State.DRAFT]})


def catalogue(request: HttpRequest) -> HttpResponse:
    """Every published version of the guidance catalogue, the newest first."""
    versions = (Catalogue.objects.filter(published_on__isnull=False)
                .prefetch_related("categories__items").order_by("-published_on", "-id"))
    return render(request, "procurement/catalogue.html", {"versions": versions})


def project(request: HttpRequest, number: str) -> HttpResponse:
    item = selectors.public_project(number)
    record = ocds.project_record(item)
    compiled = record["compiledRelease"]
    contract = Contract.objects.filter(project=item).first()
    return render(request, "procurement/public_project.html", {
        "project": item, "record": record, "compiled": compiled,
        "tenderers": compiled.get("tender", {}).get("tenderers", []),
        "award": (compiled.get("awards") or [None])[0],
        "contract": contract,
        "won": item.bids.filter(state="won").first(),
        "milestones": list(contract.milestones.order_by("seq")) if contract else [],
        "payments": list(contract.payments.select_related("milestone")) if contract else [],
        "performance": getattr(contract, "performance", None) if contract else None,
        "supplier": (compiled.get("awards") or [{}])[0].get("suppliers", [{}])[0].get("name", ""),
    })


def record_json(request: HttpRequest, number: str) -> JsonResponse:
    item = selectors.public_project(number)
    package = {**ocds._meta(request.build_absolute_uri("/"), timezone.now(), "records"),
               "records": [ocds.project_record(item)]}
    return JsonResponse(package, json_dumps_params={"ensure_ascii": False})


def releases_json(request: HttpRequest) -> HttpResponseBase:
    """A year's release package, streamed (the whole district: ``shequ ocds export``)."""
    year = year_param(request, timezone.localdate().year)
    qs = selectors.public_projects(year=year)
    if not qs.exists():
        return JsonResponse({"detail": "no projects"}, status=404)
    body = ocds.stream_package(qs, base=request.build_absolute_uri("/"), published=timezone.now())
    response = StreamingHttpResponse((piece.encode() for piece in body),
                                     content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="ocds-releases-{year}.json"'
    return response


def extension(request: HttpRequest, name: str) -> HttpResponseBase:
    path = ocds.EXTENSION_DIR / name
    return FileResponse(path.open("rb"), content_type="application/json")


def extension_json(request: HttpRequest) -> HttpResponseBase:
    return extension(request, "extension.json")


def extension_schema(request: HttpRequest) -> HttpResponse:
    data = json.loads((ocds.EXTENSION_DIR / "release-schema.json").read_text(encoding="utf-8"))
    return JsonResponse(data)
