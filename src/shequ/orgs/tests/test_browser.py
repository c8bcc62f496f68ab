"""In the browser: an organisation's user files a community organisation, is told once what
is missing, supplies it and gets the filing number from the street officer; lodges the
annual report of its registered organisation, which the bureau passes; answers a
community's service invitation."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from shequ.accounts.tests.factories import PASSWORD


def _sign_in(page: Any, base: str, username: str, then: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{base}/login/?next={then}")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("#signin")
    page.wait_for_url(f"{base}{then}")


def _act(page: Any, action: str) -> None:
    page.click(f"form[data-action={action}] button[type=submit]")
    page.wait_for_load_state()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_organisation_user_street_officer_and_bureau(page: Any, live_server: Any,
                                                    make_user: Any) -> None:
    from shequ.areas.tests.factories import make_tree
    from shequ.authz import SYSTEM
    from shequ.linkage import services as linkage
    from shequ.orgs import services

    from .conftest import registered_org

    make_tree()
    zuzhi = make_user("org_user", "510104", username="zuzhi", display_name="周洋")
    make_user("street_officer", "510104022", username="jiedao", display_name="张伟")
    make_user("civil_affairs", "510104", username="minzheng", display_name="李强")
    shegong = make_user("community_worker", "510104022009", username="shegong")
    own = registered_org(zuzhi, on=date(2025, 3, 3))
    need = linkage.post_need(
        actor=shegong, area_code="510104022009", category="elderly", title="独居老人周末探访",
        description="每周上门探访", address="督院街社区党群服务中心", beneficiaries=40,
        wanted_from=date(2026, 3, 1), wanted_to=date(2026, 6, 30), volunteer_only=True,
        lat_e6=30_657_000, lon_e6=104_083_000)
    services.update_service_profile(actor=SYSTEM, org_id=own.pk, categories=["elderly"],
                                    capacity=2, lat_e6=30_658_000, lon_e6=104_083_000)
    linkage.invite(actor=shegong, need_id=need.pk, kind="org", provider_id=own.pk)
    base = live_server.url

    # 1. The organisation's user files a choir with four of six materials.
    _sign_in(page, base, "zuzhi", "/orgs/portal/")
    assert page.inner_text("h1") == "我的社会组织"
    page.click("#new-filing")
    assert page.inner_text("h1") == "社区社会组织备案"
    page.fill("#id_name", "督院街社区银龄合唱团")
    page.select_option("#id_area_code", "510104022009")
    page.fill("#id_person_in_charge", "李秀英")
    page.fill("#id_address", "督院街社区活动室")
    page.fill("#id_individual_members", "20")
    page.fill("#id_funds_yuan", "1000")
    page.check("#id_has_charter")
    page.check("input[name=categories][value=culture]")
    for key in ("application", "person", "place", "charter"):
        page.check(f"input[name=materials][value={key}]")
    page.click("#submit")
    page.wait_for_selector("#app-number")
    number = page.inner_text("#app-number")
    assert number.startswith("510104022-")
    assert page.inner_text("#app-state") == "已收件，审查材料中"

    # 2. The street officer names what is missing, all at once.
    _sign_in(page, base, "jiedao", "/orgs/queue/")
    page.click(f"tr[data-number='{number}'] a")
    page.wait_for_selector("#app-number")
    assert page.is_checked("form[data-action=return] input[value=members]")
    assert page.locator("form[data-action=accept]").count() == 0
    _act(page, "return")
    assert page.inner_text("#app-state") == "已一次告知补正"
    assert page.inner_text("#missing") == "已一次告知补正：成员名册、活动资金说明"

    # 3. The organisation supplies them; 4. the street accepts and files.
    _sign_in(page, base, "zuzhi", f"/orgs/a/{number}/")
    _act(page, "supply")
    assert page.inner_text("#app-state") == "已收件，审查材料中"
    _sign_in(page, base, "jiedao", f"/orgs/a/{number}/")
    _act(page, "accept")
    assert page.inner_text("#app-state") == "已受理,审查中"
    _act(page, "approve")
    assert page.inner_text("#app-state") == "准予登记（备案）"
    year = date.today().year
    assert page.inner_text("#app-org-id") == f"春熙路社备〔{year}〕1号"
    assert page.inner_text("a[data-document=receipt]") == "备案回执"

    # 5. The organisation lodges its registered association's report on 2025 …
    _sign_in(page, base, "zuzhi", f"/orgs/portal/o/{own.pk}/")
    page.click("#do-report summary")
    page.fill("#id_report-year", "2025")
    page.fill("#id_report-activities", "开展助老活动24次，服务600人次。")
    page.fill("#id_report-income_yuan", "80000")
    page.fill("#id_report-expenditure_yuan", "65000.50")
    page.fill("#id_report-staff", "2")
    page.fill("#id_report-members", "66")
    page.fill("#id_report-agency_submitted_on", "2026-03-02")
    page.fill("#id_report-agency_approved_on", "2026-03-20")
    page.click("#submit-report")
    page.wait_for_selector("tr[data-year='2025']")
    assert page.inner_text(".messages") == "2025年度报告已报送。"
    assert page.inner_text("tr[data-year='2025'] td:nth-child(4)") == "已报送，待年检"

    # 6. … which the bureau passes.
    _sign_in(page, base, "minzheng", "/orgs/supervision/")
    row = page.locator("#report-queue tr[data-report]")
    assert row.locator("td").first.inner_text() == "锦江区老年互助协会"
    row.locator("form[data-action=pass] button").click()
    page.wait_for_load_state()
    assert page.inner_text(".messages") == "已完成。"
    assert page.locator("#report-queue tr[data-report]").count() == 0

    # 7. The organisation answers the community's invitation.
    _sign_in(page, base, "zuzhi", "/linkage/inbox/")
    assert page.inner_text("#invitations tbody tr td strong") == "独居老人周末探访"
    _act(page, "accept")
    assert page.inner_text("#invitations tbody tr td.state") == "已接受"
