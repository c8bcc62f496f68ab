"""The pages: staff, public, the organisation's portal, the dashboard (its totals equal the
database's sums) and its Excel export."""

from __future__ import annotations

import io
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.db.models import Sum
from django.utils import timezone
from openpyxl import load_workbook

from shequ.procurement import services
from shequ.procurement.models import Bid, Contract, Project
from shequ.procurement.tests.conftest import (
    World,
    contracted,
    evaluated,
    new_project,
    reported,
)

pytestmark = pytest.mark.django_db


def test_public_pages_show_the_published_projects_and_no_personal_data(
        world: World, client: Any, django_assert_max_num_queries: Any) -> None:
    project = contracted(world).project
    draft = new_project(world, budget_fen=1_000_000)
    with django_assert_max_num_queries(12):
        page = client.get("/procurement/").content.decode()
    assert project.number in page and draft.number not in page
    page = client.get(f"/procurement/p/{project.number}/").content.decode()
    assert "锦江区社工服务协会" in page and "280,000.00" in page
    assert "ocds-jjgm26-JJ2025-0001" in page
    for person in ("王建国", "张明", "陈静"):
        assert person not in page
    assert client.get(f"/procurement/p/{draft.number}/").status_code == 404
    record = client.get(f"/procurement/p/{project.number}.json").json()
    assert record["records"][0]["ocid"] == "ocds-jjgm26-JJ2025-0001"
    stream = b"".join(client.get("/procurement/ocds/releases.json?year=2025").streaming_content)
    assert b'"ocds-jjgm26-JJ2025-0001-award"' in stream
    assert client.get("/procurement/ocds/extension.json").status_code == 200


def test_the_dashboard_totals_equal_the_database_sums(world: World, client: Any,
                                                      make_user: Any) -> None:
    contracted(world)
    c = Contract.objects.get()
    services.change(actor=world.officer, contract_id=c.pk, kind="value", value_fen=29_000_000,
                    reason="增加服务对象", on=date(2025, 9, 1))
    admin = make_user("district_admin", "510104", username="admin")
    client.force_login(admin)
    page = client.get("/procurement/dashboard/").content.decode()
    total = Contract.objects.aggregate(s=Sum("value_fen"))["s"]
    assert total == 29_000_000
    assert 'id="total-value">290,000.00<' in page
    assert "按年度统计的合同金额" in page and "按类别统计的合同金额" in page
    assert "社区养老服务" in page and "春熙路街道办事处" in page
    response = client.get("/procurement/dashboard.xlsx?year=2025")
    book = load_workbook(io.BytesIO(response.content))
    for sheet in book.worksheets:
        rows = list(sheet.iter_rows(min_row=2, values_only=True))
        assert sum(Decimal(r[2]) for r in rows) * 100 == total, sheet.title
        assert sum(r[1] for r in rows) == Contract.objects.count()


def test_a_refusal_shows_on_the_page_naming_the_rule(world: World, client: Any) -> None:
    project = new_project(world)
    client.force_login(world.officer)
    response = client.post(f"/procurement/staff/p/{project.number}/act/",
                           {"op": "publish", "bid_deadline": "2025-06-10"}, follow=True)
    page = response.content.decode()
    assert "《政府采购法》第三十五条" in page
    project.refresh_from_db()
    assert project.state == "draft"
    page = client.get(f"/procurement/staff/p/{project.number}/").content.decode()
    assert "发布" in page and "废标" in page


def test_the_staff_page_shows_the_evaluation_and_refuses_a_late_award(world: World, client: Any) -> None:
    project, bids, _members = evaluated(world)
    client.force_login(world.officer)
    page = client.get(f"/procurement/staff/p/{project.number}/").content.decode()
    assert "90.000" in page and "张明" in page
    assert 'data-step="award"' not in page  # closed on 1 July 2025: the award is late today
    response = client.post(f"/procurement/staff/p/{project.number}/act/", {"op": "award"},
                           follow=True)
    assert "应在 2025-07-10 前确定中标供应商" in response.content.decode()
    project.refresh_from_db()
    assert project.state == "evaluating"
    assert Bid.objects.get(pk=bids[0].pk).state == "submitted"


def test_the_org_user_bids_from_the_portal(world: World, client: Any) -> None:
    today = timezone.localdate()
    reported(world)
    project = new_project(world, budget_fen=5_000_000)
    project = services.publish(actor=world.officer, number=project.number,
                               bid_deadline=today + timedelta(days=25), on=today)
    client.force_login(world.org_user)
    page = client.get("/procurement/portal/").content.decode()
    assert project.title in page
    response = client.post(f"/procurement/portal/p/{project.number}/",
                           {"price_yuan": "60000", "proposal": "配备专职社工 3 名。"})
    assert "报价超过项目预算" in response.content.decode()
    client.post(f"/procurement/portal/p/{project.number}/",
                {"price_yuan": "48000.50", "proposal": "配备专职社工 3 名。"})
    assert Bid.objects.get(project=project).price_fen == 4_800_050
    assert Project.objects.get(pk=project.pk).bids.count() == 1


def test_past_its_deadline_a_tender_offers_no_bid_form(world: World, client: Any,
                                                       monkeypatch: Any) -> None:
    """Still tendering (nobody closed it yet), but past the deadline: the page says bids
    are no longer received instead of a form every submission of which is refused; a
    bid sent anyway is refused with its reason shown, nothing saved (issue 12)."""
    today = timezone.localdate()
    project = new_project(world, budget_fen=5_000_000)
    services.publish(actor=world.officer, number=project.number,
                     bid_deadline=today + timedelta(days=25), on=today)
    client.force_login(world.org_user)
    assert 'id="bid"' in client.get(f"/procurement/portal/p/{project.number}/").content.decode()
    later = today + timedelta(days=26)
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: later)
    page = client.get(f"/procurement/portal/p/{project.number}/").content.decode()
    assert 'id="bid"' not in page and "已不再接受投标。" in page
    page = client.post(f"/procurement/portal/p/{project.number}/",
                       {"price_yuan": "48000", "proposal": "配备专职社工 3 名。"}).content.decode()
    assert f"项目 {project.number} 已不再接受投标。" in page
    assert not Bid.objects.filter(project=project).exists()


def test_the_org_users_own_page_lists_open_tenders(world: World, client: Any) -> None:
    today = timezone.localdate()
    project = new_project(world, budget_fen=5_000_000)
    services.publish(actor=world.officer, number=project.number,
                     bid_deadline=today + timedelta(days=25), on=today)
    client.force_login(world.org_user)
    page = client.get("/me/").content.decode()
    assert "招标公告" in page and project.title in page
    assert f"{(today + timedelta(days=25)).isoformat()} 截止投标" in page


def test_the_published_catalogue_is_public(world: World, client: Any) -> None:
    page = client.get("/procurement/catalogue/").content.decode()
    assert "锦江区政府购买服务指导性目录（2025）" in page
    assert "01 社区养老服务" in page and "0101 居家养老上门服务" in page
