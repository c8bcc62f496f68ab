"""The lifecycles of an election, a candidate and an objection (``shequ.lifecycle``).

Each step is declared once here with the permission it needs and its *guards*: the
statutory dates and conditions, judged on the day of the step (``ctx.on``, so a step
entered after the fact on paper is judged on its own day, ADR 0603). Guards only look;
``Lifecycle.move`` is the only code that assigns a status (ADR 0607 names the one
exception: election night's batch count). Pages show the buttons ``allowed()`` gives.

Changes that are not steps (adding a voter, a nomination, a tally entry) are possible
only while the election is in certain states: each is a :class:`Window` with its
permission, checked by the service and asked by the page.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.db.models import Count
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from shequ import authz
from shequ.core.errors import AuthRequired, BusinessError, Conflict, Forbidden, InvalidTransition
from shequ.elections.enums import Code, Perm
from shequ.elections.errors import refuse
from shequ.elections.models import (
    Action,
    Candidate,
    Election,
    Kind,
    Objection,
    Outcome,
    StationTally,
    Status,
)
from shequ.elections.rules import profile_of, rule_in
from shequ.lifecycle import Ctx, Lifecycle, Step

# States in which the roll is open (its entries block the same person elsewhere, ADR 0602).
CLOSED_STATES = frozenset({Status.ANNOUNCED, Status.CANCELLED})
OPEN_STATES = frozenset(s for s in Status if s not in CLOSED_STATES)
ROLL_EDIT_STATES = (Status.SETUP, Status.ROLL_PUBLISHED, Status.NOMINATING,
                    Status.CANDIDATES_ANNOUNCED)
OBJECTION_STATES = (Status.ROLL_PUBLISHED, Status.NOMINATING, Status.CANDIDATES_ANNOUNCED)
WITHDRAWAL_STATES = (Status.NOMINATING, Status.CANDIDATES_ANNOUNCED)
# Steps that cannot be undone: the page asks for confirmation first.
IRREVERSIBLE = frozenset({Action.CANCEL, Action.CLOSE_POLLING, Action.ANNOUNCE})


def not_now(what: str | Promise, status: str, allowed: tuple[str, ...]) -> Conflict:
    return Conflict(_("%(what)s is not possible while the election is “%(status)s”.")
                    % {"what": what, "status": Status(status).label},
                    code=Code.INVALID_TRANSITION,
                    details={"status": status, "allowed_in": list(allowed)})


# --------------------------------------------------------------------------- guards


def roll_not_empty(actor: Any, e: Election, ctx: Ctx) -> BusinessError | None:
    if not e.voters.filter(removed=False).exists():
        return BusinessError(_("The roll is empty."), code=Code.ROLL_EMPTY)
    return None


def roll_published_in_time(actor: Any, e: Election, ctx: Ctx) -> BusinessError | None:
    """村民委员会组织法 第十四条: the roll is published at least 20 days before voting day."""
    lead = profile_of(e).rule("roll_days_before")
    last = e.voting_day - timedelta(days=lead.value)
    if ctx.on > last:
        return refuse(_("The roll must be published at least %(n)d days before voting day "
                        "(by %(last)s).") % {"n": lead.value, "last": last}, lead,
                      latest_publication=last)
    return None


def competitive_list(actor: Any, e: Election, ctx: Ctx) -> BusinessError | None:
    """More candidates than seats on every post (差额, 第十五条); a recall vote has no
    candidates, its one question names the person (ADR 0612)."""
    if e.kind == Kind.RECALL:
        return None
    rule = profile_of(e).rule("competitive_list")
    counts = dict(e.candidates.exclude(state=Candidate.State.WITHDRAWN)
                  .values_list("post_id").annotate(n=Count("pk")))
    short = [{"post": p.label, "seats": p.seats, "candidates": counts.get(p.pk, 0)}
             for p in e.posts.all() if counts.get(p.pk, 0) < p.seats + rule.value]
    if short:
        return refuse(_("Each post needs more candidates than seats (差额): %(posts)s.")
                      % {"posts": "、".join(f"{s['post']} {s['candidates']}/{s['seats']}"
                                           for s in short)}, rule, posts=short)
    return None


def candidates_in_time(actor: Any, e: Election, ctx: Ctx) -> BusinessError | None:
    lead = profile_of(e).rule("candidates_days_before")
    if (e.voting_day - ctx.on).days < lead.value:
        return refuse(_("The formal candidates must be announced at least %(n)d days before "
                        "voting day.") % {"n": lead.value}, lead,
                      latest_announcement=e.voting_day - timedelta(days=lead.value))
    return None


def objection_window_closed(actor: Any, e: Election, ctx: Ctx) -> BusinessError | None:
    """村民委员会组织法 第十四条: objections to the roll may be filed within five days of its
    publication; the formal candidates are announced only after that window (ADR 0610)."""
    if e.roll_published_on is None:
        return None
    rule = profile_of(e).rule("objection_days")
    last = e.roll_published_on + timedelta(days=rule.value)
    if ctx.on <= last:
        return refuse(_("Objections to the roll may be filed until %(last)s: the formal "
                        "candidates can be announced from %(first)s.")
                      % {"last": last, "first": last + timedelta(days=1)}, rule,
                      objections_until=last)
    return None


def not_a_recall(actor: Any, e: Election, ctx: Ctx) -> BusinessError | None:
    """A recall vote has no nominations: its question names the person (ADR 0612)."""
    if e.kind == Kind.RECALL:
        return InvalidTransition(_("A recall vote has no nominations: the question on its "
                                   "ballot names the person."), code=Code.RECALL_BALLOT)
    return None


def ballot_ready(actor: Any, e: Election, ctx: Ctx) -> BusinessError | None:
    """Polling opens once the formal candidates are announced; a recall vote's ballot is
    ready when its roll is published (ADR 0612)."""
    wanted = Status.ROLL_PUBLISHED if e.kind == Kind.RECALL else Status.CANDIDATES_ANNOUNCED
    if e.status != wanted:
        return not_now(_("Opening the polls"), e.status, (wanted,))
    return None


def on_voting_day(actor: Any, e: Election, ctx: Ctx) -> BusinessError | None:
    """Polling opens (and closes) on voting day, never before it (ADR 0610)."""
    rule = rule_in(profile_of(e), "polling_on_voting_day")
    if rule.value and ctx.on < e.voting_day:
        return refuse(_("Polling takes place on voting day, %(day)s; it cannot open or close "
                        "before it.") % {"day": e.voting_day}, rule, voting_day=e.voting_day)
    return None


def objections_decided(actor: Any, e: Election, ctx: Ctx) -> BusinessError | None:
    pending = e.objections.filter(decision=Objection.Decision.PENDING).count()
    if pending:
        return refuse(_("%(n)d objection(s) to the roll are still undecided.") % {"n": pending},
                      profile_of(e).rule("decision_days"), pending=pending)
    return None


def has_station(actor: Any, e: Election, ctx: Ctx) -> BusinessError | None:
    if not e.stations.exists():
        return BusinessError(_("Set up at least one polling station."), code=Code.NO_STATION)
    return None


def tallies_confirmed(actor: Any, e: Election, ctx: Ctx) -> BusinessError | None:
    """Counting needs the confirmed tally of every station in every round so far."""
    stations = list(e.stations.order_by("pk").values_list("pk", "name"))
    confirmed = set(StationTally.objects.filter(election=e, current=True)
                    .values_list("station_id", "round"))
    for rnd in range(1, e.round + 1):
        missing = [name for pk, name in stations if (pk, rnd) not in confirmed]
        if missing:
            return tallies_missing(missing, rnd)
    return None


def tallies_missing(stations: list[str], rnd: int) -> BusinessError:
    return BusinessError(_("Tallies not yet confirmed: %(stations)s.")
                         % {"stations": "、".join(stations)}, code=Code.TALLIES_MISSING,
                         details={"stations": stations, "round": rnd})


def supplementary_due(actor: Any, e: Election, ctx: Ctx) -> BusinessError | None:
    if e.outcome != Outcome.SUPPLEMENTARY_NEEDED:
        return refuse(_("A supplementary round is held only when seats remain unfilled after a "
                        "valid first round."), profile_of(e).rule("supplementary_floor"))
    return None


def no_supplementary_due(actor: Any, e: Election, ctx: Ctx) -> BusinessError | None:
    if e.outcome == Outcome.SUPPLEMENTARY_NEEDED:
        return refuse(_("Seats are unfilled: hold the supplementary round before announcing."),
                      profile_of(e).rule("supplementary_floor"))
    return None


ELECTION_STEPS = (
    Step(Action.PUBLISH_ROLL, (Status.SETUP,), Status.ROLL_PUBLISHED, perm=Perm.MANAGE,
         guards=(roll_not_empty, roll_published_in_time)),
    Step(Action.OPEN_NOMINATIONS, (Status.ROLL_PUBLISHED,), Status.NOMINATING, perm=Perm.MANAGE,
         guards=(not_a_recall,)),
    Step(Action.ANNOUNCE_CANDIDATES, (Status.NOMINATING,), Status.CANDIDATES_ANNOUNCED,
         perm=Perm.MANAGE, guards=(competitive_list, objection_window_closed, candidates_in_time)),
    Step(Action.OPEN_POLLING, (Status.CANDIDATES_ANNOUNCED, Status.ROLL_PUBLISHED), Status.POLLING,
         perm=Perm.MANAGE,
         guards=(ballot_ready, on_voting_day, competitive_list, objections_decided, has_station)),
    Step(Action.CLOSE_POLLING, (Status.POLLING, Status.SUPPLEMENTARY), Status.COUNTING,
         perm=Perm.MANAGE, guards=(on_voting_day,)),
    Step(Action.COUNT, (Status.COUNTING,), Status.COUNTED, perm=Perm.MANAGE,
         guards=(tallies_confirmed,)),
    Step(Action.START_SUPPLEMENTARY, (Status.COUNTED,), Status.SUPPLEMENTARY, perm=Perm.MANAGE,
         guards=(supplementary_due,)),
    Step(Action.ANNOUNCE, (Status.COUNTED,), Status.ANNOUNCED, perm=Perm.MANAGE,
         guards=(no_supplementary_due,)),
    Step(Action.RECOUNT, (Status.ANNOUNCED,), Status.COUNTED, perm=Perm.RECOUNT),
    Step(Action.CANCEL, (Status.SETUP, Status.ROLL_PUBLISHED, Status.NOMINATING,
                         Status.CANDIDATES_ANNOUNCED), Status.CANCELLED, perm=Perm.MANAGE),
)
STEP_PERMS: dict[str, Perm] = {str(s.action): Perm(str(s.perm)) for s in ELECTION_STEPS}

ELECTION: Lifecycle[Election] = Lifecycle(
    "elections.election", noun=_("election"), states=Status, actions=Action, field="status",
    steps=ELECTION_STEPS)


def unknown_action(action: str) -> InvalidTransition:
    """A step name that no election has (``POST …/steps/zzz``): refused before the
    election is even looked up, so it reveals nothing about it."""
    return InvalidTransition(_("There is no step “%(action)s” in an election.") % {"action": action},
                             code=Code.UNKNOWN_ACTION,
                             details={"action": action, "steps": list(Action.values)})


# --------------------------------------------------------------------------- candidates


def _made_formal_by_the_election(actor: Any, c: Candidate, ctx: Ctx) -> BusinessError | None:
    if ctx.inputs.get("election_step") != Action.ANNOUNCE_CANDIDATES:
        return InvalidTransition(_("Candidates become formal when the formal list is announced."))
    return None


def _election_takes_withdrawals(actor: Any, c: Candidate, ctx: Ctx) -> BusinessError | None:
    if c.election.status not in WITHDRAWAL_STATES:
        return not_now(_("A withdrawal"), c.election.status, WITHDRAWAL_STATES)
    return None


CANDIDATE: Lifecycle[Candidate] = Lifecycle(
    "elections.candidate", noun=_("candidate"), states=Candidate.State, actions=Candidate.Action,
    area=lambda c: c.election.area_code,
    steps=[
        Step(Candidate.Action.MAKE_FORMAL, (Candidate.State.NOMINATED,), Candidate.State.FORMAL,
             perm=Perm.MANAGE, guards=(_made_formal_by_the_election,)),
        Step(Candidate.Action.WITHDRAW, (Candidate.State.NOMINATED, Candidate.State.FORMAL),
             Candidate.State.WITHDRAWN, perm=Perm.MANAGE, guards=(_election_takes_withdrawals,)),
    ])


# --------------------------------------------------------------------------- objections


def _election_takes_decisions(actor: Any, o: Objection, ctx: Ctx) -> BusinessError | None:
    if o.election.status not in OBJECTION_STATES:
        return not_now(_("A decision on an objection"), o.election.status, OBJECTION_STATES)
    return None


def _not_before_filing(actor: Any, o: Objection, ctx: Ctx) -> BusinessError | None:
    if ctx.on < o.filed_on:
        return BusinessError(_("A decision cannot precede the objection."), code=Code.DECISION_DATE,
                             details={"filed_on": o.filed_on})
    return None


_DECISION_GUARDS = (_election_takes_decisions, _not_before_filing)
OBJECTION: Lifecycle[Objection] = Lifecycle(
    "elections.objection", noun=_("objection"), states=Objection.Decision,
    actions=Objection.Action, field="decision", area=lambda o: o.election.area_code,
    steps=[
        Step(Objection.Action.UPHOLD, (Objection.Decision.PENDING,), Objection.Decision.UPHELD,
             perm=Perm.MANAGE, guards=_DECISION_GUARDS),
        Step(Objection.Action.REJECT, (Objection.Decision.PENDING,), Objection.Decision.REJECTED,
             perm=Perm.MANAGE, guards=_DECISION_GUARDS),
    ])


# --------------------------------------------------------------------------- windows


@dataclass(frozen=True)
class Window:
    """A change that is not a step, possible only in ``states`` and with ``perm``."""

    what: str | Promise
    states: tuple[str, ...]
    perm: Perm

    def state_refusal(self, election: Election) -> BusinessError | None:
        if election.status not in self.states:
            return not_now(self.what, election.status, self.states)
        return None

    def require(self, election: Election) -> None:
        """In a service, after the permission was checked with the election's lock."""
        refused = self.state_refusal(election)
        if refused is not None:
            raise refused

    def refusal(self, actor: Any, election: Election) -> BusinessError | None:
        if actor is None or not actor.is_authenticated:
            return AuthRequired()
        if not authz.has_perm(actor, self.perm, election.area_code):
            return Forbidden(details={"permission": str(self.perm)})
        return self.state_refusal(election)

    def allows(self, actor: Any, election: Election) -> bool:
        return self.refusal(actor, election) is None


