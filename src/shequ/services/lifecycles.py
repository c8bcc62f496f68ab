"""The case lifecycle: every step a case can take after submission, who may take it and
what the law ties it to.

``CASE.allowed(user, case)`` gives a page exactly the buttons the services accept;
``CASE.move`` (called by the step functions in ``services/steps.py`` and by the clock
sweep) is the only code that assigns ``Case.state``. Guards only look. ``move`` checks
them again after the step has set its own fields, so a guard reads only what the step
does not change (a date fixed earlier, the history), never a field the step itself sets.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from shequ.authz import SYSTEM
from shequ.core import rows
from shequ.core.errors import BusinessError
from shequ.lifecycle import Ctx, Lifecycle, Step, refuse
from shequ.services import rollups, rules
from shequ.services.enums import Code, Perm
from shequ.services.models import (
    Action,
    Case,
    CaseEvent,
    HandlerLevel,
    Handling,
    Notification,
    OfficeHead,
    State,
)

#: Steps that cannot be undone: pages ask for confirmation before taking them.
IRREVERSIBLE = frozenset({Action.WITHDRAW, Action.REFUSE, Action.APPROVE, Action.REJECT,
                          Action.EXTEND})


def actor_name(actor: Any) -> str:
    """How a history line names who took the step: the user name, ``system`` for the
    operator's jobs (shown in the reader's language, ``notices.actor_label``)."""
    return str(getattr(actor, "username", "") or actor)


def is_applicant(actor: Any, case: Case) -> bool:
    """The resident who filed the case online may supply materials and withdraw it
    without the desk permission."""
    return case.applicant_user_id is not None and getattr(actor, "pk", None) == \
        case.applicant_user_id


# -- guards: (actor, case, ctx) -> refusal or None; they never write --------------------


def within_correction_window(actor: Any, case: Case, ctx: Ctx) -> BusinessError | None:
    """行政许可法 Art. 32(4): missing materials are named within the window, else the
    application counts as accepted on receipt."""
    if ctx.on > case.accept_by:
        return refuse(_("The window for requesting materials ended on %(d)s; the application "
                        "counts as accepted on receipt.") % {"d": case.accept_by.isoformat()},
                      Code.CORRECTION_WINDOW_PASSED, accept_by=case.accept_by.isoformat())
    return None


def correction_window_passed(actor: Any, case: Case, ctx: Ctx) -> BusinessError | None:
    """Acceptance on receipt happens only once nobody acted within the window."""
    if ctx.on <= case.accept_by:
        return refuse(_("The window for requesting materials is open until %(d)s.")
                      % {"d": case.accept_by.isoformat()},
                      Code.CORRECTION_WINDOW_OPEN, accept_by=case.accept_by.isoformat())
    return None


def by_the_clock(actor: Any, case: Case, ctx: Ctx) -> BusinessError | None:
    """Acceptance on receipt is the law's consequence, taken by the clock sweep
    (``inputs={"clock": True}``), never a button."""
    if not ctx.inputs.get("clock"):
        return refuse(_("Only the clock accepts an application on receipt."), Code.CLOCK_ONLY)
    return None


def item_allows_extension(actor: Any, case: Case, ctx: Ctx) -> BusinessError | None:
    """The item's legal basis sets whether and how long its period may be extended
    (行政许可法 Art. 42 for licences handled by one office; ADR 0407)."""
    if case.version.extension_days <= 0:
        return refuse(_("The legal basis of this item allows no extension of its time "
                        "limit."), Code.EXTENSION_REFUSED, item_extension_days=0)
    return None


def within_time_limit(actor: Any, case: Case, ctx: Ctx) -> BusinessError | None:
    """Art. 42: an extension is for a decision that cannot be made *within* the period,
    so it is asked for and approved on or before the statutory deadline."""
    due = case.statutory_due_on
    if due is not None and ctx.on > due:
        return refuse(_("The statutory time limit ended on %(d)s; an extension must be "
                        "approved within it (行政许可法第四十二条).") % {"d": due.isoformat()},
                      Code.EXTENSION_TOO_LATE, statutory_due_on=due.isoformat())
    return None


def head_office(case: Case) -> str:
    """The area code of the office whose head approves an extension: the street office
    for items it decides (or accepts at its stations), the district for the district's
    items and for unified, joint or centralised handling (Art. 42(2): the head of the
    people's government at that level)."""
    version = case.version
    decided_by = version.decided_by or version.handler_level
    if version.handling == Handling.JOINT or decided_by == HandlerLevel.DISTRICT:
        return case.area_code[:6]
    return case.street_code


def is_office_head(actor: Any, case: Case, ctx: Ctx) -> BusinessError | None:
    """Art. 42: the extension needs the approval of the head of the office (本行政机关负责人);
    the operator's own jobs (``SYSTEM``) record an approval given on paper."""
    if actor is SYSTEM:
        return None
    office = head_office(case)
    pk = getattr(actor, "pk", None)
    heads = OfficeHead.objects.filter(user_id=pk or 0, area_code=office,
                                      since__lte=ctx.on).filter(
        models.Q(until__isnull=True) | models.Q(until__gte=ctx.on))
    if not heads.exists():
        return refuse(_("Only the head of the office approves an extension "
                        "(行政许可法第四十二条: 经本行政机关负责人批准)."),
                      Code.HEAD_APPROVAL_REQUIRED, office=office)
    return None


def extensions_left(actor: Any, case: Case, ctx: Ctx) -> BusinessError | None:
    """行政许可法 Art. 42: one extension. Counted in the history, which the step itself
    writes only after this check."""
    allowed = rules.profile(case.area_code).number("max_extensions")
    taken = CaseEvent.objects.filter(case=case, action=Action.EXTEND).count()
    if taken >= allowed:
        return refuse(_("The time limit may be extended only %(n)d time(s); it was extended "
                        "already.") % {"n": allowed},
                      Code.EXTENSION_REFUSED, already_extended=True, max_extensions=allowed)
    return None


def not_before_pause(actor: Any, case: Case, ctx: Ctx) -> BusinessError | None:
    """The clock restarts on or after the day it stopped."""
    if case.paused_since is not None and ctx.on < case.paused_since:
        return refuse(_("The clock stopped on %(d)s; it cannot restart before that day.")
                      % {"d": case.paused_since.isoformat()},
                      Code.RESUME_BEFORE_PAUSE, paused_since=case.paused_since.isoformat())
    return None


# -- the history row every move writes ---------------------------------------------------


def write_event(case: Case, *, action: str, source: str, target: str, actor: Any, at: datetime,
                now: datetime | None = None, note: str = "",
                details: dict[str, Any] | None = None,
                notice: dict[str, Any] | None = None) -> None:
    """The lifecycle's ``event`` hook: the history line and, with ``notice``, the
    applicant's notice (one round trip on PostgreSQL). ``now`` is the step's own moment
    (back-dated steps pass theirs); ``at`` is the wall clock."""
    moment = now or at
    written: list[Any] = [CaseEvent(
        case=case, at=moment, action=action, from_state=source, to_state=target,
        actor_name=actor_name(actor), note=note,
        details=details or {})]
    if notice is not None:
        written.append(Notification(case=case, user_id=case.applicant_user_id,
                                    to_applicant=True, kind=action, params=notice,
                                    created_at=moment))
    rows.insert_all(written)
    rollups.count_move(case, source, target)  # the statistics, in the step's transaction


CASE: Lifecycle[Case] = Lifecycle(
    "services.case", noun=_("case"), states=State, actions=Action, event=write_event,
    steps=[
        Step(Action.REQUEST_CORRECTION, (State.SUBMITTED,), State.CORRECTION,
             perm=Perm.HANDLE, guards=(within_correction_window,)),
        Step(Action.ACCEPT, (State.SUBMITTED,), State.IN_REVIEW, perm=Perm.HANDLE),
        Step(Action.AUTO_ACCEPT, (State.SUBMITTED,), State.IN_REVIEW, perm=Perm.SWEEP,
             guards=(by_the_clock, correction_window_passed)),
        Step(Action.REFUSE, (State.SUBMITTED,), State.REFUSED, perm=Perm.HANDLE,
             guards=(within_correction_window,)),
        Step(Action.SUPPLY, (State.CORRECTION,), State.SUBMITTED, perm=Perm.DESK,
             also=is_applicant),
        Step(Action.REQUEST_EXTENSION, (State.IN_REVIEW,), None, perm=Perm.HANDLE,
             guards=(item_allows_extension, extensions_left, within_time_limit)),
        Step(Action.EXTEND, (State.IN_REVIEW,), None, perm=Perm.EXTEND,
             guards=(item_allows_extension, extensions_left, within_time_limit,
                     is_office_head)),
        Step(Action.SUSPEND, (State.IN_REVIEW,), State.SUSPENDED, perm=Perm.HANDLE),
        Step(Action.RESUME, (State.SUSPENDED,), State.IN_REVIEW, perm=Perm.HANDLE,
             guards=(not_before_pause,)),
        Step(Action.APPROVE, (State.IN_REVIEW,), State.APPROVED, perm=Perm.DECIDE),
        Step(Action.REJECT, (State.IN_REVIEW,), State.REJECTED, perm=Perm.DECIDE),
        Step(Action.ISSUE, (State.APPROVED, State.REJECTED), State.ISSUED, perm=Perm.HANDLE),
        Step(Action.CLOSE, (State.ISSUED,), State.CLOSED, perm=Perm.HANDLE),
        Step(Action.WITHDRAW, (State.SUBMITTED, State.CORRECTION, State.IN_REVIEW,
                               State.SUSPENDED), State.WITHDRAWN, perm=Perm.DESK,
             also=is_applicant),
    ])


def table() -> str:
    """The declaration as a Markdown table (docs/services.md is generated from it, in
    English; a test keeps the two equal)."""
    lines = ["| from | step | to | who | guards |", "|---|---|---|---|---|"]
    for source, action, target in CASE.edges():
        step = CASE.step(source, action)
        who = f"`{step.perm}`" + (" or the applicant" if step.also is is_applicant else "")
        guards = ", ".join(f"`{g.__name__}`" for g in step.guards) or "—"
        lines.append(f"| `{source}` | `{action}` | `{target}` | {who} | {guards} |")
    return "\n".join(lines)
