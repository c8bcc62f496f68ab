"""After registration or filing: changes (30 days after the agency's consent), mergers,
the move from filing to registration, deregistration (15 days after liquidation),
recognition as a charity (20 days) — and the documents each decision issues."""

from __future__ import annotations

import io
from datetime import date
from typing import Any

import pytest
from pypdf import PdfReader

from shequ.core.errors import BusinessError
from shequ.orgs import documents, services
from shequ.orgs.models import AppState, Org, OrgEvent, Status, Track
from shequ.orgs.texts import TEXTS

from .conftest import ALL_ASSOCIATION, filed_org, registered_org


def _text(pdf: bytes) -> str:
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages).replace(
        "\n", "")


def test_certificate_reads_back_with_the_registered_items(org_user: Any, bureau: Any) -> None:
    org = registered_org(org_user)
    app = org.applications.get()
    text = _text(documents.certificate(app))
    for expected in ("社会团体法人登记证书", "锦江民社证〔2025〕1号", org.credit_code,
                     "锦江区老年互助协会", "锦江区督院街12号", "王建国", "50,000.00 元",
                     "锦江区民政局", "2025年3月3日", "锦江区民政局（社会组织管理局）",
                     "依据《社会团体登记管理条例》第十二条准予登记。"):
        assert expected in text, expected


def test_filing_receipt_carries_the_street_s_number(org_user: Any) -> None:
    org = filed_org(org_user)
    text = _text(documents.filing_receipt(org.applications.get()))
    for expected in ("社区社会组织备案回执", "春熙路社备〔2025〕1号", "督院街社区书画队", "李秀英",
                     "文体活动类", "15", "2,000.00 元", "春熙路街道办事处", "不具有法人资格"):
        assert expected in text, expected


def test_return_notice_names_everything_once(org_user: Any, bureau: Any) -> None:
    from .conftest import submit_association

    app = submit_association(org_user, date(2025, 9, 1), materials=["application"])
    app = services.act(actor=bureau, number=app.number, action="return",
                       missing=ALL_ASSOCIATION[1:], on=date(2025, 9, 2))
    text = _text(documents.return_notice(app))
    for expected in ("补正材料告知书", app.number, "现一次告知需要补正的全部材料如下",
                     "业务主管单位的批准文件", "章程草案", "60 天", "2025年9月2日"):
        assert expected in text, expected


def test_change_within_thirty_days_and_late(org_user: Any, bureau: Any) -> None:
    org = registered_org(org_user)
    with pytest.raises(BusinessError) as exc:
        services.submit(actor=org_user, kind="change", org_id=org.pk,
                        items={"address": "锦江区红星路1号"}, on=date(2025, 9, 5))
    assert str(exc.value.message) == (
        "请填写业务主管单位审查同意的日期（《社会团体登记管理条例》第十八条；"
        "《民办非企业单位登记管理暂行条例》第十五条）。")
    with pytest.raises(BusinessError) as exc:
        services.submit(actor=org_user, kind="change", org_id=org.pk,
                        items={"address": org.address, "agency_approved_on": "2025-08-01"},
                        on=date(2025, 9, 5))
    assert exc.value.code == "nothing_to_change"
    # consent 22 August, applied 26 September: 35 days, more than 30 → flagged, not refused
    app = services.submit(actor=org_user, kind="change", org_id=org.pk, name="锦江区银龄互助协会",
                          items={"address": "锦江区红星路1号", "agency_approved_on": "2025-08-22"},
                          materials=["application", "agency_approval", "evidence"],
                          on=date(2025, 9, 26))
    assert app.flags == [{"flag": "late_change", "days": 35}]
    assert app.limit_days == 20 and app.limit_unit == "working_days"
    app = services.act(actor=bureau, number=app.number, action="accept", on=date(2025, 9, 26))
    # 20 working days after Friday 26 September 2025: 28 September (a Sunday worked), 29,
    # 30 September, then 9, 10, 11 (a Saturday worked), 13–17, 20–24, 27–30 October
    assert app.due_on == date(2025, 10, 30)
    app = services.act(actor=bureau, number=app.number, action="extend", note="需实地核查住所",
                       on=date(2025, 10, 20))
    # ten more working days: 31 October, 3–7 and 10–13 November
    assert app.due_on == date(2025, 11, 13)
    with pytest.raises(BusinessError):
        services.act(actor=bureau, number=app.number, action="extend", note="再延",
                     on=date(2025, 10, 21))
    app = services.act(actor=bureau, number=app.number, action="approve", on=date(2025, 10, 22))
    org.refresh_from_db()
    assert (org.name, org.address) == ("锦江区银龄互助协会", "锦江区红星路1号")
    lines = [TEXTS.render(e.text) for e in OrgEvent.objects.filter(org=org).order_by("id")]
    assert "名称由锦江区老年互助协会变更为锦江区银龄互助协会。" in lines
    assert "住所变更为锦江区红星路1号。" in lines
    assert "锦江民社证〔2025〕2号" in _text(documents.certificate(app))


