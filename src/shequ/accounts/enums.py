"""The vocabulary of ``accounts``: permissions."""

from __future__ import annotations

from enum import StrEnum


class Perm(StrEnum):
    MANAGE = "accounts.manage"


class AuditAction(StrEnum):
    USER_CREATE = "accounts.user.create"
    ROLE_GRANT = "accounts.role.grant"
    ROLE_REVOKE = "accounts.role.revoke"
    TOKEN_ISSUE = "accounts.token.issue"  # noqa: S105  (an audit action, not a secret)
    PASSWORD_CHANGE = "accounts.password.change"  # noqa: S105
    PASSWORD_RESET = "accounts.password.reset"  # noqa: S105
    USER_UPDATE = "accounts.user.update"
    USER_DISABLE = "accounts.user.disable"
    USER_ENABLE = "accounts.user.enable"


class Code(StrEnum):
    INVALID_AREA_CODE = "invalid_area_code"
    UNKNOWN_ROLE = "unknown_role"
    USERNAME_TAKEN = "username_taken"
    WEAK_PASSWORD = "weak_password"  # noqa: S105  (an error code, not a secret)
    WRONG_PASSWORD = "wrong_password"  # noqa: S105
    SAME_PASSWORD = "same_password"  # noqa: S105
    NAME_TOO_LONG = "name_too_long"
    SELF_DISABLE = "self_disable"
    UNKNOWN_USER = "unknown_user"
