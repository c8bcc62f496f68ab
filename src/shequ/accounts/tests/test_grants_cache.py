"""Grants are kept per process under the user's grants stamp; a change of grants, by
whatever path, moves the stamp, so another request (another process) never acts on
grants that no longer hold."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from shequ import authz
from shequ.accounts.models import Grant, User
from shequ.accounts.services import grant_role, revoke_role
from shequ.authz import SYSTEM

pytestmark = pytest.mark.django_db


def _request_user(pk: int) -> User:
    """The user as the next request loads it (session or token)."""
    return User.objects.get(pk=pk)


def test_second_request_skips_the_grants_query(make_user: Any) -> None:
    officer = make_user("street_officer", "510104022")
    assert authz.has_perm(_request_user(officer.pk), "web.console", "510104022")
    again = _request_user(officer.pk)
    with CaptureQueriesContext(connection) as ctx:
        assert authz.has_perm(again, "web.console", "510104022")
    assert len(ctx) == 0


def test_revoke_through_the_service_is_seen_by_the_next_request(make_user: Any) -> None:
    officer = make_user("street_officer", "510104022")
    assert authz.has_perm(_request_user(officer.pk), "web.console", "510104022")
    revoke_role(actor=SYSTEM, user=_request_user(officer.pk), role="street_officer",
                area_code="510104022")
    assert not authz.has_perm(_request_user(officer.pk), "web.console", "510104022")
    grant_role(actor=SYSTEM, user=_request_user(officer.pk), role="street_officer",
               area_code="510104037")
    later = _request_user(officer.pk)
    assert authz.has_perm(later, "web.console", "510104037")
    assert not authz.has_perm(later, "web.console", "510104022")


def test_changes_outside_the_services_move_the_stamp_too(make_user: Any) -> None:
    """The Django admin and fixtures write Grant rows directly."""
    user = make_user("resident", "510104022009")
    before = _request_user(user.pk)
    assert not authz.has_perm(before, "web.console", "510104022")
    grant = Grant.objects.create(user_id=user.pk, role="street_officer", area_code="510104022")
    assert _request_user(user.pk).grants_stamp != before.grants_stamp
    assert authz.has_perm(_request_user(user.pk), "web.console", "510104022")
    Grant.objects.filter(pk=grant.pk).delete()
    assert not authz.has_perm(_request_user(user.pk), "web.console", "510104022")


def test_the_callers_user_object_follows_its_own_change(make_user: Any) -> None:
    user = make_user("resident", "510104022009")
    assert not authz.has_perm(user, "web.console", "510104022")
    grant_role(actor=SYSTEM, user=user, role="street_officer", area_code="510104022")
    assert authz.has_perm(user, "web.console", "510104022")
    assert user.grants_stamp == _request_user(user.pk).grants_stamp
