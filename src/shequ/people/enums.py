"""The vocabulary of ``people``: permissions, error codes and audit actions (ADR 0011).

Error codes are part of the API's contract (``{code, message, details}``): a value never
changes once published, even where a name would read better today.
"""

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
    CORRECT_ID = "people.correct_id"  # correct a recorded identity number (reason, logged)
    PROBES = "people.probes"  # review attempts to register a person recorded elsewhere
    RIGHTS = "people.rights"  # handle individuals' requests; de-identify
    SELF = "people.self"  # a resident's own record
    STAFF_VIEW = "people.staff.view"
    STAFF_MANAGE = "people.staff.manage"
    BODIES_VIEW = "people.bodies.view"
    BODIES_MANAGE = "people.bodies.manage"


class Code(StrEnum):
    # residents and households
    UNKNOWN_COMMUNITY = "unknown_community"
    BAD_COMPOUND = "bad_compound"
    BAD_PHONE = "bad_phone"
    NAME_REQUIRED = "name_required"
    NAME_TOO_LONG = "name_too_long"
    HEAD_WITHOUT_HOUSEHOLD = "head_without_household"
    REGISTERED_ELSEWHERE = "registered_elsewhere"
    ALREADY_REGISTERED = "already_registered"
    HOUSEHOLD_HAS_HEAD = "household_has_head"
    HOUSEHOLD_HEAD_LEAVING = "household_head_leaving"
    BAD_NEW_HEAD = "bad_new_head"
    UNKNOWN_FIELDS = "unknown_fields"
    DEIDENTIFIED = "deidentified"
    DUPLICATE_IDENTITY = "duplicate_identity"
    FIELD_FORBIDDEN = "field_forbidden"  # writing a field one may not read (ADR 0307)
    ID_CORRECTION_ONLY = "id_correction_only"  # the number changes only by a correction
    SAME_NUMBER = "same_number"
    ALREADY_MOVED_OUT = "already_moved_out"
    FUTURE_DATE = "future_date"
    REASON_REQUIRED = "reason_required"
    RESIDENT_NOT_FOUND = "resident_not_found"
    HOUSEHOLD_NOT_FOUND = "household_not_found"
    NO_OWN_RECORD = "no_own_record"
    # individuals' rights
    UNKNOWN_KIND = "unknown_kind"  # of a request, a staff member or a body
    DETAIL_REQUIRED = "detail_required"
    OUTCOME_REQUIRED = "outcome_required"
    ALREADY_DECIDED = "already_decided"
    DECIDED_BEFORE_RECEIPT = "decided_before_receipt"
    REQUEST_NOT_FOUND = "request_not_found"
    # import (the file as a whole, then single rows)
    IMPORT_FILE = "import_file"
    MISSING_COLUMNS = "missing_columns"
    MALFORMED_ROW = "malformed_row"  # column count, quoting, NUL or undecodable bytes
    EMPTY_FILE = "empty_file"
    BAD_XLSX = "bad_xlsx"
    SHEET_MISSING = "sheet_missing"
    FILE_TYPE = "file_type"
    BAD_BATCH_SIZE = "bad_batch_size"
    BAD_COMMUNITY_CODE = "bad_community_code"
    BAD_COMPOUND_CODE = "bad_compound_code"
    UNKNOWN_COMPOUND = "unknown_compound"
    NOT_ALLOWED_HERE = "forbidden"  # a row of a community outside the importer's scope
    DUPLICATE_IN_FILE = "duplicate_in_file"
    DUPLICATE_HEAD = "duplicate_head"
    NOT_YES_NO = "not_yes_no"
    BAD_DATE = "bad_date"
    BEFORE_BIRTH = "before_birth"
    # staff
    UNKNOWN_LEVEL = "unknown_level"
    UNKNOWN_STATION = "unknown_station"
    BAD_POSTING_AREA = "bad_posting_area"
    BAD_POSTING_DEPARTMENT = "bad_posting_department"
    DEPARTMENT_NOT_FOUND = "department_not_found"
    UNKNOWN_QUALIFICATION = "unknown_qualification"
    STAFF_CODE_TAKEN = "staff_code_taken"
    POSTING_DATES = "posting_dates"
    TITLE_REQUIRED = "title_required"
    NEGATIVE = "negative"
    BAD_HOURS = "bad_hours"
    STAFF_NOT_FOUND = "staff_not_found"
    # bodies and memberships
    UNKNOWN_AREA = "unknown_area"
    BODY_EXISTS = "body_exists"
    UNKNOWN_POST = "unknown_post"
    TERM_DATES = "term_dates"
    POST_FULL = "post_full"
    UNKNOWN_END_REASON = "unknown_end_reason"
    BODY_NOT_FOUND = "body_not_found"
    MEMBERSHIP_NOT_FOUND = "membership_not_found"


