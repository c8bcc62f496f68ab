"""The pages: exact Chinese, both sides of each permission, constant queries on lists."""

from __future__ import annotations

import io
from datetime import date
from typing import Any

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from shequ.authz import SYSTEM
from shequ.orgs import services
from shequ.orgs.models import Application, AppState, Org

from .conftest import ALL_FILED, filed_org, registered_org, submit_association, submit_filing


def _client(user: Any = None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def _queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_directory_and_profile_are_public(org_user: Any, bureau: Any) -> None:
    org = registered_org(org_user)
    client = _client()
    page = client.get("/orgs/?q=老年").content.decode()
    assert "锦江区老年互助协会" in page and "社会团体" in page and org.credit_code in page
    page = client.get(f"/orgs/o/{org.pk}/").content.decode()
    assert "登记成立，统一社会信用代码 51510104MJ00000013。" in page
    assert "工作人员" not in page  # the staff panel is for staff
    staff = _client(bureau).get(f"/orgs/o/{org.pk}/").content.decode()
    assert "资格事实" in staff and "记录评估等级" in staff


def test_directory_queries_do_not_grow(org_user: Any, tree: Any) -> None:
    filed_org(org_user)
    few = _queries(_client(), "/orgs/")
    for i in range(8):
        filed_org(org_user, name=f"督院街社区合唱团{i}")
    assert _queries(_client(), "/orgs/") == few
    assert _queries(_client(), "/orgs/?track=filed&category=culture") <= few + 1


def test_portal_for_organisation_users_only(org_user: Any, street_officer: Any) -> None:
    org = registered_org(org_user)
    page = _client(org_user).get("/orgs/portal/").content.decode()
    assert "我的社会组织" in page and "锦江区老年互助协会" in page
    assert _client(street_officer).get("/orgs/portal/").status_code == 403
    assert _client().get("/orgs/portal/").status_code == 302
    manage = _client(org_user).get(f"/orgs/portal/o/{org.pk}/").content.decode()
    assert "申请变更" in manage and "报送年度报告" in manage and "申请认定为慈善组织" in manage


def test_filing_through_the_pages(org_user: Any, street_officer: Any,
                                  other_street_officer: Any) -> None:
    client = _client(org_user)
    response = client.post("/orgs/portal/apply/", {
        "org_kind": "culture_sport", "name": "督院街社区合唱团", "area_code": "510104022009",
        "person_in_charge": "李秀英", "address": "督院街社区活动室", "individual_members": "18",
        "funds_yuan": "1500", "has_charter": "on", "categories": ["culture"],
        "materials": ALL_FILED[:4]})
    app = Application.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/orgs/a/{app.number}/"
    page = client.get(response["Location"]).content.decode()
    assert "已收件，审查材料中" in page and "撤回申请" in page
    assert "受理（材料齐全）" not in page  # a staff step
    officer = _client(street_officer)
    assert app.number in officer.get("/orgs/queue/").content.decode()
    assert app.number not in _client(other_street_officer).get("/orgs/queue/").content.decode()
    assert _client(other_street_officer).get(f"/orgs/a/{app.number}/").status_code == 404
    page = officer.get(f"/orgs/a/{app.number}/").content.decode()
    assert 'data-action="return"' in page and "一次告知补正" in page
    assert 'data-action="accept"' not in page  # two materials are still missing
    officer.post(f"/orgs/a/{app.number}/act/", {"action": "return",
                                                "missing": ["members", "funds"]})
    app.refresh_from_db()
    assert app.state == AppState.RETURNED
    notice = officer.get(f"/orgs/a/{app.number}/notice.pdf")
    assert notice.status_code == 200 and notice["Content-Type"] == "application/pdf"
    page = client.get(f"/orgs/a/{app.number}/").content.decode()
    assert "已一次告知补正：成员名册、活动资金说明" in page and "补正材料" in page
    client.post(f"/orgs/a/{app.number}/act/", {"action": "supply",
                                               "materials": ["members", "funds"]})
    officer.post(f"/orgs/a/{app.number}/act/", {"action": "accept"})
    response = officer.post(f"/orgs/a/{app.number}/act/", {"action": "approve"})
    page = officer.get(response["Location"]).content.decode()
    app.refresh_from_db()
    assert app.state == AppState.APPROVED and "已完成:准予。当前状态:准予登记（备案）。" in page
    assert f"组织：督院街社区合唱团（{app.org.filing_number}）。" in page
    assert client.get(f"/orgs/a/{app.number}/receipt.pdf").status_code == 200


def test_bad_input_on_the_form_names_the_rule(org_user: Any) -> None:
    registered_org(org_user)
    response = _client(org_user).post("/orgs/portal/apply/", {
        "org_kind": "association", "name": "锦江区老年互助协会", "area_code": "510104022011",
        "person_in_charge": "周八", "address": "x", "supervising_agency": "锦江区民政局",
        "individual_members": "60", "staff": "1", "funds_yuan": "30000", "has_premises": "on",
        "categories": ["aid"]})
    page = response.content.decode()
    assert response.status_code == 200
    assert "名称“锦江区老年互助协会”已被同一机关辖区内的组织或在办申请使用" in page
    assert Application.objects.count() == 1


def test_queue_separates_street_and_bureau(org_user: Any, street_officer: Any,
                                          bureau: Any) -> None:
    filing = submit_filing(org_user, date(2026, 3, 2))
    registration = submit_association(org_user, date(2026, 3, 2))
    street = _client(street_officer).get("/orgs/queue/").content.decode()
    assert filing.number in street and registration.number not in street
    page = _client(bureau).get("/orgs/queue/").content.decode()
    assert registration.number in page
    services.act(actor=bureau, number=registration.number, action="accept",
                 on=date(2026, 3, 3))
    overdue = _client(bureau).get("/orgs/queue/?overdue=1").content.decode()
    assert registration.number in overdue and "已逾期" in overdue


def test_supervision_overdue_list_and_inspection(org_user: Any, bureau: Any) -> None:
    org = registered_org(org_user)
    page = _client(bureau).get("/orgs/supervision/?year=2025").content.decode()
    assert "2025年度报告逾期未报" in page
    assert ("锦江区老年互助协会" in page) == (date.today() > date(2026, 5, 31))
    report = services.lodge_report(actor=org_user, org_id=org.pk, year=2025, activities="活动",
                                   agency_submitted_on=date(2026, 3, 2),
                                   agency_approved_on=date(2026, 3, 20), on=date(2026, 5, 6))
    page = _client(bureau).get("/orgs/supervision/").content.decode()
    assert f'data-report="{report.pk}"' in page
    _client(bureau).post(f"/orgs/supervision/report/{report.pk}/", {"action": "pass"})
    report.refresh_from_db()
    assert report.state == "passed"
    assert _client(org_user).post(f"/orgs/supervision/report/{report.pk}/",
                                  {"action": "fail"}).status_code == 302
    report.refresh_from_db()
    assert report.state == "passed"


def test_registry_export_and_import_page(org_user: Any, bureau: Any, street_officer: Any) -> None:
    registered_org(org_user)
    filed_org(org_user)
    data = _client(bureau).get("/orgs/registry.xlsx").content
    rows = list(load_workbook(io.BytesIO(data), read_only=True).worksheets[0].iter_rows(
        values_only=True))
    assert len(rows) == 3 and rows[0][0] == "名称"
    street = list(load_workbook(io.BytesIO(_client(street_officer).get("/orgs/registry.xlsx")
                                            .content), read_only=True).worksheets[0]
                  .iter_rows(values_only=True))
    assert len(street) == 3  # both are based in 春熙路街道
    upload = io.BytesIO(data)
    upload.name = "mingce.xlsx"
    page = _client(bureau).post("/orgs/registry/", {"file": upload, "dry_run": "on"}).content.decode()
    assert "已被登记" in page and Org.objects.count() == 2
    assert _client(street_officer).post("/orgs/registry/", {}).status_code == 403


def test_indicators_page(org_user: Any) -> None:
    filed_org(org_user)
    registered_org(org_user)
    page = _client().get("/orgs/indicators/?year=2025").content.decode()
    assert 'id="total-orgs">2<' in page and 'id="filed-share">50.0%<' in page
    assert 'id="per-10k">1.05<' in page  # 2 × 10,000 / 19,000


def test_complaint_page_needs_sign_in(org_user: Any, make_user: Any) -> None:
    org = registered_org(org_user)
    assert _client().get(f"/orgs/o/{org.pk}/complain/").status_code == 302
    resident = make_user("resident", "510104022009")
    response = _client(resident).post(f"/orgs/o/{org.pk}/complain/", {
        "complainant_name": "孙丽", "summary": "乱收费"})
    assert response.status_code == 302
    assert org.complaints.get().summary == "乱收费"
    services.sweep(actor=SYSTEM)
