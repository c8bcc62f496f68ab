"""People use cases: the only code that writes residents, households, staff and bodies.

One module per sub-domain (Zulip's ``zerver/actions/``): ``residents`` (registering,
changing, moving away, heads, account links), ``privacy`` (full-number reads,
de-identification, retention, re-sealing), ``rights`` (individuals' requests),
``imports`` (+ ``import_pg``) and ``export`` (files), ``staff`` and ``bodies``. Each use
case is keyword-only, takes the acting user first, asks ``people.access`` whether the
actor may (the same question the pages ask), runs in one transaction and writes its audit
entry. This package re-exports the public functions, so callers write
``services.register_resident(...)``.
"""

from shequ.people.services.bodies import (
    DEFAULT_POSTS,
    add_membership,
    create_body,
    dissolve_body,
    end_membership,
)
from shequ.people.services.export import EXPORT_HEADERS, export_residents
from shequ.people.services.imports import ImportReport, import_residents
from shequ.people.services.privacy import (
    deidentify,
    reseal_all,
    reveal_identity_number,
    run_retention,
)
from shequ.people.services.residents import (
    UPDATABLE,
    correct_identity_number,
    link_user,
    move_out,
    register_resident,
    set_household_head,
    update_resident,
)
from shequ.people.services.rights import (
    copy_of_own_data,
    decide_rights_request,
    file_rights_request,
)
from shequ.people.services.staff import add_training, create_staff, post_staff, set_qualification

__all__ = [
    "DEFAULT_POSTS",
    "EXPORT_HEADERS",
    "UPDATABLE",
    "ImportReport",
    "add_membership",
    "add_training",
    "copy_of_own_data",
    "correct_identity_number",
    "create_body",
    "create_staff",
    "decide_rights_request",
    "deidentify",
    "dissolve_body",
    "end_membership",
    "export_residents",
    "file_rights_request",
    "import_residents",
    "link_user",
    "move_out",
    "post_staff",
    "register_resident",
    "reseal_all",
    "reveal_identity_number",
    "run_retention",
    "set_household_head",
    "set_qualification",
    "update_resident",
]
