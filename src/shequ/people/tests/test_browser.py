"""Browser: a station worker finds a resident (number masked), reads the full number
with a reason and sees the read in the log; the page is in Chinese."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from shequ.accounts.tests.factories import PASSWORD
from shequ.authz import SYSTEM
from shequ.people import services
from shequ.people.models import IdentityReveal
from shequ.people.tests.factories import make_identity_number


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_station_worker_reveals_a_number_with_a_reason(page: Any, live_server: Any,
                                                       make_user: Any) -> None:
    from shequ.areas.tests.factories import make_tree

    tree = make_tree()
    number = make_identity_number(date(1972, 8, 16), serial=501)
    services.register_resident(actor=SYSTEM, name="周大伟", id_number=number,
                               community_code=tree.community.code, household_number="B7",
                               head=True)
    user = make_user("station_worker", tree.community.code, username="zhanwu")
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.click("#signin")
    page.wait_for_url(f"{live_server.url}/console/")
    page.goto(f"{live_server.url}/people/")
    assert page.locator("h1").inner_text() == "居民信息"
    table = page.locator("#residents").inner_text()
    assert "周大伟" in table and number not in page.content()
    assert number[:6] + "********" + number[-4:] in table
    page.click("text=周大伟")
    page.wait_for_selector("#reveal-form")
    assert number not in page.content()
    page.fill("#id_reason", "办理高龄津贴核验身份")
    page.click("#reveal")
    page.wait_for_selector("#revealed")
    assert number in page.locator("#revealed").inner_text()
    assert "办理高龄津贴核验身份" in page.locator("#reveal-log").inner_text()
    assert IdentityReveal.objects.get().actor_name == "zhanwu"
    # a reload shows the masked number again
    page.goto(page.url.replace("reveal/", ""))
    assert number not in page.content()
