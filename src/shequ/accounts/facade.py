"""What other modules may use of ``accounts`` (the only way in: nobody else imports
``accounts.models``; ADR 0011).

These functions are not scoped to a caller: they serve other modules' services, which
have already checked their actor's permission.
"""

from __future__ import annotations

from typing import Any

from shequ import authz
from shequ.accounts.models import ApiToken, Grant, User

__all__ = ["ApiToken", "User", "holders", "user_by_id", "users_by_id"]


def holders(perm: str, area_code: str) -> list[User]:
    """Active users who hold ``perm`` at ``area_code`` or at an area above it (the people a
    notice about that area goes to: supervisors, handlers)."""
    roles = authz.roles_with(perm)
    prefixes = [area_code[:n] for n in (2, 4, 6, 9, 12, 15) if n <= len(area_code)]
    ids = Grant.objects.filter(role__in=roles, area_code__in=prefixes).values_list("user_id",
                                                                                 flat=True)
    return list(User.objects.filter(pk__in=ids, is_active=True).order_by("pk"))


def user_by_id(user_id: int) -> User | None:
    return User.objects.filter(pk=user_id).first()


def users_by_id(ids: list[int]) -> dict[int, User]:
    return {u.pk: u for u in User.objects.filter(pk__in=ids)}


def display_name(user: Any) -> str:
    """The name a page shows for a user: the real name if known, else the user name."""
    if user is None:
        return ""
    return str(getattr(user, "display_name", "") or user.get_username())




def user_by_username(username: str) -> User | None:
    """An active user by user name (linking a user to act for an organisation; demos)."""
    return User.objects.filter(username=username.strip(), is_active=True).first()