EDIT_STATES_AND_POLLING = (*ROLL_EDIT_STATES, Status.POLLING)
WINDOWS: dict[str, Window] = {
    "add_station": Window(_("Adding a polling station"), EDIT_STATES_AND_POLLING, Perm.MANAGE),
    "build_roll": Window(_("Building the roll"), (Status.SETUP,), Perm.MANAGE),
    "add_voter": Window(_("Adding a voter"), ROLL_EDIT_STATES, Perm.MANAGE),
    "assign_station": Window(_("Assigning voters"), EDIT_STATES_AND_POLLING, Perm.MANAGE),
    "register_proxy": Window(_("Registering a proxy"), EDIT_STATES_AND_POLLING, Perm.MANAGE),
    "file_objection": Window(_("An objection to the roll"), OBJECTION_STATES, Perm.MANAGE),
    "nominate": Window(_("A nomination"), (Status.NOMINATING,), Perm.MANAGE),
    "enter_tally": Window(_("Entering a tally"), (Status.COUNTING,), Perm.TALLY),
    "resolve_tally": Window(_("Resolving a tally"), (Status.COUNTING,), Perm.MANAGE),
}


def windows_open(actor: Any, election: Election) -> dict[str, bool]:
    """For a page: which of the changes that are not steps ``actor`` may make now."""
    return {name: w.allows(actor, election) for name, w in WINDOWS.items()}
