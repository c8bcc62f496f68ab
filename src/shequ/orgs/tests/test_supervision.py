"""Annual reports (31 March to the supervising agency, 31 May to the registration
authority; filed organisations 31 March to the street), the overdue list, eligibility,
complaints, inspections, penalties and evaluation grades."""

from __future__ import annotations

import io
from datetime import date
from typing import Any

import pytest
from pypdf import PdfReader

from shequ.authz import SYSTEM
from shequ.core.errors import BusinessError, Forbidden
from shequ.orgs import documents, selectors, services
from shequ.orgs.models import OrgEvent, PenaltyState, ReportState, Status
from shequ.orgs.texts import TEXTS

from .conftest import filed_org, registered_org


@pytest.fixture
def two(org_user: Any) -> tuple[Any, Any]:
    return (registered_org(org_user),
            registered_org(org_user, name="锦江区老年书画协会", person_in_charge="钱七"))


def test_annual_report_dates_and_checks(two: Any, org_user: Any, bureau: Any) -> None:
    org, _other = two
    with pytest.raises(BusinessError) as exc:
        services.lodge_report(actor=org_user, org_id=org.pk, year=2026, activities="x",
                              on=date(2026, 4, 1))
    assert str(exc.value.message) == "年度报告应针对组织存续期间已结束的年度（2025至2025年）。"
    with pytest.raises(BusinessError) as exc:
        services.lodge_report(actor=org_user, org_id=org.pk, year=2025, activities="开展活动12次",
                              on=date(2026, 4, 1))
    assert str(exc.value.message) == (
        "工作报告经业务主管单位初审同意后报送登记管理机关：请填写报送业务主管单位日期和初审同意日期"
        "（《社会团体登记管理条例》第二十八条第一款；《民办非企业单位登记管理暂行条例》"
        "第二十三条第一款）。")
    report = services.lodge_report(
        actor=org_user, org_id=org.pk, year=2025, activities="开展活动12次",
        income_fen=8_000_000, expenditure_fen=6_500_000, staff=2, members=66,
        agency_submitted_on=date(2026, 4, 2), agency_approved_on=date(2026, 4, 20),
        on=date(2026, 6, 5))
    assert (report.agency_due, report.due_on) == (date(2026, 3, 31), date(2026, 5, 31))
    assert report.late and report.agency_late
    with pytest.raises(BusinessError) as exc:
        services.lodge_report(actor=org_user, org_id=org.pk, year=2025, activities="again",
                              agency_submitted_on=date(2026, 4, 2),
                              agency_approved_on=date(2026, 4, 20), on=date(2026, 6, 6))
    assert exc.value.code == "report_exists"
    with pytest.raises(Forbidden):
        services.report_step(actor=org_user, report_id=report.pk, action="pass",
                             on=date(2026, 6, 20))
    report = services.report_step(actor=bureau, report_id=report.pk, action="pass",
                                  on=date(2026, 6, 20))
    assert report.state == ReportState.PASSED
    line = OrgEvent.objects.get(org=org, action="pass")
    assert line.public and TEXTS.render(line.text) == "2025年度检查：合格。"


def test_returned_report_is_resubmitted_by_the_organisation(two: Any, org_user: Any,
                                                            bureau: Any) -> None:
    org, _other = two
    report = services.lodge_report(
        actor=org_user, org_id=org.pk, year=2025, activities="开展活动12次",
        agency_submitted_on=date(2026, 3, 2), agency_approved_on=date(2026, 3, 20),
        on=date(2026, 5, 6))
    assert not report.late and not report.agency_late
    with pytest.raises(BusinessError) as exc:
        services.report_step(actor=bureau, report_id=report.pk, action="return", on=date(2026, 5, 8))
    assert exc.value.code == "reason_required"
    services.report_step(actor=bureau, report_id=report.pk, action="return",
                         remarks="缺财务报表", on=date(2026, 5, 8))
    report = services.report_step(actor=org_user, report_id=report.pk, action="resubmit",
                                  on=date(2026, 5, 12))
    assert report.state == ReportState.LODGED


