from __future__ import annotations

from django.db import models


class ThrottleCount(models.Model):
    """Attempts in one window of one throttle for one client or target (ADR 0016).

    ``key`` is ``<keyed hash of scope, kind and value>:<window number>``, so the row holds
    neither an address nor a case number; rows expire after the window that follows
    theirs and the hourly sweep deletes them.
    """

    key = models.CharField(max_length=80, primary_key=True)
    count = models.IntegerField(default=0)
    expires_at = models.DateTimeField(db_index=True)

    class Meta:
        app_label = "core"

    def __str__(self) -> str:
        return f"{self.key}={self.count}"
