"""Schemas every module's ``api.py`` may use (a module may not import ``shequ.api``, which
sits above it): the one error shape of the API."""

from __future__ import annotations

from typing import Any

from ninja import Schema
from pydantic import Field


class ErrorOut(Schema):
    """Every error of the API (``BusinessError.as_dict()``)."""

    code: str = Field(description="stable, for programs: not_found, forbidden, auth_required…")
    message: str = Field(description="for people, in the language of Accept-Language")
    details: dict[str, Any] = Field(description="what exactly was wrong (fields, limits…)")
