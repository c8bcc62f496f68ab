"""Schemas every module's ``api.py`` may use (a module may not import ``shequ.api``, which
sits above it): the one error shape of the API."""

from __future__ import annotations

from typing import Annotated, Any

from ninja import Schema
from pydantic import Field

# A calendar year a person may type: the People's Republic's first to a century ahead.
# An unbounded int let 99999 through and 10^30 overflow the database (issue 13 item 6).
Year = Annotated[int, Field(ge=1949, le=2100, description="a calendar year, 1949–2100")]
# A row's id as a client sends it: what a database id column holds.
Id = Annotated[int, Field(ge=1, le=2**63 - 1)]


class ErrorOut(Schema):
    """Every error of the API (``BusinessError.as_dict()``)."""

    code: str = Field(description="stable, for programs: not_found, forbidden, auth_required…")
    message: str = Field(description="for people, in the language of Accept-Language")
    details: dict[str, Any] = Field(description="what exactly was wrong (fields, limits…)")
