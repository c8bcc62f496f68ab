"""The orgs module's indicator for assessment (ADR 0019, 1001): social organisations alive
at the period's end per 10,000 residents, for every area of a level in one grouped query
(``selectors._counts`` and ``selectors._population``, the functions the public
indicators page uses, so both show the same figure)."""

from __future__ import annotations

from datetime import date

from django.db.models.functions import Substr
from django.utils.translation import gettext_lazy as _

from shequ.core.indicators import Indicator, Value, length
from shequ.orgs import selectors
from shequ.orgs.models import Org


def per_10k(within: str, level: str, start: date, end: date) -> dict[str, Value]:
    n = length(level)
    found = selectors._counts(Org.objects.filter(area_code__startswith=within), end, start,
                              key=Substr("area_code", 1, n))
    pops = selectors._population(within, n)
    return {code: Value(found.get(code, {}).get("orgs", 0) * 10000, pop)
            for code, pop in pops.items() if len(code) == n}


INDICATORS = (
    Indicator("orgs.per_10k", _("Social organisations per 10,000 residents"), "per_10k",
              "higher", per_10k,
              _("Jinjiang practice: cultivate community social organisations (三社联动)")),
)


def register() -> None:
    from shequ.core.indicators import register_indicator

    register_indicator(*INDICATORS)
