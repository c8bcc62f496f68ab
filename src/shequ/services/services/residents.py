"""What residents do besides filing: read their notifications, ask the public progress
query (with its brake against guessing the phone digits)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shequ.core.errors import AuthRequired, BusinessError, NotFound
from shequ.services import rules, selectors
from shequ.services.enums import Code
from shequ.services.models import Notification, ProgressFailure
from shequ.services.services.common import STREET_LENGTH, now_or


def mark_read(*, actor: Any, notification_ids: Sequence[int]) -> int:
    """Mark one's own notifications read (no audit entry: nothing official changes)."""
    if actor is None or not getattr(actor, "is_authenticated", False) or not getattr(actor, "pk", None):
        raise AuthRequired()
    return Notification.objects.filter(pk__in=list(notification_ids), user=actor,
                                       read_at__isnull=True).update(read_at=timezone.now())


def query_progress(*, number: str, phone_last4: str, at: datetime | None = None
                   ) -> selectors.Progress:
    """The public progress query: after ``progress_max_failures`` wrong answers for a
    number within the window, that number answers nothing for a while (even to the right
    digits), so the four digits cannot be guessed. The limits are those of the street the
    number names (``510104022-…``); a number that names none gets the national ones."""
    now = now_or(at)
    number = number.strip()[:40]
    street = number[:STREET_LENGTH]
    profile = rules.profile(street if street.isdigit() and len(street) == STREET_LENGTH else "")
    since = now - timedelta(minutes=profile.number("progress_window_minutes"))
    failures = ProgressFailure.objects.filter(number=number, at__gte=since).count()
    if failures >= profile.number("progress_max_failures"):
        raise BusinessError(_("Too many wrong attempts for this case number. Try again later, "
                              "or ask at your service station."), code=Code.PROGRESS_PAUSED,
                            status=429)
    try:
        return selectors.progress(number=number, phone_last4=phone_last4)
    except NotFound:
        ProgressFailure.objects.create(number=number, at=now)
        raise
