"""What every module's indicators divide by: current communities and residents per area
of a level, each in one grouped query (ADR 0019)."""

from __future__ import annotations

from django.db.models import Count, Q, Sum
from django.db.models.functions import Substr

from shequ.areas.models import Area, Level
from shequ.core.indicators import length


def _current(within: str) -> Q:
    return Q(level=Level.COMMUNITY, code__startswith=within, valid_to__isnull=True)


def communities(within: str, level: str) -> dict[str, int]:
    """Current communities in each area of ``level`` below ``within``."""
    n = length(level)
    rows = (Area.objects.filter(_current(within)).annotate(part=Substr("code", 1, n))
            .values("part").annotate(c=Count("code")).values_list("part", "c"))
    return {p: int(c) for p, c in rows}


def community_codes(within: str) -> list[str]:
    return list(Area.objects.filter(_current(within)).values_list("code", flat=True))


def population(within: str, level: str) -> dict[str, int]:
    """Residents of each area of ``level``: the sum of its current communities' figures
    (areas whose communities carry no figure are missing)."""
    n = length(level)
    rows = (Area.objects.filter(_current(within), population__isnull=False)
            .annotate(part=Substr("code", 1, n)).values("part")
            .annotate(s=Sum("population")).values_list("part", "s"))
    return {p: int(s) for p, s in rows if s}


def roll_up(by_community: dict[str, int], level: str) -> dict[str, int]:
    """Add community figures up to ``level``."""
    n = length(level)
    out: dict[str, int] = {}
    for code, v in by_community.items():
        out[code[:n]] = out.get(code[:n], 0) + v
    return out