class AuditAction(StrEnum):
    """``people.<noun>.<verb>``. Entries written before these names keep theirs (the
    chain hashes them): ``people.register``, ``bodies.add_member``, ``staff.post``…"""

    RESIDENT_REGISTER = "people.resident.register"
    RESIDENT_REGISTER_AGAIN = "people.resident.register_again"
    RESIDENT_UPDATE = "people.resident.update"
    RESIDENT_MOVE_OUT = "people.resident.move_out"
    RESIDENT_LINK_USER = "people.resident.link_user"
    RESIDENT_REVEAL_ID = "people.resident.reveal_id"
    RESIDENT_CORRECT_ID = "people.resident.correct_id"
    # someone tried to register (or set) a number recorded in a community outside their
    # scope; the answer did not say where, the entry does (for the district, ADR 0308)
    RESIDENT_ELSEWHERE_ATTEMPT = "people.resident.elsewhere_attempt"
    RESIDENT_DEIDENTIFY = "people.resident.deidentify"
    RESIDENT_IMPORT = "people.resident.import"
    RESIDENT_EXPORT = "people.resident.export"
    RESIDENT_RESEAL = "people.resident.reseal"
    RESIDENT_RETENTION = "people.resident.retention"
    HOUSEHOLD_SET_HEAD = "people.household.set_head"
    RIGHTS_REQUEST_FILE = "people.rights_request.file"
    # written by ``lifecycles.RIGHTS.move`` as ``people.rights_request.<action>``
    RIGHTS_REQUEST_ACCEPT = "people.rights_request.accept"
    RIGHTS_REQUEST_REFUSE = "people.rights_request.refuse"
    STAFF_CREATE = "people.staff.create"
    STAFF_POST = "people.staff.post"
    STAFF_QUALIFY = "people.staff.qualify"
    STAFF_TRAIN = "people.staff.train"
    BODY_CREATE = "people.body.create"
    BODY_DISSOLVE = "people.body.dissolve"
    MEMBERSHIP_ADD = "people.membership.add"
    MEMBERSHIP_END = "people.membership.end"
    # a recall overturned by a re-count: the end it wrote is taken back (ADR 0513)
    MEMBERSHIP_REINSTATE = "people.membership.reinstate"


class EndReason(models.TextChoices):
    """Why a membership ended: stored as the key, shown in the reader's language."""

    TERM_ENDED = "term_ended", _("Term ended: a new committee was elected")
    CORRECTED = "corrected", _("Corrected by a re-count")
    RECALLED = "recalled", _("Recalled by the residents")
    UNFIT = "unfit", _("Term ended after consecutive 'unfit' evaluations")
    RESIGNED = "resigned", _("Resigned")
    TRANSFERRED = "transferred", _("Transferred to another post")
    CANDIDATE = "candidate", _("Left the election committee to stand as a candidate")
    DISSOLVED = "dissolved", _("The body was dissolved")
    OTHER = "other", _("Other")
