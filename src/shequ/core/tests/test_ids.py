from __future__ import annotations

from datetime import date

import pytest

from shequ.core import ids
from shequ.core.ids import IdKind, InvalidId

VALID_RIC = "11010519491231002X"  # the GB 11643 example
VALID_USCC = "91350100M000100Y43"


def test_resident_id_derives_birth_date_and_sex() -> None:
    rid = ids.parse_resident_id(VALID_RIC)
    assert rid.birth_date == date(1949, 12, 31)
    assert rid.sex == "F"  # sequence 002 is even
    assert rid.address_code == "110105"
    assert rid.masked == "110105********002X"
    assert rid.age_on(date(2025, 12, 30)) == 75
    assert rid.age_on(date(2025, 12, 31)) == 76


def test_lower_case_x_and_spaces_are_normalised() -> None:
    assert ids.parse_resident_id(" 11010519491231002x ").number == VALID_RIC


@pytest.mark.parametrize(("value", "code"), [
    ("110105194912310021", "ric_check"),
    ("11010519491331002X", "ric_birth_date"),   # month 13
    ("11010520990101002X", "ric_birth_date"),   # in the future
    ("1101051949123100", "ric_length"),
    ("11010519491231A02X", "ric_characters"),
])
def test_invalid_resident_ids_say_why(value: str, code: str) -> None:
    with pytest.raises(InvalidId) as err:
        ids.parse_resident_id(value, today=date(2026, 11, 25))
    assert err.value.code == code


def test_birth_date_on_29_february_only_in_leap_years() -> None:
    first17 = "51010420000229001"
    ids.parse_resident_id(first17 + ids.ric_check_char(first17))
    bad = "51010420010229001"
    with pytest.raises(InvalidId):
        ids.parse_resident_id(bad + ids.ric_check_char(bad))


def test_mask_never_shows_the_birth_date() -> None:
    assert "19491231" not in ids.mask_resident_id(VALID_RIC)


def test_credit_code_check_character() -> None:
    cc = ids.parse_credit_code(VALID_USCC)
    assert cc.division_code == "350100"
    assert not cc.is_civil_affairs
    with pytest.raises(InvalidId) as err:
        ids.parse_credit_code(VALID_USCC[:-1] + "4")
    assert err.value.code == "uscc_check"


def test_credit_code_for_a_civil_affairs_foundation() -> None:
    first17 = "53510104MJ0000001"
    code = first17 + ids.uscc_check_char(first17)
    cc = ids.parse_credit_code(code)
    assert cc.is_civil_affairs and cc.org_type == "3" and cc.division_code == "510104"


def test_credit_code_rejects_letters_not_in_the_alphabet() -> None:
    with pytest.raises(InvalidId) as err:
        ids.parse_credit_code("91350100M0001O0Y43")
    assert err.value.code == "uscc_characters"
    assert err.value.details["characters"] == ["O"]


@pytest.mark.parametrize(("value", "kind"), [
    (VALID_RIC, IdKind.RESIDENT_ID), ("110105194912310021", IdKind.RESIDENT_ID),
    (VALID_USCC, IdKind.CREDIT_CODE), ("510104", IdKind.DIVISION_CODE),
    ("510104022009", IdKind.DIVISION_CODE), ("hello", IdKind.UNKNOWN),
])
def test_identify(value: str, kind: IdKind) -> None:
    assert ids.identify(value) == kind
