"""Who may do what, where: roles, declared permissions and the one permission check.

This package sits just above ``core`` and below ``audit`` and ``accounts``, so every layer
(the calendar's data entry, the audit log's reader, each domain module) asks the same
question the same way without reaching up. It reads a user's grants through the
``user.grants`` relation and never imports ``accounts.models`` (ADR 0011).
"""

from shequ.authz.access import (
    SYSTEM,
    SystemActor,
    check,
    forget,
    has_perm,
    scope_codes,
    scope_q,
)
from shequ.authz.registry import (
    ROLE_PERMISSIONS,
    UnknownPermission,
    declare,
    declared,
    permissions_of,
    roles_with,
)
from shequ.authz.roles import STAFF_ROLES, Role

__all__ = [
    "ROLE_PERMISSIONS",
    "STAFF_ROLES",
    "SYSTEM",
    "Role",
    "SystemActor",
    "UnknownPermission",
    "check",
    "declare",
    "declared",
    "forget",
    "has_perm",
    "permissions_of",
    "roles_with",
    "scope_codes",
    "scope_q",
]
