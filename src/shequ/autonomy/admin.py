"""Read-only admin views (core.admin): self-governance changes only through its services."""

from __future__ import annotations

from django.contrib import admin

from shequ.autonomy.models import (
    Constituency,
    Disclosure,
    EvaluationCampaign,
    Meeting,
    Proposal,
    RecallPetition,
    Representative,
)
from shequ.core.admin import ReadOnlyAdmin


@admin.register(Constituency)
class ConstituencyAdmin(ReadOnlyAdmin):
    list_display = ["name", "community_code", "kind"]
    list_filter = ["kind"]
    search_fields = ["name", "community_code"]


@admin.register(Representative)
class RepresentativeAdmin(ReadOnlyAdmin):
    list_display = ["name", "community_code", "status", "ended_on"]
    list_filter = ["status"]
    search_fields = ["name", "community_code"]


@admin.register(Meeting)
class MeetingAdmin(ReadOnlyAdmin):
    list_display = ["title", "community_code", "kind", "notice_on", "held_on", "status"]
    list_filter = ["kind", "status"]


@admin.register(Proposal)
class ProposalAdmin(ReadOnlyAdmin):
    list_display = ["title", "community_code", "proposer_name", "state"]
    list_filter = ["state"]
    search_fields = ["title"]


@admin.register(EvaluationCampaign)
class EvaluationCampaignAdmin(ReadOnlyAdmin):
    list_display = ["title", "community_code", "opens_on", "closes_on", "status"]
    list_filter = ["status"]


@admin.register(Disclosure)
class DisclosureAdmin(ReadOnlyAdmin):
    list_display = ["heading", "community_code", "category", "due_on", "status"]
    list_filter = ["category", "status"]
    search_fields = ["title", "community_code"]


@admin.register(RecallPetition)
class RecallPetitionAdmin(ReadOnlyAdmin):
    list_display = ["member_name", "community_code", "state", "voters"]
    list_filter = ["state"]
