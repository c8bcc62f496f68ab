"""Elections: reads, scoped to the caller (public reads say so in their name), and the pure
computations pages and services share (the ballot, the counting document, differences
between two tally entries, vacancies, results in words)."""

from __future__ import annotations

import copy
from datetime import date, timedelta
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from shequ import authz
from shequ import rules as rules_registry
from shequ.areas.models import Area, Level
from shequ.core.errors import BusinessError, NotFound
from shequ.elections.enums import Code, Perm
from shequ.elections.lifecycles import ELECTION, tallies_missing
from shequ.elections.models import (
    Candidate,
    Election,
    ElectionPost,
    Kind,
    Outcome,
    Result,
    StationTally,
    Status,
    TallyEntry,
    Voter,
)
from shequ.elections.rules import DIRECT_MODES, label_of, profile_of
from shequ.elections.texts import TEXTS
from shequ.people import facade
from shequ.rules import Profile, Rule, Unit, format_value, share_met, share_needed

PUBLIC_STATES = (Status.ROLL_PUBLISHED, Status.NOMINATING,
                 Status.CANDIDATES_ANNOUNCED, Status.POLLING, Status.COUNTING, Status.COUNTED,
                 Status.SUPPLEMENTARY, Status.ANNOUNCED)


def elections(*, user: Any, within: str = "") -> QuerySet[Election]:
    """The elections in the caller's scope, for the committee's (staff) pages: recall
    votes included, since they run on these pages; the pages label them (ADR 0612)."""
    qs = Election.objects.filter(authz.scope_q(user, Perm.VIEW))
    if within:
        qs = qs.filter(area_code__startswith=within)
    return qs.order_by("-voting_day", "area_code", "-pk")


def get_election(*, user: Any, election_id: int) -> Election:
    election = elections(user=user).filter(pk=election_id).first()
    if election is None:
        raise NotFound(code=Code.ELECTION_NOT_FOUND)
    return election


def latest_result(election: Election) -> Result | None:
    return election.results.order_by("-version").first()


def announced_result(election: Election) -> Result | None:
    return election.results.filter(announced_at__isnull=False).order_by("-version").first()


def roll(election: Election) -> QuerySet[Voter]:
    return election.voters.select_related("station").order_by("removed", "name", "pk")


def candidates(election: Election) -> QuerySet[Candidate]:
    return (election.candidates.select_related("post").annotate(n_nominators=Count("nominators"))
            .order_by("post__order", "pk"))


def registered_voters(election: Election) -> int:
    """Voters on the roll: frozen when polling opens, counted live before."""
    if election.registered is not None:
        return election.registered
    return election.voters.filter(removed=False).count()


def ballot(election: Election, round_no: int | None = None) -> list[dict[str, Any]]:
    """The posts on the ballot of a round, with seats and candidate names."""
    round_no = round_no or election.round
    if round_no == 2:
        return [dict(p) for p in election.supplementary_ballot]
    if election.kind == Kind.RECALL:  # one question naming one person (ADR 0612)
        return [{"post": p.code, "label": p.label, "seats": 1,
                 "candidates": [election.recall_subject]} for p in election.posts.all()]
    names: dict[int, list[str]] = {}
    for post_id, name in (election.candidates.exclude(state=Candidate.State.WITHDRAWN)
                          .order_by("pk").values_list("post_id", "name")):
        names.setdefault(post_id, []).append(name)
    return [{"post": p.code, "label": p.label, "seats": p.seats, "candidates": names.get(p.pk, [])}
            for p in election.posts.all()]


def differences(a: dict[str, Any], b: dict[str, Any], prefix: str = "") -> list[dict[str, Any]]:
    """Where two entries of a tally sheet differ: ``[{"field", "first", "second"}]``."""
    out: list[dict[str, Any]] = []
    for key in sorted(set(a) | set(b)):
        va, vb = a.get(key), b.get(key)
        path = f"{prefix}{key}"
        if isinstance(va, dict) and isinstance(vb, dict):
            out.extend(differences(va, vb, path + "."))
        elif va != vb:
            out.append({"field": path, "first": va, "second": vb})
    return out


