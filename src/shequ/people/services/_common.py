"""Helpers shared by the people services: areas, phones, identity numbers, actors.

Identity numbers are validated (GB 11643), sealed (AES-GCM), hashed (HMAC) and masked
here and nowhere else (ADR 0300)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from shequ.areas.models import Area, Level
from shequ.core import crypto, ids
from shequ.core.errors import BusinessError, Conflict, NotFound
from shequ.people.enums import AuditAction, Code
from shequ.people.models import ID_CONTEXT, PHONE_CONTEXT, Household, Resident


def actor_name(actor: Any) -> str:
    return (getattr(actor, "username", "") or str(actor)) if actor is not None else "system"


def actor_pk(actor: Any) -> int | None:
    pk = getattr(actor, "pk", None)
    return pk if isinstance(pk, int) else None


def community(code: str) -> Area:
    area = Area.objects.filter(code=code, level=Level.COMMUNITY).first()
    if area is None:
        raise NotFound(_("Unknown community code: %(c)s.") % {"c": code},
                       code=Code.UNKNOWN_COMMUNITY, details={"community_code": code})
    return area


def area_in(community_code: str, area_code: str | None) -> str:
    """The resident's area: the compound when given (it must lie in the community)."""
    if not area_code or area_code == community_code:
        return community_code
    if not area_code.startswith(community_code) or not Area.objects.filter(
            code=area_code, level=Level.COMPOUND).exists():
        raise BusinessError(_("%(a)s is not a compound of community %(c)s.")
                            % {"a": area_code, "c": community_code}, code=Code.BAD_COMPOUND,
                            details={"area_code": area_code, "community_code": community_code})
    return area_code


def name_of(text: str, *, field: str = "name") -> str:
    name = text.strip()
    if not name:
        raise BusinessError(_("The name is empty."), code=Code.NAME_REQUIRED,
                            details={"field": field})
    if len(name) > 100:
        raise BusinessError(_("The name is longer than 100 characters."),
                            code=Code.NAME_TOO_LONG, details={"field": field})
    return name


def sealed_phone(phone: str) -> tuple[str, str]:
    """``(cipher, last four digits)`` of a phone number; ``("", "")`` for none."""
    phone = (phone or "").replace(" ", "").replace("-", "")
    if not phone:
        return "", ""
    if not (phone.lstrip("+").isdigit() and 7 <= len(phone) <= 15):
        raise BusinessError(_("%(v)s is not a phone number.") % {"v": phone},
                            code=Code.BAD_PHONE, details={"field": "phone"})
    return crypto.seal(phone, context=PHONE_CONTEXT), phone[-4:]


def parse_number(number: str) -> ids.ResidentId:
    return ids.parse_resident_id(number)


def seal_number(number: str) -> str:
    return crypto.seal(number, context=ID_CONTEXT)


def open_number(resident: Resident) -> str:
    return crypto.open_sealed(resident.id_cipher, context=ID_CONTEXT)


def registered_elsewhere() -> BusinessError:
    """The answer names neither the community nor the record (ADR 0308): the person must
    move out there first, and the district sees the attempt (:func:`log_elsewhere`)."""
    return Conflict(
        _("This person is already registered in another community; they must move out "
          "there first (the district office can see where)."),
        code=Code.REGISTERED_ELSEWHERE)


def duplicate_identity() -> BusinessError:
    return Conflict(_("Another record already has this identity number; nothing was "
                      "changed (the district office can see which)."),
                    code=Code.DUPLICATE_IDENTITY, details={"field": "id_number"})


def common_area(codes: list[str]) -> str:
    """The smallest division code covering all ``codes`` (province, city, district,
    street, community or compound)."""
    codes = [c for c in codes if c]
    if not codes:
        return ""
    prefix = codes[0]
    for code in codes[1:]:
        while not code.startswith(prefix):
            prefix = prefix[:-1]
    for length in (15, 12, 9, 6, 4, 2):
        if len(prefix) >= length:
            return prefix[:length]
    return ""


def log_elsewhere(*, actor: Any, kind: str, community_code: str, elsewhere: list[str],
                  id_masked: list[str], lines: list[int] | None = None) -> None:
    """Log, in its own transaction (the refused use case rolled back), that ``actor``
    tried to record numbers held by records in ``elsewhere``. The entry lies at the
    smallest area covering both sides, so only someone who may see both reads it."""
    from django.db import transaction

    from shequ.audit.services import record

    with transaction.atomic():
        record(actor=actor, action=AuditAction.RESIDENT_ELSEWHERE_ATTEMPT,
               object_type="people.resident",
               area_code=common_area([community_code, *elsewhere]),
               changes={"kind": kind, "community_code": community_code,
                        "elsewhere": sorted(set(elsewhere)), "id_masked": id_masked[:100],
                        "lines": (lines or [])[:100], "attempts": len(id_masked)})


def household_of(community_code: str, number: str, *, area_code: str, address: str = ""
                 ) -> Household:
    hh, created = Household.objects.get_or_create(
        community_code=community_code, number=number,
        defaults={"area_code": area_code, "address": address})
    if not created and address and hh.address != address:
        hh.address = address
        hh.save(update_fields=["address"])
    return hh


def head_conflict(household: Household, head: Resident) -> BusinessError:
    return Conflict(_("Household %(h)s already has a head (%(n)s).")
                    % {"h": household.number, "n": head.name},
                    code=Code.HOUSEHOLD_HAS_HEAD,
                    details={"household": household.number,
                             "community_code": household.community_code})
