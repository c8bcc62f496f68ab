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
