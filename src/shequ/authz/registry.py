"""Declared permissions and the roles that hold them.

Each module names its permissions in an enum (``<module>/enums.py``: ``class Perm(StrEnum)``,
values ``"<module>.<verb>"`` or ``"<module>.<noun>.<verb>"``) and declares it with the roles
that hold each one in its ``AppConfig.ready`` (Saleor's permission enums, Decidim's
manifest). The check refuses a name nobody declared with :class:`UnknownPermission`, so a
typo fails loudly in the first test instead of silently forbidding everyone.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from enum import StrEnum

from shequ.authz.roles import Role


class UnknownPermission(LookupError):
    """A permission name no module declared: a programming error, never a refusal."""


ROLE_PERMISSIONS: dict[str, set[str]] = {role.value: set() for role in Role}
_DECLARED: dict[str, str] = {}  # permission -> declaring enum's qualified name


def declare(perms: type[StrEnum], grants: Mapping[StrEnum, Iterable[Role]]) -> None:
    """Declare a module's permissions and which roles hold each.

    Every member must carry its module's prefix (``services.``); declaring the same name
    from two enums is an error. Calling it again with the same enum is harmless (Django
    may run ``ready()`` twice in tests).
    """
    owner = f"{perms.__module__}.{perms.__qualname__}"
    for member in perms:
        name = member.value
        if "." not in name:
            raise ValueError(f"permission {name!r} lacks its module prefix")
        if _DECLARED.get(name, owner) != owner:
            raise ValueError(f"permission {name!r} declared twice ({_DECLARED[name]}, {owner})")
        _DECLARED[name] = owner
    for perm, roles in grants.items():
        if perm.value not in _DECLARED:
            raise UnknownPermission(perm.value)
        for role in roles:
            ROLE_PERMISSIONS[Role(role).value].add(perm.value)


def require_declared(perm: str) -> str:
    if perm not in _DECLARED:
        raise UnknownPermission(
            f"permission {perm!r} was never declared (see authz.declare); known: "
            f"{', '.join(sorted(_DECLARED)) or 'none'}")
    return perm


def declared() -> list[str]:
    return sorted(_DECLARED)


def permissions_of(role: str) -> frozenset[str]:
    return frozenset(ROLE_PERMISSIONS.get(role, ()))


def roles_with(perm: str) -> list[str]:
    """The roles that hold ``perm`` (for "who may act here" questions)."""
    require_declared(perm)
    return sorted(role for role, perms in ROLE_PERMISSIONS.items() if perm in perms)
