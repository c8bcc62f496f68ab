"""The only writers of the services module, one file per sub-domain:

- ``catalogue``: publishing item versions;
- ``submission``: filing a case (the hot path, ADR 0010);
- ``steps``: every step of a case after submission, one function each, and ``act``;
- ``attachments``: checking and storing materials;
- ``clock``: the periodic sweep (acceptance on receipt, status, warnings, escalation);
- ``residents``: notifications read, the public progress query.

Each use case is keyword-only, takes the acting user first, checks permission, runs in
one transaction with its audit entry, and refuses before writing anything.
"""

from shequ.services.services.attachments import (
    ATTACHMENT_TYPES,
    AttachmentRejected,
    Upload,
    attach,
    check_uploads,
)
from shequ.services.services.catalogue import publish_item
from shequ.services.services.clock import SweepResult, supervisors_of, sweep
from shequ.services.services.heads import designate_head, end_head, heads_of
from shequ.services.services.residents import mark_read, query_progress
from shequ.services.services.steps import (
    MANUAL,
    accept,
    act,
    close,
    decide,
    extend,
    extension_limit,
    issue,
    refuse,
    request_correction,
    request_extension,
    resume,
    supply,
    suspend,
    withdraw,
)
from shequ.services.services.submission import (
    _VERSIONS,  # the process's kept item versions (cleared between tests)
    DuplicateSubmission,
    handling_department_id,
    next_number,
    submit_case,
)

__all__ = [
    "ATTACHMENT_TYPES",
    "MANUAL",
    "_VERSIONS",
    "AttachmentRejected",
    "DuplicateSubmission",
    "SweepResult",
    "Upload",
    "accept",
    "act",
    "attach",
    "check_uploads",
    "close",
    "decide",
    "designate_head",
    "end_head",
    "extend",
    "extension_limit",
    "handling_department_id",
    "heads_of",
    "issue",
    "mark_read",
    "next_number",
    "publish_item",
    "query_progress",
    "refuse",
    "request_correction",
    "request_extension",
    "resume",
    "submit_case",
    "supervisors_of",
    "supply",
    "suspend",
    "sweep",
    "withdraw",
]
