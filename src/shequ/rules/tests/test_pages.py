"""The rules pages: public values with their sources; local values by those who may."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from shequ.rules import Rule, RuleSet, Unit, register, resolve

register(RuleSet(module="pagetest", profile="urban", label="测试规则集", version="2026.1", rules={
    "notice_days": Rule("notice_days", "会议通知提前天数", 7, Unit.DAYS, "《某法》第十条", maximum=60),
    "age": Rule("age", "年龄", 18, Unit.YEARS, "《某法》第八条", overridable=False),
}))

pytestmark = pytest.mark.django_db


def test_anyone_reads_the_rules_with_their_sources(tree: Any, client: Client) -> None:
    assert "测试规则集" in client.get("/rules/").content.decode()
    page = client.get("/rules/pagetest/urban/").content.decode()
    assert "<td>7 天</td>" in page and "《某法》第十条" in page
    assert "设定本地取值" not in page


def test_a_district_sets_and_removes_a_local_value(tree: Any, make_user: Any,
                                                   client: Client) -> None:
    client.force_login(make_user("civil_affairs", "510104"))
    page = client.get("/rules/pagetest/urban/?area=510104").content.decode()
    assert "设定本地取值" in page and "由法律规定" in page
    r = client.post("/rules/pagetest/urban/?area=510104", {
        "key": "notice_days", "area_code": "510104", "value": "5", "citation": "锦江区规定"})
    assert r.status_code == 302
    page = client.get("/rules/pagetest/urban/?area=510104022009").content.decode()
    assert "5 天" in page and "本地取值" in page and "锦江区规定 (510104)" in page
    bad = client.post("/rules/pagetest/urban/?area=510104", {
        "key": "notice_days", "area_code": "510104", "value": "-3", "citation": "x"})
    assert "“会议通知提前天数”：请填写 0 至 60 之间的数。" in bad.content.decode()
    client.post("/rules/pagetest/urban/?area=510104", {
        "key": "notice_days", "area_code": "510104", "value": "5", "citation": "x", "clear": "1"})
    assert resolve("pagetest", "urban", "510104022009").value("notice_days") == 7


def test_a_street_officer_cannot_set_values(tree: Any, make_user: Any, client: Client) -> None:
    client.force_login(make_user("street_officer", tree.street.code))
    page = client.get(f"/rules/pagetest/urban/?area={tree.street.code}").content.decode()
    assert "设定本地取值" not in page
    r = client.post(f"/rules/pagetest/urban/?area={tree.street.code}", {
        "key": "notice_days", "area_code": tree.street.code, "value": "5", "citation": "x"})
    assert "您无权" in r.content.decode()
    assert resolve("pagetest", "urban", tree.community.code).value("notice_days") == 7


def test_an_unknown_area_or_profile_is_a_clear_error(tree: Any, client: Client) -> None:
    assert client.get("/rules/pagetest/rural/").status_code == 404
    r = client.get("/rules/pagetest/urban/?area=510104999")
    assert r.status_code == 404
