"""Rules of the people module as data: value, unit and where it comes from.

Each can be overridden in settings (``SHEQU_PEOPLE_<NAME>``), so a province or a newer
rule changes a number, not the code.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings


@dataclass(frozen=True)
class Rule:
    name: str
    value: int
    unit: str
    citation: str

    def current(self) -> int:
        return int(getattr(settings, f"SHEQU_PEOPLE_{self.name.upper()}", self.value))


# PIPL Art. 50 asks for a timely answer; GB/T 35273-2020 §8.7 c) sets 30 days.
RIGHTS_ANSWER_DAYS = Rule(
    "rights_answer_days", 30, "days",
    "个人信息保护法第五十条; GB/T 35273-2020《个人信息安全规范》8.7 c) (30 天内答复)")

# PIPL Art. 19 and 47: keep no longer than needed; the period is local policy.
RETENTION_YEARS = Rule(
    "retention_years", 3, "years",
    "个人信息保护法第十九条、第四十七条 (保存期限为实现处理目的所必要的最短时间); "
    "期限为本地规则, 可配置")

# 交流轮岗: who has served this long in one posting is due for rotation (local rule,
# configurable; 党政领导干部交流工作规定 sets longer limits for leading cadres).
ROTATION_YEARS = Rule(
    "rotation_years", 5, "years",
    "锦江区社区工作者交流轮岗规则 (本地规则, 可配置); 参见《党政领导干部交流工作规定》 (unverified)")

# Sichuan's 2015 target: every community has a party organisation and a residents'
# committee (DESIGN "assessment": coverage rates).
BODY_COVERAGE_TARGET = Rule("body_coverage_target", 100, "percent",
                            "四川省 2015 年城乡社区治理目标: 党组织和居委会全覆盖")

ALL = [RIGHTS_ANSWER_DAYS, RETENTION_YEARS, ROTATION_YEARS, BODY_COVERAGE_TARGET]
