"""Lifecycles of proposals and recall petitions: ``TRANSITIONS[(state, action)] = next``.
Any other step raises :class:`~shequ.core.errors.InvalidTransition` naming what is allowed.
Comments, progress updates and satisfaction ratings are not steps (they keep the state)
but are allowed only in the states listed in ``OPEN_FOR``."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from shequ.autonomy.models import Proposal, ProposalEvent, RecallPetition
from shequ.core.errors import InvalidTransition

COLLECTING = "collecting"  # a residents' proposal gathering co-signers
SUBMITTED = "submitted"
ADMITTED = "admitted"
REJECTED = "rejected"
SCHEDULED = "scheduled"
ADOPTED = "adopted"
NOT_ADOPTED = "not_adopted"
IN_PROGRESS = "in_progress"
IMPLEMENTED = "implemented"
CLOSED = "closed"
WITHDRAWN = "withdrawn"

STATE_LABELS = {
    COLLECTING: _("Collecting co-signers"),
    SUBMITTED: _("Submitted, awaiting review"),
    ADMITTED: _("Admitted for deliberation"),
    REJECTED: _("Not admitted"),
    SCHEDULED: _("On a meeting agenda"),
    ADOPTED: _("Adopted"),
    NOT_ADOPTED: _("Not adopted"),
    IN_PROGRESS: _("Being implemented"),
    IMPLEMENTED: _("Implemented, awaiting residents' feedback"),
    CLOSED: _("Closed with feedback"),
    WITHDRAWN: _("Withdrawn by the proposer"),
}

TRANSITIONS: dict[tuple[str, str], str] = {
    (COLLECTING, "cosigned"): SUBMITTED,
    (COLLECTING, "withdraw"): WITHDRAWN,
    (SUBMITTED, "admit"): ADMITTED,
    (SUBMITTED, "reject"): REJECTED,
    (SUBMITTED, "withdraw"): WITHDRAWN,
    (ADMITTED, "schedule"): SCHEDULED,
    (ADMITTED, "withdraw"): WITHDRAWN,
    (SCHEDULED, "adopt"): ADOPTED,
    (SCHEDULED, "not_adopt"): NOT_ADOPTED,
    (SCHEDULED, "unschedule"): ADMITTED,  # meeting without quorum or postponed
    (ADOPTED, "assign"): IN_PROGRESS,
    (IN_PROGRESS, "complete"): IMPLEMENTED,
    (IMPLEMENTED, "close"): CLOSED,
}

FINAL = frozenset({REJECTED, NOT_ADOPTED, CLOSED, WITHDRAWN})

OPEN_FOR: dict[str, frozenset[str]] = {
    "sign": frozenset({COLLECTING}),
    "comment": frozenset({COLLECTING, SUBMITTED, ADMITTED, SCHEDULED}),
    "progress": frozenset({IN_PROGRESS}),
    "rate": frozenset({IMPLEMENTED}),
}

RECALL_TRANSITIONS: dict[tuple[str, str], str] = {
    (RecallPetition.State.COLLECTING, "threshold"): RecallPetition.State.SUBMITTED,
    (RecallPetition.State.SUBMITTED, "reply"): RecallPetition.State.REPLIED,
    (RecallPetition.State.SUBMITTED, "result"): RecallPetition.State.DECIDED,
    (RecallPetition.State.REPLIED, "result"): RecallPetition.State.DECIDED,
}


def allowed_actions(state: str) -> list[str]:
    return sorted(action for (frm, action) in TRANSITIONS if frm == state)


def next_state(state: str, action: str) -> str:
    try:
        return TRANSITIONS[(state, action)]
    except KeyError:
        raise InvalidTransition(
            _("A proposal in state “%(state)s” cannot be “%(action)s”.")
            % {"state": STATE_LABELS.get(state, state), "action": action},
            details={"state": state, "action": action, "allowed": allowed_actions(state)},
        ) from None


def require_open(proposal: Proposal, activity: str) -> None:
    if proposal.state not in OPEN_FOR[activity]:
        raise InvalidTransition(
            _("This cannot be done while the proposal is “%(state)s”.")
            % {"state": STATE_LABELS.get(proposal.state, proposal.state)},
            details={"state": proposal.state, "activity": activity,
                     "open_in": sorted(OPEN_FOR[activity])},
        )


EVENT_TEXTS = {
    "no_quorum": _("The meeting had no quorum."),
    "tally": _("For %(f)d, against %(a)d, abstain %(s)d; %(p)d of %(m)d present."),
    "not_decided": _("Not decided at the meeting."),
    "threshold": _("%(n)d co-signers: threshold reached."),
    "satisfaction": _("Satisfaction %(v)s of 5 from %(n)d residents."),
    "no_ratings": _("No satisfaction ratings."),
}


def text(key: str, **params: Any) -> dict[str, Any]:
    """Generated history text, stored as a key and translated when shown."""
    return {"text": key, "params": params}


def describe(event: ProposalEvent) -> str:
    """The event's text in the reader's language: generated part, then the note."""
    parts = []
    key = (event.data or {}).get("text")
    if key in EVENT_TEXTS:
        parts.append(str(EVENT_TEXTS[key]) % (event.data.get("params") or {}))
    if event.note:
        parts.append(event.note)
    return " ".join(parts)


def transition(proposal: Proposal, action: str, *, who: str, note: str = "",
               data: dict[str, Any] | None = None) -> ProposalEvent:
    """Move ``proposal`` (already locked by the calling service) and record the step in
    its public history."""
    proposal.state = next_state(proposal.state, action)
    proposal.save()
    return ProposalEvent.objects.create(proposal=proposal, action=action, state=proposal.state,
                                        who=who, note=note, data=data or {})


def recall_transition(petition: RecallPetition, action: str) -> None:
    try:
        petition.state = RECALL_TRANSITIONS[(petition.state, action)]
    except KeyError:
        raise InvalidTransition(
            details={"state": petition.state, "action": action,
                     "allowed": sorted(a for (s, a) in RECALL_TRANSITIONS if s == petition.state)},
        ) from None
