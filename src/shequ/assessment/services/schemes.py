"""Schemes: a district's yearly scheme and the province's 2015 targets, each save a new
version (ADR 1002). Every refusal names the rule it applies; nothing is half-saved."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.apps import apps
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from shequ import authz
from shequ.areas.facade import ensure_duties
from shequ.areas.models import Area, Duty, DutyKind, Level
from shequ.assessment import scoring
from shequ.assessment.enums import AuditAction, Code, Perm
from shequ.assessment.models import Item, Scheme, SchemeKind, Scoring, Section
from shequ.audit.services import record
from shequ.core.errors import BusinessError, NotFound
from shequ.core.indicators import INDICATORS, Indicator
from shequ.rules import resolve
from shequ.rules.shares import parse_share
from shequ.rules.targets import SICHUAN_2015, SOURCE

HUNDRED = Decimal(100)


def _decimal(raw: Any, what: str, indicator: str) -> Decimal:
    try:
        value = Decimal(str(raw).strip().rstrip("%"))
    except (InvalidOperation, ValueError):
        raise BusinessError(_("The %(what)s of indicator %(i)s is not a number: %(v)s.")
                            % {"what": what, "i": indicator, "v": raw}, code=Code.BAD_VALUE) from None
    if not value.is_finite():
        raise BusinessError(_("The %(what)s of indicator %(i)s is not a number: %(v)s.")
                            % {"what": what, "i": indicator, "v": raw}, code=Code.BAD_VALUE)
    if str(raw).strip().endswith("%"):
        value = value / HUNDRED
    return value


def indicator_or_error(code: str) -> Indicator:
    """The registered indicator, or a refusal naming the module that should provide it."""
    ind = INDICATORS.get(code)
    if ind is not None:
        return ind
    module = code.split(".", 1)[0]
    if not apps.is_installed(f"shequ.{module}"):
        raise BusinessError(
            _("Indicator %(i)s comes from the module %(m)s, which is not installed here; a "
              "scheme may use only indicators whose module registers them (rule: indicators "
              "are owned by the modules that hold the data).") % {"i": code, "m": module},
            code=Code.MODULE_MISSING, details={"indicator": code, "module": module})
    raise BusinessError(_("The module %(m)s registers no indicator %(i)s.")
                        % {"i": code, "m": module}, code=Code.MODULE_MISSING,
                        details={"indicator": code, "module": module})


def _fmt(value: Decimal, unit: str) -> str:
    if unit == "share":
        return f"{(value * HUNDRED).normalize():f}%"
    return f"{value.normalize():f}"


def _range_text(unit: str) -> str:
    low, high = scoring.unit_range(unit)
    if high is None:
        return _("not negative")
    return f"{_fmt(low, unit)}–{_fmt(high, unit)}"


@dataclass
class _Item:
    indicator: Indicator
    weight: Decimal
    scoring: str
    target: Decimal
    floor: Decimal | None
    rule_key: str = ""


def _check_item(raw: dict[str, Any]) -> _Item:
    code = str(raw.get("indicator", ""))
    ind = indicator_or_error(code)
    weight = _decimal(raw.get("weight", ""), _("weight"), code)
    if weight <= 0 or weight > HUNDRED:
        raise BusinessError(_("The weight of indicator %(i)s must be more than 0 %% and at most "
                              "100 %%; it is %(w)s %%.") % {"i": ind.name, "w": f"{weight.normalize():f}"},
                            code=Code.BAD_WEIGHT)
    kind = str(raw.get("scoring", Scoring.LINEAR))
    if kind not in Scoring.values:
        raise BusinessError(_("Unknown scoring %(s)s: linear or pass_fail.") % {"s": kind},
                            code=Code.UNKNOWN_SCORING)
    target = _decimal(raw.get("target", ""), _("target"), code)
    if not scoring.in_range(target, ind.unit):
        raise BusinessError(
            _("The target of indicator %(i)s, %(v)s, lies outside the values it can take "
              "(%(r)s) (rule: a target lies inside the indicator's range).")
            % {"i": ind.name, "v": _fmt(target, ind.unit), "r": _range_text(ind.unit)},
            code=Code.TARGET_RANGE, details={"indicator": code})
    floor = None
    if kind == Scoring.LINEAR:
        if raw.get("floor") in (None, ""):
            raise BusinessError(_("Linear scoring of indicator %(i)s needs a floor (the value that "
                                  "scores nothing).") % {"i": ind.name}, code=Code.FLOOR)
        floor = _decimal(raw["floor"], _("floor"), code)
        if not scoring.in_range(floor, ind.unit):
            raise BusinessError(
                _("The floor of indicator %(i)s, %(v)s, lies outside the values it can take "
                  "(%(r)s) (rule: a target lies inside the indicator's range).")
                % {"i": ind.name, "v": _fmt(floor, ind.unit), "r": _range_text(ind.unit)},
                code=Code.TARGET_RANGE, details={"indicator": code})
        worse = floor < target if ind.direction == "higher" else floor > target
        if not worse:
            raise BusinessError(
                _("The floor of indicator %(i)s must be worse than its target (%(d)s is "
                  "better).") % {"i": ind.name, "d": _("more") if ind.direction == "higher"
                                 else _("less")}, code=Code.FLOOR)
    return _Item(ind, weight, kind, target, floor, str(raw.get("rule_key", "")))


def _validate(sections: list[dict[str, Any]]) -> list[tuple[Duty | None, list[_Item]]]:
    ensure_duties()
    duties = {d.code: d for d in Duty.objects.filter(kind=DutyKind.STREET)}
    out: list[tuple[Duty | None, list[_Item]]] = []
    seen: set[str] = set()
    for sec in sections:
        duty_code = sec.get("duty") or ""
        duty = duties.get(duty_code) if duty_code else None
        if duty_code and duty is None:
            raise BusinessError(_("Unknown street duty %(d)s: a section is one of the eight duties "
                                  "of a street office.") % {"d": duty_code}, code=Code.UNKNOWN_DUTY)
        items = [_check_item(raw) for raw in sec.get("items", [])]
        for it in items:
            if it.indicator.code in seen:
                raise BusinessError(_("Indicator %(i)s appears twice in the scheme.")
                                    % {"i": it.indicator.name}, code=Code.DUPLICATE)
            seen.add(it.indicator.code)
        if items:
            out.append((duty, items))
    if not out:
        raise BusinessError(_("A scheme needs at least one indicator."), code=Code.EMPTY_SCHEME)
    weights = sum((it.weight for _d, items in out for it in items), Decimal(0))
    if weights != HUNDRED:
        raise BusinessError(
            _("The weights add up to %(s)s %%; they must add up to 100 %% (rule: the weights of "
              "a scheme sum to 100 %%).") % {"s": f"{weights.normalize():f}"},
            code=Code.WEIGHT_SUM, details={"sum": str(weights)})
    return out


def _store(actor: Any, *, area_code: str, year: int, kind: str, name: str, source: str,
           rules_version: str, sections: list[tuple[Duty | None, list[_Item]]]) -> Scheme:
    last = (Scheme.objects.select_for_update().filter(area_code=area_code, year=year, kind=kind)
            .aggregate(v=Max("version"))["v"]) or 0
    scheme = Scheme.objects.create(area_code=area_code, year=year, kind=kind, version=last + 1,
                                   name=name, source=source, rules_version=rules_version,
                                   created_by=actor if getattr(actor, "pk", None) else None)
    for i, (duty, items) in enumerate(sections, start=1):
        sec = Section.objects.create(scheme=scheme, duty=duty, order=i)
        Item.objects.bulk_create([Item(section=sec, indicator=it.indicator.code, weight=it.weight,
                                       scoring=it.scoring, target=it.target, floor=it.floor,
                                       rule_key=it.rule_key, order=j)
                                  for j, it in enumerate(items, start=1)])
    record(actor=actor, action=AuditAction.SCHEME_SAVE, obj=scheme, area_code=area_code,
           changes={"year": year, "kind": kind, "version": scheme.version, "sections": [
               {"duty": d.code if d else "", "items": [
                   {"indicator": it.indicator.code, "weight": str(it.weight), "scoring": it.scoring,
                    "target": str(it.target), "floor": None if it.floor is None else str(it.floor)}
                   for it in items]} for d, items in sections]})
    return scheme


def _year(year: int) -> int:
    if not 2000 <= int(year) <= 2100:
        raise BusinessError(_("Year %(y)s is not a year an assessment can be for.") % {"y": year},
                            code=Code.BAD_YEAR)
    return int(year)


def save_scheme(*, actor: Any, area_code: str, year: int, name: str,
                sections: list[dict[str, Any]], source: str = "") -> Scheme:
    """A district's yearly scheme for its street offices: a new version each time.
    ``sections``: ``[{"duty": "public_service", "items": [{"indicator": …, "weight": 20,
    "scoring": "linear", "floor": "0.8", "target": "0.95"}]}]`` (shares as fractions or
    with a per cent sign)."""
    area = Area.objects.filter(code=area_code).first()
    if area is None:
        raise NotFound(_("Unknown area code: %(c)s.") % {"c": area_code}, code=Code.UNKNOWN_AREA)
    if area.level != Level.DISTRICT:
        raise BusinessError(_("%(n)s is not a district: a district assesses its street offices.")
                            % {"n": area.name}, code=Code.NOT_A_DISTRICT)
    authz.check(actor, Perm.SCHEME, area_code)
    year = _year(year)
    name = (name or "").strip()  # empty: titled in the reader's language when shown
    if len(name) > 200:
        raise BusinessError(_("A scheme name has at most 200 characters."), code=Code.BAD_VALUE)
    checked = _validate(sections)
    with transaction.atomic():
        return _store(actor, area_code=area_code, year=year, kind=SchemeKind.DISTRICT, name=name,
                      source=source[:500], rules_version="", sections=checked)


PROVINCE_ITEMS = (  # rule key, indicator, the street duty it belongs to
    ("party_org_coverage", "people.party_coverage", "party_building"),
    ("autonomous_org_coverage", "people.committee_coverage", "community_building"),
    ("direct_election_coverage", "elections.direct_coverage", "community_building"),
    ("facility_coverage", "access.facility_coverage", "public_service"),
    ("facility_area_compliance", "access.floor_area", "public_service"),
)


def province_scheme(*, actor: Any, area_code: str, year: int) -> Scheme:
    """The province's 2015 targets as a scheme of their own: each target read from the
    rules in force at ``area_code`` (``targets``/``sichuan-2015``, a province may set its
    own values), pass or fail, equal weights. A new version only when the rules changed."""
    authz.check(actor, Perm.SCHEME, area_code)
    year = _year(year)
    profile = resolve(SICHUAN_2015.module, SICHUAN_2015.profile, area_code)
    latest = (Scheme.objects.filter(area_code=area_code, year=year, kind=SchemeKind.PROVINCE)
              .order_by("-version").first())
    if latest is not None and latest.rules_version == profile.version:
        return latest
    weight = (HUNDRED / len(PROVINCE_ITEMS)).quantize(Decimal("0.01"))
    by_duty: dict[str, list[dict[str, Any]]] = {}
    for key, indicator, duty in PROVINCE_ITEMS:
        frac, _strict = parse_share(str(profile.value(key)))
        by_duty.setdefault(duty, []).append({
            "indicator": indicator, "weight": weight, "scoring": Scoring.PASS_FAIL,
            "target": Decimal(frac.numerator) / Decimal(frac.denominator), "rule_key": key})
    checked = _validate([{"duty": d, "items": items} for d, items in by_duty.items()])
    with transaction.atomic():
        return _store(actor, area_code=area_code, year=year, kind=SchemeKind.PROVINCE,
                      name="", source=SOURCE, rules_version=profile.version,
                      sections=checked)
