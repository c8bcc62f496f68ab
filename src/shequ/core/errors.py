"""One error type for business rules.

Every refusal in the product is a :class:`BusinessError` with a stable ``code`` (for
programs), a translatable ``message`` (for people) and ``details`` (what exactly was
wrong). The API maps it to ``{"code", "message", "details"}``, pages to a readable notice,
the CLI to a message on stderr and a non-zero exit; so the three never disagree.
"""

from __future__ import annotations

from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class BusinessError(Exception):
    """A use case refused: nothing was changed."""

    status = 400
    default_code = "invalid"
    default_message: str | Promise = _("The request could not be carried out.")

    def __init__(
        self,
        message: str | Promise | None = None,
        *,
        code: str | None = None,
        details: dict[str, Any] | None = None,
        status: int | None = None,
    ) -> None:
        self.message = message if message is not None else self.default_message
        self.code = code or self.default_code
        self.details = details or {}
        if status is not None:
            self.status = status
        super().__init__(str(self.message))

    def as_dict(self) -> dict[str, Any]:
        return {"code": self.code, "message": str(self.message), "details": _plain(self.details)}


class NotFound(BusinessError):
    status = 404
    default_code = "not_found"
    default_message = _("Not found.")


class Forbidden(BusinessError):
    status = 403
    default_code = "forbidden"
    default_message = _("You do not have permission to do this here.")


class AuthRequired(BusinessError):
    status = 401
    default_code = "auth_required"
    default_message = _("Please sign in. Your session may have expired.")


class Conflict(BusinessError):
    status = 409
    default_code = "conflict"
    default_message = _("This conflicts with the current state.")


class InvalidTransition(Conflict):
    default_code = "invalid_transition"
    default_message = _("This step is not allowed in the current state.")


def _plain(value: Any) -> Any:
    """Make lazy translation strings in details JSON-serialisable."""
    if isinstance(value, Promise):
        return str(value)
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value
