"""The vocabulary of ``areas``: permissions, error codes and audit actions."""

from __future__ import annotations

from enum import StrEnum


class Perm(StrEnum):
    VIEW = "areas.view"
    FIGURES = "areas.figures"
    MANAGE = "areas.manage"
