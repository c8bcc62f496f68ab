"""The coverage page in Chromium: the map, the figures and a siting answer, in Chinese."""

from __future__ import annotations

from typing import Any

import pytest

from shequ.accounts.tests.factories import PASSWORD


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_coverage_page_shows_map_figures_and_a_siting_answer(page: Any, live_server: Any,
                                                             make_user: Any) -> None:
    from shequ.access import services
    from shequ.access.tests.factories import make_world
    from shequ.authz import SYSTEM

    make_world()
    analysis = services.request_analysis(actor=SYSTEM, area_code="510104")
    street = analysis.areas.get(area_code="510104022")
    officer = make_user("street_officer", "510104022", username="jiedao")
    base = live_server.url
    page.goto(f"{base}/login/?next=/access/a/510104022/")
    page.fill("#id_username", officer.username)
    page.fill("#id_password", PASSWORD)
    page.click("#signin")
    page.wait_for_url(f"{base}/access/a/510104022/")

    assert page.locator("#title").inner_text() == "15 分钟服务圈:春熙路街道"
    assert page.locator("#source").inner_text().startswith(
        "本结果基于生成的示意路网(第 1 版),并非真实道路:该区域尚未导入 OpenStreetMap 数据。")
    assert page.locator("#share-3").inner_text() == f"{street.within_3 / street.population * 100:.1f}%"
    assert page.locator("#outside-count").inner_text() == str(street.outside)
    assert page.locator("#map").evaluate("img => img.complete && img.naturalWidth") > 0
    assert page.locator("#legend li").first.inner_text() == "5 分钟以内"
    rows = page.locator("#by-area tbody tr")
    assert rows.count() == 2
    assert rows.nth(0).locator("td").first.inner_text() == "督院街社区居委会"
    assert page.locator("#outside tbody tr").first.locator("td").first.inner_text().startswith(
        "远郊院落")

    page.select_option("#id_kind", "max_cover")
    page.fill("#id_k", "1")
    page.click("#site")
    page.wait_for_url(f"{base}/access/siting/*/")
    assert page.locator("#outcome").inner_text() == "已证明最优"
    assert page.locator("#objective").inner_text() == "3,000"
    assert page.locator("#sites tbody tr").first.locator("td").nth(4).inner_text() == "和美小区"
