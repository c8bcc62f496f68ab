"""Staff pages: the review queue (street and bureau), the registry with import and export,
supervision and support, and the staff forms on an organisation's page."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from shequ import authz
from shequ.accounts import facade as accounts
from shequ.core import excel
from shequ.core.errors import BusinessError, NotFound
from shequ.orgs import documents, selectors, services
from shequ.orgs.enums import Perm
from shequ.orgs.forms import (
    EvaluationForm,
    GrantStepForm,
    ImportForm,
    IncubationStepForm,
    InspectionPlanForm,
    OperatorForm,
    PayForm,
    PenaltyForm,
    SupervisionStepForm,
    fen,
)
from shequ.orgs.lifecycles import (
    COMPLAINT,
    GRANT,
    INCUBATION,
    INSPECTION,
    PENALTY,
    REPORT,
    application_lifecycle,
)
from shequ.orgs.models import (
    AppKind,
    AppState,
    GrantState,
    IncubationState,
    Penalty,
    PenaltyState,
    Status,
    SupportKind,
    Track,
)
from shequ.orgs.views._util import back, error, page_of, pdf, year_param


def _steps(cycle: Any, user: Any, obj: Any) -> list[tuple[str, str]]:
    return [(a, cycle.action_label(a)) for a in cycle.allowed(user, obj)]


def queue(request: HttpRequest) -> HttpResponse:
    authz.check(request.user, Perm.SUPERVISE)
    today = timezone.localdate()
    f = {k: request.GET.get(k, "") for k in ("state", "kind", "track")}
    if request.GET.get("overdue"):
        qs = selectors.overdue_applications(user=request.user, on=today)
    else:
        qs = selectors.applications(user=request.user, queue=True, state=f["state"],
                                    kind=f["kind"], track=f["track"]).order_by("notice_by", "id")
    page = page_of(request, qs)
    rows = [(a, application_lifecycle(a).allowed(request.user, a), a.due_on and a.due_on < today
             and a.state == AppState.IN_REVIEW) for a in page.items]
    return render(request, "orgs/queue.html", {
        "page": page, "rows": rows, "filters": f, "today": today,
        "states": [(s.value, s.label) for s in AppState if s in (AppState.SUBMITTED,
                                                                AppState.RETURNED,
                                                                AppState.IN_REVIEW)],
        "kinds": AppKind.choices, "tracks": Track.choices,
        "overdue": bool(request.GET.get("overdue")),
        "decides_filings": authz.has_perm(request.user, Perm.FILING_DECIDE),
        "decides_registrations": authz.has_perm(request.user, Perm.REGISTRATION_DECIDE),
    })


# ---------------------------------------------------------------- registry


def registry(request: HttpRequest) -> HttpResponse:
    authz.check(request.user, Perm.VIEW)
    f = {k: request.GET.get(k, "") for k in ("q", "track", "status", "area")}
    qs = selectors.orgs(user=request.user, **f)
    form = ImportForm(request.POST or None, request.FILES or None)
    report: Any = None
    if request.method == "POST":
        authz.check(request.user, Perm.IMPORT)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                report = services.import_registry(
                    actor=request.user, content=upload.read(), source=upload.name or "registry.xlsx",
                    dry_run=form.cleaned_data["dry_run"])
            except services.ImportFailed as exc:
                form.add_error(None, str(exc.message))
                report = {"errors": exc.details.get("errors", [])}
            else:
                if report.dry_run:
                    messages.info(request, _("%(n)d rows checked; no errors. Nothing was written.")
                                  % {"n": report.rows})
                else:
                    messages.success(request, _("%(n)d organisations imported.")
                                     % {"n": report.created})
                    return redirect("orgs:registry")
    return render(request, "orgs/registry.html", {
        "page": page_of(request, qs), "filters": f, "form": form, "report": report,
        "can_import": authz.has_perm(request.user, Perm.IMPORT),
        "tracks": Track.choices, "statuses": Status.choices,
    })


def registry_xlsx(request: HttpRequest) -> HttpResponse:
    authz.check(request.user, Perm.VIEW)
    f = {k: request.GET.get(k, "") for k in ("q", "track", "status", "area")}
    data = services.export_registry(orgs=selectors.orgs(user=request.user, **f))
    response = HttpResponse(data, content_type=excel.CONTENT_TYPE)
    response["Content-Disposition"] = 'attachment; filename="orgs-registry.xlsx"'
    return response


# ---------------------------------------------------------------- supervision


def supervision(request: HttpRequest) -> HttpResponse:
    authz.check(request.user, Perm.SUPERVISE)
    today = timezone.localdate()
    year = year_param(request, today.year - 1)
    if year >= today.year:
        year = today.year - 1
    user = request.user
    reports = list(selectors.report_queue(user=user)[:100])
    overdue = selectors.overdue_reports(user=user, year=year, on=today)
    return render(request, "orgs/supervision.html", {
        "year": year, "years": list(range(today.year - 1, 2009, -1)),
        "reports": [(r, _steps(REPORT, user, r)) for r in reports],
        "overdue": [(o, selectors.report_rule(o)) for o in overdue[:200]],
        "overdue_more": overdue[200:201].exists(),
        "dues": selectors.due_dates(year),
        "complaints": [(c, _steps(COMPLAINT, user, c)) for c in
                       selectors.open_complaints(user=user)[:100]],
        "inspections": [(i, _steps(INSPECTION, user, i)) for i in
                        selectors.inspections(user=user, open_only=True)[:100]],
        "penalties": [(p, _steps(PENALTY, user, p)) for p in
                      selectors.penalties(user=user).filter(
                          state__in=(PenaltyState.PROPOSED, PenaltyState.DECIDED))[:100]],
        "today": today,
    })


@require_POST
def supervision_act(request: HttpRequest, what: str, pk: int) -> HttpResponse:
    form = SupervisionStepForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Some fields are missing or invalid."))
        return redirect("orgs:supervision")
    d = form.cleaned_data
    try:
        if what == "report":
            services.report_step(actor=request.user, report_id=pk, action=d["action"],
                                 remarks=d["remarks"])
        elif what == "complaint":
            services.complaint_step(actor=request.user, complaint_id=pk, action=d["action"],
                                    finding=d["findings"] or d["remarks"])
        elif what == "inspection":
            services.inspection_step(actor=request.user, inspection_id=pk, action=d["action"],
                                     findings=d["findings"], correct_by=d["correct_by"])
        elif what == "penalty":
            services.penalty_step(actor=request.user, penalty_id=pk, action=d["action"])
        else:
            raise NotFound()
    except NotFound:
        raise
    except BusinessError as exc:
        error(request, exc)
    else:
        messages.success(request, _("Done."))
    return redirect(back(request, "orgs:supervision"))


def penalty_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    penalty = Penalty.objects.select_related("org").filter(pk=pk).first()
    if penalty is None or not authz.has_perm(request.user, Perm.VIEW, penalty.area_code):
        raise NotFound()
    return pdf(documents.penalty_decision(penalty), f"penalty-{pk}.pdf")


@require_POST
def org_staff(request: HttpRequest, org_id: int, what: str) -> HttpResponse:
    """The staff forms on an organisation's page."""
    org = selectors.get_org(user=request.user, org_id=org_id)
    try:
        if what == "operator":
            form: Any = OperatorForm(request.POST)
            if form.is_valid():
                user = accounts.user_by_username(form.cleaned_data["username"])
                if user is None:
                    raise BusinessError(_("No active user with that name."))
                services.add_operator(actor=request.user, org_id=org.pk, user=user)
        elif what == "evaluation":
            form = EvaluationForm(request.POST)
            if form.is_valid():
                services.record_evaluation(actor=request.user, org_id=org.pk, **form.cleaned_data)
        elif what == "inspection":
            form = InspectionPlanForm(request.POST)
            if form.is_valid():
                services.plan_inspection(actor=request.user, org_id=org.pk, **form.cleaned_data)
        elif what == "penalty":
            form = PenaltyForm(request.POST)
            if form.is_valid():
                d = form.cleaned_data
                services.propose_penalty(actor=request.user, org_id=org.pk,
                                         violation=d["violation"], kinds=d["kinds"],
                                         facts=d["facts"], fine_fen=fen(d["fine_yuan"]),
                                         suspend_until=d["suspend_until"])
        else:
            raise NotFound()
        if not form.is_valid():
            messages.error(request, _("Some fields are missing or invalid."))
        else:
            messages.success(request, _("Done."))
    except NotFound:
        raise
    except BusinessError as exc:
        error(request, exc)
    return redirect("orgs:profile", org.pk)


