"""Pages: the election committee's (set-up, roll, nominations, tally entry, results),
the voter's (am I on the roll, where do I vote) and the public announcements.

Views only translate: forms give the input's shape, services decide, selectors read.
Buttons come from the lifecycle (``ELECTION.allowed``) and the windows of the changes
that are not steps, so a page never offers what the service would refuse.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from shequ import authz
from shequ.core.errors import BusinessError, NotFound
from shequ.core.paging import MAX_LIMIT, keyset
from shequ.elections import selectors, services
from shequ.elections.enums import Code, Perm
from shequ.elections.forms import (
    STANDARD_POSTS,
    CheckForm,
    DecisionForm,
    ElectionForm,
    NominationForm,
    ObjectionForm,
    ProxyForm,
    StationForm,
    StepForm,
    TallyForm,
    VoterForm,
    WithdrawForm,
)
from shequ.elections.lifecycles import (
    CANDIDATE,
    ELECTION,
    IRREVERSIBLE,
    OBJECTION,
    windows_open,
)
from shequ.elections.models import Action, Candidate, Election, Kind, Objection, Station
from shequ.elections.rules import profile_label, profile_of

# Steps the set-up page offers; count and announce sit on the tally and results pages,
# a re-count on the tally page (it needs the station's figures).
DETAIL_STEPS = (Action.PUBLISH_ROLL, Action.OPEN_NOMINATIONS, Action.ANNOUNCE_CANDIDATES,
                Action.OPEN_POLLING, Action.CLOSE_POLLING, Action.START_SUPPLEMENTARY,
                Action.CANCEL)
CONSEQUENCES = {
    Action.CANCEL: gettext_lazy("Cancelling ends the election for good: the roll closes and the election "
                     "cannot be resumed; a new one must be set up."),
    Action.CLOSE_POLLING: gettext_lazy("Closing polling ends voting at every polling station and mobile "
                            "ballot box; no ballot can be cast afterwards."),
    Action.ANNOUNCE: gettext_lazy("Announcing makes the result final: the new committee is recorded, and "
                       "the result can afterwards be corrected only by an audited re-count."),
}


def _back(request: HttpRequest, url: str, error: BusinessError | None = None) -> HttpResponse:
    if error is not None:
        source = error.details.get("source") or error.details.get("citation")
        cite = f"（{source}）" if error.details.get("rule") and source else ""
        messages.error(request, f"{error.message}{cite}")
    return redirect(url)


def _invalid(request: HttpRequest, url: str, form: forms.Form) -> HttpResponse:
    """A form whose shape is wrong: each field's problem, in the user's language."""
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        for error in errors:
            messages.error(request, f"{label}：{error}" if label else str(error))
    return redirect(url)


def _election(request: HttpRequest, pk: int) -> Election:
    """A committee page's election: anonymous visitors are sent to sign in first (the
    public pages are elsewhere); an election outside the user's scope is not found."""
    authz.check(request.user, Perm.VIEW)
    return selectors.get_election(user=request.user, election_id=pk)


def _context(request: HttpRequest, e: Election) -> dict[str, Any]:
    return {"e": e, "tab": request.resolver_match.url_name if request.resolver_match else "",
            "steps": ELECTION.allowed(request.user, e), "may": windows_open(request.user, e),
            "registered": e.voters.filter(removed=False).count()}


# ------------------------------------------------------------------ committee pages


def index(request: HttpRequest) -> HttpResponse:
    authz.check(request.user, Perm.VIEW)
    url = reverse("elections:index")
    if request.method == "POST":
        form = ElectionForm(request.POST)
        if not form.is_valid():
            return _invalid(request, url, form)
        try:
            e = services.create_election(
                actor=request.user, community_code=form.cleaned_data["community_code"].strip(),
                voting_day=form.cleaned_data["voting_day"], mode=form.cleaned_data["mode"],
                posts=form.posts(), name=form.cleaned_data["name"],
                stations=form.cleaned_data["stations"])
        except BusinessError as exc:
            return _back(request, url, exc)
        messages.success(request, _("Election set up."))
        return redirect("elections:detail", e.pk)
    return render(request, "elections/index.html", {
        "page": keyset(selectors.elections(user=request.user), cursor=request.GET.get("cursor")),
        "form": ElectionForm(), "standard_posts": STANDARD_POSTS,
        "can_set_up": authz.has_perm(request.user, Perm.MANAGE),
    })


