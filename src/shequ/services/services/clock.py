"""The clock sweep (periodic, ``tasks.sweep_cases``): accept on receipt what nobody
checked in time (行政许可法 Art. 32(4)), refresh every open case's time-limit status,
warn once, escalate overdue cases once. Idempotent (ADR 0401, 0403)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db import transaction
from django.db.models import Q

from shequ import authz
from shequ.accounts import facade as accounts
from shequ.accounts.facade import User
from shequ.audit.services import record
from shequ.core import rows
from shequ.core.calendar import WorkdayCalendar, get_calendar
from shequ.core.errors import BusinessError
from shequ.rules.models import RuleOverride
from shequ.services import rollups, rules, sla
from shequ.services.enums import AuditAction, Perm
from shequ.services.lifecycles import actor_name
from shequ.services.models import Action, Case, CaseEvent, Notification, Sla, State
from shequ.services.services.common import (
    CLOCK_STATES,
    STREET_LENGTH,
    finish,
    local_date,
    now_or,
    snapshot,
    start_clock,
)

REFRESH_CHUNK = 5000


@dataclass
class SweepResult:
    auto_accepted: int = 0
    updated: int = 0
    warned: int = 0
    escalated: int = 0
    errors: int = 0

    def as_dict(self) -> dict[str, int]:
        return dict(self.__dict__)


def supervisors_of(area_code: str) -> list[User]:
    """Users holding ``services.supervise`` at the case's area or above."""
    return accounts.holders(Perm.SUPERVISE, area_code)


def sweep(*, actor: Any, at: datetime | None = None) -> SweepResult:
    """Move the clock for every open case; running it twice changes nothing."""
    authz.check(actor, Perm.SWEEP)
    now = now_or(at)
    today = local_date(now)
    cal = get_calendar()
    result = SweepResult()
    _accept_on_receipt(actor, now, today, cal, result)
    bosses: dict[str, list[User]] = {}
    last_days: dict[int, date | None] = {}
    streets = list(Case.objects.filter(state__in=CLOCK_STATES).order_by("street_code")
                   .values_list("street_code", flat=True).distinct())
    own_rule = _communities_with_own_warning()
    profiles = rules.profiles([*streets, *own_rule])  # one query for every street
    for street in streets:
        # one set-based UPDATE per street (short transactions; streets never wait for each
        # other), touching only cases whose status changes; a community that set its own
        # warning window gets its own UPDATE
        mine = sorted(c for c in own_rule if c.startswith(street))
        groups = [(Q(street_code=street) & ~Q(area_code__in=mine), street)]
        groups += [(Q(street_code=street, area_code=code), code) for code in mine]
        for where, code in groups:
            warn_days = profiles[code].number("warning_days")
            if warn_days not in last_days:
                try:
                    last_days[warn_days] = sla.last_warning_day(cal, today, warn_days)
                except BusinessError:  # the calendar does not reach far enough
                    last_days[warn_days] = None
            _refresh(Case.objects.filter(where, state__in=CLOCK_STATES), today,
                     last_days[warn_days], result)
        open_cases = Case.objects.filter(street_code=street, state=State.IN_REVIEW)
        for case in open_cases.filter(sla=Sla.WARNING, warned_at__isnull=True).order_by("pk"):
            _warn(actor, case, now, result)
        for case in open_cases.filter(sla=Sla.OVERDUE, escalated_at__isnull=True).order_by("pk"):
            if case.area_code not in bosses:  # a community's cases share them
                bosses[case.area_code] = supervisors_of(case.area_code)
            _escalate(actor, case, now, bosses[case.area_code], result)
    return result


def _communities_with_own_warning() -> set[str]:
    """Community codes with a local warning window of their own (rare: districts and
    streets set local values; one query for the whole sweep)."""
    codes = RuleOverride.objects.filter(module=rules.MODULE, profile=rules.PROFILE,
                                        key="warning_days").values_list("area_code", flat=True)
    return {c for c in codes if len(c) > STREET_LENGTH}


def _accept_on_receipt(actor: Any, now: datetime, today: date, cal: WorkdayCalendar,
                       result: SweepResult) -> None:
    """Applications nobody accepted or asked materials for within the window count as
    accepted on the day they were received; each is its own transaction."""
    for case in Case.objects.filter(state=State.SUBMITTED, accept_by__lt=today).order_by("pk"):
        received = case.receipt_day  # the complete materials, not a first filing
        try:
            with transaction.atomic():
                locked = Case.objects.select_for_update().get(pk=case.pk)
                if locked.state != State.SUBMITTED:
                    continue
                before = snapshot(locked)
                start_clock(locked, cal, received)
                assert locked.due_on is not None
                finish(actor, locked, Action.AUTO_ACCEPT, now=now, today=today, before=before,
                       cal=cal, profile=rules.profile(locked.area_code),
                       inputs={"clock": True}, details={"accepted_on": received.isoformat()},
                       notice={"number": locked.number, "due_on": locked.due_on.isoformat()})
            result.auto_accepted += 1
        except BusinessError:
            result.errors += 1


def _refresh(open_cases: Any, today: date, last_warning: date | None,
             result: SweepResult) -> None:
    if last_warning is None:  # running cases cannot be told apart: counted, left alone
        result.errors += open_cases.filter(state=State.IN_REVIEW, decided_on__isnull=True,
                                           due_on__gte=today).count()
    expr = sla.status_expression(today, last_warning)
    changing = open_cases.exclude(sla=expr).annotate(new_sla=expr).order_by("pk")
    last = 0
    while True:
        # the rows whose status changes, locked, then updated; the statistics' overdue
        # count moves by those entering or leaving "overdue", in the same transaction (a
        # step that changed a case meanwhile is either seen here or waited for)
        with transaction.atomic():
            moved = list(changing.filter(pk__gt=last).select_for_update(of=("self",))
                         .values_list("pk", "street_code", "item_id", "department_id",
                                      "version__department", "submitted_at", "sla",
                                      "new_sla")[:REFRESH_CHUNK])
            if not moved:
                return
            result.updated += Case.objects.filter(pk__in=[m[0] for m in moved]).update(sla=expr)
            rollups.count_sweep(m[1:] for m in moved)
        last = moved[-1][0]


def _warn(actor: Any, case: Case, now: datetime, result: SweepResult) -> None:
    with transaction.atomic():
        # claimed with a conditional UPDATE, so two sweeps at once warn once
        if Case.objects.filter(pk=case.pk, warned_at__isnull=True).update(warned_at=now):
            rows.insert(CaseEvent(case=case, at=now, action="warn", from_state=case.state,
                                  to_state=case.state, actor_name=actor_name(actor)))
            record(actor=actor, action=AuditAction.CASE_WARN, obj=case,
                   area_code=case.area_code, changes={"due_on": case.due_on})
            result.warned += 1


def _escalate(actor: Any, case: Case, now: datetime, bosses: list[User],
              result: SweepResult) -> None:
    with transaction.atomic():
        if Case.objects.filter(pk=case.pk, escalated_at__isnull=True).update(escalated_at=now):
            params = {"number": case.number,
                      "due_on": case.due_on.isoformat() if case.due_on else ""}
            rows.insert_all([
                Notification(case=case, user=boss, to_applicant=False, kind="escalate",
                             params=params, created_at=now) for boss in bosses])
            rows.insert(CaseEvent(case=case, at=now, action="escalate", from_state=case.state,
                                  to_state=case.state, actor_name=actor_name(actor)))
            record(actor=actor, action=AuditAction.CASE_ESCALATE, obj=case,
                   area_code=case.area_code, changes={"due_on": case.due_on})
            result.escalated += 1