# ---------------------------------------------------------------- support


def support(request: HttpRequest) -> HttpResponse:
    authz.check(request.user, Perm.SUPPORT)
    user = request.user
    grants = list(selectors.grants(user=user).filter(
        state__in=(GrantState.SUBMITTED, GrantState.APPROVED, GrantState.REPORTED))[:100])
    incubations = list(selectors.incubations(user=user).filter(
        state__in=(IncubationState.APPLIED, IncubationState.INCUBATING))[:100])
    programmes = list(selectors.programmes())
    from shequ.orgs.services.support import awarded_fen

    return render(request, "orgs/support.html", {
        "grants": [(g, _steps(GRANT, user, g)) for g in grants],
        "incubations": [(i, _steps(INCUBATION, user, i)) for i in incubations],
        "programmes": [(p, awarded_fen(p)) for p in programmes],
        "supports": SupportKind.choices, "pay_form": PayForm(),
        "today": timezone.localdate(),
    })


@require_POST
def support_act(request: HttpRequest, what: str, pk: int) -> HttpResponse:
    try:
        if what == "grant":
            form: Any = GrantStepForm(request.POST)
            if form.is_valid():
                d = form.cleaned_data
                services.grant_step(actor=request.user, grant_id=pk, action=d["action"],
                                    awarded_fen=fen(d["awarded_yuan"]) if d["awarded_yuan"]
                                    is not None else None, reasons=d["reasons"],
                                    report=d["report"],
                                    spent_fen=fen(d["spent_yuan"]) if d["spent_yuan"]
                                    is not None else None)
        elif what == "pay":
            form = PayForm(request.POST)
            if form.is_valid():
                services.pay_grant(actor=request.user, grant_id=pk,
                                   amount_fen=fen(form.cleaned_data["amount_yuan"]),
                                   paid_on=form.cleaned_data["paid_on"],
                                   note=form.cleaned_data["note"])
        elif what == "incubation":
            form = IncubationStepForm(request.POST)
            if form.is_valid():
                d = form.cleaned_data
                services.incubation_step(actor=request.user, incubation_id=pk,
                                         action=d["action"], supports=d["supports"],
                                         seed_fen=fen(d["seed_yuan"]))
        else:
            raise NotFound()
        if not form.is_valid():
            messages.error(request, _("Some fields are missing or invalid."))
        else:
            messages.success(request, _("Done."))
    except NotFound:
        raise
    except BusinessError as exc:
        error(request, exc)
    return redirect(back(request, "orgs:support"))
