"""The autonomy module's indicators for assessment (ADR 0019, 1001), each one grouped
query by area-code prefix:

- proposals answered in time: proposals whose implementation deadline falls in the
  period, marked implemented on or before that deadline (重大事项提案制: the committee
  answers a proposal by implementing it within the period it set);
- disclosures on time: disclosures due in the period, published on or before the day
  they were due (村民委员会组织法 第三十条; the district's grace days);
- resident evaluation satisfaction: in campaigns that closed in the period, the ratings
  "fit" and "basically fit" over all ratings (村民委员会组织法 第三十三条).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import Count, F, Q, Sum
from django.db.models.functions import Substr
from django.utils.translation import gettext_lazy as _

from shequ.autonomy.models import Disclosure, EvaluationCampaign, EvaluationTarget, Proposal
from shequ.core.indicators import Indicator, Value, length


def _part(field: str, level: str) -> Substr:
    return Substr(field, 1, length(level))


def proposals_in_time(within: str, level: str, start: date, end: date) -> dict[str, Value]:
    done = Q(events__action=Proposal.Action.COMPLETE, events__at__date__lte=F("deadline"))
    rows: Any = (Proposal.objects.filter(area_code__startswith=within, deadline__gte=start,
                                         deadline__lte=end).order_by()
                 .annotate(part=_part("area_code", level)).values("part")
                 .annotate(n=Count("id", distinct=True),
                           ok=Count("id", filter=done, distinct=True)))
    return {r["part"]: Value(r["ok"], r["n"]) for r in rows}


def disclosures_on_time(within: str, level: str, start: date, end: date) -> dict[str, Value]:
    rows: Any = (Disclosure.objects.filter(area_code__startswith=within, due_on__gte=start,
                                           due_on__lte=end).order_by()
                 .annotate(part=_part("area_code", level)).values("part")
                 .annotate(n=Count("id"),
                           ok=Count("id", filter=Q(published_at__date__lte=F("due_on")))))
    return {r["part"]: Value(r["ok"], r["n"]) for r in rows}


def satisfaction(within: str, level: str, start: date, end: date) -> dict[str, Value]:
    rows: Any = (EvaluationTarget.objects.filter(
        campaign__area_code__startswith=within, campaign__status=EvaluationCampaign.Status.CLOSED,
        campaign__closes_on__gte=start, campaign__closes_on__lte=end).order_by()
        .annotate(part=_part("campaign__area_code", level)).values("part")
        .annotate(fit=Sum("fit"), basic=Sum("basically_fit"), unfit=Sum("unfit")))
    out = {}
    for r in rows:
        ok = int(r["fit"] or 0) + int(r["basic"] or 0)
        total = ok + int(r["unfit"] or 0)
        if total:
            out[r["part"]] = Value(ok, total)
    return out


INDICATORS = (
    Indicator("autonomy.proposals_in_time", _("Proposals implemented within their period"),
              "share", "higher", proposals_in_time, _("Jinjiang practice (重大事项提案制)")),
    Indicator("autonomy.disclosures_on_time", _("Disclosures published on time"), "share",
              "higher", disclosures_on_time,
              _("Villagers' Committee Organisation Law Art. 30; Urban Residents' Committee "
                "Organisation Law Art. 16")),
    Indicator("autonomy.satisfaction", _("Residents' evaluation: fit or basically fit"), "share",
              "higher", satisfaction, _("Villagers' Committee Organisation Law Art. 33")),
)


def register() -> None:
    from shequ.core.indicators import register_indicator

    register_indicator(*INDICATORS)
