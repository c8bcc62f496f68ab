"""Admin: read-only views for superusers. Writes go through the services (pages, API,
CLI) so they are checked and audited; ciphertexts and hashes are never shown."""

from typing import Any

from django.contrib import admin

from shequ.people.models import (
    Body,
    Household,
    IdentityReveal,
    Resident,
    RightsRequest,
    StaffMember,
)


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return False


@admin.register(Resident)
class ResidentAdmin(ReadOnly):
    list_display = ["name", "id_masked", "community_code", "moved_out_on", "deidentified_at"]
    exclude = ["id_hash", "id_cipher", "phone_cipher"]
    search_fields = ["name", "community_code"]


@admin.register(Household)
class HouseholdAdmin(ReadOnly):
    list_display = ["number", "community_code", "head"]
    search_fields = ["number", "community_code"]


@admin.register(IdentityReveal)
class IdentityRevealAdmin(ReadOnly):
    list_display = ["at", "actor_name", "resident", "reason", "channel", "area_code"]
    list_filter = ["channel"]


@admin.register(RightsRequest)
class RightsRequestAdmin(ReadOnly):
    list_display = ["pk", "kind", "status", "received_on", "due_on", "area_code"]
    list_filter = ["kind", "status"]


@admin.register(StaffMember)
class StaffMemberAdmin(ReadOnly):
    list_display = ["code", "name", "kind", "qualification", "area_code"]
    list_filter = ["kind", "qualification"]
    search_fields = ["code", "name"]


@admin.register(Body)
class BodyAdmin(ReadOnly):
    list_display = ["name", "kind", "area_code", "founded_on", "dissolved_on"]
    list_filter = ["kind"]
