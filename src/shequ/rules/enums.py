"""The vocabulary of ``rules``: permissions, error codes and audit actions."""

from __future__ import annotations

from enum import StrEnum


class Perm(StrEnum):
    MANAGE = "rules.manage"  # set or clear a local value for the areas below a code


class Code(StrEnum):
    UNKNOWN_PROFILE = "unknown_profile"
    UNKNOWN_RULE = "unknown_rule"
    BAD_VALUE = "bad_rule_value"
    CITATION_REQUIRED = "citation_required"
    NOT_OVERRIDABLE = "rule_not_overridable"
    NO_OVERRIDE = "no_override"


class AuditAction(StrEnum):
    OVERRIDE_SET = "rules.override.set"
    OVERRIDE_CLEAR = "rules.override.clear"
