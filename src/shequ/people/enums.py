"""The vocabulary of ``people``: permissions, error codes and audit actions."""

from __future__ import annotations

from enum import StrEnum

from django.db import models
from django.utils.translation import gettext_lazy as _


class Perm(StrEnum):
    VIEW = "people.view"  # names, masked numbers, household, residence
    CONTACT = "people.contact"  # phone and addresses
    SENSITIVE = "people.sensitive"  # disability, low income, political rights; children's data
    MANAGE = "people.manage"  # register, update, move out, households
    IMPORT = "people.import"
    EXPORT = "people.export"
    REVEAL = "people.reveal_id"  # read a full identity number (logged)
    RIGHTS = "people.rights"  # handle individuals' requests; de-identify
    SELF = "people.self"  # a resident's own record
    STAFF_VIEW = "people.staff.view"
    STAFF_MANAGE = "people.staff.manage"
    BODIES_VIEW = "people.bodies.view"
    BODIES_MANAGE = "people.bodies.manage"


class AuditAction(StrEnum):
    BODY_CREATE = "people.body.create"
    MEMBERSHIP_ADD = "people.membership.add"
    MEMBERSHIP_END = "people.membership.end"


class EndReason(models.TextChoices):
    """Why a membership ended: stored as the key, shown in the reader's language."""

    TERM_ENDED = "term_ended", _("Term ended: a new committee was elected")
    CORRECTED = "corrected", _("Corrected by a re-count")
    RECALLED = "recalled", _("Recalled by the residents")
    UNFIT = "unfit", _("Term ended after consecutive 'unfit' evaluations")
    RESIGNED = "resigned", _("Resigned")
    OTHER = "other", _("Other")
