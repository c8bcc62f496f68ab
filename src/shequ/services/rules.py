"""Rules from law as data: each a value, its unit and its citation (LAW.md).

Views, services and jobs read these through :func:`value`; a province (or a newer law)
changes them with a profile here, never with a literal in a view.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Rule:
    key: str
    value: int
    unit: str  # "working days", "bytes", "count"
    citation: str
    label: str | Promise


DEFAULT_PROFILE = "national"

RULES: dict[str, dict[str, Rule]] = {
    "national": {r.key: r for r in [
        Rule("decision_days", 20, "working days",
             "行政许可法 第四十二条 (decision within 20 days of acceptance)",
             _("Time limit for a decision")),
        Rule("extension_days", 10, "working days",
             "行政许可法 第四十二条 (one extension of 10 days with the head's approval)",
             _("Extension, at most once")),
        Rule("max_extensions", 1, "count", "行政许可法 第四十二条",
             _("Number of extensions allowed")),
        Rule("correction_notice_days", 5, "working days",
             "行政许可法 第三十二条 (missing materials named within 5 days, in one notice; "
             "otherwise accepted on receipt)",
             _("Window for requesting missing materials")),
        Rule("issue_days", 10, "working days", "行政许可法 第四十四条 (issue within 10 days)",
             _("Time limit for issuing the result")),
        Rule("warning_days", 3, "working days",
             "local service standard (configurable): warn this many working days before the "
             "deadline", _("Warning before the deadline")),
        Rule("attachment_max_bytes", 10 * 1024 * 1024, "bytes",
             "local e-government standard (configurable)", _("Largest attachment")),
        Rule("progress_max_failures", 10, "count",
             "PIPL Art. 51 (security measures); local standard (configurable)",
             _("Wrong progress queries per case number before a pause")),
        Rule("progress_window_minutes", 60, "minutes", "local standard (configurable)",
             _("Window for counting wrong progress queries")),
        Rule("attachments_per_case", 20, "count", "local e-government standard (configurable)",
             _("Attachments per case")),
    ]},
}

# Attachments: file name extension -> (content type, leading bytes that prove it).
ATTACHMENT_TYPES: dict[str, tuple[str, tuple[bytes, ...]]] = {
    "pdf": ("application/pdf", (b"%PDF-",)),
    "jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
    "jpeg": ("image/jpeg", (b"\xff\xd8\xff",)),
    "png": ("image/png", (b"\x89PNG\r\n\x1a\n",)),
}


def rule(key: str, profile: str = DEFAULT_PROFILE) -> Rule:
    table = RULES.get(profile, RULES[DEFAULT_PROFILE])
    return table.get(key) or RULES[DEFAULT_PROFILE][key]


def value(key: str, profile: str = DEFAULT_PROFILE) -> int:
    return rule(key, profile).value
