"""Election rules from law as ``shequ.rules`` rule sets, one per profile.

A profile (``rcl-2018``, ``rcl-2025``) is registered in ``apps.ready``; an election stores a
*snapshot* of the profile in force at its community when it is set up (values, units,
citations and the profile's version), so a later change of a profile or of a local value
never touches a running or past election (ADR 0607). Shares are specs (``">1/2"`` more
than half, ``">=1/3"`` at least one third): "more than" and "at least" are part of the
value, not of the code that reads it.

The values are those the module had before the rules became shared data; citations that
were not read against the text of the law are marked ``verified=False`` (the 2025
revision and the provincial rules). Sources: ``shared/reference/LAW.md``.

This module imports nothing from the database, so the ``tally`` command and the benchmark
use it without a configured database.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from django.utils.translation import gettext_lazy as _

from shequ import rules
from shequ.core.errors import BusinessError
from shequ.elections.enums import Code
from shequ.rules import Profile, Rule, RuleSet, Unit

MODULE = "elections"
DEFAULT_PROFILE = "rcl-2025"
VERSION = "5"  # 4: the 2025 revision (ADR 0609), date rules (ADR 0610); 5: recall votes (ADR 0612)

RCL_2018 = "城市居民委员会组织法（2018年修正）"
RCL_2025 = "城市居民委员会组织法（2025年修订）"
VCL = "村民委员会组织法（2018年修正）"
PROVINCIAL = "省级居（村）民委员会选举办法通行规定"
# The first provincial measures made under the 2025 revision that we could read in full:
# adopted 2025-11-27, in force 2026-01-01 (ADR 0609). Sichuan's own are not yet at hand.
GANSU_2025 = "甘肃省居民委员会选举办法（2025年11月27日通过）"
# What a citation to the 2025 revision says when its article number was not read (ADR 0609).
NOT_READ_2025 = "；2025年修订文本的条号未核对"

# Election modes counted as direct elections (ADR 0601).
DIRECT_MODES = frozenset({"all_voters", "household"})


def _rules(law: str, *, read: bool) -> dict[str, Rule]:
    """The rules of one profile. ``read``: the profile is the 2018 law, whose text is in
    ``shared/reference/laws`` and was read article by article. For the 2025 revision only
    the articles quoted in ADR 0609 were read; every other value is the 2018 value with
    the 2018 citation and says that the 2025 article number was not checked."""
    later = "" if read else NOT_READ_2025

    def rcl(article: str) -> str:
        return f"{RCL_2018} {article}{later}"

    items = [
        # validity, winning, supplementary round
        Rule("turnout_for_validity", _("Registered voters who must vote for a valid election"),
             ">1/2", Unit.SHARE,
             f"{VCL} 第十五条第二款（有登记参加选举的村民过半数投票，选举有效）{later}",
             verified=read),
        Rule("majority_to_win", _("Votes needed to be elected, of the ballots cast"), ">1/2",
             Unit.SHARE, f"{VCL} 第十五条（获得参加投票的过半数的选票始得当选）"),
        Rule("supplementary_floor",
             _("Votes needed in the supplementary round, of the ballots cast"), ">=1/3",
             Unit.SHARE,
             f"{VCL} 第十五条（另行选举：得票多的当选，但不得少于已投选票数的三分之一）"),
        Rule("supplementary_extra_candidates",
             _("Supplementary-round candidates beyond the unfilled seats"), 1, Unit.PERSONS,
             f"{PROVINCIAL}（另行选举按得票多少确定差额候选人）", verified=False),
        Rule("void_if_returned_exceeds_issued",
             _("More ballots returned than issued voids the election"), True, Unit.FLAG,
             f"{PROVINCIAL}（收回的选票多于发出的选票，选举无效）", verified=False),
        Rule("overmarked_ballot_invalid",
             _("A ballot naming more people than seats is invalid for that post"), True,
             Unit.FLAG, f"{PROVINCIAL}（所选人数多于应选人数的选票无效）", verified=False),
        Rule("competitive_list", _("Candidates beyond the seats of each post, at least"), 1,
             Unit.PERSONS, f"{VCL} 第十五条（候选人名额应当多于应选名额，差额选举）"),
        # composition
        Rule("members_min", _("Committee members, at least"), 5, Unit.PERSONS,
             rcl("第七条（主任、副主任和委员共五至九人）"), verified=read),
        Rule("members_max", _("Committee members, at most"), 9, Unit.PERSONS,
             rcl("第七条"), verified=read),
        Rule("women_seat", _("At least one woman on the committee"), True, Unit.FLAG,
             f"{VCL} 第六条（应当有妇女成员）" if read
             else f"{GANSU_2025} 第五条第二款（居民委员会成员中应当有妇女成员）"),
        Rule("term_years", _("Term of office"), 5, Unit.YEARS, rcl("第八条（每届任期五年）"),
             verified=read),
        # roll
        Rule("voting_age", _("Voting age on voting day"), 18, Unit.YEARS,
             rcl("第八条第二款（年满十八周岁）") if read
             else f"{GANSU_2025} 第十五条（年满十八周岁；年龄计算以选举日为截止日期）"),
        Rule("residence_months", _("Residence needed by residents not registered here"),
             0 if read else 6, Unit.MONTHS,
             f"{RCL_2018} 第八条第二款（本居住地区居民不分居住期限都有选举权）" if read
             else f"{GANSU_2025} 第十六条第一款第二项（户籍不在本社区但在本社区居住六个月以上的居民）"),
        Rule("workers_may_register",
             _("Community workers living elsewhere may register on request, confirmed by the "
               "election committee"), not read, Unit.FLAG,
             f"{RCL_2018} 第八条第二款（选举权属于本居住地区居民）" if read
             else f"{GANSU_2025} 第十六条第一款第三项（本人申请参加选举并经居民选举委员会确认的社区工作者）"),
        Rule("worker_months", _("Work in the community needed by such a community worker"),
             6, Unit.MONTHS,
             f"{GANSU_2025} 第十六条第一款第三项（在本社区工作六个月以上）",
             note=_("Applies only where community workers may register.")),
        Rule("roll_days_before", _("Roll published before voting day, at least"), 20,
             Unit.DAYS, f"{VCL} 第十四条（选举日的二十日前公布）"),
        Rule("objection_days", _("Objections to the roll within, after publication"), 5,
             Unit.DAYS, f"{VCL} 第十四条（公布之日起五日内）"),
        Rule("decision_days", _("Objections decided within"), 3, Unit.DAYS,
             f"{VCL} 第十四条（三日内作出处理决定）"),
        Rule("one_roll_only", _("Nobody on two rolls"), True, Unit.FLAG,
             f"{VCL} 第十三条第三款（不得再参加其他地方村民委员会的选举）" if read
             else f"{GANSU_2025} 第十六条第二款（不得再参加其他地方居民委员会的选举）"),
        Rule("group_representatives_max", _("Representatives per residents' group, at most"),
             3, Unit.PERSONS, rcl("第八条（每个居民小组选举代表二至三人）"), verified=read),
        Rule("proxy_relatives", _("Written proxies only to a close relative"), True, Unit.FLAG,
             f"{VCL} 第十五条（可以书面委托其近亲属代为投票）"),
        Rule("proxies_per_voter_max", _("Proxies one voter may hold, at most"), 3, Unit.PERSONS,
             f"{PROVINCIAL}（每一选民接受委托不超过三人）", verified=False),
        Rule("candidate_leaves_committee",
             _("A nominated member of the election committee leaves it"), True, Unit.FLAG,
             f"{VCL} 第十二条（村民选举委员会成员被提名为候选人的，应当退出村民选举委员会）"),
        Rule("relatives_leave_committee",
             _("A member of the election committee whose close relative is nominated leaves it"),
             not read, Unit.FLAG,
             f"{VCL} 第十二条第三款（只有被提名的成员本人退出）" if read
             else f"{RCL_2025} 第三章（居民选举委员会成员的近亲属被提名为候选人的，应当退出）"
                  f"{NOT_READ_2025}",
             verified=read),
        Rule("representatives_conference",
             _("The residents' representative conference is a statutory body"), not read,
             Unit.FLAG,
             f"{RCL_2018} 第九条、第十条（只规定居民会议）" if read
             else f"{RCL_2025} 第二条第二款（居民委员会向居民会议、居民代表会议负责并报告工作）、"
                  "第四章 居民会议和居民代表会议"),
        # nominations
        Rule("nominators_min", _("Nominators on the roll, at least"), 1, Unit.PERSONS,
             f"{VCL} 第十五条（由登记参加选举的村民直接提名）"),
        Rule("candidates_days_before", _("Formal candidates announced before voting day, at least"),
             5, Unit.DAYS, f"{PROVINCIAL}（选举日前五日公布正式候选人名单）", verified=False),
        # dates (ADR 0610)
        Rule("polling_on_voting_day", _("Polling opens on voting day, not before"), True,
             Unit.FLAG, f"{VCL} 第十四条、第十五条（选举日投票，选举结果当场公布）"),
        # recall votes (ADR 0612): the villagers' committee law's rule, the model the project
        # applies because the residents' committee law (2018) sets none
        Rule("recall_turnout", _("Registered voters who must vote for a valid recall vote"),
             ">1/2", Unit.SHARE,
             f"{VCL} 第十六条第二款（罢免村民委员会成员，须有登记参加选举的村民过半数投票）{later}",
             verified=read),
        Rule("recall_approval", _("Approvals needed to recall, of the ballots cast"), ">1/2",
             Unit.SHARE, f"{VCL} 第十六条第二款（并须经投票的村民过半数通过）{later}",
             verified=read),
        Rule("setup_days_before_max", _("An election is set up at most this long before voting day"),
             365, Unit.DAYS,
             "本系统规则：换届选举按统一部署在当年进行，更远的选举日视为录入错误",
             local=True),
    ]
    return {r.key: r for r in items}


RULESETS: dict[str, RuleSet] = {
    "rcl-2018": RuleSet(MODULE, "rcl-2018",
                        _("Residents' Committees Organic Law (2018) with the election rules of "
                          "the Villagers' Committees Organic Law"),
                        VERSION, _rules(RCL_2018, read=True)),
    "rcl-2025": RuleSet(MODULE, "rcl-2025",
                        _("Residents' Committees Organic Law (2025 revision, in force "
                          "2026-01-01)"),
                        VERSION, _rules(RCL_2025, read=False)),
}
PROFILES = tuple(RULESETS)

# Not a value of law: the system's own rule for tally sheets (ADR 0604).
DOUBLE_ENTRY = Rule("double_entry", _("Entries of each tally sheet, by different people"), 2,
                    Unit.PERSONS,
                    "本系统规则：公开计票，计票结果由两人分别录入、核对一致（村民委员会组织法 第十五条）",
                    local=True)


def unknown_profile(name: str) -> BusinessError:
    return BusinessError(_("Unknown rule profile or rule %(name)s.") % {"name": name},
                         code=Code.UNKNOWN_PROFILE, details={"profiles": list(PROFILES)})


def label_of(key: str) -> str:
    """A rule's label in the reader's language (for findings stored with their key)."""
    for rs in RULESETS.values():
        if key in rs.rules:
            return str(rs.rules[key].label)
    return str(DOUBLE_ENTRY.label) if key == DOUBLE_ENTRY.key else key


def profile_label(profile: Profile) -> str:
    """The profile's name in the reader's language (its key when no longer registered)."""
    rs = RULESETS.get(profile.key)
    return str(rs.label) if rs is not None else profile.key


def base(code: str = DEFAULT_PROFILE) -> Profile:
    """A profile's base values (no local values, no database)."""
    rs = RULESETS.get(code)
    if rs is None:
        raise unknown_profile(code)
    return Profile(module=MODULE, key=code, area_code="", base_version=rs.version,
                   rules=dict(rs.rules))


