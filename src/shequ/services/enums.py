"""The vocabulary of ``services``: permissions, error codes and audit actions.

A name used anywhere in the module comes from here, so a typo is an ``AttributeError`` at
import time rather than a permission nobody holds or an error code no client knows. The
case's own steps (accept, extend…) are :class:`~shequ.services.models.Action`; their
audit entries are written by the lifecycle as ``services.case.<action>``.
"""

from __future__ import annotations

from enum import StrEnum


class Perm(StrEnum):
    VIEW = "services.view"
    DESK = "services.desk"  # the station front desk (代办)
    HANDLE = "services.handle"
    DECIDE = "services.decide"
    EXTEND = "services.extend"
    STATS = "services.stats"
    CATALOGUE = "services.catalogue"
    SUPERVISE = "services.supervise"
    SWEEP = "services.sweep"
    APPLY = "services.apply"  # a signed-in resident applying for themselves
    HEADS = "services.heads"  # designating the heads of office who approve extensions


class Code(StrEnum):
    """Stable error codes (the API's ``code``; clients branch on them)."""

    # looking things up
    UNKNOWN_CASE = "unknown_case"
    UNKNOWN_ITEM = "unknown_item"
    UNKNOWN_DUTY = "unknown_duty"
    UNKNOWN_AREA = "unknown_area"
    UNKNOWN_STATION = "unknown_station"
    UNKNOWN_GROUPING = "unknown_grouping"
    UNKNOWN_ACTION = "unknown_action"
    # the catalogue
    INVALID_LIMIT = "invalid_limit"
    INVALID_DELEGATION = "invalid_delegation"
    PERIOD_BASIS_REQUIRED = "period_basis_required"
    # submission
    APPLICANT_REQUIRED = "applicant_required"
    INVALID_PHONE = "invalid_phone"
    DUPLICATE_SUBMISSION = "duplicate_submission"
    DUPLICATE_OPEN_CASE = "duplicate_open_case"
    INVALID_IDENTITY = "invalid_identity"
    NOT_YOURSELF = "not_yourself"
    NO_RESIDENT_RECORD = "no_resident_record"
    TOO_LONG = "too_long"
    # attachments
    ATTACHMENT_REJECTED = "attachment_rejected"
    ATTACHMENTS_CLOSED = "attachments_closed"
    NO_FILE = "no_file"
    # the steps of a case and their guards
    CASE_MOVED = "case_moved"
    MISSING_REQUIRED = "missing_required"
    UNKNOWN_MATERIAL = "unknown_material"
    NOT_NEWLY_SUPPLIED = "not_newly_supplied"
    SUPPLY_FILES_REQUIRED = "supply_files_required"
    CORRECTION_WINDOW_PASSED = "correction_window_passed"
    CORRECTION_WINDOW_OPEN = "correction_window_open"
    CLOCK_ONLY = "clock_only"
    REASONS_REQUIRED = "reasons_required"
    EXTENSION_REFUSED = "extension_refused"
    EXTENSION_TOO_LATE = "extension_too_late"
    HEAD_APPROVAL_REQUIRED = "head_approval_required"
    UNKNOWN_USER = "unknown_user"
    PAUSE_KIND_REQUIRED = "pause_kind_required"
    RESUME_BEFORE_PAUSE = "resume_before_pause"
    # the public progress query
    PROGRESS_NOT_FOUND = "progress_not_found"
    PROGRESS_PAUSED = "progress_paused"


class AuditAction(StrEnum):
    """Audit entries written outside the case lifecycle (which writes
    ``services.case.<action>`` itself)."""

    ITEM_PUBLISH = "services.item.publish"
    CASE_SUBMIT = "services.case.submit"
    CASE_ATTACH = "services.case.attach"
    CASE_WARN = "services.case.warn"
    CASE_ESCALATE = "services.case.escalate"
    DEMO_LOAD = "services.demo.load"
    HEAD_DESIGNATE = "services.head.designate"
    HEAD_END = "services.head.end"
    STATS_EXPORT = "services.stats.export"
    CASES_EXPORT = "services.cases.export"
