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


class Code(StrEnum):
    INVALID_AREA_CODE = "invalid_area_code"
    UNKNOWN_ROLE = "unknown_role"
    USERNAME_TAKEN = "username_taken"
    WEAK_PASSWORD = "weak_password"  # noqa: S105  (an error code, not a secret)
