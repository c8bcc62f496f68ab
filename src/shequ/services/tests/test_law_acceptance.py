"""Issue 11 items 3–7, each with its hand-worked example: acceptance on receipt whichever
path records it, the window after 补正, 一次告知, the head's approval of an extension, and
the periods of each kind of item (行政许可法 Arts. 23–24, 32, 42–43; ADR 0406–0407).

Calendar of 2025: National Day 1–8 Oct off; Sun 28 Sep and Sat 11 Oct are working days."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings

from shequ.audit.models import AuditEntry
from shequ.authz import SYSTEM
from shequ.core.errors import BusinessError
from shequ.services import rules, services
from shequ.services.lifecycles import CASE
from shequ.services.models import Action, Case, ItemVersion, Notification, State
from shequ.services.services import Upload

from .conftest import PDF, PNG, at, submit

LAW_FILE = "行政许可法(2019-04-23).md"


def _law_text() -> str:
    """The statute as stored beside the repository (``shared/reference/laws``)."""
    for folder in Path(settings.REPO_DIR).resolve().parents:
        path = folder / "shared" / "reference" / "laws" / LAW_FILE
        if path.exists():
            return path.read_text(encoding="utf-8")
    pytest.skip("the reference law texts are not beside this checkout")


# -- item 3: a late manual acceptance does not defeat acceptance on receipt --------------


def test_a_late_acceptance_by_hand_dates_from_receipt(item: Any, officer: Any,
                                                      resident_user: Any) -> None:
    """Submitted Mon 29 Sep 2025, window to 13 Oct; accepted by hand on 20 Oct: the law
    accepted it on 29 Sep, so 20 working days end Mon 3 Nov, not Mon 17 Nov."""
    case = submit(resident_user)
    assert case.accept_by == date(2025, 10, 13)
    case = services.accept(actor=officer, number=case.number, at=at("2025-10-20"))
    assert (case.accepted_on, case.due_on, case.statutory_due_on) == (
        date(2025, 9, 29), date(2025, 11, 3), date(2025, 11, 3))
    entry = AuditEntry.objects.get(action="services.case.accept")
    assert entry.changes["accepted_on"] == [None, "2025-09-29"]
    assert entry.changes["on_receipt"] is True
    assert Notification.objects.get(case=case, kind="accept").params["due_on"] == "2025-11-03"


def test_an_acceptance_within_the_window_starts_the_clock_that_day(
        item: Any, officer: Any, resident_user: Any) -> None:
    case = services.accept(actor=officer, number=submit(resident_user).number,
                           at=at("2025-10-13"))
    assert (case.accepted_on, case.due_on) == (date(2025, 10, 13), date(2025, 11, 10))


def test_the_sweep_and_the_hand_agree_once_the_window_has_passed(
        item: Any, officer: Any, resident_user: Any) -> None:
    by_hand = submit(resident_user, idempotency_key="a")
    by_clock = submit(resident_user, idempotency_key="b")
    services.accept(actor=officer, number=by_hand.number, at=at("2025-10-20"))
    services.sweep(actor=SYSTEM, at=at("2025-10-20", 11))
    by_hand.refresh_from_db()
    by_clock.refresh_from_db()
    assert by_hand.due_on == by_clock.due_on == date(2025, 11, 3)


def test_refusing_to_accept_after_the_window_is_refused(item: Any, officer: Any,
                                                        resident_user: Any) -> None:
    """Art. 32(4): once the window passed the application is accepted by law; the office
    can no longer answer 不予受理 (it decides instead)."""
    case = submit(resident_user)
    with pytest.raises(BusinessError) as err:
        services.refuse(actor=officer, number=case.number, reasons="不属于本机关职权",
                        at=at("2025-10-14"))
    assert err.value.code == "correction_window_passed"
    assert str(err.value.message) == "告知补正的期限已于 2025-10-13 届满,自收件之日起即视为受理。"
    assert Case.objects.get(pk=case.pk).state == State.SUBMITTED


# -- item 4: after 补正 the window runs from the complete materials ----------------------


def test_after_correction_acceptance_dates_from_the_supplied_materials(
        item: Any, officer: Any, resident_user: Any) -> None:
    """Submitted 29 Sep, 补正 asked 30 Sep, supplied Mon 20 Oct: the new window ends Mon
    27 Oct; the sweep on 28 Oct accepts as of 20 Oct (not 29 Sep), due Mon 17 Nov, on
    time."""
    case = submit(resident_user)
    services.request_correction(actor=officer, number=case.number, missing=["lease"],
                                at=at("2025-09-30"))
    case = services.supply(actor=resident_user, number=case.number,
                           uploads=[Upload("lease.pdf", PDF, "lease")], at=at("2025-10-20"))
    assert (case.received_on, case.accept_by) == (date(2025, 10, 20), date(2025, 10, 27))
    assert services.sweep(actor=SYSTEM, at=at("2025-10-27", 17)).auto_accepted == 0
    assert services.sweep(actor=SYSTEM, at=at("2025-10-28")).auto_accepted == 1
    case.refresh_from_db()
    assert (case.state, case.accepted_on, case.due_on, case.sla) == (
        State.IN_REVIEW, date(2025, 10, 20), date(2025, 11, 17), "on_time")


def test_a_late_hand_acceptance_after_correction_also_dates_from_the_supply(
        item: Any, officer: Any, resident_user: Any) -> None:
    case = submit(resident_user)
    services.request_correction(actor=officer, number=case.number, missing=["lease"],
                                at=at("2025-09-30"))
    services.supply(actor=resident_user, number=case.number,
                    uploads=[Upload("lease.pdf", PDF, "lease")], at=at("2025-10-20"))
    case = services.accept(actor=officer, number=case.number, at=at("2025-10-30"))
    assert (case.accepted_on, case.due_on) == (date(2025, 10, 20), date(2025, 11, 17))


# -- item 5: 一次告知 --------------------------------------------------------------------


def test_a_second_notice_may_only_concern_newly_supplied_materials(
        item: Any, officer: Any, resident_user: Any) -> None:
    case = submit(resident_user)
    services.request_correction(actor=officer, number=case.number, missing=["lease"],
                                at=at("2025-09-30"))
    services.supply(actor=resident_user, number=case.number,
                    uploads=[Upload("lease.pdf", PDF, "lease")], at=at("2025-10-09"))
    before = AuditEntry.objects.count()
    # the photo was missing from the start: it had to be named in the first notice
    with pytest.raises(BusinessError) as err:
        services.request_correction(actor=officer, number=case.number,
                                    missing=["lease", "photo"], at=at("2025-10-10"))
    assert err.value.code == "not_newly_supplied"
    assert err.value.details == {"not_newly_supplied": ["photo"], "newly_supplied": ["lease"]}
    assert str(err.value.message) == (
        "需要补正的全部内容应在首次通知中一次告知(《中华人民共和国行政许可法》第三十二条第一款"
        "第（四）项);再次通知只能针对此后新提交的材料,近期照片 不是新提交的材料。")
    assert AuditEntry.objects.count() == before
    # the lease supplied is unreadable: that may be asked again, as it is new
    case = services.request_correction(actor=officer, number=case.number, missing=["lease"],
                                       note="租赁合同扫描件无法辨认", at=at("2025-10-10"))
    assert (case.state, case.correction_rounds, case.missing) == (
        State.CORRECTION, 2, ["租赁合同"])
    note = Notification.objects.filter(case=case, kind="request_correction").latest("id")
    assert note.params["note"] == "租赁合同扫描件无法辨认"


def test_the_items_asked_for_are_the_items_materials(item: Any, officer: Any,
                                                     resident_user: Any) -> None:
    case = submit(resident_user)
    with pytest.raises(BusinessError) as err:
        services.request_correction(actor=officer, number=case.number,
                                    missing=["lease", "复印件"], at=at("2025-09-30"))
    assert err.value.code == "unknown_material" and err.value.details["unknown"] == ["复印件"]
    assert Case.objects.get(pk=case.pk).state == State.SUBMITTED


@pytest.mark.parametrize(("uploads", "message"), [
    ([], "请为每项要求补正的材料上传文件;尚缺:租赁合同、近期照片。"),
    ([Upload("l.pdf", PDF, "lease")], "请为每项要求补正的材料上传文件;尚缺:近期照片。"),
    ([Upload("l.pdf", PDF, "lease"), Upload("p.png", PNG, "photo"), Upload("i.pdf", PDF, "id")],
     "此处只提交要求补正的材料:身份证复印件 不在补正通知中。"),
])
def test_supplying_needs_a_file_for_each_material_asked_for(
        item: Any, officer: Any, resident_user: Any, uploads: list[Upload],
        message: str) -> None:
    case = submit(resident_user)
    services.request_correction(actor=officer, number=case.number, missing=["lease", "photo"],
                                at=at("2025-09-30"))
    with pytest.raises(BusinessError) as err:
        services.supply(actor=resident_user, number=case.number, uploads=uploads,
                        at=at("2025-10-09"))
    assert str(err.value.message) == message
    case.refresh_from_db()
    assert (case.state, case.attachments.count()) == (State.CORRECTION, 0)


# -- item 6: the head of the office approves an extension --------------------------------


def test_only_the_head_of_the_office_approves_an_extension(
        item: Any, officer: Any, head: Any, make_user: Any, resident_user: Any) -> None:
    case = services.accept(actor=officer, number=submit(resident_user).number,
                           at=at("2025-09-30"))
    assert case.statutory_due_on == date(2025, 11, 4)
    with pytest.raises(BusinessError) as err:
        services.extend(actor=officer, number=case.number, days=10, reason="需现场核实",
                        at=at("2025-10-20"))
    assert err.value.code == "head_approval_required"
    assert str(err.value.message) == ("延长期限须经本行政机关负责人批准(行政许可法第四十二条),"
                                      "您不是本机关负责人。")
    # a head of another street's office is not this office's head
    make_user("street_officer", "510104022", username="other")
    services.designate_head(actor=SYSTEM, username="other", area_code="510104037",
                            since=date(2025, 1, 1))
    other = type(officer).objects.get(username="other")
    assert Action.EXTEND not in CASE.allowed(other, case, on=date(2025, 10, 20))
    # the officer asks; the head is told and approves the days asked for
    services.request_extension(actor=officer, number=case.number, days=10,
                               reason="需现场核实", at=at("2025-10-20"))
    told = Notification.objects.get(case=case, kind="extension_requested")
    assert (told.user, told.params["days"]) == (head, 10)
    case = services.extend(actor=head, number=case.number, at=at("2025-10-21"))
    assert (case.extension_days, case.statutory_due_on, case.extension_approved_by) == (
        10, date(2025, 11, 18), "zhuren")
    assert case.events.get(action="extend").details == {
        "approved_by": "zhuren", "days": 10, "statutory_due_on": "2025-11-18"}


def test_a_head_no_longer_in_office_cannot_approve(item: Any, officer: Any, head: Any,
                                                   resident_user: Any) -> None:
    services.end_head(actor=SYSTEM, username="zhuren", area_code="510104022",
                      until=date(2025, 10, 10))
    case = services.accept(actor=officer, number=submit(resident_user).number,
                           at=at("2025-09-30"))
    assert Action.EXTEND in CASE.allowed(head, case, on=date(2025, 10, 10))
    assert Action.EXTEND not in CASE.allowed(head, case, on=date(2025, 10, 13))


def test_an_extension_is_approved_within_the_statutory_period(
        item: Any, officer: Any, head: Any, resident_user: Any) -> None:
    case = services.accept(actor=officer, number=submit(resident_user).number,
                           at=at("2025-09-30"))
    with pytest.raises(BusinessError) as err:
        services.extend(actor=head, number=case.number, days=5, reason="需现场核实",
                        at=at("2025-11-05"))
    assert err.value.code == "extension_too_late"
    assert str(err.value.message) == ("法定期限已于 2025-11-04 届满;延长期限须在期限内批准"
                                      "(行政许可法第四十二条)。")


def test_only_the_district_designates_heads(officer: Any) -> None:
    from shequ.core.errors import Forbidden

    with pytest.raises(Forbidden):
        services.designate_head(actor=officer, username="jiedao", area_code="510104022")


# -- item 7: the periods of each kind of item ---------------------------------------------


def _publish(code: str, **kw: Any) -> ItemVersion:
    args: dict[str, Any] = {
        "actor": SYSTEM, "code": code, "area_code": "510104", "name": code,
        "legal_basis": "《某法》第一条", "handler_level": "district",
        "delegation_mode": "district_online", "department": "区政务服务中心",
        "department_category": "public_service"}
    args.update(kw)
    return services.publish_item(**args)


def test_a_licence_takes_the_periods_of_its_handling(db: Any) -> None:
    single = _publish("L-1")
    joint = _publish("L-2", handling="joint")
    review = _publish("L-3", handling="first_review")
    assert (single.statutory_days, single.extension_days) == (20, 10)   # Art. 42(1)
    assert (joint.statutory_days, joint.extension_days) == (45, 15)     # Art. 42(2)
    assert (review.statutory_days, review.extension_days) == (20, 0)    # Art. 43
    with pytest.raises(BusinessError) as err:
        _publish("L-4", statutory_days=30)
    assert err.value.code == "period_basis_required"
    other = _publish("L-5", statutory_days=30, period_basis="《某条例》第九条:三十日")
    assert other.statutory_days == 30
    with pytest.raises(BusinessError) as err:
        _publish("L-6", extension_days=15)
    assert str(err.value.message) == "行政许可法对这种办理方式最多允许延长 10 个工作日。"


def test_a_benefit_is_not_a_licence_and_brings_its_own_periods(db: Any) -> None:
    """最低生活保障 is a benefit: Art. 42's 20 days do not apply; its own basis sets them."""
    with pytest.raises(BusinessError) as err:
        _publish("DB-1", kind="benefit")
    assert err.value.code == "period_basis_required"
    assert str(err.value.message) == ("本事项不是行政许可,不适用行政许可法的二十日期限:"
                                      "请填写其法定依据规定的期限及该依据。")
    with pytest.raises(BusinessError):
        _publish("DB-1", kind="benefit", handling="joint", statutory_days=25,
                 period_basis="x")
    dibao = _publish("DB-1", kind="benefit", statutory_days=25, extension_days=15,
                     period_basis="《最低生活保障审核确认办法》")
    assert (dibao.kind, dibao.statutory_days, dibao.extension_days) == ("benefit", 25, 15)
    plain = _publish("DB-2", kind="registration", statutory_days=5, period_basis="x")
    assert plain.extension_days == 0


