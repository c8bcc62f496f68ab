"""Reads about accounts."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shequ import authz
from shequ.accounts.enums import Code, Perm
from shequ.accounts.models import ApiToken, Grant, User
from shequ.core.errors import NotFound


def grants_of(user: Any) -> list[Grant]:
    if not user.is_authenticated:
        return []
    return list(Grant.objects.filter(user=user).order_by("area_code", "role"))


def grants_in_scope(*, user: Any) -> list[Grant]:
    """Role grants at areas the user manages (``accounts.manage``)."""
    authz.check(user, Perm.MANAGE)
    return list(Grant.objects.filter(authz.scope_q(user, Perm.MANAGE))
                .select_related("user").order_by("area_code", "user__username", "role"))


def user_for_token(key: str) -> User | None:
    token = (ApiToken.objects.select_related("user")
             .filter(key_hash=ApiToken.hash_key(key), revoked=False).first())
    if token is None or not token.user.is_active:
        return None
    now = timezone.now()
    # Record use at most once a minute: a write on every request would double the cost of
    # cheap calls for a figure nobody reads to the second.
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


def user_named(username: str) -> User | None:
    """The account with this user name (administration pages check their own permission)."""
    return User.objects.filter(username=username).first()


def users_in_scope(*, user: Any) -> QuerySet[User]:
    """Accounts holding a role somewhere in the administrator's scope."""
    authz.check(user, Perm.MANAGE)
    ids = Grant.objects.filter(authz.scope_q(user, Perm.MANAGE)).values("user_id")
    return User.objects.filter(pk__in=ids).order_by("username", "pk")


def managed_user(*, user: Any, username: str) -> User:
    """One account the administrator may manage; any other (or none) is "no such user",
    so the page does not tell which names exist elsewhere."""
    target = users_in_scope(user=user).filter(username=username).first()
    if target is None:
        raise NotFound(_("No user named %(u)s in your areas.") % {"u": username},
                       code=Code.UNKNOWN_USER)
    return target


def grants_of_users(ids: list[int]) -> list[Grant]:
    return list(Grant.objects.filter(user_id__in=ids).order_by("user_id", "area_code", "role"))
