"""Counting, announcing and re-counting: the counting engine's result stored unchanged,
the committee recorded in ``people`` on announcement, corrections only by an audited
re-count (ADR 0600, 0604, 0606)."""

from __future__ import annotations

import json
from datetime import date, datetime, time
from typing import Any

from django.db import connection, transaction
from django.db.models import Count, Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shequ import authz
from shequ.areas.models import Area
from shequ.audit.services import record
from shequ.core.errors import BusinessError, NotFound
from shequ.elections import signals, tally
from shequ.elections.enums import AuditAction, Code, Perm
from shequ.elections.lifecycles import ELECTION, STEP_PERMS
from shequ.elections.models import (
    Action,
    Candidate,
    Election,
    ElectionPost,
    Kind,
    Outcome,
    Result,
    Station,
    StationTally,
    Status,
    Voter,
)
from shequ.elections.selectors import build_document, election_document, latest_result
from shequ.elections.services._base import actor_name, locked, text, today
from shequ.elections.services.tallies import check_adds_up, normalise_tally
from shequ.people import facade


def count(*, actor: Any, election_id: int, on: date | None = None) -> Result:
    """Count the confirmed tallies of every round so far with the counting engine."""
    day = today(on)
    with transaction.atomic():
        election = locked(actor, election_id, STEP_PERMS[Action.COUNT])
        ELECTION.check(actor, election, Action.COUNT, on=day)
        result = _count(actor, election, reason="")
        election.outcome = result.outcome
        ELECTION.move(actor=actor, obj=election, action=Action.COUNT, on=day,
                      update_fields=["outcome", "updated_at"],
                      changes={"version": result.version, "outcome": result.outcome,
                               "round": election.round})
    return result


def _count(actor: Any, election: Election, reason: str) -> Result:
    counted = tally.count_election(election_document(election))
    version = (election.results.order_by("-version").values_list("version", flat=True).first()
               or 0) + 1
    return Result.objects.create(election=election, version=version,
                                 result=json.loads(json.dumps(counted)),
                                 outcome=counted["outcome"], counted_by_name=actor_name(actor),
                                 recount_reason=reason)


def count_many(*, actor: Any, within: str, batch_size: int = 500) -> dict[str, int]:
    """Count every election in ``counting`` below ``within`` (election night for a
    district or a province): a few queries per batch of elections, the same document and
    engine as :func:`count`, one audit entry per street naming each election and its
    outcome. Elections with unconfirmed tallies are left for later (``incomplete``)."""
    authz.check(actor, STEP_PERMS[Action.COUNT], within)
    ids = list(Election.objects.filter(area_code__startswith=within, status=Status.COUNTING)
               .order_by("area_code", "pk").values_list("pk", flat=True))
    totals: dict[str, int] = {}
    for i in range(0, len(ids), batch_size):
        for outcome, n in _count_batch(actor, ids[i:i + batch_size]).items():
            totals[outcome] = totals.get(outcome, 0) + n
    return totals


