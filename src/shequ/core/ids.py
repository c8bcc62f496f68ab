"""Validation of the identifiers the product meets: resident identity numbers
(GB 11643-1999), unified social credit codes (GB 32100-2015) and division codes
(GB/T 2260 and the 12-digit statistical codes).

Rules as in ``shared/reference/LAW.md`` ("Identity and places", "Social organisations").
Reasons are stable codes with translatable messages so the CLI, pages and API say the
same thing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from django.utils.translation import gettext_lazy as _

from shequ.core.errors import BusinessError

# GB 11643-1999: ISO 7064 MOD 11-2 weights and check characters.
RIC_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
RIC_CHECK = "10X98765432"
# GB 32100-2015: 31-character alphabet (no I, O, S, V, Z) and weights.
USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
# GB 32100-2015 table 1: registering department codes; 5 = civil affairs.
USCC_DEPARTMENTS = {
    "1": _("institutional establishment"), "5": _("civil affairs"), "9": _("industry and commerce"),
    "Y": _("other"), "2": _("foreign affairs"), "3": _("justice"), "4": _("culture"),
    "6": _("tourism"), "7": _("religious affairs"), "8": _("trade unions"), "A": _("central military"),
    "N": _("agriculture"),
}
CIVIL_AFFAIRS_TYPES = {"1": _("social association"), "2": _("private non-enterprise unit"),
                       "3": _("foundation"), "9": _("other")}


class IdKind(StrEnum):
    RESIDENT_ID = "resident_id"
    CREDIT_CODE = "credit_code"
    DIVISION_CODE = "division_code"
    UNKNOWN = "unknown"


class InvalidId(BusinessError):
    default_code = "invalid_id"


@dataclass(frozen=True)
class ResidentId:
    number: str
    address_code: str
    birth_date: date
    sequence: int

    @property
    def sex(self) -> str:
        """"M" or "F": GB 11643 gives odd sequence numbers to men."""
        return "M" if self.sequence % 2 else "F"

    def age_on(self, day: date) -> int:
        years = day.year - self.birth_date.year
        if (day.month, day.day) < (self.birth_date.month, self.birth_date.day):
            years -= 1
        return years

    @property
    def masked(self) -> str:
        return mask_resident_id(self.number)


@dataclass(frozen=True)
class CreditCode:
    code: str
    department: str
    org_type: str
    division_code: str
    org_code: str

    @property
    def is_civil_affairs(self) -> bool:
        return self.department == "5"


def normalise(value: str) -> str:
    return re.sub(r"[\s-]", "", value or "").upper()


def ric_check_char(first17: str) -> str:
    total = sum(int(d) * w for d, w in zip(first17, RIC_WEIGHTS, strict=True))
    return RIC_CHECK[total % 11]


def parse_resident_id(value: str, *, today: date | None = None) -> ResidentId:
    """Validate a resident identity number and derive birth date and sex.

    The address code is not checked against the division list: numbers keep the code of
    the place of first registration, which may have been abolished since (a warning, not
    an error; LAW.md notes ``stdnum.cn.ric`` is too strict there).
    """
    number = normalise(value)
    if len(number) != 18:
        raise InvalidId(_("A resident identity number has 18 characters; this one has %(n)d.")
                        % {"n": len(number)}, code="ric_length", details={"length": len(number)})
    if not number[:17].isdigit() or not (number[17].isdigit() or number[17] == "X"):
        raise InvalidId(_("Only digits are allowed, and X as the last character."),
                        code="ric_characters")
    try:
        born = date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        raise InvalidId(_("The birth date %(d)s in the number does not exist.") % {"d": number[6:14]},
                        code="ric_birth_date", details={"birth_date": number[6:14]}) from None
    today = today or date.today()
    if born > today or born.year < 1880:
        raise InvalidId(_("The birth date %(d)s in the number is impossible.") % {"d": born.isoformat()},
                        code="ric_birth_date", details={"birth_date": born.isoformat()})
    expected = ric_check_char(number[:17])
    if number[17] != expected:
        raise InvalidId(_("The check character is wrong (GB 11643-1999, ISO 7064 MOD 11-2)."),
                        code="ric_check", details={"given": number[17]})
    return ResidentId(number=number, address_code=number[:6], birth_date=born,
                      sequence=int(number[14:17]))


def mask_resident_id(value: str) -> str:
    """Show the address code and the last four characters only: ``510104********1234``."""
    number = normalise(value)
    if len(number) != 18:
        return "*" * len(number)
    return f"{number[:6]}{'*' * 8}{number[-4:]}"


def uscc_check_char(first17: str) -> str:
    total = sum(USCC_ALPHABET.index(c) * w for c, w in zip(first17, USCC_WEIGHTS, strict=True))
    return USCC_ALPHABET[(31 - total % 31) % 31]


def parse_credit_code(value: str) -> CreditCode:
    """Validate a unified social credit code (GB 32100-2015).

    Letters are allowed in the first position (some registrants use them), unlike
    ``stdnum.cn.uscc``.
    """
    code = normalise(value)
    if len(code) != 18:
        raise InvalidId(_("A unified social credit code has 18 characters; this one has %(n)d.")
                        % {"n": len(code)}, code="uscc_length", details={"length": len(code)})
    bad = sorted({c for c in code if c not in USCC_ALPHABET})
    if bad:
        raise InvalidId(_("Characters not used in credit codes: %(c)s (I, O, S, V and Z never appear).")
                        % {"c": " ".join(bad)}, code="uscc_characters", details={"characters": bad})
    if not code[2:8].isdigit():
        raise InvalidId(_("Characters 3 to 8 must be the 6-digit division code."),
                        code="uscc_division")
    if code[17] != uscc_check_char(code[:17]):
        raise InvalidId(_("The check character is wrong (GB 32100-2015)."), code="uscc_check",
                        details={"given": code[17]})
    return CreditCode(code=code, department=code[0], org_type=code[1], division_code=code[2:8],
                      org_code=code[8:17])


DIVISION_LENGTHS = {2: "province", 4: "city", 6: "district", 9: "street", 12: "community",
                    15: "compound"}


def check_division_code(value: str) -> str:
    """Return the level a division code's length implies, or raise."""
    code = normalise(value)
    if not code.isdigit() or len(code) not in DIVISION_LENGTHS:
        raise InvalidId(_("A division code has 2, 4, 6, 9, 12 or 15 digits."),
                        code="division_format")
    return DIVISION_LENGTHS[len(code)]


