"""One rule type: values shown in words, local values by area, the longest code winning."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.management import call_command
from django.utils import translation

from shequ.audit.models import AuditEntry
from shequ.authz import SYSTEM
from shequ.core.errors import BusinessError, Forbidden
from shequ.rules import Rule, RuleSet, Unit, register, resolve, resolve_many, services
from shequ.rules.types import format_share

RULES = RuleSet(module="testmod", profile="urban", label="测试", version="2026.1", rules={
    "notice_days": Rule("notice_days", "会议通知提前天数", 7, Unit.DAYS, "《某法》第十条",
                        maximum=60),
    "quorum": Rule("quorum", "法定人数", ">1/2", Unit.SHARE, "《某法》第九条"),
    "secret": Rule("secret", "无记名投票", True, Unit.FLAG, "《某法》第十五条"),
    "age": Rule("age", "年龄", 18, Unit.YEARS, "《某法》第八条", overridable=False),
    "cosigners": Rule("cosigners", "附议人数", 10, Unit.PERSONS, "锦江区做法", verified=False,
                      local=True),
})
register(RULES)


@pytest.mark.parametrize(("spec", "zh", "en"), [
    (">1/2", "过半数", "more than half"),
    (">=2/3", "不少于三分之二", "at least 2/3"),
    (">=1/5", "不少于五分之一", "at least 1/5"),
    (">1/3", "超过三分之一", "more than 1/3"),
    (">=0", "不作要求", "no requirement"),
])
def test_shares_are_shown_in_words(spec: str, zh: str, en: str) -> None:
    assert format_share(spec) == zh
    with translation.override("en"):
        assert format_share(spec) == en


def test_values_and_sources_are_shown_in_the_readers_language() -> None:
    r = RULES.rules
    assert r["notice_days"].display() == "7 天"
    assert r["secret"].display() == "是"
    assert r["cosigners"].display() == "10 人"
    assert r["cosigners"].source() == "锦江区做法（本地规则，由各区设定）（引用未核实）"
    with translation.override("en"):
        assert r["notice_days"].display() == "7 days"


@pytest.mark.django_db
def test_the_longest_code_wins_and_the_version_names_the_values(tree: Any) -> None:
    base = resolve("testmod", "urban", "510104022009")
    assert base.value("notice_days") == 7 and base.overridden == ()
    services.set_override(actor=SYSTEM, module="testmod", profile="urban", key="notice_days",
                          area_code="51", value="10", citation="四川省办法第五条")
    services.set_override(actor=SYSTEM, module="testmod", profile="urban", key="notice_days",
                          area_code="510104", value="5", citation="锦江区规定")
    here = resolve("testmod", "urban", "510104022009")
    assert here.value("notice_days") == 5 and here.overridden == ("notice_days",)
    assert here.rule("notice_days").citation == "锦江区规定 (510104)"
    elsewhere = resolve("testmod", "urban", "510105001001")
    assert elsewhere.value("notice_days") == 10
    assert here.version != base.version != elsewhere.version
    many = resolve_many("testmod", {"510104022009": "urban", "510105001001": "urban"})
    assert many["510104022009"].value("notice_days") == 5
    assert many["510105001001"].value("notice_days") == 10


@pytest.mark.django_db
@pytest.mark.parametrize(("key", "value", "code"), [
    ("notice_days", "-1", "bad_rule_value"),
    ("notice_days", "61", "bad_rule_value"),
    ("notice_days", "七", "bad_rule_value"),
    ("quorum", "1/2", "bad_rule_value"),
    ("quorum", ">3/2", "bad_rule_value"),
    ("secret", "maybe", "bad_rule_value"),
    ("age", "16", "rule_not_overridable"),
    ("nope", "1", "unknown_rule"),
])
def test_bad_local_values_are_refused_and_nothing_is_saved(tree: Any, key: str, value: str,
                                                           code: str) -> None:
    with pytest.raises(BusinessError) as err:
        services.set_override(actor=SYSTEM, module="testmod", profile="urban", key=key,
                              area_code="510104", value=value, citation="某文件")
    assert err.value.code == code
    if key == "quorum":
        assert str(err.value.message) == ("“法定人数”：比例请写成 >1/2（过半数）或 >=2/3（不少于三分之二），"
                                          "介于 0 与 1 之间。")
    assert not AuditEntry.objects.exists()


@pytest.mark.django_db
def test_only_a_district_may_set_its_own_values(tree: Any, make_user: Any) -> None:
    officer = make_user("civil_affairs", "510104")
    services.set_override(actor=officer, module="testmod", profile="urban", key="notice_days",
                          area_code="510104022", value="9", citation="锦江区规定")
    with pytest.raises(Forbidden):
        services.set_override(actor=officer, module="testmod", profile="urban",
                              key="notice_days", area_code="510105", value="9", citation="x")
    street = make_user("street_officer", "510104022")
    with pytest.raises(Forbidden):
        services.set_override(actor=street, module="testmod", profile="urban",
                              key="notice_days", area_code="510104022", value="9", citation="x")
    services.clear_override(actor=officer, module="testmod", profile="urban", key="notice_days",
                            area_code="510104022")
    assert resolve("testmod", "urban", "510104022009").value("notice_days") == 7
    assert [e.action for e in AuditEntry.objects.order_by("id")] == [
        "rules.override.set", "rules.override.clear"]


@pytest.mark.django_db
def test_the_command_shows_values_in_force(tree: Any, capsys: Any) -> None:
    call_command("rules", "set", "testmod", "urban", "notice_days", "510104", "5",
                 "--citation", "锦江区规定")
    call_command("rules", "show", "testmod", "urban", "--area", "510104022009")
    out = capsys.readouterr().out
    assert "notice_days\t会议通知提前天数\t5 天 *\t锦江区规定 (510104)\n" in out


def test_the_provinces_2015_targets_are_stored_with_their_source() -> None:
    from shequ.rules import base

    targets = base("targets", "sichuan-2015")
    assert targets.rule("direct_election_coverage").display() == "不少于五分之四"
    assert targets.rule("party_org_coverage").display() == "全部"
    assert targets.met("facility_coverage", 9, 10) and not targets.met("facility_coverage", 89, 100)
    assert "社区居民委员会直接选举面达到80%以上" in str(targets.rule("direct_election_coverage").citation)
