"""The organisation's own pages (``zuzhi``): open tenders, its bids, enquiries and
questions, its contracts and the milestones it delivers."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from shequ import authz
from shequ.core.errors import BusinessError, Forbidden
from shequ.orgs import facade as orgs
from shequ.procurement import selectors, services
from shequ.procurement.enums import Perm
from shequ.procurement.forms import BidForm, TextForm, to_fen
from shequ.procurement.lifecycles import MILESTONE
from shequ.procurement.models import Contract, State
from shequ.procurement.views._util import attempt


def _org(request: HttpRequest) -> tuple[int, str]:
    authz.check(request.user, Perm.BID)
    mine = orgs.orgs_of_user(request.user)
    if not mine:
        raise Forbidden(_("Your account does not act for an organisation yet."))
    brief = orgs.briefs(mine[:1], grades=False)[mine[0]]
    return brief.org_id, brief.name


def portal(request: HttpRequest) -> HttpResponse:
    org_id, name = _org(request)
    today = timezone.localdate()
    bid_on = set(selectors.bids_of([org_id]).values_list("project_id", flat=True))
    tenders = [(p, p.pk in bid_on) for p in selectors.open_tenders(on=today)[:50]]
    contracts = []
    for c in selectors.contracts_of([org_id])[:20]:
        contracts.append((c, [(m, MILESTONE.allowed(request.user, m))
                              for m in c.milestones.order_by("seq")]))
    return render(request, "procurement/portal.html", {
        "org_name": name, "tenders": tenders, "bids": selectors.bids_of([org_id])[:20],
        "contracts": contracts})


def tender(request: HttpRequest, number: str) -> HttpResponse:
    org_id, name = _org(request)
    item = selectors.public_project(number)
    mine = item.bids.filter(org_id=org_id).first()
    form = BidForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.submit_bid(actor=request.user, number=number, org_id=org_id,
                                price_fen=to_fen(form.cleaned_data["price_yuan"]),
                                proposal=form.cleaned_data["proposal"])
        except BusinessError as exc:
            form.add_error(None, str(exc.message))
        else:
            messages.success(request, _("Your bid was submitted."))
            return redirect("procurement:tender", number)
    today = timezone.localdate()  # past the deadline the form would only be refused
    receiving = item.state == State.TENDERING and not (item.bid_deadline and today > item.bid_deadline)
    return render(request, "procurement/tender.html", {
        "project": item, "org_name": name, "bid": mine, "form": form, "receiving": receiving,
        "text_form": TextForm(), "criteria": list(item.criteria.order_by("seq")),
        "enquiries": list(item.enquiries.order_by("asked_on", "id")),
        "complaints": list(item.complaints.filter(org_id=org_id))})


@require_POST
def tender_act(request: HttpRequest, number: str) -> HttpResponse:
    org_id, _name = _org(request)
    form = TextForm(request.POST)
    op = request.POST.get("op", "")
    if not form.is_valid():
        messages.error(request, _("Write your text first."))
        return redirect("procurement:tender", number)
    text = form.cleaned_data["text"]
    if op == "ask":
        return attempt(request, _("Your enquiry was sent."), lambda: services.ask(
            actor=request.user, number=number, org_id=org_id, question=text),
            "procurement:tender", number)
    if op == "complain":
        return attempt(request, _("Your written question was filed."), lambda:
                       services.file_complaint(actor=request.user, number=number,
                                               org_id=org_id, text_=text),
                       "procurement:tender", number)
    if op == "deliver":
        contract = Contract.objects.filter(project__number=number, org_id=org_id).first()
        mid = request.POST.get("milestone_id", "")
        if contract is None or not mid.isdigit():
            raise Forbidden()
        return attempt(request, _("The delivery was reported."), lambda: services.deliver(
            actor=request.user, contract_id=contract.pk, milestone_id=int(mid), note=text),
            "procurement:portal")
    messages.error(request, _("Unknown step."))
    return redirect("procurement:tender", number)
