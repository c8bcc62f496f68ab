"""Who may do what in ``people``, and which resident fields each role sees: ONE place.

``GRANTS`` gives each role its permissions (declared with ``authz.declare`` in
``PeopleConfig.ready``); ``FIELDS`` says which permission shows each field of a resident.
Pages, the API and the export build a resident's visible data with :func:`present`, so
they cannot disagree (ADR 0301).

Every "may this user …?" question is asked here, once: the services *enforce* the answer
(``access.can_manage.check(actor, area)``, ``access.check(access.reveal_refusal(…))``)
and the pages *show* it (``access.can_manage(user, area)`` decides whether a button is
there), so a changed rule cannot leave a stale button (ADR 0304). The full identity
number is in no field group: only ``services.reveal_identity_number`` returns it, and it
logs the read.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.utils.translation import gettext_lazy as _

from shequ import authz
from shequ.authz import Role
from shequ.authz.registry import require_declared
from shequ.core import crypto
from shequ.core.errors import AuthRequired, BusinessError, Conflict, Forbidden
from shequ.people.enums import Code, Perm
from shequ.people.models import DEIDENTIFIED_LABEL, PHONE_CONTEXT, Body, Resident, StaffMember

_RESIDENT_PERMS = {Perm.VIEW, Perm.CONTACT, Perm.SENSITIVE, Perm.MANAGE}
GRANTS: dict[Role, set[Perm]] = {
    Role.DISTRICT_ADMIN: _RESIDENT_PERMS | {Perm.IMPORT, Perm.EXPORT, Perm.REVEAL, Perm.RIGHTS,
                                            Perm.CORRECT_ID, Perm.PROBES, Perm.STAFF_VIEW, Perm.STAFF_MANAGE,
                                            Perm.BODIES_VIEW, Perm.BODIES_MANAGE},
    Role.CIVIL_AFFAIRS: _RESIDENT_PERMS | {Perm.IMPORT, Perm.EXPORT, Perm.REVEAL, Perm.RIGHTS,
                                           Perm.CORRECT_ID, Perm.PROBES, Perm.STAFF_VIEW, Perm.STAFF_MANAGE,
                                           Perm.BODIES_VIEW, Perm.BODIES_MANAGE},
    Role.STREET_OFFICER: _RESIDENT_PERMS | {Perm.IMPORT, Perm.EXPORT, Perm.RIGHTS,
                                            Perm.CORRECT_ID, Perm.STAFF_VIEW, Perm.STAFF_MANAGE,
                                            Perm.BODIES_VIEW, Perm.BODIES_MANAGE},
    # The front desk checks identities when it handles cases (代办).
    Role.STATION_WORKER: _RESIDENT_PERMS | {Perm.REVEAL, Perm.STAFF_VIEW, Perm.BODIES_VIEW},
    # Keeps the community's register, imports and exports it (issue 12), but neither
    # reads nor writes the sensitive fields (ADR 0307).
    Role.COMMUNITY_WORKER: {Perm.VIEW, Perm.CONTACT, Perm.MANAGE, Perm.IMPORT, Perm.EXPORT,
                            Perm.STAFF_VIEW, Perm.BODIES_VIEW},
    Role.REPRESENTATIVE: {Perm.BODIES_VIEW},
    Role.RESIDENT: {Perm.SELF, Perm.BODIES_VIEW},
    Role.ORG_USER: set(),
}


def roles_of(perm: Perm) -> set[Role]:
    return {role for role, held in GRANTS.items() if perm in held}


# --------------------------------------------------------------------------- questions


def check(refused: BusinessError | None) -> None:
    """Raise the refusal a question gave, if any (what a service does with it)."""
    if refused is not None:
        raise refused


def perm_refusal(user: Any, perm: Perm, area_code: str | None = None) -> BusinessError | None:
    """``authz.check`` as an answer instead of an exception."""
    if user is None or not user.is_authenticated:
        require_declared(perm)
        return AuthRequired()
    if not authz.has_perm(user, perm, area_code):
        # never the area: it is often where an object lies the caller may not see (ADR 0020)
        return Forbidden(details={"permission": str(perm)})
    return None


class Ask:
    """"May this user use ``perm`` here?" (``area_code=None``: anywhere). Called, it
    answers ``True``/``False`` for a page; ``.check`` raises the refusal for a service."""

    def __init__(self, perm: Perm) -> None:
        self.perm = perm

    def refusal(self, user: Any, area_code: str | None = None) -> BusinessError | None:
        return perm_refusal(user, self.perm, area_code)

    def __call__(self, user: Any, area_code: str | None = None) -> bool:
        return self.refusal(user, area_code) is None

    def check(self, user: Any, area_code: str | None = None) -> None:
        check(self.refusal(user, area_code))

    def __repr__(self) -> str:
        return f"Ask({self.perm.value})"


can_view = Ask(Perm.VIEW)
can_manage = Ask(Perm.MANAGE)
can_import = Ask(Perm.IMPORT)
can_export = Ask(Perm.EXPORT)
can_handle_rights = Ask(Perm.RIGHTS)
can_review_probes = Ask(Perm.PROBES)
can_reveal_numbers = Ask(Perm.REVEAL)  # full numbers in an export of an area
can_use_own_record = Ask(Perm.SELF)
can_view_staff = Ask(Perm.STAFF_VIEW)
can_manage_staff = Ask(Perm.STAFF_MANAGE)
can_view_bodies = Ask(Perm.BODIES_VIEW)
can_manage_bodies = Ask(Perm.BODIES_MANAGE)


def is_self(user: Any, resident: Resident) -> bool:
    """The user is the person this record is about (their linked account)."""
    pk = getattr(user, "pk", None)
    return isinstance(pk, int) and resident.user_id == pk


def reveal_refusal(user: Any, resident: Resident) -> BusinessError | None:
    """Reading the full number: ``people.reveal_id`` at the resident's area, or the
    resident themself; never for a record that no longer has a number."""
    if not is_self(user, resident):
        refused = perm_refusal(user, Perm.REVEAL, resident.area_code)
        if refused is not None:
            return refused
    if resident.deidentified_at is not None or not resident.id_cipher:
        return Conflict(_("This record was de-identified: there is no number to show."),
                        code=Code.DEIDENTIFIED)
    return None


def can_reveal(user: Any, resident: Resident) -> bool:
    return reveal_refusal(user, resident) is None


def can_see_reads(user: Any, resident: Resident) -> bool:
    """The log of full-number reads of a resident: revealers and rights handlers there."""
    return (authz.has_perm(user, Perm.REVEAL, resident.area_code)
            or authz.has_perm(user, Perm.RIGHTS, resident.area_code))


def edit_refusal(user: Any, resident: Resident) -> BusinessError | None:
    refused = can_manage.refusal(user, resident.area_code)
    if refused is None and resident.deidentified_at is not None:
        refused = Conflict(_("This record was de-identified and cannot be changed."),
                           code=Code.DEIDENTIFIED)
    return refused


def can_edit(user: Any, resident: Resident) -> bool:
    return edit_refusal(user, resident) is None


def correct_id_refusal(user: Any, resident: Resident) -> BusinessError | None:
    """Correcting a recorded identity number: ``people.correct_id`` at the resident's
    area (a privileged, reasoned and logged act, never an ordinary edit; ADR 0307)."""
    refused = perm_refusal(user, Perm.CORRECT_ID, resident.area_code)
    if refused is None and resident.deidentified_at is not None:
        refused = Conflict(_("This record was de-identified and cannot be changed."),
                           code=Code.DEIDENTIFIED)
    return refused


def can_correct_id(user: Any, resident: Resident) -> bool:
    return correct_id_refusal(user, resident) is None


def move_out_refusal(user: Any, resident: Resident) -> BusinessError | None:
    refused = can_manage.refusal(user, resident.area_code)
    if refused is None and resident.moved_out_on is not None:
        refused = Conflict(_("This resident has already moved away."),
                           code=Code.ALREADY_MOVED_OUT)
    return refused


def can_move_out(user: Any, resident: Resident) -> bool:
    return move_out_refusal(user, resident) is None


def own_or_rights_refusal(user: Any, resident: Resident) -> BusinessError | None:
    """Filing a rights request, or receiving a copy: the person themself, or a rights
    handler at the record's area acting for them."""
    return None if is_self(user, resident) else can_handle_rights.refusal(user, resident.area_code)


