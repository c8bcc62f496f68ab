from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client


@pytest.mark.django_db
def test_public_home_without_data(client: Client) -> None:
    r = client.get("/")
    assert r.status_code == 200
    assert "尚未加载区划数据" in r.content.decode()


def test_public_home_in_chinese_by_default_even_for_english_browsers(tree: Any, client: Client
                                                                       ) -> None:
    r = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    html = r.content.decode()
    assert '<html lang="zh-CN">' in html
    assert "锦江区" in html and "春熙路街道" in html
    assert "查找社区公共服务站" in html


def test_language_switch_to_english(tree: Any, client: Client) -> None:
    r = client.post("/i18n/setlang/", {"language": "en", "next": "/"}, follow=True)
    assert "Find a service station" in r.content.decode()


def test_console_requires_sign_in_and_redirects(client: Client) -> None:
    r = client.get("/console/")
    assert r.status_code == 302 and r["Location"].startswith("/login/")


def test_console_shows_the_users_areas_and_figures(tree: Any, make_user: Any, client: Client
                                                   ) -> None:
    client.force_login(make_user("street_officer", tree.street.code))
    html = client.get("/console/").content.decode()
    assert "春熙路街道" in html and "14,000" in html and "街道工作人员" in html


def test_an_organisation_user_without_a_portal_is_sent_to_their_page(
        tree: Any, make_user: Any, client: Client, monkeypatch: Any) -> None:
    monkeypatch.setattr("shequ.web.views.HOMES", {})
    client.force_login(make_user("org_user", tree.community.code))
    r = client.get("/console/", follow=True)
    assert r.redirect_chain == [("/me/", 302)]
    assert "无权" not in r.content.decode()


def test_area_page_scoped(tree: Any, make_user: Any, client: Client) -> None:
    client.force_login(make_user("street_officer", tree.street.code))
    assert client.get(f"/console/areas/{tree.community.code}/").status_code == 200
    r = client.get(f"/console/areas/{tree.agricultural.code}/")
    assert r.status_code == 403
    r = client.get("/console/areas/510104022999/")
    assert r.status_code == 404 and "未知的区划代码:510104022999" in r.content.decode()


def test_expired_session_on_a_page_asks_to_sign_in_again(tree: Any, make_user: Any,
                                                         client: Client) -> None:
    client.cookies["sessionid"] = "no-such-session"
    r = client.get(f"/console/areas/{tree.community.code}/", follow=True)
    assert "请登录。您的会话可能已过期。" in r.content.decode()


def test_sign_in_page_error_is_generic(tree: Any, make_user: Any, client: Client) -> None:
    make_user("street_officer", tree.street.code, username="jiedao")
    a = client.post("/login/", {"username": "jiedao", "password": "nope"}).content.decode()
    b = client.post("/login/", {"username": "nobody", "password": "nope"}).content.decode()
    assert "用户名或密码不正确" in a and "用户名或密码不正确" in b


def test_stations_page_lists_communities_served(tree: Any, client: Client) -> None:
    html = client.get("/stations/").content.decode()
    assert "督院街社区公共服务站" in html and "盐市口社区居委会" in html


def test_no_cdn_links_in_pages(tree: Any, make_user: Any, client: Client) -> None:
    """Every script, style and image comes from our own static files.

    The check reads the pages' link targets, not their whole text: a random
    CSRF token once contained the letters "cdn" and failed a text search.
    """
    client.force_login(make_user("district_admin", "510104"))
    for url in ("/", "/login/", "/console/", "/stations/", "/api/v1/docs"):
        html = client.get(url).content.decode()
        targets = re.findall(r"""(?:src|href)\s*=\s*["']([^"']*)["']""", html, re.I)
        outside = [t for t in targets
                   if re.match(r"(?:[a-z][a-z0-9+.-]*:)?//", t, re.I) or "cdn" in t.lower()]
        assert outside == [], (url, outside)
        assert "https://" not in html and "http://" not in html, url
        assert not re.search(r"url\(\s*['\"]?(?:https?:)?//", html, re.I), url


def test_every_menu_item_resolves() -> None:
    from django.urls import reverse

    from shequ.core.registry import NAV

    for item in NAV:
        reverse(item.url_name)


def test_audit_log_is_scoped(tree: Any, make_user: Any, client: Client) -> None:
    from shequ.areas import services
    from shequ.authz import SYSTEM

    services.update_figures(actor=SYSTEM, code=tree.community.code, population=8001)
    services.update_figures(actor=SYSTEM, code=tree.agricultural.code, population=5001)
    client.force_login(make_user("street_officer", tree.street.code))
    html = client.get("/console/audit/").content.decode()
    assert tree.community.code in html and tree.agricultural.code not in html
    assert client.get("/console/audit/", {"within": tree.other_street.code}).status_code == 403
    client.force_login(make_user("resident", tree.community.code))
    assert client.get("/console/audit/").status_code == 403


def test_area_page_edits_through_services(tree: Any, make_user: Any, client: Client) -> None:
    client.force_login(make_user("civil_affairs", "510104"))
    url = f"/console/areas/{tree.community.code}/"
    assert client.post(url, {"form": "figures", "population": "8200", "households": "3100"}
                       ).status_code == 302
    tree.community.refresh_from_db()
    assert tree.community.population == 8200
    bad = client.post(url, {"form": "geometry", "geojson": '{"type": "Point", "coordinates": [30.6, 104.0]}'})
    assert bad.status_code == 200 and "经度和纬度是否写反" in bad.content.decode()
    assert client.post(url, {"form": "compound", "name": "芙蓉院"}).status_code == 302
    assert tree.community.children.filter(name="芙蓉院").exists()


def test_street_officer_cannot_edit_areas(tree: Any, make_user: Any, client: Client) -> None:
    client.force_login(make_user("street_officer", tree.street.code))
    url = f"/console/areas/{tree.community.code}/"
    assert 'name="form"' not in client.get(url).content.decode()
    assert client.post(url, {"form": "figures", "population": "1"}).status_code == 403
    tree.community.refresh_from_db()
    assert tree.community.population == 8000


def test_console_to_do_panel_counts_only_the_users_scope(tree: Any, make_user: Any,
                                                         client: Client) -> None:
    officer = make_user("street_officer", tree.street.code)
    client.force_login(officer)
    html = client.get("/console/").content.decode()
    assert "待办" in html and "超期办件" in html and "进行中的选举" in html
    resident = make_user("resident", tree.community.code)
    from shequ.core.registry import CONSOLE

    assert [i for p in CONSOLE for i in p(resident)] == []
