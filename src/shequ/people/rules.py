"""The people module's rules from law and policy, as one ``shequ.rules`` rule set.

Registered in ``PeopleConfig.ready``; services read the values in force at an area with
:func:`profile_at` (``rules.resolve("people", "national", code)``), so a district sets its
own value as a ``RuleOverride`` row (``shequ rules set people national KEY CODE VALUE
--citation …``), never in settings. Citations name the article as the text numbers it (in the
text's own language: they are references, not translated);
a value no statute sets is ``local=True`` and says so on every page.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from shequ import rules
from shequ.rules import Profile, Rule, RuleSet, Unit

MODULE = "people"
PROFILE = "national"

RIGHTS_ANSWER_DAYS = "rights_answer_days"
RETENTION_YEARS = "retention_years"
ROTATION_YEARS = "rotation_years"
BODY_COVERAGE_TARGET = "body_coverage_target"

NATIONAL = RuleSet(
    module=MODULE, profile=PROFILE, label=_("Residents, staff and bodies (national)"),
    version="2026.1",
    rules={
        # PIPL Art. 50 asks for a convenient mechanism to receive and handle requests and
        # reasons for a refusal, but sets no number of days; 30 days is what GB/T
        # 35273-2020 (a recommended national standard, not a statute) is reported to set.
        RIGHTS_ANSWER_DAYS: Rule(
            RIGHTS_ANSWER_DAYS, _("Answer to a request to see, copy, correct or delete"), 30,
            Unit.DAYS,
            "《个人信息保护法》第五十条; GB/T 35273-2020《信息安全技术 个人信息安全规范》8.7 c)",
            verified=False, local=True, minimum=1, maximum=90,
            note=_("Calendar days from receipt, so a request in late December does not "
                   "depend on next year's working-day calendar.")),
        # PIPL Art. 19 (keep no longer than the purpose needs) and Art. 47 (delete when
        # the purpose is achieved): the law sets the principle, the district the period.
        RETENTION_YEARS: Rule(
            RETENTION_YEARS, _("Keep the record of someone who moved away"), 3, Unit.YEARS,
            "《个人信息保护法》第十九条、第四十七条", local=True, minimum=1, maximum=30,
            note=_("After this the record is de-identified by the daily retention job.")),
        # 交流轮岗: the district's own rule for community staff; the national rules on
        # rotating leading cadres set longer limits and were not read against the text.
        ROTATION_YEARS: Rule(
            ROTATION_YEARS, _("Years in one posting before rotation is due"), 5, Unit.YEARS,
            "锦江区社区工作者交流轮岗规则; 参见《党政领导干部交流工作规定》",
            verified=False, local=True, minimum=1, maximum=20),
        # Sichuan's 2015 target for urban and rural community governance: every community
        # has a party organisation and a residents' committee (DESIGN "assessment").
        BODY_COVERAGE_TARGET: Rule(
            BODY_COVERAGE_TARGET,
            _("Communities with a party organisation and a residents' committee"), 100,
            Unit.PERCENT, "四川省 2015 年城乡社区治理目标 (党组织和居民委员会全覆盖)",
            verified=False, local=True, minimum=0, maximum=100),
    },
)


def register() -> None:
    rules.register(NATIONAL)


def profile_at(area_code: str) -> Profile:
    """The people rules in force at ``area_code`` (one query)."""
    return rules.resolve(MODULE, PROFILE, area_code)


def profiles_at(area_codes: set[str]) -> dict[str, Profile]:
    """The rules in force at each of ``area_codes`` (one query for all)."""
    return rules.resolve_many(MODULE, {code: PROFILE for code in area_codes})


def smallest_value(key: str) -> int:
    """The smallest value of ``key`` in force anywhere (the base or any local value): a
    bound for a query that then judges each row by the value at its own area."""
    from shequ.rules.models import RuleOverride

    rule = NATIONAL.rules[key]
    values = [int(rule.value)]
    for raw in RuleOverride.objects.filter(module=MODULE, profile=PROFILE, key=key
                                           ).values_list("value", flat=True):
        try:
            values.append(int(rule.coerce(raw)))
        except ValueError:
            continue  # a stored value that no longer parses keeps the base value
    return min(values)
