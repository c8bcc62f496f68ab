"""Admin: read-only views for superusers. Writes go through the services (pages, API,
CLI) so they are checked and audited; ciphertexts and hashes are never shown."""

from django.contrib import admin

from shequ.core.admin import ReadOnlyAdmin
from shequ.people.models import (
    Body,
    Household,
    IdentityReveal,
    Resident,
    RightsRequest,
    StaffMember,
)


@admin.register(Resident)
class ResidentAdmin(ReadOnlyAdmin):
    list_display = ["display_name", "id_masked", "community_code", "moved_out_on",
                    "deidentified_at"]
    exclude = ["id_hash", "id_cipher", "phone_cipher"]
    search_fields = ["name", "community_code"]


@admin.register(Household)
class HouseholdAdmin(ReadOnlyAdmin):
    list_display = ["number", "community_code", "head"]
    search_fields = ["number", "community_code"]


@admin.register(IdentityReveal)
class IdentityRevealAdmin(ReadOnlyAdmin):
    list_display = ["at", "actor_name", "resident", "why", "channel", "area_code"]
    list_filter = ["channel"]


@admin.register(RightsRequest)
class RightsRequestAdmin(ReadOnlyAdmin):
    list_display = ["pk", "kind", "status", "received_on", "due_on", "area_code"]
    list_filter = ["kind", "status"]


@admin.register(StaffMember)
class StaffMemberAdmin(ReadOnlyAdmin):
    list_display = ["code", "name", "kind", "qualification", "area_code"]
    list_filter = ["kind", "qualification"]
    search_fields = ["code", "name"]


@admin.register(Body)
class BodyAdmin(ReadOnlyAdmin):
    list_display = ["name", "kind", "area_code", "founded_on", "dissolved_on"]
    list_filter = ["kind"]
