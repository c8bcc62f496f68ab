"""The vocabulary of ``services``: permissions, error codes and audit actions."""

from __future__ import annotations

from enum import StrEnum


class Perm(StrEnum):
    VIEW = "services.view"
    DESK = "services.desk"  # the station front desk (代办)
    HANDLE = "services.handle"
    DECIDE = "services.decide"
    EXTEND = "services.extend"
    STATS = "services.stats"
    CATALOGUE = "services.catalogue"
    SUPERVISE = "services.supervise"
    SWEEP = "services.sweep"
    APPLY = "services.apply"  # a signed-in resident applying for themselves