def test_extension_days_are_the_items_own(item: Any, officer: Any, head: Any,
                                          resident_user: Any) -> None:
    _publish("JJ-002", handler_level="street", delegation_mode="entrusted",
             delegation_rank="rules", delegation_basis="《委托目录》", kind="registration",
             statutory_days=10, period_basis="x")
    case = submit(resident_user, item_code="JJ-002")
    case = services.accept(actor=officer, number=case.number, at=at("2025-09-30"))
    refused = CASE.refusal(head, case, Action.EXTEND, on=date(2025, 10, 9))
    assert refused is not None and str(refused.message) == "本事项的法定依据未规定可以延长办理期限。"
    assert Action.REQUEST_EXTENSION not in CASE.allowed(officer, case, on=date(2025, 10, 9))


def test_a_joint_licence_extends_by_15_with_the_district_head(
        tree: Any, officer: Any, head: Any, make_user: Any, resident_user: Any) -> None:
    _publish("J-1", handler_level="street", delegation_mode="entrusted",
             delegation_rank="rules", delegation_basis="《委托目录》", handling="joint")
    case = services.accept(actor=officer, number=submit(resident_user, item_code="J-1").number,
                           at=at("2025-09-30"))
    on = date(2025, 10, 20)
    assert Action.EXTEND not in CASE.allowed(head, case, on=on)  # the street's head: no
    make_user("district_admin", "510104", username="quzhang")
    services.designate_head(actor=SYSTEM, username="quzhang", area_code="510104",
                            title="区人民政府区长", since=date(2025, 1, 1))
    quzhang = type(officer).objects.get(username="quzhang")
    case = services.extend(actor=quzhang, number=case.number, days=15, reason="多部门会签",
                           at=at("2025-10-20"))
    assert (case.extension_days, case.due_on) == (15, date(2025, 12, 30))  # 45 + 15


