"""Pages of linkage: the community's needs with ranked, explained candidates; an
organisation's (or a social worker's) invitations; social workers' profiles."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from shequ import authz
from shequ.areas.models import Area, Level
from shequ.core import paging
from shequ.core.errors import BusinessError, NotFound
from shequ.linkage import explain, selectors, services
from shequ.linkage.enums import Perm
from shequ.linkage.forms import EngagementStepForm, InviteForm, NeedForm, WorkerForm
from shequ.linkage.lifecycles import ENGAGEMENT, NEED
from shequ.linkage.models import NeedState
from shequ.orgs import facade as orgs
from shequ.people import facade as people


def _communities(user: Any) -> list[tuple[str, str]]:
    qs = Area.objects.filter(authz.scope_q(user, Perm.POST, "code"), level=Level.COMMUNITY,
                             valid_to__isnull=True).select_related("parent").order_by("code")
    return [(a.code, f"{a.parent.name if a.parent else ''} {a.name}".strip()) for a in qs]


def _steps(cycle: Any, user: Any, obj: Any) -> list[tuple[str, str]]:
    return [(a, cycle.action_label(a)) for a in cycle.allowed(user, obj)]


def needs(request: HttpRequest) -> HttpResponse:
    authz.check(request.user, Perm.VIEW)
    state = request.GET.get("state", "")
    qs = selectors.needs(user=request.user, state=state, category=request.GET.get("category", ""))
    page = paging.keyset(qs, cursor=request.GET.get("cursor") or None, limit=50)
    can_post = authz.has_perm(request.user, Perm.POST)
    form = NeedForm(request.POST or None, communities=_communities(request.user)) \
        if can_post else None
    if request.method == "POST" and form is not None and form.is_valid():
        try:
            need = services.post_need(actor=request.user, **form.values())
        except BusinessError as exc:
            form.add_error(None, str(exc.message))
        else:
            messages.success(request, _("The need was posted; here are the providers proposed."))
            return redirect("linkage:need", need.pk)
    return render(request, "linkage/needs.html", {
        "page": page, "state": state, "states": NeedState.choices, "form": form,
        "categories": orgs.CATEGORIES.choices,
    })


def need(request: HttpRequest, need_id: int) -> HttpResponse:
    item = selectors.get_need(user=request.user, need_id=need_id)
    can_invite = authz.has_perm(request.user, Perm.POST, item.area_code) \
        and selectors.need_is_open(item)
    ranked, version = selectors.candidates(item) if can_invite else ([], "")
    engagements = [(e, _steps(ENGAGEMENT, request.user, e), explain.stored_lines(e.explanation))
                   for e in item.engagements.select_related("worker").order_by("invited_on", "id")]
    return render(request, "linkage/need.html", {
        "need": item, "candidates": [(c, explain.lines(c.ranked)) for c in ranked],
        "rules_version": version, "can_invite": can_invite, "engagements": engagements,
        "need_steps": _steps(NEED, request.user, item),
        "category": orgs.category_label(item.category),
    })


@require_POST
def invite(request: HttpRequest, need_id: int) -> HttpResponse:
    form = InviteForm(request.POST)
    if form.is_valid():
        try:
            services.invite(actor=request.user, need_id=need_id, **form.cleaned_data)
        except NotFound:
            raise
        except BusinessError as exc:
            messages.error(request, str(exc.message))
        else:
            messages.success(request, _("Invited."))
    else:
        messages.error(request, _("Some fields are missing or invalid."))
    return redirect("linkage:need", need_id)


@require_POST
def need_act(request: HttpRequest, need_id: int) -> HttpResponse:
    try:
        services.need_step(actor=request.user, need_id=need_id,
                           action=request.POST.get("action", ""))
    except NotFound:
        raise
    except BusinessError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("Done."))
    return redirect("linkage:need", need_id)


@require_POST
def engagement_act(request: HttpRequest, engagement_id: int) -> HttpResponse:
    e = selectors.get_engagement(user=request.user, engagement_id=engagement_id)
    form = EngagementStepForm(request.POST)
    if form.is_valid():
        d = form.cleaned_data
        try:
            services.engagement_step(actor=request.user, engagement_id=e.pk, action=d["action"],
                                     hours=d["hours"] or 0, served=d["served"] or 0,
                                     rating=d["rating"], feedback=d["feedback"] or "",
                                     note=d["note"] or "")
        except NotFound:
            raise
        except BusinessError as exc:
            messages.error(request, str(exc.message))
        else:
            messages.success(request, _("Done."))
    else:
        messages.error(request, _("Some fields are missing or invalid."))
    if request.POST.get("from") == "inbox":
        return redirect("linkage:inbox")
    return redirect("linkage:need", e.need_id)


def inbox(request: HttpRequest) -> HttpResponse:
    authz.check(request.user, Perm.RESPOND)
    rows = [(e, _steps(ENGAGEMENT, request.user, e), explain.stored_lines(e.explanation))
            for e in selectors.invitations(user=request.user)[:100]]
    return render(request, "linkage/inbox.html", {"rows": rows})


def workers(request: HttpRequest) -> HttpResponse:
    authz.check(request.user, Perm.WORKERS)
    scope = authz.scope_codes(request.user, Perm.WORKERS)
    prefixes = scope if scope is not None else [""]
    available = [w for p in prefixes for w in people.social_workers(area_prefix=p)]
    form = WorkerForm(request.POST or None,
                      workers=[(w.staff_id, f"{w.name} · {w.qualification_label or '—'} · "
                                            f"{w.area_code}") for w in available])
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.save_worker(actor=request.user, staff_id=int(d["staff_id"]),
                                 categories=d["categories"], capacity=d["capacity"],
                                 available=d["available"])
        except BusinessError as exc:
            form.add_error(None, str(exc.message))
        else:
            messages.success(request, _("Saved."))
            return redirect("linkage:workers")
    profiles = list(selectors.workers(user=request.user)[:300])
    names = {w.staff_id: w for w in available}
    return render(request, "linkage/workers.html", {
        "form": form,
        "profiles": [(p, names.get(p.staff_id), [orgs.category_label(c) for c in p.categories])
                     for p in profiles],
    })
