"""The vocabulary of ``orgs``: permissions, error codes and audit actions."""

from __future__ import annotations

from enum import StrEnum


class Perm(StrEnum):
    VIEW = "orgs.view"  # the registry as staff see it (in their scope)
    APPLY = "orgs.apply"  # an organisation's own user: apply, report, request support
    FILING_DECIDE = "orgs.filing.decide"  # the street office that keeps the filing
    REGISTRATION_DECIDE = "orgs.registration.decide"  # the registration authority
    SUPERVISE = "orgs.supervise"  # annual reports, inspections, complaints
    PENALISE = "orgs.penalty.decide"
    EVALUATE = "orgs.evaluate"  # evaluation grades 1A–5A
    COMPLAIN = "orgs.complaint.file"
    SUPPORT = "orgs.support.manage"  # incubation and the foundation's grants
    STATS = "orgs.stats"
    IMPORT = "orgs.import"


class Code(StrEnum):
    UNKNOWN_ORG = "unknown_org"
    UNKNOWN_APPLICATION = "unknown_application"
    UNKNOWN_AREA = "unknown_area"
    NOT_OPERATOR = "not_operator"
    NAME_REQUIRED = "name_required"
    NAME_TAKEN = "name_taken"
    NAME_PREFIX = "name_prefix"
    KIND_TRACK = "kind_track"
    BAD_CREDIT_CODE = "bad_credit_code"
    CREDIT_CODE_TAKEN = "credit_code_taken"
    CREDIT_CODE_MISMATCH = "credit_code_mismatch"
    REQUIREMENTS = "requirements_not_met"
    MISSING_REQUIRED = "missing_materials_required"
    MATERIALS_UNKNOWN = "unknown_material"
    ONE_NOTICE = "one_notice_only"
    NOTICE_WINDOW = "notice_window_passed"
    STILL_MISSING = "materials_still_missing"
    REASON_REQUIRED = "reason_required"
    PENDING = "application_pending"
    REGISTRATION_REQUIRED = "registration_required"
    LEGAL_REP_TAKEN = "legal_rep_taken"
    NOT_ACTIVE = "org_not_active"
    MERGE_PARTNER = "merge_partner"
    NOTHING_TO_CHANGE = "nothing_to_change"
    BAD_DATE = "bad_date"
    BAD_AMOUNT = "bad_amount"
    REPORT_EXISTS = "report_exists"
    REPORT_YEAR = "report_year"
    GRADE = "bad_grade"
    PENALTY_KIND = "penalty_kind"
    GRANT_BUDGET = "grant_budget"
    GRANT_OVERPAID = "grant_overpaid"
    PROGRAMME_CLOSED = "programme_closed"
    INCUBATING = "already_incubating"
    IMPORT_FAILED = "import_failed"
    AUTHORITY = "wrong_authority"


class AuditAction(StrEnum):
    ORG_IMPORT = "orgs.org.import"
    ORG_CREATE = "orgs.org.create"
    ORG_CHANGE = "orgs.org.change"
    OPERATOR_ADD = "orgs.operator.add"
    APPLICATION_SUBMIT = "orgs.application.submit"
    REPORT_SUBMIT = "orgs.report.submit"
    INSPECTION_PLAN = "orgs.inspection.plan"
    COMPLAINT_FILE = "orgs.complaint.file"
    PENALTY_PROPOSE = "orgs.penalty.propose"
    EVALUATION_RECORD = "orgs.evaluation.record"
    CENTRE_SAVE = "orgs.centre.save"
    PROGRAMME_SAVE = "orgs.programme.save"
    GRANT_APPLY = "orgs.grant.apply"
    GRANT_PAY = "orgs.grant.pay"
    INCUBATION_APPLY = "orgs.incubation.apply"
    DEMO_LOAD = "orgs.demo.load"
