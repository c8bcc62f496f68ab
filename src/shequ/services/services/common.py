"""What every writer of the module shares: the moment of a step, the locked case in the
actor's scope, the clock's start and the one way a step ends (``finish``: status, then
``CASE.move``, which saves, writes the history line, the notice and the audit entry)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shequ import authz
from shequ.accounts.facade import User
from shequ.core.calendar import WorkdayCalendar
from shequ.core.errors import Conflict, NotFound
from shequ.rules import Profile
from shequ.services import rollups, selectors, sla
from shequ.services.enums import Code, Perm
from shequ.services.lifecycles import CASE
from shequ.services.models import Case, State

STREET_LENGTH = 9


def now_or(at: datetime | None) -> datetime:
    return at or timezone.now()


def local_date(at: datetime) -> date:
    return timezone.localtime(at).date()


def user_or_none(actor: Any) -> User | None:
    return actor if isinstance(actor, User) else None


def unknown_case(number: str) -> NotFound:
    return NotFound(_("No such case."), code=Code.UNKNOWN_CASE, details={"number": number})


def locked_case(actor: Any, number: str, *, expected: str = "") -> Case:
    """The case, locked for the rest of the transaction, if the actor may see it (its
    applicant or staff in scope); otherwise "no such case", whether or not the number
    exists elsewhere. ``expected`` is the state the caller last showed: if the case
    moved meanwhile, the step is refused rather than taken on a case nobody looked at."""
    if actor is None or not actor.is_authenticated:
        authz.check(actor, Perm.VIEW)
    case = (Case.objects.select_for_update(of=("self",)).select_related("version")
            .filter(number=number).first())
    if case is None or not selectors.can_see(actor, case):
        raise unknown_case(number)
    if expected and case.state != expected:
        raise Conflict(_("The case changed meanwhile: it is now “%(state)s”. Look at it again "
                         "before the next step.") % {"state": case.get_state_display()},
                       code=Code.CASE_MOVED, details={"state": case.state, "expected": expected})
    return case


def snapshot(case: Case) -> dict[str, Any]:
    """The clock fields whose changes the audit entry records."""
    return {"accepted_on": case.accepted_on, "due_on": case.due_on,
            "extension_days": case.extension_days, "paused_workdays": case.paused_workdays,
            "decided_on": case.decided_on, "sla": case.sla}


def start_clock(case: Case, cal: WorkdayCalendar, accepted_on: date) -> None:
    """Acceptance: the clock starts (行政许可法 Art. 32). Raises ``CalendarYearUnknown``
    before any change if a deadline falls in a year the calendar does not know."""
    due = sla.due_date(cal, accepted_on, case.limit_days)
    statutory = sla.due_date(cal, accepted_on, case.statutory_days)
    case.accepted_on, case.due_on, case.statutory_due_on = accepted_on, due, statutory
    case.missing = []


def finish(actor: Any, case: Case, action: str, *, now: datetime, today: date,
           before: Mapping[str, Any], cal: WorkdayCalendar, profile: Profile, note: str = "",
           details: dict[str, Any] | None = None, notice: dict[str, Any] | None = None,
           inputs: Mapping[str, Any] | None = None) -> Case:
    """End a step whose fields are set: the status it will have, then the move (checks
    again, sets the state, saves, writes history, notice and audit entry), then the
    statistics' overdue count if the status entered or left "overdue"."""
    target = CASE.target(case.state, action)
    case.sla = sla.status(case, today, cal, profile.number("warning_days"), state=target)
    after = snapshot(case)
    changes = (dict(details or {})
               | {k: [before[k], v] for k, v in after.items() if before[k] != v}
               | ({"note": note} if note else {}) | {"rules": profile.version})
    CASE.move(actor=actor, obj=case, action=action, on=today, changes=changes, inputs=inputs,
              now=now, note=note, details=details, notice=notice)
    rollups.count_status(case, before["sla"])  # "overdue, open", in the step's transaction
    return case


CLOCK_STATES = (State.IN_REVIEW, State.SUSPENDED)
