"""The one entry for an election's lifecycle steps (pages, API and CLI): each step is
declared in ``lifecycles.ELECTION``; this module sets the step's own fields and lets
``ELECTION.move`` check the guards on the step's day, move and audit."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from shequ.core.errors import BusinessError
from shequ.elections.enums import Code
from shequ.elections.lifecycles import CANDIDATE, ELECTION, STEP_PERMS, unknown_action
from shequ.elections.models import Action, Candidate, Election
from shequ.elections.selectors import latest_result
from shequ.elections.services import counting
from shequ.elections.services._base import locked, today


def transition(*, actor: Any, election_id: int, action: str, on: date | None = None) -> Election:
    """Take one lifecycle step; ``on`` is the day it was taken (back-dated steps are judged
    on their own day, ADR 0603). An action no election has is refused before the election
    is looked up (``unknown_action``)."""
    if action not in Action.values:
        raise unknown_action(action)
    if action == Action.COUNT:
        counting.count(actor=actor, election_id=election_id, on=on)
        return Election.objects.get(pk=election_id)
    if action == Action.ANNOUNCE:
        return counting.announce(actor=actor, election_id=election_id, on=on)
    if action == Action.RECOUNT:
        raise BusinessError(_("A re-count needs the station's re-counted figures and a reason: "
                              "use the re-count form."), code=Code.STEP_NEEDS_INPUT,
                            details={"action": action})
    day = today(on)
    with transaction.atomic():
        election = locked(actor, election_id, STEP_PERMS[action])
        changes: dict[str, Any] = {}
        fields: list[str] = ["updated_at"]
        if action == Action.PUBLISH_ROLL:
            election.roll_published_on = day
            changes["on"], fields = day, [*fields, "roll_published_on"]
        elif action == Action.ANNOUNCE_CANDIDATES:
            election.candidates_announced_on = day
            changes["on"], fields = day, [*fields, "candidates_announced_on"]
        elif action == Action.OPEN_POLLING:
            election.registered = election.voters.filter(removed=False).count()
            changes["registered"], fields = election.registered, [*fields, "registered"]
        elif action == Action.START_SUPPLEMENTARY:
            latest = latest_result(election)
            election.round = 2
            election.supplementary_ballot = latest.result["supplementary_ballot"] if latest else []
            changes["ballot"] = election.supplementary_ballot
            fields = [*fields, "round", "supplementary_ballot"]
        ELECTION.move(actor=actor, obj=election, action=action, on=day, changes=changes,
                      update_fields=fields)
        if action == Action.ANNOUNCE_CANDIDATES:
            for cand in election.candidates.filter(state=Candidate.State.NOMINATED).order_by("pk"):
                cand.election = election
                CANDIDATE.move(actor=actor, obj=cand, action=Candidate.Action.MAKE_FORMAL, on=day,
                               update_fields=[],
                               inputs={"election_step": Action.ANNOUNCE_CANDIDATES})
        elif action == Action.CANCEL:
            election.voters.update(active=False)
    return election