VOTE_MARKS = {"for": gettext_lazy("for"), "against": gettext_lazy("against"),
              "abstain": gettext_lazy("abstain")}


def field_in_words(path: str, posts: dict[str, str]) -> str:
    """A tally field as a clerk reads it: ``posts.member.votes.杨洋`` → 委员：杨洋 得票."""
    keys = path.split(".")
    if keys == ["issued"]:
        return str(_("Ballots issued"))
    if keys == ["returned"]:
        return str(_("Ballots returned"))
    if len(keys) >= 3 and keys[0] == "posts":
        post = posts.get(keys[1], keys[1])
        if keys[2] == "invalid":
            return _("%(post)s: ballots invalid for this post") % {"post": post}
        if keys[2] in ("votes", "write_ins") and len(keys) >= 4:
            mark = VOTE_MARKS.get(keys[4], "") if len(keys) > 4 else ""
            what = _("%(post)s: votes for %(name)s") if keys[2] == "votes" else \
                _("%(post)s: write-in votes for %(name)s")
            return (what % {"post": post, "name": keys[3]}) + (f"（{mark}）" if mark else "")
    return path


def value_in_words(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, dict):
        return "，".join(f"{VOTE_MARKS.get(k, k)} {v}" for k, v in value.items())
    return str(value)