@pytest.mark.parametrize(("kw", "cause"), [
    ({"handler_level": "station", "delegation_mode": "entrusted", "delegation_rank": "rules",
      "delegation_basis": "x"}, "社区服务站不是行政机关"),
    ({"handler_level": "station", "delegation_mode": "authorised", "delegation_rank": "law",
      "delegation_basis": "x"}, "社区服务站不是行政机关"),
    ({"handler_level": "street", "delegation_mode": "authorised",
      "delegation_rank": "normative", "delegation_basis": "《某通知》"}, "授权须有法律、法规的规定"),
    ({"handler_level": "street", "delegation_mode": "entrusted",
      "delegation_rank": "normative", "delegation_basis": "《某通知》"},
     "委托须依照法律、法规、规章的规定"),
    ({"handler_level": "street", "delegation_mode": "entrusted", "delegation_rank": "rules",
      "delegation_basis": " "}, "委托须依照法律、法规、规章的规定"),
    ({"handler_level": "station", "delegation_mode": "front_desk"}, "代办是为其他机关受理"),
])
def test_delegation_follows_articles_23_and_24(db: Any, kw: dict[str, Any], cause: str) -> None:
    with pytest.raises(BusinessError) as err:
        _publish("D-1", **kw)
    assert err.value.code == "invalid_delegation" and str(err.value.message).startswith(cause)


