"""Pages: the election committee's (set-up, roll, nominations, tally entry, results),
the voter's (am I on the roll, where do I vote) and the public announcements."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from shequ import authz
from shequ.core.errors import BusinessError
from shequ.elections import selectors, services, states
from shequ.elections.models import Basis, Election, Mode, Objection, Station
from shequ.elections.rules import get_profile

STANDARD_POSTS = [("chair", "主任", 1, False), ("vice_chair", "副主任", 1, False),
                  ("women_member", "妇女委员", 1, True), ("member", "委员", 2, False)]


def _int(value: Any, default: int | None = None) -> int | None:
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        return default


def _back(request: HttpRequest, url: str, error: BusinessError | None = None) -> HttpResponse:
    if error is not None:
        rule = error.details.get("rule")
        cite = f"（{error.details.get('citation')}）" if rule and error.details.get("citation") else ""
        messages.error(request, f"{error.message}{cite}")
    return redirect(url)


# ------------------------------------------------------------------ committee pages


def index(request: HttpRequest) -> HttpResponse:
    authz.check(request.user, selectors.VIEW)
    if request.method == "POST":
        posts = []
        for code, label, seats, women in STANDARD_POSTS:
            n = _int(request.POST.get(f"seats_{code}"), seats) or 0
            if n:
                posts.append({"code": code, "label": label, "seats": n, "women_only": women})
        stations = [{"name": line.strip(), "kind": "mobile" if "流动" in line else "fixed"}
                    for line in request.POST.get("stations", "").splitlines() if line.strip()]
        try:
            e = services.create_election(
                actor=request.user, community_code=request.POST.get("community_code", "").strip(),
                voting_day=date.fromisoformat(request.POST.get("voting_day", "")),
                mode=request.POST.get("mode", Mode.ALL_VOTERS), posts=posts,
                name=request.POST.get("name", "").strip(), stations=stations)
        except ValueError:
            return _back(request, reverse("elections:index"),
                         BusinessError(_("Give the voting day as a date.")))
        except BusinessError as exc:
            return _back(request, reverse("elections:index"), exc)
        messages.success(request, _("Election set up."))
        return redirect("elections:detail", e.pk)
    return render(request, "elections/index.html", {
        "elections": selectors.elections(user=request.user)[:200],
        "modes": Mode.choices, "standard_posts": STANDARD_POSTS,
        "can_manage": authz.has_perm(request.user, services.MANAGE),
    })


def detail(request: HttpRequest, pk: int) -> HttpResponse:
    e = selectors.get_election(user=request.user, election_id=pk)
    return render(request, "elections/detail.html", _context(request, e) | {
        "timeline": selectors.timeline(e),
        "profile": get_profile(e.profile),
        "actions": [(a, states.ACTION_LABELS[a]) for a in states.allowed_actions(e.status)
                    if a in states.SIMPLE_ACTIONS],
    })


def _context(request: HttpRequest, e: Election) -> dict[str, Any]:
    return {"e": e, "tab": request.resolver_match.url_name if request.resolver_match else "",
            "can_manage": authz.has_perm(request.user, services.MANAGE, e.area_code),
            "can_tally": authz.has_perm(request.user, services.TALLY, e.area_code),
            "can_recount": authz.has_perm(request.user, services.RECOUNT, e.area_code),
            "registered": e.voters.filter(removed=False).count()}


@require_POST
def step(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    url = request.POST.get("next") or reverse("elections:detail", args=[pk])
    try:
        if action == "count":
            services.count(actor=request.user, election_id=pk)
        elif action == "announce":
            services.announce(actor=request.user, election_id=pk)
        else:
            services.transition(actor=request.user, election_id=pk, action=action)
    except BusinessError as exc:
        return _back(request, url, exc)
    messages.success(request, _("Done."))
    return redirect(url)


@require_POST
def add_station(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        services.add_station(actor=request.user, election_id=pk, name=request.POST.get("name", ""),
                             kind=request.POST.get("kind", "fixed"), place=request.POST.get("place", ""))
    except BusinessError as exc:
        return _back(request, reverse("elections:detail", args=[pk]), exc)
    return redirect("elections:detail", pk)


def roll(request: HttpRequest, pk: int) -> HttpResponse:
    e = selectors.get_election(user=request.user, election_id=pk)
    url = reverse("elections:roll", args=[pk])
    if request.method == "POST":
        what = request.POST.get("what")
        try:
            if what == "build":
                counts = services.build_roll(actor=request.user, election_id=pk)
                messages.success(request, _("%(added)d voters added; %(on_other_roll)d already on another "
                                            "roll.") % counts)
            elif what == "add":
                services.add_voter(actor=request.user, election_id=pk,
                                   identity_number=request.POST.get("identity_number", "").strip(),
                                   basis=request.POST.get("basis", ""), reason=request.POST.get("reason", ""),
                                   group=request.POST.get("group", ""))
                messages.success(request, _("Voter added."))
            elif what == "objection":
                services.file_objection(actor=request.user, election_id=pk, kind=request.POST.get("kind", ""),
                                        filed_by=request.POST.get("filed_by", ""),
                                        reason=request.POST.get("reason", ""),
                                        voter_id=_int(request.POST.get("voter_id")),
                                        identity_number=request.POST.get("identity_number", "").strip())
                messages.success(request, _("Objection recorded."))
            elif what == "decide":
                services.decide_objection(actor=request.user,
                                          objection_id=_int(request.POST.get("objection_id"), 0) or 0,
                                          decision=request.POST.get("decision", ""),
                                          reason=request.POST.get("reason", ""))
                messages.success(request, _("Decision recorded."))
            elif what == "proxy":
                services.register_proxy(actor=request.user, election_id=pk,
                                        principal_id=_int(request.POST.get("principal_id"), 0) or 0,
                                        proxy_id=_int(request.POST.get("proxy_id"), 0) or 0,
                                        relation=request.POST.get("relation", ""))
                messages.success(request, _("Proxy registered."))
        except BusinessError as exc:
            return _back(request, url, exc)
        return redirect(url)
    voters = list(selectors.roll(e)[:2000])
    return render(request, "elections/roll.html", _context(request, e) | {
        "voters": voters, "objections": e.objections.select_related("voter", "resident"),
        "proxies": e.proxies.select_related("principal", "proxy"), "bases": Basis.choices,
        "objection_kinds": Objection.Kind.choices, "timeline": selectors.timeline(e),
        "relations": get_profile(e.profile).value("proxy_relatives"),
    })


def nominations(request: HttpRequest, pk: int) -> HttpResponse:
    e = selectors.get_election(user=request.user, election_id=pk)
    url = reverse("elections:nominations", args=[pk])
    if request.method == "POST":
        try:
            if request.POST.get("what") == "withdraw":
                services.withdraw(actor=request.user, reason=request.POST.get("reason", ""),
                                  candidate_id=_int(request.POST.get("candidate_id"), 0) or 0)
            else:
                services.nominate(actor=request.user, election_id=pk, post=request.POST.get("post", ""),
                                  candidate_id=_int(request.POST.get("candidate_id"), 0) or 0,
                                  nominator_ids=[i for i in (_int(x) for x in
                                                             request.POST.getlist("nominators"))
                                                 if i is not None],
                                  statement=request.POST.get("statement", ""))
            messages.success(request, _("Saved."))
        except BusinessError as exc:
            return _back(request, url, exc)
        return redirect(url)
    return render(request, "elections/nominations.html", _context(request, e) | {
        "candidates": selectors.candidates(e), "posts": e.posts.all(),
        "voters": e.voters.filter(removed=False).order_by("name")[:2000],
    })


def _tally_from_post(request: HttpRequest, ballot: list[dict[str, Any]]) -> dict[str, Any]:
    posts: dict[str, Any] = {}
    for p in ballot:
        code = p["post"]
        votes: dict[str, Any] = {}
        for i, name in enumerate(p["candidates"]):
            marks = {"for": _int(request.POST.get(f"v:{code}:{i}"), 0),
                     "against": _int(request.POST.get(f"a:{code}:{i}"), 0),
                     "abstain": _int(request.POST.get(f"b:{code}:{i}"), 0)}
            votes[name] = marks if marks["against"] or marks["abstain"] else marks["for"]
        writes: dict[str, int] = {}
        for line in request.POST.get(f"w:{code}", "").splitlines():
            parts = line.replace("：", " ").replace(":", " ").split()
            if len(parts) == 2 and _int(parts[1]) is not None:
                writes[parts[0]] = writes.get(parts[0], 0) + (_int(parts[1], 0) or 0)
        posts[code] = {"invalid": _int(request.POST.get(f"i:{code}"), 0), "votes": votes,
                       "write_ins": writes}
    return {"issued": _int(request.POST.get("issued"), 0), "returned": _int(request.POST.get("returned"), 0),
            "posts": posts}


def _ballot_form(ballot: list[dict[str, Any]], tally: dict[str, Any] | None) -> list[dict[str, Any]]:
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


def tally_entry(request: HttpRequest, pk: int) -> HttpResponse:
    e = selectors.get_election(user=request.user, election_id=pk)
    station: Station | None = e.stations.filter(pk=_int(request.GET.get("station") or
                                                        request.POST.get("station"), 0) or 0).first()
    can_recount = authz.has_perm(request.user, services.RECOUNT, e.area_code)
    recounting = e.status == "announced" and can_recount and station is not None
    round_no = _int(request.GET.get("round") or request.POST.get("round"), e.round) or e.round
    round_no = min(max(round_no, 1), e.round)
    ballot = services.ballot(e, round_no if recounting else None)
    url = reverse("elections:tally", args=[pk])
    if request.method == "POST" and station is not None:
        data = _tally_from_post(request, ballot)
        try:
            if request.POST.get("what") == "recount":
                result = services.recount(actor=request.user, election_id=pk,
                                          station_id=station.pk, data=data, round_no=round_no,
                                          reason=request.POST.get("reason", ""))
                messages.success(request, _("Re-counted: result version %(v)d. Announce it again.")
                                 % {"v": result.version})
                return redirect(reverse("elections:results", args=[pk]))
            if request.POST.get("what") == "resolve":
                services.resolve_tally(actor=request.user, election_id=pk, station_id=station.pk, data=data,
                                       reason=request.POST.get("reason", ""))
                messages.success(request, _("Difference resolved; the tally is confirmed."))
            else:
                out = services.enter_tally(actor=request.user, election_id=pk, station_id=station.pk,
                                           data=data)
                messages.success(request, {
                    "first_entry": _("First entry saved; a second person must enter the same sheet."),
                    "confirmed": _("Both entries agree: the tally is confirmed."),
                    "differs": _("The two entries differ; see the differences below."),
                }[out["status"]])
        except BusinessError as exc:
            back = f"{url}?station={station.pk}" + (f"&round={round_no}" if recounting else "")
            return _back(request, back, exc)
        return redirect(f"{url}?station={station.pk}")
    rows = selectors.station_status(e)
    current = next((r for r in rows if station and r["station"].pk == station.pk), None)
    tally = selectors.current_tally(e, station.pk, round_no) if recounting and station else None
    return render(request, "elections/tally.html", _context(request, e) | {
        "rows": rows, "station": station, "current": current,
        "ballot": _ballot_form(ballot, tally), "recounting": recounting, "round_no": round_no,
        "rounds": list(range(1, e.round + 1)), "tally": tally,
        "all_confirmed": bool(rows) and all(r["status"] == "confirmed" for r in rows),
    })


def results(request: HttpRequest, pk: int) -> HttpResponse:
    e = selectors.get_election(user=request.user, election_id=pk)
    res = selectors.latest_result(e)
    return render(request, "elections/results.html", _context(request, e) | {
        "result": res, "r": res.result if res else None,
        "versions": e.results.order_by("-version"),
    })


def announcement_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    from shequ.elections.pdf import announcement_pdf as make

    try:
        e = selectors.get_election(user=request.user, election_id=pk)
    except BusinessError:
        e = selectors.public_election(pk)
        if selectors.announced_result(e) is None:
            raise
    response = HttpResponse(make(e), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="election-{e.pk}.pdf"'
    return response


def coverage(request: HttpRequest, code: str) -> HttpResponse:
    authz.check(request.user, selectors.VIEW, code)
    return render(request, "elections/coverage.html", {"c": selectors.coverage(code)})


# ------------------------------------------------------------------ voters and public


def check(request: HttpRequest) -> HttpResponse:
    voter = None
    asked = False
    if request.method == "POST":
        asked = True
        voter = selectors.my_registration(request.POST.get("identity_number", "").strip())
    return render(request, "elections/check.html", {"voter": voter, "asked": asked})


def public(request: HttpRequest) -> HttpResponse:
    return render(request, "elections/public.html", {"elections": selectors.public_elections()[:200]})


def public_detail(request: HttpRequest, pk: int) -> HttpResponse:
    e = selectors.public_election(pk)
    res = selectors.announced_result(e)
    return render(request, "elections/public_detail.html", {
        "e": e, "candidates": [c for c in selectors.candidates(e) if c.state == "formal"],
        "result": res, "r": res.result if res else None,
        "stations": e.stations.all(),
        "roll": (e.voters.filter(removed=False).select_related("station")
                 .order_by("station_id", "name")[:5000]),
        "proxies": e.proxies.select_related("principal", "proxy"),
    })