def differences_in_words(election: Election, diffs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    posts = dict(election.posts.values_list("code", "label"))
    return [{"field": d["field"], "label": field_in_words(d["field"], posts),
             "first": value_in_words(d["first"]), "second": value_in_words(d["second"])}
            for d in diffs]


def current_tally(election: Election, station_id: int, round_no: int) -> dict[str, Any] | None:
    """The confirmed tally in force for a station and round (what a re-count corrects)."""
    row = (StationTally.objects.filter(election=election, station_id=station_id, round=round_no,
                                       current=True).only("data").first())
    return row.data if row is not None else None


def station_status(election: Election) -> list[dict[str, Any]]:
    """Per station of the current round: entries, confirmation and differences."""
    rnd = election.round
    entries: dict[int, list[TallyEntry]] = {}
    for e in (TallyEntry.objects.filter(election=election, round=rnd).select_related("entered_by")
              .order_by("pk")):
        entries.setdefault(e.station_id, []).append(e)
    confirmed = {t.station_id: t for t in StationTally.objects.filter(election=election, round=rnd,
                                                                       current=True)}
    out = []
    for st in election.stations.annotate(n_voters=Count("voters", filter=Q(voters__removed=False))):
        es = entries.get(st.pk, [])
        diff = differences(es[0].data, es[1].data) if len(es) >= 2 else []
        out.append({"station": st, "entries": es, "confirmed": confirmed.get(st.pk),
                    "differences": diff, "differences_in_words": differences_in_words(election, diff),
                    "status": "confirmed" if st.pk in confirmed else
                    ("differs" if diff else ("first_entry" if es else "waiting"))})
    return out


# ------------------------------------------------------------------ the counting document


def build_document(election: Election, *, posts: list[ElectionPost],
                   candidates: list[tuple[int, str]], stations: list[tuple[int, str, str]],
                   confirmed: dict[tuple[int, int], dict[str, Any]],
                   registered: int) -> dict[str, Any]:
    """The counting engine's document from rows already loaded (one election or a batch).

    ``candidates``: (post id, name) of candidates not withdrawn, in nomination order;
    ``stations``: (id, name, kind); ``confirmed``: (station id, round) -> tally data.
    """
    names: dict[int, list[str]] = {}
    for post_id, name in candidates:
        names.setdefault(post_id, []).append(name)
    if election.kind == Kind.RECALL:  # the question names the person (ADR 0612)
        names = {p.pk: [election.recall_subject] for p in posts}
    first = [{"post": p.code, "label": p.label, "seats": p.seats, "candidates": names.get(p.pk, [])}
             for p in posts]
    rounds: list[dict[str, Any]] = []
    for rnd in range(1, election.round + 1):
        missing = [name for pk, name, _kind in stations if (pk, rnd) not in confirmed]
        if missing:
            raise tallies_missing(missing, rnd)
        item: dict[str, Any] = {"stations": [{"station": name, "kind": kind, **confirmed[(pk, rnd)]}
                                             for pk, name, kind in stations]}
        if rnd == 2:
            item["posts"] = [dict(p) for p in election.supplementary_ballot]
        rounds.append(item)
    doc = {"profile": election.profile, "registered": registered, "posts": first, "rounds": rounds}
    if election.kind == Kind.RECALL:
        doc["kind"] = "recall"
    return doc


def election_document(election: Election) -> dict[str, Any]:
    """The election as the counting engine's JSON document (``docs/elections.md``)."""
    return build_document(
        election, posts=list(election.posts.all()),
        candidates=list(election.candidates.exclude(state=Candidate.State.WITHDRAWN).order_by("pk")
                        .values_list("post_id", "name")),
        stations=list(election.stations.order_by("pk").values_list("pk", "name", "kind")),
        confirmed={(t.station_id, t.round): t.data
                   for t in StationTally.objects.filter(election=election, current=True)},
        registered=registered_voters(election))


# ------------------------------------------------------------------ results in words


RECALL_RULES = ("recall_turnout", "recall_approval", "roll_days_before")
"""The rules a recall vote applies (its page shows these, not the candidates' rules)."""


def rules_in_words(profile: Profile, keys: tuple[str, ...] | None = None
                   ) -> list[dict[str, str]]:
    """A profile as a page shows it: label, value in words, source (never a key); with
    ``keys``, only those rules the profile has."""
    return [{"label": str(r.label), "display": r.display(), "source": r.source()}
            for key, r in profile.rules.items() if keys is None or key in keys]


_THRESHOLDS = {"majority_to_win": "threshold_first", "supplementary_floor": "threshold_supplementary"}


def _finding_params(finding: dict[str, Any], rnd: dict[str, Any], profile: Profile
                    ) -> tuple[str, dict[str, Any]] | None:
    """The text key and figures of a finding; results counted before findings were stored
    as keys are read from the round's own figures and the election's profile."""
    if "text" in finding:
        return str(finding["text"]), dict(finding.get("params") or {})
    rule = str(finding.get("rule", ""))
    figures = {"returned": rnd.get("returned", 0), "issued": rnd.get("issued", 0),
               "registered": rnd.get("registered", 0)}
    share = str(profile.rules[rule].value) if rule in profile.rules else ""
    if rule == "void_if_returned_exceeds_issued":
        return ("not_void" if finding.get("passed") else "void"), figures
    if rule == "turnout_for_validity" and share:
        return "turnout", {**figures, "share": share}
    if rule in _THRESHOLDS and share:
        return _THRESHOLDS[rule], {**figures, "share": share,
                                   "needed": share_needed(share, int(figures["returned"]))}
    return None


def finding_text(finding: dict[str, Any], rnd: dict[str, Any], profile: Profile) -> str:
    found = _finding_params(finding, rnd, profile)
    if found is None:
        return ""
    key, params = found
    if "share" in params:
        params["share"] = format_value(params["share"], Unit.SHARE)
    return TEXTS.render({"text": key, "params": params})


def result_in_words(result: dict[str, Any], election: Election) -> dict[str, Any]:
    """A stored count with each finding's rule label, text and source in the reader's
    language, for pages and the announcement (the stored result is not changed)."""
    profile = profile_of(election)
    out = copy.deepcopy(result)
    for rnd in out.get("rounds", []):
        for f in rnd.get("findings", []):
            rule = profile.rules.get(str(f.get("rule", "")))
            f["label"] = label_of(str(f.get("rule", "")))
            f["text"] = finding_text(f, rnd, profile)
            f["source"] = rule.source() if rule is not None else str(f.get("citation", ""))
    return out


# ------------------------------------------------------------------ one election


def timeline(election: Election) -> dict[str, Any]:
    """Statutory dates computed from the profile (calendar days, ADR 0603)."""
    prof = profile_of(election)
    v = election.voting_day
    out: dict[str, Any] = {
        "publish_roll_by": v - timedelta(days=prof.number("roll_days_before")),
        "announce_candidates_by": v - timedelta(days=prof.number("candidates_days_before")),
        "voting_day": v,
    }
    if election.roll_published_on:
        out["objections_until"] = (election.roll_published_on
                                   + timedelta(days=prof.number("objection_days")))
        out["decisions_until"] = out["objections_until"] + timedelta(days=prof.number("decision_days"))
        out["announce_candidates_from"] = out["objections_until"] + timedelta(days=1)
    return out


def election_summary(*, user: Any, election_id: int) -> dict[str, Any]:
    e = get_election(user=user, election_id=election_id)
    prof = profile_of(e)
    res = latest_result(e)
    return {
        "id": e.pk, "name": e.name, "area_code": e.area_code, "kind": e.kind, "mode": e.mode,
        "status": e.status, "round": e.round, "voting_day": e.voting_day,
        "roll_published_on": e.roll_published_on, "timeline": timeline(e),
        "profile": {"code": prof.key, "version": prof.version},
        "posts": [{"code": p.code, "label": p.label, "seats": p.seats, "women_only": p.women_only}
                  for p in e.posts.all()],
        "stations": [{"id": s.pk, "name": s.name, "kind": s.kind, "place": s.place}
                     for s in e.stations.all()],
        "registered": e.voters.filter(removed=False).count(),
        "outcome": e.outcome, "announced_at": e.announced_at,
        "allowed_actions": ELECTION.allowed(user, e),
        "result": res.result if res else None,
    }


def vacancies(community_code: str, on: date) -> dict[str, int]:
    """Seats of the residents' committee that nobody holds on ``on``, per post: what a
    by-election (补选) may fill. Members recalled, resigned or otherwise gone have their
    membership ended in people, so their seats count here."""
    body = facade.residents_committee_of(community_code)
    if body is None:
        return {}
    held = dict(facade.current_members(body, on).values("post__role")
                .annotate(n=Count("pk")).values_list("post__role", "n"))
    return {post.role: max(post.seats - held.get(post.role, 0), 0)
            for post in body.posts.order_by("pk")}


# ------------------------------------------------------------------ public reads


def public_elections(within: str = "") -> QuerySet[Election]:
    """Elections whose roll, candidate list or result has been published (public by law).
    A recall vote is not an election: it is shown on its petition's page, reached from
    the recall (``facade.recall_ballot``), not among the elections (ADR 0612)."""
    qs = Election.objects.filter(status__in=PUBLIC_STATES).exclude(kind=Kind.RECALL)
    if within:
        qs = qs.filter(area_code__startswith=within)
    return qs.order_by("-voting_day", "area_code", "-pk")


def public_election(election_id: int) -> Election:
    election = public_elections().filter(pk=election_id).first()
    if election is None:
        raise NotFound(code=Code.ELECTION_NOT_FOUND)
    return election


def formal_candidates(election: Election) -> QuerySet[Candidate]:
    return candidates(election).filter(state=Candidate.State.FORMAL)


def my_registration(identity_number: str) -> Voter | None:
    """The voter's entry on an open roll (else the latest one): where to vote."""
    try:
        h = facade.identity_hash(identity_number)
    except (BusinessError, ValueError):  # an invalid number is simply not found
        return None
    qs = Voter.objects.filter(id_hash=h, removed=False).select_related("election", "station")
    return qs.filter(active=True).first() or qs.order_by("-election__voting_day").first()


# ------------------------------------------------------------------ coverage


def directly_elected(on: date | None = None) -> set[str]:
    """Community codes whose current committee came from an announced direct election
    (all voters or household representatives) with at least one member elected, within
    the term length."""
    on = on or timezone.localdate()
    codes = set()
    rows = (Election.objects.filter(status=Status.ANNOUNCED, kind=Kind.GENERAL,
                                    mode__in=DIRECT_MODES,
                                    outcome__in=[Outcome.COMPLETE, Outcome.VACANT])
            .values_list("area_code", "announced_at", "profile"))
    for code, at, prof in rows:
        years = int(prof.get("rules", {}).get("term_years", {}).get("value", 5))
        day = timezone.localtime(at).date() if at else None
        if day is not None and day <= on and (on - day).days <= years * 366:
            codes.add(code)
    return codes


def coverage(code: str, on: date | None = None) -> dict[str, Any]:
    """Share of current communities directly elected, for ``code`` and per street,
    district and province below or at it."""
    communities = list(Area.objects.filter(level=Level.COMMUNITY, valid_to__isnull=True,
                                           code__startswith=code).values_list("code", flat=True))
    elected = directly_elected(on)
    groups: dict[int, dict[str, list[int]]] = {2: {}, 6: {}, 9: {}}
    for c in communities:
        hit = 1 if c in elected else 0
        for length in groups:
            bucket = groups[length].setdefault(c[:length], [0, 0])
            bucket[0] += 1
            bucket[1] += hit
    names = dict(Area.objects.filter(code__in=[k for g in groups.values() for k in g])
                 .values_list("code", "name"))

    target = coverage_target(code)
    spec = str(target.value)

    def rows(length: int) -> list[dict[str, Any]]:
        return [{"code": k, "name": names.get(k, k), "communities": t, "directly_elected": h,
                 "share": _share(h, t), "target_met": bool(t) and share_met(spec, h, t)}
                for k, (t, h) in sorted(groups[length].items())]

    total, hits = len(communities), sum(1 for c in communities if c in elected)
    return {"code": code, "name": names.get(code) or Area.objects.filter(code=code)
            .values_list("name", flat=True).first() or code,
            "communities": total, "directly_elected": hits, "share": _share(hits, total),
            "target_met": bool(total) and share_met(spec, hits, total),
            "target": {"value": spec, "display": target.display(), "label": str(target.label),
                       "source": target.source()},
            "provinces": rows(2), "districts": rows(6), "streets": rows(9)}


def coverage_target(code: str) -> Rule:
    """The province's target for direct-election coverage in force at ``code``
    (``targets/sichuan-2015``: at least four fifths, ADR 0601)."""
    return rules_registry.resolve("targets", "sichuan-2015", code or "51").rule(
        "direct_election_coverage")


def _share(part: int, whole: int) -> str:
    if not whole:
        return "0.0000"
    scaled = (part * 20000 + whole) // (2 * whole)
    return f"{scaled // 10000}.{scaled % 10000:04d}"


def turnouts(code: str, limit: int = 30) -> list[tuple[str, str]]:
    """The first-round turnout of the latest announced elections below ``code`` (election
    name, share 0..1 as an exact string), most recent first, at most ``limit``. Recall
    votes are not elections and are left out (ADR 0612)."""
    rows = (Result.objects.filter(election__area_code__startswith=code,
                                  announced_at__isnull=False)
            .exclude(election__kind=Kind.RECALL)
            .select_related("election").order_by("-election__voting_day", "-version"))
    out: list[tuple[str, str]] = []
    seen: set[int] = set()
    for res in rows[: limit * 3]:
        if res.election_id in seen:
            continue
        seen.add(res.election_id)
        first = (res.result.get("rounds") or [{}])[0]
        if "turnout" in first:
            out.append((res.election.name, str(first["turnout"])))
        if len(out) >= limit:
            break
    return out


def election_committee(area_code: str) -> list[tuple[int, str]]:
    """The current members of the community's election committee on the register
    (resident id, name), for the near-relative declaration of a nomination."""
    out: list[tuple[int, str]] = []
    for body in facade.bodies_of(area_code, "election_committee"):
        for m in facade.current_members(body).filter(resident__isnull=False):
            if m.resident_id is not None:
                out.append((m.resident_id, m.person_name))
    return out

