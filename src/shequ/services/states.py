"""The case lifecycle: one table of allowed transitions; anything else is refused."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from shequ.core.errors import InvalidTransition
from shequ.services.models import State


class Action:
    REQUEST_CORRECTION = "request_correction"
    SUPPLY = "supply"
    ACCEPT = "accept"
    REFUSE = "refuse"
    EXTEND = "extend"
    SUSPEND = "suspend"
    RESUME = "resume"
    APPROVE = "approve"
    REJECT = "reject"
    ISSUE = "issue"
    CLOSE = "close"
    WITHDRAW = "withdraw"


ACTION_LABELS: dict[str, str | Promise] = {
    "submit": _("Application received"),
    Action.REQUEST_CORRECTION: _("Missing materials requested (补正)"),
    Action.SUPPLY: _("Missing materials supplied"),
    Action.ACCEPT: _("Accepted; the clock started"),
    Action.REFUSE: _("Not accepted"),
    Action.EXTEND: _("Time limit extended"),
    Action.SUSPEND: _("Clock stopped"),
    Action.RESUME: _("Clock restarted"),
    Action.APPROVE: _("Approved"),
    Action.REJECT: _("Rejected"),
    Action.ISSUE: _("Result issued"),
    Action.CLOSE: _("Closed"),
    Action.WITHDRAW: _("Withdrawn by the applicant"),
    "auto_accept": _("Accepted on receipt (no request for materials within the legal window)"),
    "attach": _("Materials added"),
    "warn": _("Deadline near"),
    "escalate": _("Overdue: escalated to the supervisor"),
}

TRANSITIONS: dict[tuple[str, str], str] = {
    (State.SUBMITTED, Action.REQUEST_CORRECTION): State.CORRECTION,
    (State.SUBMITTED, Action.ACCEPT): State.IN_REVIEW,
    (State.SUBMITTED, Action.REFUSE): State.REFUSED,
    (State.SUBMITTED, Action.WITHDRAW): State.WITHDRAWN,
    (State.CORRECTION, Action.SUPPLY): State.SUBMITTED,
    (State.CORRECTION, Action.WITHDRAW): State.WITHDRAWN,
    (State.IN_REVIEW, Action.EXTEND): State.IN_REVIEW,
    (State.IN_REVIEW, Action.SUSPEND): State.SUSPENDED,
    (State.IN_REVIEW, Action.APPROVE): State.APPROVED,
    (State.IN_REVIEW, Action.REJECT): State.REJECTED,
    (State.IN_REVIEW, Action.WITHDRAW): State.WITHDRAWN,
    (State.SUSPENDED, Action.RESUME): State.IN_REVIEW,
    (State.SUSPENDED, Action.WITHDRAW): State.WITHDRAWN,
    (State.APPROVED, Action.ISSUE): State.ISSUED,
    (State.REJECTED, Action.ISSUE): State.ISSUED,
    (State.ISSUED, Action.CLOSE): State.CLOSED,
}

# Which permission each action needs (the applicant may also supply and withdraw).
ACTION_PERMS: dict[str, str] = {
    Action.REQUEST_CORRECTION: "services.handle",
    Action.SUPPLY: "services.desk",
    Action.ACCEPT: "services.handle",
    Action.REFUSE: "services.handle",
    Action.EXTEND: "services.extend",
    Action.SUSPEND: "services.handle",
    Action.RESUME: "services.handle",
    Action.APPROVE: "services.decide",
    Action.REJECT: "services.decide",
    Action.ISSUE: "services.handle",
    Action.CLOSE: "services.handle",
    Action.WITHDRAW: "services.desk",
}
APPLICANT_ACTIONS = frozenset({Action.SUPPLY, Action.WITHDRAW})


def allowed_actions(state: str) -> list[str]:
    return [action for (source, action) in TRANSITIONS if source == state]


def next_state(state: str, action: str) -> str:
    """The state after ``action``, or :class:`InvalidTransition`."""
    try:
        return TRANSITIONS[(state, action)]
    except KeyError:
        raise InvalidTransition(
            _("“%(action)s” is not allowed while the case is “%(state)s”.")
            % {"action": ACTION_LABELS.get(action, action),
               "state": State(state).label if state in State.values else state},
            details={"state": state, "action": action,
                     "allowed": allowed_actions(state)}) from None
