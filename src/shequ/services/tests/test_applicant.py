"""Who applies (issue 13 item 9): a signed-in resident only as the person of their own
resident record; acting for another person is the station desk's 代办, recorded as such.
Bad input at the desk is refused with its cause and nothing saved (issue 12)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.test import Client

from shequ.audit.models import AuditEntry
from shequ.core.errors import BusinessError
from shequ.people import facade as people
from shequ.services.models import Case

from .conftest import submit


def _world() -> tuple[int, int]:
    return Case.objects.count(), AuditEntry.objects.count()


def test_a_resident_applies_as_the_person_of_her_own_record(item: Any,
                                                            resident_user: Any) -> None:
    case = submit(resident_user, applicant_name="")
    own = people.resident_of_user(resident_user)
    assert (case.applicant_name, case.resident_id, case.applicant_user) == (
        "孙丽", own.pk, resident_user)


@pytest.mark.parametrize("kw", [
    {"applicant_name": "王芳"},
    {"id_number": people.fake_identity_number(date(1950, 1, 1), serial=3)},
])
def test_a_resident_cannot_apply_in_another_persons_name(item: Any, resident_user: Any,
                                                         kw: dict[str, Any]) -> None:
    before = _world()
    with pytest.raises(BusinessError) as err:
        submit(resident_user, **kw)
    assert err.value.code == "not_yourself"
    assert str(err.value.message) == ("只能以本人名义申请,姓名和身份证号以本人居民档案为准;"
                                      "为他人申请请到社区服务站由工作人员代办。")
    assert _world() == before


def test_a_resident_without_a_record_is_sent_to_the_desk(item: Any, make_user: Any) -> None:
    nobody = make_user("resident", "510104022009", username="xinlai")
    with pytest.raises(BusinessError) as err:
        submit(nobody)
    assert err.value.code == "no_resident_record"
    client = Client()
    client.force_login(nobody)
    page = client.get("/services/apply/JJ-001/").content.decode()
    assert "您的账户尚未关联本人的居民档案" in page and "apply-form" not in page


def test_the_api_refuses_another_persons_name_too(client: Client, item: Any,
                                                  resident_user: Any) -> None:
    from .test_api_open311 import _token

    token = _token(resident_user)
    answer = client.post("/api/v1/services/cases", {
        "item_code": "JJ-001", "area_code": "510104022009", "applicant_name": "王芳"},
        content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert answer.status_code == 400
    assert answer.json()["code"] == "not_yourself" and not Case.objects.exists()


def test_the_desk_files_for_another_person_and_records_who_acted(
        item: Any, desk: Any) -> None:
    case = submit(desk, channel="desk", applicant_name="王大爷", agent_name="王小明",
                  agent_relation="儿子", station_code="JJ-T1")
    assert (case.applicant_name, case.agent_name, case.agent_relation, case.filed_by,
            case.applicant_user) == ("王大爷", "王小明", "儿子", desk, None)
    entry = AuditEntry.objects.get(action="services.case.submit")
    assert entry.changes["agent"] == "王小明" and entry.changes["relation"] == "儿子"
    with pytest.raises(BusinessError) as err:
        submit(desk, channel="desk", applicant_name="王大爷", agent_name="王小明",
               idempotency_key="x")
    assert str(err.value.message) == "请填写代办人与申请人的关系。"


def test_a_very_long_name_is_refused_not_cut(item: Any, desk: Any) -> None:
    before = _world()
    with pytest.raises(BusinessError) as err:
        submit(desk, channel="desk", applicant_name="王" * 10_000)
    assert err.value.code == "too_long"
    assert str(err.value.message) == "申请人姓名超过 100 个字符(填写了 10000 个),未保存。"
    assert _world() == before


@pytest.mark.parametrize(("number", "message"), [
    ("11010519491231002Y", "身份证号:只允许数字,最后一位可以是 X。"),
    ("110105194912310021", "身份证号:校验码错误(GB 11643-1999,ISO 7064 MOD 11-2)。"),
    ("110105203001010019", "身份证号:号码中的出生日期 2030-01-01 不可能成立。"),
    ("110105199002300011", "身份证号:号码中的出生日期 19900230 不存在。"),
    ("12345", "身份证号:公民身份号码应为 18 位,此号码为 5 位。"),
    ("1101051949123100211234567", "身份证号:公民身份号码应为 18 位,此号码为 25 位。"),
])
def test_the_desk_checks_identity_numbers(item: Any, desk: Any, number: str,
                                          message: str) -> None:
    before = _world()
    with pytest.raises(BusinessError) as err:
        submit(desk, channel="desk", applicant_name="王大爷", id_number=number)
    assert err.value.code == "invalid_identity" and str(err.value.message) == message
    assert _world() == before


def test_the_desk_warns_of_an_open_case_of_the_same_item_for_the_same_person(
        item: Any, desk: Any, officer: Any) -> None:
    number = people.fake_identity_number(date(1950, 3, 1), serial=5)
    first = submit(desk, channel="desk", applicant_name="王大爷", id_number=number,
                   idempotency_key="1")
    with pytest.raises(BusinessError) as err:
        submit(desk, channel="desk", applicant_name="王大爷", id_number=number,
               idempotency_key="2")
    assert err.value.code == "duplicate_open_case" and err.value.status == 409
    assert str(err.value.message) == (
        f"王大爷已有同一事项未办结的办件:{first.number}(已收件,待受理)。如确需再次申请,"
        "请勾选确认后重新提交。")
    assert Case.objects.count() == 1
    again = submit(desk, channel="desk", applicant_name="王大爷", id_number=number,
                   idempotency_key="3", confirm_duplicate=True)
    assert again.number != first.number
    # without an identity number: the same name and phone
    submit(desk, channel="desk", applicant_name="李婆婆", phone="13900001111",
           idempotency_key="4")
    with pytest.raises(BusinessError):
        submit(desk, channel="desk", applicant_name="李婆婆", phone="13900001111",
               idempotency_key="5")
    # a closed case is no duplicate
    from shequ.services import services

    services.withdraw(actor=desk, number=first.number)
    services.withdraw(actor=desk, number=again.number)
    submit(desk, channel="desk", applicant_name="王大爷", id_number=number, idempotency_key="6")
