"""The case work list as an Excel workbook (issue 12): queued from the work page with the
filters shown, written by the worker (immediate in tests), in Chinese cell by cell, scoped
as the list is, only for its requester; a bad filter is said and nothing is queued."""

from __future__ import annotations

from datetime import date
from io import BytesIO
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from shequ.services.models import ExportKind, StatExport

from .conftest import at, with_record

pytestmark = pytest.mark.django_db
HEADER = ["办件编号", "事项", "科室", "申请人", "公民身份号码", "街道", "社区", "渠道", "状态", "时限",
          "收件日期", "受理日期", "办结期限", "超期工作日", "决定日期"]


def _file(actor: Any, name: str, day: str, area: str = "510104022009",
          channel: str = "online") -> Any:
    from shequ.services import services

    return services.submit_case(actor=actor, item_code="JJ-001", area_code=area,
                                applicant_name=name, phone="13800001234", at=at(day),
                                channel=channel)


def _sheet(content: bytes) -> Any:
    return load_workbook(BytesIO(content)).active


def _rows(content: bytes) -> list[list[Any]]:
    return [list(r) for r in _sheet(content).iter_rows(values_only=True)]


@pytest.fixture
def world(item: Any, officer: Any, resident_user: Any, desk: Any) -> dict[str, Any]:
    """Two cases of 督院街社区 (one online by 孙丽, accepted and now overdue; one at the
    desk, still waiting) and one of 三圣街道."""
    from shequ.services import services

    late = _file(resident_user, "孙丽", "2025-09-01")
    services.accept(actor=officer, number=late.number, at=at("2025-09-02"))
    waiting = _file(desk, "王大爷", "2025-10-09", channel="desk")
    other = with_record(_user("resident", "510104037001", "jumin_b"), "赵强", 9, "510104037001")
    elsewhere = _file(other, "赵强", "2025-10-10", "510104037001")
    return {"late": late, "waiting": waiting, "elsewhere": elsewhere}


def _user(role: str, area: str, username: str) -> Any:
    from shequ.accounts.tests.factories import make_user

    return make_user(role, area, username=username)


def _export(client: Client, query: str = "") -> tuple[str, StatExport | None]:
    page = client.post(f"/services/work/export/{query}", follow=True).content.decode()
    return page, StatExport.objects.filter(kind=ExportKind.CASES).order_by("-id").first()


def test_the_workbook_cell_by_cell(client: Client, world: dict[str, Any], officer: Any,
                                   monkeypatch: Any) -> None:
    from shequ.people import facade as people
    from shequ.services import selectors

    monkeypatch.setattr(selectors, "today", lambda: date(2025, 11, 3))
    client.force_login(officer)
    page, job = _export(client, "?cursor=abc")
    assert "正在生成清单，完成后显示在下方。" in page and "下载清单" in page
    assert job is not None and job.state == "ready" and job.rows == 2
    assert job.params["filters"] == {"state": "", "sla": "", "street": "", "item": "", "q": ""}
    answer = client.get(f"/services/work/export/{job.pk}.xlsx")
    assert answer.status_code == 200
    assert answer["Content-Type"] == ("application/vnd.openxmlformats-officedocument."
                                      "spreadsheetml.sheet")
    ws = _sheet(answer.content)
    assert ws.title == "办件清单"
    assert ws.freeze_panes == "A2" and ws.auto_filter.ref == "A1:O3"
    assert ws.column_dimensions["A"].width == 22 and ws.column_dimensions["B"].width == 28
    late, waiting = world["late"], world["waiting"]
    late.refresh_from_db()
    resident = people.resident_of_user(late.applicant_user)
    assert resident is not None
    masked = resident.id_masked
    assert masked.startswith("510104") and "********" in masked
    rows = _rows(answer.content)
    assert rows[0] == HEADER
    assert rows[1] == [waiting.number, "居住证明", "社区发展科", "王大爷", None, "春熙路街道",
                       "督院街社区居委会", "服务站代办", "已收件,待受理", "未开始计时",
                       _dt(2025, 10, 9), None, None, None, None]
    assert rows[2] == [late.number, "居住证明", "社区发展科", "孙丽", masked, "春熙路街道",
                       "督院街社区居委会", "网上申请", "已受理,审查中", late.get_sla_display(),
                       _dt(2025, 9, 1), _dt(2025, 9, 2), _dt(2025, 9, 29), 20, None]
    # accepted 2 September, 20 working days: due 29 September (28th a working Sunday);
    # by 3 November 20 working days late, the National Day week (1-8 October) left out
    assert late.due_on == date(2025, 9, 29)
    for cell in _sheet(answer.content)[3][10:13]:
        assert cell.number_format == "yyyy-mm-dd"  # dates as dates, shown YYYY-MM-DD
    # the page shows the same working days overdue
    assert ">20</td>" in client.get("/services/work/").content.decode()


