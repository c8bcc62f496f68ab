"""Every threshold of both profiles at, just below and just above its value; the rule sets
as ``shequ.rules`` shows them (words, sources, flags)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.utils import translation

from shequ import rules as rule_store
from shequ.autonomy import rules as law
from shequ.autonomy.rules import AGRICULTURAL, URBAN, base_profile
from shequ.rules import share_met, share_needed

PROFILES = [URBAN, AGRICULTURAL]


def test_both_rule_sets_are_registered_with_the_same_rules() -> None:
    registered = {(rs.module, rs.profile) for rs in rule_store.rulesets("autonomy")}
    assert registered == {("autonomy", URBAN), ("autonomy", AGRICULTURAL)}
    assert set(base_profile(URBAN).rules) == set(base_profile(AGRICULTURAL).rules)
    for key in PROFILES:
        for rule in base_profile(key).rules.values():
            assert str(rule.citation).strip(), rule.key
            assert rule.local or rule.verified, f"{rule.key}: a statute's article not read"


def test_versions_name_the_values() -> None:
    """Version 2026.3 (issue 11: the supervision committee's recall, ADR 0513; 2026.2: the
    conference's quorum, recall bodies, requests to convene); decisions stored with an
    earlier version still name the values they used."""
    assert base_profile(URBAN).version == "urban-2026.3/c8921fb1"
    assert base_profile(AGRICULTURAL).version == "agricultural-2026.3/792d4ce3"


def test_citations_name_the_articles_as_the_texts_number_them() -> None:
    u, a = base_profile(URBAN), base_profile(AGRICULTURAL)
    assert a.rule("quorum").source() == "《村民委员会组织法》（2018年修正）第二十六条"
    # ADR 0508: RCL 2018 Art. 9 is the residents' meeting's; the conference's quorum is
    # VCL Art. 26's, applied by analogy in urban communities
    assert u.rule("quorum").source() == "《村民委员会组织法》（2018年修正）第二十六条（参照适用）"
    assert u.rule("majority").source() == "《村民委员会组织法》（2018年修正）第二十六条（参照适用）"
    # Issue 11 §10: the ten days are VCL Art. 21 (the villagers' meeting), not Art. 22
    assert "第二十二条" not in a.rule("notice_days").source()
    assert a.rule("request_residents_meeting").source() == \
        "《村民委员会组织法》（2018年修正）第二十一条"
    assert u.rule("request_residents_meeting").source() == \
        "《城市居民委员会组织法》（2018年修正）第十条"
    assert a.rule("request_conference").source() == "《村民委员会组织法》（2018年修正）第二十六条"
    assert a.rule("consecutive_unfit").source() == "《村民委员会组织法》（2018年修正）第三十三条"
    assert a.rule("notice_days").source() == "《村民委员会组织法》（2018年修正）第二十一条（参照适用）"
    assert u.rule("notice_days").source() == "地方做法（本地规则，由各区设定）（引用未核实）"
    assert u.rule("proposal_cosigners").source() == (
        "锦江区做法（重大事项提案制）；法律未规定提案的附议人数（提议召集会议的法定比例见下）"
        "（本地规则，由各区设定）（引用未核实）")
    assert a.rule("women_representatives").source() == "《村民委员会组织法》（2018年修正）第二十五条"
    assert u.rule("women_representatives").source() == \
        "居民委员会组织法未作规定，区可以另行规定（本地规则，由各区设定）"


@pytest.mark.parametrize(("key", "urban", "agricultural"), [
    ("quorum", "不少于三分之二", "不少于三分之二"),
    ("request_residents_meeting", "不少于五分之一", "不少于十分之一"),
    ("request_meeting_representatives", "不少于三分之一", "不少于三分之一"),
    ("request_conference", "不少于五分之一", "不少于五分之一"),
    ("convene_within_days", "30 天", "30 天"),
    ("recall_other_bodies", "否", "否"),
    ("majority", "过半数", "过半数"),
    ("recall_initiation", "不少于五分之一", "不少于五分之一"),
    ("women_representatives", "不作要求", "不少于三分之一"),
    ("notice_days", "7 天", "10 天"),
    ("households_per_representative", "50 户", "15 户"),
    ("secret_ballot_personnel", "是", "是"),
    ("secret_ballot_ordinary", "否", "否"),
    ("disclosure_finance_months", "1 个月", "3 个月"),
])
def test_values_are_shown_in_words(key: str, urban: str, agricultural: str) -> None:
    assert base_profile(URBAN).rule(key).display() == urban
    assert base_profile(AGRICULTURAL).rule(key).display() == agricultural


def test_values_are_shown_in_english_words_to_an_english_reader() -> None:
    with translation.override("en"):
        assert base_profile(AGRICULTURAL).rule("quorum").display() == "at least 2/3"
        assert base_profile(URBAN).rule("majority").display() == "more than half"


@pytest.mark.parametrize(("spec", "base", "needed"), [
    (">1/2", 30, 16), (">1/2", 31, 16), (">=2/3", 30, 20), (">=2/3", 31, 21),
    (">=1/5", 100, 20), (">=1/5", 101, 21), (">1/2", 1, 1), (">=1/5", 1, 1),
])
def test_share_needed_is_the_exact_boundary(spec: str, base: int, needed: int) -> None:
    assert share_needed(spec, base) == needed
    assert share_met(spec, needed, base)
    assert not share_met(spec, needed - 1, base)


@pytest.mark.parametrize(("spec", "base", "needed"), [
    (">1/2", 30, 16), (">=2/3", 31, 21), (">=1/5", 101, 21),
])
def test_one_more_than_needed_also_meets_the_share(spec: str, base: int, needed: int) -> None:
    assert needed < base
    assert share_met(spec, needed + 1, base)


@pytest.mark.parametrize(("spec", "base"), [(">1/2", 1), (">=1/5", 1)])
def test_a_base_of_one_needs_that_one(spec: str, base: int) -> None:
    """With one member the only count that meets any share is the whole base."""
    assert share_needed(spec, base) == base == 1
    assert share_met(spec, 1, 1) and not share_met(spec, 0, 1)


# (rule key, base, check(profile, count, base)) for every share rule
SHARE_RULES = [
    ("quorum", 30, law.quorate),
    ("majority", 25, law.adopted),
    ("unfit_share", 40, law.rated_unfit),
    ("recall_turnout", 1000, law.recall_valid),
    ("recall_approval", 600, law.recall_passed),
    ("recall_initiation_representatives", 30,
     lambda p, n, b: p.met("recall_initiation_representatives", n, b)),
]
EXPECTED_NEEDED = {
    (URBAN, "quorum"): 20, (AGRICULTURAL, "quorum"): 20,
    (URBAN, "majority"): 13, (AGRICULTURAL, "majority"): 13,
    (URBAN, "unfit_share"): 21, (AGRICULTURAL, "unfit_share"): 21,
    (URBAN, "recall_turnout"): 501, (AGRICULTURAL, "recall_turnout"): 501,
    (URBAN, "recall_approval"): 301, (AGRICULTURAL, "recall_approval"): 301,
    (URBAN, "recall_initiation_representatives"): 10,
    (AGRICULTURAL, "recall_initiation_representatives"): 10,
}


@pytest.mark.parametrize("offset", [-1, 0, 1], ids=["below", "at", "above"])
@pytest.mark.parametrize("profile_key", PROFILES)
@pytest.mark.parametrize(("key", "base", "check"), SHARE_RULES, ids=[r[0] for r in SHARE_RULES])
def test_share_thresholds(profile_key: str, key: str, base: int, check: Any, offset: int) -> None:
    p = base_profile(profile_key)
    needed = EXPECTED_NEEDED[(profile_key, key)]
    assert p.needed(key, base) == needed
    assert check(p, needed + offset, base) is (offset >= 0)


@pytest.mark.parametrize("offset", [-1, 0, 1], ids=["below", "at", "above"])
@pytest.mark.parametrize("profile_key", PROFILES)
def test_recall_initiation(profile_key: str, offset: int) -> None:
    p = base_profile(profile_key)
    voters = 1000
    needed = law.recall_signatures_needed(p, voters)
    assert needed == 200  # ≥ 1/5 (村民委员会组织法第十六条)
    assert p.met("recall_initiation", needed + offset, voters) is (offset >= 0)


@pytest.mark.parametrize("offset", [-1, 0, 1], ids=["below", "at", "above"])
@pytest.mark.parametrize(("profile_key", "value"), [(URBAN, 50), (AGRICULTURAL, 15)])
def test_households_per_representative(profile_key: str, value: int, offset: int) -> None:
    p = base_profile(profile_key)
    assert p.value("households_per_representative") == value
    assert law.representatives_for(p, value + offset) == (2 if offset > 0 else 1)
    assert law.representatives_for(p, 0) == 0


@pytest.mark.parametrize("offset", [-1, 0, 1], ids=["below", "at", "above"])
@pytest.mark.parametrize(("profile_key", "value"), [(URBAN, 7), (AGRICULTURAL, 10)])
def test_notice_period(profile_key: str, value: int, offset: int) -> None:
    p = base_profile(profile_key)
    assert p.value("notice_days") == value
    notice = date(2026, 3, 1)
    assert law.notice_sufficient(p, notice, notice + timedelta(days=value + offset)) \
        is (offset >= 0)


@pytest.mark.parametrize("offset", [-1, 0, 1], ids=["below", "at", "above"])
@pytest.mark.parametrize("profile_key", PROFILES)
def test_cosigners(profile_key: str, offset: int) -> None:
    p = base_profile(profile_key)
    value = p.number("proposal_cosigners")
    assert value == 10
    assert law.cosigners_enough(p, value + offset) is (offset >= 0)


@pytest.mark.parametrize("offset", [-1, 0, 1], ids=["below", "at", "above"])
@pytest.mark.parametrize("profile_key", PROFILES)
def test_consecutive_unfit(profile_key: str, offset: int) -> None:
    p = base_profile(profile_key)
    assert p.value("consecutive_unfit") == 2
    assert law.flag_unfit(p, 2 + offset) is (offset >= 0)


@pytest.mark.parametrize("offset", [-1, 0, 1], ids=["below", "at", "above"])
@pytest.mark.parametrize("profile_key", PROFILES)
def test_evaluation_interval(profile_key: str, offset: int) -> None:
    p = base_profile(profile_key)
    months = p.value("evaluation_interval_months")
    assert months == 12
    last = date(2025, 6, 15)
    m = months + offset
    today = date(last.year + (last.month - 1 + m) // 12, (last.month - 1 + m) % 12 + 1, 15)
    assert law.evaluation_due(p, last, today) is (offset >= 0)
    assert law.evaluation_due(p, last, today - timedelta(days=1)) is (offset > 0)
    assert law.evaluation_due(p, None, today)


@pytest.mark.parametrize("offset", [-1, 0, 1], ids=["below", "at", "above"])
def test_disclosure_due_day(offset: int) -> None:
    due = date(2026, 4, 10)
    assert law.disclosure_overdue(due, due + timedelta(days=offset)) is (offset > 0)


def test_secret_ballot_flags() -> None:
    for key in PROFILES:
        p = base_profile(key)
        assert law.secret(p, personnel=True) is True
        assert law.secret(p, personnel=False) is False


@pytest.mark.parametrize(("start", "end"), [
    (date(2026, 1, 1), date(2030, 12, 31)), (date(2026, 3, 31), date(2031, 3, 27)),
])
def test_term_end(start: date, end: date) -> None:
    assert law.term_end(base_profile(URBAN), start) == end


def test_values_differ_where_the_law_differs() -> None:
    u, a = base_profile(URBAN), base_profile(AGRICULTURAL)
    assert (u.value("quorum"), a.value("quorum")) == (">=2/3", ">=2/3")
    assert (u.value("request_residents_meeting"),
            a.value("request_residents_meeting")) == (">=1/5", ">=1/10")
    assert (u.value("notice_days"), a.value("notice_days")) == (7, 10)
    assert (u.value("disclosure_finance_months"), a.value("disclosure_finance_months")) == (1, 3)
    assert u.version != a.version and u.version.startswith("urban-")


def test_profiles_for_a_page_resolve_like_one_by_one(tree: Any) -> None:
    from shequ.authz import SYSTEM
    from shequ.autonomy import services

    from .conftest import AGRI
    from .conftest import URBAN as URBAN_CODE

    services.set_rule_override(actor=SYSTEM, profile=URBAN, key="notice_days",
                               area_code="510104022", value="9", citation="春熙路街道议事规则")
    many = law.profiles_for([URBAN_CODE, AGRI, "510104022011"])
    for code, profile in many.items():
        one = law.profile_for(code)
        assert (profile.key, profile.version) == (one.key, one.version)
    assert many[URBAN_CODE].number("notice_days") == 9
    assert many[AGRI].key == AGRICULTURAL and many[AGRI].number("notice_days") == 10


def test_women_among_representatives_against_the_profile(reps: Any, client: Any) -> None:
    """Agricultural communities follow VCL Art. 25 (women at least 1/3 of representatives);
    the residents' committee law sets no share, so urban communities show none."""
    from shequ.autonomy import selectors
    from shequ.people.models import Resident

    from .conftest import AGRI
    from .conftest import URBAN as URBAN_CODE

    serving = reps(AGRI, 6)
    reps(URBAN_CODE, 3)
    assert selectors.women_among_representatives(URBAN_CODE) is None
    ids = [r.resident_id for r in serving]
    Resident.objects.filter(pk__in=ids).update(sex="M")
    share = selectors.women_among_representatives(AGRI)
    assert share is not None and (share["women"], share["total"], share["needed"],
                                  share["met"]) == (0, 6, 2, False)
    page = client.get(f"/autonomy/c/{AGRI}/").content.decode()
    assert 'id="women-share"' in page and "msg warning" in page
    assert "现任居民代表中女性 0 人，共 6 人；至少应有 2 人" in page
    Resident.objects.filter(pk__in=ids[:2]).update(sex="F")
    share = selectors.women_among_representatives(AGRI)
    assert share is not None and (share["women"], share["met"]) == (2, True)
