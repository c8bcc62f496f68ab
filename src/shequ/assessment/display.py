"""Values as readers read them: shares as per cent, counts grouped, days with their unit;
never a raw float or key (the page scanner checks)."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _


def value_text(value: Decimal | None, unit: str) -> str:
    if value is None:
        return "—"
    if unit == "share":
        return f"{(value * 100).quantize(Decimal('0.1'), ROUND_HALF_UP)}%"
    if unit == "per_10k":
        return str(value.quantize(Decimal("0.01"), ROUND_HALF_UP))
    if unit == "working_days":
        return _("%(n)s working days") % {"n": value.quantize(Decimal("0.1"), ROUND_HALF_UP)}
    if value == value.to_integral_value():
        return f"{int(value):,}"
    return str(value.quantize(Decimal("0.01"), ROUND_HALF_UP))


def points_text(value: Decimal | None) -> str:
    return "—" if value is None else str(value.quantize(Decimal("0.01"), ROUND_HALF_UP))
