"""Shared fixtures: the law's cases (``cases/*.json``) set up and run through services,
the API, the pages and the tally command, so every channel must agree."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from django.utils import timezone

from shequ.authz import SYSTEM
from shequ.elections import services
from shequ.elections.models import Election, Station
from shequ.people.tests.factories import make_resident

CASES_DIR = Path(__file__).parent / "cases"
CASES = sorted(p.stem for p in CASES_DIR.glob("*.json"))
COMMUNITY = "510104022009"


def load_case(name: str) -> dict[str, Any]:
    return json.loads((CASES_DIR / f"{name}.json").read_text("utf-8"))


def engine_doc(case: dict[str, Any]) -> dict[str, Any]:
    """The case as a document for the tally command (as stated in docs/elections.md)."""
    return {k: case[k] for k in ("profile", "registered", "posts", "rounds")}


def make_voters(case: dict[str, Any], community: str = COMMUNITY) -> dict[str, Any]:
    """``registered`` residents: the candidates by name, the rest 居民N."""
    people = {}
    for i, (name, sex) in enumerate(case["sexes"].items()):
        people[name] = make_resident(community, name=name, sex=sex, birth=date(1970 + i, 3, 1))
    for i in range(case["registered"] - len(people)):
        r = make_resident(community, name=f"居民{i + 1:02d}", birth=date(1960 + i % 30, 6, 1))
        people[r.name] = r
    return people


def timeline(today: date | None = None) -> dict[str, date]:
    """The days of an election run after the fact (ADR 0603): set up and roll published 40
    days ago, candidates announced after the 5-day objection window, voting day 10 days
    ago; every step is recorded on its own day, none ahead (ADR 0610)."""
    start = (today or timezone.localdate()) - timedelta(days=40)
    return {"setup": start, "publish": start, "announce": start + timedelta(days=6),
            "voting": start + timedelta(days=30)}


def set_up(case: dict[str, Any], actor: Any = SYSTEM, community: str = COMMUNITY) -> Election:
    """From set-up to polling closed, through the services (shared by every channel)."""
    make_voters(case, community)
    days = timeline()
    stations = [{"name": s["station"], "kind": s["kind"]} for s in case["rounds"][0]["stations"]]
    posts = [{"code": p["post"], "label": p["label"], "seats": p["seats"],
              "women_only": p.get("women_only", False)} for p in case["posts"]]
    e = services.create_election(actor=actor, community_code=community,
                                 voting_day=days["voting"], posts=posts,
                                 profile=case["profile"], stations=stations, on=days["setup"])
    services.build_roll(actor=actor, election_id=e.pk)
    services.transition(actor=actor, election_id=e.pk, action="publish_roll", on=days["publish"])
    services.transition(actor=actor, election_id=e.pk, action="open_nominations",
                        on=days["publish"])
    voters = {v.name: v for v in e.voters.all()}
    nominator = voters["居民01"]
    for p in case["posts"]:
        for name in p["candidates"]:
            services.nominate(actor=actor, election_id=e.pk, post=p["post"],
                              candidate_id=voters[name].pk, nominator_ids=[nominator.pk])
    services.transition(actor=actor, election_id=e.pk, action="announce_candidates",
                        on=days["announce"])
    for action in ("open_polling", "close_polling"):
        services.transition(actor=actor, election_id=e.pk, action=action, on=days["voting"])
    e.refresh_from_db()
    return e


def station_data(station: dict[str, Any]) -> dict[str, Any]:
    return {"issued": station["issued"], "returned": station["returned"],
            "posts": station.get("posts", {})}


def stations_of(e: Election) -> dict[str, Station]:
    return {s.name: s for s in e.stations.all()}


def run_services(case: dict[str, Any], clerks: tuple[Any, Any], e: Election) -> Election:
    """Tallies entered twice by two clerks, counted, supplementary round when the case
    has one, announced."""
    by_name = stations_of(e)
    for i, rnd in enumerate(case["rounds"]):
        if i == 1:
            services.transition(actor=clerks[0], election_id=e.pk, action="start_supplementary")
            services.transition(actor=clerks[0], election_id=e.pk, action="close_polling",
                                on=e.voting_day)
        for st in rnd["stations"]:
            for clerk in clerks:
                services.enter_tally(actor=clerk, election_id=e.pk, station_id=by_name[st["station"]].pk,
                                     data=station_data(st))
        services.count(actor=clerks[0], election_id=e.pk)
    services.announce(actor=clerks[0], election_id=e.pk)
    e.refresh_from_db()
    return e
