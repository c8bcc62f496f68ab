"""Issue 12: a community worker imports and exports her own community's residents
through the pages (Excel and CSV), scoped and audited."""

from __future__ import annotations

import io
from datetime import date
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from openpyxl import load_workbook

from shequ.audit.models import AuditEntry
from shequ.authz import SYSTEM
from shequ.people import services
from shequ.people.enums import AuditAction
from shequ.people.models import Resident
from shequ.people.services.export import EXPORT_HEADERS
from shequ.people.tests.factories import make_identity_number

pytestmark = pytest.mark.django_db


@pytest.fixture
def worker(tree: Any, make_user: Any) -> Client:
    for i, code in enumerate([tree.community.code, tree.community.code, tree.community2.code]):
        services.register_resident(actor=SYSTEM, name=f"住户{i}", community_code=code,
                                   id_number=make_identity_number(date(1970, 1, 1 + i),
                                                                  serial=700 + i))
    Resident.objects.filter(name="住户0").update(low_income=True)
    c = Client()
    c.force_login(make_user("community_worker", tree.community.code))
    return c


def test_worker_exports_her_community_as_excel_and_csv(tree: Any, worker: Client) -> None:
    form = worker.get("/people/export/").content.decode()
    assert f"{tree.community.name}（{tree.community.code}）" in form
    assert tree.community2.code not in form and "全部身份证号码" not in form
    r = worker.post("/people/export/", {"within": tree.community.code, "fmt": "xlsx"})
    assert r["Content-Type"].startswith("application/vnd.openxmlformats")
    ws = load_workbook(io.BytesIO(b"".join(r.streaming_content))).active
    rows = list(ws.iter_rows(values_only=True))
    assert list(rows[0]) == EXPORT_HEADERS and len(rows) == 3
    assert {row[0] for row in rows[1:]} == {"住户0", "住户1"}
    assert all("*" in row[1] for row in rows[1:])  # masked numbers
    assert all(row[13] is None for row in rows[1:])  # 低保: not hers to read
    r = worker.post("/people/export/", {"within": tree.community.code, "fmt": "csv"})
    text = b"".join(r.streaming_content).decode("utf-8-sig")
    assert r["Content-Type"] == "text/csv; charset=utf-8"
    assert text.splitlines()[0] == ",".join(EXPORT_HEADERS) and len(text.splitlines()) == 3
    entries = AuditEntry.objects.filter(action=AuditAction.RESIDENT_EXPORT)
    assert [e.changes["format"] for e in entries.order_by("seq")] == ["xlsx", "csv"]
    # another community is not hers
    r = worker.post("/people/export/", {"within": tree.community2.code, "fmt": "csv"})
    assert r.status_code == 200 and "选择一个有效的选项" in r.content.decode()


def test_worker_imports_into_her_community_through_the_page(tree: Any, worker: Client) -> None:
    page = worker.get("/people/").content.decode()
    assert 'href="/people/import/"' in page and "/people/export/" in page
    new = make_identity_number(date(1990, 5, 5), serial=777)
    data = f"姓名,公民身份号码,社区代码,户号,户主\n新住户,{new},{tree.community.code},N1,是\n"
    r = worker.post("/people/import/", {"file": SimpleUploadedFile("r.csv", data.encode("gbk"))})
    text = r.content.decode()
    assert "结果" in text and Resident.objects.filter(name="新住户").exists()
    entry = AuditEntry.objects.get(action=AuditAction.RESIDENT_IMPORT)
    assert entry.area_code == tree.community.code and entry.changes["created"] == 1
    other = make_identity_number(date(1991, 5, 5), serial=778)
    data = f"姓名,公民身份号码,社区代码\n外人,{other},{tree.community2.code}\n"
    r = worker.post("/people/import/", {"file": SimpleUploadedFile("r.csv", data.encode())})
    assert f"您无权导入社区 {tree.community2.code} 的居民" in r.content.decode()
    assert not Resident.objects.filter(name="外人").exists()


def test_pages_name_areas_and_prefill_her_community(tree: Any, worker: Client) -> None:
    form = worker.get("/people/residents/new/").content.decode()
    assert f'value="{tree.community.code}"' in form
    res = Resident.objects.get(name="住户1")
    page = worker.get(f"/people/residents/{res.pk}/").content.decode()
    assert f"{tree.community.name}（{tree.community.code}）" in page
    register = worker.get("/people/").content.decode()
    assert f"<td>{tree.community.name}</td>" in register
