"""Election rules from law as data: each value carries its unit and citation.

A *profile* is a named, versioned set of rules (version 2 added
``candidate_leaves_committee``). An election stores a snapshot of its
profile when it is set up, so a later profile version never changes a running or past
election. Sources: ``shared/reference/LAW.md`` (城市居民委员会组织法 2018 and its 2025
revision; 村民委员会组织法 Art. 11–16 as the statutory model for elections; the common
provincial rules). Values marked "provincial" come from the common provincial election
rules and may be changed per province with ``overrides``.

This module imports nothing from the database, so the tally command and the benchmark
can use it without a configured database.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from fractions import Fraction
from typing import Any

from django.utils.translation import gettext_noop

RCL_2018 = "城市居民委员会组织法（2018年修正）"
RCL_2025 = "城市居民委员会组织法（2025年修订）"
VCL = "村民委员会组织法（2018年修正）"
PROVINCIAL = "省级居（村）民委员会选举办法通行规定"


@dataclass(frozen=True)
class Rule:
    key: str
    value: Any
    unit: str
    citation: str

    def as_dict(self) -> dict[str, Any]:
        value = self.value
        if isinstance(value, Fraction):
            value = f"{value.numerator}/{value.denominator}"
        elif isinstance(value, tuple):
            value = list(value)
        return {"key": self.key, "value": value, "unit": self.unit, "citation": self.citation}


def _rules(law: str) -> dict[str, Rule]:
    items = [
        # validity, winning, supplementary round
        Rule("turnout_for_validity", Fraction(1, 2),
             gettext_noop("more than this share of registered voters vote"),
             f"{VCL} 第十五条（选举有效：过半数投票）; {law} 第八条"),
        Rule("majority_to_win", Fraction(1, 2),
             gettext_noop("more than this share of ballots cast"),
             f"{VCL} 第十五条（获得参加投票的过半数的选票始得当选）"),
        Rule("supplementary_floor", Fraction(1, 3),
             gettext_noop("at least this share of ballots cast"),
             f"{VCL} 第十五条（另行选举：得票多的当选，但不得少于已投选票数的三分之一）"),
        Rule("supplementary_extra_candidates", 1,
             gettext_noop("candidates beyond the unfilled seats"),
             f"{PROVINCIAL}（另行选举按得票多少确定差额候选人）"),
        Rule("void_if_returned_exceeds_issued", True, gettext_noop("whole election"),
             f"{PROVINCIAL}（收回的选票多于发出的选票，选举无效）"),
        Rule("overmarked_ballot_invalid", True, gettext_noop("for that post"),
             f"{PROVINCIAL}（所选人数多于应选人数的选票无效）"),
        Rule("competitive_list", 1, gettext_noop("more candidates than seats per post (at least)"),
             f"{VCL} 第十五条（候选人名额应当多于应选名额，差额选举）"),
        # composition
        Rule("members_min", 5, gettext_noop("members"),
             f"{RCL_2018} 第七条（主任、副主任和委员共五至九人）"),
        Rule("members_max", 9, gettext_noop("members"),
             f"{RCL_2018} 第七条"),
        Rule("women_seat", True, gettext_noop("at least one woman"),
             f"{VCL} 第六条（应当有妇女成员）"),
        Rule("term_years", 5, gettext_noop("years"),
             f"{law} 第八条（每届任期五年）"),
        # roll
        Rule("voting_age", 18, gettext_noop("years on voting day"),
             f"{law} 第八条（年满十八周岁）"),
        Rule("residence_years", 1,
             gettext_noop("years living here (unregistered residents, on request)"),
             f"{VCL} 第十三条第三项"),
        Rule("roll_days_before", 20, gettext_noop("days before voting day (calendar days)"),
             f"{VCL} 第十四条（选举日的二十日前公布）"),
        Rule("objection_days", 5, gettext_noop("days after publication"),
             f"{VCL} 第十四条（公布之日起五日内）"),
        Rule("decision_days", 3, gettext_noop("days after the objection"),
             f"{VCL} 第十四条（三日内作出处理决定）"),
        Rule("one_roll_only", True, gettext_noop("roll"),
             f"{VCL} 第十三条（不得重复登记）"),
        Rule("group_representatives_max", 3, gettext_noop("representatives per residents' group"),
             f"{law} 第八条（每个居民小组选举代表二至三人）"),
        Rule("proxy_relatives", ("spouse", "parent", "child", "sibling", "grandparent", "grandchild"),
             gettext_noop("close relatives only"), f"{VCL} 第十五条（可以书面委托其近亲属代为投票）"),
        Rule("proxies_per_voter_max", 3, gettext_noop("principals per proxy"),
             f"{PROVINCIAL}（每一选民接受委托不超过三人）"),
        Rule("candidate_leaves_committee", True, gettext_noop("membership of the election committee ends"),
             f"{VCL} 第十二条（村民选举委员会成员被提名为候选人的，应当退出村民选举委员会）"),
        # nominations
        Rule("nominators_min", 1, gettext_noop("voters on the roll"),
             f"{VCL} 第十五条（由登记参加选举的村民直接提名）"),
        Rule("candidates_days_before", 5, gettext_noop("days before voting day"),
             f"{PROVINCIAL}（选举日前五日公布正式候选人名单）"),
    ]
    return {r.key: r for r in items}


@dataclass(frozen=True)
class Profile:
    code: str
    version: int
    title: str
    rules: dict[str, Rule] = field(default_factory=dict)

    def __getitem__(self, key: str) -> Rule:
        return self.rules[key]

    def value(self, key: str) -> Any:
        return self.rules[key].value

    def as_dict(self) -> dict[str, Any]:
        return {"code": self.code, "version": self.version, "title": self.title,
                "rules": {k: r.as_dict() for k, r in sorted(self.rules.items())}}

    def with_overrides(self, overrides: dict[str, Any]) -> Profile:
        rules = dict(self.rules)
        for key, value in overrides.items():
            if key not in rules:
                raise KeyError(key)
            base = rules[key]
            rules[key] = replace(base, value=_coerce(base.value, value),
                                 citation=f"{base.citation}（本地调整）")
        return replace(self, rules=rules)


def _coerce(template: Any, value: Any) -> Any:
    if isinstance(template, Fraction):
        return Fraction(str(value))
    if isinstance(template, bool):
        return bool(value)
    if isinstance(template, int):
        return int(value)
    if isinstance(template, tuple):
        return tuple(value)
    return value


PROFILES: dict[str, Profile] = {
    "rcl-2018": Profile("rcl-2018", 2, "城市居民委员会组织法（2018）与村民委员会组织法选举规定",
                        _rules(RCL_2018)),
    "rcl-2025": Profile("rcl-2025", 2, "城市居民委员会组织法（2025年修订，2026-01-01施行）",
                        _rules(RCL_2025)),
}
DEFAULT_PROFILE = "rcl-2025"


def get_profile(spec: str | dict[str, Any] | None = None) -> Profile:
    """A profile by code, or ``{"base": code, "overrides": {...}}``, or a stored snapshot
    (``Profile.as_dict()`` output)."""
    if spec is None:
        return PROFILES[DEFAULT_PROFILE]
    if isinstance(spec, str):
        if spec not in PROFILES:
            raise KeyError(spec)
        return PROFILES[spec]
    if "rules" in spec:  # a snapshot
        rules = {}
        for key, raw in spec["rules"].items():
            template = PROFILES[DEFAULT_PROFILE].rules.get(key)
            value = _coerce(template.value, raw["value"]) if template else raw["value"]
            rules[key] = Rule(key, value, raw["unit"], raw["citation"])
        return Profile(spec["code"], int(spec["version"]), spec.get("title", ""), rules)
    return get_profile(spec.get("base")).with_overrides(spec.get("overrides") or {})


# Election modes (城市居民委员会组织法 第八条). Coverage counts the modes in DIRECT_MODES as
# direct elections (ADR 0601).
MODES = ("all_voters", "household", "group_representatives")
DIRECT_MODES = frozenset({"all_voters", "household"})
# Labels of the relations a written proxy may name (values of ``proxy_relatives``).
RELATION_LABELS = {"spouse": gettext_noop("spouse"), "parent": gettext_noop("parent"),
                   "child": gettext_noop("child"), "sibling": gettext_noop("sibling"),
                   "grandparent": gettext_noop("grandparent"), "grandchild": gettext_noop("grandchild")}
