"""The people rules as a ``shequ.rules`` rule set: citations and their flags, local values
per area (``shequ rules set``) instead of settings, shown in words on the pages."""

from __future__ import annotations

import io
from datetime import date, timedelta
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from shequ import rules as shared_rules
from shequ.audit.models import AuditEntry
from shequ.authz import SYSTEM
from shequ.people import rules, selectors, services
from shequ.people.models import BodyKind
from shequ.people.tests.factories import make_identity_number
from shequ.rules.services import set_override

pytestmark = pytest.mark.django_db


def test_the_rule_set_is_registered_with_honest_citations() -> None:
    rs = shared_rules.ruleset("people", "national")
    assert sorted(rs.rules) == ["body_coverage_target", "retention_years", "rights_answer_days",
                                "rotation_years"]
    rotation = rs.rules["rotation_years"]
    assert (rotation.value, rotation.verified, rotation.local) == (5, False, True)
    assert rotation.display() == "5 年"
    assert rotation.source() == ("锦江区社区工作者交流轮岗规则; 参见《党政领导干部交流工作规定》"
                                 "（本地规则，由各区设定）（引用未核实）")
    retention = rs.rules["retention_years"]
    assert (retention.verified, retention.local) == (True, True)  # PIPL read; the period is local
    assert retention.source() == "《个人信息保护法》第十九条、第四十七条（本地规则，由各区设定）"
    answer = rs.rules["rights_answer_days"]
    assert answer.display() == "30 天" and not answer.verified
    assert rs.rules["body_coverage_target"].display() == "100%"


def test_a_local_answer_period_applies_to_its_area_only(tree: Any) -> None:
    call_command("rules", "set", "people", "national", "rights_answer_days", tree.community.code,
                 "15", "--citation", "督院街社区个人信息保护规程", stdout=io.StringIO())
    here = services.register_resident(
        actor=SYSTEM, name="本社区", id_number=make_identity_number(date(1970, 1, 1), serial=331),
        community_code=tree.community.code)
    there = services.register_resident(
        actor=SYSTEM, name="别社区", id_number=make_identity_number(date(1970, 1, 1), serial=332),
        community_code=tree.community2.code)
    received = date(2026, 3, 2)
    a = services.file_rights_request(actor=SYSTEM, resident=here, kind="access", received_on=received)
    b = services.file_rights_request(actor=SYSTEM, resident=there, kind="access", received_on=received)
    assert (a.due_on, b.due_on) == (date(2026, 3, 17), date(2026, 4, 1))
    entry = AuditEntry.objects.get(action="people.rights_request.file", object_id=str(a.pk))
    assert entry.changes["rules"] == rules.profile_at(tree.community.code).version
    assert entry.changes["rules"] != rules.profile_at(tree.community2.code).version


def test_retention_follows_the_period_in_force_at_each_community(tree: Any) -> None:
    today = timezone.localdate()
    set_override(
        actor=SYSTEM, module="people", profile="national", key="retention_years",
        area_code=tree.community.code, value="1", citation="督院街社区数据保存规定")
    gone_here = services.register_resident(
        actor=SYSTEM, name="迁出甲", id_number=make_identity_number(date(1960, 1, 1), serial=341),
        community_code=tree.community.code)
    gone_there = services.register_resident(
        actor=SYSTEM, name="迁出乙", id_number=make_identity_number(date(1960, 1, 1), serial=342),
        community_code=tree.community2.code)
    two_years = today - timedelta(days=2 * 366)
    services.move_out(actor=SYSTEM, resident=gone_here, on=two_years)
    services.move_out(actor=SYSTEM, resident=gone_there, on=two_years)
    assert services.run_retention(actor=SYSTEM, dry_run=True) == 1
    assert services.run_retention(actor=SYSTEM) == 1
    gone_here.refresh_from_db()
    gone_there.refresh_from_db()
    assert gone_here.deidentified_at is not None and gone_there.deidentified_at is None
    entry = AuditEntry.objects.get(action="people.resident.retention")
    assert entry.area_code == tree.community.code and entry.changes["years"] == 1


def test_coverage_is_judged_against_the_target_in_force(tree: Any) -> None:
    for code in (tree.community.code, tree.community2.code):
        services.create_body(actor=SYSTEM, kind=BodyKind.PARTY, name="党组织", area_code=code)
        services.create_body(actor=SYSTEM, kind=BodyKind.RESIDENTS_COMMITTEE, name="居委会",
                             area_code=code)
    rows = {c.code: c for c in selectors.coverage(user=SYSTEM, code=tree.district.code)}
    assert rows[tree.street.code].meets_target  # both of its communities
    assert not rows[tree.other_street.code].meets_target  # the agricultural one has none
    set_override(
        actor=SYSTEM, module="people", profile="national", key="body_coverage_target",
        area_code=tree.other_street.code, value="0", citation="试点街道暂不考核")
    rows = {c.code: c for c in selectors.coverage(user=SYSTEM, code=tree.district.code)}
    assert rows[tree.other_street.code].meets_target and rows[tree.other_street.code].target == 0
    assert rows[tree.district.code].target == 100


def test_pages_show_rules_in_words(tree: Any, make_user: Any) -> None:
    c = Client()
    c.force_login(make_user("street_officer", tree.street.code))
    page = c.get("/people/staff/rotation/").content.decode()
    assert "在现岗位任职满 5 年（或各区为本辖区设定的年限）的人员" in page
    assert "（引用未核实）" in page and "rotation_years" not in page
    resident = services.register_resident(
        actor=SYSTEM, name="本人", id_number=make_identity_number(date(1980, 1, 1), serial=351),
        community_code=tree.community.code)
    own = make_user("resident", tree.community.code)
    services.link_user(actor=SYSTEM, resident=resident, user=own)
    me = Client()
    me.force_login(own)
    assert "我们将在 30 天内答复。" in me.get("/people/me/").content.decode()
