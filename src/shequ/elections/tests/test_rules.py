"""Election rules as shared rule sets: values in words, sources marked when unread, each
election keeping the snapshot it was set up with, and old snapshots read the same."""

from __future__ import annotations

import copy
import importlib
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone, translation

from shequ import rules as shared
from shequ.authz import SYSTEM
from shequ.elections import rules, selectors, services, tally
from shequ.elections.tests.driver import CASES, COMMUNITY, engine_doc, load_case, make_voters
from shequ.rules import services as rule_services

POSTS = [{"code": "chair", "label": "主任", "seats": 1},
         {"code": "women", "label": "妇女委员", "seats": 1, "women_only": True},
         {"code": "member", "label": "委员", "seats": 3}]

# A snapshot as version 2 of the module stored it (before the shared rule type).
OLD_RULES = {
    "turnout_for_validity": ("1/2", "more than this share of registered voters vote"),
    "majority_to_win": ("1/2", "more than this share of ballots cast"),
    "supplementary_floor": ("1/3", "at least this share of ballots cast"),
    "supplementary_extra_candidates": (1, "candidates beyond the unfilled seats"),
    "void_if_returned_exceeds_issued": (True, "whole election"),
    "overmarked_ballot_invalid": (True, "for that post"),
    "competitive_list": (1, "more candidates than seats per post (at least)"),
    "members_min": (5, "members"), "members_max": (9, "members"),
    "women_seat": (True, "at least one woman"), "term_years": (5, "years"),
    "voting_age": (18, "years on voting day"), "residence_years": (1, "years living here"),
    "roll_days_before": (20, "days before voting day (calendar days)"),
    "objection_days": (5, "days after publication"), "decision_days": (3, "days after the objection"),
    "one_roll_only": (True, "roll"), "group_representatives_max": (3, "representatives"),
    "proxy_relatives": (["spouse", "parent", "child", "sibling", "grandparent", "grandchild"],
                        "close relatives only"),
    "proxies_per_voter_max": (3, "principals per proxy"),
    "candidate_leaves_committee": (True, "membership of the election committee ends"),
    "nominators_min": (1, "voters on the roll"), "candidates_days_before": (5, "days before voting day"),
}
OLD = {"code": "rcl-2025", "version": 2, "title": "城市居民委员会组织法（2025年修订，2026-01-01施行）",
       "rules": {k: {"key": k, "value": v, "unit": u, "citation": f"引用 {k}"}
                 for k, (v, u) in OLD_RULES.items()}}


def test_both_profiles_are_registered_with_every_rule_labelled_and_cited() -> None:
    sets = {rs.profile: rs for rs in shared.rulesets("elections")}
    assert sorted(sets) == ["rcl-2018", "rcl-2025"]
    assert set(sets["rcl-2018"].rules) == set(sets["rcl-2025"].rules) == (
        set(OLD_RULES) - {"residence_years"} | rules.ADDED_IN_4 | rules.ADDED_IN_5
        | {"residence_months"})
    for rs in sets.values():
        for rule in rs.rules.values():
            assert str(rule.label) != rule.key and str(rule.citation)
    # the 2025 revision is not in the reference texts: its articles are cited unverified
    assert sets["rcl-2025"].rules["term_years"].verified is False
    assert sets["rcl-2018"].rules["term_years"].verified is True


def test_values_and_sources_are_shown_in_words() -> None:
    p = rules.base("rcl-2025")
    shown = {k: p.rule(k).display() for k in ("majority_to_win", "supplementary_floor",
                                              "term_years", "roll_days_before", "women_seat",
                                              "members_min")}
    assert shown == {"majority_to_win": "过半数", "supplementary_floor": "不少于三分之一",
                     "term_years": "5 年", "roll_days_before": "20 天", "women_seat": "是",
                     "members_min": "5 人"}
    assert p.rule("term_years").source() == ("城市居民委员会组织法（2018年修正） 第八条（每届任期五年）"
                                             "；2025年修订文本的条号未核对（引用未核实）")
    assert str(p.rule("majority_to_win").label) == "当选所需票数（占参加投票的选票）"
    with translation.override("en"):
        assert p.rule("majority_to_win").display() == "more than half"
        assert str(p.rule("majority_to_win").label) == "Votes needed to be elected, of the ballots cast"


@pytest.mark.parametrize("name", CASES)
def test_an_old_snapshot_counts_exactly_like_todays_profile(name: str) -> None:
    """Migration 0003 rewrites stored snapshots; a document still holding one in the old
    shape is read the same way, with the same outcome."""
    case = load_case(name)
    doc = engine_doc(case)
    today = tally.count_election(doc)
    old = tally.count_election({**doc, "profile": copy.deepcopy(OLD)})
    assert tally.summary(old) == tally.summary(today) == case["expected"]


