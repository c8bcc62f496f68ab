"""Hostile or mistyped files to ``shequ elections tally`` (issue 13 items 6 and 10): a
clear file:line error, never a traceback."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from shequ.elections.tests.driver import engine_doc, load_case


def _run(path: Path) -> str:
    with pytest.raises(CommandError) as err:
        call_command("elections", "tally", str(path))
    return str(err.value)


def test_an_absurd_figure_is_refused_with_its_line(tmp_path: Path) -> None:
    doc = engine_doc(load_case("first_round"))
    doc["registered"] = 10 ** 30
    path = tmp_path / "tally.json"
    path.write_text(json.dumps(doc, ensure_ascii=False, indent=2), encoding="utf-8")
    line = next(i for i, text in enumerate(path.read_text("utf-8").splitlines(), start=1)
                if '"registered"' in text)
    message = _run(path)
    assert message.startswith(f"{path}:{line}: ")
    assert "9,999,999" in message


def test_deeply_nested_json_is_refused_before_parsing(tmp_path: Path) -> None:
    path = tmp_path / "deep.json"
    path.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    assert _run(path) == (f"{path}:1:21: nested more than 20 levels deep; a tally document is a "
                          "few levels deep")


def test_broken_json_names_line_and_column(tmp_path: Path) -> None:
    path = tmp_path / "broken.json"
    path.write_text('{"registered":\n  30,\n', encoding="utf-8")
    assert _run(path).startswith(f"{path}:3:1: ")


def test_a_bracket_inside_a_string_is_not_nesting(tmp_path: Path) -> None:
    doc = engine_doc(load_case("first_round"))
    doc["note"] = "[" * 50 + '\\"{'
    path = tmp_path / "ok.json"
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    call_command("elections", "tally", str(path), "--compact")
