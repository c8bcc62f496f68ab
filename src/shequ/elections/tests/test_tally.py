"""The counting engine alone (no database) and the tally command."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from shequ.elections import tally
from shequ.elections.tests.driver import CASES, CASES_DIR, engine_doc, load_case

ROOT = Path(__file__).resolve().parents[4]


@pytest.mark.parametrize("name", CASES)
def test_engine_gives_the_expected_outcome(name: str) -> None:
    case = load_case(name)
    assert tally.summary(tally.count_election(engine_doc(case))) == case["expected"]


@pytest.mark.parametrize("name", CASES)
def test_tally_command_prints_the_same_result_without_a_database(name: str, tmp_path: Path) -> None:
    case = load_case(name)
    doc = tmp_path / "doc.json"
    doc.write_text(json.dumps(engine_doc(case), ensure_ascii=False), "utf-8")
    env = {"DATABASE_URL": f"sqlite:///{tmp_path}/missing/nothing.db", "PATH": "/usr/bin:/bin",
           "DJANGO_SETTINGS_MODULE": "shequ.settings", "PYTHONPATH": str(ROOT / "src")}
    out = subprocess.run([sys.executable, "-m", "shequ.cli", "elections", "tally", str(doc)],
                         capture_output=True, text=True, env=env, check=True, cwd=tmp_path)
    assert tally.summary(json.loads(out.stdout)) == case["expected"]
    assert not (tmp_path / "missing").exists()


def _doc(**changes: Any) -> dict[str, Any]:
    doc = engine_doc(load_case("first_round"))
    doc.update(changes)
    return doc


def test_more_votes_than_ballots_is_refused_with_the_rule() -> None:
    doc = _doc()
    doc["rounds"][0]["stations"][0]["posts"]["chair"]["votes"]["张建国"] = 30
    with pytest.raises(tally.TallyError) as err:
        tally.count_election(doc)
    assert err.value.code == "tally_does_not_add_up"
    assert err.value.details["rule"] == "ballots_add_up"
    assert "选举办法" in err.value.details["citation"]


def test_a_ballot_with_too_many_names_is_invalid_and_totals_are_checked() -> None:
    doc = _doc()
    # 2 seats: 20 valid ballots allow at most 40 names
    doc["rounds"][0]["stations"][0]["posts"]["member"]["votes"] = {"周涛": 20, "吴刚": 20, "郑华": 1}
    with pytest.raises(tally.TallyError):
        tally.count_election(doc)


def test_more_ballots_issued_than_voters_is_refused() -> None:
    with pytest.raises(tally.TallyError) as err:
        tally.count_election(_doc(registered=20))
    assert err.value.details["rule"] == "ballots_add_up"


def test_tie_at_the_last_seat_leaves_it_unfilled_and_both_go_to_the_supplementary_round() -> None:
    doc = _doc()
    doc["rounds"][0]["stations"][0]["posts"]["member"]["votes"] = {"周涛": 14, "吴刚": 11, "郑华": 12}
    doc["rounds"][0]["stations"][1]["posts"]["member"]["votes"] = {"周涛": 4, "吴刚": 3, "郑华": 2}
    result = tally.count_election(doc)
    member = result["rounds"][0]["posts"][3]
    assert member["elected"] == ["周涛"] and member["ties"] == ["吴刚", "郑华"]
    assert result["outcome"] == "supplementary_round_needed"
    assert result["supplementary_ballot"][0]["candidates"] == ["吴刚", "郑华"]


def test_exactly_half_is_not_a_majority() -> None:
    doc = _doc()
    st = doc["rounds"][0]["stations"]
    st[0]["posts"]["chair"] = {"votes": {"张建国": 8, "李明": 12}}
    st[1]["posts"]["chair"] = {"votes": {"张建国": 4, "李明": 0}}
    # 张建国 12 of 25 (< half), 李明 12: nobody elected
    result = tally.count_election(doc)
    assert result["rounds"][0]["posts"][0]["elected"] == []


def test_person_elected_chair_is_not_counted_again_as_member() -> None:
    doc = _doc()
    doc["rounds"][0]["stations"][0]["posts"]["member"]["write_ins"] = {"张建国": 19}
    doc["rounds"][0]["stations"][0]["posts"]["member"]["votes"] = {"周涛": 14, "吴刚": 7}
    result = tally.count_election(doc)
    member = result["rounds"][0]["posts"][3]
    assert "张建国" not in member["elected"]
    assert {c["name"]: c["status"] for c in member["candidates"]}["张建国"] == "elected_to_other_post"


def test_supplementary_round_candidates_must_be_the_best_placed() -> None:
    doc = engine_doc(load_case("supplementary"))
    doc["rounds"][1]["posts"] = [{"post": "member", "candidates": ["吴刚", "孙伟"]}]
    with pytest.raises(tally.TallyError) as err:
        tally.count_election(doc)
    assert err.value.code == "supplementary_candidates"


def test_profile_overrides_change_the_floor() -> None:
    doc = engine_doc(load_case("floor"))
    doc["profile"] = {"base": "rcl-2025", "overrides": {"supplementary_floor": "1/4"}}
    assert tally.count_election(doc)["outcome"] == "complete"


def test_cases_are_the_documented_examples() -> None:
    docs = (ROOT / "docs" / "elections.md").read_text("utf-8")
    for name in CASES:
        assert f"cases/{name}.json" in docs
    assert CASES_DIR.exists()


def test_a_failed_supplementary_round_keeps_the_first_rounds_winners() -> None:
    doc = engine_doc(load_case("supplementary"))
    for st in doc["rounds"][1]["stations"]:
        st["issued"] = st["returned"] = 7  # 14 of 30: not more than half
        st["posts"]["member"] = {"votes": {"吴刚": 5, "郑华": 2}}
    result = tally.count_election(doc)
    assert [r["outcome"] for r in result["rounds"]] == ["unfilled", "invalid_turnout"]
    assert result["outcome"] == "vacant"
    assert result["committee"][3] == {"post": "member", "label": "委员", "seats": 2,
                                      "elected": ["周涛"], "vacant": 1}
