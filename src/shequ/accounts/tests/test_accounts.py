from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import authenticate

from shequ import authz
from shequ.accounts.models import User
from shequ.accounts.services import create_user, grant_role, issue_token
from shequ.accounts.tests.factories import PASSWORD
from shequ.audit.models import AuditEntry
from shequ.authz import SYSTEM
from shequ.core.errors import AuthRequired, BusinessError, Conflict, Forbidden


@pytest.mark.django_db
def test_scope_covers_every_code_below(make_user: Any) -> None:
    officer = make_user("street_officer", "510104022")
    assert authz.has_perm(officer, "web.console", "510104022")
    assert authz.has_perm(officer, "web.console", "510104022009001")
    assert not authz.has_perm(officer, "web.console", "510104037")
    assert not authz.has_perm(officer, "web.console", "510104")
    assert not authz.has_perm(officer, "areas.manage", "510104022")


@pytest.mark.django_db
def test_resident_has_no_staff_console(make_user: Any) -> None:
    resident = make_user("resident", "510104022009")
    assert authz.has_perm(resident, "areas.view", "510104022009")
    assert not authz.has_perm(resident, "web.console")


@pytest.mark.django_db
def test_check_distinguishes_anonymous_and_forbidden(make_user: Any) -> None:
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(AuthRequired):
        authz.check(AnonymousUser(), "areas.view", "510104")
    with pytest.raises(Forbidden) as err:
        authz.check(make_user("street_officer", "510104022"), "areas.view", "510104037")
    assert err.value.details == {"permission": "areas.view"}  # never where (ADR 0020)


@pytest.mark.django_db
def test_scope_codes_drop_covered_codes(make_user: Any) -> None:
    user = make_user("street_officer", "510104022",
                     grants=[("street_officer", "510104022009"), ("street_officer", "510104037")])
    assert authz.scope_codes(user, "web.console") == ["510104022", "510104037"]
    assert authz.scope_codes(SYSTEM, "web.console") is None


@pytest.mark.django_db
def test_argon2_is_the_password_hasher(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.Argon2PasswordHasher"]
    user = create_user(actor=SYSTEM, username="li", password="a-long-enough-passphrase")
    assert user.password.startswith("argon2$")


@pytest.mark.django_db
def test_lockout_after_repeated_failures_same_answer_for_unknown_users(
        make_user: Any, settings: Any) -> None:
    settings.SHEQU_LOGIN_MAX_FAILURES = 3
    make_user("resident", "510104022009", username="zhang")
    for _ in range(3):
        assert authenticate(username="zhang", password="wrong") is None
    # locked: even the right password is refused now
    assert authenticate(username="zhang", password=PASSWORD) is None
    # an unknown name locks the same way, so lock-out reveals nothing
    for _ in range(3):
        assert authenticate(username="ghost", password="wrong") is None
    from shequ.accounts.backends import is_locked

    assert is_locked("zhang") and is_locked("ghost")


@pytest.mark.django_db
def test_success_clears_failures(make_user: Any, settings: Any) -> None:
    settings.SHEQU_LOGIN_MAX_FAILURES = 3
    make_user("resident", "510104022009", username="wang")
    authenticate(username="wang", password="wrong")
    authenticate(username="wang", password="wrong")
    assert authenticate(username="wang", password=PASSWORD) is not None
    authenticate(username="wang", password="wrong")
    authenticate(username="wang", password="wrong")
    assert authenticate(username="wang", password=PASSWORD) is not None


@pytest.mark.django_db
def test_create_user_is_audited_and_refuses_bad_input(make_user: Any) -> None:
    admin = make_user("district_admin", "510104")
    user = create_user(actor=admin, username="newbie", password="a-long-enough-passphrase",
                       grants=[("station_worker", "510104022009")])
    assert AuditEntry.objects.filter(action="accounts.user.create", object_id=str(user.pk)).exists()
    with pytest.raises(Conflict):
        create_user(actor=admin, username="newbie", password="a-long-enough-passphrase")
    with pytest.raises(BusinessError) as err:
        create_user(actor=admin, username="x1", password="a-long-enough-passphrase",
                    grants=[("king", "510104")])
    assert err.value.code == "unknown_role"
    with pytest.raises(BusinessError) as err:
        create_user(actor=admin, username="x2", password="short")
    assert err.value.code == "weak_password"
    assert not User.objects.filter(username__in=["x1", "x2"]).exists()


@pytest.mark.django_db
def test_street_officer_cannot_grant_roles(make_user: Any) -> None:
    officer = make_user("street_officer", "510104022")
    target = make_user()
    with pytest.raises(Forbidden):
        grant_role(actor=officer, user=target, role="district_admin", area_code="510104")
    assert not target.grants.exists()


@pytest.mark.django_db
def test_token_is_stored_hashed(make_user: Any) -> None:
    user = make_user("resident", "510104022009")
    key = issue_token(actor=user, user=user, name="phone")
    assert key.startswith("shq_")
    assert not user.api_tokens.filter(key_hash=key).exists()
    other = make_user("resident", "510104022009")
    with pytest.raises(Forbidden):
        issue_token(actor=other, user=user, name="steal")


@pytest.mark.django_db
def test_old_login_failures_are_pruned(settings: Any) -> None:
    from datetime import timedelta

    from django.utils import timezone

    from shequ.accounts.models import LoginFailure
    from shequ.accounts.tasks import prune_login_failures

    old = LoginFailure.objects.create(name_key="a")
    LoginFailure.objects.filter(pk=old.pk).update(at=timezone.now() - timedelta(days=1))
    LoginFailure.objects.create(name_key="b")
    prune_login_failures.enqueue()
    assert list(LoginFailure.objects.values_list("name_key", flat=True)) == ["b"]