def resolve(code: str, area_code: str) -> Profile:
    """The profile in force at ``area_code``: base values and the local values set for the
    areas above it (``shequ rules set elections …``); one query."""
    if code not in RULESETS:
        raise unknown_profile(code)
    return rules.resolve(MODULE, code, area_code)


def _value(rule: Rule, raw: Any) -> Any:
    """An override's value: a share may be written as a bare fraction (``"1/4"``, the
    document format before version 3), which keeps the base value's "more than" or "at
    least"."""
    if rule.unit == Unit.SHARE:
        text = str(raw).strip().replace(" ", "")
        if not text.startswith(">"):
            op = ">=" if str(rule.value).startswith(">=") else ">"
            text = op + text
        return rule.coerce(text)
    if rule.unit == Unit.FLAG and isinstance(raw, bool):
        return raw
    return rule.coerce(str(raw))


def with_overrides(profile: Profile, overrides: Mapping[str, Any]) -> Profile:
    """A profile with values set for one election (the API's ``overrides``); each such
    rule says so in its source ("local rule")."""
    if not overrides:
        return profile
    changed = dict(profile.rules)
    for key, raw in overrides.items():
        rule = changed.get(key)
        if rule is None:
            raise unknown_profile(key)
        try:
            value = _value(rule, raw)
        except ValueError as exc:
            raise BusinessError(_("“%(rule)s”: %(problem)s") % {"rule": rule.label, "problem": exc},
                                code=Code.UNKNOWN_PROFILE, details={"rule": key}) from None
        changed[key] = replace(rule, value=value, citation=f"{rule.citation}（本地调整）", local=True)
    return replace(profile, rules=changed,
                   overridden=tuple(sorted(set(profile.overridden) | set(overrides))))