def _count_batch(actor: Any, ids: list[int]) -> dict[str, int]:
    """One batch. The step is the lifecycle's ``count`` (source, target and permission as
    declared); its one guard, every tally confirmed, is the document's own check. The
    states are written with one UPDATE per outcome and one audit entry per street: the
    only status writer besides ``ELECTION.move`` (ADR 0606, 0607)."""
    target = ELECTION.target(Status.COUNTING, Action.COUNT)
    with transaction.atomic():
        elections = list(Election.objects.select_for_update()
                         .filter(pk__in=ids, status=Status.COUNTING))
        ids = [e.pk for e in elections]
        posts: dict[int, list[ElectionPost]] = {}
        for p in ElectionPost.objects.filter(election_id__in=ids).order_by("order", "pk"):
            posts.setdefault(p.election_id, []).append(p)
        cands: dict[int, list[tuple[int, str]]] = {}
        for eid, post_id, name in (Candidate.objects.filter(election_id__in=ids)
                                   .exclude(state=Candidate.State.WITHDRAWN).order_by("pk")
                                   .values_list("election_id", "post_id", "name")):
            cands.setdefault(eid, []).append((post_id, name))
        stations: dict[int, list[tuple[int, str, str]]] = {}
        for pk, eid, name, kind in (Station.objects.filter(election_id__in=ids).order_by("pk")
                                    .values_list("pk", "election_id", "name", "kind")):
            stations.setdefault(eid, []).append((pk, name, kind))
        confirmed: dict[int, dict[tuple[int, int], dict[str, Any]]] = {}
        for eid, sid, rnd, data in (StationTally.objects.filter(election_id__in=ids, current=True)
                                    .values_list("election_id", "station_id", "round", "data")):
            confirmed.setdefault(eid, {})[(sid, rnd)] = data
        live = dict(Voter.objects.filter(election_id__in=[e.pk for e in elections
                                                          if e.registered is None],
                                         removed=False)
                    .values_list("election_id").annotate(n=Count("pk")))
        versions = dict(Result.objects.filter(election_id__in=ids).values_list("election_id")
                        .annotate(v=Max("version")))
        name = actor_name(actor)
        results: list[Result] = []
        done: list[Election] = []
        outcomes: dict[str, int] = {}
        for e in elections:
            try:
                doc = build_document(e, posts=posts.get(e.pk, []), candidates=cands.get(e.pk, []),
                                     stations=stations.get(e.pk, []),
                                     confirmed=confirmed.get(e.pk, {}),
                                     registered=(live.get(e.pk, 0) if e.registered is None
                                                 else e.registered))
            except BusinessError:
                outcomes["incomplete"] = outcomes.get("incomplete", 0) + 1
                continue
            counted = tally.count_election(doc)
            results.append(Result(election=e, version=versions.get(e.pk, 0) + 1, result=counted,
                                  outcome=counted["outcome"], counted_by_name=name))
            e.status, e.outcome = target, counted["outcome"]
            done.append(e)
            outcomes[counted["outcome"]] = outcomes.get(counted["outcome"], 0) + 1
        _insert_results(results)
        for outcome in {e.outcome for e in done}:
            Election.objects.filter(pk__in=[e.pk for e in done if e.outcome == outcome]).update(
                status=target, outcome=outcome, updated_at=timezone.now())
        by_street: dict[str, dict[str, str]] = {}
        for e in done:  # one audit entry per street: chains stay per street
            by_street.setdefault(e.area_code[:9], {})[str(e.pk)] = e.outcome
        for street, counted_here in by_street.items():
            record(actor=actor, action=AuditAction.ELECTION_COUNT_BATCH,
                   object_type="elections.election", object_id=",".join(counted_here)[:200],
                   area_code=street,
                   changes={"elections": counted_here, "status": [Status.COUNTING, target]})
    return outcomes


def _insert_results(results: list[Result]) -> None:
    """Insert new results; on PostgreSQL with COPY (election night writes tens of
    thousands of JSON documents, and COPY skips client-side quoting of each one)."""
    if connection.vendor != "postgresql":
        Result.objects.bulk_create(results, batch_size=500)
        return
    now = timezone.now()
    table = Result._meta.db_table
    with connection.cursor() as cursor, cursor.cursor.copy(
            f"COPY {table} (election_id, version, result, outcome, counted_at, counted_by_name, "
            f"recount_reason) FROM STDIN") as copy:
        for r in results:
            copy.write_row((r.election_id, r.version, json.dumps(r.result, ensure_ascii=False),
                            r.outcome, now, r.counted_by_name, r.recount_reason))


