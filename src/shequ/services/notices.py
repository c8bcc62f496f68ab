"""The words the module stores as keys: notices to applicants and supervisors
(``Notification.kind`` + ``params``) and the lines of a case's history
(``CaseEvent.action``). Rendered in the reader's language when shown, never stored as a
sentence (ADR 0011)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from shequ.authz import SYSTEM
from shequ.core.texts import Texts
from shequ.services.models import Action, CaseEvent, Notification, PauseKind

NOTICES = Texts({
    "received": gettext_lazy("Application received, case number %(number)s. It will be "
                             "accepted, or missing materials requested, by %(accept_by)s."),
    Action.REQUEST_CORRECTION: gettext_lazy("Please supply the following, all listed in this "
                                            "one notice: %(missing)s."),
    Action.SUPPLY: gettext_lazy("Missing materials received; the application is being checked "
                                "again."),
    Action.ACCEPT: gettext_lazy("Accepted. The clock has started; the decision is due by "
                                "%(due_on)s."),
    Action.AUTO_ACCEPT: gettext_lazy("Accepted as of receipt (no request for materials within "
                                     "the legal window). The decision is due by %(due_on)s."),
    Action.REFUSE: gettext_lazy("Not accepted. Reasons: %(reasons)s"),
    Action.EXTEND: gettext_lazy("The time limit was extended by %(days)s working days, to "
                                "%(due_on)s. Reason: %(reason)s"),
    Action.SUSPEND: gettext_lazy("The clock is stopped for: %(kind)s. You will be told when it "
                                 "restarts."),
    Action.RESUME: gettext_lazy("The clock has restarted; %(excluded)s working days were "
                                "excluded. The decision is due by %(due_on)s."),
    Action.APPROVE: gettext_lazy("Approved."),
    Action.REJECT: gettext_lazy("Rejected. Reasons: %(reasons)s"),
    Action.ISSUE: gettext_lazy("The result has been issued."),
    Action.CLOSE: gettext_lazy("The case is closed."),
    Action.WITHDRAW: gettext_lazy("The application was withdrawn."),
    "escalate": gettext_lazy("Overdue since %(due_on)s: escalated to you as supervisor."),
    "extension_requested": gettext_lazy("Case %(number)s: an extension of %(days)s working "
                                        "days awaits your approval. Reason: %(reason)s"),
})

EVENTS = Texts({
    "submit": gettext_lazy("Application received"),
    "attach": gettext_lazy("Materials added"),
    "warn": gettext_lazy("Deadline near"),
    "escalate": gettext_lazy("Overdue: escalated to the supervisor"),
    Action.REQUEST_CORRECTION: gettext_lazy("Missing materials requested (补正)"),
    Action.SUPPLY: gettext_lazy("Missing materials supplied"),
    Action.ACCEPT: gettext_lazy("Accepted; the clock started"),
    Action.AUTO_ACCEPT: gettext_lazy("Accepted on receipt (no request for materials within the "
                                     "legal window)"),
    Action.REFUSE: gettext_lazy("Not accepted"),
    Action.REQUEST_EXTENSION: gettext_lazy("Extension asked of the head of the office"),
    Action.EXTEND: gettext_lazy("Time limit extended with the head's approval"),
    Action.SUSPEND: gettext_lazy("Clock stopped"),
    Action.RESUME: gettext_lazy("Clock restarted"),
    Action.APPROVE: gettext_lazy("Approved"),
    Action.REJECT: gettext_lazy("Rejected"),
    Action.ISSUE: gettext_lazy("Result issued"),
    Action.CLOSE: gettext_lazy("Closed"),
    Action.WITHDRAW: gettext_lazy("Withdrawn by the applicant"),
})


def _shown(kind: str, params: Mapping[str, Any]) -> dict[str, Any]:
    """Parameters as a reader reads them: lists joined, keys as their labels."""
    values = {k: "" for k in ("number", "accept_by", "due_on", "missing", "reasons", "days",
                              "reason", "kind", "excluded", "note")}
    values.update(params)
    if isinstance(values["missing"], list):
        values["missing"] = "、".join(str(m) for m in values["missing"])
    if kind == Action.SUSPEND and values["kind"] in PauseKind.values:
        values["kind"] = str(PauseKind(values["kind"]).label)
    return values


def render(kind: str, params: Mapping[str, Any]) -> str:
    """A notice in the active language."""
    return NOTICES.render({"text": kind, "params": _shown(kind, params)},
                          default=_("Case updated."))


def notice(n: Notification) -> str:
    return render(n.kind, n.params)


def event_label(action: str) -> str:
    """A history line in the active language."""
    return EVENTS.render({"text": action}, default=_("Case updated."))


def actor_label(event: CaseEvent) -> str:
    """Who took a step, as a reader reads it: the operator's jobs are "the system"."""
    return _("the system") if event.actor_name == SYSTEM.username else event.actor_name
