"""Reads of the services module, always scoped to the caller (``authz.scope_q``), and the
pure computations pages show. Lists return querysets ordered for keyset paging."""

from __future__ import annotations

import hmac
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Avg, Count, F, Q, QuerySet
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shequ import authz
from shequ.areas.models import Area
from shequ.core.errors import NotFound
from shequ.services.enums import Code, Perm
from shequ.services.models import Case, CaseEvent, ItemVersion, Notification, ServiceItem, State
from shequ.services.notices import event_label


def today() -> date:
    return timezone.localdate()


# ---------------------------------------------------------------- catalogue (public)


def items(*, active_only: bool = True) -> QuerySet[ServiceItem]:
    qs = ServiceItem.objects.select_related("current").filter(current__isnull=False)
    return qs.filter(active=True) if active_only else qs


def get_item(code: str) -> ServiceItem:
    item = items(active_only=False).filter(code=code).first()
    if item is None:
        raise NotFound(_("No such service item."), code=Code.UNKNOWN_ITEM,
                       details={"item_code": code})
    return item


def versions_of(code: str) -> QuerySet[ItemVersion]:
    return ItemVersion.objects.filter(item__code=code).order_by("-version")


# ---------------------------------------------------------------- cases


def cases(*, user: Any, state: str = "", sla: str = "", street: str = "", item: str = "",
          channel: str = "", q: str = "") -> QuerySet[Case]:
    """Cases in the caller's ``services.view`` scope, newest first."""
    authz.check(user, Perm.VIEW)
    qs = (Case.objects.filter(authz.scope_q(user, Perm.VIEW))
          .select_related("version", "item"))
    if state:
        qs = qs.filter(state=state)
    if sla:
        qs = qs.filter(sla=sla)
    if street:
        qs = qs.filter(street_code=street)
    if item:
        qs = qs.filter(item__code=item)
    if channel:
        qs = qs.filter(channel=channel)
    if q:
        qs = qs.filter(Q(number__icontains=q) | Q(applicant_name__icontains=q))
    return qs.order_by("-submitted_at", "-id")


def own_record(user: Any) -> Any:
    """The signed-in user's own resident record (``None`` without one): a resident
    applies only as this person."""
    from shequ.people import facade as people

    return people.resident_of_user(user)


def real_names(usernames: set[str]) -> dict[str, str]:
    """How staff are named on a page: their display name (real name), not the user name
    stored in a history line; one query for a page's names."""
    from shequ.accounts.facade import User

    names = {n for n in usernames if n}
    if not names:
        return {}
    return {u: d for u, d in User.objects.filter(username__in=names)
            .values_list("username", "display_name") if d}


def can_see(user: Any, case: Case) -> bool:
    if user is None or not user.is_authenticated:
        return False
    if case.applicant_user_id is not None and case.applicant_user_id == getattr(user, "pk", None):
        return True
    return authz.has_perm(user, Perm.VIEW, case.area_code)


def get_case(*, user: Any, number: str) -> Case:
    """A case its applicant or a staff member in scope may see; otherwise 404 (never
    telling whether the number exists)."""
    case = (Case.objects.select_related("version", "item", "station")
            .filter(number=number).first())
    if user is None or not user.is_authenticated:
        authz.check(user, Perm.VIEW)
    if case is None or not can_see(user, case):
        raise NotFound(_("No such case."), code=Code.UNKNOWN_CASE, details={"number": number})
    return case


def phone_hint(case: Case) -> str:
    """What a page shows of the applicant's phone: only the four digits the progress
    query asks for (the number itself is stored encrypted)."""
    return ("*" * 7 + case.phone_last4) if case.phone_last4 else ""


def my_cases(*, user: Any) -> QuerySet[Case]:
    """The signed-in resident's own applications, newest first."""
    authz.check(user, Perm.APPLY)
    return (Case.objects.filter(applicant_user=user).select_related("version", "item")
            .order_by("-submitted_at", "-id"))


def notifications(*, user: Any) -> QuerySet[Notification]:
    """The user's notifications, newest first (nothing for anonymous visitors)."""
    if user is None or not user.is_authenticated or not getattr(user, "pk", None):
        return Notification.objects.none()
    return (Notification.objects.filter(user=user).select_related("case")
            .order_by("-created_at", "-id"))


def street_overdue(*, user: Any, street: str, on: date | None = None) -> QuerySet[Case]:
    """A street's overdue cases, most overdue first (served by the partial index
    ``case_open_due``)."""
    authz.check(user, Perm.VIEW, street)
    on = on or today()
    return (Case.objects.filter(street_code=street, state=State.IN_REVIEW, due_on__lt=on)
            .order_by("due_on", "id"))


def overdue(*, user: Any, street: str, on: date | None = None, limit: int = 100
            ) -> list[Case]:
    """The first ``limit`` of :func:`street_overdue`, with only the columns a list shows."""
    return list(street_overdue(user=user, street=street, on=on)
                .only("number", "area_code", "street_code", "item_id", "due_on", "accepted_on",
                      "state", "sla", "extension_days", "applicant_name")[:limit])


def issue_overdue(*, user: Any, on: date | None = None) -> QuerySet[Case]:
    """Decided cases whose result has not reached the applicant by the issue deadline
    (行政许可法 Art. 44), in the caller's scope."""
    authz.check(user, Perm.VIEW)
    on = on or today()
    return (Case.objects.filter(authz.scope_q(user, Perm.VIEW),
                                state__in=[State.APPROVED, State.REJECTED], issue_due_on__lt=on)
            .order_by("issue_due_on", "id"))