def test_a_station_item_is_a_front_desk_for_the_office_that_decides(db: Any) -> None:
    v = _publish("D-2", handler_level="station", delegation_mode="front_desk",
                 decided_by="street")
    assert (v.handler_level, v.delegation_mode, v.decided_by) == ("station", "front_desk",
                                                                  "street")
    law = _publish("D-3", handler_level="street", delegation_mode="authorised",
                   delegation_rank="admin_regulation", delegation_basis="《社会救助暂行办法》")
    assert law.decided_by == "street"


# -- the rules cite the text -------------------------------------------------------------


@pytest.mark.parametrize(("key", "value", "words"), [
    ("decision_days", 20, "自受理行政许可申请之日起二十日内作出行政许可决定"),
    ("extension_days", 10, "经本行政机关负责人批准，可以延长十日"),
    ("joint_decision_days", 45, "办理的时间不得超过四十五日"),
    ("joint_extension_days", 15, "经本级人民政府负责人批准，可以延长十五日"),
    ("first_review_days", 20, "下级行政机关应当自其受理行政许可申请之日起二十日内审查完毕"),
    ("correction_notice_days", 5, "应当当场或者在五日内一次告知申请人需要补正的全部内容"),
    ("correction_once", True, "一次告知申请人需要补正的全部内容"),
])
def test_each_rule_says_what_the_article_says(key: str, value: Any, words: str) -> None:
    rule = rules.NATIONAL.rules[key]
    assert rule.value == value and rule.verified and not rule.local
    assert words in _law_text()


