"""The people module's indicators for assessment (ADR 0019, 1001), each a grouped query
by area-code prefix (plus the current communities or residents it divides by):

- party / autonomous-organisation coverage: current communities with a party
  organisation / a residents' committee alive at the period's end (the province's 2015
  target: 100 %);
- social workers per 10,000 residents: social workers employed at the period's end over
  the communities' population figures;
- rotations overdue: postings open at the period's end that began more than the rotation
  period before it (``people`` rule ``rotation_years`` in force at the area asked for).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import Count, Q
from django.db.models.functions import Substr
from django.utils.translation import gettext_lazy as _

from shequ.areas.indicators import community_codes, population
from shequ.core.indicators import Indicator, Value, counts, length
from shequ.people import rules
from shequ.people.models import Body, BodyKind, Posting, StaffKind, StaffMember
from shequ.rules.targets import SOURCE


def _alive(end: date) -> Q:
    return ((Q(founded_on__isnull=True) | Q(founded_on__lte=end))
            & (Q(dissolved_on__isnull=True) | Q(dissolved_on__gt=end)))


def _coverage(kind: str, within: str, level: str, end: date) -> dict[str, Value]:
    having = set(Body.objects.filter(_alive(end), kind=kind, area_code__startswith=within)
                 .annotate(c=Substr("area_code", 1, 12)).values_list("c", flat=True).distinct())
    n = length(level)
    totals: dict[str, list[int]] = {}
    for code in community_codes(within):
        bucket = totals.setdefault(code[:n], [0, 0])
        bucket[0] += 1
        bucket[1] += code in having
    return {part: Value(hit, total) for part, (total, hit) in totals.items()}


def party_coverage(within: str, level: str, start: date, end: date) -> dict[str, Value]:
    return _coverage(BodyKind.PARTY, within, level, end)


def committee_coverage(within: str, level: str, start: date, end: date) -> dict[str, Value]:
    return _coverage(BodyKind.RESIDENTS_COMMITTEE, within, level, end)


def social_workers(within: str, level: str, start: date, end: date) -> dict[str, Value]:
    n = length(level)
    employed = ((Q(joined_on__isnull=True) | Q(joined_on__lte=end))
                & (Q(left_on__isnull=True) | Q(left_on__gt=end)))
    rows: Any = (StaffMember.objects.filter(employed, kind=StaffKind.SOCIAL_WORKER,
                                            area_code__startswith=within).order_by()
                 .annotate(part=Substr("area_code", 1, n)).values_list("part")
                 .annotate(c=Count("id")))
    staff = {p: int(c) for p, c in rows if len(p) == n}
    return {code: Value(staff.get(code, 0) * 10000, pop)
            for code, pop in population(within, level).items()}


def _overdue_postings(within: str, end: date) -> Any:
    """Postings open at ``end`` that began the rotation period or more before it."""
    years = rules.profile_at(within).number(rules.ROTATION_YEARS)
    try:
        since = end.replace(year=end.year - years)
    except ValueError:  # 29 February
        since = end.replace(year=end.year - years, day=28)
    return (Posting.objects.filter(Q(end_date__isnull=True) | Q(end_date__gt=end),
                                   area_code__startswith=within, start_date__lte=since)
            .order_by())


def rotations_overdue(within: str, level: str, start: date, end: date) -> dict[str, Value]:
    n = length(level)
    rows: Any = (_overdue_postings(within, end).annotate(part=Substr("area_code", 1, n))
                 .values_list("part").annotate(c=Count("id")))
    return counts({p: int(c) for p, c in rows if len(p) == n})


def rotations_overdue_by_department(within: str, end: date) -> dict[int | None, int]:
    """The same postings counted per department (科室) they are in (``None``: postings
    without one), one grouped query: the street dashboard shows it beside each duty's
    department (ADR 1003)."""
    rows: Any = (_overdue_postings(within, end).values_list("department_id")
                 .annotate(c=Count("id")))
    return {d: int(c) for d, c in rows}


INDICATORS = (
    Indicator("people.party_coverage", _("Communities with a party organisation"), "share",
              "higher", party_coverage, SOURCE),
    Indicator("people.committee_coverage", _("Communities with a residents' committee"),
              "share", "higher", committee_coverage, SOURCE),
    Indicator("people.social_workers", _("Social workers per 10,000 residents"), "per_10k",
              "higher", social_workers,
              _("Jinjiang reform: strengthen the community public service workforce")),
    Indicator("people.rotations_overdue", _("Postings past the rotation period"), "count",
              "lower", rotations_overdue, _("Jinjiang practice: rotation of street cadres "
                                                "(交流轮岗)")),
)


def register() -> None:
    from shequ.core.indicators import register_indicator

    register_indicator(*INDICATORS)
