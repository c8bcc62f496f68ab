"""The vocabulary of ``workdays``: permissions, error codes and audit actions."""

from __future__ import annotations

from enum import StrEnum


class Perm(StrEnum):
    MANAGE = "workdays.manage"


class Code(StrEnum):
    SOURCE_REQUIRED = "source_required"
    BAD_PERIOD = "bad_period"
    DAY_CONFLICT = "day_conflict"
    WRONG_YEAR = "wrong_year"
    UNKNOWN_KIND = "unknown_kind"


class AuditAction(StrEnum):
    ENTER_YEAR = "workdays.year.enter"
    SET_DAY = "workdays.day.set"
