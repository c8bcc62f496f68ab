"""Read-only admin views: elections change only through their services (audited)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from shequ.elections.models import Election, Result, StationTally


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Election)
class ElectionAdmin(ReadOnly):
    list_display = ("name", "area_code", "voting_day", "kind", "mode", "status", "outcome")
    list_filter = ("status", "outcome", "kind", "mode")
    search_fields = ("name", "area_code")


@admin.register(Result)
class ResultAdmin(ReadOnly):
    list_display = ("election", "version", "outcome", "counted_at", "announced_at")


@admin.register(StationTally)
class StationTallyAdmin(ReadOnly):
    list_display = ("election", "station", "round", "version", "current", "method", "confirmed_at")
