"""The vocabulary of ``linkage``: permissions, error codes and audit actions."""

from __future__ import annotations

from enum import StrEnum


class Perm(StrEnum):
    VIEW = "linkage.view"  # needs and engagements in one's area
    POST = "linkage.need.post"  # a community posts a need, invites, gives feedback
    RESPOND = "linkage.respond"  # an organisation's user answers an invitation
    WORKERS = "linkage.worker.manage"  # social workers' linkage profiles


class Code(StrEnum):
    UNKNOWN_NEED = "unknown_need"
    UNKNOWN_ENGAGEMENT = "unknown_engagement"
    UNKNOWN_PROVIDER = "unknown_provider"
    BAD_NEED = "bad_need"
    NOT_SERVED = "category_not_served"
    FULL = "provider_full"
    ALREADY_INVITED = "already_invited"
    NOT_PROVIDER = "not_provider"
    BAD_FEEDBACK = "bad_feedback"
    BAD_PROFILE = "bad_profile"
    NEED_CLOSED = "need_closed"
    OPEN_ENGAGEMENTS = "open_engagements"


class AuditAction(StrEnum):
    NEED_POST = "linkage.need.post"
    ENGAGEMENT_INVITE = "linkage.engagement.invite"
    WORKER_SAVE = "linkage.worker.save"
