"""The election lifecycle as a table: ``(status, action) -> new status``.

Guards (the statutory checks that decide whether an allowed step may be taken *now*)
live in ``services.py``; :func:`next_status` only says whether the step exists at all.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from shequ.core.errors import InvalidTransition
from shequ.elections.models import Status

TRANSITIONS: dict[tuple[str, str], str] = {
    (Status.SETUP, "publish_roll"): Status.ROLL_PUBLISHED,
    (Status.ROLL_PUBLISHED, "open_nominations"): Status.NOMINATING,
    (Status.NOMINATING, "announce_candidates"): Status.CANDIDATES_ANNOUNCED,
    (Status.CANDIDATES_ANNOUNCED, "open_polling"): Status.POLLING,
    (Status.POLLING, "close_polling"): Status.COUNTING,
    (Status.COUNTING, "count"): Status.COUNTED,
    (Status.COUNTED, "start_supplementary"): Status.SUPPLEMENTARY,
    (Status.SUPPLEMENTARY, "close_polling"): Status.COUNTING,
    (Status.COUNTED, "announce"): Status.ANNOUNCED,
    (Status.ANNOUNCED, "recount"): Status.COUNTED,
    (Status.SETUP, "cancel"): Status.CANCELLED,
    (Status.ROLL_PUBLISHED, "cancel"): Status.CANCELLED,
    (Status.NOMINATING, "cancel"): Status.CANCELLED,
    (Status.CANDIDATES_ANNOUNCED, "cancel"): Status.CANCELLED,
}

# Steps a page or the CLI may take with the generic transition service; the others
# (count, announce, recount) have their own services with inputs.
SIMPLE_ACTIONS = ("publish_roll", "open_nominations", "announce_candidates", "open_polling",
                  "close_polling", "start_supplementary", "cancel")

# States in which the roll is open (its entries block the same person elsewhere).
OPEN_STATES = frozenset(s for s in Status if s not in (Status.ANNOUNCED, Status.CANCELLED))


def next_status(status: str, action: str) -> str:
    try:
        return TRANSITIONS[(status, action)]
    except KeyError:
        raise InvalidTransition(
            _("“%(action)s” is not possible while the election is “%(status)s”.")
            % {"action": action, "status": Status(status).label},
            details={"status": status, "action": action,
                     "allowed": sorted(a for (s, a) in TRANSITIONS if s == status)},
        ) from None


def allowed_actions(status: str) -> list[str]:
    return [a for (s, a) in TRANSITIONS if s == status]


def transition(*, actor: Any, election_id: int, action: str) -> Any:
    """The one transition service (delegates to ``services.transition``)."""
    from shequ.elections import services

    return services.transition(actor=actor, election_id=election_id, action=action)


ACTION_LABELS = {
    "publish_roll": _("Publish the roll"),
    "open_nominations": _("Open nominations"),
    "announce_candidates": _("Announce the formal candidates"),
    "open_polling": _("Open polling"),
    "close_polling": _("Close polling and start counting"),
    "count": _("Count"),
    "start_supplementary": _("Start the supplementary round"),
    "announce": _("Announce the results"),
    "recount": _("Re-count"),
    "cancel": _("Cancel the election"),
}