def can_file_request(user: Any, resident: Resident) -> bool:
    return own_or_rights_refusal(user, resident) is None


def reseal_refusal(user: Any) -> BusinessError | None:
    """Re-encrypting every record touches every area: operators only (the CLI's system
    actor or a superuser)."""
    refused = can_manage.refusal(user)
    if refused is None and not getattr(user, "is_superuser", False):
        refused = Forbidden(details={"permission": "superuser"})
    return refused


def can_manage_member(user: Any, staff: StaffMember) -> bool:
    return can_manage_staff(user, staff.area_code)


def can_manage_body(user: Any, body: Body) -> bool:
    return can_manage_bodies(user, body.area_code)


# --------------------------------------------------------------------------- fields

# field -> the permission (at the resident's area) that shows it
FIELDS: dict[str, Perm] = {
    "name": Perm.VIEW, "id_masked": Perm.VIEW, "sex": Perm.VIEW, "birth_date": Perm.VIEW,
    "age": Perm.VIEW, "household": Perm.VIEW, "is_head": Perm.VIEW, "area_code": Perm.VIEW,
    "community_code": Perm.VIEW, "registered_here": Perm.VIEW, "lives_here": Perm.VIEW,
    "residence_since": Perm.VIEW, "moved_out_on": Perm.VIEW, "elderly": Perm.VIEW,
    "minor": Perm.VIEW,
    "phone": Perm.CONTACT, "registered_address": Perm.CONTACT, "actual_address": Perm.CONTACT,
    "disability": Perm.SENSITIVE, "low_income": Perm.SENSITIVE,
    "deprived_of_political_rights": Perm.SENSITIVE,
}
LABELS = {
    "name": _("Full name"), "id_masked": _("Identity number"), "sex": _("Sex"),
    "birth_date": _("Birth date"), "age": _("Age"), "household": _("Household"),
    "is_head": _("Head of household"), "area_code": _("Area code"),
    "community_code": _("Community code"), "registered_here": _("Household registration (户籍) here"),
    "lives_here": _("Actually lives here"), "residence_since": _("Living here since"),
    "moved_out_on": _("Moved away on"), "elderly": _("Elderly (60+)"), "minor": _("Minor"),
    "phone": _("Phone"), "registered_address": _("Registered address"),
    "actual_address": _("Actual address"), "disability": _("Disability"),
    "low_income": _("Low income (低保)"),
    "deprived_of_political_rights": _("Deprived of political rights"),
}
# For a child under 14 every field but these needs SENSITIVE (PIPL Art. 28, 31).
CHILD_OPEN_FIELDS = {"name", "id_masked", "sex", "age", "household", "is_head", "area_code",
                     "community_code"}