def test_filed_organisation_moves_to_registration(org_user: Any, bureau: Any,
                                                 street_officer: Any) -> None:
    org = filed_org(org_user, individual_members=55)
    with pytest.raises(BusinessError) as exc:
        services.submit(actor=org_user, kind="convert", org_kind="association", org_id=org.pk,
                        items={"staff": 1}, on=date(2025, 9, 1))
    assert exc.value.code == "requirements_not_met"
    app = services.submit(actor=org_user, kind="convert", org_kind="association", org_id=org.pk,
                          items={"supervising_agency": "锦江区文化体育和旅游局", "staff": 1,
                                 "funds_yuan": "30000", "has_premises": True},
                          materials=ALL_ASSOCIATION, on=date(2025, 9, 1))
    # registration now: the bureau decides, 60 days
    assert (app.authority_code, app.track, app.limit_days) == ("510104", Track.REGISTERED, 60)
    with pytest.raises(BusinessError):
        services.act(actor=street_officer, number=app.number, action="accept", on=date(2025, 9, 2))
    services.act(actor=bureau, number=app.number, action="accept", on=date(2025, 9, 2))
    services.act(actor=bureau, number=app.number, action="approve", on=date(2025, 10, 15))
    org.refresh_from_db()
    assert (org.track, org.kind, org.authority_code) == ("registered", "association", "510104")
    assert org.filing_number == "春熙路社备〔2025〕1号" and org.credit_code.startswith("51510104MJ")
    assert org.converted_on == date(2025, 10, 15)


def test_merger_ends_the_absorbed_organisation(org_user: Any, bureau: Any) -> None:
    a = registered_org(org_user)
    b = registered_org(org_user, name="锦江区老年书画协会", person_in_charge="钱七")
    app = services.submit(actor=org_user, kind="merge", org_id=a.pk, partner_id=b.pk,
                          materials=["agreement", "agency_approval", "liquidation"],
                          on=date(2025, 9, 1))
    services.act(actor=bureau, number=app.number, action="accept", on=date(2025, 9, 1))
    services.act(actor=bureau, number=app.number, action="approve", on=date(2025, 9, 10))
    b.refresh_from_db()
    assert (b.status, b.merged_into_id, b.ended_on) == (Status.MERGED, a.pk, date(2025, 9, 10))
    assert not b.services.filter(available=True).exists()


def test_deregistration_fifteen_days_after_liquidation(org_user: Any, bureau: Any) -> None:
    org = registered_org(org_user)
    with pytest.raises(BusinessError) as exc:
        services.submit(actor=org_user, kind="deregister", org_id=org.pk, on=date(2025, 9, 20))
    assert exc.value.code == "bad_date"
    app = services.submit(actor=org_user, kind="deregister", org_id=org.pk,
                          items={"liquidation_ended_on": "2025-09-01"},
                          materials=["application", "agency_review", "liquidation"],
                          on=date(2025, 9, 20))
    assert app.flags == [{"flag": "late_deregistration", "days": 19}]
    with pytest.raises(BusinessError) as exc:  # the same application twice
        services.submit(actor=org_user, kind="deregister", org_id=org.pk,
                        items={"liquidation_ended_on": "2025-09-01"}, on=date(2025, 9, 21))
    assert exc.value.code == "application_pending"
    services.act(actor=bureau, number=app.number, action="accept", on=date(2025, 9, 22))
    app = services.act(actor=bureau, number=app.number, action="approve", on=date(2025, 9, 30))
    org.refresh_from_db()
    assert org.status == Status.DEREGISTERED and org.ended_on == date(2025, 9, 30)
    text = _text(documents.deregistration(app))
    assert "注销登记证明" in text and org.credit_code in text and "锦江民社注〔2025〕1号" in text
    with pytest.raises(BusinessError) as exc:  # an ended organisation applies for nothing
        services.submit(actor=org_user, kind="change", org_id=org.pk,
                        items={"address": "新址", "agency_approved_on": "2025-10-01"},
                        on=date(2025, 10, 2))
    assert exc.value.code == "org_not_active"


def test_filed_organisation_may_not_seek_charity_recognition(org_user: Any,
                                                             bureau: Any) -> None:
    filed = filed_org(org_user)
    with pytest.raises(BusinessError) as exc:
        services.submit(actor=org_user, kind="recognise", org_id=filed.pk, on=date(2025, 9, 1))
    assert exc.value.code == "registration_required"
    assert str(exc.value.message) == (
        "督院街社区书画队是备案的社区社会组织，不具有法人资格；申请认定为慈善组织须为依法登记的组织"
        "（《慈善法》第十条第二款）。")
    org = registered_org(org_user)
    app = services.submit(actor=org_user, kind="recognise", org_id=org.pk,
                          materials=["application", "charter", "accounts"], on=date(2025, 9, 1))
    app = services.act(actor=bureau, number=app.number, action="accept", on=date(2025, 9, 2))
    # 20 days from 1 September: 21 September is a Sunday → Monday 22 September
    assert (app.limit_days, app.limit_unit, app.due_on) == (20, "days", date(2025, 9, 22))
    with pytest.raises(BusinessError):  # extension by more than 60 days
        services.act(actor=bureau, number=app.number, action="extend", days=61, note="特殊情况",
                     on=date(2025, 9, 10))
    app = services.act(actor=bureau, number=app.number, action="extend", days=30,
                       note="报经批准延长", on=date(2025, 9, 10))
    assert app.due_on == date(2025, 10, 21)  # 1 September + 50 days, a Tuesday
    app = services.act(actor=bureau, number=app.number, action="approve", on=date(2025, 10, 10))
    org.refresh_from_db()
    assert org.charity
    assert Org.objects.get(pk=filed.pk).status == Status.ACTIVE
    assert app.state == AppState.APPROVED