def _dt(y: int, m: int, d: int) -> Any:
    from datetime import datetime

    return datetime(y, m, d)  # openpyxl reads a date cell back as a midnight datetime


def test_filters_and_scope(client: Client, world: dict[str, Any], officer: Any,
                           tree: Any) -> None:
    client.force_login(officer)
    _page, job = _export(client, "?state=in_review")
    assert job is not None and job.params["filters"]["state"] == "in_review"
    rows = _rows(client.get(f"/services/work/export/{job.pk}.xlsx").content)
    assert [r[0] for r in rows[1:]] == [world["late"].number]
    _page, job = _export(client, "?q=王大&street=510104022")
    assert job is not None
    rows = _rows(client.get(f"/services/work/export/{job.pk}.xlsx").content)
    assert [r[0] for r in rows[1:]] == [world["waiting"].number]
    # the street officer of 三圣街道 sees only their street's case
    client.force_login(_user("street_officer", "510104037", "jiedao_b"))
    _page, job = _export(client)
    assert job is not None and job.rows == 1
    rows = _rows(client.get(f"/services/work/export/{job.pk}.xlsx").content)
    assert [r[0] for r in rows[1:]] == [world["elsewhere"].number]
    assert rows[1][5] == "三圣街道"


@pytest.mark.parametrize(("query", "said"), [
    ("?state=bogus", "无法导出：筛选条件“状态”没有“bogus”这一项。"),
    ("?sla=迟到", "无法导出：筛选条件“时限”没有“迟到”这一项。"),
    ("?street=510104037", "无法导出：筛选条件“街道”没有“510104037”这一项。"),
    ("?item=JJ-999", "无法导出：筛选条件“事项”没有“JJ-999”这一项。"),
    ("?q=" + "长" * 101, "无法导出：搜索内容超过 100 个字符。"),
])
def test_a_bad_filter_is_said_and_nothing_queued(client: Client, world: dict[str, Any],
                                                 officer: Any, query: str, said: str) -> None:
    client.force_login(officer)
    page, job = _export(client, query)
    assert said in page
    assert job is None and not StatExport.objects.exists()


def test_only_the_requester_downloads(client: Client, world: dict[str, Any], officer: Any
                                      ) -> None:
    client.force_login(officer)
    _page, job = _export(client)
    assert job is not None
    colleague = _user("street_officer", "510104022", "jiedao_2")
    client.force_login(colleague)
    assert client.get(f"/services/work/export/{job.pk}.xlsx").status_code == 404
    assert f"/services/work/export/{job.pk}.xlsx" not in client.get(
        "/services/work/").content.decode()
    client.force_login(officer)  # a list export is not offered as a statistics workbook
    assert client.get(f"/services/stats/export/{job.pk}.xlsx").status_code == 404
    assert client.get(f"/services/work/export/{job.pk}.xlsx").status_code == 200
    client.logout()
    assert client.get(f"/services/work/export/{job.pk}.xlsx").status_code in (302, 401, 403)
    resident = _user("resident", "510104022009", "jumin_2")
    client.force_login(resident)
    assert client.post("/services/work/export/").status_code == 403
    assert StatExport.objects.count() == 1


def test_queries_do_not_grow_with_rows(world: dict[str, Any], officer: Any, desk: Any) -> None:
    from shequ.services import export

    def count() -> tuple[int, int]:
        with CaptureQueriesContext(connection) as ctx:
            _data, n = export.case_workbook(user=officer, filters={}, on=date(2025, 11, 3))
        return len(ctx.captured_queries), n

    few, n = count()
    for i in range(6):
        _file(desk, f"居民{i}", "2025-10-20", channel="desk")
    many, m = count()
    assert (n, m) == (2, 8)
    assert few == many


def test_chunks_follow_the_keyset(world: dict[str, Any], officer: Any, desk: Any) -> None:
    from shequ.services import selectors

    for i in range(4):
        _file(desk, f"居民{i}", "2025-10-20", channel="desk")
    whole = [r[2] for chunk in selectors.case_export_chunks(user=officer) for r in chunk]
    chunks = list(selectors.case_export_chunks(user=officer, chunk=2))
    assert [len(c) for c in chunks] == [2, 2, 2]
    assert [r[2] for c in chunks for r in c] == whole
    assert whole == [c.number for c in selectors.cases(user=officer)]
