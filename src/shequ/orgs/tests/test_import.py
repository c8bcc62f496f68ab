"""Importing an existing registry: every row checked first, errors as file:line, nothing
written on any error, a dry run writes nothing; the export imports back."""

from __future__ import annotations

import io
from datetime import date
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import load_workbook

from shequ.audit.models import AuditEntry
from shequ.authz import SYSTEM
from shequ.core import excel, ids
from shequ.core.errors import Forbidden
from shequ.orgs import selectors, services
from shequ.orgs.models import Org, OrgService

HEADER = ["名称", "类型", "统一社会信用代码", "备案编号", "区划代码", "业务主管单位",
          "法定代表人或负责人", "住所或活动场所", "登记或备案日期", "个人会员", "单位会员", "专职工作人员",
          "资金（元）", "服务类别", "纬度", "经度", "状态", "终止日期"]


def _code(serial: int, kind: str = "1") -> str:
    first17 = f"5{kind}510104MJ{serial:07d}"
    return first17 + ids.uscc_check_char(first17)


GOOD = [
    ["锦江区老年协会", "社会团体", _code(1), "", "510104022009", "锦江区民政局", "王一", "督院街1号",
     date(2015, 3, 1), 80, 0, 2, "50,000.00", "养老服务、文体活动", "30.657", "104.083", "正常", None],
    ["督院街社区书画队", "文体活动类", "", "春熙路社备〔2016〕3号", "510104022009", "", "李二",
     "活动室", date(2016, 5, 1), 20, 0, 0, "500", "文体活动", "", "", "", None],
    ["锦江区社工中心", "民办非企业单位", _code(2, "2"), "", "510104022011", "锦江区民政局", "张三",
     "盐市口2号", "2018-07-01", 0, 0, 5, "100000", "困难帮扶,elderly", "", "", "", None],
]


def _book(rows: list[list[Any]]) -> bytes:
    return excel.workbook(excel.Sheet(title="登记簿", header=HEADER, rows=rows))


def test_good_rows_import_with_their_services(tree: Any) -> None:
    result = services.import_registry(actor=SYSTEM, content=_book(GOOD), source="registry.xlsx")
    assert (result.rows, result.created) == (3, 3)
    assoc = Org.objects.get(name="锦江区老年协会")
    assert (assoc.track, assoc.authority_code, assoc.funds_fen) == ("registered", "510104",
                                                                     5_000_000)
    assert (assoc.lat_e6, assoc.lon_e6) == (30_657_000, 104_083_000)
    assert assoc.categories == ["elderly", "culture"]
    assert set(OrgService.objects.filter(org=assoc).values_list("category", "main")) == {
        ("elderly", True), ("culture", False)}
    assert Org.objects.get(name="锦江区社工中心").categories == ["aid", "elderly"]
    filed = Org.objects.get(filing_number="春熙路社备〔2016〕3号")
    assert (filed.track, filed.authority_code) == ("filed", "510104022")
    assert AuditEntry.objects.filter(action="orgs.org.import").count() == 3


def test_one_bad_row_and_nothing_is_written(tree: Any) -> None:
    bad = [list(r) for r in GOOD] + [
        ["锦江区摄影协会", "社会团体", "51510104MJ0000009X", "", "510104022009", "锦江区民政局",
         "赵四", "x", date(2019, 1, 1), 60, 0, 1, "30000", "", "", "", "", None],
        ["督院街社区书画队", "文体活动类", "", "春熙路社备〔2017〕1号", "510104022009", "", "钱五",
         "x", date(2017, 1, 1), 10, 0, 0, "0", "", "", "", "", None],
        ["锦江区某协会", "社会团体", _code(1), "", "510104022009", "锦江区民政局", "孙六", "x",
         date(2019, 1, 1), 60, 0, 1, "30000", "", "", "", "", None],
        ["某队", "文体活动类", "", "x1", "510104099001", "", "周七", "x", date(2019, 1, 1), 10, 0,
         0, "0", "", "", "", "", None],
        ["某团", "剧团", "", "x2", "510104022009", "", "吴八", "x", date(2019, 1, 1), 10, 0, 0,
         "0", "", "", "", "", None],
    ]
    before = (Org.objects.count(), AuditEntry.objects.count())
    with pytest.raises(services.ImportFailed) as exc:
        services.import_registry(actor=SYSTEM, content=_book(bad), source="registry.xlsx")
    errors = exc.value.details["errors"]
    assert errors == [
        "registry.xlsx:5: 统一社会信用代码51510104MJ0000009X：校验码错误(GB 32100-2015)。",
        "registry.xlsx:8: 未知的区划代码“510104099001”（应为街道或社区）。",
        "registry.xlsx:9: 未知的组织形式“剧团”。",
        "registry.xlsx:6: 名称“督院街社区书画队”与第3行属同一机关辖区（同一区域重名）。",
        f"registry.xlsx:7: 统一社会信用代码{_code(1)}与第2行重复。",
    ]
    assert str(exc.value.message).startswith("5 处错误，未导入任何数据。第一处：registry.xlsx:5:")
    assert (Org.objects.count(), AuditEntry.objects.count()) == before