_SHOWN_BY = (Perm.VIEW, Perm.CONTACT, Perm.SENSITIVE)


PERM_LABELS = {Perm.VIEW: _("view residents"), Perm.CONTACT: _("contact details"),
               Perm.SENSITIVE: _("sensitive personal information")}


class FieldForbidden(Forbidden):
    """Writing a field one may not read (ADR 0307): 403, naming the field."""

    default_code = Code.FIELD_FORBIDDEN


def field_refusal(field: str, perm: Perm) -> FieldForbidden:
    return FieldForbidden(
        _("You may not change “%(f)s”: it needs the permission “%(p)s”, which you do not "
          "hold here. Nothing was saved.") % {"f": LABELS[field], "p": PERM_LABELS[perm]},
        details={"field": field, "permission": str(perm)})


def write_refusal(user: Any, resident: Resident, fields: Any) -> BusinessError | None:
    """Changing ``fields`` of ``resident``: each needs at least the permission that shows
    it (ADR 0307). A child's fields need ``people.sensitive`` like reading them."""
    shown = visible_fields(user, resident)
    for field in fields:
        if field in FIELDS and field not in shown:
            perm = FIELDS[field]
            if authz.has_perm(user, perm, resident.area_code):  # hidden: a child's record
                perm = Perm.SENSITIVE
            return field_refusal(field, perm)
    return None


def writable_fields(user: Any, resident: Resident) -> set[str]:
    """The fields of ``resident`` that ``user`` may change (what an edit form offers)."""
    return visible_fields(user, resident) if can_edit(user, resident) else set()


def new_resident_refusal(user: Any, community_code: str, given: dict[str, Any]
                         ) -> BusinessError | None:
    """Registering someone with ``given`` non-empty values: each field needs the
    permission that would show it in that community."""
    for field, value in given.items():
        perm = FIELDS.get(field)
        if perm is not None and value and not authz.has_perm(user, perm, community_code):
            return field_refusal(field, perm)
    return None


def visible_fields(user: Any, resident: Resident) -> set[str]:
    """The fields of ``resident`` that ``user`` may see."""
    held = {perm for perm in _SHOWN_BY if authz.has_perm(user, perm, resident.area_code)}
    if is_self(user, resident):
        held |= set(_SHOWN_BY)
    shown = {f for f, perm in FIELDS.items() if perm in held}
    if resident.is_child and Perm.SENSITIVE not in held:
        shown &= CHILD_OPEN_FIELDS
    return shown


def field_value(resident: Resident, field: str, today: date | None = None) -> Any:
    if field == "name":
        return resident.name if resident.deidentified_at is None else str(DEIDENTIFIED_LABEL)
    if field == "household":
        return resident.household.number if resident.household_id and resident.household else ""
    if field == "is_head":
        return bool(resident.household_id and resident.household
                    and resident.household.head_id == resident.pk)
    if field == "age":
        return resident.age(today)
    if field == "elderly":
        return resident.is_elderly
    if field == "minor":
        return resident.is_minor
    if field == "phone":
        return crypto.open_sealed(resident.phone_cipher, context=PHONE_CONTEXT) \
            if resident.phone_cipher else ""
    return getattr(resident, field)


def labelled(data: dict[str, Any]) -> list[tuple[str, Any, str]]:
    """``(label, value, field)`` for the visible fields of :func:`present`, in order."""
    return [(str(LABELS[f]), data[f], f) for f in FIELDS if f in data]


def present(user: Any, resident: Resident) -> dict[str, Any]:
    """What ``user`` may see of ``resident``: visible fields plus ``id``, ``sensitive``
    (child under 14) and ``deidentified``. Never the full identity number."""
    shown = visible_fields(user, resident)
    data: dict[str, Any] = {"id": resident.pk, "sensitive": resident.is_child,
                            "deidentified": resident.deidentified_at is not None}
    for field in FIELDS:
        if field in shown:
            data[field] = field_value(resident, field)
    return data
