"""Pages: the public portal and progress query, the resident's applications, the
station front desk, the street officer's workbench and statistics.

Thin: a form in (input shape), a service or selector call, a template out. The buttons
on a case are ``CASE.allowed(user, case)``, the same guards the services enforce.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from shequ import authz
from shequ.areas import selectors as areas
from shequ.core import charts, excel, paging
from shequ.core.errors import BusinessError, NotFound
from shequ.services import documents, export, forms, rules, selectors, services
from shequ.services.enums import Perm
from shequ.services.lifecycles import CASE, IRREVERSIBLE
from shequ.services.models import Action, Channel, ExportKind

PAGE = 50
PORTAL_LIMITS = ("decision_days", "extension_days", "correction_notice_days", "issue_days")


def _communities(user: Any, perm: str) -> list[tuple[str, str]]:
    return [(a.code, a.name) for a in areas.areas_in_scope(user=user, level="community",
                                                             perm=perm)]


def _query_without(request: HttpRequest, *names: str) -> str:
    query = request.GET.copy()
    for name in names:
        query.pop(name, None)
    return query.urlencode()


# ---------------------------------------------------------------- public


def portal(request: HttpRequest) -> HttpResponse:
    profile = rules.profile("")
    return render(request, "services/portal.html", {
        "items": selectors.items().order_by("current__department", "code"),
        "can_apply": authz.has_perm(request.user, Perm.APPLY),
        "limits": [profile.rule(k) for k in PORTAL_LIMITS],
    })


def progress(request: HttpRequest) -> HttpResponse:
    form = forms.ProgressForm(request.POST or None)
    result = None
    if request.method == "POST" and form.is_valid():
        try:
            result = services.query_progress(number=form.cleaned_data["number"],
                                             phone_last4=form.cleaned_data["phone_last4"])
        except BusinessError as exc:
            form.add_error(None, str(exc.message))
    return render(request, "services/progress.html", {"form": form, "result": result})


# ---------------------------------------------------------------- filing


def _file(request: HttpRequest, form: forms.ApplyForm | forms.DeskForm, channel: str,
          **extra: Any) -> HttpResponse | None:
    """Submit a valid filing form; on a refusal put the reason on the form."""
    d = form.cleaned_data
    try:
        case = services.submit_case(
            actor=request.user, area_code=d["area_code"], applicant_name=d["applicant_name"],
            phone=d["phone"], description=d["description"], channel=channel,
            idempotency_key=d["idempotency_key"], **extra)
    except services.DuplicateSubmission as exc:
        messages.info(request, _("This application was already received."))
        return redirect("services:case", exc.details["number"])
    except BusinessError as exc:
        form.add_error(None, str(exc.message))
        return None
    if channel == Channel.DESK:
        messages.success(request, _("Received. Case number %(n)s; give the applicant the "
                                    "receipt.") % {"n": case.number})
    else:
        messages.success(request, _("Received. Your case number is %(n)s.") % {"n": case.number})
    return redirect("services:case", case.number)


def apply(request: HttpRequest, code: str) -> HttpResponse:
    authz.check(request.user, Perm.APPLY)
    item = selectors.get_item(code)
    assert item.current is not None
    own = selectors.own_record(request.user)
    if own is None:  # applying as oneself needs one's own record; the desk files for others
        return render(request, "services/apply.html", {"item": item, "version": item.current,
                                                       "form": None})
    form = forms.ApplyForm(request.POST or None, request.FILES or None,
                           communities=_communities(request.user, Perm.APPLY),
                           version=item.current,
                           initial={"idempotency_key": uuid.uuid4().hex,
                                    "applicant_name": own.name})
    form.fields["applicant_name"].disabled = True  # the record's name, not typed
    form.fields["applicant_name"].help_text = _("From your own resident record: you apply "
                                                "for yourself.")
    if request.method == "POST" and form.is_valid():
        done = _file(request, form, Channel.ONLINE, item_code=code, uploads=form.uploads())
        if done is not None:
            return done
    return render(request, "services/apply.html", {"item": item, "version": item.current,
                                                   "form": form})


def mine(request: HttpRequest) -> HttpResponse:
    page = paging.keyset(selectors.my_cases(user=request.user),
                         cursor=request.GET.get("cursor") or None, limit=PAGE)
    return render(request, "services/mine.html", {
        "page": page, "notifications": selectors.notifications(user=request.user)[:50],
    })


def desk(request: HttpRequest) -> HttpResponse:
    authz.check(request.user, Perm.DESK)
    communities = _communities(request.user, Perm.DESK)
    streets = {code[:9] for code, _name in communities}
    stations = [(s.code, s.name) for s in areas.stations() if s.area_code[:9] in streets]
    form = forms.DeskForm(request.POST or None, request.FILES or None,
                          items=[(i.code, f"{i.current.name} ({i.code})")
                                 for i in selectors.items().order_by("code") if i.current],
                          communities=communities, stations=stations,
                          initial={"idempotency_key": uuid.uuid4().hex})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        done = _file(request, form, Channel.DESK, item_code=d["item_code"],
                     station_code=d["station_code"], id_number=d["id_number"],
                     agent_name=d["agent_name"], agent_relation=d["agent_relation"],
                     confirm_duplicate=d["confirm_duplicate"],
                     uploads=forms.to_uploads(d["scans"]))
        if done is not None:
            return done
    recent = (selectors.cases(user=request.user, channel=Channel.DESK)[:30]
              if authz.has_perm(request.user, Perm.VIEW) else [])
    return render(request, "services/desk.html", {"form": form, "recent": recent})


# ---------------------------------------------------------------- workbench


def work(request: HttpRequest) -> HttpResponse:
    streets = [(a.code, a.name) for a in areas.areas_in_scope(user=request.user, level="street",
                                                               perm=Perm.VIEW)]
    form = forms.WorkFilterForm(request.GET, streets=streets)
    form.is_valid()  # a bad filter is shown on the form; the valid ones still apply
    filters = {k: v or "" for k, v in form.cleaned_data.items()}
    page = paging.keyset(selectors.cases(user=request.user, **filters),
                         cursor=request.GET.get("cursor") or None, limit=PAGE)
    today = selectors.today()
    for case in page.items:
        case.days_overdue = selectors.days_overdue(  # type: ignore[attr-defined]
            case.state, case.due_on, today)
    return render(request, "services/work.html", {
        "form": form, "page": page, "query": _query_without(request, "cursor"),
        "notifications": selectors.notifications(user=request.user)[:20],
        "exports": export.exports_of(user=request.user, kind=ExportKind.CASES),
        "keep_days": settings.SHEQU_EXPORT_KEEP_DAYS,
    })


@require_POST
def work_export(request: HttpRequest) -> HttpResponse:
    """Ask the worker for the work list with the filters shown (the page's query string);
    a bad filter is said and nothing is queued. The page offers the file when ready."""
    authz.check(request.user, Perm.VIEW)
    query = _query_without(request, "cursor")
    try:
        export.request_case_export(actor=request.user, filters=request.GET)
    except BusinessError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("The list is being prepared; it appears below when "
                                    "ready."))
    return redirect(reverse("services:work") + (f"?{query}" if query else ""))


def work_download(request: HttpRequest, pk: int) -> HttpResponse:
    """The user's own export of the work list (anyone else's: not found)."""
    authz.check(request.user, Perm.VIEW)
    job = export.get_export(user=request.user, export_id=pk, kind=ExportKind.CASES)
    if job is None or job.content is None:
        raise NotFound()
    response = HttpResponse(bytes(job.content), content_type=excel.CONTENT_TYPE)
    stamp = timezone.localtime(job.created_at).strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="services-cases-{stamp}.xlsx"'
    return response


def case_detail(request: HttpRequest, number: str) -> HttpResponse:
    case = selectors.get_case(user=request.user, number=number)
    extension_days = services.extension_limit(case, rules.profile(case.area_code))
    steps = []
    for action in CASE.allowed(request.user, case):
        form = forms.step_form(action, case, extension_days=extension_days)
        if form is not None:  # acceptance on receipt is the clock's, never a button
            label = Action(action).label
            ask = (_("“%(step)s” cannot be undone. Go ahead?") % {"step": label}
                   if action in IRREVERSIBLE else "")
            steps.append((action, label, form, ask))
    return render(request, "services/case.html", {
        "case": case, "version": case.version, "steps": steps,
        "events": _with_names(list(case.events.all())), "attachments": case.attachments.all(),
        "pauses": case.pauses.all(),
        "documents": documents.available(case),
        "is_staff": authz.has_perm(request.user, Perm.VIEW, case.area_code),
        "phone": selectors.phone_hint(case),
    })


def _with_names(events: list[Any]) -> list[tuple[Any, str]]:
    """History lines with who took each step as a reader knows them: the real name, the
    system in the reader's language."""
    from shequ.services import notices

    names = selectors.real_names({e.actor_name for e in events})
    return [(e, names.get(e.actor_name) or notices.actor_label(e)) for e in events]


