"""Read-only admin views: elections change only through their services (audited)."""

from __future__ import annotations

from django.contrib import admin

from shequ.core.admin import ReadOnlyAdmin
from shequ.elections.models import Election, Result, StationTally


@admin.register(Election)
class ElectionAdmin(ReadOnlyAdmin):
    list_display = ("name", "area_code", "voting_day", "kind", "mode", "status", "outcome")
    list_filter = ("status", "outcome", "kind", "mode")
    search_fields = ("name", "area_code")


@admin.register(Result)
class ResultAdmin(ReadOnlyAdmin):
    list_display = ("election", "version", "outcome", "counted_at", "announced_at")


@admin.register(StationTally)
class StationTallyAdmin(ReadOnlyAdmin):
    list_display = ("election", "station", "round", "version", "current", "method", "confirmed_at")
