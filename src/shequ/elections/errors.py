"""Refusals under a rule from law: the code is the rule's key, the details name the rule,
its value in words and its source, so every channel can say which law refused."""

from __future__ import annotations

from typing import Any

from django.utils.functional import Promise

from shequ.core.errors import BusinessError
from shequ.elections.enums import Code
from shequ.rules import Rule


class RuleError(BusinessError):
    """A refusal under a rule of law: ``details`` name the rule and its citation."""

    default_code = Code.RULE
    status = 422


def refuse(message: str | Promise, rule: Rule, **details: Any) -> RuleError:
    return RuleError(message, code=Code(rule.key),
                     details={"rule": rule.key, "value": rule.value, "unit": str(rule.unit),
                              "display": rule.display(), "citation": str(rule.citation),
                              "source": rule.source(), "verified": rule.verified, **details})