def detail(request: HttpRequest, pk: int) -> HttpResponse:
    e = _election(request, pk)
    context = _context(request, e)
    return render(request, "elections/detail.html", context | {
        "timeline": selectors.timeline(e),
        "profile": profile_of(e), "profile_label": profile_label(profile_of(e)),
        "rules": selectors.rules_in_words(
            profile_of(e), selectors.RECALL_RULES if e.kind == Kind.RECALL else None),
        "actions": [(a, Action(a).label) for a in context["steps"] if a in DETAIL_STEPS],
        "station_form": StationForm(),
    })


@require_POST
def step(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    form = StepForm(request.POST)
    nxt = form.data.get("next", "")
    url = nxt if str(nxt).startswith(f"/elections/{pk}/") else reverse("elections:detail", args=[pk])
    if not form.is_valid():
        return _invalid(request, url, form)
    if action in IRREVERSIBLE and not form.cleaned_data["confirm"]:
        e = _election(request, pk)
        refused = ELECTION.refusal(request.user, e, action)
        if refused is not None:
            return _back(request, url, refused)
        return render(request, "elections/confirm.html", {
            "e": e, "action": action, "label": Action(action).label,
            "consequence": CONSEQUENCES[Action(action)], "next": url})
    try:
        services.transition(actor=request.user, election_id=pk, action=action)
    except BusinessError as exc:
        return _back(request, url, exc)
    messages.success(request, _("Done."))
    return redirect(url)


@require_POST
def add_station(request: HttpRequest, pk: int) -> HttpResponse:
    url = reverse("elections:detail", args=[pk])
    form = StationForm(request.POST)
    if not form.is_valid():
        return _invalid(request, url, form)
    try:
        services.add_station(actor=request.user, election_id=pk, **form.cleaned_data)
    except BusinessError as exc:
        return _back(request, url, exc)
    return redirect(url)


ROLL_FORMS: dict[str, type[forms.Form]] = {"build": forms.Form, "add": VoterForm,
                                           "objection": ObjectionForm, "decide": DecisionForm,
                                           "proxy": ProxyForm}


def _roll_post(request: HttpRequest, pk: int, what: str, data: dict[str, Any]) -> None:
    if what == "build":
        counts = services.build_roll(actor=request.user, election_id=pk)
        messages.success(request, _("%(added)d voters added; %(on_other_roll)d already on "
                                    "another roll.") % counts)
    elif what == "add":
        services.add_voter(actor=request.user, election_id=pk, **data)
        messages.success(request, _("Voter added."))
    elif what == "objection":
        services.file_objection(actor=request.user, election_id=pk, **data)
        messages.success(request, _("Objection recorded."))
    elif what == "decide":
        services.decide_objection(actor=request.user, **data)
        messages.success(request, _("Decision recorded."))
    else:
        services.register_proxy(actor=request.user, election_id=pk, **data)
        messages.success(request, _("Proxy registered."))


def roll(request: HttpRequest, pk: int) -> HttpResponse:
    e = _election(request, pk)
    url = reverse("elections:roll", args=[pk])
    if request.method == "POST":
        what = request.POST.get("what", "")
        if what not in ROLL_FORMS:
            messages.error(request, _("Unknown form."))
            return redirect(url)
        form = ROLL_FORMS[what](request.POST)
        if not form.is_valid():
            return _invalid(request, url, form)
        try:
            _roll_post(request, pk, what, form.cleaned_data)
        except BusinessError as exc:
            return _back(request, url, exc)
        return redirect(url)
    objections = list(e.objections.select_related("voter", "resident"))
    for o in objections:
        o.election = e
    return render(request, "elections/roll.html", _context(request, e) | {
        "page": keyset(selectors.roll(e), cursor=request.GET.get("cursor"), limit=MAX_LIMIT),
        "objections": objections,
        "decidable": {o.pk for o in objections
                      if OBJECTION.can(request.user, o, Objection.Action.UPHOLD)},
        "proxies": e.proxies.select_related("principal", "proxy"),
        "timeline": selectors.timeline(e), "voter_form": VoterForm(),
        "can_print": authz.has_perm(request.user, Perm.MANAGE, e.area_code),
        "objection_form": ObjectionForm(), "proxy_form": ProxyForm(),
        "decisions": DecisionForm().fields["decision"].choices,  # type: ignore[attr-defined]
    })


def nominations(request: HttpRequest, pk: int) -> HttpResponse:
    e = _election(request, pk)
    url = reverse("elections:nominations", args=[pk])
    if request.method == "POST":
        withdrawing = request.POST.get("what") == "withdraw"
        form = WithdrawForm(request.POST) if withdrawing else NominationForm(request.POST)
        if not form.is_valid():
            return _invalid(request, url, form)
        data = form.cleaned_data
        try:
            if withdrawing:
                services.withdraw(actor=request.user, **data)
            else:
                cand = services.nominate(actor=request.user, election_id=pk, post=data["post"],
                                         candidate_id=data["candidate_id"],
                                         nominator_ids=data["nominators"],
                                         statement=data["statement"],
                                         relative_ids=data.get("relatives") or [])
                left = getattr(cand, "relatives_left", [])
                if left:
                    messages.info(request, _("Near-relative avoidance: %(names)s left the election "
                                             "committee.") % {"names": "、".join(left)})
            messages.success(request, _("Saved."))
        except BusinessError as exc:
            return _back(request, url, exc)
        return redirect(url)
    cands = list(selectors.candidates(e))
    for c in cands:
        c.election = e
    return render(request, "elections/nominations.html", _context(request, e) | {
        "candidates": cands, "posts": e.posts.all(),
        "withdrawable": {c.pk for c in cands
                         if CANDIDATE.can(request.user, c, Candidate.Action.WITHDRAW)},
        "voters": e.voters.filter(removed=False).order_by("name", "pk").only("pk", "name"),
        "pickers": _pickers(e),
        "committee": selectors.election_committee(e.area_code),
    })


def _pickers(e: Election) -> list[dict[str, Any]]:
    """The roll for the nominee picker, women first: name, sex and age on voting day, so
    the women's seat is filled from the women on the roll."""
    day = e.voting_day
    rows = (e.voters.filter(removed=False).order_by("name", "pk")
            .values_list("pk", "name", "sex", "resident__birth_date"))
    groups: dict[str, list[dict[str, Any]]] = {"F": [], "M": []}
    for pk, name, sex, b in rows:
        age = day.year - b.year - ((day.month, day.day) < (b.month, b.day))
        groups["F" if sex == "F" else "M"].append(
            {"pk": pk, "label": _("%(name)s (%(sex)s, %(age)d)") % {
                "name": name, "sex": _("female") if sex == "F" else _("male"), "age": age}})
    return [{"label": _("Women"), "sex": "F", "voters": groups["F"]},
            {"label": _("Men"), "sex": "M", "voters": groups["M"]}]


def _ballot_rows(ballot: list[dict[str, Any]], tally: dict[str, Any] | None) -> list[dict[str, Any]]:
    """The ballot with each input's value: zeros for a new entry, the confirmed figures
    when re-counting (so only what the sheet corrects needs typing)."""
    posts = (tally or {}).get("posts", {})
    out = []
    for p in ballot:
        post = posts.get(p["post"], {})
        rows = []
        for i, name in enumerate(p["candidates"]):
            v = post.get("votes", {}).get(name, 0)
            marks = v if isinstance(v, dict) else {"for": v, "against": 0, "abstain": 0}
            rows.append((i, name, marks.get("for", 0), marks.get("against", 0),
                         marks.get("abstain", 0)))
        writes = "\n".join(f"{n} {c}" for n, c in post.get("write_ins", {}).items())
        out.append({**p, "indexed": rows, "invalid": post.get("invalid", 0), "writes": writes})
    return out


def _station(e: Election, raw: str | None) -> Station | None:
    return e.stations.filter(pk=int(raw)).first() if raw and raw.isdigit() else None


def tally_entry(request: HttpRequest, pk: int) -> HttpResponse:
    e = _election(request, pk)
    station = _station(e, request.GET.get("station") or request.POST.get("station"))
    context = _context(request, e)
    recounting = Action.RECOUNT in context["steps"] and station is not None
    raw_round = request.GET.get("round") or request.POST.get("round") or ""
    round_no = min(max(int(raw_round) if raw_round.isdigit() else e.round, 1), e.round)
    ballot = selectors.ballot(e, round_no if recounting else None)
    url = reverse("elections:tally", args=[pk])
    if request.method == "POST" and station is not None and request.POST.get("what") == "settle":
        return _settle(request, e, station, f"{url}?station={station.pk}")
    if request.method == "POST" and station is not None:
        back = f"{url}?station={station.pk}" + (f"&round={round_no}" if recounting else "")
        form = TallyForm(ballot, request.POST)
        if not form.is_valid():
            return _invalid(request, back, form)
        sheet, reason = form.cleaned_data["sheet"], form.cleaned_data["reason"]
        what = request.POST.get("what")
        try:
            if what == "recount":
                result = services.recount(actor=request.user, election_id=pk,
                                          station_id=station.pk, data=sheet, round_no=round_no,
                                          reason=reason)
                messages.success(request, _("Re-counted: result version %(v)d. Announce it again.")
                                 % {"v": result.version})
                return redirect(reverse("elections:results", args=[pk]))
            if what == "resolve":
                services.resolve_tally(actor=request.user, election_id=pk, station_id=station.pk,
                                       data=sheet, reason=reason)
                messages.success(request, _("Difference resolved; the tally is confirmed."))
            else:
                out = services.enter_tally(actor=request.user, election_id=pk,
                                           station_id=station.pk, data=sheet)
                messages.success(request, {
                    "first_entry": _("First entry saved; a second person must enter the same "
                                     "sheet."),
                    "confirmed": _("Both entries agree: the tally is confirmed."),
                    "differs": _("The two entries differ; see the differences below."),
                }[out["status"]])
        except BusinessError as exc:
            return _back(request, back, exc)
        return redirect(f"{url}?station={station.pk}")
    rows = selectors.station_status(e)
    current = next((r for r in rows if station and r["station"].pk == station.pk), None)
    tally = selectors.current_tally(e, station.pk, round_no) if recounting and station else None
    count_refused = ELECTION.refusal(request.user, e, Action.COUNT)
    return render(request, "elections/tally.html", context | {
        "rows": rows, "station": station, "current": current,
        "ballot": _ballot_rows(ballot, tally), "recounting": recounting, "round_no": round_no,
        "rounds": list(range(1, e.round + 1)), "tally": tally,
        "can_count": count_refused is None,
        "count_shown": count_refused is None or count_refused.code == Code.TALLIES_MISSING,
        "count_refused": count_refused,
    })


def _settle(request: HttpRequest, e: Election, station: Station, back: str) -> HttpResponse:
    """Resolve a difference field by field: the officer types only the checked figure of
    each field where the two entries differ (``f:<field>``), and how it was checked."""
    fields: dict[str, Any] = {}
    for key in request.POST:
        if not key.startswith("f:"):
            continue
        value = str(request.POST.get(key, "")).strip()
        if not value.isdigit() or len(value) > 7:
            messages.error(request, _("Enter the checked figure of each differing field as a "
                                      "whole number from 0 to 9,999,999."))
            return redirect(back)
        fields[key[2:]] = int(value)
    try:
        services.resolve_tally(actor=request.user, election_id=e.pk, station_id=station.pk,
                               fields=fields, reason=request.POST.get("reason", ""))
    except BusinessError as exc:
        return _back(request, back, exc)
    messages.success(request, _("Difference resolved; the tally is confirmed."))
    return redirect(back)


def results(request: HttpRequest, pk: int) -> HttpResponse:
    e = _election(request, pk)
    res = selectors.latest_result(e)
    return render(request, "elections/results.html", _context(request, e) | {
        "result": res, "r": selectors.result_in_words(res.result, e) if res else None,
        "versions": e.results.order_by("-version"),
    })


def _pdf(content: bytes, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{name}.pdf"'
    return response


def announcement_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    from shequ.elections import documents

    try:
        e = selectors.get_election(user=request.user, election_id=pk)
    except BusinessError:
        e = selectors.public_election(pk)
        if selectors.announced_result(e) is None:
            raise
    return _pdf(documents.announcement(e, request.user), f"election-{e.pk}")


def roll_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """选民榜, for the notice board: staff of the community only."""
    from shequ.elections import documents

    e = _election(request, pk)
    authz.check(request.user, Perm.MANAGE, e.area_code)
    return _pdf(documents.roll(e, request.user), f"election-{e.pk}-roll")


def roll_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    """The roll as an Excel workbook (staff of the community)."""
    from shequ.core.excel import Sheet, workbook

    e = _election(request, pk)
    authz.check(request.user, Perm.MANAGE, e.area_code)
    voters = selectors.roll(e).select_related("station").order_by("pk")
    rows = ([i, v.name, _("female") if v.sex == "F" else _("male") if v.sex == "M" else "",
             v.get_basis_display(), v.reason, v.group, v.station.name if v.station else "",
             v.confirmed_on] for i, v in enumerate(voters.iterator(chunk_size=1000), start=1))
    content = workbook(Sheet(_("Roll"), [_("No."), _("Name"), _("Sex"), _("Basis"), _("Reason"),
                                         _("Residents' group"), _("Polling station"),
                                         _("Confirmed by the election committee on")],
                             rows, [6, 14, 6, 30, 30, 14, 16, 14]))
    response = HttpResponse(content, content_type="application/vnd.openxmlformats-officedocument"
                                                  ".spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="election-{e.pk}-roll.xlsx"'
    return response


def voter_card_pdf(request: HttpRequest, pk: int, voter_id: int) -> HttpResponse:
    from shequ.elections import documents

    e = _election(request, pk)
    authz.check(request.user, Perm.MANAGE, e.area_code)
    voter = e.voters.filter(pk=voter_id, removed=False).select_related("station", "election").first()
    if voter is None:
        raise NotFound(_("No such voter on this roll."), code=Code.RESIDENT_NOT_FOUND)
    return _pdf(documents.voter_card(voter, request.user), f"election-{e.pk}-voter-{voter.pk}")


def coverage(request: HttpRequest, code: str) -> HttpResponse:
    """Direct-election coverage against the province's target, and the turnout of the
    latest announced elections as a chart with its table."""
    from shequ.core.charts import Chart, Series

    authz.check(request.user, Perm.VIEW, code)
    c = selectors.coverage(code)
    turnout = selectors.turnouts(code)
    chart = Chart(id="turnout", title=_("Turnout of the latest elections"),
                  categories=[name for name, _share in turnout],
                  series=[Series(_("Turnout"), [Decimal(share) for _name, share in turnout])],
                  kind="hbar", category_label=_("Election"), percent=True,
                  fmt=lambda v: "—" if v is None else f"{Decimal(v) * 100:.1f}%") if turnout else None
    levels = [("streets", _("Streets"), c["streets"]), ("districts", _("Districts"), c["districts"]),
              ("provinces", _("Province"), c["provinces"])]
    return render(request, "elections/coverage.html", {"c": c, "chart": chart, "levels": levels})


# ------------------------------------------------------------------ voters and public


def check(request: HttpRequest) -> HttpResponse:
    voter = None
    asked = False
    form = CheckForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        asked = True
        voter = selectors.my_registration(form.cleaned_data["identity_number"].strip())
    return render(request, "elections/check.html", {"voter": voter, "asked": asked, "form": form})


def public(request: HttpRequest) -> HttpResponse:
    return render(request, "elections/public.html", {
        "page": keyset(selectors.public_elections(), cursor=request.GET.get("cursor"))})


def public_detail(request: HttpRequest, pk: int) -> HttpResponse:
    e = selectors.public_election(pk)
    res = selectors.announced_result(e)
    return render(request, "elections/public_detail.html", {
        "e": e, "candidates": selectors.formal_candidates(e),
        "result": res, "r": selectors.result_in_words(res.result, e) if res else None,
        "stations": e.stations.all(),
        "roll": keyset(e.voters.filter(removed=False).select_related("station")
                       .order_by("name", "pk"), cursor=request.GET.get("cursor"), limit=MAX_LIMIT),
        "registered": selectors.registered_voters(e),
        "proxies": e.proxies.select_related("principal", "proxy"),
    })
