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
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from shequ.core import rows
from shequ.core.calendar import get_calendar
from shequ.core.errors import BusinessError, InvalidTransition
from shequ.rules import Profile
from shequ.services import rules, sla
from shequ.services.enums import Code
from shequ.services.lifecycles import CASE, actor_name, head_office
from shequ.services.models import (
    Action,
    Case,
    ClockPause,
    Handling,
    ItemKind,
    Notification,
    OfficeHead,
    PauseKind,
)
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


def _asked_codes(case: Case) -> list[str]:
    """The materials the last 补正 notice asked for (codes of the item's catalogue)."""
    last = (case.events.filter(action=Action.REQUEST_CORRECTION).order_by("-at", "-id")
            .values_list("details", flat=True).first())
    return list((last or {}).get("codes", []))


def _newly_supplied(case: Case) -> set[str]:
    """The materials supplied in answer to the last notice: the only ones a later notice
    may find fault with (一次告知, ADR 0406)."""
    last = (case.events.filter(action=Action.SUPPLY).order_by("-at", "-id")
            .values_list("details", flat=True).first())
    return set((last or {}).get("codes", []))


def _attached_since_notice(case: Case, asked: list[str]) -> list[str]:
    """Materials asked for that were attached after the last notice (``attach``)."""
    last = (case.events.filter(action=Action.REQUEST_CORRECTION).order_by("-at", "-id")
            .values_list("at", flat=True).first())
    if last is None or not asked:
        return []
    return list(case.attachments.filter(uploaded_at__gte=last, material_code__in=asked)
                .values_list("material_code", flat=True))


def request_correction(*, actor: Any, number: str, missing: Sequence[str], note: str = "",
                       at: datetime | None = None, expected: str = "") -> Case:
    """补正: name everything missing in one notice, within the window (Art. 32(4)). A
    later notice may only concern the materials supplied in answer to the previous one:
    whatever was missing or wrong the first time had to be named then (一次告知)."""
    with transaction.atomic():
        case, now, today, profile = _begin(actor, number, Action.REQUEST_CORRECTION, at,
                                           expected)
        names = case.version.material_names
        codes = list(dict.fromkeys(m.strip() for m in missing if m.strip()))
        if not codes:
            raise BusinessError(_("Name every missing material, all in one notice."),
                                code=Code.MISSING_REQUIRED)
        unknown = [c for c in codes if c not in names]
        if unknown:
            raise BusinessError(
                _("Not a material of this item: %(m)s. Name the materials from the item's "
                  "list and say in the note what is wrong with each.")
                % {"m": "、".join(unknown)},
                code=Code.UNKNOWN_MATERIAL, details={"unknown": unknown,
                                                     "materials": list(names)})
        if case.correction_rounds:
            new = _newly_supplied(case)
            old = [c for c in codes if c not in new]
            if old:
                rule = profile.rule("correction_once")
                raise BusinessError(
                    _("Everything missing had to be named in the first notice (%(rule)s); a "
                      "further notice may only concern materials supplied since: "
                      "%(m)s was not.") % {"rule": rule.source(),
                                           "m": "、".join(names[c] for c in old)},
                    code=Code.NOT_NEWLY_SUPPLIED,
                    details={"not_newly_supplied": old, "newly_supplied": sorted(new)})
        before = snapshot(case)
        case.missing = [names[c] for c in codes]
        case.correction_rounds += 1
        return finish(actor, case, Action.REQUEST_CORRECTION, now=now, today=today,
                      before=before, cal=get_calendar(), profile=profile, note=note,
                      details={"missing": case.missing, "codes": codes,
                               "round": case.correction_rounds},
                      notice={"number": case.number, "missing": case.missing,
                              "note": note.strip()})


def supply(*, actor: Any, number: str, uploads: Sequence[Upload] = (), note: str = "",
           at: datetime | None = None, expected: str = "") -> Case:
    """The applicant (or the desk) supplies what was asked for, a file for each material
    named; the complete materials are received on this day, from which a new window for
    checking them runs and, if nobody acts in it, acceptance dates (Art. 32(4)–(5))."""
    with transaction.atomic():
        case, now, today, profile = _begin(actor, number, Action.SUPPLY, at, expected)
        asked = _asked_codes(case)
        if len(asked) == 1:  # one material asked for: an untagged file is that one
            uploads = [u if u.material_code else Upload(u.name, u.content, asked[0])
                       for u in uploads]
        names = case.version.material_names
        given = {u.material_code for u in uploads if u.content}
        attached = set(_attached_since_notice(case, asked))  # e.g. the API's upload
        lacking = [c for c in asked if c not in given | attached]
        if (not uploads and not attached) or lacking:
            raise BusinessError(
                _("Attach a file for each material asked for; missing: %(m)s.")
                % {"m": "、".join(names.get(c, c) for c in (lacking or asked))},
                code=Code.SUPPLY_FILES_REQUIRED, details={"missing": lacking or asked})
        stray = sorted(given - set(asked))
        if stray:
            raise BusinessError(
                _("Only the materials asked for are supplied here: %(m)s was not asked for.")
                % {"m": "、".join(names.get(c, c) for c in stray)},
                code=Code.UNKNOWN_MATERIAL, details={"unknown": stray})
        checked = check_uploads(uploads, profile=profile, already=case.attachments.count())
        cal = get_calendar()
        before = snapshot(case)
        supplied = list(case.missing)
        case.received_on = today
        case.accept_by = cal.add(today, profile.number("correction_notice_days"))
        case.missing = []
        finish(actor, case, Action.SUPPLY, now=now, today=today, before=before, cal=cal,
               profile=profile, note=note,
               details={"supplied": supplied, "codes": sorted(given | attached),
                        "received_on": today.isoformat()},
               notice={"number": case.number, "accept_by": case.accept_by.isoformat()})
        store_uploads(case, checked)
        return case


