"""Staff pages: budget lines, projects from draft to performance evaluation, the
dashboard and its Excel export."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from shequ import authz
from shequ.areas.models import Area, Level
from shequ.core import paging
from shequ.core.charts import Chart, Series
from shequ.core.errors import BusinessError, NotFound
from shequ.core.excel import Sheet, workbook
from shequ.orgs import facade as orgs
from shequ.procurement import selectors, services
from shequ.procurement.enums import Perm
from shequ.procurement.forms import (
    BudgetLineForm,
    BuyerForm,
    CancelForm,
    ChangeForm,
    CriteriaForm,
    DeclareForm,
    EvaluatorForm,
    PaymentForm,
    PerformanceForm,
    ProjectForm,
    PublishForm,
    SignForm,
    TextForm,
    to_fen,
)
from shequ.procurement.lifecycles import CONTRACT, MILESTONE, PROJECT
from shequ.procurement.models import (
    Buyer,
    CatalogueItem,
    ComplaintState,
    Contract,
    Method,
    Project,
    Score,
    State,
)
from shequ.procurement.views._util import attempt, year_param, years


def budgets(request: HttpRequest) -> HttpResponse:
    authz.check(request.user, Perm.BUDGET)
    year = year_param(request)
    qs = selectors.budget_lines(user=request.user, year=year)
    page = paging.keyset(qs, cursor=request.GET.get("cursor") or None, limit=50)
    buyers = [(b.pk, b.name) for b in Buyer.objects.filter(
        authz.scope_q(request.user, Perm.BUDGET)).order_by("kind", "area_code", "name")]
    areas = [(a.code, a.name) for a in Area.objects.filter(
        authz.scope_q(request.user, Perm.BUDGET, "code"), valid_to__isnull=True,
        level__in=(Level.DISTRICT, Level.STREET)).order_by("code")]
    form = BudgetLineForm(request.POST if request.POST.get("form") == "line" else None,
                          buyers=buyers, initial={"year": timezone.localdate().year})
    buyer_form = BuyerForm(request.POST if request.POST.get("form") == "buyer" else None,
                           areas=areas)
    if request.method == "POST":
        try:
            if form.is_bound and form.is_valid():
                d = form.cleaned_data
                services.save_budget_line(actor=request.user, buyer_id=d["buyer_id"],
                                          year=d["year"], title=d["title"],
                                          amount_fen=to_fen(d["amount_yuan"]))
                messages.success(request, _("The budget line was saved."))
                return redirect("procurement:budgets")
            if buyer_form.is_bound and buyer_form.is_valid():
                services.save_buyer(actor=request.user, **buyer_form.cleaned_data)
                messages.success(request, _("The buyer was saved."))
                return redirect("procurement:budgets")
        except BusinessError as exc:
            (form if form.is_bound else buyer_form).add_error(None, str(exc.message))
    return render(request, "procurement/budgets.html", {
        "page": page, "form": form, "buyer_form": buyer_form, "year": year, "years": years()})


def projects(request: HttpRequest) -> HttpResponse:
    authz.check(request.user, Perm.VIEW)
    year, state = year_param(request), request.GET.get("state", "")
    if state not in State.values:
        state = ""
    qs = selectors.projects(user=request.user, year=year, state=state)
    page = paging.keyset(qs, cursor=request.GET.get("cursor") or None, limit=50)
    return render(request, "procurement/projects.html", {
        "page": page, "year": year, "years": years(), "state": state, "states": State.choices,
        "can_buy": authz.has_perm(request.user, Perm.BUY)})


def new_project(request: HttpRequest) -> HttpResponse:
    authz.check(request.user, Perm.BUY)
    lines = [(line.pk, _("%(buyer)s %(year)s %(title)s (%(left)s yuan left)")
              % {"buyer": line.buyer.name, "year": line.year, "title": line.title,
                 "left": f"{Decimal(line.available_fen) / 100:,.2f}"})
             for line in selectors.budget_lines(user=request.user)[:200]]
    items = [(i.pk, f"{i.code} {i.name}（{i.category.name}）") for i in CatalogueItem.objects
             .filter(category__catalogue__published_on__isnull=False)
             .select_related("category").order_by("-category__catalogue__published_on", "code")]
    form = ProjectForm(request.POST or None, lines=lines, items=items)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        supplier = None
        if d["method"] == Method.SINGLE and d["single_supplier"]:
            supplier = orgs.org_named(d["single_supplier"].strip())
            if supplier is None:
                form.add_error("single_supplier", _("No live organisation of that name."))
        if not form.errors:
            try:
                project = services.create_project(
                    actor=request.user, budget_line_id=d["budget_line_id"], item_id=d["item_id"],
                    title=d["title"], method=d["method"], budget_fen=to_fen(d["budget_yuan"]),
                    method_reason=d["method_reason"], description=d["description"],
                    single_supplier_id=supplier, legal_person_only=d["legal_person_only"],
                    min_grade=d["min_grade"])
            except BusinessError as exc:
                form.add_error(None, str(exc.message))
            else:
                messages.success(request, _("Project %(n)s was created as a draft.")
                                 % {"n": project.number})
                return redirect("procurement:project", project.number)
    return render(request, "procurement/new_project.html", {"form": form})


def _detail(request: HttpRequest, project: Project) -> dict[str, Any]:
    user = request.user
    bids = list(project.bids.select_related("org").order_by("rank", "id"))
    members = list(project.evaluators.order_by("id"))
    criteria = list(project.criteria.order_by("seq"))
    bidders = [(b.org_id, b.org.name) for b in bids]
    contract = Contract.objects.filter(project=project).select_related("org").first()
    milestones = []
    if contract is not None:
        for m in contract.milestones.order_by("seq"):
            milestones.append((m, MILESTONE.allowed(user, m),
                               sum(p.amount_fen for p in m.payments.all())))
    sitting = [m for m in members if m.declared_on and not m.conflicts]
    scored = set(Score.objects.filter(bid__project=project).values_list("evaluator_id",
                                                                         "bid_id"))
    return {
        "project": project, "bids": bids, "members": members, "criteria": criteria,
        "enquiries": list(project.enquiries.select_related("org").order_by("asked_on", "id")),
        "complaints": list(project.complaints.select_related("org").order_by("filed_on", "id")),
        "contract": contract, "milestones": milestones,
        "payments": list(contract.payments.select_related("milestone")) if contract else [],
        "changes": list(contract.changes.all()) if contract else [],
        "performance": getattr(contract, "performance", None) if contract else None,
        "steps": [(a, PROJECT.action_label(a)) for a in PROJECT.allowed(user, project)],
        "contract_steps": CONTRACT.allowed(user, contract) if contract else [],
        "can_buy": authz.has_perm(user, Perm.BUY, project.area_code),
        "can_pay": authz.has_perm(user, Perm.PAY, project.area_code),
        "can_evaluate": authz.has_perm(user, Perm.EVALUATE, project.area_code),
        "criteria_form": CriteriaForm(), "publish_form": PublishForm(),
        "evaluator_form": EvaluatorForm(),
        "declare_forms": [(m, DeclareForm(bidders=bidders, initial={"evaluator_id": m.pk}))
                          for m in members if m.declared_on is None],
        "to_score": [(m, b) for m in sitting for b in bids
                     if (m.pk, b.pk) not in scored and b.state == "submitted"],
        "cancel_form": CancelForm(), "sign_form": SignForm(initial=_sign_initial(project, bids)),
        "change_form": ChangeForm(), "text_form": TextForm(),
        "performance_form": PerformanceForm(),
        "open_complaints": [c for c in project.complaints.all()
                            if c.state == ComplaintState.OPEN],
    }


def _sign_initial(project: Project, bids: list[Any]) -> dict[str, Any]:
    """A starting point for the contract form: a year from today, paid in two halves."""
    won = next((b for b in bids if b.state == "won"), None)
    if won is None:
        return {}
    start = timezone.localdate()
    mid, end = start + timedelta(days=182), start + timedelta(days=364)
    half = won.price_fen // 2
    return {"starts_on": start, "ends_on": end, "milestones": (
        f"中期, 服务台账与中期报告, {mid.isoformat()}, {Decimal(half) / 100}\n"
        f"结项, 服务台账与结项报告, {end.isoformat()}, {Decimal(won.price_fen - half) / 100}")}


def project(request: HttpRequest, number: str) -> HttpResponse:
    item = selectors.project(user=request.user, number=number)
    return render(request, "procurement/project.html", _detail(request, item))


@require_POST
def act(request: HttpRequest, number: str) -> HttpResponse:
    """Every step on a project's page posts here with ``op``; a refusal comes back as a
    message naming the rule, and nothing is saved."""
    user, post, op = request.user, request.POST, request.POST.get("op", "")
    f: Any
    item = selectors.project(user=user, number=number)
    back = ("procurement:project", number)

    def run(done: str, step: Any) -> HttpResponse:
        return attempt(request, done, step, *back)

    def invalid() -> HttpResponse:
        messages.error(request, _("Check the form: some fields are missing or wrong."))
        return redirect(*back)

    if op == "criteria":
        criteria_form = CriteriaForm(post)
        if not criteria_form.is_valid():
            return invalid()
        try:
            parsed = criteria_form.parsed()
        except Exception:
            return invalid()
        return run(_("The evaluation criteria were saved."),
                   lambda: services.set_criteria(actor=user, number=number, criteria=parsed))
    if op == "publish":
        f = PublishForm(post)
        if not f.is_valid():
            return invalid()
        return run(_("The project was published."), lambda: services.publish(
            actor=user, number=number, bid_deadline=f.cleaned_data["bid_deadline"]))
    if op == "close":
        return run(_("Bidding was closed; the evaluation is open."),
                   lambda: services.close(actor=user, number=number))
    if op == "evaluator":
        f = EvaluatorForm(post)
        if not f.is_valid():
            return invalid()
        return run(_("The committee member was added."), lambda: services.add_evaluator(
            actor=user, number=number, **f.cleaned_data))
    if op == "declare":
        bidders = [(b.org_id, "") for b in item.bids.all()]
        f = DeclareForm(post, bidders=bidders)
        if not f.is_valid():
            return invalid()
        d = f.cleaned_data
        return run(_("The declaration was recorded."), lambda: services.declare_interest(
            actor=user, evaluator_id=d["evaluator_id"], conflicts=d["conflicts"], note=d["note"]))
    if op == "score":
        try:
            evaluator_id, bid_id = int(post["evaluator_id"]), int(post["bid_id"])
            points = {c.pk: int(post[f"c{c.pk}"]) for c in item.criteria.all()}
        except (KeyError, ValueError):
            return invalid()
        return run(_("The scores were recorded."), lambda: services.enter_scores(
            actor=user, number=number, evaluator_id=evaluator_id, bid_id=bid_id, points=points))
    if op == "award":
        return run(_("The award notice was issued."),
                   lambda: services.award(actor=user, number=number))
    if op == "cancel":
        f = CancelForm(post)
        if not f.is_valid():
            return invalid()
        return run(_("The project was cancelled."), lambda: services.cancel(
            actor=user, number=number, reason=f.cleaned_data["reason"]))
    if op == "answer":
        f = TextForm(post)
        if not f.is_valid() or not post.get("enquiry_id", "").isdigit():
            return invalid()
        return run(_("The answer was published."), lambda: services.answer(
            actor=user, enquiry_id=int(post["enquiry_id"]), answer=f.cleaned_data["text"]))
    if op == "answer_complaint":
        f = TextForm(post)
        if not f.is_valid() or not post.get("complaint_id", "").isdigit():
            return invalid()
        return run(_("The answer to the question was recorded."), lambda: services.answer_complaint(
            actor=user, complaint_id=int(post["complaint_id"]), answer_=f.cleaned_data["text"],
            upheld=post.get("upheld") == "1"))
    if op == "sign":
        f = SignForm(post)
        if not f.is_valid():
            return invalid()
        try:
            milestones = f.parsed()
        except Exception:
            return invalid()
        d = f.cleaned_data
        return run(_("The contract was signed."), lambda: services.sign_contract(
            actor=user, number=number, starts_on=d["starts_on"], ends_on=d["ends_on"],
            term_reason=d["term_reason"], milestones=milestones))
    contract = Contract.objects.filter(project=item).first()
    if contract is None:
        raise NotFound()
    if op in ("deliver", "accept"):
        if not post.get("milestone_id", "").isdigit():
            return invalid()
        mid = int(post["milestone_id"])
        if op == "deliver":
            note = post.get("note", "").strip() or _("Delivered as agreed.")
            return run(_("The delivery was recorded."), lambda: services.deliver(
                actor=user, contract_id=contract.pk, milestone_id=mid, note=note))
        return run(_("The milestone was accepted."), lambda: services.accept(
            actor=user, contract_id=contract.pk, milestone_id=mid))
    if op == "pay":
        f = PaymentForm(post)
        if not f.is_valid():
            return invalid()
        d = f.cleaned_data
        return run(_("The payment was recorded."), lambda: services.pay(
            actor=user, contract_id=contract.pk, milestone_id=d["milestone_id"],
            amount_fen=to_fen(d["amount_yuan"])))
    if op == "change":
        f = ChangeForm(post)
        if not f.is_valid():
            return invalid()
        d = f.cleaned_data
        return run(_("The supplementary contract was recorded."), lambda: services.change(
            actor=user, contract_id=contract.pk, kind="value",
            value_fen=to_fen(d["new_value_yuan"]), reason=d["reason"]))
    if op == "terminate":
        f = TextForm(post)
        if not f.is_valid():
            return invalid()
        return run(_("The contract was terminated."), lambda: services.terminate(
            actor=user, contract_id=contract.pk, reason=f.cleaned_data["text"]))
    if op == "complete":
        return run(_("The contract was completed."),
                   lambda: services.complete(actor=user, contract_id=contract.pk))
    if op == "performance":
        f = PerformanceForm(post)
        if not f.is_valid():
            return invalid()
        return run(_("The performance evaluation was recorded."),
                   lambda: services.evaluate_performance(actor=user, contract_id=contract.pk,
                                                         **f.cleaned_data))
    return invalid()


# -- dashboard ------------------------------------------------------------------------------

DIMENSIONS = ("year", "category", "buyer", "supplier")


def _yuan_int(fen: int) -> int:
    return fen // 100


def dashboard_data(user: Any, year: int | None) -> dict[str, Any]:
    figures = {by: selectors.spending(by=by, user=user, year=None if by == "year" else year,
                                      limit=15 if by == "supplier" else None)
               for by in DIMENSIONS}
    titles = {"year": _("Contract value by year"), "category": _("Contract value by category"),
              "buyer": _("Contract value by buyer"),
              "supplier": _("Contract value by supplier (top 15)")}
    labels = {"year": _("Year"), "category": _("Category"), "buyer": _("Buyer"),
              "supplier": _("Supplier")}
    charts = {by: Chart(id=f"procurement-{by}", title=titles[by], kind="bar" if by == "year"
                        else "hbar", category_label=labels[by],
                        categories=[f.label for f in figures[by]],
                        series=[Series(_("Contract value (yuan)"),
                                       [_yuan_int(f.value_fen) for f in figures[by]])])
              for by in DIMENSIONS}
    return {"figures": figures, "charts": charts, "labels": labels,
            "total": selectors.totals(user=user, year=year),
            "projects": selectors.projects_count(user=user, year=year)}


def dashboard(request: HttpRequest) -> HttpResponse:
    authz.check(request.user, Perm.STATS)
    year = year_param(request)
    return render(request, "procurement/dashboard.html", {
        **dashboard_data(request.user, year), "year": year, "years": years()})


def dashboard_xlsx(request: HttpRequest) -> HttpResponse:
    authz.check(request.user, Perm.STATS)
    year = year_param(request)
    data = dashboard_data(request.user, year)
    header = [_("Contracts"), _("Contract value (yuan)"), _("Paid (yuan)")]
    sheets = [Sheet(str(data["labels"][by]), [str(data["labels"][by]), *map(str, header)],
                    [[f.label, f.contracts, Decimal(f.value_fen) / 100, Decimal(f.paid_fen) / 100]
                     for f in data["figures"][by]]) for by in DIMENSIONS]
    body = workbook(*sheets)
    response = HttpResponse(body, content_type="application/vnd.openxmlformats-officedocument."
                                               "spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="procurement-{year or "all"}.xlsx"'
    return response