def test_migration_0003_upgrades_snapshots_and_can_go_back() -> None:
    migration = importlib.import_module("shequ.elections.migrations.0003_rules_v3")
    new = migration.upgrade(copy.deepcopy(OLD))
    assert new == rules.upgrade(copy.deepcopy(OLD))  # the frozen copy does what the module does
    assert new["rules"]["majority_to_win"]["value"] == ">1/2"
    assert new["rules"]["supplementary_floor"]["value"] == ">=1/3"
    assert new["rules"]["proxy_relatives"] == {"value": True, "unit": "flag",
                                               "citation": "引用 proxy_relatives",
                                               "verified": False, "local": False}
    assert new["version"] == rules.from_snapshot(new).version
    assert migration.upgrade(new) is new  # already upgraded: untouched
    back = migration.downgrade(new)
    assert back["rules"]["majority_to_win"]["value"] == "1/2"
    assert back["rules"]["proxy_relatives"]["value"] == OLD["rules"]["proxy_relatives"]["value"]
    shown = rules.from_snapshot(new).rule("supplementary_extra_candidates")
    assert shown.source() == "引用 supplementary_extra_candidates（引用未核实）"


def test_a_bare_fraction_in_a_document_keeps_more_than_or_at_least() -> None:
    p = rules.profile_from({"base": "rcl-2025", "overrides": {"supplementary_floor": "1/4",
                                                              "majority_to_win": "2/3"}})
    assert p.value("supplementary_floor") == ">=1/4" and p.value("majority_to_win") == ">2/3"
    assert p.rule("supplementary_floor").source().endswith("（本地调整）（本地规则，由各区设定）")
    # the floor case: 7 of 24 votes are not a third, but they are a quarter
    doc = engine_doc(load_case("floor"))
    assert tally.count_election(doc)["outcome"] == "vacant"
    lowered = {**doc, "profile": {"base": "rcl-2025", "overrides": {"supplementary_floor": "1/4"}}}
    assert tally.count_election(lowered)["outcome"] == "complete"
    with pytest.raises(tally.TallyError) as err:
        tally.count_election({**doc, "profile": {"base": "rcl-2025",
                                                 "overrides": {"supplementary_floor": "2"}}})
    assert err.value.code == "tally_malformed"


def test_an_election_keeps_the_rules_it_was_set_up_with(tree: Any) -> None:
    make_voters(load_case("first_round"))
    day = timezone.localdate() + timedelta(days=30)
    running = services.create_election(actor=SYSTEM, community_code=COMMUNITY, voting_day=day,
                                       posts=POSTS)
    assert running.profile["version"] == rules.base("rcl-2025").version
    rule_services.set_override(actor=SYSTEM, module="elections", profile="rcl-2025",
                               key="objection_days", area_code="510104", value="7",
                               citation="锦江区居委会选举实施细则第九条")
    running.refresh_from_db()
    assert rules.profile_of(running).value("objection_days") == 5
    services.build_roll(actor=SYSTEM, election_id=running.pk)
    services.transition(actor=SYSTEM, election_id=running.pk, action="publish_roll")
    running.refresh_from_db()
    assert selectors.timeline(running)["objections_until"] == timezone.localdate() + timedelta(days=5)
    later = services.create_election(actor=SYSTEM, community_code="510104022011", voting_day=day,
                                     posts=POSTS)
    kept = rules.profile_of(later)
    assert kept.value("objection_days") == 7 and kept.version != running.profile["version"]
    assert kept.rule("objection_days").source() == "锦江区居委会选举实施细则第九条 (510104)"


def test_the_set_up_page_shows_the_rules_in_words(tree: Any, make_user: Any) -> None:
    make_voters(load_case("first_round"))
    e = services.create_election(actor=SYSTEM, community_code=COMMUNITY,
                                 voting_day=timezone.localdate() + timedelta(days=30), posts=POSTS)
    client = Client()
    client.force_login(make_user("community_worker", COMMUNITY))
    html = client.get(f"/elections/{e.pk}/").content.decode()
    assert "城市居民委员会组织法（2025年修订，2026年1月1日施行）" in html
    assert "<td>当选所需票数（占参加投票的选票）</td><td>过半数</td>" in html
    assert "<td>每届任期</td><td>5 年</td>" in html
    assert "（引用未核实）" in html
    for key in ("majority_to_win", "term_years", "&gt;1/2", "True"):
        assert key not in html
