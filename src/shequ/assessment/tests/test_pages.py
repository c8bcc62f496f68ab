"""The dashboards, Excel, the printable report, the API and the CLI: answered from the
snapshot in a constant number of queries, exact Chinese texts, scoped to the user."""

from __future__ import annotations

import io
import json
from datetime import date
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client

from shequ.assessment import services
from shequ.assessment.tests.test_schemes import spec
from shequ.authz import SYSTEM

D, S1, S2 = "510104", "510104022", "510104037"
C1, C2, C3 = "510104022009", "510104022011", "510104037001"
JAN = date(2026, 1, 5)
STREET_EXTRA = 4  # a street's departments, their duties, the rotation rule, the count


@pytest.fixture
def snap(tree: Any, cases: None, people_data: None) -> Any:
    services.save_scheme(actor=SYSTEM, area_code=D, year=2025, name="", sections=spec())
    return services.compute(actor=SYSTEM, area_code=D, year=2025, today=JAN)


@pytest.fixture
def admin(make_user: Any) -> Any:
    return make_user("district_admin", D, username="quguan")


def _client(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c


@pytest.mark.django_db
def test_the_district_dashboard_ranks_the_streets(snap: Any, admin: Any) -> None:
    c = _client(admin)
    index = c.get("/assessment/").content.decode()
    assert "锦江区 2025 年街道考核" in index
    page = c.get(f"/assessment/{snap.pk}/").content.decode()
    assert "<h1>锦江区</h1>" in page
    assert '<dd id="score">16.00</dd>' in page
    assert "各街道/乡镇排名" in page
    assert '<a href="?area=510104037">三圣街道</a>' in page
    assert "各街道/乡镇得分" in page  # the chart, with its table
    assert "按时办结的办件" in page and "66.7%" in page and "95.0%" in page
    assert "平均办理工作日" in page and "7.0 个工作日" in page
    assert "未达标" in page


@pytest.mark.django_db
def test_drill_down_to_a_street_and_a_community(snap: Any, admin: Any) -> None:
    c = _client(admin)
    street = c.get(f"/assessment/{snap.pk}/?area={S1}").content.decode()
    assert '<a href="?area=510104">锦江区</a> › <span aria-current="page">春熙路街道</span>' in street
    assert '<dd id="rank">2</dd>' in street
    assert "各社区/村排名" in street and "盐市口社区居委会" in street
    community = c.get(f"/assessment/{snap.pk}/?area={C2}").content.decode()
    assert '<dd id="score">60.00</dd>' in community and '<dd id="rank">1</dd>' in community
    assert "100.0%" in community


@pytest.mark.django_db
def test_pages_answer_from_the_snapshot_in_constant_queries(
        snap: Any, admin: Any, django_assert_max_num_queries: Any) -> None:
    c = _client(admin)
    c.get(f"/assessment/{snap.pk}/")  # warm the session and grants
    with django_assert_max_num_queries(14) as few:
        c.get(f"/assessment/{snap.pk}/")
    # a street's page adds four fixed queries: its departments with their duties, the
    # rotation rule in force there and the rotations overdue per department (ADR 1003)
    with django_assert_max_num_queries(len(few.captured_queries) + STREET_EXTRA):
        c.get(f"/assessment/{snap.pk}/?area={S1}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        c.get(f"/assessment/{snap.pk}/?area={C1}")


@pytest.mark.django_db
def test_a_street_officer_sees_their_street_only(snap: Any, make_user: Any) -> None:
    officer = make_user("street_officer", S2, username="jiedao")
    c = _client(officer)
    page = c.get(f"/assessment/{snap.pk}/").content.decode()
    assert "<h1>三圣街道</h1>" in page and "春熙路街道" not in page
    assert c.get(f"/assessment/{snap.pk}/?area={S1}").status_code == 404
    assert _client(make_user("resident", C1)).get(f"/assessment/{snap.pk}/").status_code == 403


@pytest.mark.django_db
def test_excel_and_the_printable_report(snap: Any, admin: Any) -> None:
    from openpyxl import load_workbook
    from pypdf import PdfReader

    c = _client(admin)
    xlsx = c.get(f"/assessment/{snap.pk}/export.xlsx")
    wb = load_workbook(io.BytesIO(xlsx.content))
    rows = list(wb["得分"].values)
    assert rows[0][:5] == ("区划代码", "地区", "名次", "得分", "达标项数")
    assert rows[2][:4] == (S2, "三圣街道", 1, "50.00")
    pdf = c.get(f"/assessment/{snap.pk}/report.pdf?area={S1}")
    assert pdf["Content-Type"] == "application/pdf"
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "春熙路街道" in text and "按时办结的办件" in text


@pytest.mark.django_db
def test_the_api_lists_snapshots_and_scores(snap: Any, admin: Any) -> None:
    c = _client(admin)
    listed = c.get("/api/v1/assessment/snapshots").json()
    assert [s["id"] for s in listed["items"]] == [snap.pk]
    first = c.get(f"/api/v1/assessment/snapshots/{snap.pk}/scores?limit=1").json()
    assert first["items"][0]["area_code"] == S1 and first["items"][0]["rank"] == 2
    second = c.get(f"/api/v1/assessment/snapshots/{snap.pk}/scores?limit=1&cursor={first['next']}"
                   ).json()
    assert second["items"][0]["area_code"] == S2 and second["next"] is None
    on_time = {v["indicator"]: v for v in first["items"][0]["values"]}["services.on_time_rate"]
    assert (on_time["numerator"], on_time["denominator"]) == ("2", "3")
    refused = c.post(f"/api/v1/assessment/snapshots/{snap.pk}/corrections",
                     json.dumps({"reason": ""}), content_type="application/json")
    assert refused.status_code == 400 and refused.json()["message"] == "更正须写明理由。"


@pytest.mark.django_db
def test_the_cli(tree: Any, tmp_path: Any) -> None:
    path = tmp_path / "scheme.json"
    path.write_text(json.dumps({"area_code": D, "year": 2024, "sections": spec()}), encoding="utf-8")
    out = io.StringIO()
    call_command("assessment", "scheme", str(path), stdout=out)
    assert "已保存为第 1 版" in out.getvalue()
    call_command("assessment", "due", stdout=out)
    assert "个区域" in out.getvalue()
    from django.core.management.base import CommandError
    path.write_text(json.dumps({"area_code": D, "year": 2024, "sections": spec(weight="30")}),
                    encoding="utf-8")
    with pytest.raises(CommandError, match="各指标权重合计为 90%"):
        call_command("assessment", "scheme", str(path), stdout=out)


@pytest.mark.django_db
def test_a_correction_from_the_dashboard(snap: Any, admin: Any) -> None:
    from shequ.assessment.models import Snapshot

    c = _client(admin)
    page = c.get(f"/assessment/{snap.pk}/").content.decode()
    assert "更正本考核结果" in page
    refused = c.post(f"/assessment/{snap.pk}/correct/", {"reason": ""}, follow=True)
    assert "更正须写明理由。" in refused.content.decode()
    assert Snapshot.objects.count() == 1
    done = c.post(f"/assessment/{snap.pk}/correct/", {"reason": "补录办件"}, follow=True)
    new = Snapshot.objects.get(version=2)
    assert done.redirect_chain[-1][0] == f"/assessment/{new.pk}/"
    html = done.content.decode()
    assert "已计算第 2 版；原版本保持不变。" in html and "更正版：补录办件" in html
    old = c.get(f"/assessment/{snap.pk}/").content.decode()
    assert '<dd id="score">16.00</dd>' in old  # the first version still reads as it was


@pytest.mark.django_db
def test_figures_on_paper_page(tree: Any, make_user: Any) -> None:
    officer = make_user("street_officer", S1, username="jiedao")
    c = _client(officer)
    form = {"indicator": "assessment.safety_inspections", "area_code": S1,
            "start": "2025-01-01", "end": "2025-12-31", "value": "-3", "note": "台账"}
    bad = c.post("/assessment/figures/", form).content.decode()
    assert "开展安全检查次数（手工录入）不能为负数。" in bad
    outside = c.post("/assessment/figures/", {**form, "value": "3", "area_code": S2})
    assert "您无权在此范围内执行该操作。" in outside.content.decode()
    from shequ.assessment.models import ManualFigure
    assert not ManualFigure.objects.exists()
    done = c.post("/assessment/figures/", {**form, "value": "12"}, follow=True).content.decode()
    assert "已录入。" in done
    assert '<span class="code">jiedao</span>' in done and "台账" in done
    assert _client(make_user("resident", C1)).get("/assessment/figures/").status_code == 403


@pytest.mark.django_db
def test_the_provinces_targets_from_province_to_community(tree: Any, people_data: None,
                                                          make_user: Any) -> None:
    services.province_scheme(actor=SYSTEM, area_code="51", year=2025)
    snap = services.compute(actor=SYSTEM, area_code="51", year=2025, kind="province", today=JAN)
    user = make_user("civil_affairs", "51", username="shengting")
    c = _client(user)
    page = c.get(f"/assessment/{snap.pk}/").content.decode()
    assert "<h1>四川省</h1>" in page and "四川省 · 四川省 2015 年社区建设目标" in page
    assert "依据：四川省民政厅" in page
    assert '<a href="?area=510104">锦江区</a>' in page
    assert "建有党组织的社区" in page and "66.7%" in page and "100.0%" in page
    street = c.get(f"/assessment/{snap.pk}/?area={S2}").content.decode()
    assert '<a href="?area=51">四川省</a> › <a href="?area=510104">锦江区</a> › ' in street
    community = c.get(f"/assessment/{snap.pk}/?area={C3}").content.decode()
    assert "<h1>幸福社区居委会</h1>" in community


@pytest.mark.django_db
def test_the_schemes_and_their_versions(snap: Any, admin: Any) -> None:
    c = _client(admin)
    listed = c.get("/assessment/schemes/").content.decode()
    assert "锦江区 2025 年街道考核" in listed and "系统" in listed
    page = c.get(f"/assessment/schemes/{snap.scheme_id}/").content.decode()
    assert "第 1 版 · 区对街道办事处的考核" in page
    assert "按时办结的办件" in page and "40%" in page and "80.0%" in page and "95.0%" in page
    assert "在底线与目标之间按比例计分，最高为权重分" in page and "越低越好" in page
    assert c.get("/assessment/schemes/999/").status_code == 404


def _rows(rows: list[dict[str, str]]) -> dict[str, str]:
    data = {"items-TOTAL_FORMS": str(len(rows)), "items-INITIAL_FORMS": "0"}
    for i, r in enumerate(rows):
        data.update({f"items-{i}-{k}": v for k, v in r.items()})
    return data


@pytest.mark.django_db
def test_writing_a_scheme_on_the_page(snap: Any, admin: Any) -> None:
    from shequ.assessment.models import Scheme

    c = _client(admin)
    form = c.get(f"/assessment/schemes/new/?area={D}&year=2025").content.decode()
    assert "撰写考核方案" in form and 'value="services.on_time_rate" selected' in form
    rows = [{"duty": "public_service", "indicator": "services.on_time_rate", "weight": "60",
             "scoring": "linear", "floor": "80%", "target": "98%"},
            {"duty": "party_building", "indicator": "people.party_coverage", "weight": "30",
             "scoring": "pass_fail", "floor": "", "target": "100%"},
            {"duty": "public_service", "indicator": "", "weight": "", "scoring": "linear",
             "floor": "", "target": ""}]
    head = {"area_code": D, "year": "2026", "name": "", "source": ""}
    bad = c.post("/assessment/schemes/new/", {**head, **_rows(rows)}).content.decode()
    assert "各指标权重合计为 90%，须为 100%（规则：考核方案的权重合计为 100%）。" in bad
    assert not Scheme.objects.filter(year=2026).exists()
    rows[1]["weight"] = "40"
    done = c.post("/assessment/schemes/new/", {**head, **_rows(rows)}, follow=True)
    saved = Scheme.objects.get(year=2026)
    assert done.redirect_chain[-1][0] == f"/assessment/schemes/{saved.pk}/"
    assert "已保存为第 1 版。" in done.content.decode()
    assert saved.created_by == admin


@pytest.mark.django_db
def test_the_export_reads_every_row_in_constant_queries(
        snap: Any, admin: Any, django_assert_max_num_queries: Any) -> None:
    c = _client(admin)
    c.get(f"/assessment/{snap.pk}/export.xlsx")
    with django_assert_max_num_queries(14) as few:
        c.get(f"/assessment/{snap.pk}/export.xlsx?area={S2}")  # one street row, one child
    with django_assert_max_num_queries(len(few.captured_queries)):
        c.get(f"/assessment/{snap.pk}/export.xlsx")


@pytest.mark.django_db
def test_the_street_dashboard_shows_which_department_carries_each_duty(
        snap: Any, admin: Any, make_user: Any, django_assert_max_num_queries: Any) -> None:
    from shequ.areas import facade as areas
    from shequ.people.models import Posting, StaffMember

    dev = areas.save_department(actor=SYSTEM, street_code=S1, name="社区发展科",
                                category="public_service",
                                duties=["public_service", "community_building"])
    areas.save_department(actor=SYSTEM, street_code=S2, name="三圣城管科",
                          category="enforcement", duties=["urban_management"])
    staff = StaffMember.objects.create(code="G9", name="戊", kind="cadre", area_code=S1)
    Posting.objects.create(staff=staff, level="street", area_code=S1, department=dev,
                           start_date=date(2015, 1, 1))
    c = _client(admin)
    c.get(f"/assessment/{snap.pk}/")
    with django_assert_max_num_queries(14) as few:
        c.get(f"/assessment/{snap.pk}/")
    with django_assert_max_num_queries(len(few.captured_queries) + STREET_EXTRA):
        street = c.get(f"/assessment/{snap.pk}/?area={S1}").content.decode()
    assert "承担科室" in street and "超过轮岗年限的任职" in street
    assert f'<a href="/people/departments/{dev.pk}/">社区发展科</a>' in street
    assert '<td class="num">1</td>' in street  # the cadre posted there since 2015
    assert "三圣城管科" not in street
    # a duty of the scheme that no department of the street holds says so
    assert "没有科室承担这项职责。" in street
    # the district's page is not a street's: no departments there
    assert "承担科室" not in c.get(f"/assessment/{snap.pk}/").content.decode()
