"""Browser test: sign in and see the console in Chinese, then switch to English."""

from __future__ import annotations

from typing import Any

import pytest

from shequ.accounts.tests.factories import PASSWORD


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_sign_in_and_see_console_in_chinese_and_english(page: Any, live_server: Any,
                                                        make_user: Any) -> None:
    from shequ.areas.tests.factories import make_tree

    make_tree()
    user = make_user("street_officer", "510104022", username="jiedao")
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.click("#signin")
    page.wait_for_url(f"{live_server.url}/console/")
    assert page.locator("h1").inner_text() == "工作台"
    assert "春熙路街道" in page.content()
    assert "街道工作人员" in page.content()
    page.click("button[data-lang=en]")
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Console"
    assert "Street officer" in page.content()
    assert "春熙路街道" in page.content()  # data stays as recorded


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_wrong_password_gives_the_same_message_as_unknown_user(page: Any, live_server: Any,
                                                                make_user: Any) -> None:
    make_user("street_officer", "510104022", username="jiedao")
    messages = []
    for name, password in (("jiedao", "wrong-password"), ("nobody", "wrong-password")):
        page.goto(f"{live_server.url}/login/")
        page.fill("#id_username", name)
        page.fill("#id_password", password)
        page.click("#signin")
        messages.append(page.locator("[role=alert]").inner_text())
    assert messages[0] == messages[1] == "用户名或密码不正确。"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_on_a_phone_the_menu_folds_and_nothing_overflows(page: Any, live_server: Any,
                                                         make_user: Any) -> None:
    from shequ.areas.tests.factories import make_tree

    make_tree()
    make_user("district_admin", "510104", username="guanli")
    for i in range(3):
        make_user("community_worker", "510104022009", username=f"worker{i}")
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", "guanli")
    page.fill("#id_password", PASSWORD)
    page.click("#signin")
    page.wait_for_url(f"{live_server.url}/console/")
    header = page.locator("header.topbar").bounding_box()
    assert header["height"] < 120  # the menus are folded away
    assert not page.locator("#menus").is_visible()
    page.click(".menu-toggle")
    assert page.locator("#menus").is_visible()
    assert page.locator(".menu-toggle").get_attribute("aria-expanded") == "true"
    page.goto(f"{live_server.url}/console/users/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    first_cell = page.locator(".table td").first.bounding_box()
    assert first_cell["width"] >= 60  # columns keep a readable width and the table scrolls
    page.keyboard.press("Tab")
    skip = page.locator("a.skip")
    assert skip.inner_text() == "跳到正文" and skip.evaluate("e => e === document.activeElement")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_an_irreversible_step_asks_first(page: Any, live_server: Any, make_user: Any) -> None:
    from shequ.accounts.models import User
    from shequ.areas.tests.factories import make_tree

    make_tree()
    make_user("district_admin", "510104", username="guanli")
    make_user("community_worker", "510104022009", username="worker")
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", "guanli")
    page.fill("#id_password", PASSWORD)
    page.click("#signin")
    page.goto(f"{live_server.url}/console/users/worker/")
    asked: list[str] = []
    page.once("dialog", lambda d: (asked.append(d.message), d.dismiss()))
    page.click("text=停用此账户")
    assert asked == ["停用账户 worker？停用后将不能登录。"]
    assert User.objects.get(username="worker").is_active
    page.once("dialog", lambda d: d.accept())
    page.click("text=停用此账户")
    page.wait_for_selector("text=账户已停用。")
    assert not User.objects.get(username="worker").is_active
