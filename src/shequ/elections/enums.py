"""The vocabulary of ``elections``: permissions, error codes and audit actions."""

from __future__ import annotations

from enum import StrEnum


class Perm(StrEnum):
    VIEW = "elections.view"
    MANAGE = "elections.manage"
    TALLY = "elections.tally"
    RECOUNT = "elections.recount"