def test_dry_run_and_permissions(tree: Any, make_user: Any) -> None:
    result = services.import_registry(actor=SYSTEM, content=_book(GOOD), dry_run=True)
    assert (result.rows, result.created, result.by_track) == (3, 0, {"registered": 2, "filed": 1})
    assert not Org.objects.exists()
    officer = make_user("street_officer", "510104022")
    with pytest.raises(services.ImportFailed) as exc:
        services.import_registry(actor=officer, content=_book(GOOD), source="r.xlsx")
    assert exc.value.details["errors"][0] == "r.xlsx:2: 你无权导入区划510104022009的组织。"
    bureau = make_user("civil_affairs", "510104")
    assert services.import_registry(actor=bureau, content=_book(GOOD)).created == 3
    assert officer is not None and Forbidden is not None


def test_export_imports_back(tree: Any) -> None:
    services.import_registry(actor=SYSTEM, content=_book(GOOD))
    data = services.export_registry(orgs=selectors.orgs(user=SYSTEM))
    sheet = load_workbook(io.BytesIO(data), read_only=True).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == HEADER and len(rows) == 4
    before = sorted(Org.objects.values_list("name", "credit_code", "filing_number", "funds_fen",
                                            "categories"))
    with pytest.raises(services.ImportFailed) as exc:  # the same registry twice: all taken
        services.import_registry(actor=SYSTEM, content=data, source="export.xlsx")
    assert sorted(e.split(": ", 1)[1] for e in exc.value.details["errors"]) == sorted([
        f"统一社会信用代码{_code(1)}已被登记。", f"统一社会信用代码{_code(2, '2')}已被登记。",
        "备案编号春熙路社备〔2016〕3号已被使用。",
        "名称“锦江区老年协会”已在同一机关辖区内使用（同一区域重名）。",
        "名称“锦江区社工中心”已在同一机关辖区内使用（同一区域重名）。",
        "名称“督院街社区书画队”已在同一机关辖区内使用（同一区域重名）。"])
    Org.objects.all().delete()
    services.import_registry(actor=SYSTEM, content=data, source="export.xlsx")
    after = sorted(Org.objects.values_list("name", "credit_code", "filing_number", "funds_fen",
                                           "categories"))
    assert after == before


def test_cli_import_reports_file_and_line(tree: Any, tmp_path: Any) -> None:
    path = tmp_path / "registry.xlsx"
    path.write_bytes(_book([GOOD[0], [*GOOD[0][:2], "51510104MJ0000009X", *GOOD[0][3:]]]))
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("orgs", "import", str(path), stderr=err)
    assert err.getvalue().splitlines()[0] == (
        "registry.xlsx:3: 统一社会信用代码51510104MJ0000009X：校验码错误(GB 32100-2015)。")
    path.write_bytes(_book(GOOD))
    out = io.StringIO()
    call_command("orgs", "import", str(path), "--dry-run", stdout=out)
    assert out.getvalue().strip() == "已检查 3 行，没有错误；未写入任何数据。"
    call_command("orgs", "import", str(path), stdout=out)
    assert Org.objects.count() == 3
    out = io.StringIO()
    call_command("orgs", "deadline", "2025-08-02", "60", stdout=out)
    assert out.getvalue().strip() == "2025-10-09"
    out = io.StringIO()
    call_command("orgs", "indicators", "--area", "510104", "--year", "2025", stdout=out)
    assert out.getvalue().splitlines()[1].split("\t")[:5] == ["510104", "锦江区", "3", "1", "2"]
    out = io.StringIO()
    call_command("orgs", "show", _code(1), stdout=out)
    assert out.getvalue().splitlines()[1].strip() == "2015-03-01  由原登记簿导入。"
