"""Read-only admin views (core.admin): areas change through `shequ areas import` and the
console's area pages, both audited."""

from __future__ import annotations

from django.contrib import admin

from shequ.areas.models import Area, AreaSuccession, FunctionalZone, ServiceStation
from shequ.core.admin import ReadOnlyAdmin


@admin.register(Area)
class AreaAdmin(ReadOnlyAdmin):
    list_display = ["code", "name", "level", "kind", "valid_from", "valid_to"]
    list_filter = ["level", "kind"]
    search_fields = ["code", "name"]


@admin.register(AreaSuccession)
class AreaSuccessionAdmin(ReadOnlyAdmin):
    list_display = ["predecessor", "successor", "kind", "effective"]
    list_filter = ["kind"]


@admin.register(FunctionalZone)
class FunctionalZoneAdmin(ReadOnlyAdmin):
    list_display = ["name", "district", "purpose"]


@admin.register(ServiceStation)
class ServiceStationAdmin(ReadOnlyAdmin):
    list_display = ["code", "name", "area_code"]
    search_fields = ["code", "name"]