def identify(value: str) -> IdKind:
    """Say which kind of number ``value`` is meant to be, before validating it.

    A number that passes one checksum is that kind; otherwise the shape decides (an
    identity number is digits with a plausible birth date, a credit code may hold letters).
    """
    code = normalise(value)
    if code.isdigit() and len(code) in DIVISION_LENGTHS:
        return IdKind.DIVISION_CODE
    if len(code) == 18:
        for kind, parser in ((IdKind.RESIDENT_ID, parse_resident_id),
                             (IdKind.CREDIT_CODE, parse_credit_code)):
            try:
                parser(code)
            except InvalidId:
                continue
            return kind
        if code[:17].isdigit() and code[6:8] in {"18", "19", "20"}:
            return IdKind.RESIDENT_ID
        return IdKind.CREDIT_CODE
    if code[:-1].isdigit() and len(code) in (16, 17, 19):
        return IdKind.RESIDENT_ID
    return IdKind.UNKNOWN


def make_resident_id(birth: date, *, sex: str = "M", address: str = "510104",
                     serial: int = 1) -> str:
    """A valid (never a real person's) identity number for demos, tests and benchmarks.

    ``serial`` picks the 3-digit sequence (odd for men, even for women, GB 11643); the same
    arguments always give the same number, so loaders stay idempotent. Use
    ``people.facade.fake_identity_number`` from other modules.
    """
    male = sex.upper() == "M"
    seq = (serial * 2 + (1 if male else 0)) % 1000
    if seq % 2 != (1 if male else 0):
        seq = (seq + 1) % 1000
    first17 = f"{address}{birth:%Y%m%d}{seq:03d}"
    return first17 + ric_check_char(first17)


def make_credit_code(*, division_code: str = "510104", serial: int = 1, department: str = "5",
                     org_type: str = "1") -> str:
    """A valid unified social credit code (GB 32100) for demos and tests: department 5
    (civil affairs), type 1 (social association), 2 (private non-enterprise), 3 (foundation)."""
    body = f"{serial:09d}"
    org = body[:8] + USCC_ALPHABET[int(body[8]) % 10]
    first17 = f"{department}{org_type}{division_code}{org}"
    return first17 + uscc_check_char(first17)