@require_POST
def case_act(request: HttpRequest, number: str) -> HttpResponse:
    case = selectors.get_case(user=request.user, number=number)
    action = request.POST.get("action", "")
    form = forms.step_form(action, case, data=request.POST, files=request.FILES,
                           extension_days=services.extension_limit(
                               case, rules.profile(case.area_code)))
    if form is None:
        messages.error(request, _("A case has no such step."))
    elif not form.is_valid():
        messages.error(request, forms.problems(form))
    else:
        try:
            case = services.act(actor=request.user, number=number, action=action,
                                **form.inputs())
        except NotFound:
            raise
        except BusinessError as exc:
            messages.error(request, str(exc.message))
        else:
            messages.success(request, _("Done: %(a)s. Now: %(s)s.") % {
                "a": Action(action).label, "s": case.get_state_display()})
    return redirect("services:case", number)


def document(request: HttpRequest, number: str, name: str, event_id: int) -> HttpResponse:
    """A case's notice or decision as a PDF, numbered on first printing."""
    data, _number = documents.pdf(actor=request.user, number=number, name=name,
                                  event_id=event_id)
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{number}-{name}-{event_id}.pdf"'
    return response


def attachment(request: HttpRequest, number: str, pk: int) -> FileResponse:
    case = selectors.get_case(user=request.user, number=number)
    att = case.attachments.filter(pk=pk).first()
    if att is None:
        raise NotFound()
    return FileResponse(att.file.open("rb"), content_type=att.content_type,
                        as_attachment=True, filename=att.name)