def test_overdue_list_and_eligibility(two: Any, org_user: Any, bureau: Any,
                                      street_officer: Any) -> None:
    org, other = two
    filed = filed_org(org_user)
    services.lodge_report(actor=org_user, org_id=org.pk, year=2025, activities="开展活动",
                          agency_submitted_on=date(2026, 3, 2),
                          agency_approved_on=date(2026, 3, 20), on=date(2026, 5, 6))
    # 1 April 2026: only the filed organisation's report (due 31 March) is overdue
    assert [o.pk for o in selectors.overdue_reports(user=bureau, year=2025,
                                                    on=date(2026, 4, 1))] == [filed.pk]
    assert list(selectors.overdue_reports(user=bureau, year=2025, on=date(2026, 5, 31))) == [filed]
    overdue = list(selectors.overdue_reports(user=bureau, year=2025, on=date(2026, 6, 1)))
    assert {o.pk for o in overdue} == {other.pk, filed.pk}
    # the street sees its filed organisations, never the bureau's
    assert [o.pk for o in selectors.overdue_reports(user=street_officer, year=2025,
                                                    on=date(2026, 6, 1))] == [filed.pk]
    rule = selectors.report_rule(other)
    assert (str(rule.label), rule.display(), rule.source()) == (
        "工作报告报送登记管理机关截止日期", "05-31",
        "《社会团体登记管理条例》第二十八条第一款；《民办非企业单位登记管理暂行条例》第二十三条第一款")
    facts = selectors.eligibility(other.pk, on=date(2026, 6, 1))
    assert (facts.report_year, facts.report_due, facts.annual_report_missing,
            facts.good_standing) == (2025, date(2026, 5, 31), True, False)
    good = selectors.eligibility(org.pk, on=date(2026, 6, 1))
    assert good.annual_report_filed and good.good_standing and good.legal_person
    assert not selectors.eligibility(filed.pk, on=date(2026, 6, 1)).legal_person


def test_complaint_is_investigated_by_the_authority_that_keeps_the_file(
        two: Any, make_user: Any, street_officer: Any, bureau: Any) -> None:
    org, _other = two
    resident = make_user("resident", "510104022009")
    with pytest.raises(BusinessError):
        services.file_complaint(actor=resident, org_id=org.pk, complainant_name="",
                                summary="x", on=date(2026, 3, 1))
    c = services.file_complaint(actor=resident, org_id=org.pk, complainant_name="孙丽",
                                phone="13800001234", summary="向会员摊派费用", on=date(2026, 3, 1))
    assert c.due_on == date(2026, 3, 31) and c.phone_last4 == "1234"
    assert "13800001234" not in c.phone_cipher
    with pytest.raises(Forbidden):
        services.complaint_step(actor=street_officer, complaint_id=c.pk, action="investigate",
                                on=date(2026, 3, 2))
    services.complaint_step(actor=bureau, complaint_id=c.pk, action="investigate",
                            on=date(2026, 3, 2))
    with pytest.raises(BusinessError) as exc:
        services.complaint_step(actor=bureau, complaint_id=c.pk, action="uphold",
                                on=date(2026, 3, 10))
    assert str(exc.value.message) == "请填写调查结论。"
    c = services.complaint_step(actor=bureau, complaint_id=c.pk, action="uphold",
                                finding="属实", on=date(2026, 3, 10))
    assert c.get_state_display() == "投诉成立"


def test_suspension_decided_and_ended_by_the_sweep(two: Any, bureau: Any, org_user: Any) -> None:
    org, _other = two
    with pytest.raises(BusinessError) as exc:
        services.propose_penalty(actor=bureau, org_id=org.pk, violation="fees",
                                 kinds=["fine"], facts="违规收费", on=date(2026, 3, 1))
    assert str(exc.value.message) == "罚款须有金额，有金额须选罚款。"
    p = services.propose_penalty(actor=bureau, org_id=org.pk, violation="refused_supervision",
                                 kinds=["warning", "suspend"], facts="拒不接受年度检查",
                                 suspend_until=date(2026, 5, 1), on=date(2026, 3, 1))
    with pytest.raises(Forbidden):
        services.penalty_step(actor=org_user, penalty_id=p.pk, action="decide",
                              on=date(2026, 3, 10))
    p = services.penalty_step(actor=bureau, penalty_id=p.pk, action="decide", on=date(2026, 3, 10))
    org.refresh_from_db()
    assert org.status == Status.SUSPENDED and org.suspended_until == date(2026, 5, 1)
    assert not org.services.filter(available=True).exists()
    pdf = PdfReader(io.BytesIO(documents.penalty_decision(p)))
    text = "".join(page.extract_text() for page in pdf.pages).replace("\n", "")
    for expected in ("行政处罚决定书", "锦江民社罚〔2026〕1号", "拒不接受或者不按照规定接受监督检查",
                     "《社会团体登记管理条例》第三十条第一款第（三）项", "警告、限期停止活动",
                     "限期停止活动至2026年5月1日"):
        assert expected in text, expected
    facts = selectors.eligibility(org.pk, on=date(2026, 3, 11))
    assert facts.penalties_in_window == 1 and not facts.good_standing
    assert services.sweep(actor=SYSTEM, on=date(2026, 5, 1))["suspensions_ended"] == 0
    assert services.sweep(actor=SYSTEM, on=date(2026, 5, 2))["suspensions_ended"] == 1
    org.refresh_from_db()
    p.refresh_from_db()
    assert org.status == Status.ACTIVE and p.state == PenaltyState.LIFTED
    assert org.services.filter(available=True).exists()


