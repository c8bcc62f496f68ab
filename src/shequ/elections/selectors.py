"""Elections: reads, scoped to the caller (public reads say so in their name)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from shequ import authz
from shequ.areas.models import Area, Level
from shequ.core.errors import NotFound
from shequ.elections import states
from shequ.elections.models import (
    Candidate,
    Election,
    Outcome,
    Result,
    StationTally,
    Status,
    TallyEntry,
    Voter,
)
from shequ.elections.rules import DIRECT_MODES, get_profile
from shequ.people import facade

VIEW = "elections.view"
PUBLIC_STATES = (Status.ROLL_PUBLISHED, Status.NOMINATING,
                 Status.CANDIDATES_ANNOUNCED, Status.POLLING, Status.COUNTING, Status.COUNTED,
                 Status.SUPPLEMENTARY, Status.ANNOUNCED)


def elections(*, user: Any, within: str = "") -> QuerySet[Election]:
    qs = Election.objects.filter(authz.scope_q(user, VIEW))
    if within:
        qs = qs.filter(area_code__startswith=within)
    return qs.order_by("-voting_day", "area_code")


def get_election(*, user: Any, election_id: int) -> Election:
    election = elections(user=user).filter(pk=election_id).first()
    if election is None:
        raise NotFound(code="election_not_found")
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


def current_tally(election: Election, station_id: int, round_no: int) -> dict[str, Any] | None:
    """The confirmed tally in force for a station and round (what a re-count corrects)."""
    from shequ.elections.models import StationTally

    row = (StationTally.objects.filter(election=election, station_id=station_id, round=round_no,
                                       current=True).only("data").first())
    return row.data if row is not None else None


def station_status(election: Election) -> list[dict[str, Any]]:
    """Per station of the current round: entries, confirmation and differences."""
    from shequ.elections.services import differences

    rnd = election.round
    entries: dict[int, list[TallyEntry]] = {}
    for e in TallyEntry.objects.filter(election=election, round=rnd).order_by("pk"):
        entries.setdefault(e.station_id, []).append(e)
    confirmed = {t.station_id: t for t in StationTally.objects.filter(election=election, round=rnd,
                                                                       current=True)}
    out = []
    for st in election.stations.annotate(n_voters=Count("voters", filter=Q(voters__removed=False))):
        es = entries.get(st.pk, [])
        diff = differences(es[0].data, es[1].data) if len(es) >= 2 else []
        out.append({"station": st, "entries": es, "confirmed": confirmed.get(st.pk),
                    "differences": diff,
                    "status": "confirmed" if st.pk in confirmed else
                    ("differs" if diff else ("first_entry" if es else "waiting"))})
    return out


def election_summary(*, user: Any, election_id: int) -> dict[str, Any]:
    e = get_election(user=user, election_id=election_id)
    prof = get_profile(e.profile)
    res = latest_result(e)
    return {
        "id": e.pk, "name": e.name, "area_code": e.area_code, "kind": e.kind, "mode": e.mode,
        "status": e.status, "round": e.round, "voting_day": e.voting_day,
        "roll_published_on": e.roll_published_on, "timeline": timeline(e),
        "profile": {"code": prof.code, "version": prof.version},
        "posts": [{"code": p.code, "label": p.label, "seats": p.seats, "women_only": p.women_only}
                  for p in e.posts.all()],
        "stations": [{"id": s.pk, "name": s.name, "kind": s.kind, "place": s.place}
                     for s in e.stations.all()],
        "registered": e.voters.filter(removed=False).count(),
        "outcome": e.outcome, "announced_at": e.announced_at,
        "allowed_actions": states.allowed_actions(e.status),
        "result": res.result if res else None,
    }


def timeline(election: Election) -> dict[str, Any]:
    """Statutory dates computed from the profile (calendar days, ADR 0603)."""
    prof = get_profile(election.profile)
    v = election.voting_day
    out: dict[str, Any] = {
        "publish_roll_by": v - timedelta(days=prof.value("roll_days_before")),
        "announce_candidates_by": v - timedelta(days=prof.value("candidates_days_before")),
        "voting_day": v,
    }
    if election.roll_published_on:
        out["objections_until"] = election.roll_published_on + timedelta(days=prof.value("objection_days"))
        out["decisions_until"] = out["objections_until"] + timedelta(days=prof.value("decision_days"))
    return out


# ------------------------------------------------------------------ public reads


def public_elections(within: str = "") -> QuerySet[Election]:
    """Elections whose candidate list or result has been announced (public by law)."""
    qs = Election.objects.filter(status__in=PUBLIC_STATES)
    if within:
        qs = qs.filter(area_code__startswith=within)
    return qs.order_by("-voting_day", "area_code")


def public_election(election_id: int) -> Election:
    election = public_elections().filter(pk=election_id).first()
    if election is None:
        raise NotFound(code="election_not_found")
    return election


def my_registration(identity_number: str) -> Voter | None:
    """The voter's entry on an open roll (else the latest one): where to vote."""
    try:
        h = facade.identity_hash(identity_number)
    except Exception:  # an invalid number is simply not found
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
    rows = (Election.objects.filter(status=Status.ANNOUNCED, kind="general", mode__in=DIRECT_MODES,
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

    def rows(length: int) -> list[dict[str, Any]]:
        return [{"code": k, "name": names.get(k, k), "communities": t, "directly_elected": h,
                 "share": _share(h, t)} for k, (t, h) in sorted(groups[length].items())]

    total, hits = len(communities), sum(1 for c in communities if c in elected)
    return {"code": code, "name": names.get(code) or Area.objects.filter(code=code)
            .values_list("name", flat=True).first() or code,
            "communities": total, "directly_elected": hits, "share": _share(hits, total),
            "provinces": rows(2), "districts": rows(6), "streets": rows(9)}


def _share(part: int, whole: int) -> str:
    if not whole:
        return "0.0000"
    scaled = (part * 20000 + whole) // (2 * whole)
    return f"{scaled // 10000}.{scaled % 10000:04d}"