# ---------------------------------------------------------------- statistics


def _stats_form(request: HttpRequest) -> tuple[forms.StatsForm, dict[str, Any]]:
    """The filters; with neither date given, the current year (the page never sums
    every case ever filed unasked)."""
    data = request.GET.copy()
    if not data.get("start") and not data.get("end"):
        data["start"] = selectors.today().replace(month=1, day=1).isoformat()
    form = forms.StatsForm(data)
    form.is_valid()  # a date that does not parse is said on the form, not ignored
    d = form.cleaned_data
    return form, {"by": d.get("by") or "street", "start": d.get("start"), "end": d.get("end")}


def _charts(request: HttpRequest, rows: list[selectors.StatRow], f: dict[str, Any]
            ) -> list[charts.Chart]:
    by_street = selectors.received_by_street_month(user=request.user, start=f["start"],
                                                   end=f["end"])
    months = sorted({m for per in by_street.values() for m in per})
    names = selectors.street_names(list(by_street))
    received = charts.Chart(
        id="received", title=_("Cases received by street and month"), kind="stack",
        category_label=_("Month"), categories=[m.strftime("%Y-%m") for m in months],
        series=[charts.Series(names.get(code, code), [per.get(m, 0) for m in months])
                for code, per in sorted(by_street.items())])
    rate = charts.Chart(
        id="on-time", title=_("On-time rate"), kind="hbar", percent=True,
        category_label=str(forms.StatsForm.base_fields["by"].label),
        categories=[r.label for r in rows],
        series=[charts.Series(_("On-time rate"), [r.on_time_rate for r in rows])])
    return [c for c in (received, rate) if c.categories]


def stats(request: HttpRequest) -> HttpResponse:
    form, f = _stats_form(request)
    rows = selectors.statistics(user=request.user, **f)
    overdue = paging.keyset(selectors.overdue_cases(user=request.user),
                            cursor=request.GET.get("ocursor") or None, limit=PAGE)
    today = selectors.today()
    for case in overdue.items:
        case.days_overdue = (today - case.due_on).days  # type: ignore[attr-defined]
    return render(request, "services/stats.html", {
        "form": form, "rows": rows, "total": selectors.total(rows),
        "charts": _charts(request, rows, f), "overdue": overdue,
        "query": _query_without(request, "ocursor"),
        "exports": export.exports_of(user=request.user),
        "keep_days": settings.SHEQU_EXPORT_KEEP_DAYS,
    })


@require_POST
def stats_export(request: HttpRequest) -> HttpResponse:
    """Ask the worker for the workbook of the filters shown; the page offers it when ready."""
    _form, f = _stats_form(request)
    export.request_export(actor=request.user, start=f["start"], end=f["end"])
    messages.success(request, _("The workbook is being prepared; it appears below when ready."))
    query = request.GET.urlencode()
    return redirect(reverse("services:stats") + (f"?{query}" if query else ""))


def stats_download(request: HttpRequest, pk: int) -> HttpResponse:
    authz.check(request.user, Perm.STATS)
    job = export.get_export(user=request.user, export_id=pk)
    if job is None or job.content is None:
        raise NotFound()
    response = HttpResponse(bytes(job.content),
                            content_type="application/vnd.openxmlformats-officedocument."
                                         "spreadsheetml.sheet")
    stamp = timezone.localtime(job.created_at).strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="services-statistics-{stamp}.xlsx"'
    return response
