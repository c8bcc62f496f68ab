"""The procurement module's indicators for assessment (ADR 0019, 1001), each one grouped
query by area-code prefix over the buyers' areas (a street office or the district, so
they are offered for streets and districts, not communities):

- purchased-service spending: payments made in the period (实施条例 第五十一条: against
  accepted milestones), in yuan;
- performance of purchased services: the average score (of 100) of the performance
  evaluations made in the period (财政部令第102号 第二十九条).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Count, Sum
from django.db.models.functions import Substr
from django.utils.translation import gettext_lazy as _

from shequ.core.indicators import Indicator, Value, length
from shequ.procurement.models import Payment, Performance


def spending(within: str, level: str, start: date, end: date) -> dict[str, Value]:
    n = length(level)
    rows: Any = (Payment.objects.filter(area_code__startswith=within, paid_on__gte=start,
                                        paid_on__lte=end).order_by()
                 .annotate(part=Substr("area_code", 1, n)).values_list("part")
                 .annotate(s=Sum("amount_fen")))
    return {p: Value(Decimal(s) / 100) for p, s in rows if len(p) == n and s is not None}


def performance(within: str, level: str, start: date, end: date) -> dict[str, Value]:
    n = length(level)
    rows: Any = (Performance.objects.filter(area_code__startswith=within, on__gte=start,
                                            on__lte=end).order_by()
                 .annotate(part=Substr("area_code", 1, n)).values_list("part")
                 .annotate(s=Sum("score"), c=Count("id")))
    return {p: Value(int(s), int(c)) for p, s, c in rows if len(p) == n and c}


INDICATORS = (
    Indicator("procurement.spending", _("Purchased services paid for"), "yuan", "higher",
              spending, _("Implementing Regulations of the Government Procurement Law Art. 51"),
              levels=("street", "district")),
    Indicator("procurement.performance", _("Performance score of purchased services"), "points",
              "higher", performance, _("Ministry of Finance Order No. 102 Art. 29"),
              levels=("street", "district")),
)


def register() -> None:
    from shequ.core.indicators import register_indicator

    register_indicator(*INDICATORS)
