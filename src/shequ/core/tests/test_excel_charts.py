"""Excel exports stream typed rows; charts carry their table."""

from __future__ import annotations

import io
from datetime import date

from openpyxl import load_workbook

from shequ.core.charts import Chart, Series
from shequ.core.excel import Sheet, workbook


def test_a_workbook_has_a_header_and_typed_rows() -> None:
    data = workbook(Sheet("办件", ["编号", "受理日期", "天数"],
                          iter([["A1", date(2026, 3, 3), 5], ["A2", None, 0]])))
    ws = load_workbook(io.BytesIO(data)).active
    assert ws.title == "办件"
    assert [c.value for c in ws[1]] == ["编号", "受理日期", "天数"]
    assert ws["B2"].value.date() == date(2026, 3, 3) and ws["C2"].value == 5
    assert ws["A1"].font.bold and ws.freeze_panes == "A2"


def test_a_chart_and_its_table_show_the_same_figures() -> None:
    c = Chart("ontime", "按时办结率", ["督院街街道", "盐市口街道"],
              [Series("按时办结率", [0.9167, None])], percent=True, category_label="街道")
    option = c.option()
    assert option["series"][0]["data"] == [91.7, None]
    assert option["xAxis"]["data"] == ["督院街街道", "盐市口街道"]
    assert c.table() == (["街道", "按时办结率"], [["督院街街道", "91.7%"], ["盐市口街道", "—"]])
    pie = Chart("p", "提案", ["已通过", "未通过"], [Series("提案", [3, 1])], kind="pie").option()
    assert pie["series"][0]["data"] == [{"name": "已通过", "value": 3}, {"name": "未通过", "value": 1}]
