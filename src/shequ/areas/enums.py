"""The vocabulary of ``areas``: permissions, error codes and audit actions."""

from __future__ import annotations

from enum import StrEnum


class Perm(StrEnum):
    VIEW = "areas.view"
    FIGURES = "areas.figures"
    MANAGE = "areas.manage"


class Code(StrEnum):
    COMPOUND_EXISTS = "compound_exists"
    LEVEL_MISMATCH = "level_mismatch"
    NAME_REQUIRED = "name_required"
    NEGATIVE = "negative"
    NOT_A_COMMUNITY = "not_a_community"
    UNKNOWN_AREA = "unknown_area"
    UNKNOWN_KIND = "unknown_kind"
    UNKNOWN_DUTY = "unknown_duty"
    UNKNOWN_ZONE = "unknown_zone"
    DUTY_HOLDER = "duty_not_of_holder"
    CATEGORY_REQUIRED = "category_required"
    DEPARTMENT_EXISTS = "department_exists"


class AuditAction(StrEnum):
    IMPORT = "areas.area.import"
    FIGURES_SET = "areas.figures.set"
    GEOMETRY_SET = "areas.geometry.set"
    COMPOUND_CREATE = "areas.compound.create"
    KIND_SET = "areas.kind.set"
    SUCCESSION_RECORD = "areas.succession.record"
    STATION_SAVE = "areas.station.save"
    DEPARTMENT_SAVE = "areas.department.save"
