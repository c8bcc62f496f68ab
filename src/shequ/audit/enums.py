"""The vocabulary of ``audit``: permissions."""

from __future__ import annotations

from enum import StrEnum


class Perm(StrEnum):
    VIEW = "audit.view"
    VERIFY = "audit.verify"
