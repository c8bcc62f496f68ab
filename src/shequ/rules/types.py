"""The one ``Rule`` type: a value from law or policy with its unit, its citation and
whether that citation was checked against the text; and the resolved :class:`Profile`
that services read (ADR 0011; autonomy's per-area overrides, ADR 0501, made common).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field, replace
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from typing import Any

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import get_language, ngettext, pgettext_lazy
from django.utils.translation import gettext as _

from shequ.rules.shares import parse_share, share_met, share_needed


class Unit(models.TextChoices):
    DAYS = "days", pgettext_lazy("unit", "days")
    WORKING_DAYS = "working_days", pgettext_lazy("unit", "working days")
    MONTHS = "months", pgettext_lazy("unit", "months")
    YEARS = "years", pgettext_lazy("unit", "years")
    MINUTES = "minutes", pgettext_lazy("unit", "minutes")
    HOUSEHOLDS = "households", pgettext_lazy("unit", "households")
    PERSONS = "persons", pgettext_lazy("unit", "persons")
    COUNT = "count", pgettext_lazy("unit", "count")
    SHARE = "share", pgettext_lazy("unit", "share")
    PERCENT = "percent", pgettext_lazy("unit", "per cent")
    FLAG = "flag", pgettext_lazy("unit", "yes or no")
    BYTES = "bytes", pgettext_lazy("unit", "bytes")
    SQUARE_METRES = "sqm", pgettext_lazy("unit", "square metres")
    METRES = "metres", pgettext_lazy("unit", "metres")
    FEN = "fen", pgettext_lazy("unit", "yuan (stored in fen)")
    TEXT = "text", pgettext_lazy("unit", "text")


_DIGITS = "零一二三四五六七八九"


def chinese_number(n: int) -> str:
    """1–99 in Chinese numerals (enough for the fractions the law uses)."""
    if n < 10:
        return _DIGITS[n]
    tens, ones = divmod(n, 10)
    head = "" if tens == 1 else _DIGITS[tens]
    return f"{head}十{_DIGITS[ones] if ones else ''}"


def fraction_words(spec: str) -> str:
    """``1/2`` as the reader says it: 二分之一 in Chinese, 1/2 otherwise."""
    frac, _strict = parse_share(spec)
    if (get_language() or "").startswith("zh") and frac.denominator < 100:
        return f"{chinese_number(frac.denominator)}分之{chinese_number(frac.numerator)}"
    return f"{frac.numerator}/{frac.denominator}"


def format_share(spec: str) -> str:
    frac, strict = parse_share(spec)
    if frac == 0 and not strict:
        return _("no requirement")
    if frac == 1 and not strict:
        return _("all")
    if strict and frac == Fraction(1, 2):
        return _("more than half")
    words = fraction_words(spec)
    return (_("more than %(share)s") if strict else _("at least %(share)s")) % {"share": words}


def format_value(value: Any, unit: str) -> str:
    """A rule's value as a reader of the active language reads it: never a raw key,
    float or Python literal."""
    if unit == Unit.SHARE:
        return format_share(str(value))
    if unit == Unit.FLAG:
        return _("yes") if value else _("no")
    if unit == Unit.TEXT:
        return str(value)
    if unit == Unit.PERCENT:
        return _("%(n)s%%") % {"n": _number(value)}
    if unit == Unit.FEN:
        return _("%(yuan)s yuan") % {"yuan": f"{Decimal(int(value)) / 100:,.2f}"}
    if unit == Unit.BYTES:
        return _("%(n)s MB") % {"n": _number(Decimal(int(value)) / (1024 * 1024))}
    n = int(value)
    texts: dict[str, str] = {
        Unit.DAYS: ngettext("%(n)d day", "%(n)d days", n),
        Unit.WORKING_DAYS: ngettext("%(n)d working day", "%(n)d working days", n),
        Unit.MONTHS: ngettext("%(n)d month", "%(n)d months", n),
        Unit.YEARS: ngettext("%(n)d year", "%(n)d years", n),
        Unit.MINUTES: ngettext("%(n)d minute", "%(n)d minutes", n),
        Unit.HOUSEHOLDS: ngettext("%(n)d household", "%(n)d households", n),
        Unit.PERSONS: ngettext("%(n)d person", "%(n)d persons", n),
        Unit.SQUARE_METRES: ngettext("%(n)d square metre", "%(n)d square metres", n),
        Unit.METRES: ngettext("%(n)d metre", "%(n)d metres", n),
    }
    text = texts.get(unit)
    return text % {"n": n} if text else f"{n:,}"


def _number(value: Any) -> str:
    d = Decimal(str(value))
    return f"{d:,.0f}" if d == d.to_integral_value() else f"{d.normalize():,f}"


@dataclass(frozen=True)
class Rule:
    """A value from law or policy.

    ``citation`` names the source as its text does (《…》第…条, a standard's clause, a
    local document); ``verified`` says the citation was read against the text, not
    carried over; ``local`` marks a value no statute sets (a district's own choice), which
    pages say in words. ``note`` explains what the value means, in the reader's language.
    """

    key: str
    label: str | Promise
    value: Any  # int | bool | share spec (">1/2") | str
    unit: str
    citation: str | Promise
    verified: bool = True
    local: bool = False
    note: str | Promise = ""
    overridable: bool = True
    minimum: int | None = None
    maximum: int | None = None

    def display(self) -> str:
        return format_value(self.value, self.unit)

    def source(self) -> str:
        """The citation as shown to a reader, with "unverified" or "local" said in words."""
        text = str(self.citation)
        if self.local:
            text = _("%(source)s (local rule, set per district)") % {"source": text}
        if not self.verified:
            text = _("%(source)s (citation not verified)") % {"source": text}
        return text

    def coerce(self, raw: str) -> Any:
        """Parse an override entered as text, or raise ``ValueError`` naming the problem."""
        raw = str(raw).strip()
        if self.unit == Unit.SHARE:
            try:
                parse_share(raw)
            except (ValueError, ZeroDivisionError):
                raise ValueError(_("Write a share as >1/2 (more than half) or >=2/3 (at least "
                                   "two thirds), between 0 and 1.")) from None
            return raw.replace(" ", "")
        if self.unit == Unit.FLAG:
            truthy = {"1", "true", "yes", "on", "是"}
            falsy = {"0", "false", "no", "off", "否"}
            if raw.lower() not in truthy | falsy:
                raise ValueError(_("Enter yes or no."))
            return raw.lower() in truthy
        if self.unit == Unit.TEXT:
            if not raw:
                raise ValueError(_("Enter a value."))
            return raw
        try:
            value = int(raw)
        except ValueError:
            try:
                Decimal(raw)
            except InvalidOperation:
                raise ValueError(_("Enter a whole number.")) from None
            raise ValueError(_("Enter a whole number.")) from None
        low = 0 if self.minimum is None else self.minimum
        if value < low or (self.maximum is not None and value > self.maximum):
            high = self.maximum if self.maximum is not None else "∞"
            raise ValueError(_("Enter a number from %(low)s to %(high)s.")
                             % {"low": low, "high": high})
        return value


@dataclass(frozen=True)
class RuleSet:
    """The base rules of one profile of one module (e.g. ``autonomy``/``urban``):
    registered by the module, never edited at run time."""

    module: str
    profile: str
    label: str | Promise
    version: str
    rules: dict[str, Rule]

    def __post_init__(self) -> None:
        for key, rule in self.rules.items():
            if key != rule.key:
                raise ValueError(f"{self.module}/{self.profile}: {key!r} holds rule {rule.key!r}")


@dataclass(frozen=True)
class Profile:
    """The rules in force at one area: a rule set with the overrides of the areas above
    it applied. ``version`` names exactly these values, so every decision can store it."""

    module: str
    key: str
    area_code: str
    base_version: str
    rules: dict[str, Rule] = field(default_factory=dict)
    overridden: tuple[str, ...] = ()

    @property
    def version(self) -> str:
        payload = ";".join(f"{k}={self.rules[k].value}" for k in sorted(self.rules))
        digest = hashlib.sha256(payload.encode()).hexdigest()[:8]
        return f"{self.key}-{self.base_version}/{digest}"

    def rule(self, key: str) -> Rule:
        return self.rules[key]

    def value(self, key: str) -> Any:
        return self.rules[key].value

    def number(self, key: str) -> int:
        return int(self.rules[key].value)

    def met(self, key: str, count: int, base: int) -> bool:
        return share_met(str(self.rules[key].value), count, base)

    def needed(self, key: str, base: int) -> int:
        return share_needed(str(self.rules[key].value), base)

    def with_values(self, **values: Any) -> Profile:
        """A copy with some values replaced (tests, previews)."""
        rules = {k: replace(r, value=values[k]) if k in values else r
                 for k, r in self.rules.items()}
        return replace(self, rules=rules,
                       overridden=tuple(sorted(set(self.overridden) | set(values))))