# ---------------------------------------------------------------- public progress


def same_phone(case: Case, last4: str) -> bool:
    """Constant-time comparison of the second factor of the public progress query."""
    return bool(case.phone_last4) and hmac.compare_digest(case.phone_last4,
                                                           last4.strip()[-4:])


@dataclass(frozen=True)
class Progress:
    number: str
    item: str
    state: str
    state_label: str
    received_on: date
    accepted_on: date | None
    due_on: date | None
    decided_on: date | None
    sla: str
    sla_label: str
    steps: list[tuple[date, str]]
    missing: list[str]


def progress(*, number: str, phone_last4: str) -> Progress:
    """Progress by case number plus the last four digits of the phone; the same
    "not found" whether the number is unknown or the digits are wrong; no names."""
    case = Case.objects.select_related("version").filter(number=number.strip()).first()
    if case is None or not same_phone(case, phone_last4):
        raise NotFound(_("No case matches this number and phone digits."),
                       code=Code.PROGRESS_NOT_FOUND)
    steps = [(timezone.localtime(e.at).date(), event_label(e.action))
             for e in CaseEvent.objects.filter(case=case).order_by("at", "id")]
    return Progress(number=case.number, item=case.version.name, state=case.state,
                    state_label=str(case.get_state_display()),
                    received_on=timezone.localtime(case.submitted_at).date(),
                    accepted_on=case.accepted_on, due_on=case.due_on, decided_on=case.decided_on,
                    sla=case.sla, sla_label=str(case.get_sla_display()), steps=steps,
                    missing=list(case.missing) if case.state == State.CORRECTION else [])


# ---------------------------------------------------------------- statistics

GROUPS = {"street": "street_code", "department": "version__department", "item": "item__code",
          "month": "month"}


@dataclass(frozen=True)
class StatRow:
    key: str
    label: str
    cases: int
    completed: int
    on_time: int
    late: int
    overdue_open: int
    avg_workdays: float | None

    @property
    def on_time_rate(self) -> float | None:
        return self.on_time / self.completed if self.completed else None


def statistics(*, user: Any, by: str = "street", on: date | None = None,
               start: date | None = None, end: date | None = None, within: str = ""
               ) -> list[StatRow]:
    """On-time rate, average working days used and overdue counts, grouped by street,
    department, item or month of receipt. "Completed" means decided; on time means
    decided on or before the (extended, pause-adjusted) deadline."""
    authz.check(user, Perm.STATS)
    if by not in GROUPS:
        raise NotFound(_("Unknown grouping."), code=Code.UNKNOWN_GROUPING,
                       details={"allowed": list(GROUPS)})
    on = on or today()
    qs = Case.objects.filter(authz.scope_q(user, Perm.STATS))
    if within:
        qs = qs.filter(area_code__startswith=within)
    if start:
        qs = qs.filter(submitted_at__date__gte=start)
    if end:
        qs = qs.filter(submitted_at__date__lte=end)
    if by == "month":
        qs = qs.annotate(month=TruncMonth("submitted_at"))
    field = GROUPS[by]
    rows = (qs.order_by().values(field).annotate(
        n=Count("id"),
        completed=Count("id", filter=Q(decided_on__isnull=False)),
        on_time=Count("id", filter=Q(decided_on__isnull=False, decided_on__lte=F("due_on"))),
        overdue_open=Count("id", filter=Q(state=State.IN_REVIEW, due_on__lt=on)),
        avg=Avg("workdays_used", filter=Q(decided_on__isnull=False)),
    ).order_by(field))
    labels = _labels(by, [r[field] for r in rows])
    result = []
    for r in rows:
        key = r[field]
        key_s = key.strftime("%Y-%m") if by == "month" and key else str(key)
        result.append(StatRow(key=key_s, label=labels.get(key_s, key_s), cases=r["n"],
                              completed=r["completed"], on_time=r["on_time"],
                              late=r["completed"] - r["on_time"], overdue_open=r["overdue_open"],
                              avg_workdays=round(float(r["avg"]), 2) if r["avg"] is not None
                              else None))
    return result


def _labels(by: str, keys: list[Any]) -> dict[str, str]:
    if by == "street":
        return dict(Area.objects.filter(code__in=keys).values_list("code", "name"))
    if by == "item":
        return {i.code: i.current.name for i in items(active_only=False).filter(code__in=keys)
                if i.current}
    return {}


def total(rows: list[StatRow]) -> StatRow:
    completed = sum(r.completed for r in rows)
    weighted = [r.avg_workdays * r.completed for r in rows if r.avg_workdays is not None]
    return StatRow(key="", label=str(_("Total")), cases=sum(r.cases for r in rows),
                   completed=completed, on_time=sum(r.on_time for r in rows),
                   late=sum(r.late for r in rows), overdue_open=sum(r.overdue_open for r in rows),
                   avg_workdays=round(sum(weighted) / completed, 2) if completed else None)


def overdue_cases(*, user: Any, on: date | None = None, within: str = "", limit: int = 500
                  ) -> list[Case]:
    """Overdue open cases across the caller's scope, for the statistics page and export."""
    authz.check(user, Perm.STATS)
    on = on or today()
    qs = Case.objects.filter(authz.scope_q(user, Perm.STATS), state=State.IN_REVIEW,
                             due_on__lt=on).select_related("version")
    if within:
        qs = qs.filter(area_code__startswith=within)
    return list(qs.order_by("due_on", "id")[:limit])
