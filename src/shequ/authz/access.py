"""The one permission check, used by pages, the API, the CLI and every service alike.

A user may do ``perm`` at ``area_code`` when one of their grants gives a role holding
``perm`` at a code that ``area_code`` starts with. A superuser may do everything. An
undeclared permission name raises :class:`~shequ.authz.registry.UnknownPermission`.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from shequ.authz.registry import ROLE_PERMISSIONS, require_declared
from shequ.core.errors import AuthRequired, Forbidden


class SystemActor:
    """The operator on the server (CLI, demo loader, periodic jobs): may do everything,
    and is named "system" in the audit log. Pages and the API never use it."""

    pk = None
    id = None
    username = "system"
    is_authenticated = True
    is_active = True
    is_superuser = True
    is_staff = True

    def get_username(self) -> str:
        return self.username

    def __str__(self) -> str:
        return "system"


SYSTEM = SystemActor()


# Grants loaded by this process, keyed by (user id, grants stamp): the stamp is read with
# the user row on every request and changes with any change of grants, so an entry is
# never stale, only unused (ADR 0010). Bounded; cleared when full.
_PROCESS_GRANTS: dict[tuple[int, str], list[tuple[str, str]]] = {}
_PROCESS_GRANTS_MAX = 10_000


def _grants(user: Any) -> list[tuple[str, str]]:
    cached: list[tuple[str, str]] | None = getattr(user, "_shequ_grants", None)
    if cached is None:
        if not user.pk:
            cached = []
        else:
            key = (user.pk, getattr(user, "grants_stamp", ""))
            cached = _PROCESS_GRANTS.get(key) if key[1] else None
            if cached is None:
                cached = list(user.grants.values_list("role", "area_code"))
                if key[1]:
                    if len(_PROCESS_GRANTS) >= _PROCESS_GRANTS_MAX:
                        _PROCESS_GRANTS.clear()
                    _PROCESS_GRANTS[key] = cached
        user._shequ_grants = cached
    return cached


def forget(user: Any) -> None:
    """Drop what this process remembers of ``user``'s grants after they change."""
    if hasattr(user, "_shequ_grants"):
        del user._shequ_grants
    pk = getattr(user, "pk", None)
    for key in list(_PROCESS_GRANTS):  # a copy taken at once: other threads may add meanwhile
        if key[0] == pk:
            _PROCESS_GRANTS.pop(key, None)


def scope_codes(user: Any, perm: str) -> list[str] | None:
    """Area codes where ``user`` holds ``perm``; ``None`` means everywhere (superuser).

    Codes covered by a shorter code in the list are dropped.
    """
    require_declared(perm)
    if user is None or not user.is_authenticated or not user.is_active:
        return []
    if user.is_superuser:
        return None
    codes = sorted({code for role, code in _grants(user) if perm in ROLE_PERMISSIONS.get(role, ())})
    kept: list[str] = []
    for code in codes:
        if not any(code.startswith(k) for k in kept):
            kept.append(code)
    return kept


def has_perm(user: Any, perm: str, area_code: str | None = None) -> bool:
    """``area_code=None`` asks whether the user holds ``perm`` anywhere."""
    codes = scope_codes(user, perm)
    if codes is None:
        return True
    if area_code is None:
        return bool(codes)
    return any(area_code.startswith(code) for code in codes)


def check(user: Any, perm: str, area_code: str | None = None) -> None:
    """Raise unless allowed: :class:`AuthRequired` for anonymous users, else
    :class:`Forbidden` naming the permission only: the area is often the area of an object
    the caller named by its id, and saying it would tell where an object lies that the
    caller may not see (issue 13, ADR 0020)."""
    if user is None or not user.is_authenticated:
        require_declared(perm)
        raise AuthRequired()
    if not has_perm(user, perm, area_code):
        raise Forbidden(details={"permission": str(perm)})


def scope_q(user: Any, perm: str, field: str = "area_code") -> Q:
    """A filter for rows whose ``field`` lies inside the user's scope for ``perm``.

    Prefix matches (``LIKE 'code%'``) use the ``varchar_pattern_ops`` indexes on
    PostgreSQL; an empty scope matches nothing.
    """
    codes = scope_codes(user, perm)
    if codes is None:
        return Q()
    if not codes:
        return Q(pk__in=[])
    q = Q()
    for code in codes:
        q |= Q(**{f"{field}__startswith": code})
    return q
