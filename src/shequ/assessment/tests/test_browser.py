"""The district user opens the district dashboard and drills down to a community, in a
real browser: exact Chinese texts, the charts drawn, the tables beside them."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from shequ.accounts.tests.factories import PASSWORD


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_district_dashboard_drills_down_to_a_community(
        page: Any, live_server: Any, make_user: Any, cases: None, people_data: None) -> None:
    from shequ.assessment import services
    from shequ.assessment.tests.test_schemes import spec
    from shequ.authz import SYSTEM

    services.save_scheme(actor=SYSTEM, area_code="510104", year=2025, name="", sections=spec())
    services.compute(actor=SYSTEM, area_code="510104", year=2025, today=date(2026, 1, 5))
    make_user("district_admin", "510104", username="quguan", display_name="区管理员 王敏")
    url = live_server.url
    page.goto(f"{url}/login/")
    page.fill("#id_username", "quguan")
    page.fill("#id_password", PASSWORD)
    page.click("#signin")
    page.wait_for_url(f"{url}/console/")

    page.click("nav a:text('街道考核')")
    assert page.locator("h1").inner_text() == "街道考核"
    page.click("#snapshots a:text('锦江区 2025 年街道考核')")
    assert page.locator("h1").inner_text() == "锦江区"
    assert page.locator("#score").inner_text() == "16.00"
    page.wait_for_selector("[data-echart='assessment-children-option'][data-drawn='1'] svg")
    assert page.locator("#children tbody tr").nth(0).inner_text().split("\t") == [
        "1", "三圣街道", "50.00", "1"]
    assert page.locator("#children tbody tr").nth(1).inner_text().split("\t") == [
        "2", "春熙路街道", "16.00", "0"]

    page.click("#children a:text('春熙路街道')")
    assert page.locator("h1").inner_text() == "春熙路街道"
    assert page.locator("#trail").inner_text() == "锦江区 › 春熙路街道"
    assert page.locator("#rank").inner_text() == "2"
    row = page.locator("#indicators tr[data-indicator='services.on_time_rate']")
    assert row.locator("td").nth(2).inner_text() == "66.7%"
    assert "未达标" in row.inner_text()

    page.click("#children a:text('盐市口社区居委会')")
    assert page.locator("h1").inner_text() == "盐市口社区居委会"
    assert page.locator("#trail").inner_text() == "锦江区 › 春熙路街道 › 盐市口社区居委会"
    assert page.locator("#score").inner_text() == "60.00"
    assert page.locator("#rank").inner_text() == "1"
    assert page.locator("#children").count() == 0
    page.click("#trail a:text('春熙路街道')")
    assert page.locator("h1").inner_text() == "春熙路街道"
