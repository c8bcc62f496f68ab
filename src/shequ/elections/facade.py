"""What other modules may use of elections (ADR 0612): recall votes.

A module above elections (autonomy's recall petition) asks for a recall vote with
:func:`create_recall_ballot`; the vote then runs in elections like an election: the roll
built from the register under the same rules (ADR 0602, 0609), published the statutory
period before voting day, objections, polling stations, each station's tally typed twice
and differences resolved (ADR 0604), the count under the recall rule, announcement and
re-count. :func:`recall_ballot` reads where it stands; when its result is announced the
signal :data:`recall_announced` tells the module that asked (inside the announcement's
transaction). Elections never imports the modules that use it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from shequ.elections import selectors, services, tally
from shequ.elections.lifecycles import OPEN_STATES
from shequ.elections.models import Election, Kind, Outcome, Status
from shequ.elections.rules import profile_of, rule_in
from shequ.elections.signals import recall_announced

__all__ = ["CANCELLED", "INVALID_TURNOUT", "NOT_RECALLED", "RECALLED", "VOID", "RecallBallot",
           "create_recall_ballot", "recall_announced", "recall_ballot", "recall_status"]

RECALLED, NOT_RECALLED = tally.RECALLED, tally.NOT_RECALLED
INVALID_TURNOUT, VOID = tally.INVALID_TURNOUT, tally.VOID
CANCELLED = Status.CANCELLED.value  # a cancelled vote may be replaced by a new one


@dataclass(frozen=True)
class RecallBallot:
    """A recall vote as a page of another module shows it (labels in the reader's
    language; figures of the latest count, ``None`` before it)."""

    id: int
    name: str
    question: str
    subject: str
    status: str
    status_label: str
    open: bool
    voting_day: date
    roll_published_on: date | None
    publish_roll_by: date
    roll_area_code: str
    roll_count: int
    stations: list[dict[str, Any]] = field(default_factory=list)
    outcome: str = ""
    outcome_label: str = ""
    announced_at: datetime | None = None
    announced: bool = False
    figures: dict[str, Any] | None = None
    findings: list[dict[str, Any]] = field(default_factory=list)
    rules: list[dict[str, str]] = field(default_factory=list)


def create_recall_ballot(*, actor: Any, community_code: str, voting_day: date, subject: str,
                         roll_area_code: str = "", stations: list[dict[str, str]] | None = None,
                         on: date | None = None) -> int:
    """Set up a recall vote and build its roll from the register, in one transaction
    (``actor`` needs ``elections.manage`` at the community). Returns the vote's id."""
    with transaction.atomic():
        election = services.create_recall(actor=actor, community_code=community_code,
                                          voting_day=voting_day, subject=subject,
                                          roll_area_code=roll_area_code, stations=stations,
                                          on=on)
        services.build_roll(actor=actor, election_id=election.pk)
    return election.pk


def recall_status(election_id: int) -> tuple[str, str] | None:
    """A recall vote's name and status key (``cancelled``, ``announced`` …), one query."""
    row = (Election.objects.filter(pk=election_id, kind=Kind.RECALL)
           .values_list("name", "status").first())
    return (row[0], row[1]) if row is not None else None


def recall_ballot(election_id: int | None) -> RecallBallot | None:
    """The recall vote ``election_id`` as it stands (no permission: the caller shows what
    its own page may show; the figures are those published on announcement)."""
    if election_id is None:
        return None
    e = Election.objects.filter(pk=election_id, kind=Kind.RECALL).first()
    if e is None:
        return None
    labels = {"confirmed": _("Confirmed (two matching entries or a resolved difference)"),
              "differs": _("The two entries differ: to be resolved against the sheet"),
              "first_entry": _("First entry made; waiting for the second"),
              "waiting": _("Waiting for entries")}
    stations = [{"name": r["station"].name, "place": r["station"].place,
                 "voters": r["station"].n_voters, "status": r["status"],
                 "status_label": labels[r["status"]],
                 "method": (r["confirmed"].get_method_display() if r["confirmed"] else "")}
                for r in selectors.station_status(e)]
    res = selectors.latest_result(e)
    figures, findings = None, []
    if res is not None:
        words = selectors.result_in_words(res.result, e)
        rec = dict(res.result.get("recall") or {})
        registered, returned = int(rec.get("registered", 0)), int(rec.get("returned", 0))
        figures = {**rec,
                   "turnout": (returned / registered) if registered else None,
                   "approval": (int(rec.get("approve", 0)) / returned) if returned else None,
                   "version": res.version, "recount_reason": res.recount_reason}
        findings = [{"label": f.get("label", ""), "text": f.get("text", ""),
                     "source": f.get("source", ""), "passed": bool(f.get("passed"))}
                    for rnd in words.get("rounds", []) for f in rnd.get("findings", [])]
    prof = profile_of(e)
    timeline = selectors.timeline(e)
    announced = e.status == Status.ANNOUNCED
    return RecallBallot(
        id=e.pk, name=e.name, question=e.posts.values_list("label", flat=True).first() or "",
        subject=e.recall_subject, status=e.status, status_label=str(Status(e.status).label),
        open=e.status in OPEN_STATES, voting_day=e.voting_day,
        roll_published_on=e.roll_published_on, publish_roll_by=timeline["publish_roll_by"],
        roll_area_code=e.roll_area_code or e.area_code,
        roll_count=e.voters.filter(removed=False).count(), stations=stations,
        outcome=(res.outcome if res is not None else ""),
        outcome_label=(str(Outcome(res.outcome).label) if res is not None else ""),
        announced_at=e.announced_at, announced=announced, figures=figures, findings=findings,
        rules=[{"label": str(r.label), "display": r.display(), "source": r.source()}
               for key in ("recall_turnout", "recall_approval", "roll_days_before")
               for r in [rule_in(prof, key)]])
