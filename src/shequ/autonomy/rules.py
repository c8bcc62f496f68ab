"""Rules from law as data: one profile per community kind, each value with its unit and
citation (``shared/reference/LAW.md``). A province or district overrides a value with a
:class:`~shequ.autonomy.models.RuleOverride`; the resolved profile carries a version
(``urban-2026.1/3f2a9c1b``: base version + digest of the effective values), and every
decision stores the version it used (ADR 0501).

Shares are written as ``">1/2"`` (more than half) or ``">=2/3"`` (at least two thirds),
so "more than" and "at least" never get confused and an override can change either.
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass, field, replace
from datetime import date
from fractions import Fraction
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

BASE_VERSION = "2026.1"
URBAN = "urban"
AGRICULTURAL = "agricultural"

RC = "城市居民委员会组织法"
VC = "村民委员会组织法"
LOCAL = _("local practice (unverified); set per district")


@dataclass(frozen=True)
class Rule:
    key: str
    label: str | Promise
    value: Any  # int | bool | share spec such as ">1/2"
    unit: str  # households | days | months | years | count | share | flag
    citation: str | Promise

    @property
    def share(self) -> tuple[Fraction, bool]:
        return parse_share(str(self.value))


def parse_share(spec: str) -> tuple[Fraction, bool]:
    """``">1/2"`` → (1/2, strict=True); ``">=2/3"`` → (2/3, strict=False)."""
    spec = spec.strip().replace(" ", "")
    if spec.startswith(">="):
        return Fraction(spec[2:]), False
    if spec.startswith(">"):
        return Fraction(spec[1:]), True
    raise ValueError(f"share must start with > or >=: {spec!r}")


def share_met(spec: str, count: int, base: int) -> bool:
    """Whether ``count`` out of ``base`` satisfies the share (exact, no floats)."""
    frac, strict = parse_share(spec)
    if base <= 0:
        return False
    lhs, rhs = count * frac.denominator, frac.numerator * base
    return lhs > rhs if strict else lhs >= rhs


def share_needed(spec: str, base: int) -> int:
    """The smallest count out of ``base`` that satisfies the share."""
    frac, strict = parse_share(spec)
    exact = frac * base
    need = math.floor(exact) + 1 if strict else math.ceil(exact)
    return max(need, 1)


def _rules(*items: tuple[str, str | Promise, Any, str, str | Promise]) -> dict[str, Rule]:
    return {k: Rule(k, label, value, unit, cite) for k, label, value, unit, cite in items}


LABELS: dict[str, str | Promise] = {
    "households_per_representative": _("Households per standing representative (at most)"),
    "representative_term_years": _("Term of a standing representative"),
    "notice_days": _("Notice period before a meeting"),
    "quorum": _("Quorum: share of members present"),
    "majority": _("Majority: share of those present voting for"),
    "proposal_cosigners": _("Co-signers needed for a residents' joint proposal"),
    "secret_ballot_ordinary": _("Secret ballot on ordinary motions"),
    "secret_ballot_personnel": _("Secret ballot on personnel motions"),
    "evaluation_interval_months": _("Evaluation at least every"),
    "unfit_share": _("Share of 'unfit' ratings that makes a member rated unfit"),
    "consecutive_unfit": _("Consecutive 'unfit' results that flag a member"),
    "disclosure_finance_months": _("Finances disclosed every"),
    "disclosure_affairs_months": _("Ordinary affairs disclosed every"),
    "disclosure_grace_days": _("Days after a period ends by which its disclosure is due"),
    "disclosure_major_days": _("Days within which a major matter or resolution is disclosed"),
    "recall_initiation": _("Share of voters who must sign a recall petition"),
    "recall_initiation_representatives": _("Share of representatives who may jointly start "
                                           "a recall instead"),
    "recall_turnout": _("Recall vote valid when this share of registered voters votes"),
    "recall_approval": _("Recall passes with this share of ballots cast"),
    "women_representatives": _("Share of women among the representatives (>=0: no requirement)"),
}

PROFILES: dict[str, dict[str, Rule]] = {
    URBAN: _rules(
        ("households_per_representative", LABELS["households_per_representative"], 50,
         "households", f"{RC} Art. 8 (2–3 per residents' group); Jinjiang 常任制 practice "
         "one per ≤50 households (unverified)"),
        ("representative_term_years", LABELS["representative_term_years"], 5, "years",
         f"{RC} Art. 8 (term of the committee)"),
        ("notice_days", LABELS["notice_days"], 7, "days", LOCAL),
        ("quorum", LABELS["quorum"], ">1/2", "share", f"{RC} Art. 9"),
        ("majority", LABELS["majority"], ">1/2", "share", f"{RC} Art. 9"),
        ("proposal_cosigners", LABELS["proposal_cosigners"], 10, "count",
         _("Jinjiang 重大事项提案制 (unverified); set per district")),
        ("secret_ballot_ordinary", LABELS["secret_ballot_ordinary"], False, "flag", LOCAL),
        ("secret_ballot_personnel", LABELS["secret_ballot_personnel"], True, "flag",
         f"{VC} Art. 15 (secret ballot), applied by analogy"),
        ("evaluation_interval_months", LABELS["evaluation_interval_months"], 12, "months",
         f"{VC} Art. 33, applied by analogy"),
        ("unfit_share", LABELS["unfit_share"], ">1/2", "share", LOCAL),
        ("consecutive_unfit", LABELS["consecutive_unfit"], 2, "count",
         f"{VC} Art. 33, applied by analogy"),
        ("disclosure_finance_months", LABELS["disclosure_finance_months"], 1, "months",
         f"{RC} Art. 16 (promptly); Jinjiang 居务公开 monthly"),
        ("disclosure_affairs_months", LABELS["disclosure_affairs_months"], 3, "months",
         f"{VC} Art. 30, applied by analogy"),
        ("disclosure_grace_days", LABELS["disclosure_grace_days"], 10, "days", LOCAL),
        ("disclosure_major_days", LABELS["disclosure_major_days"], 5, "days",
         f"{VC} Art. 30 (major matters at once)"),
        ("recall_initiation", LABELS["recall_initiation"], ">=1/5", "share",
         f"{VC} Art. 16 (statutory model); {RC} Art. 10"),
        ("recall_initiation_representatives", LABELS["recall_initiation_representatives"],
         ">=1/3", "share", f"{VC} Art. 16 (statutory model)"),
        ("recall_turnout", LABELS["recall_turnout"], ">1/2", "share", f"{VC} Art. 16"),
        ("recall_approval", LABELS["recall_approval"], ">1/2", "share", f"{VC} Art. 16"),
        ("women_representatives", LABELS["women_representatives"], ">=0", "share",
         _("none in the residents' committee law; a district may set one")),
    ),
    AGRICULTURAL: _rules(
        ("households_per_representative", LABELS["households_per_representative"], 15,
         "households", f"{VC} Art. 25 (one per 5–15 households)"),
        ("representative_term_years", LABELS["representative_term_years"], 5, "years",
         f"{VC} Art. 11 and 25"),
        ("notice_days", LABELS["notice_days"], 10, "days", f"{VC} Art. 22"),
        ("quorum", LABELS["quorum"], ">=2/3", "share", f"{VC} Art. 26"),
        ("majority", LABELS["majority"], ">1/2", "share", f"{VC} Art. 26"),
        ("proposal_cosigners", LABELS["proposal_cosigners"], 10, "count",
         _("Jinjiang 重大事项提案制 (unverified); set per district")),
        ("secret_ballot_ordinary", LABELS["secret_ballot_ordinary"], False, "flag", LOCAL),
        ("secret_ballot_personnel", LABELS["secret_ballot_personnel"], True, "flag",
         f"{VC} Art. 15"),
        ("evaluation_interval_months", LABELS["evaluation_interval_months"], 12, "months",
         f"{VC} Art. 33"),
        ("unfit_share", LABELS["unfit_share"], ">1/2", "share", LOCAL),
        ("consecutive_unfit", LABELS["consecutive_unfit"], 2, "count", f"{VC} Art. 33"),
        ("disclosure_finance_months", LABELS["disclosure_finance_months"], 3, "months",
         f"{VC} Art. 30 (at least quarterly; monthly where busy)"),
        ("disclosure_affairs_months", LABELS["disclosure_affairs_months"], 3, "months",
         f"{VC} Art. 30"),
        ("disclosure_grace_days", LABELS["disclosure_grace_days"], 10, "days", LOCAL),
        ("disclosure_major_days", LABELS["disclosure_major_days"], 5, "days",
         f"{VC} Art. 30 (major matters at once)"),
        ("recall_initiation", LABELS["recall_initiation"], ">=1/5", "share", f"{VC} Art. 16"),
        ("recall_initiation_representatives", LABELS["recall_initiation_representatives"],
         ">=1/3", "share", f"{VC} Art. 16"),
        ("recall_turnout", LABELS["recall_turnout"], ">1/2", "share", f"{VC} Art. 16"),
        ("recall_approval", LABELS["recall_approval"], ">1/2", "share", f"{VC} Art. 16"),
        ("women_representatives", LABELS["women_representatives"], ">=1/3", "share",
         f"{VC} Art. 25"),
    ),
}


def profile_key_for_kind(kind: str) -> str:
    """Urban communities use the residents' committee profile; agricultural communities
    and villages the council profile (villagers' committee law, ADR 0501)."""
    return URBAN if kind in ("", URBAN) else AGRICULTURAL


def coerce(template: Rule, raw: str) -> Any:
    if template.unit == "share":
        parse_share(raw)
        return raw.strip().replace(" ", "")
    if template.unit == "flag":
        return raw.strip().lower() in ("1", "true", "yes", "on")
    value = int(raw)
    if value < 0:
        raise ValueError("negative")
    return value


@dataclass(frozen=True)
class Profile:
    key: str
    community_code: str
    rules: dict[str, Rule] = field(default_factory=dict)
    overridden: tuple[str, ...] = ()

    @property
    def version(self) -> str:
        payload = ";".join(f"{k}={self.rules[k].value}" for k in sorted(self.rules))
        return f"{self.key}-{BASE_VERSION}/{hashlib.sha256(payload.encode()).hexdigest()[:8]}"

    def value(self, key: str) -> Any:
        return self.rules[key].value

    def met(self, key: str, count: int, base: int) -> bool:
        return share_met(str(self.rules[key].value), count, base)

    def needed(self, key: str, base: int) -> int:
        return share_needed(str(self.rules[key].value), base)

    # the rules in use, each a small function so tests can walk every threshold
    def representatives_for(self, households: int) -> int:
        per = int(self.value("households_per_representative"))
        return max(1, math.ceil(households / per)) if households > 0 else 0

    def notice_sufficient(self, notice_on: date, meeting_on: date) -> bool:
        return (meeting_on - notice_on).days >= int(self.value("notice_days"))

    def quorate(self, present: int, members: int) -> bool:
        return self.met("quorum", present, members)

    def adopted(self, votes_for: int, present: int) -> bool:
        return self.met("majority", votes_for, present)

    def cosigners_enough(self, count: int) -> bool:
        return count >= int(self.value("proposal_cosigners"))

    def secret(self, personnel: bool) -> bool:
        return bool(self.value("secret_ballot_personnel" if personnel
                               else "secret_ballot_ordinary"))

    def evaluation_due(self, last: date | None, today: date) -> bool:
        if last is None:
            return True
        months = (today.year - last.year) * 12 + today.month - last.month
        if today.day < last.day:
            months -= 1
        return months >= int(self.value("evaluation_interval_months"))

    def rated_unfit(self, unfit: int, ratings: int) -> bool:
        return self.met("unfit_share", unfit, ratings)

    def flag_unfit(self, consecutive: int) -> bool:
        return consecutive >= int(self.value("consecutive_unfit"))

    def disclosure_overdue(self, due_on: date, today: date) -> bool:
        return today > due_on

    def recall_signatures_needed(self, voters: int) -> int:
        return self.needed("recall_initiation", voters)

    def recall_valid(self, cast: int, registered: int) -> bool:
        return self.met("recall_turnout", cast, registered)

    def recall_passed(self, approve: int, cast: int) -> bool:
        return self.met("recall_approval", approve, cast)

    def with_values(self, **values: Any) -> Profile:
        """A copy with some values replaced (tests, previews)."""
        rules = {k: replace(r, value=values[k]) if k in values else r
                 for k, r in self.rules.items()}
        return replace(self, rules=rules, overridden=tuple(sorted(set(self.overridden) | set(values))))


def base_profile(key: str, community_code: str = "") -> Profile:
    return Profile(key=key, community_code=community_code, rules=dict(PROFILES[key]))


def profile_for(community_code: str) -> Profile:
    """The effective profile of a community: its kind's defaults, then overrides from the
    province down to the community (the longest matching code wins)."""
    from shequ.areas.models import Area
    from shequ.autonomy.models import RuleOverride

    code = community_code[:12]
    kind = Area.objects.filter(code=code).values_list("kind", flat=True).first() or ""
    key = profile_key_for_kind(kind)
    prefixes = [code[:n] for n in (2, 4, 6, 9, 12) if len(code) >= n]
    profile = base_profile(key, code)
    rows = sorted(RuleOverride.objects.filter(profile=key, area_code__in=prefixes),
                  key=lambda r: len(r.area_code))
    if not rows:
        return profile
    rules = dict(profile.rules)
    for row in rows:
        if row.key in rules:
            rules[row.key] = replace(rules[row.key], value=coerce(rules[row.key], row.value),
                                     citation=f"{row.citation} ({row.area_code})")
    return replace(profile, rules=rules, overridden=tuple(sorted({r.key for r in rows})))
