"""Each role signs in to its own work, never to a page that says 无权访问."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.test import Client

from shequ.accounts.tests.factories import PASSWORD
from shequ.core import registry
from shequ.web.context import calendar_warning

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("role", "landing"), [
    ("district_admin", "/console/"), ("street_officer", "/console/"),
    ("station_worker", "/console/"), ("community_worker", "/console/"),
    ("resident", "/me/"), ("representative", "/me/"),
])
def test_sign_in_lands_on_the_roles_own_page(tree: Any, make_user: Any, role: str,
                                            landing: str) -> None:
    user = make_user(role, tree.community.code)
    r = Client().post("/login/", {"username": user.username, "password": PASSWORD})
    assert r.status_code == 302 and r["Location"] == landing


def test_a_module_registers_a_roles_home(tree: Any, make_user: Any, monkeypatch: Any) -> None:
    monkeypatch.setitem(registry.HOMES, "org_user", (10, "web:stations"))
    user = make_user("org_user", tree.community.code)
    r = Client().post("/login/", {"username": user.username, "password": PASSWORD})
    assert r["Location"] == "/stations/"


def test_a_resident_opening_the_console_is_sent_to_their_page(tree: Any, make_user: Any,
                                                              client: Client) -> None:
    client.force_login(make_user("resident", tree.community.code))
    r = client.get("/console/")
    assert r.status_code == 302 and r["Location"] == "/me/"


def test_my_page_shows_what_modules_register(tree: Any, make_user: Any, client: Client,
                                             monkeypatch: Any) -> None:
    def panel(user: Any) -> list[registry.SelfPanel]:
        return [registry.SelfPanel("我的申请", [registry.PanelItem("居住证申请", "/x/", "审查中")]),
                registry.SelfPanel("待附议的提案", [], empty="目前没有。", order=1)]

    monkeypatch.setattr(registry, "SELF_PANELS", [panel])
    monkeypatch.setattr("shequ.web.views.SELF_PANELS", [panel])
    client.force_login(make_user("resident", tree.community.code))
    page = client.get("/me/").content.decode()
    assert page.index("待附议的提案") < page.index("我的申请")
    assert '<a href="/x/">居住证申请</a> <span class="hint">审查中</span>' in page
    assert "目前没有。" in page


@pytest.mark.parametrize(("today", "expected"), [
    (date(2026, 10, 31), ""),
    (date(2026, 11, 1), "工作日历尚未录入 2027 年"),
])
def test_the_calendar_warns_from_november_while_next_year_is_missing(today: date,
                                                                     expected: str) -> None:
    text = calendar_warning(today)
    assert (expected in text) if expected else text == ""


def test_the_warning_shows_on_staff_pages(tree: Any, make_user: Any, client: Client,
                                          monkeypatch: Any) -> None:
    monkeypatch.setattr("shequ.web.context.calendar_warning", lambda: "日历警告文字")
    client.force_login(make_user("street_officer", tree.street.code))
    assert "日历警告文字" in client.get("/console/").content.decode()
    resident = Client()
    resident.force_login(make_user("resident", tree.community.code))
    assert "日历警告文字" not in resident.get("/me/").content.decode()
