"""Indicators carry numerator and denominator so higher levels add up exactly."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from shequ.core.indicators import INDICATORS, Indicator, Value, register_indicator


def test_a_ratio_and_a_count() -> None:
    assert Value(11, 12).value == Decimal(11) / Decimal(12)
    assert Value(5).value == Decimal(5)
    assert Value(0, 0).value is None and Value(None, 3).value is None


def test_registration_checks_code_and_direction(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("shequ.core.indicators.INDICATORS", dict(INDICATORS))

    def nothing(within: str, level: str, start: date, end: date) -> dict[str, Value]:
        return {}

    with pytest.raises(ValueError, match="direction"):
        register_indicator(Indicator("x.y", "名称", "count", "up", nothing, "政策"))
    with pytest.raises(ValueError, match="module prefix"):
        register_indicator(Indicator("plain", "名称", "count", "higher", nothing, "政策"))
