"""The steps of a case after submission, one function each (``lifecycles.CASE`` declares
who may take which, from where, and what the law ties it to).

Every step runs the same way, in one transaction: lock the case (``NotFound`` outside
the actor's scope), check the step on its own day (permission, state, guards), validate
the step's inputs and compute the clock **before** anything is written, then ``finish``:
status, state, history line, notice and audit entry ``services.case.<action>``. A refusal
changes nothing. ``act`` only dispatches by name, for the API and the CLI.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from shequ.core.calendar import get_calendar
from shequ.core.errors import BusinessError, InvalidTransition
from shequ.rules import Profile
from shequ.services import rules, sla
from shequ.services.enums import Code
from shequ.services.lifecycles import CASE
from shequ.services.models import Action, Case, ClockPause, PauseKind
from shequ.services.services.attachments import Upload, check_uploads, store_uploads
from shequ.services.services.common import (
    finish,
    local_date,
    locked_case,
    now_or,
    snapshot,
    start_clock,
)


def _begin(actor: Any, number: str, action: str, at: datetime | None, expected: str
           ) -> tuple[Case, datetime, date, Profile]:
    """Inside the step's transaction: the locked case, the step's moment and day, the
    rules in force there; refuses before anything is computed."""
    now = now_or(at)
    today = local_date(now)
    case = locked_case(actor, number, expected=expected)
    CASE.check(actor, case, action, on=today)
    return case, now, today, rules.profile(case.area_code)


def _reasons(text: str) -> str:
    """A refusal or rejection tells the applicant why (行政许可法 Art. 38)."""
    if not text.strip():
        raise BusinessError(_("Give the reasons, so the applicant is told why."),
                            code=Code.REASONS_REQUIRED)
    return text.strip()


def request_correction(*, actor: Any, number: str, missing: Sequence[str], note: str = "",
                       at: datetime | None = None, expected: str = "") -> Case:
    """补正: name everything missing in one notice, within the window (Art. 32(4))."""
    with transaction.atomic():
        case, now, today, profile = _begin(actor, number, Action.REQUEST_CORRECTION, at,
                                           expected)
        items = [m.strip() for m in missing if m.strip()]
        if not items:
            raise BusinessError(_("Name every missing material, all in one notice."),
                                code=Code.MISSING_REQUIRED)
        before = snapshot(case)
        names = case.version.material_names
        case.missing = [names.get(m, m) for m in items]
        return finish(actor, case, Action.REQUEST_CORRECTION, now=now, today=today,
                      before=before, cal=get_calendar(), profile=profile, note=note,
                      details={"missing": case.missing},
                      notice={"number": case.number, "missing": case.missing})


def supply(*, actor: Any, number: str, uploads: Sequence[Upload] = (), note: str = "",
           at: datetime | None = None, expected: str = "") -> Case:
    """The applicant (or the desk) supplies what was asked for; the application is
    checked anew, with a new window for asking again."""
    with transaction.atomic():
        case, now, today, profile = _begin(actor, number, Action.SUPPLY, at, expected)
        checked = check_uploads(uploads, profile=profile, already=case.attachments.count())
        cal = get_calendar()
        before = snapshot(case)
        supplied = list(case.missing)
        case.accept_by = cal.add(today, profile.number("correction_notice_days"))
        case.missing = []
        finish(actor, case, Action.SUPPLY, now=now, today=today, before=before, cal=cal,
               profile=profile, note=note, details={"supplied": supplied},
               notice={"number": case.number})
        store_uploads(case, checked)
        return case


def accept(*, actor: Any, number: str, note: str = "", at: datetime | None = None,
           expected: str = "") -> Case:
    """Acceptance: the clock starts on this day, which does not count (Art. 42, 82)."""
    with transaction.atomic():
        case, now, today, profile = _begin(actor, number, Action.ACCEPT, at, expected)
        cal = get_calendar()
        before = snapshot(case)
        start_clock(case, cal, today)
        assert case.due_on is not None
        return finish(actor, case, Action.ACCEPT, now=now, today=today, before=before,
                      cal=cal, profile=profile, note=note,
                      notice={"number": case.number, "due_on": case.due_on.isoformat()})


def refuse(*, actor: Any, number: str, reasons: str, at: datetime | None = None,
           expected: str = "") -> Case:
    """Not accepted (Art. 32(1)–(2)), with the reasons told to the applicant."""
    with transaction.atomic():
        case, now, today, profile = _begin(actor, number, Action.REFUSE, at, expected)
        before = snapshot(case)
        case.decision_reasons = _reasons(reasons)
        case.closed_on = today
        return finish(actor, case, Action.REFUSE, now=now, today=today, before=before,
                      cal=get_calendar(), profile=profile, note=case.decision_reasons,
                      notice={"number": case.number, "reasons": case.decision_reasons})


def extend(*, actor: Any, number: str, reason: str, days: int | None = None,
           at: datetime | None = None, expected: str = "") -> Case:
    """One extension of at most the legal days, approved by the actor as head of the
    office, with a reason sent to the applicant (Art. 42; ADR 0401)."""
    with transaction.atomic():
        case, now, today, profile = _begin(actor, number, Action.EXTEND, at, expected)
        allowed = profile.number("extension_days")
        extra = allowed if days is None else days
        if not reason.strip() or not 0 < extra <= allowed:
            raise BusinessError(
                _("One extension of at most %(n)d working days, with a reason for the "
                  "applicant.") % {"n": allowed},
                code=Code.EXTENSION_REFUSED, details={"max_days": allowed, "days": extra})
        cal = get_calendar()
        before = snapshot(case)
        assert case.accepted_on is not None
        case.due_on = sla.due_date(cal, case.accepted_on, case.limit_days, extra,
                                   case.paused_workdays)
        case.statutory_due_on = sla.due_date(cal, case.accepted_on, case.statutory_days,
                                             extra, case.paused_workdays)
        case.extension_days = extra
        case.extension_reason = reason.strip()
        return finish(actor, case, Action.EXTEND, now=now, today=today, before=before,
                      cal=cal, profile=profile, note=case.extension_reason,
                      notice={"number": case.number, "days": extra,
                              "reason": case.extension_reason,
                              "due_on": case.due_on.isoformat()})


def suspend(*, actor: Any, number: str, kind: str, note: str = "",
            at: datetime | None = None, expected: str = "") -> Case:
    """Stop the clock for a period the law excludes (Art. 45), from this day."""
    with transaction.atomic():
        case, now, today, profile = _begin(actor, number, Action.SUSPEND, at, expected)
        if kind not in PauseKind.values:
            raise BusinessError(_("Say which period stops the clock (hearing, inspection, "
                                  "testing, expert review, tender)."),
                                code=Code.PAUSE_KIND_REQUIRED,
                                details={"allowed": list(PauseKind.values)})
        before = snapshot(case)
        case.paused_since = today
        finish(actor, case, Action.SUSPEND, now=now, today=today, before=before,
               cal=get_calendar(), profile=profile, note=note,
               notice={"number": case.number, "kind": kind})
        ClockPause.objects.create(case=case, kind=kind, reason=note, started_on=today)
        return case


def resume(*, actor: Any, number: str, note: str = "", at: datetime | None = None,
           expected: str = "") -> Case:
    """Restart the clock: the working days in [stop, restart) push the deadlines."""
    with transaction.atomic():
        case, now, today, profile = _begin(actor, number, Action.RESUME, at, expected)
        cal = get_calendar()
        before = snapshot(case)
        pause = case.pauses.filter(ended_on__isnull=True).order_by("-started_on").first()
        excluded = sla.excluded_workdays(cal, case.paused_since or today, today)
        paused = case.paused_workdays + excluded
        assert case.accepted_on is not None
        case.due_on = sla.due_date(cal, case.accepted_on, case.limit_days, case.extension_days,
                                   paused)
        case.statutory_due_on = sla.due_date(cal, case.accepted_on, case.statutory_days,
                                             case.extension_days, paused)
        case.paused_workdays = paused
        case.paused_since = None
        finish(actor, case, Action.RESUME, now=now, today=today, before=before, cal=cal,
               profile=profile, note=note, details={"excluded_workdays": excluded},
               notice={"number": case.number, "excluded": excluded,
                       "due_on": case.due_on.isoformat()})
        if pause is not None:
            pause.ended_on = today
            pause.workdays = excluded
            pause.save(update_fields=["ended_on", "workdays"])
        return case


def decide(*, actor: Any, number: str, approve: bool, reasons: str = "",
           at: datetime | None = None, expected: str = "") -> Case:
    """The decision ends the clock (Art. 42) and starts the second one: the result
    reaches the applicant within the issue limit (Art. 44). A rejection gives reasons."""
    action = Action.APPROVE if approve else Action.REJECT
    with transaction.atomic():
        case, now, today, profile = _begin(actor, number, action, at, expected)
        text = reasons.strip() if approve else _reasons(reasons)
        cal = get_calendar()
        before = snapshot(case)
        assert case.accepted_on is not None
        case.decided_on = today
        case.issue_due_on = cal.add(today, profile.number("issue_days"))
        case.workdays_used = sla.workdays_used(cal, case.accepted_on, today,
                                               case.paused_workdays)
        if text:
            case.decision_reasons = text
        notice: dict[str, Any] = {"number": case.number}
        if not approve:
            notice["reasons"] = text
        return finish(actor, case, action, now=now, today=today, before=before, cal=cal,
                      profile=profile, note=text, notice=notice)


def _plain_step(action: str, field: str, actor: Any, number: str, note: str,
                at: datetime | None, expected: str) -> Case:
    """A step that only records its day (issue, close, withdraw)."""
    with transaction.atomic():
        case, now, today, profile = _begin(actor, number, action, at, expected)
        before = snapshot(case)
        setattr(case, field, today)
        return finish(actor, case, action, now=now, today=today, before=before,
                      cal=get_calendar(), profile=profile, note=note,
                      notice={"number": case.number})


def issue(*, actor: Any, number: str, note: str = "", at: datetime | None = None,
          expected: str = "") -> Case:
    """The written decision or licence has reached the applicant (Art. 44)."""
    return _plain_step(Action.ISSUE, "issued_on", actor, number, note, at, expected)


def close(*, actor: Any, number: str, note: str = "", at: datetime | None = None,
          expected: str = "") -> Case:
    return _plain_step(Action.CLOSE, "closed_on", actor, number, note, at, expected)


def withdraw(*, actor: Any, number: str, note: str = "", at: datetime | None = None,
             expected: str = "") -> Case:
    """The applicant (or the desk for them) withdraws the application; it cannot be
    taken up again."""
    return _plain_step(Action.WITHDRAW, "closed_on", actor, number, note, at, expected)


#: Steps a person takes (acceptance on receipt is the clock's, see ``clock.sweep``).
MANUAL = [a for a in Action if a != Action.AUTO_ACCEPT]


def act(*, actor: Any, number: str, action: str, note: str = "", missing: Sequence[str] = (),
        pause_kind: str = "", days: int | None = None, uploads: Sequence[Upload] = (),
        at: datetime | None = None, expected: str = "") -> Case:
    """Take the step named ``action`` (the API's ``POST /cases/{number}/{action}``, the
    CLI): each step gets the inputs it uses. An unknown name is a 409 ``unknown_action``."""
    common: dict[str, Any] = {"actor": actor, "number": number, "at": at, "expected": expected}
    match action:
        case Action.REQUEST_CORRECTION:
            return request_correction(**common, missing=missing, note=note)
        case Action.SUPPLY:
            return supply(**common, uploads=uploads, note=note)
        case Action.ACCEPT:
            return accept(**common, note=note)
        case Action.REFUSE:
            return refuse(**common, reasons=note)
        case Action.EXTEND:
            return extend(**common, reason=note, days=days)
        case Action.SUSPEND:
            return suspend(**common, kind=pause_kind, note=note)
        case Action.RESUME:
            return resume(**common, note=note)
        case Action.APPROVE | Action.REJECT:
            return decide(**common, approve=action == Action.APPROVE, reasons=note)
        case Action.ISSUE:
            return issue(**common, note=note)
        case Action.CLOSE:
            return close(**common, note=note)
        case Action.WITHDRAW:
            return withdraw(**common, note=note)
    raise InvalidTransition(_("A case has no such step."),
                            code=Code.UNKNOWN_ACTION,
                            details={"action": action, "known": [str(a) for a in MANUAL]})