def test_heads_are_kept_from_the_command_line(tree: Any, make_user: Any) -> None:
    from io import StringIO

    from django.core.management import call_command
    from django.core.management.base import CommandError

    make_user("street_officer", "510104022", username="zhuren")
    out = StringIO()
    call_command("services", "head", "add", "zhuren", "510104022", "--title", "主任",
                 "--since", "2026-01-01", stdout=out)
    assert out.getvalue().strip() == "zhuren\t510104022\t2026-01-01"
    out = StringIO()
    call_command("services", "head", "list", "510104022", stdout=out)
    assert out.getvalue().strip() == "zhuren\t510104022\t主任\t2026-01-01"
    with pytest.raises(CommandError) as err:
        call_command("services", "head", "add", "nobody", "510104022")
    assert str(err.value) == "没有这个用户。"
    with pytest.raises(CommandError) as err:
        call_command("services", "head", "add", "zhuren", "510104022009")
    assert str(err.value) == "未知的机关:请填写区或街道的区划代码。"
    out = StringIO()
    call_command("services", "head", "end", "zhuren", "510104022", "--until", "2026-06-30",
                 stdout=out)
    assert out.getvalue().strip() == "1"


def test_materials_attached_after_the_notice_count_for_the_supply(
        item: Any, officer: Any, resident_user: Any) -> None:
    """An API client uploads first (``attach``, with the material's code), then supplies."""
    case = submit(resident_user)
    services.request_correction(actor=officer, number=case.number, missing=["lease", "photo"],
                                at=at("2025-09-30"))
    services.attach(actor=resident_user, number=case.number,
                    uploads=[Upload("l.pdf", PDF, "lease")], at=at("2025-10-09"))
    with pytest.raises(BusinessError) as err:
        services.supply(actor=resident_user, number=case.number, at=at("2025-10-09"))
    assert err.value.details == {"missing": ["photo"]}
    case = services.supply(actor=resident_user, number=case.number, at=at("2025-10-09"),
                           uploads=[Upload("p.png", PNG, "photo")])
    assert case.state == State.SUBMITTED
    assert case.events.filter(action="supply").get().details["codes"] == ["lease", "photo"]
