"""The rules from law the case clock runs on, as one :class:`~shequ.rules.RuleSet`.

Registered in ``apps.ready``; read through :func:`profile` (the values in force at an
area: the national values, then local values a province, district or street set with
``shequ rules set``). The submission is the hot path (ADR 0010), so a process keeps each
area's profile for :data:`PROFILE_TTL` seconds and forgets them all at once when a local
value is set or cleared in that process; another process sees the change within the TTL
(ADR 0405).

Citations are the statute's own words for where it says so; ``local=True`` marks values
no statute sets. Issue 11 (ADR 0406–0408): the periods of Arts. 42(2) and 43 are rules; an item's own
periods (kind, handling, extension) are the catalogue's, checked against these.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterable
from typing import Any

from django.utils.translation import gettext_lazy as _

from shequ import rules
from shequ.rules import Profile, Rule, RuleSet, Unit

MODULE = "services"
PROFILE = "national"
PROFILE_TTL = 60.0  # seconds a process keeps an area's resolved profile
_PROFILES_MAX = 10_000

XKXF = "《中华人民共和国行政许可法》"
PIPL = "《中华人民共和国个人信息保护法》"
LOCAL = _("No statute sets this value; the product's default, which a district may change")

NATIONAL = RuleSet(
    module=MODULE, profile=PROFILE, label=_("National rules (Administrative Licensing Law)"),
    version="2026.1", rules={r.key: r for r in [
        Rule("decision_days", _("Time limit for a decision"), 20, Unit.WORKING_DAYS,
             f"{XKXF}第四十二条第一款、第八十二条", minimum=1,
             note=_("Counted from the day of acceptance, that day not included.")),
        Rule("extension_days", _("Extension, at most once"), 10, Unit.WORKING_DAYS,
             f"{XKXF}第四十二条第一款", minimum=1,
             note=_("With the approval of the head of the office; the reason is told to "
                    "the applicant.")),
        Rule("joint_decision_days", _("Time limit for unified, joint or centralised handling"),
             45, Unit.WORKING_DAYS, f"{XKXF}第四十二条第二款、第八十二条", minimum=1,
             note=_("Where several departments handle a licence together (Art. 26).")),
        Rule("joint_extension_days", _("Extension of unified, joint or centralised handling"),
             15, Unit.WORKING_DAYS, f"{XKXF}第四十二条第二款", minimum=1,
             note=_("With the approval of the head of the people's government at that "
                    "level.")),
        Rule("first_review_days", _("Time limit for a lower office's first review"), 20,
             Unit.WORKING_DAYS, f"{XKXF}第四十三条、第八十二条", minimum=1,
             note=_("The lower office reviews within this period and sends its opinion and "
                    "all materials to the office that decides; the article allows no "
                    "extension.")),
        Rule("max_extensions", _("Number of extensions allowed"), 1, Unit.COUNT,
             f"{XKXF}第四十二条第一款", minimum=0,
             note=_("The article allows one extension; this is how the product reads it.")),
        Rule("correction_notice_days", _("Window for requesting missing materials"), 5,
             Unit.WORKING_DAYS, f"{XKXF}第三十二条第一款第（四）项、第八十二条", minimum=1,
             note=_("Everything missing is named in one notice within this window; "
                    "otherwise the application counts as accepted on receipt.")),
        Rule("correction_once", _("Everything to be supplied is named in one notice"), True,
             Unit.FLAG, f"{XKXF}第三十二条第一款第（四）项", overridable=False,
             note=_("一次告知: a further notice may only concern materials supplied since the "
                    "previous one.")),
        Rule("issue_days", _("Time limit for issuing the result"), 10, Unit.WORKING_DAYS,
             f"{XKXF}第四十四条、第八十二条", minimum=1),
        Rule("warning_days", _("Warning before the deadline"), 3, Unit.WORKING_DAYS, LOCAL,
             local=True, minimum=0),
        Rule("attachment_max_bytes", _("Largest attachment"), 10 * 1024 * 1024, Unit.BYTES,
             LOCAL, local=True, minimum=1),
        Rule("attachments_per_case", _("Attachments per case"), 20, Unit.COUNT, LOCAL,
             local=True, minimum=1),
        Rule("progress_max_failures",
             _("Wrong progress queries per case number before a pause"), 10, Unit.COUNT,
             f"{PIPL}第五十一条", local=True, minimum=1,
             note=_("The law asks for security measures; the number is the product's "
                    "default.")),
        Rule("progress_window_minutes", _("Window for counting wrong progress queries"), 60,
             Unit.MINUTES, LOCAL, local=True, minimum=1),
    ]})

_profiles: dict[str, tuple[float, Profile]] = {}
_lock = threading.Lock()


def profile(area_code: str) -> Profile:
    """The services rules in force at ``area_code`` (``""``: the national values)."""
    now = time.monotonic()
    hit = _profiles.get(area_code)
    if hit is not None and hit[0] > now:
        return hit[1]
    resolved = rules.resolve(MODULE, PROFILE, area_code) if area_code else rules.base(
        MODULE, PROFILE)
    with _lock:
        if len(_profiles) >= _PROFILES_MAX:
            _profiles.clear()
        _profiles[area_code] = (now + PROFILE_TTL, resolved)
    return resolved


def profiles(area_codes: Iterable[str]) -> dict[str, Profile]:
    """The profiles of many areas in one query (the sweep's streets), kept like
    :func:`profile`'s."""
    codes = sorted(set(area_codes))
    if not codes:
        return {}
    resolved = rules.resolve_many(MODULE, {code: PROFILE for code in codes})
    until = time.monotonic() + PROFILE_TTL
    with _lock:
        if len(_profiles) + len(resolved) >= _PROFILES_MAX:
            _profiles.clear()
        _profiles.update({code: (until, p) for code, p in resolved.items()})
    return resolved


def forget(**_kwargs: Any) -> None:
    """Drop every kept profile (a local value changed in this process; tests)."""
    with _lock:
        _profiles.clear()