def announce(*, actor: Any, election_id: int, on: date | None = None) -> Election:
    """Announce the counted result: it becomes immutable, the roll closes and the new
    committee is recorded in ``people``. ``on`` back-dates an announcement made on paper
    (ADR 0603): the result is announced at 18:00 that day and the members start then."""
    day = today(on)
    with transaction.atomic():
        election = locked(actor, election_id, STEP_PERMS[Action.ANNOUNCE])
        ELECTION.check(actor, election, Action.ANNOUNCE, on=day)
        result = latest_result(election)
        assert result is not None  # an election is counted before it is announced
        now = timezone.now() if on is None else timezone.make_aware(
            datetime.combine(on, time(18, 0)), timezone.get_current_timezone())
        result.announced_at = now
        result.save(update_fields=["announced_at"])
        members = (_record_committee(actor, election, result, timezone.localtime(now).date())
                   if result.outcome in (Outcome.COMPLETE, Outcome.VACANT) else [])
        election.outcome, election.announced_at = result.outcome, now
        ELECTION.move(actor=actor, obj=election, action=Action.ANNOUNCE, on=day,
                      update_fields=["outcome", "announced_at", "updated_at"],
                      changes={"result": result.version, "outcome": result.outcome,
                               "announced_on": timezone.localtime(now).date(),
                               "members": members})
        election.voters.update(active=False)
        if election.kind == Kind.RECALL:
            # the module that asked for the vote (autonomy's petition) applies the result
            signals.recall_announced.send(
                sender=Election, election_id=election.pk, outcome=result.outcome,
                result=result.result, day=timezone.localtime(now).date(), actor=actor)
    return election


def _record_committee(actor: Any, election: Election, result: Result, day: date) -> list[str]:
    """The elected committee as memberships in ``people`` (through its facade, with its
    own audit entries); a general election ends the previous members' terms."""
    posts = {p.code: p for p in election.posts.all()}
    by_name = dict(election.candidates.values_list("name", "voter__resident_id"))
    roll = dict(election.voters.filter(removed=False).values_list("name", "resident_id"))
    seats = [facade.Seat(post_role=ep.code, post_label=ep.label, post_seats=ep.seats,
                         person_name=person, resident_id=by_name.get(person) or roll.get(person))
             for item in result.result["committee"]
             for ep in [posts[item["post"]]] for person in item["elected"]]
    area = Area.objects.filter(code=election.area_code).values_list("name", flat=True).first()
    base = (area or election.area_code).replace("社区居委会", "社区").replace("居委会", "")
    facade.record_residents_committee(actor=actor, area_code=election.area_code,
                                      name=f"{base}居民委员会", day=day, seats=seats,
                                      source=f"elections:{election.pk}",
                                      replaces_all=election.kind == Kind.GENERAL)
    return [s.person_name for s in seats]


def recount(*, actor: Any, election_id: int, station_id: int, data: dict[str, Any], reason: str,
            round_no: int = 1) -> Result:
    """The only correction of an announced result: a new confirmed tally version for the
    station, a new result version, an audit entry with before and after; the election
    must then be announced again."""
    with transaction.atomic():
        election = locked(actor, election_id, Perm.RECOUNT)
        ELECTION.check(actor, election, Action.RECOUNT)
        reason = text(reason, what=_("The reason"), maxlen=500, required=True,
                      message=_("A re-count needs a reason."))
        station = election.stations.filter(pk=station_id).first()
        if station is None or round_no not in range(1, election.round + 1):
            raise NotFound(_("No such polling station or round."), code=Code.STATION_NOT_FOUND)
        old = StationTally.objects.select_for_update().get(station=station, round=round_no,
                                                           current=True)
        clean = normalise_tally(data)
        check_adds_up(election, station, clean, round_no)
        StationTally.objects.filter(pk=old.pk).update(current=False)
        StationTally.objects.create(election=election, station=station, round=round_no,
                                    data=clean, method=StationTally.Method.RECOUNT,
                                    version=old.version + 1, reason=reason)
        before = latest_result(election)
        result = _count(actor, election, reason=reason)
        election.outcome = result.outcome
        ELECTION.move(actor=actor, obj=election, action=Action.RECOUNT,
                      update_fields=["outcome", "updated_at"],
                      changes={"station": station.pk, "round": round_no, "reason": reason,
                               "tally": [old.data, clean],
                               "outcome": [before.outcome if before else None, result.outcome],
                               "version": result.version})
    return result