def accept(*, actor: Any, number: str, note: str = "", at: datetime | None = None,
           expected: str = "") -> Case:
    """Acceptance: the clock starts on this day, which does not count (Art. 42, 82). Once
    the window for asking for materials has passed, the law has accepted the application
    on receipt (Art. 32(4)): a later acceptance by hand only records that, and the clock
    runs from the receipt of the complete materials (ADR 0406)."""
    with transaction.atomic():
        case, now, today, profile = _begin(actor, number, Action.ACCEPT, at, expected)
        cal = get_calendar()
        before = snapshot(case)
        deemed = today > case.accept_by
        start_clock(case, cal, case.receipt_day if deemed else today)
        assert case.due_on is not None and case.accepted_on is not None
        return finish(actor, case, Action.ACCEPT, now=now, today=today, before=before,
                      cal=cal, profile=profile, note=note,
                      details={"accepted_on": case.accepted_on.isoformat(),
                               "on_receipt": deemed},
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


def extension_limit(case: Case, profile: Profile) -> int:
    """The most working days the case's period may be extended by: the item's own (its
    legal basis), never more than Art. 42 allows for a licence (10 days handled by one
    office, 15 in unified, joint or centralised handling; ADR 0407)."""
    own = case.version.extension_days
    if case.version.kind != ItemKind.LICENCE:
        return own
    if case.version.handling == Handling.JOINT:
        return min(own, profile.number("joint_extension_days"))
    if case.version.handling == Handling.FIRST_REVIEW:
        return 0
    return min(own, profile.number("extension_days"))


def _extension_days(days: int | None, allowed: int, reason: str) -> tuple[int, str]:
    if days is None or not reason.strip() or not 0 < days <= allowed:
        raise BusinessError(
            _("One extension of 1 to %(n)d working days, with a reason for the applicant "
              "(the days given: %(d)s).") % {"n": allowed,
                                              "d": "—" if days is None else days},
            code=Code.EXTENSION_REFUSED, details={"max_days": allowed, "days": days})
    return days, reason.strip()


def request_extension(*, actor: Any, number: str, days: int | None, reason: str,
                      at: datetime | None = None, expected: str = "") -> Case:
    """The officer asks the head of the office to extend the period (Art. 42: 经本行政机关
    负责人批准); the heads are told. Nothing changes on the clock until a head approves."""
    with transaction.atomic():
        case, now, today, profile = _begin(actor, number, Action.REQUEST_EXTENSION, at,
                                           expected)
        extra, text = _extension_days(days, extension_limit(case, profile), reason)
        before = snapshot(case)
        case.extension_requested = extra
        case.extension_reason = text
        finish(actor, case, Action.REQUEST_EXTENSION, now=now, today=today, before=before,
               cal=get_calendar(), profile=profile, note=text, details={"days": extra})
        heads = OfficeHead.objects.filter(area_code=head_office(case), since__lte=today
                                          ).filter(Q(until__isnull=True) | Q(until__gte=today))
        rows.insert_all([Notification(
            case=case, user_id=h.user_id, to_applicant=False, kind="extension_requested",
            params={"number": case.number, "days": extra, "reason": text}, created_at=now)
            for h in heads])
        return case


def extend(*, actor: Any, number: str, reason: str = "", days: int | None = None,
           at: datetime | None = None, expected: str = "") -> Case:
    """The head of the office approves one extension of at most the item's days, with a
    reason sent to the applicant (Art. 42; ADR 0407): the days and reason asked for by
    the officer unless the head gives others."""
    with transaction.atomic():
        case, now, today, profile = _begin(actor, number, Action.EXTEND, at, expected)
        if days is None and case.extension_requested:
            days = case.extension_requested
        extra, text = _extension_days(days, extension_limit(case, profile),
                                      reason or case.extension_reason)
        cal = get_calendar()
        before = snapshot(case)
        assert case.accepted_on is not None
        case.due_on = sla.due_date(cal, case.accepted_on, case.limit_days, extra,
                                   case.paused_workdays)
        case.statutory_due_on = sla.due_date(cal, case.accepted_on, case.statutory_days,
                                             extra, case.paused_workdays)
        case.extension_days = extra
        case.extension_reason = text
        case.extension_requested = 0
        case.extension_approved_by = actor_name(actor)
        return finish(actor, case, Action.EXTEND, now=now, today=today, before=before,
                      cal=cal, profile=profile, note=case.extension_reason,
                      details={"approved_by": case.extension_approved_by, "days": extra,
                               "statutory_due_on": case.statutory_due_on.isoformat()},
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
        case Action.REQUEST_EXTENSION:
            return request_extension(**common, reason=note, days=days)
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