def test_filed_organisation_penalties_and_a_quashed_cancellation(
        org_user: Any, street_officer: Any, bureau: Any) -> None:
    filed = filed_org(org_user)
    with pytest.raises(BusinessError) as exc:
        services.propose_penalty(actor=street_officer, org_id=filed.pk, violation="fees",
                                 kinds=["fine"], fine_fen=100_000, facts="收费", on=date(2026, 3, 1))
    assert str(exc.value.message) == (
        "备案的社区社会组织不具有法人资格：条例规定的行政处罚适用于登记的组织；街道可以警告、"
        "责令改正或者撤销备案。")
    p = services.propose_penalty(actor=street_officer, org_id=filed.pk, violation="filing_rules",
                                 kinds=["cancel_filing"], facts="长期不开展活动",
                                 on=date(2026, 3, 1))
    services.penalty_step(actor=street_officer, penalty_id=p.pk, action="decide",
                          on=date(2026, 3, 5))
    filed.refresh_from_db()
    assert filed.status == Status.REVOKED and filed.ended_on == date(2026, 3, 5)
    services.penalty_step(actor=bureau, penalty_id=p.pk, action="quash", on=date(2026, 4, 5))
    filed.refresh_from_db()
    assert filed.status == Status.ACTIVE and filed.ended_on is None
    texts = [TEXTS.render(e.text) for e in filed.events.order_by("id")]
    assert texts[-4:] == ["作出行政处罚（春熙路民社罚〔2026〕1号）。", "撤销备案。",
                          "行政处罚春熙路民社罚〔2026〕1号经复议撤销。", "复议后恢复。"]


def test_evaluation_grades_for_registered_organisations(org_user: Any, bureau: Any,
                                                        street_officer: Any) -> None:
    org = registered_org(org_user)
    filed = filed_org(org_user)
    with pytest.raises(BusinessError) as exc:
        services.record_evaluation(actor=bureau, org_id=filed.pk, grade=3,
                                   assessed_on=date(2025, 11, 1))
    assert exc.value.code == "registration_required"
    with pytest.raises(Forbidden):
        services.record_evaluation(actor=street_officer, org_id=org.pk, grade=3,
                                   assessed_on=date(2025, 11, 1))
    with pytest.raises(BusinessError):
        services.record_evaluation(actor=bureau, org_id=org.pk, grade=6,
                                   assessed_on=date(2025, 11, 1))
    ev = services.record_evaluation(actor=bureau, org_id=org.pk, grade=4,
                                    assessed_on=date(2025, 11, 1))
    assert ev.valid_until == date(2030, 11, 1)
    assert selectors.current_grade(org, on=date(2030, 11, 1)).grade == 4
    assert selectors.current_grade(org, on=date(2030, 11, 2)) is None


def test_inspection_finds_and_confirms(two: Any, bureau: Any) -> None:
    org, _other = two
    item = services.plan_inspection(actor=bureau, org_id=org.pk, kind="spot",
                                    planned_on=date(2026, 3, 10))
    with pytest.raises(BusinessError):
        services.inspection_step(actor=bureau, inspection_id=item.pk, action="find",
                                 findings="账目不全", correct_by=date(2026, 3, 10),
                                 on=date(2026, 3, 10))
    item = services.inspection_step(actor=bureau, inspection_id=item.pk, action="find",
                                    findings="账目不全", correct_by=date(2026, 4, 10),
                                    on=date(2026, 3, 10))
    item = services.inspection_step(actor=bureau, inspection_id=item.pk, action="confirm",
                                    on=date(2026, 4, 8))
    assert item.get_state_display() == "已整改"
