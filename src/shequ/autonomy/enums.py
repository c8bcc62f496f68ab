"""The vocabulary of ``autonomy``: permissions, error codes and audit actions."""

from __future__ import annotations

from enum import StrEnum


class Perm(StrEnum):
    VIEW = "autonomy.view"
    PARTICIPATE = "autonomy.participate"
    VOTE = "autonomy.vote"
    MANAGE = "autonomy.manage"
    SUPERVISE = "autonomy.supervise"
    RULES = "autonomy.rules"
