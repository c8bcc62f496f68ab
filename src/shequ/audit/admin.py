from django.contrib import admin

from shequ.audit.models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """Read-only: the log is changed by nobody, not even a superuser in the admin."""

    list_display = ["chain", "seq", "at", "actor_name", "action", "object_type", "object_id"]
    list_filter = ["action"]
    search_fields = ["object_id", "actor_name", "area_code"]

    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False