def snapshot(profile: Profile) -> dict[str, Any]:
    """What an election stores of its profile (JSON): values, units, citations, flags and
    the version. Labels are not stored: they are shown in the reader's language."""
    return {
        "module": profile.module, "profile": profile.key, "area_code": profile.area_code,
        "base_version": profile.base_version, "version": profile.version,
        "overridden": list(profile.overridden),
        "rules": {k: {"value": r.value, "unit": str(r.unit), "citation": str(r.citation),
                      "verified": r.verified, "local": r.local}
                  for k, r in sorted(profile.rules.items())},
    }


# Rules added in version 4 that an older snapshot lacks and reads from the base (ADR 0610)
# through ``rule_in``; ``residence_years`` (versions 1–3) became ``residence_months``.
ADDED_IN_4 = frozenset({"workers_may_register", "worker_months", "relatives_leave_committee",
                        "representatives_conference", "polling_on_voting_day",
                        "setup_days_before_max"})

# Rules added in version 5 (recall votes, ADR 0612); no stored election lacks them that
# needs them (recall votes are set up with version 5), read from the base all the same.
ADDED_IN_5 = frozenset({"recall_turnout", "recall_approval"})

# Labels of rules that today's profiles no longer have, for the snapshots that do.
LEGACY_LABELS = {"residence_years": _("Residence needed by voters not registered here")}

