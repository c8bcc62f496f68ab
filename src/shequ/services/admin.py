"""Read-only admin views (core.admin); ciphertexts are never shown."""

from __future__ import annotations

from django.contrib import admin

from shequ.core.admin import ReadOnlyAdmin
from shequ.services.models import Case, CaseEvent, ItemVersion, Notification, ServiceItem


@admin.register(ServiceItem)
class ServiceItemAdmin(ReadOnlyAdmin):
    list_display = ["code", "current", "area_code", "active"]
    list_filter = ["active"]
    search_fields = ["code"]


@admin.register(ItemVersion)
class ItemVersionAdmin(ReadOnlyAdmin):
    list_display = ["item", "version", "name", "handler_level", "delegation_mode",
                    "statutory_days", "promised_days", "published_at"]
    list_filter = ["handler_level", "delegation_mode", "department_category"]
    search_fields = ["name", "item__code"]


@admin.register(Case)
class CaseAdmin(ReadOnlyAdmin):
    list_display = ["number", "item", "area_code", "channel", "state", "sla", "submitted_at",
                    "due_on"]
    list_filter = ["state", "sla", "channel"]
    search_fields = ["number"]
    exclude = ["phone_cipher"]


@admin.register(CaseEvent)
class CaseEventAdmin(ReadOnlyAdmin):
    list_display = ["case", "at", "action", "from_state", "to_state", "actor_name"]
    list_filter = ["action"]


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    list_display = ["case", "kind", "user", "to_applicant", "created_at", "read_at"]
    list_filter = ["kind", "to_applicant"]
