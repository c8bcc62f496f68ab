"""Pages: the public portal and progress query, the resident's applications, the
station front desk, the street officer's workbench and statistics."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from django.contrib import messages
from django.core.files.uploadedfile import UploadedFile
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from shequ import authz
from shequ.areas import selectors as areas
from shequ.core.errors import BusinessError, NotFound
from shequ.services import export, rules, selectors, services
from shequ.services.models import Channel, PauseKind, Sla, State
from shequ.services.states import ACTION_LABELS, Action

PAGE = 50


def _uploads(request: HttpRequest, field: str = "files") -> list[services.Upload]:
    result = []
    for key in request.FILES:
        if key != field and not key.startswith("material_"):
            continue
        for f in request.FILES.getlist(key):
            assert isinstance(f, UploadedFile)
            code = key.removeprefix("material_") if key.startswith("material_") else ""
            result.append(services.Upload(name=f.name or "file", content=f.read(),
                                          material_code=code))
    return result


def _communities(user: Any, perm: str) -> list[Any]:
    return list(areas.areas_in_scope(user=user, level="community", perm=perm))


# ---------------------------------------------------------------- public


def portal(request: HttpRequest) -> HttpResponse:
    return render(request, "services/portal.html", {
        "items": selectors.items().order_by("current__department", "code"),
        "can_apply": authz.has_perm(request.user, "services.apply"),
        "limits": [rules.rule(k) for k in ("decision_days", "extension_days",
                                           "correction_notice_days", "issue_days")],
    })


def progress(request: HttpRequest) -> HttpResponse:
    result = error = None
    number = request.POST.get("number", "").strip()
    if request.method == "POST":
        try:
            result = services.query_progress(number=number,
                                             phone_last4=request.POST.get("phone_last4", ""))
        except BusinessError as exc:
            error = exc.message
    return render(request, "services/progress.html",
                  {"result": result, "error": error, "number": number})


# ---------------------------------------------------------------- residents


def apply(request: HttpRequest, code: str) -> HttpResponse:
    authz.check(request.user, "services.apply")
    item = selectors.get_item(code)
    communities = _communities(request.user, "services.apply")
    if request.method == "POST":
        try:
            case = services.submit_case(
                actor=request.user, item_code=code, area_code=request.POST.get("area_code", ""),
                applicant_name=request.POST.get("applicant_name", ""),
                phone=request.POST.get("phone", ""),
                description=request.POST.get("description", ""), channel=Channel.ONLINE,
                idempotency_key=request.POST.get("idempotency_key", ""),
                uploads=_uploads(request))
        except services.DuplicateSubmission as exc:
            messages.info(request, _("This application was already received."))
            return redirect("services:case", exc.details["number"])
        except BusinessError as exc:
            messages.error(request, str(exc.message))
        else:
            messages.success(request, _("Received. Your case number is %(n)s.") % {"n": case.number})
            return redirect("services:case", case.number)
    return render(request, "services/apply.html", {
        "item": item, "version": item.current, "communities": communities,
        "idempotency_key": uuid.uuid4().hex, "post": request.POST,
        "applicant_name": request.POST.get("applicant_name") or getattr(request.user,
                                                                         "display_name", ""),
    })


def mine(request: HttpRequest) -> HttpResponse:
    return render(request, "services/mine.html", {
        "cases": selectors.my_cases(user=request.user)[:200],
        "notifications": selectors.notifications(user=request.user),
    })


# ---------------------------------------------------------------- station desk


def desk(request: HttpRequest) -> HttpResponse:
    authz.check(request.user, "services.desk")
    communities = _communities(request.user, "services.desk")
    codes = [c.code for c in communities]
    stations = [s for s in areas.stations() if any(s.area_code.startswith(c[:9]) for c in codes)]
    if request.method == "POST":
        try:
            case = services.submit_case(
                actor=request.user, item_code=request.POST.get("item_code", ""),
                area_code=request.POST.get("area_code", ""),
                applicant_name=request.POST.get("applicant_name", ""),
                phone=request.POST.get("phone", ""), id_number=request.POST.get("id_number", ""),
                description=request.POST.get("description", ""), channel=Channel.DESK,
                station_code=request.POST.get("station_code", ""),
                idempotency_key=request.POST.get("idempotency_key", ""),
                uploads=_uploads(request))
        except services.DuplicateSubmission as exc:
            messages.info(request, _("This application was already received."))
            return redirect("services:case", exc.details["number"])
        except BusinessError as exc:
            messages.error(request, str(exc.message))
        else:
            messages.success(request, _("Received. Case number %(n)s; give the applicant the "
                                        "receipt.") % {"n": case.number})
            return redirect("services:case", case.number)
    recent = selectors.cases(user=request.user, channel=Channel.DESK)[:30] \
        if authz.has_perm(request.user, "services.view") else []
    return render(request, "services/desk.html", {
        "items": selectors.items().order_by("code"), "communities": communities,
        "stations": stations, "recent": recent, "idempotency_key": uuid.uuid4().hex,
        "post": request.POST,
    })


# ---------------------------------------------------------------- workbench


def work(request: HttpRequest) -> HttpResponse:
    f = {k: request.GET.get(k, "") for k in ("state", "sla", "street", "item", "q")}
    qs = selectors.cases(user=request.user, **f)
    raw_page = request.GET.get("page", "1")
    page = max(int(raw_page), 1) if raw_page.isdigit() else 1
    rows = list(qs[(page - 1) * PAGE: page * PAGE + 1])
    return render(request, "services/work.html", {
        "cases": rows[:PAGE], "more": len(rows) > PAGE, "page": page, "filters": f,
        "states": State.choices, "slas": Sla.choices,
        "streets": areas.areas_in_scope(user=request.user, level="street", perm="services.view"),
        "notifications": selectors.notifications(user=request.user, limit=20),
    })


def case_detail(request: HttpRequest, number: str) -> HttpResponse:
    case = selectors.get_case(user=request.user, number=number)
    actions = selectors.actions_for(user=request.user, case=case)
    return render(request, "services/case.html", {
        "case": case, "version": case.version, "actions": actions,
        "events": case.events.all(), "attachments": case.attachments.all(),
        "pauses": case.pauses.all(), "pause_kinds": PauseKind.choices,
        "extension_days": rules.value("extension_days"),
        "is_staff": authz.has_perm(request.user, "services.view", case.area_code),
        "phone": ("*******" + case.phone_last4) if case.phone_last4 else "",
    })


@require_POST
def case_act(request: HttpRequest, number: str) -> HttpResponse:
    action = request.POST.get("action", "")
    days = request.POST.get("days", "")
    try:
        case = services.act(
            actor=request.user, number=number, action=action, note=request.POST.get("note", ""),
            missing=request.POST.getlist("missing") + [
                m for m in request.POST.get("missing_other", "").splitlines() if m.strip()],
            pause_kind=request.POST.get("pause_kind", ""),
            days=int(days) if days.isdigit() else None,
            uploads=_uploads(request) if action == Action.SUPPLY else ())
    except BusinessError as exc:
        if isinstance(exc, NotFound):
            raise
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("Done: %(a)s. Now: %(s)s.") % {
            "a": ACTION_LABELS.get(action, action), "s": case.get_state_display()})
    return redirect("services:case", number)


def attachment(request: HttpRequest, number: str, pk: int) -> FileResponse:
    case = selectors.get_case(user=request.user, number=number)
    att = case.attachments.filter(pk=pk).first()
    if att is None:
        raise NotFound()
    return FileResponse(att.file.open("rb"), content_type=att.content_type,
                        as_attachment=True, filename=att.name)


# ---------------------------------------------------------------- statistics


def _period(request: HttpRequest) -> tuple[date | None, date | None]:
    def parse(v: str) -> date | None:
        try:
            return date.fromisoformat(v) if v else None
        except ValueError:
            return None
    return parse(request.GET.get("start", "")), parse(request.GET.get("end", ""))


def stats(request: HttpRequest) -> HttpResponse:
    by = request.GET.get("by", "street")
    start, end = _period(request)
    rows = selectors.statistics(user=request.user, by=by, start=start, end=end)
    return render(request, "services/stats.html", {
        "rows": rows, "total": selectors.total(rows), "by": by, "start": start, "end": end,
        "groups": [("street", _("Street")), ("department", _("Department")),
                   ("item", _("Service item")), ("month", _("Month"))],
        "overdue": selectors.overdue_cases(user=request.user, limit=100),
        "query": request.GET.urlencode(),
    })


def stats_xlsx(request: HttpRequest) -> HttpResponse:
    start, end = _period(request)
    data = export.workbook(user=request.user, start=start, end=end)
    response = HttpResponse(data, content_type="application/vnd.openxmlformats-officedocument."
                                               "spreadsheetml.sheet")
    response["Content-Disposition"] = 'attachment; filename="services-statistics.xlsx"'
    return response
