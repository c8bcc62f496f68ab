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


def test_the_streamed_package_reads_back_as_written() -> None:
    """The sheet XML is written directly (ADR 0026): what openpyxl (as Excel) reads back
    is every value typed, the layout, and nothing turned into a formula or lost."""
    from datetime import datetime
    from decimal import Decimal

    rows = [["=SUM(A1:A2)", datetime(2026, 3, 3, 14, 5, 9), True, Decimal("12.50"), 0.25,
             "甲\x07乙 <&> ", -3],
            ["A2", None, False, None, None, "", 2**40]]
    data = workbook(Sheet("汇总", ["公式", "时间", "是否", "金额", "比率", "文字", "数"],
                          iter(rows), widths=[12, 20], autofilter=True),
                    Sheet("汇总", ["空"], iter([])),
                    Sheet("a/b:c*d?[e]" + "长" * 40, [], iter([[1]])))
    wb = load_workbook(io.BytesIO(data))
    assert wb.sheetnames == ["汇总", "汇总_2", "a_b_c_d__e_" + "长" * 20]
    ws = wb["汇总"]
    assert [c.value for c in ws[2]] == ["=SUM(A1:A2)", datetime(2026, 3, 3, 14, 5, 9), True,
                                        "12.50", "0.25", "甲\ufffd乙 <&> ", -3]
    assert ws["A2"].data_type == "s"  # text, never a formula
    assert [c.value for c in ws[3]] == ["A2", None, False, None, None, None, 2**40]
    assert ws["B2"].number_format == "yyyy-mm-dd hh:mm:ss"
    assert ws.auto_filter.ref == "A1:G3" and ws.freeze_panes == "A2"
    assert ws.column_dimensions["A"].width == 12 and ws.column_dimensions["B"].width == 20
    assert ws["A1"].font.bold and not ws["A2"].font.bold
    assert wb["汇总_2"].max_row == 1 and wb.worksheets[2]["A2"].value == 1


def test_a_chart_and_its_table_show_the_same_figures() -> None:
    c = Chart("ontime", "按时办结率", ["督院街街道", "盐市口街道"],
              [Series("按时办结率", [0.9167, None])], percent=True, category_label="街道")
    option = c.option()
    assert option["series"][0]["data"] == [91.7, None]
    assert option["xAxis"]["data"] == ["督院街街道", "盐市口街道"]
    assert c.table() == (["街道", "按时办结率"], [["督院街街道", "91.7%"], ["盐市口街道", "—"]])
    pie = Chart("p", "提案", ["已通过", "未通过"], [Series("提案", [3, 1])], kind="pie").option()
    assert pie["series"][0]["data"] == [{"name": "已通过", "value": 3}, {"name": "未通过", "value": 1}]
