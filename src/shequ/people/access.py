"""Who may do what in ``people``, and which resident fields each role sees: ONE place.

``GRANTS`` gives each role its permissions (registered with ``roles.allow`` in
``PeopleConfig.ready``); ``FIELDS`` says which permission shows each field of a resident.
Pages, the API and the export all build a resident's visible data with :func:`present`,
so they cannot disagree. The full identity number is in no field group: it is only
returned by ``services.reveal_identity_number``, which logs the read.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.utils.translation import gettext_lazy as _

from shequ import authz
from shequ.authz import Role
from shequ.core import crypto
from shequ.people.enums import Perm
from shequ.people.models import Resident

VIEW = Perm.VIEW
CONTACT = Perm.CONTACT
SENSITIVE = Perm.SENSITIVE
MANAGE = Perm.MANAGE
IMPORT = Perm.IMPORT
EXPORT = Perm.EXPORT
REVEAL = Perm.REVEAL
RIGHTS = Perm.RIGHTS
SELF = Perm.SELF
STAFF_VIEW = Perm.STAFF_VIEW
STAFF_MANAGE = Perm.STAFF_MANAGE
BODIES_VIEW = Perm.BODIES_VIEW
BODIES_MANAGE = Perm.BODIES_MANAGE

GRANTS: dict[Role, set[Perm]] = {
    Role.DISTRICT_ADMIN: {VIEW, CONTACT, SENSITIVE, MANAGE, IMPORT, EXPORT, REVEAL, RIGHTS,
                          STAFF_VIEW, STAFF_MANAGE, BODIES_VIEW, BODIES_MANAGE},
    Role.CIVIL_AFFAIRS: {VIEW, CONTACT, SENSITIVE, MANAGE, IMPORT, EXPORT, REVEAL, RIGHTS,
                         STAFF_VIEW, STAFF_MANAGE, BODIES_VIEW, BODIES_MANAGE},
    Role.STREET_OFFICER: {VIEW, CONTACT, SENSITIVE, MANAGE, IMPORT, EXPORT, RIGHTS,
                          STAFF_VIEW, STAFF_MANAGE, BODIES_VIEW, BODIES_MANAGE},
    # The front desk checks identities when it handles cases (代办).
    Role.STATION_WORKER: {VIEW, CONTACT, SENSITIVE, MANAGE, REVEAL, STAFF_VIEW, BODIES_VIEW},
    Role.COMMUNITY_WORKER: {VIEW, CONTACT, MANAGE, STAFF_VIEW, BODIES_VIEW},
    Role.REPRESENTATIVE: {BODIES_VIEW},
    Role.RESIDENT: {SELF, BODIES_VIEW},
    Role.ORG_USER: set(),
}

# field -> the permission (at the resident's area) that shows it
FIELDS: dict[str, Perm] = {
    "name": VIEW, "id_masked": VIEW, "sex": VIEW, "birth_date": VIEW, "age": VIEW,
    "household": VIEW, "is_head": VIEW, "area_code": VIEW, "community_code": VIEW,
    "registered_here": VIEW, "lives_here": VIEW, "residence_since": VIEW,
    "moved_out_on": VIEW, "elderly": VIEW, "minor": VIEW,
    "phone": CONTACT, "registered_address": CONTACT, "actual_address": CONTACT,
    "disability": SENSITIVE, "low_income": SENSITIVE,
    "deprived_of_political_rights": SENSITIVE,
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


def visible_fields(user: Any, resident: Resident) -> set[str]:
    """The fields of ``resident`` that ``user`` may see."""
    held = {perm for perm in {VIEW, CONTACT, SENSITIVE}
            if authz.has_perm(user, perm, resident.area_code)}
    if _is_self(user, resident):
        held |= {VIEW, CONTACT, SENSITIVE}
    shown = {f for f, perm in FIELDS.items() if perm in held}
    if resident.is_child and SENSITIVE not in held:
        shown &= CHILD_OPEN_FIELDS
    return shown


def _is_self(user: Any, resident: Resident) -> bool:
    return bool(getattr(user, "pk", None)) and resident.user_id == user.pk


def field_value(resident: Resident, field: str, today: date | None = None) -> Any:
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
        return crypto.open_sealed(resident.phone_cipher, context="resident.phone") \
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
