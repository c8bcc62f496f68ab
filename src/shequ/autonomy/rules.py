"""Rules from law as data (ADR 0501, made common as ``shequ.rules`` by ADR 0011).

Two rule sets, registered in ``apps.ready``: ``("autonomy", "urban")`` for communities
with a residents' committee and ``("autonomy", "agricultural")`` for agricultural
communities and villages, whose statutory model is the villagers' committee law. A
province, city, district, street or community sets a local value with
``shequ rules set autonomy …`` (or :func:`shequ.autonomy.services.set_rule_override`);
:func:`profile_for` gives the values in force, and every decision stores
``profile.version``.

Citations name the articles as the 2018 texts in ``shared/reference/laws`` number them;
``verified=False`` marks a source that was carried over without being read (Jinjiang
practice), ``local=True`` a value no statute sets. The functions below are the rules in
use, each small enough for the tests to walk every threshold.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any

from django.utils.functional import Promise
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from shequ import rules
from shequ.rules import Profile, Rule, RuleSet, Unit

MODULE = "autonomy"
VERSION = "2026.3"  # 2026.3: recall of the supervision committee (ADR 0513)
URBAN = "urban"
AGRICULTURAL = "agricultural"

RCL = "《城市居民委员会组织法》（2018年修正）"
VCL = "《村民委员会组织法》（2018年修正）"
LOCAL = _("local practice")
JINJIANG_PROPOSALS = _("Jinjiang practice (重大事项提案制)")


def _by_analogy(citation: str) -> Promise:
    return format_lazy("{}{}", citation, _(" (applied by analogy)"))


LABELS: dict[str, str | Promise] = {
    "households_per_representative": _("Households per standing representative (at most)"),
    "representative_term_years": _("Term of a standing representative"),
    "notice_days": _("Notice period before a meeting"),
    "quorum": _("Quorum: share of the conference's members (committee members and "
                "representatives) present"),
    "majority": _("Majority: share of those present voting for"),
    "proposal_cosigners": _("Co-signers needed for a residents' joint proposal"),
    "secret_ballot_ordinary": _("Secret ballot on ordinary motions"),
    "secret_ballot_personnel": _("Secret ballot on personnel motions"),
    "evaluation_interval_months": _("Evaluation at least every"),
    "unfit_share": _("Share of 'unfit' ratings that makes a member rated unfit"),
    "consecutive_unfit": _("Consecutive 'unfit' results that end a member's term"),
    "disclosure_finance_months": _("Finances disclosed every"),
    "disclosure_affairs_months": _("Ordinary affairs disclosed every"),
    "disclosure_grace_days": _("Days after a period ends by which its disclosure is due"),
    "disclosure_major_days": _("Days within which a major matter or resolution is disclosed"),
    "recall_initiation": _("Share of voters who must sign a recall petition"),
    "recall_initiation_representatives": _("Share of representatives who may jointly start "
                                           "a recall instead"),
    "recall_turnout": _("Recall vote valid when this share of registered voters votes"),
    "recall_approval": _("Recall passes with this share of ballots cast"),
    "recall_other_bodies": _("Members of the conference's working committee and of the "
                             "council may be recalled too"),
    "recall_representatives": _("Standing representatives may be recalled by a petition"),
    "recall_supervision_committee": _("Members of the residents' (villagers') affairs "
                                      "supervision committee may be recalled"),
    "request_residents_meeting": _("Share of adult residents whose request obliges the "
                                   "committee to convene a residents' meeting"),
    "request_meeting_representatives": _("Share of representatives whose request obliges "
                                         "the committee to convene a residents' meeting"),
    "request_conference": _("Share of representatives whose request obliges the committee "
                            "to convene the representatives' conference"),
    "convene_within_days": _("Days within which a requested meeting is convened"),
    "women_representatives": _("Share of women among the representatives"),
}


def _rule(key: str, value: Any, unit: str, citation: str | Promise, *, verified: bool = True,
          local: bool = False) -> Rule:
    return Rule(key, LABELS[key], value, unit, citation, verified=verified, local=local)


def _shared(finance_months: int, finance_cite: str | Promise, finance_local: bool,
            by_analogy: bool) -> list[Rule]:
    """Rules both profiles take from the villagers' committee law (directly for
    agricultural communities, by analogy for urban ones) or from local practice."""
    cite = _by_analogy if by_analogy else (lambda c: c)
    return [
        _rule("proposal_cosigners", 10, Unit.PERSONS,
              format_lazy("{}{}", JINJIANG_PROPOSALS,
                          _("; no statute sets co-signers for a proposal (a request to "
                            "convene a meeting has statutory shares, below)")),
              verified=False, local=True),
        _rule("secret_ballot_ordinary", False, Unit.FLAG, LOCAL, verified=False, local=True),
        _rule("secret_ballot_personnel", True, Unit.FLAG, cite(f"{VCL}第十五条")),
        _rule("evaluation_interval_months", 12, Unit.MONTHS, cite(f"{VCL}第三十三条")),
        _rule("unfit_share", ">1/2", Unit.SHARE, LOCAL, verified=False, local=True),
        _rule("consecutive_unfit", 2, Unit.COUNT, cite(f"{VCL}第三十三条")),
        _rule("disclosure_finance_months", finance_months, Unit.MONTHS, finance_cite,
              verified=not finance_local, local=finance_local),
        _rule("disclosure_affairs_months", 3, Unit.MONTHS, cite(f"{VCL}第三十条")),
        _rule("disclosure_grace_days", 10, Unit.DAYS, LOCAL, verified=False, local=True),
        _rule("disclosure_major_days", 5, Unit.DAYS,
              format_lazy("{}{}", f"{VCL}第三十条", _(" (major matters at once)")), local=True),
        _rule("recall_initiation_representatives", ">=1/3", Unit.SHARE, f"{VCL}第十六条"),
        _rule("recall_turnout", ">1/2", Unit.SHARE, f"{VCL}第十六条"),
        _rule("recall_approval", ">1/2", Unit.SHARE, f"{VCL}第十六条"),
        _rule("recall_other_bodies", False, Unit.FLAG,
              _("the laws name the committee's members only; a district may widen it"),
              local=True),
        _rule("recall_representatives", False, Unit.FLAG,
              _("no statute provides it; representatives answer to the households that "
                "chose them (VCL Art. 25); a district may provide it"), local=True),
        _rule("request_conference", ">=1/5", Unit.SHARE, cite(f"{VCL}第二十六条")),
        _rule("convene_within_days", 30, Unit.DAYS,
              _("no statute sets the period; a district sets it"), verified=False,
              local=True),
    ]


def _ruleset(profile: str, label: str | Promise, items: Iterable[Rule]) -> RuleSet:
    by_key = {r.key: r for r in items}
    if set(by_key) != set(LABELS):
        raise ValueError(f"autonomy/{profile}: rules {sorted(set(LABELS) ^ set(by_key))}")
    return RuleSet(module=MODULE, profile=profile, label=label, version=VERSION,
                   rules={k: by_key[k] for k in LABELS})  # shown in this order


URBAN_RULES = _ruleset(URBAN, _("Urban communities (residents' committee)"), [
    _rule("households_per_representative", 50, Unit.HOUSEHOLDS,
          format_lazy("{}{}", f"{RCL}第八条",
                      _(" (two or three per residents' group); Jinjiang practice: one "
                        "representative per 50 households at most")),
          verified=False, local=True),
    _rule("representative_term_years", 5, Unit.YEARS,
          _by_analogy(f"{RCL}第八条；{VCL}第二十五条")),
    _rule("notice_days", 7, Unit.DAYS, LOCAL, verified=False, local=True),
    # ADR 0508: the conference's quorum is VCL Art. 26's (two thirds of its members,
    # committee members included); RCL 2018 Art. 9 is the residents' meeting's.
    _rule("quorum", ">=2/3", Unit.SHARE, _by_analogy(f"{VCL}第二十六条")),
    _rule("majority", ">1/2", Unit.SHARE, _by_analogy(f"{VCL}第二十六条")),
    *_shared(1, format_lazy("{}{}", f"{RCL}第十六条",
                            _(" (accounts published promptly); Jinjiang practice: monthly")),
             finance_local=True, by_analogy=True),
    _rule("recall_initiation", ">=1/5", Unit.SHARE, f"{VCL}第十六条；{RCL}第十条"),
    _rule("request_residents_meeting", ">=1/5", Unit.SHARE, f"{RCL}第十条"),
    # ADR 0513: no national text on a 居务监督委员会; local practice models it on VCL Art. 32
    _rule("recall_supervision_committee", True, Unit.FLAG,
          format_lazy("{}{}", LOCAL,
                      _(": the residents' affairs supervision committee is chosen by the "
                        "residents' meeting and answers to it, as the villagers' one under "
                        "VCL Art. 32; no statute of the residents' committee law provides "
                        "its recall")),
          verified=False, local=True),
    _rule("request_meeting_representatives", ">=1/3", Unit.SHARE,
          _by_analogy(f"{VCL}第二十一条")),
    _rule("women_representatives", ">=0", Unit.SHARE,
          _("none in the residents' committee law; a district may set one"), local=True),
])

AGRICULTURAL_RULES = _ruleset(AGRICULTURAL, _("Agricultural communities (council)"), [
    _rule("households_per_representative", 15, Unit.HOUSEHOLDS, f"{VCL}第二十五条"),
    _rule("representative_term_years", 5, Unit.YEARS, f"{VCL}第十一条、第二十五条"),
    _rule("notice_days", 10, Unit.DAYS, _by_analogy(f"{VCL}第二十一条")),
    _rule("quorum", ">=2/3", Unit.SHARE, f"{VCL}第二十六条"),
    _rule("majority", ">1/2", Unit.SHARE, f"{VCL}第二十六条"),
    *_shared(3, f"{VCL}第三十条", finance_local=False, by_analogy=False),
    _rule("recall_initiation", ">=1/5", Unit.SHARE, f"{VCL}第十六条"),
    _rule("request_residents_meeting", ">=1/10", Unit.SHARE, f"{VCL}第二十一条"),
    # VCL Art. 32: 成员由村民会议或者村民代表会议在村民中推选产生 … 向村民会议和村民代表会议负责
    _rule("recall_supervision_committee", True, Unit.FLAG,
          _by_analogy(f"{VCL}第三十二条（村务监督机构成员由村民会议或者村民代表会议推选产生，"
                      "向其负责）")),
    _rule("request_meeting_representatives", ">=1/3", Unit.SHARE, f"{VCL}第二十一条"),
    _rule("women_representatives", ">=1/3", Unit.SHARE, f"{VCL}第二十五条"),
])

RULESETS = (URBAN_RULES, AGRICULTURAL_RULES)


# ---------------------------------------------------------------- resolving


def profile_key_for_kind(kind: str) -> str:
    """Urban communities use the residents' committee profile; agricultural communities
    and villages the council profile (villagers' committee law, ADR 0501)."""
    return URBAN if kind in ("", URBAN) else AGRICULTURAL


def base_profile(key: str, community_code: str = "") -> Profile:
    """The rule set's own values, without local values (tests, documentation)."""
    return rules.base(MODULE, key, community_code)


def _kinds(codes: Iterable[str]) -> dict[str, str]:
    from shequ.areas.models import Area

    return dict(Area.objects.filter(code__in=set(codes)).values_list("code", "kind"))


def profile_for(community_code: str) -> Profile:
    """The values in force in a community: its kind's rule set, then the local values of
    the areas above it (the longest code winning). Two queries."""
    code = community_code[:12]
    key = profile_key_for_kind(_kinds([code]).get(code, ""))
    return rules.resolve(MODULE, key, code)


def profiles_for(community_codes: Iterable[str]) -> dict[str, Profile]:
    """:func:`profile_for` for a page of communities, in two queries."""
    codes = {c[:12] for c in community_codes}
    kinds = _kinds(codes)
    return rules.resolve_many(MODULE, {c: profile_key_for_kind(kinds.get(c, "")) for c in codes})


# ---------------------------------------------------------------- the rules in use


def representatives_for(profile: Profile, households: int) -> int:
    per = profile.number("households_per_representative")
    return max(1, math.ceil(households / per)) if households > 0 else 0


def notice_sufficient(profile: Profile, notice_on: date, meeting_on: date) -> bool:
    return (meeting_on - notice_on).days >= profile.number("notice_days")


def quorate(profile: Profile, present: int, members: int) -> bool:
    return profile.met("quorum", present, members)


def adopted(profile: Profile, votes_for: int, present: int) -> bool:
    return profile.met("majority", votes_for, present)


def cosigners_enough(profile: Profile, count: int) -> bool:
    return count >= profile.number("proposal_cosigners")


def secret(profile: Profile, personnel: bool) -> bool:
    return bool(profile.value("secret_ballot_personnel" if personnel
                              else "secret_ballot_ordinary"))


def evaluation_due(profile: Profile, last: date | None, today: date) -> bool:
    if last is None:
        return True
    months = (today.year - last.year) * 12 + today.month - last.month
    if today.day < last.day:
        months -= 1
    return months >= profile.number("evaluation_interval_months")


def rated_unfit(profile: Profile, unfit: int, ratings: int) -> bool:
    return profile.met("unfit_share", unfit, ratings)


def flag_unfit(profile: Profile, consecutive: int) -> bool:
    """Rated unfit this many times in a row: the term ends (VCL Art. 33)."""
    return consecutive >= profile.number("consecutive_unfit")


def request_needed(profile: Profile, key: str, base: int) -> int:
    """Signatures a request to convene needs: the profile's share of ``base``."""
    return profile.needed(key, base)


def disclosure_overdue(due_on: date, today: date) -> bool:
    """Due on ``due_on`` means published that day at the latest."""
    return today > due_on


def recall_signatures_needed(profile: Profile, voters: int) -> int:
    return profile.needed("recall_initiation", voters)


def recall_valid(profile: Profile, cast: int, registered: int) -> bool:
    return profile.met("recall_turnout", cast, registered)


def recall_passed(profile: Profile, approve: int, cast: int) -> bool:
    return profile.met("recall_approval", approve, cast)


def term_end(profile: Profile, term_start: date) -> date:
    """The last day of a term that starts on ``term_start`` (five years: 2026-01-01 to
    2030-12-31)."""
    years = profile.number("representative_term_years")
    return date(term_start.year + years, term_start.month, min(term_start.day, 28)) \
        - timedelta(days=1)
