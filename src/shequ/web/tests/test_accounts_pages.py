"""Accounts through the pages: one's own password; an administrator edits, resets,
disables and enables the accounts in their areas, and no others."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from shequ.accounts.models import User
from shequ.accounts.tests.factories import PASSWORD
from shequ.audit.models import AuditEntry

pytestmark = pytest.mark.django_db


def test_everyone_changes_their_own_password(tree: Any, make_user: Any, client: Client) -> None:
    resident = make_user("resident", tree.community.code, username="jumin")
    client.force_login(resident)
    page = client.get("/account/").content.decode()
    assert "修改我的密码" in page and "您以 <span class=\"code\">jumin</span> 的身份登录。" in page
    wrong = client.post("/account/", {"old_password": "nope", "new_password": "a-new-long-phrase",
                                      "repeat": "a-new-long-phrase"}).content.decode()
    assert "当前密码不正确。" in wrong
    differ = client.post("/account/", {"old_password": PASSWORD, "new_password": "a-new-long-phrase",
                                       "repeat": "another-phrase"}).content.decode()
    assert "两次输入的新密码不一致。" in differ
    ok = client.post("/account/", {"old_password": PASSWORD, "new_password": "a-new-long-phrase",
                                   "repeat": "a-new-long-phrase"}, follow=True)
    assert "新密码已生效。" in ok.content.decode()
    assert client.get("/me/").status_code == 200  # still signed in on this browser
    resident.refresh_from_db()
    assert resident.check_password("a-new-long-phrase")
    assert AuditEntry.objects.filter(action="accounts.password.change").count() == 1


def test_an_administrator_resets_edits_disables_and_enables(tree: Any, make_user: Any,
                                                            client: Client) -> None:
    admin = make_user("district_admin", "510104")
    worker = make_user("community_worker", tree.community.code, username="shequ1")
    client.force_login(admin)
    listing = client.get("/console/users/").content.decode()
    assert 'href="/console/users/shequ1/"' in listing
    client.post("/console/users/shequ1/", {"form": "name", "d-display_name": "李华"})
    r = client.post("/console/users/shequ1/", {"form": "reset", "p-new_password": "temporary-phrase-1"},
                    follow=True)
    assert "shequ1 的密码已重置。请当面告知本人，并请其登录后修改。" in r.content.decode()
    page = client.post("/console/users/shequ1/", {"form": "disable"}, follow=True).content.decode()
    assert "账户已停用。" in page and "此账户已停用：不能登录，也不能使用其 API 令牌。" in page
    assert 'data-confirm="重置 shequ1 的密码？"' in page
    worker.refresh_from_db()
    assert (worker.display_name, worker.is_active) == ("李华", False)
    assert worker.check_password("temporary-phrase-1")
    assert not Client().login(username="shequ1", password="temporary-phrase-1")
    client.post("/console/users/shequ1/", {"form": "enable"})
    worker.refresh_from_db()
    assert worker.is_active
    assert [e.action for e in AuditEntry.objects.order_by("id")] == [
        "accounts.user.update", "accounts.password.reset", "accounts.user.disable",
        "accounts.user.enable"]


def test_an_administrator_cannot_touch_accounts_outside_their_areas(tree: Any, make_user: Any,
                                                                    client: Client) -> None:
    street_admin = make_user("district_admin", tree.street.code)
    make_user("community_worker", tree.agricultural.code, username="elsewhere")
    both = make_user("community_worker", tree.community.code, username="both",
                     grants=[("street_officer", tree.agricultural.code[:9])])
    client.force_login(street_admin)
    r = client.get("/console/users/elsewhere/")
    assert r.status_code == 404 and "您管辖的地区没有名为 elsewhere 的用户。" in r.content.decode()
    r = client.post("/console/users/both/", {"form": "reset", "p-new_password": "temporary-phrase-1"})
    assert r.status_code == 200 and "您无权" in r.content.decode()
    both.refresh_from_db()
    assert both.check_password(PASSWORD)


def test_nobody_disables_their_own_account(tree: Any, make_user: Any, client: Client) -> None:
    admin = make_user("district_admin", "510104", username="guanli")
    client.force_login(admin)
    page = client.get("/console/users/guanli/").content.decode()
    assert "停用此账户" not in page
    r = client.post("/console/users/guanli/", {"form": "disable"})
    assert "您不能停用自己的账户。" in r.content.decode()
    assert User.objects.get(pk=admin.pk).is_active


def test_a_weak_new_password_is_refused(tree: Any, make_user: Any, client: Client) -> None:
    client.force_login(make_user("district_admin", "510104"))
    make_user("community_worker", tree.community.code, username="shequ2")
    r = client.post("/console/users/shequ2/", {"form": "reset", "p-new_password": "1234567890"})
    assert "这个密码太常见了。" in r.content.decode()
