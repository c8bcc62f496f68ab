"""The rule sets modules register (in ``AppConfig.ready``), and resolving them for an
area. Reading needs no permission: rules are public law."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import replace

from shequ.core.errors import NotFound
from shequ.rules.enums import Code
from shequ.rules.types import Profile, RuleSet

_SETS: dict[tuple[str, str], RuleSet] = {}
PREFIX_LENGTHS = (2, 4, 6, 9, 12)


def register(*rulesets: RuleSet) -> None:
    for rs in rulesets:
        _SETS[(rs.module, rs.profile)] = rs


def ruleset(module: str, profile: str) -> RuleSet:
    try:
        return _SETS[(module, profile)]
    except KeyError:
        raise NotFound(code=Code.UNKNOWN_PROFILE,
                       details={"module": module, "profile": profile}) from None


def rulesets(module: str | None = None) -> list[RuleSet]:
    return [rs for (m, _p), rs in sorted(_SETS.items()) if module in (None, m)]


def prefixes(area_code: str) -> list[str]:
    """The codes above (and including) ``area_code`` at which a value may be set."""
    return [area_code[:n] for n in PREFIX_LENGTHS if len(area_code) >= n]


def base(module: str, profile: str, area_code: str = "") -> Profile:
    rs = ruleset(module, profile)
    return Profile(module=module, key=profile, area_code=area_code, base_version=rs.version,
                   rules=dict(rs.rules))


def _apply(profile: Profile, rows: Iterable[tuple[str, str, str, str]]) -> Profile:
    """Apply override rows ``(area_code, key, value, citation)``, shortest code first."""
    rules = dict(profile.rules)
    keys: set[str] = set()
    for area_code, key, value, citation in sorted(rows, key=lambda r: len(r[0])):
        if key not in rules:
            continue
        rule = rules[key]
        try:
            parsed = rule.coerce(value)
        except ValueError:
            continue  # a stored value that no longer parses keeps the base value
        rules[key] = replace(rule, value=parsed, citation=f"{citation} ({area_code})",
                             verified=True, local=False)
        keys.add(key)
    if not keys:
        return profile
    return replace(profile, rules=rules, overridden=tuple(sorted(keys)))


def resolve(module: str, profile: str, area_code: str) -> Profile:
    """The rules in force at ``area_code``: one query."""
    from shequ.rules.models import RuleOverride

    rows = RuleOverride.objects.filter(module=module, profile=profile,
                                       area_code__in=prefixes(area_code)).values_list(
        "area_code", "key", "value", "citation")
    return _apply(base(module, profile, area_code), rows)


def resolve_many(module: str, profiles: Mapping[str, str]) -> dict[str, Profile]:
    """``{area_code: profile key}`` → ``{area_code: Profile}`` in one query, for pages
    that show many areas at once."""
    from shequ.rules.models import RuleOverride

    wanted = {p for code in profiles for p in prefixes(code)}
    rows = list(RuleOverride.objects.filter(module=module, area_code__in=wanted,
                                            profile__in=set(profiles.values()))
                .values_list("profile", "area_code", "key", "value", "citation"))
    out: dict[str, Profile] = {}
    for code, key in profiles.items():
        mine = {p for p in prefixes(code)}
        out[code] = _apply(base(module, key, code),
                           [(a, k, v, c) for (p, a, k, v, c) in rows if p == key and a in mine])
    return out
