"""Texts of notifications, rendered in the reader's language from kind and params."""

from __future__ import annotations

from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from shequ.services.models import PauseKind

TEXTS: dict[str, str | Promise] = {
    "received": gettext_lazy("Application received, case number %(number)s. It will be accepted, "
                             "or missing materials requested, by %(accept_by)s."),
    "request_correction": gettext_lazy("Please supply the following, all listed in this one "
                                       "notice: %(missing)s."),
    "supply": gettext_lazy("Missing materials received; the application is being checked again."),
    "accept": gettext_lazy("Accepted. The clock has started; the decision is due by %(due_on)s."),
    "auto_accept": gettext_lazy("Accepted as of receipt (no request for materials within the legal "
                                "window). The decision is due by %(due_on)s."),
    "refuse": gettext_lazy("Not accepted. Reasons: %(reasons)s"),
    "extend": gettext_lazy("The time limit was extended by %(days)s working days, to %(due_on)s. "
                           "Reason: %(reason)s"),
    "suspend": gettext_lazy("The clock is stopped for: %(kind)s. You will be told when it restarts."),
    "resume": gettext_lazy("The clock has restarted; %(excluded)s working days were excluded. The "
                           "decision is due by %(due_on)s."),
    "approve": gettext_lazy("Approved."),
    "reject": gettext_lazy("Rejected. Reasons: %(reasons)s"),
    "issue": gettext_lazy("The result has been issued."),
    "close": gettext_lazy("The case is closed."),
    "withdraw": gettext_lazy("The application was withdrawn."),
    "escalate": gettext_lazy("Overdue since %(due_on)s: escalated to you as supervisor."),
}


class _Default(dict[str, Any]):
    def __missing__(self, key: str) -> str:
        return ""


def render(kind: str, params: dict[str, Any]) -> str:
    values = _Default(params)
    if isinstance(values.get("missing"), list):
        values["missing"] = "、".join(values["missing"])
    if kind == "suspend" and values.get("kind") in PauseKind.values:
        values["kind"] = str(PauseKind(values["kind"]).label)
    template = TEXTS.get(kind)
    if template is None:
        return _("Case updated.")
    return str(template) % values
