from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from shequ.accounts.services import issue_token
from shequ.authz import SYSTEM


def bearer(user: Any) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {issue_token(actor=SYSTEM, user=user, name='t')}"}


@pytest.mark.django_db
def test_health_is_public(client: Client) -> None:
    assert client.get("/api/v1/health").json()["status"] == "ok"


@pytest.mark.django_db
def test_anonymous_gets_401_with_the_error_shape(client: Client) -> None:
    r = client.get("/api/v1/me")
    assert r.status_code == 401
    assert set(r.json()) == {"code", "message", "details"}
    assert r.json()["code"] == "auth_required"


def test_me_and_areas_with_token(tree: Any, make_user: Any, client: Client) -> None:
    officer = make_user("street_officer", tree.street.code, username="jiedao")
    h = bearer(officer)
    me = client.get("/api/v1/me", **h).json()
    assert me["username"] == "jiedao"
    assert me["grants"][0]["area_code"] == tree.street.code
    areas = client.get("/api/v1/areas", **h).json()
    assert [a["code"] for a in areas["items"]] == ["510104022", "510104022009",
                                                   "510104022009001", "510104022011"]
    assert areas["next"] is None
    first = client.get("/api/v1/areas?limit=3", **h).json()
    rest = client.get(f"/api/v1/areas?limit=3&cursor={first['next']}", **h).json()
    assert [a["code"] for a in first["items"] + rest["items"]] == [
        a["code"] for a in areas["items"]]
    bad = client.get("/api/v1/areas?cursor=zzz", **h)
    assert bad.status_code == 400 and bad.json()["code"] == "bad_cursor"
    assert client.get("/api/v1/areas?limit=0", **h).status_code == 422
    assert client.get("/api/v1/areas?limit=201", **h).status_code == 422
    one = client.get(f"/api/v1/areas/{tree.community.code}", **h).json()
    assert one["parent_code"] == tree.street.code
    figures = client.get(f"/api/v1/areas/{tree.street.code}/figures", **h).json()
    assert figures["communities"] == 2


def test_out_of_scope_and_unknown_codes(tree: Any, make_user: Any, client: Client) -> None:
    h = bearer(make_user("street_officer", tree.street.code))
    r = client.get(f"/api/v1/areas/{tree.agricultural.code}", **h)
    assert r.status_code == 403 and r.json()["code"] == "forbidden"
    r = client.get("/api/v1/areas/510104022999", **h)
    assert r.status_code == 404 and r.json()["code"] == "unknown_area"
    assert r.json()["details"] == {"area_code": "510104022999"}


def test_messages_follow_accept_language(tree: Any, make_user: Any, client: Client) -> None:
    h = bearer(make_user("street_officer", tree.street.code))
    zh = client.get("/api/v1/areas/510104022999", HTTP_ACCEPT_LANGUAGE="zh-CN", **h).json()
    en = client.get("/api/v1/areas/510104022999", HTTP_ACCEPT_LANGUAGE="en", **h).json()
    assert en["message"] == "Unknown area code: 510104022999."
    assert zh["message"] == "未知的区划代码:510104022999。"


def test_session_auth_and_expired_session(tree: Any, make_user: Any, client: Client) -> None:
    officer = make_user("street_officer", tree.street.code)
    client.force_login(officer)
    assert client.get("/api/v1/me").status_code == 200
    client.session.flush()
    client.cookies["sessionid"] = "expired-session-key"
    r = client.get("/api/v1/me")
    assert r.status_code == 401 and r.json()["code"] == "auth_required"


def test_revoked_token_is_refused(tree: Any, make_user: Any, client: Client) -> None:
    user = make_user("resident", tree.community.code)
    h = bearer(user)
    user.api_tokens.update(revoked=True)
    assert client.get("/api/v1/me", **h).status_code == 401


def test_history_and_public_stations(tree: Any, make_user: Any, client: Client) -> None:
    r = client.get(f"/api/v1/areas/{tree.street.code}/stations")
    assert r.status_code == 200
    assert r.json()["items"][0]["serves"] == [tree.community.code, tree.community2.code]


def test_write_endpoints_check_scope_and_validate(tree: Any, make_user: Any, client: Client) -> None:
    admin = bearer(make_user("civil_affairs", "510104"))
    officer = bearer(make_user("street_officer", tree.street.code))
    r = client.patch(f"/api/v1/areas/{tree.community.code}/figures",
                     data={"population": 8100}, content_type="application/json", **officer)
    assert r.status_code == 403
    r = client.patch(f"/api/v1/areas/{tree.community.code}/figures",
                     data={"population": 8100}, content_type="application/json", **admin)
    assert r.status_code == 200 and r.json()["population"] == 8100
    bowtie = {"type": "Polygon", "coordinates": [[[104.08, 30.65], [104.09, 30.66], [104.09, 30.65],
                                                  [104.08, 30.66], [104.08, 30.65]]]}
    r = client.put(f"/api/v1/areas/{tree.community.code}/geometry", data={"boundary": bowtie},
                   content_type="application/json", **admin)
    assert r.status_code == 400 and r.json()["code"] == "invalid_geometry"
    r = client.post(f"/api/v1/areas/{tree.community.code}/compounds", data={"name": "新院"},
                    content_type="application/json", **admin)
    assert r.status_code == 201 and r.json()["code"].startswith(tree.community.code)
    r = client.post(f"/api/v1/areas/{tree.community.code}/compounds", data={},
                    content_type="application/json", **admin)
    assert r.status_code == 422 and r.json()["code"] == "invalid_input"


@pytest.mark.parametrize("figure", [10**30, -1, 200_000_001])
def test_figures_out_of_range_are_refused_not_a_server_error(tree: Any, make_user: Any,
                                                            client: Client, figure: int) -> None:
    admin = bearer(make_user("civil_affairs", "510104"))
    r = client.patch(f"/api/v1/areas/{tree.community.code}/figures",
                     data={"population": figure}, content_type="application/json", **admin)
    assert r.status_code == 422 and r.json()["code"] == "invalid_input"


def test_anonymous_writes_are_401_not_a_csrf_failure(tree: Any, make_user: Any) -> None:
    """ADR 0004 (issue 13 item 8): no user is a 401 auth_required, whatever the method."""
    browser = Client(enforce_csrf_checks=True)
    url = f"/api/v1/areas/{tree.community.code}/figures"
    r = browser.patch(url, data={"population": 8100}, content_type="application/json")
    assert r.status_code == 401
    assert r.json() == {"code": "auth_required", "message": "请登录。您的会话可能已过期。",
                        "details": {}}


def test_session_writes_need_the_csrf_token_and_token_writes_do_not(tree: Any,
                                                                  make_user: Any) -> None:
    admin = make_user("civil_affairs", "510104")
    url = f"/api/v1/areas/{tree.community.code}/figures"
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(admin)
    r = browser.patch(url, data={"population": 8100}, content_type="application/json")
    assert r.status_code == 403
    assert r.json() == {"code": "csrf_failed", "details": {},
                        "message": "页面的安全令牌缺失或已过期。请刷新页面后重试。"}
    browser.get("/")  # the page sets the CSRF cookie
    token = browser.cookies["csrftoken"].value
    r = browser.patch(url, data={"population": 8200}, content_type="application/json",
                      HTTP_X_CSRFTOKEN=token)
    assert r.status_code == 200 and r.json()["population"] == 8200
    program = Client(enforce_csrf_checks=True)
    r = program.patch(url, data={"population": 8300}, content_type="application/json",
                      **bearer(admin))
    assert r.status_code == 200 and r.json()["population"] == 8300