OLD_UNITS = {  # version 1–2 snapshots: English unit sentences → units
    "turnout_for_validity": Unit.SHARE, "majority_to_win": Unit.SHARE,
    "supplementary_floor": Unit.SHARE, "supplementary_extra_candidates": Unit.PERSONS,
    "void_if_returned_exceeds_issued": Unit.FLAG, "overmarked_ballot_invalid": Unit.FLAG,
    "competitive_list": Unit.PERSONS, "members_min": Unit.PERSONS, "members_max": Unit.PERSONS,
    "women_seat": Unit.FLAG, "term_years": Unit.YEARS, "voting_age": Unit.YEARS,
    "residence_years": Unit.YEARS, "roll_days_before": Unit.DAYS, "objection_days": Unit.DAYS,
    "decision_days": Unit.DAYS, "one_roll_only": Unit.FLAG,
    "group_representatives_max": Unit.PERSONS, "proxy_relatives": Unit.FLAG,
    "proxies_per_voter_max": Unit.PERSONS, "candidate_leaves_committee": Unit.FLAG,
    "nominators_min": Unit.PERSONS, "candidates_days_before": Unit.DAYS,
}
OLD_STRICT = {"turnout_for_validity": ">", "majority_to_win": ">", "supplementary_floor": ">="}


