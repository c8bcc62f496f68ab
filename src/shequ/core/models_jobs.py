from __future__ import annotations

from django.db import models


class JobRun(models.Model):
    """When each periodic job was last enqueued (one row per job)."""

    name = models.CharField(max_length=100, primary_key=True)
    last_enqueued_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        app_label = "core"

    def __str__(self) -> str:
        return self.name
