"""Sign-in with lock-out after repeated failures (ADR 0004).

Failures are counted per name tried, whether or not such a user exists, so neither the
message nor the lock-out tells an attacker which names are real.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.hashers import make_password
from django.http import HttpRequest
from django.utils import timezone

from shequ.accounts.models import LoginFailure


def is_locked(username: str) -> bool:
    since = timezone.now() - timedelta(seconds=settings.SHEQU_LOGIN_WINDOW_SECONDS)
    recent = LoginFailure.objects.filter(name_key=LoginFailure.key_for(username), at__gte=since)
    return recent.count() >= settings.SHEQU_LOGIN_MAX_FAILURES


class LockoutBackend(ModelBackend):
    def authenticate(self, request: HttpRequest | None, username: str | None = None,
                     password: str | None = None, **kwargs: Any) -> Any:
        if not username or password is None:
            return None
        if is_locked(username):
            if request is not None:
                request.shequ_login_locked = True  # type: ignore[attr-defined]
            # Spend the same work as a real check so timing does not tell either.
            make_password(password)
            return None
        user = super().authenticate(request, username=username, password=password, **kwargs)
        key = LoginFailure.key_for(username)
        if user is None:
            ip = request.META.get("REMOTE_ADDR") if request is not None else None
            LoginFailure.objects.create(name_key=key, ip=ip)
        else:
            LoginFailure.objects.filter(name_key=key).delete()
        return user
