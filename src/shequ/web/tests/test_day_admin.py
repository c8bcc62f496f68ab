"""The district administrator's day, pages only, in a real browser (issue 12): the
console, a new colleague with a role, a lost password, a disabled account, next year's
holidays, a local rule value, the audit log — with the bad inputs on the way."""

from __future__ import annotations

from typing import Any

import pytest

from shequ.accounts.tests.factories import PASSWORD


def sign_in(page: Any, url: str, username: str) -> None:
    page.goto(f"{url}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("#signin")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_district_administrators_day(page: Any, live_server: Any, make_user: Any) -> None:
    from shequ.areas.tests.factories import make_tree
    from shequ.core.models import CalendarYear
    from shequ.rules import resolve

    make_tree()
    make_user("district_admin", "510104", username="admin", display_name="区管理员 王敏")
    url = live_server.url
    sign_in(page, url, "admin")
    page.wait_for_url(f"{url}/console/")
    assert page.locator("h1").inner_text() == "工作台"
    assert "人口（统计数）" in page.content()

    # a new colleague: first a weak password, then a good one
    page.goto(f"{url}/console/users/")
    page.fill("#id_n-username", "xiaoli")
    page.fill("#id_n-display_name", "李小丽")
    page.fill("#id_n-password", "1234567890")
    page.select_option("#id_n-role", "station_worker")
    page.fill("#id_n-area_code", "510104022009")
    page.click("form:has(#id_n-username) button[type=submit]")
    assert page.locator("[role=alert]").first.inner_text() == "这个密码太常见了。"
    page.fill("#id_n-password", "lanhua-shuxia-2026")
    page.click("form:has(#id_n-username) button[type=submit]")
    page.wait_for_selector("text=已创建 xiaoli。")

    # she lost her password; then she leaves
    page.click("a:text('xiaoli')")
    page.fill("#id_p-new_password", "temporary-phrase-7")
    page.once("dialog", lambda d: d.accept())
    page.click("form:has(#id_p-new_password) button[type=submit]")
    page.wait_for_selector("text=xiaoli 的密码已重置。请当面告知本人，并请其登录后修改。")
    page.once("dialog", lambda d: d.accept())
    page.click("button:text('停用此账户')")
    page.wait_for_selector("text=账户已停用。")

    # next year's holidays: a malformed line first
    page.goto(f"{url}/console/calendar/")
    page.fill("#id_y-year", "2027")
    page.fill("#id_y-source", "国务院办公厅关于2027年部分节假日安排的通知")
    page.fill("#id_y-holidays", "2027-01-01 到 2027-01-03 元旦")
    page.click("form:has(#id_y-year) button[type=submit]")
    assert "第 1 行不是“首日、末日、名称”的格式。" in page.content()
    page.fill("#id_y-holidays", "2027-01-01,2027-01-03,元旦")
    page.click("form:has(#id_y-year) button[type=submit]")
    page.wait_for_selector("text=已保存。")
    assert CalendarYear.objects.filter(year=2027).exists()

    # a local rule value for the district, with a bad value first
    page.goto(f"{url}/rules/targets/sichuan-2015/?area=510104")
    page.locator("details summary").nth(4).click()
    form = page.locator("details[open] form")
    form.locator("input[name=value]").fill("80%")
    form.locator("input[name=citation]").fill("锦江区目标文件")
    form.locator("button:text('保存')").click()
    assert page.locator("[role=alert]").inner_text() == (
        "“直接选举产生的社区居民委员会”：比例请写成 >1/2（过半数）或 >=2/3（不少于三分之二），"
        "介于 0 与 1 之间。")
    page.locator("details summary").nth(4).click()
    form = page.locator("details[open] form")
    form.locator("input[name=value]").fill(">=17/20")
    form.locator("input[name=citation]").fill("锦江区目标文件")
    form.locator("button:text('保存')").click()
    page.wait_for_selector("text=已保存。")
    assert resolve("targets", "sichuan-2015", "510104022009").value(
        "direct_election_coverage") == ">=17/20"

    # everything is in the audit log
    page.goto(f"{url}/console/audit/")
    text = page.locator("table").inner_text()
    for action in ("accounts.user.create", "accounts.password.reset", "accounts.user.disable",
                   "workdays.year.enter", "rules.override.set"):
        assert action in text, action