def upgrade(old: Mapping[str, Any]) -> dict[str, Any]:
    """A version 1–2 snapshot (``{"code", "version": 2, "title", "rules": {key: {"key",
    "value", "unit", "citation"}}}``, fractions as ``"1/2"``) in today's shape, with the
    same values and the same meaning. Migration 0003 does this to stored elections."""
    if "module" in old:
        return dict(old)
    out: dict[str, Any] = {}
    for key, raw in (old.get("rules") or {}).items():
        value = raw.get("value")
        if key in OLD_STRICT:
            value = f"{OLD_STRICT[key]}{value}"
        elif key == "proxy_relatives":
            value = bool(value)
        citation = str(raw.get("citation", ""))
        out[key] = {"value": value, "unit": str(OLD_UNITS.get(key, Unit.TEXT)),
                    "citation": citation, "verified": False, "local": citation.endswith("（本地调整）")}
    code = str(old.get("code", DEFAULT_PROFILE))
    prof = Profile(module=MODULE, key=code, area_code="", base_version=str(old.get("version", "1")),
                   rules={k: Rule(k, k, v["value"], v["unit"], v["citation"]) for k, v in out.items()})
    return {"module": MODULE, "profile": code, "area_code": "", "base_version": prof.base_version,
            "version": prof.version, "overridden": sorted(k for k, v in out.items() if v["local"]),
            "rules": dict(sorted(out.items()))}


def from_snapshot(data: Mapping[str, Any]) -> Profile:
    """The profile an election stored, with today's labels (and units' words)."""
    data = upgrade(data)
    known = RULESETS.get(str(data.get("profile")), RULESETS[DEFAULT_PROFILE]).rules
    items: dict[str, Rule] = {}
    for key, raw in data["rules"].items():
        template = known.get(key) or (DOUBLE_ENTRY if key == DOUBLE_ENTRY.key else None)
        label = template.label if template is not None else LEGACY_LABELS.get(key, key)
        items[key] = Rule(key, label, raw["value"], raw["unit"], raw["citation"],
                          verified=bool(raw.get("verified", False)),
                          local=bool(raw.get("local", False)))
    return Profile(module=MODULE, key=str(data["profile"]), area_code=str(data.get("area_code", "")),
                   base_version=str(data["base_version"]), rules=items,
                   overridden=tuple(data.get("overridden", ())))


def profile_from(spec: str | Mapping[str, Any] | None = None) -> Profile:
    """A profile from a counting document or a set-up request: a code (base values), a
    snapshot (stored by an election, old or new shape), or ``{"base": code, "overrides":
    {...}}``. Raises a :class:`BusinessError` (``unknown_profile``) otherwise."""
    if spec is None:
        return base()
    if isinstance(spec, str):
        return base(spec)
    if not isinstance(spec, Mapping):
        raise unknown_profile(str(spec))
    if "rules" in spec:
        try:
            return from_snapshot(spec)
        except (KeyError, TypeError, ValueError):
            raise unknown_profile(str(spec.get("profile") or spec.get("code") or "?")) from None
    overrides = spec.get("overrides") or {}
    if not isinstance(overrides, Mapping):
        raise unknown_profile("overrides")
    return with_overrides(base(str(spec.get("base") or DEFAULT_PROFILE)), overrides)


def rule_in(profile: Profile, key: str) -> Rule:
    """``profile.rule(key)``, also for a snapshot stored before version 4 that lacks the
    rule: the residence period it stored in years, counted in months; a rule added in
    version 4, from the base of its profile (ADR 0610). The snapshot itself, and so its
    version, is left as stored."""
    found = profile.rules.get(key)
    if found is not None:
        return found
    if key == "residence_months" and "residence_years" in profile.rules:
        old = profile.rules["residence_years"]
        return replace(old, key=key, value=int(old.value) * 12, unit=Unit.MONTHS,
                       label=RULESETS[DEFAULT_PROFILE].rules[key].label)
    if key in ADDED_IN_4 | ADDED_IN_5:
        return RULESETS.get(profile.key, RULESETS[DEFAULT_PROFILE]).rules[key]
    return profile.rule(key)


def profile_of(election: Any) -> Profile:
    """The profile an election stored when it was set up (parsed once per object)."""
    cached = getattr(election, "_rules_profile", None)
    if cached is None or cached[0] is not election.profile:
        cached = (election.profile, from_snapshot(election.profile))
        election._rules_profile = cached
    return cached[1]
