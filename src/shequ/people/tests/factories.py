"""Factories for residents: valid identity numbers (GB 11643 check digit) made on demand."""

from __future__ import annotations

import itertools
from datetime import date

from shequ.core import crypto, ids
from shequ.people.facade import fake_identity_number
from shequ.people.models import ID_CONTEXT, Household, Resident

_seq = itertools.count(1)


def make_identity_number(birth: date, *, sex: str = "M", address: str = "510104",
                         serial: int | None = None) -> str:
    """A valid number that is nobody's (``people.facade.fake_identity_number``), a new
    one on each call unless ``serial`` is given."""
    return fake_identity_number(birth, sex=sex, address=address,
                                serial=serial if serial is not None else next(_seq))


def make_resident(community_code: str = "510104022009", *, name: str = "居民",
                  birth: date = date(1980, 5, 1), sex: str = "M", area_code: str | None = None,
                  household: Household | None = None, number: str | None = None,
                  **fields: object) -> Resident:
    """A resident stored exactly as the people services store one (encrypted, hashed,
    masked). Use the services in tests of the people module itself."""
    number = number or make_identity_number(birth, sex=sex)
    parsed = ids.parse_resident_id(number)
    return Resident.objects.create(
        name=name, id_hash=crypto.lookup_hash(parsed.number),
        id_cipher=crypto.seal(parsed.number, context=ID_CONTEXT),
        id_masked=parsed.masked, birth_date=parsed.birth_date, sex=parsed.sex,
        area_code=area_code or community_code, community_code=community_code,
        household=household, **fields)
