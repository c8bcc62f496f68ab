"""Every threshold of both profiles at, just below and just above its value."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest

from shequ.autonomy.rules import AGRICULTURAL, URBAN, base_profile, share_met, share_needed

PROFILES = [URBAN, AGRICULTURAL]


def test_profiles_cite_every_value() -> None:
    for key in PROFILES:
        p = base_profile(key)
        assert set(p.rules) == set(base_profile(URBAN).rules)
        for rule in p.rules.values():
            assert str(rule.citation).strip(), rule.key


@pytest.mark.parametrize(("spec", "base", "needed"), [
    (">1/2", 30, 16), (">1/2", 31, 16), (">=2/3", 30, 20), (">=2/3", 31, 21),
    (">=1/5", 100, 20), (">=1/5", 101, 21), (">1/2", 1, 1), (">=1/5", 1, 1),
])
def test_share_needed_is_the_exact_boundary(spec: str, base: int, needed: int) -> None:
    assert share_needed(spec, base) == needed
    assert share_met(spec, needed, base)
    assert not share_met(spec, needed - 1, base)
    assert share_met(spec, needed + 1, base) or needed + 1 > base


# (rule key, base, check(profile, count, base)) for every share rule
SHARE_RULES = [
    ("quorum", 30, lambda p, n, b: p.quorate(n, b)),
    ("majority", 25, lambda p, n, b: p.adopted(n, b)),
    ("unfit_share", 40, lambda p, n, b: p.rated_unfit(n, b)),
    ("recall_turnout", 1000, lambda p, n, b: p.recall_valid(n, b)),
    ("recall_approval", 600, lambda p, n, b: p.recall_passed(n, b)),
    ("recall_initiation_representatives", 30,
     lambda p, n, b: p.met("recall_initiation_representatives", n, b)),
]
EXPECTED_NEEDED = {
    (URBAN, "quorum"): 16, (AGRICULTURAL, "quorum"): 20,
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
def test_share_thresholds(profile_key: str, key: str, base: int, check, offset: int) -> None:
    p = base_profile(profile_key)
    needed = EXPECTED_NEEDED[(profile_key, key)]
    assert p.needed(key, base) == needed
    assert check(p, needed + offset, base) is (offset >= 0)


@pytest.mark.parametrize("offset", [-1, 0, 1], ids=["below", "at", "above"])
@pytest.mark.parametrize("profile_key", PROFILES)
def test_recall_initiation(profile_key: str, offset: int) -> None:
    p = base_profile(profile_key)
    voters = 1000
    needed = p.recall_signatures_needed(voters)
    assert needed == 200  # ≥ 1/5 (村委会组织法 Art. 16)
    assert p.met("recall_initiation", needed + offset, voters) is (offset >= 0)


@pytest.mark.parametrize("offset", [-1, 0, 1], ids=["below", "at", "above"])
@pytest.mark.parametrize(("profile_key", "value"), [(URBAN, 50), (AGRICULTURAL, 15)])
def test_households_per_representative(profile_key: str, value: int, offset: int) -> None:
    p = base_profile(profile_key)
    assert p.value("households_per_representative") == value
    assert p.representatives_for(value + offset) == (2 if offset > 0 else 1)
    assert p.representatives_for(0) == 0


@pytest.mark.parametrize("offset", [-1, 0, 1], ids=["below", "at", "above"])
@pytest.mark.parametrize(("profile_key", "value"), [(URBAN, 7), (AGRICULTURAL, 10)])
def test_notice_period(profile_key: str, value: int, offset: int) -> None:
    p = base_profile(profile_key)
    assert p.value("notice_days") == value
    notice = date(2026, 3, 1)
    assert p.notice_sufficient(notice, notice + timedelta(days=value + offset)) is (offset >= 0)


@pytest.mark.parametrize("offset", [-1, 0, 1], ids=["below", "at", "above"])
@pytest.mark.parametrize("profile_key", PROFILES)
def test_cosigners(profile_key: str, offset: int) -> None:
    p = base_profile(profile_key)
    value = p.value("proposal_cosigners")
    assert value == 10
    assert p.cosigners_enough(value + offset) is (offset >= 0)


@pytest.mark.parametrize("offset", [-1, 0, 1], ids=["below", "at", "above"])
@pytest.mark.parametrize("profile_key", PROFILES)
def test_consecutive_unfit(profile_key: str, offset: int) -> None:
    p = base_profile(profile_key)
    assert p.value("consecutive_unfit") == 2
    assert p.flag_unfit(2 + offset) is (offset >= 0)


@pytest.mark.parametrize("offset", [-1, 0, 1], ids=["below", "at", "above"])
@pytest.mark.parametrize("profile_key", PROFILES)
def test_evaluation_interval(profile_key: str, offset: int) -> None:
    p = base_profile(profile_key)
    months = p.value("evaluation_interval_months")
    assert months == 12
    last = date(2025, 6, 15)
    m = months + offset
    today = date(last.year + (last.month - 1 + m) // 12, (last.month - 1 + m) % 12 + 1, 15)
    assert p.evaluation_due(last, today) is (offset >= 0)
    assert p.evaluation_due(last, today - timedelta(days=1)) is (offset > 0)
    assert p.evaluation_due(None, today)


@pytest.mark.parametrize("offset", [-1, 0, 1], ids=["below", "at", "above"])
@pytest.mark.parametrize("profile_key", PROFILES)
def test_disclosure_due_day(profile_key: str, offset: int) -> None:
    p = base_profile(profile_key)
    due = date(2026, 4, 10)
    assert p.disclosure_overdue(due, due + timedelta(days=offset)) is (offset > 0)


def test_secret_ballot_flags() -> None:
    for key in PROFILES:
        p = base_profile(key)
        assert p.secret(personnel=True) is True
        assert p.secret(personnel=False) is False


def test_values_differ_where_the_law_differs() -> None:
    u, a = base_profile(URBAN), base_profile(AGRICULTURAL)
    assert (u.value("quorum"), a.value("quorum")) == (">1/2", ">=2/3")
    assert (u.value("notice_days"), a.value("notice_days")) == (7, 10)
    assert (u.value("disclosure_finance_months"), a.value("disclosure_finance_months")) == (1, 3)
    assert u.version != a.version and u.version.startswith("urban-")


def test_women_among_representatives_against_the_profile(reps: Any, client: Any) -> None:
    """Agricultural communities follow VC Art. 25 (women at least 1/3 of representatives);
    the residents' committee law sets no share, so urban communities show none."""
    from shequ.autonomy import selectors
    from shequ.people.models import Resident

    from .conftest import AGRI, URBAN

    serving = reps(AGRI, 6)
    reps(URBAN, 3)
    assert selectors.women_among_representatives(URBAN) is None
    ids = [r.resident_id for r in serving]
    Resident.objects.filter(pk__in=ids).update(sex="M")
    share = selectors.women_among_representatives(AGRI)
    assert share is not None and (share["women"], share["total"], share["needed"],
                                  share["met"]) == (0, 6, 2, False)
    page = client.get(f"/autonomy/c/{AGRI}/").content.decode()
    assert 'id="women-share"' in page and "msg warning" in page
    Resident.objects.filter(pk__in=ids[:2]).update(sex="F")
    share = selectors.women_among_representatives(AGRI)
    assert share is not None and (share["women"], share["met"]) == (2, True)
