"""API authentication: a bearer token for programs, the session (with CSRF) for pages.

ADR 0004: a request without a user is a 401 ``auth_required``, whatever its method. The
session's CSRF check therefore runs only once a signed-in session was found (an anonymous
write is not a CSRF failure but a missing sign-in), and a bearer token needs none: no
browser sends it by itself.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from ninja.security import APIKeyCookie, HttpBearer
from ninja.utils import check_csrf

from shequ.accounts.selectors import user_for_token
from shequ.core.errors import Forbidden


class CsrfFailed(Forbidden):
    default_code = "csrf_failed"
    default_message = _("The page's security token is missing or out of date. Reload the "
                        "page and try again.")


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = user_for_token(token)
        if user is not None:
            request.user = user
        return user


class SessionAuth(APIKeyCookie):
    """Django's session; the cookie name comes from settings like Django's own."""

    param_name = "sessionid"

    def __call__(self, request: HttpRequest) -> Any:
        user = self.authenticate(request, request.COOKIES.get(self.param_name))
        if user is None:
            return None  # no session: 401 from the API, not a CSRF failure
        if not getattr(request, "_ninja_csrf_exempt", False) and check_csrf(request):
            raise CsrfFailed()
        return user

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.is_active:
            return user
        return None


def optional_user(request: HttpRequest) -> Any:
    """For public endpoints: the signed-in user, or anonymous."""
    return getattr(request, "user", None)
