"""Periodic housekeeping for sign-in records."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from shequ.accounts.models import LoginFailure
from shequ.core.jobs import periodic, task


@periodic("accounts.prune_login_failures", timedelta(hours=1))
@task()
def prune_login_failures() -> int:
    """Drop failure records older than the lock-out window: they no longer count, and
    keeping them would keep personal data (IP addresses) longer than needed (PIPL Art. 19)."""
    cutoff = timezone.now() - timedelta(seconds=settings.SHEQU_LOGIN_WINDOW_SECONDS)
    deleted, _rows = LoginFailure.objects.filter(at__lt=cutoff).delete()
    return deleted
