"""The vocabulary of ``web``: permissions."""

from __future__ import annotations

from enum import StrEnum


class Perm(StrEnum):
    CONSOLE = "web.console"  # the staff console and the pages every staff member uses
