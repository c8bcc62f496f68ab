"""``shequ autonomy``: the rules in words with their sources, local values through the one
rule store, refusals as command errors in the reader's language."""

from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from shequ.autonomy.tests.conftest import AGRI, URBAN


def _run(*args: str) -> str:
    out = StringIO()
    call_command("autonomy", *args, stdout=out)
    return out.getvalue()


def test_rules_are_printed_in_words_with_their_sources(world: Any) -> None:
    text = _run("rules", AGRI)
    assert text.splitlines()[0] == "agricultural  agricultural-2026.3/792d4ce3"
    quorum = next(ln for ln in text.splitlines() if ln.startswith("  quorum "))
    assert quorum.split(None, 1)[1] == "不少于三分之二\t《村民委员会组织法》（2018年修正）第二十六条"


def test_a_local_value_set_here_is_a_shequ_rules_value(world: Any) -> None:
    from shequ.rules.models import RuleOverride

    _run("override", "urban", "notice_days", "510104", "9", "--citation", "锦江区议事规则")
    row = RuleOverride.objects.get()
    assert (row.module, row.profile, row.key, row.value) == ("autonomy", "urban",
                                                             "notice_days", "9")
    line = next(ln for ln in _run("rules", URBAN).splitlines() if "notice_days" in ln)
    assert line == "  notice_days                        9 天 *\t锦江区议事规则 (510104)"


def test_refusals_are_command_errors(world: Any) -> None:
    with pytest.raises(CommandError) as exc:
        _run("override", "urban", "notice_days", "510104", "-3", "--citation", "锦江区议事规则")
    assert str(exc.value) == "“会前通知期限”：请填写 0 至 ∞ 之间的数。"
    with pytest.raises(CommandError) as exc:
        _run("cosign", "999999", "--resident", "1")
    assert str(exc.value) == "提案 999999 不存在。"
