"""The scanner every Chinese page passes in the tests finds what must not reach a reader."""

from __future__ import annotations

import pytest

from shequ.web.pagescan import problems


@pytest.mark.parametrize(("html", "found"), [
    ("<p>投票率 0.9167</p>", "raw value or key: '0.9167'"),
    ("<p>规则 void_if_returned_exceeds_issued</p>", "raw value or key: 'void_if_returned_exceeds_issued'"),
    ("<td>True</td>", "raw value or key: 'True'"),
    ("<td>['spouse', 'child']</td>", "raw value or key: \"['spouse'\""),
    ("<td>2026-03-01T08:00:00+00:00</td>", "raw value or key: '2026-03-01T08:00'"),
    ("<p>Results announcement：已当选</p>", "English words: Results, announcement"),
])
def test_the_scanner_finds_what_must_not_reach_a_reader(html: str, found: str) -> None:
    assert found in problems(html)


@pytest.mark.parametrize("html", [
    "<p>投票率 91.7%</p>",
    "<p>导出 Excel 或 PDF，调用 API</p>",
    '<p>用户 <span class="code">worker_1</span></p>',
    "<script>var some_key = True;</script><p>正文</p>",
    '<button lang="en">English</button>',
    "<p>您以 <code>shequ audit verify</code> 核验</p>",
])
def test_names_formats_code_and_scripts_are_left_alone(html: str) -> None:
    assert problems(html) == []
