"""The services rules as a registered rule set: citations in the law's own words, local
values that take effect where they are set, and the sweep honouring them."""

from __future__ import annotations

from datetime import date
from typing import Any

from shequ import rules as shared
from shequ.authz import SYSTEM
from shequ.rules.services import clear_override, set_override
from shequ.services import rules, services
from shequ.services.models import Case

from .conftest import at, submit, with_record


def test_the_national_rule_set_is_registered_with_citations_in_the_laws_words() -> None:
    rs = shared.ruleset("services", "national")
    assert rs is rules.NATIONAL
    decision = rs.rules["decision_days"]
    assert (decision.value, decision.unit) == (20, "working_days")
    assert decision.display() == "20 个工作日"
    assert decision.source() == "《中华人民共和国行政许可法》第四十二条第一款、第八十二条"
    assert rs.rules["correction_notice_days"].source() == (
        "《中华人民共和国行政许可法》第三十二条第一款第（四）项、第八十二条")
    assert rs.rules["issue_days"].citation == "《中华人民共和国行政许可法》第四十四条、第八十二条"
    local = sorted(k for k, r in rs.rules.items() if r.local)
    assert local == ["attachment_max_bytes", "attachments_per_case", "progress_max_failures",
                     "progress_window_minutes", "warning_days"]
    assert all(r.verified for r in rs.rules.values())
    assert rs.rules["warning_days"].source() == (
        "法律未作规定,为本系统默认值,各区可自行设定（本地规则，由各区设定）")
    assert rs.rules["attachment_max_bytes"].display() == "10 MB"


def test_a_local_window_for_materials_applies_to_the_next_filing_there(item: Any,
                                                                       resident_user: Any,
                                                                       make_user: Any) -> None:
    before = submit(resident_user)
    assert before.accept_by == date(2025, 10, 13)  # 5 working days across National Day
    set_override(actor=SYSTEM, module="services", profile="national",
                 key="correction_notice_days", area_code="510104022", value="3",
                 citation="锦江区政务服务事项办理规范(示例)")
    assert rules.profile("510104022009").number("correction_notice_days") == 3
    after = submit(resident_user)
    assert after.accept_by == date(2025, 10, 10)  # 30 Sep, 9 and 10 Oct
    elsewhere = submit(with_record(make_user("resident", "510104037001"), "孙丽", 8,
                                   "510104037001"), area_code="510104037001")
    assert elsewhere.accept_by == date(2025, 10, 13)
    clear_override(actor=SYSTEM, module="services", profile="national",
                   key="correction_notice_days", area_code="510104022")
    assert submit(resident_user).accept_by == date(2025, 10, 13)


def test_the_sweep_warns_with_a_communitys_own_window(item: Any, officer: Any,
                                                      resident_user: Any, make_user: Any) -> None:
    """One street, two communities: the one that set a 10-day warning window is warned
    first; the other keeps the national 3 days."""
    other = with_record(make_user("resident", "510104022011"), "孙丽", 9, "510104022011")
    mine = services.accept(actor=officer, number=submit(resident_user).number,
                           at=at("2025-09-30"))
    theirs = services.accept(actor=officer, at=at("2025-09-30"),
                             number=submit(other, area_code="510104022011").number)
    assert mine.due_on == theirs.due_on == date(2025, 11, 4)
    set_override(actor=SYSTEM, module="services", profile="national", key="warning_days",
                 area_code="510104022009", value="10", citation="社区服务承诺(示例)")
    result = services.sweep(actor=SYSTEM, at=at("2025-10-23"))  # 8 working days left
    assert result.warned == 1
    assert dict(Case.objects.values_list("area_code", "sla")) == {
        "510104022009": "warning", "510104022011": "on_time"}
    assert services.sweep(actor=SYSTEM, at=at("2025-10-30")).warned == 1  # 3 left: the other
