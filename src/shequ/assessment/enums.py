"""The vocabulary of ``assessment``: permissions, error codes and audit actions."""

from __future__ import annotations

from enum import StrEnum


class Perm(StrEnum):
    VIEW = "assessment.view"  # dashboards, reports, exports (in the user's scope)
    SCHEME = "assessment.scheme.manage"  # write a district's scheme
    COMPUTE = "assessment.compute"  # compute and correct snapshots
    ENTER = "assessment.figure.enter"  # figures that exist only on paper


class Code(StrEnum):
    UNKNOWN_AREA = "unknown_area"
    NOT_A_DISTRICT = "not_a_district"
    BAD_YEAR = "bad_year"
    EMPTY_SCHEME = "empty_scheme"
    WEIGHT_SUM = "weight_sum_not_100"
    BAD_WEIGHT = "bad_weight"
    TARGET_RANGE = "target_outside_range"
    FLOOR = "floor_wrong_side"
    MODULE_MISSING = "indicator_module_not_installed"
    UNKNOWN_DUTY = "unknown_duty"
    UNKNOWN_SCORING = "unknown_scoring"
    DUPLICATE = "indicator_twice"
    PERIOD_OPEN = "period_not_closed"
    BAD_PERIOD = "bad_period"
    NO_SCHEME = "no_scheme"
    UNKNOWN_SNAPSHOT = "unknown_snapshot"
    REASON_REQUIRED = "reason_required"
    ALREADY_COMPUTED = "already_computed"
    NOT_MANUAL = "not_a_manual_indicator"
    BAD_VALUE = "bad_value"


class AuditAction(StrEnum):
    SCHEME_SAVE = "assessment.scheme.save"
    SNAPSHOT_COMPUTE = "assessment.snapshot.compute"
    SNAPSHOT_CORRECT = "assessment.snapshot.correct"
    FIGURE_ENTER = "assessment.figure.enter"
