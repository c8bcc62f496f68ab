"""The only writers of ``orgs``, one file per sub-domain (applications, supervision,
support, the registry and its import)."""

from shequ.orgs.services.applications import act, compute_due, limit_of, submit, sweep
from shequ.orgs.services.importer import (
    ImportFailed,
    ImportResult,
    export_registry,
    import_records,
    import_registry,
)
from shequ.orgs.services.registry import add_operator, update_service_profile
from shequ.orgs.services.supervision import (
    complaint_step,
    end_suspensions,
    file_complaint,
    inspection_step,
    lodge_report,
    penalty_step,
    plan_inspection,
    propose_penalty,
    record_evaluation,
    report_step,
)
from shequ.orgs.services.support import (
    apply_grant,
    apply_incubation,
    grant_step,
    incubation_step,
    pay_grant,
    save_centre,
    save_programme,
)

__all__ = [
    "ImportFailed", "ImportResult", "act", "add_operator", "apply_grant", "apply_incubation",
    "complaint_step", "compute_due", "end_suspensions", "export_registry", "file_complaint",
    "grant_step", "import_records", "import_registry", "incubation_step", "inspection_step", "limit_of",
    "lodge_report", "pay_grant", "penalty_step", "plan_inspection", "propose_penalty",
    "record_evaluation", "report_step", "save_centre", "save_programme", "submit", "sweep",
    "update_service_profile",
]
