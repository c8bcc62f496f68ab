"""The services module's indicators for assessment (ADR 0019, 1001): each computed for
every area of a level in one grouped query over cases, by area-code prefix.

- on-time rate: cases decided in the period, decided on or before their (extended,
  pause-adjusted) deadline, over all decided in the period with a deadline;
- overdue: cases accepted and still undecided at the period's end with the deadline
  passed (the state at that day, not today's);
- working days to decide: the sum of working days used over the cases decided in the
  period (so streets and districts add up exactly);
- results issued late: results issued in the period after the issue limit (行政许可法
  第四十四条: ten days from the decision).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import Count, F, Q, Sum
from django.db.models.functions import Substr
from django.utils.translation import gettext_lazy as _

from shequ.core.indicators import Indicator, Value, counts, length
from shequ.services.models import Case, State

POLICY = _("Administrative Licensing Law Art. 42–44; Jinjiang reform: approvals moved to "
           "streets are handled within a promised time")


def _grouped(within: str, level: str, flt: Q, **aggregates: Any) -> list[dict[str, Any]]:
    rows: Any = (Case.objects.filter(flt, area_code__startswith=within).order_by()
                 .annotate(part=Substr("area_code", 1, length(level))).values("part")
                 .annotate(**aggregates))
    return list(rows)


def on_time_rate(within: str, level: str, start: date, end: date) -> dict[str, Value]:
    rows = _grouped(within, level, Q(decided_on__gte=start, decided_on__lte=end,
                                     due_on__isnull=False),
                    n=Count("id"), ok=Count("id", filter=Q(decided_on__lte=F("due_on"))))
    return {r["part"]: Value(r["ok"], r["n"]) for r in rows}


def overdue(within: str, level: str, start: date, end: date) -> dict[str, Value]:
    flt = (Q(accepted_on__lte=end, due_on__lt=end)
           & (Q(decided_on__isnull=True) | Q(decided_on__gt=end))
           & ~Q(state__in=[State.WITHDRAWN, State.REFUSED]))
    rows = _grouped(within, level, flt, n=Count("id"))
    return counts({r["part"]: r["n"] for r in rows})


def working_days(within: str, level: str, start: date, end: date) -> dict[str, Value]:
    rows = _grouped(within, level, Q(decided_on__gte=start, decided_on__lte=end,
                                     workdays_used__isnull=False),
                    n=Count("id"), s=Sum("workdays_used"))
    return {r["part"]: Value(int(r["s"] or 0), r["n"]) for r in rows}


def issued_late(within: str, level: str, start: date, end: date) -> dict[str, Value]:
    rows = _grouped(within, level, Q(issued_on__gte=start, issued_on__lte=end,
                                     issue_due_on__isnull=False),
                    n=Count("id", filter=Q(issued_on__gt=F("issue_due_on"))))
    return counts({r["part"]: r["n"] for r in rows})


INDICATORS = (
    Indicator("services.on_time_rate", _("Cases decided on time"), "share", "higher",
              on_time_rate, POLICY),
    Indicator("services.overdue", _("Cases overdue at the period's end"), "count", "lower",
              overdue, POLICY),
    Indicator("services.working_days", _("Average working days to decide"), "working_days",
              "lower", working_days, POLICY),
    Indicator("services.issued_late", _("Results issued after the ten-day limit"), "count",
              "lower", issued_late, _("Administrative Licensing Law Art. 44")),
)


def register() -> None:
    from shequ.core.indicators import register_indicator

    register_indicator(*INDICATORS)
