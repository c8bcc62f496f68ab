"""The documents of a case, read back from the PDF (issue 12): each numbered in its
office's series, dated the day of its step, with the case's own facts; a second 补正
notice lists exactly what it asked for; a benefit is approved, not licensed."""

from __future__ import annotations

from io import BytesIO
from typing import Any

from django.test import Client
from pypdf import PdfReader

from shequ.authz import SYSTEM
from shequ.services import documents, services
from shequ.services.models import CaseEvent
from shequ.services.services import Upload

from .conftest import PDF, PNG, at, submit


def _text(data: bytes) -> str:
    return "".join(page.extract_text() for page in PdfReader(BytesIO(data)).pages).replace(
        "\n", "")


def _doc(actor: Any, case: Any, name: str, action: str, nth: int = 0) -> tuple[str, str]:
    event = list(CaseEvent.objects.filter(case=case, action=action).order_by("id"))[nth]
    data, number = documents.pdf(actor=actor, number=case.number, name=name,
                                 event_id=event.pk)
    return _text(data), number


def test_acceptance_correction_extension_and_refusal_of_a_licence(
        item: Any, officer: Any, head: Any, resident_user: Any) -> None:
    case = submit(resident_user)
    services.request_correction(actor=officer, number=case.number, missing=["lease", "photo"],
                                note="租赁合同未签字", at=at("2025-09-30"))
    services.supply(actor=resident_user, number=case.number, at=at("2025-10-09"),
                    uploads=[Upload("l.pdf", PDF, "lease"), Upload("p.png", PNG, "photo")])
    services.request_correction(actor=officer, number=case.number, missing=["lease"],
                                note="补交的租赁合同无法辨认", at=at("2025-10-10"))
    services.supply(actor=resident_user, number=case.number, at=at("2025-10-13"),
                    uploads=[Upload("l2.pdf", PDF, "lease")])
    services.accept(actor=officer, number=case.number, at=at("2025-10-14"))
    services.extend(actor=head, number=case.number, days=5, reason="需现场核实租住情况",
                    at=at("2025-11-03"))
    services.decide(actor=officer, number=case.number, approve=False,
                    reasons="租住地址不在本辖区", at=at("2025-11-10"))

    first, n1 = _doc(officer, case, "correction", "request_correction")
    second, n2 = _doc(officer, case, "correction", "request_correction", 1)
    assert (n1, n2) == ("春熙路补〔2025〕1号", "春熙路补〔2025〕2号")
    assert "补正材料通知书" in first and "租赁合同" in first and "近期照片" in first
    assert "租赁合同未签字" in first and "2025年9月30日" in first
    assert "近期照片" not in second and "租赁合同" in second  # exactly what it asked
    assert "补交的租赁合同无法辨认" in second and "2025年10月10日" in second
    assert "一次告知" in first or "一次性" in first

    accepted, n3 = _doc(officer, case, "acceptance", "accept")
    assert n3 == "春熙路受〔2025〕1号"
    assert "受理通知书" in accepted and "孙丽" in accepted and case.number in accepted
    assert "2025年10月14日" in accepted and "居住证明" in accepted
    assert "2025年11月11日" in accepted  # 20 working days after 14 Oct
    assert "春熙路街道办事处" in accepted

    extended, n4 = _doc(head, case, "extension", "extend")
    assert n4 == "春熙路延〔2025〕1号"
    assert "延长办理期限通知书" in extended and "5 个工作日" in extended
    assert "需现场核实租住情况" in extended and "2025年11月18日" in extended
    assert "第四十二条" in extended and "负责人" in extended

    refused, n5 = _doc(officer, case, "decision", "reject")
    assert n5 == "春熙路决〔2025〕1号"
    assert "不予行政许可决定书" in refused and "租住地址不在本辖区" in refused
    assert "行政复议" in refused and "行政诉讼" in refused and "2025年11月10日" in refused

    # printed again: the same number; the applicant may print her own
    assert _doc(resident_user, case, "acceptance", "accept")[1] == n3


def test_a_benefit_is_approved_not_licensed_and_accepted_on_receipt(
        tree: Any, officer: Any, resident_user: Any) -> None:
    services.publish_item(
        actor=SYSTEM, code="DB-1", area_code="510104", name="最低生活保障申请",
        legal_basis="《社会救助暂行办法》第十一条", handler_level="street",
        delegation_mode="authorised", delegation_rank="admin_regulation",
        delegation_basis="《社会救助暂行办法》第四条", department="社会事务办公室",
        department_category="social_service", kind="benefit", statutory_days=25,
        period_basis="《最低生活保障审核确认办法》", materials=[{"code": "id", "name": "身份证"}])
    case = submit(resident_user, item_code="DB-1")
    services.sweep(actor=SYSTEM, at=at("2025-10-14"))
    services.decide(actor=officer, number=case.number, approve=True, at=at("2025-10-20"))
    accepted, _n = _doc(officer, case, "acceptance", "auto_accept")
    assert "2025年9月29日" in accepted and "即为受理" in accepted
    approved, _n = _doc(officer, case, "decision", "approve")
    assert "批准决定书" in approved and "行政许可" not in approved
    assert "最低生活保障申请" in approved


def test_documents_are_only_for_those_who_see_the_case(item: Any, officer: Any,
                                                       resident_user: Any,
                                                       make_user: Any) -> None:
    case = services.accept(actor=officer, number=submit(resident_user).number,
                           at=at("2025-09-30"))
    event = CaseEvent.objects.get(case=case, action="accept")
    client = Client()
    client.force_login(officer)
    url = f"/services/cases/{case.number}/documents/acceptance/{event.pk}.pdf"
    answer = client.get(url)
    assert answer.status_code == 200 and answer["Content-Type"] == "application/pdf"
    assert "受理通知书" in _text(answer.content)
    page = client.get(f"/services/cases/{case.number}/").content.decode()
    assert 'data-document="acceptance"' in page and "受理通知书" in page
    client.force_login(make_user("resident", "510104022009", username="linju"))
    assert client.get(url).status_code == 404
    client.force_login(officer)
    assert client.get(url.replace("acceptance", "decision")).status_code == 404


def test_irreversible_steps_ask_before_they_are_sent(item: Any, officer: Any,
                                                      resident_user: Any) -> None:
    import re

    case = submit(resident_user, at=None)
    client = Client()
    client.force_login(officer)
    page = client.get(f"/services/cases/{case.number}/").content.decode()
    asks = dict(re.findall(r'data-action="(\w+)" data-confirm="([^"]+)"', page))
    assert asks == {"refuse": "“不予受理”办理后不可撤销,确定继续吗?",
                    "withdraw": "“撤回申请”办理后不可撤销,确定继续吗?"}
