"""The registration track, clocks worked by hand from the texts:

* 社团条例 第十二条: decision within 60 *days* of receiving all valid documents; the
  first day is not counted and a last day on a rest day moves to the next working day
  (民法典 第二百零一条、第二百零三条);
* 行政许可法 第三十二条: missing materials named within five *working* days, all at once;
  an application not told in time counts as accepted on receipt.

2025 calendar facts used: 1–8 October are the National Day holiday, 28 September (Sunday)
and 11 October (Saturday) are make-up working days.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from shequ.audit.models import AuditEntry
from shequ.authz import SYSTEM
from shequ.core import ids
from shequ.core.errors import BusinessError, Conflict, Forbidden
from shequ.orgs import services
from shequ.orgs.models import Application, AppState, Org, Track

from .conftest import ALL_ASSOCIATION, submit_association


def _world() -> tuple[int, int, int]:
    return Application.objects.count(), Org.objects.count(), AuditEntry.objects.count()


def test_sixty_calendar_days_and_a_holiday_at_the_end(org_user: Any, bureau: Any) -> None:
    # materials complete, received online on Saturday 2 August 2025
    app = submit_association(org_user, date(2025, 8, 2))
    assert app.authority_code == "510104" and app.track == Track.REGISTERED
    assert app.notice_by == date(2025, 8, 8)  # 4–8 August: five working days
    app = services.act(actor=bureau, number=app.number, action="accept", on=date(2025, 8, 5))
    # 2 August + 60 days = 1 October, a holiday; the holiday ends 8 October → 9 October
    assert app.complete_on == date(2025, 8, 2)
    assert app.due_on == date(2025, 10, 9) and not app.due_provisional
    assert (app.limit_days, app.limit_unit) == (60, "days")
    app = services.act(actor=bureau, number=app.number, action="approve", on=date(2025, 10, 9))
    assert not app.late
    org = app.org
    code = ids.parse_credit_code(org.credit_code)
    assert (code.department, code.org_type, code.division_code) == ("5", "1", "510104")
    assert org.credit_code == "51510104MJ00000013"
    assert org.status == "active" and org.founded_on == date(2025, 10, 9)


def test_notice_too_late_counts_as_accepted_on_receipt(org_user: Any, bureau: Any) -> None:
    app = submit_association(org_user, date(2025, 9, 1), materials=["application", "charter"])
    assert app.notice_by == date(2025, 9, 8)
    before = _world()
    with pytest.raises(BusinessError) as exc:
        services.act(actor=bureau, number=app.number, action="return",
                     missing=["agency_approval"], on=date(2025, 9, 9))
    assert exc.value.code == "notice_window_passed"
    assert str(exc.value.message) == (
        "一次告知补正的期限已于2025-09-08届满：逾期不告知的，自收到申请材料之日起即为受理"
        "（《行政许可法》第三十二条第一款第（四）项）。请直接受理。")
    assert _world() == before
    # the sweep records what the law says happened: accepted on receipt (1 September)
    result = services.sweep(actor=SYSTEM, on=date(2025, 9, 9))
    assert result["deemed_accepted"] == 1
    app.refresh_from_db()
    assert app.state == AppState.IN_REVIEW and app.complete_on == date(2025, 9, 1)
    assert app.due_on == date(2025, 10, 31)
    assert services.sweep(actor=SYSTEM, on=date(2025, 9, 9))["deemed_accepted"] == 0
    # decided on 3 November: after the limit, flagged
    app = services.act(actor=bureau, number=app.number, action="approve", on=date(2025, 11, 3))
    assert app.late and app.events.last().action == "approve"


def test_corrected_materials_start_the_clock_and_a_second_round_repeats_only(
        org_user: Any, bureau: Any) -> None:
    app = submit_association(org_user, date(2025, 9, 1),
                             materials=["application", "persons", "charter"])
    app = services.act(actor=bureau, number=app.number, action="return",
                       missing=["agency_approval", "funds_and_premises"], on=date(2025, 9, 3))
    assert app.state == AppState.RETURNED and app.notices == 1
    # supplying half of what the notice named is not supplying
    with pytest.raises(BusinessError) as exc:
        services.act(actor=org_user, number=app.number, action="supply",
                     materials=["agency_approval"], on=date(2025, 9, 10))
    assert str(exc.value.message) == "请补齐告知书列明的全部材料；仍缺：验资报告、场所使用权证明。"
    app = services.act(actor=org_user, number=app.number, action="supply",
                       materials=["agency_approval", "funds_and_premises"], on=date(2025, 9, 15))
    assert app.notice_by == date(2025, 9, 22)
    # a second notice may not name anything the first one left out (one notice)
    with pytest.raises(BusinessError) as exc:
        services.act(actor=bureau, number=app.number, action="return", missing=["persons"],
                     on=date(2025, 9, 16))
    assert exc.value.code == "one_notice_only"
    assert str(exc.value.message) == (
        "需要补正的全部内容应当在第一次告知时一次列明（《行政许可法》第三十二条第一款第（四）项）；"
        "以下材料当时未列明：发起人和拟任负责人的基本情况、身份证明。")
    # the capital report supplied is not valid: named again (it was in the first notice)
    app = services.act(actor=bureau, number=app.number, action="return",
                       missing=["funds_and_premises"], on=date(2025, 9, 16))
    assert app.notices == 2
    app = services.act(actor=org_user, number=app.number, action="supply",
                       materials=["funds_and_premises"], on=date(2025, 9, 19))
    app = services.act(actor=bureau, number=app.number, action="accept", on=date(2025, 9, 22))
    # the clock runs from 19 September, the day the last valid document arrived
    assert app.complete_on == date(2025, 9, 19) and app.due_on == date(2025, 11, 18)


def test_return_names_materials_and_accept_needs_them_all(org_user: Any, bureau: Any) -> None:
    app = submit_association(org_user, date(2025, 9, 1), materials=["application"])
    with pytest.raises(BusinessError) as exc:
        services.act(actor=bureau, number=app.number, action="accept", on=date(2025, 9, 2))
    assert exc.value.code == "materials_still_missing"
    with pytest.raises(BusinessError) as exc:
        services.act(actor=bureau, number=app.number, action="return", missing=[],
                     on=date(2025, 9, 2))
    assert str(exc.value.message) == "请列明需要补正的材料。"
    with pytest.raises(BusinessError) as exc:
        services.act(actor=bureau, number=app.number, action="return", missing=["passport"],
                     on=date(2025, 9, 2))
    assert exc.value.code == "unknown_material"


def test_repeated_name_while_open_and_again_after_a_refusal(org_user: Any, bureau: Any) -> None:
    first = submit_association(org_user, date(2025, 9, 1))
    before = _world()
    with pytest.raises(Conflict) as exc:
        submit_association(org_user, date(2025, 9, 2), person_in_charge="李四")
    assert exc.value.code == "name_taken"
    assert str(exc.value.message) == (
        "名称“锦江区老年互助协会”已被同一机关辖区内的组织或在办申请使用"
        "（《社会团体登记管理条例》第十条第二款；《民办非企业单位登记管理暂行条例》"
        "第八条第一款第（二）项（本地规则，由各区设定））。")
    assert _world() == before
    services.act(actor=bureau, number=first.number, action="accept", on=date(2025, 9, 2))
    with pytest.raises(BusinessError) as exc:
        services.act(actor=bureau, number=first.number, action="reject", reason="",
                     on=date(2025, 9, 20))
    assert exc.value.code == "reason_required"
    first = services.act(actor=bureau, number=first.number, action="reject", reason="duplicate",
                         reason_text="区内已有同类协会", on=date(2025, 9, 20))
    assert first.state == AppState.REJECTED and first.get_reason_display() == (
        "同一行政区域内已有业务范围相同或者相似的组织，没有必要成立")
    again = submit_association(org_user, date(2025, 9, 25))
    assert again.number == "510104-2025-00002"


def test_credit_codes_given_by_hand_are_checked(org_user: Any, bureau: Any) -> None:
    app = submit_association(org_user, date(2025, 9, 1))
    services.act(actor=bureau, number=app.number, action="accept", on=date(2025, 9, 1))
    cases = [("51510104MJ0000001X", "bad_credit_code", "校验码错误(GB 32100-2015)。"),
             ("52510104MJ00000010", "credit_code_mismatch",
              "52510104MJ00000010不是社会团体的民政部门代码（GB 32100-2015：第1位为5，第2位为1）。"),
             ("51510105MJ0000001" + ids.uscc_check_char("51510105MJ0000001"),
              "credit_code_mismatch", None)]
    for code, err, message in cases:
        with pytest.raises(BusinessError) as exc:
            services.act(actor=bureau, number=app.number, action="approve", credit_code=code,
                         on=date(2025, 9, 30))
        assert exc.value.code == err
        if message:
            assert str(exc.value.message) == message
    assert Org.objects.count() == 0 and Application.objects.get().state == AppState.IN_REVIEW
    good = "51510104MJ0012345" + ids.uscc_check_char("51510104MJ0012345")
    app = services.act(actor=bureau, number=app.number, action="approve", credit_code=good,
                       on=date(2025, 9, 30))
    assert app.org.credit_code == good


def test_each_kind_has_its_conditions(org_user: Any) -> None:
    with pytest.raises(BusinessError) as exc:
        submit_association(org_user, date(2025, 9, 1), individual_members=30,
                           funds_yuan="20000", name="锦江区棋友会")
    assert str(exc.value.message) == (
        "这类组织的条件不满足：个人会员 30 个、单位会员 0 个；须有 50 个以上个人会员或 30 个以上单位"
        "会员（《社会团体登记管理条例》第十条第一款第（一）项）；活动资金20,000.00 元；须有30,000.00 元"
        "以上（《社会团体登记管理条例》第十条第一款第（五）项）。")
    with pytest.raises(BusinessError) as exc:
        submit_association(org_user, date(2025, 9, 1), name="中华书法研究会")
    assert exc.value.code == "name_prefix"
    with pytest.raises(BusinessError) as exc:
        services.submit(actor=org_user, kind="establish", org_kind="foundation",
                        area_code="510104022009", name="锦江区助学基金会",
                        items={"supervising_agency": "锦江区民政局", "person_in_charge": "赵六",
                               "has_premises": True, "staff": 1, "directors": 3,
                               "foundation_type": "non_public", "funds_yuan": "2000000"},
                        materials=[], on=date(2025, 9, 1))
    assert str(exc.value.message) == (
        "这类组织的条件不满足：理事 3 人；理事会为 5 至 25 人（《基金会管理条例》第二十条第一款）。")
    assert not Application.objects.exists()


def test_one_legal_representative_per_association(org_user: Any, bureau: Any) -> None:
    from .conftest import registered_org

    registered_org(org_user)
    with pytest.raises(Conflict) as exc:
        submit_association(org_user, date(2025, 9, 1), name="锦江区书法协会")
    assert exc.value.code == "legal_rep_taken"


def test_foundations_are_registered_by_the_province(org_user: Any, bureau: Any,
                                                   make_user: Any) -> None:
    app = services.submit(
        actor=org_user, kind="establish", org_kind="foundation", area_code="510104022009",
        name="锦江区助学基金会",
        items={"supervising_agency": "锦江区民政局", "person_in_charge": "赵六",
               "has_premises": True, "staff": 1, "directors": 7,
               "foundation_type": "non_public", "funds_yuan": "2000000"},
        materials=["application", "charter", "funds_and_premises", "directors",
                   "agency_approval"], on=date(2025, 9, 1))
    assert app.authority_code == "51"
    with pytest.raises(Forbidden):
        services.act(actor=bureau, number=app.number, action="accept", on=date(2025, 9, 2))
    province = make_user("civil_affairs", "51", username="shengting")
    services.act(actor=province, number=app.number, action="accept", on=date(2025, 9, 2))
    app = services.act(actor=province, number=app.number, action="approve", on=date(2025, 9, 10))
    assert app.org.credit_code.startswith("53510000MJ")


def test_who_may_take_which_step(org_user: Any, other_org_user: Any, street_officer: Any,
                                 bureau: Any) -> None:
    app = submit_association(org_user, date(2025, 9, 1), materials=ALL_ASSOCIATION[:2])
    for actor in (org_user, street_officer):
        with pytest.raises(Forbidden):
            services.act(actor=actor, number=app.number, action="return",
                         missing=["persons"], on=date(2025, 9, 2))
    services.act(actor=bureau, number=app.number, action="return",
                 missing=["funds_and_premises", "persons", "charter"], on=date(2025, 9, 2))
    with pytest.raises(BusinessError) as exc:
        services.act(actor=other_org_user, number=app.number, action="supply",
                     materials=["funds_and_premises", "persons", "charter"], on=date(2025, 9, 3))
    assert exc.value.code == "not_operator"
    with pytest.raises(BusinessError) as exc:
        services.act(actor=bureau, number=app.number, action="withdraw", on=date(2025, 9, 3))
    assert exc.value.code == "not_operator"
    app = services.act(actor=org_user, number=app.number, action="withdraw", on=date(2025, 9, 3))
    assert app.state == AppState.WITHDRAWN


def test_unknown_step_is_named(org_user: Any, bureau: Any) -> None:
    app = submit_association(org_user, date(2025, 9, 1))
    with pytest.raises(BusinessError) as exc:
        services.act(actor=bureau, number=app.number, action="approve", on=date(2025, 9, 2))
    assert exc.value.code == "invalid_transition"
    with pytest.raises(BusinessError) as exc:
        services.act(actor=bureau, number=app.number, action="fly", on=date(2025, 9, 2))
    assert exc.value.code == "unknown_action"


def test_a_deadline_in_an_unknown_year_is_provisional(org_user: Any, bureau: Any) -> None:
    from shequ.core import calendar

    last = max(calendar.PACKAGE_YEARS)
    app = submit_association(org_user, date(last, 12, 1))
    app = services.act(actor=bureau, number=app.number, action="accept", on=date(last, 12, 2))
    # 1 December + 60 days = 30 January of a year the calendar does not know
    assert app.due_on == date(last + 1, 1, 30) and app.due_provisional
    from shequ.core.models import CalendarYear

    CalendarYear.objects.create(year=last + 1, source="test")
    calendar.invalidate()
    assert services.sweep(actor=SYSTEM, on=date(last, 12, 3))["deadlines_settled"] == 1
    app.refresh_from_db()
    assert not app.due_provisional
