"""The vocabulary of ``accounts``: permissions."""

from __future__ import annotations

from enum import StrEnum


class Perm(StrEnum):
    MANAGE = "accounts.manage"
