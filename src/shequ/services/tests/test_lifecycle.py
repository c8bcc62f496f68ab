"""Cases from submission to closure; refusals change nothing."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from shequ.audit.models import AuditEntry
from shequ.core.calendar import CalendarYearUnknown
from shequ.core.errors import BusinessError, Forbidden, InvalidTransition, NotFound
from shequ.services import selectors, services
from shequ.services.models import Attachment, Case, CaseCounter, Notification, State
from shequ.services.services import AttachmentRejected, DuplicateSubmission, Upload

from .conftest import PDF, PNG, at
from .conftest import submit as _submit


def _state_of_world() -> tuple[int, int, int, int]:
    return (Case.objects.count(), AuditEntry.objects.count(), Attachment.objects.count(),
            sum(CaseCounter.objects.values_list("last", flat=True)))


def test_full_lifecycle_with_correction_extension_and_pause(item: Any, officer: Any,
                                                            head: Any,
                                                            resident_user: Any) -> None:
    case = _submit(resident_user, uploads=[Upload("id.pdf", PDF, "id")])
    assert case.number == "510104022-2025-000001"
    assert case.state == State.SUBMITTED and case.accept_by.isoformat() == "2025-10-13"
    case = services.request_correction(actor=officer, number=case.number,
                                       missing=["lease", "photo"], at=at("2025-09-30"))
    assert case.state == State.CORRECTION and case.missing == ["租赁合同", "近期照片"]
    note = Notification.objects.filter(case=case, kind="request_correction").get()
    assert note.params["missing"] == ["租赁合同", "近期照片"] and note.user == resident_user
    case = services.supply(actor=resident_user, number=case.number,
                           uploads=[Upload("lease.png", PNG, "lease"), Upload("p.png", PNG, "photo")],
                           at=at("2025-09-30", 15))
    assert case.state == State.SUBMITTED and case.attachments.count() == 3
    case = services.accept(actor=officer, number=case.number, at=at("2025-09-30", 16))
    assert case.due_on.isoformat() == "2025-11-04" and case.sla == "on_time"
    case = services.request_extension(actor=officer, number=case.number, days=10,
                                      reason="需现场核实", at=at("2025-10-20"))
    assert case.due_on.isoformat() == "2025-11-04" and case.extension_requested == 10
    case = services.extend(actor=head, number=case.number, at=at("2025-10-20", 15))
    assert case.due_on.isoformat() == "2025-11-18" and case.extension_approved_by == "zhuren"
    with pytest.raises(BusinessError) as again:
        services.extend(actor=head, number=case.number, days=5, reason="再延",
                        at=at("2025-10-21"))
    assert again.value.code == "extension_refused"
    assert str(again.value.message) == "办理期限只能延长 1 次,本件已经延长过。"
    case = services.suspend(actor=officer, number=case.number, kind="inspection",
                            note="现场勘验", at=at("2025-10-21"))
    assert case.sla == "paused"
    case = services.resume(actor=officer, number=case.number, at=at("2025-10-23"))
    assert case.paused_workdays == 2 and case.due_on.isoformat() == "2025-11-20"
    case = services.decide(actor=officer, number=case.number, approve=True, at=at("2025-11-20"))
    assert case.sla == "done_on_time" and case.workdays_used == 30
    # Art. 44: the licence reaches the applicant within 10 working days of the decision
    assert case.issue_due_on.isoformat() == "2025-12-04"
    late = selectors.issue_overdue(user=officer, on=date(2025, 12, 5))
    assert list(late.values_list("number", flat=True)) == [case.number]
    assert not selectors.issue_overdue(user=officer, on=date(2025, 12, 4)).exists()
    case = services.issue(actor=officer, number=case.number, at=at("2025-11-21"))
    assert not selectors.issue_overdue(user=officer, on=date(2025, 12, 5)).exists()
    case = services.close(actor=officer, number=case.number, at=at("2025-11-21"))
    assert case.state == State.CLOSED
    actions = list(AuditEntry.objects.filter(object_id=str(case.pk), action__startswith="services.case")
                   .order_by("id").values_list("action", flat=True))
    assert actions == ["services.case." + a for a in (
        "submit", "request_correction", "supply", "accept", "request_extension", "extend",
        "suspend", "resume",
        "approve", "issue", "close")]
    assert [e.action for e in case.events.all()] == [a.removeprefix("services.case.")
                                                    for a in actions]


def test_invalid_transition_is_refused_and_changes_nothing(item: Any, officer: Any,
                                                           resident_user: Any) -> None:
    case = _submit(resident_user)
    before = _state_of_world()
    with pytest.raises(InvalidTransition) as err:
        services.decide(actor=officer, number=case.number, approve=True, at=at("2025-09-30"))
    assert err.value.code == "invalid_transition" and err.value.status == 409
    assert str(err.value.message) == "办件处于“已收件,待受理”时不能“准予许可”。"
    assert err.value.details["allowed"] == ["request_correction", "accept", "auto_accept",
                                            "refuse", "withdraw"]
    assert _state_of_world() == before
    assert Case.objects.get(pk=case.pk).state == State.SUBMITTED


def test_duplicate_submission_with_same_key(item: Any, resident_user: Any) -> None:
    first = _submit(resident_user, idempotency_key="k-1")
    before = _state_of_world()
    with pytest.raises(DuplicateSubmission) as err:
        _submit(resident_user, idempotency_key="k-1")
    assert err.value.status == 409 and err.value.details == {"number": first.number}
    assert _state_of_world() == before
    second = _submit(resident_user, idempotency_key="k-2")
    assert second.seq == first.seq + 1


@pytest.mark.parametrize(("name", "content", "why"), [
    ("big.pdf", b"%PDF-" + b"0" * (10 * 1024 * 1024), "size"),
    ("virus.exe", b"MZ\x90\x00", "allowed"),
    ("fake.pdf", b"MZ not a pdf", "allowed"),
])
def test_bad_attachment_refuses_the_whole_submission(item: Any, resident_user: Any, name: str,
                                                     content: bytes, why: str) -> None:
    before = _state_of_world()
    with pytest.raises(AttachmentRejected) as err:
        _submit(resident_user, uploads=[Upload("ok.pdf", PDF), Upload(name, content)])
    assert err.value.code == "attachment_rejected" and why in err.value.details
    assert _state_of_world() == before


def test_deadline_in_unknown_year_is_an_error_and_nothing_changes(item: Any, officer: Any,
                                                                  resident_user: Any) -> None:
    case = _submit(resident_user, at=at("2026-12-14"))
    before = _state_of_world()
    with pytest.raises(CalendarYearUnknown) as err:
        services.accept(actor=officer, number=case.number, at=at("2026-12-15"))
    assert err.value.details == {"year": 2027} and err.value.status == 422
    assert _state_of_world() == before
    fresh = Case.objects.get(pk=case.pk)
    assert fresh.state == State.SUBMITTED and fresh.due_on is None


def test_correction_after_the_window_is_refused(item: Any, officer: Any, resident_user: Any) -> None:
    case = _submit(resident_user)  # received Mon 29 Sep 2025; window ends 13 Oct
    with pytest.raises(BusinessError) as err:
        services.request_correction(actor=officer, number=case.number, missing=["lease"],
                                    at=at("2025-10-14"))
    assert err.value.code == "correction_window_passed"
    assert str(err.value.message) == "告知补正的期限已于 2025-10-13 届满,自收件之日起即视为受理。"
    # the last day of the window still counts
    case = services.request_correction(actor=officer, number=case.number, missing=["lease"],
                                       at=at("2025-10-13"))
    assert case.state == State.CORRECTION


def test_a_case_outside_ones_scope_does_not_exist_for_one(item: Any, resident_user: Any,
                                                          desk: Any, make_user: Any) -> None:
    """Another street's officer gets the same "no such case" as for a number nobody
    filed (a 403 would tell them the number exists); a desk worker in scope who lacks the
    step's permission is told so."""
    case = _submit(resident_user)
    stranger = make_user("street_officer", "510104037")
    with pytest.raises(NotFound) as err:
        services.accept(actor=stranger, number=case.number, at=at("2025-09-30"))
    assert str(err.value.message) == "没有这个办件。"
    with pytest.raises(NotFound):
        services.accept(actor=stranger, number="510104022-2025-999999", at=at("2025-09-30"))
    with pytest.raises(Forbidden):
        services.accept(actor=desk, number=case.number, at=at("2025-09-30"))
    assert Case.objects.get(pk=case.pk).state == State.SUBMITTED


def test_catalogue_versions_do_not_change_filed_cases(item: Any, resident_user: Any) -> None:
    from shequ.authz import SYSTEM

    case = _submit(resident_user)
    services.publish_item(actor=SYSTEM, code="JJ-001", area_code="510104", name="居住证明（新）",
                          legal_basis="x", handler_level="street", delegation_mode="entrusted",
                          delegation_rank="rules", delegation_basis="《委托事项目录》",
                          department="社区发展科", department_category="public_service",
                          statutory_days=20, promised_days=10)
    newer = _submit(resident_user)
    assert case.version.version == 1 and newer.version.version == 2
    assert Case.objects.get(pk=case.pk).limit_days == 20 and newer.limit_days == 10


def test_desk_filing_links_station_and_numbers_per_street(item: Any, desk: Any,
                                                          resident_user: Any, tree: Any) -> None:
    a = _submit(desk, channel="desk", station_code="JJ-T1", applicant_name="王大爷")
    b = _submit(resident_user)
    assert a.channel == "desk" and a.station_id == tree.station.pk and a.applicant_user is None
    assert (a.seq, b.seq) == (1, 2)


def test_applicant_may_withdraw_own_case_only(item: Any, resident_user: Any, make_user: Any) -> None:
    case = _submit(resident_user)
    neighbour = make_user("resident", "510104022009")
    with pytest.raises(NotFound):
        services.withdraw(actor=neighbour, number=case.number, at=at("2025-09-30"))
    case = services.withdraw(actor=resident_user, number=case.number, at=at("2025-09-30"))
    assert case.state == State.WITHDRAWN and case.sla == "ended"
    with pytest.raises(InvalidTransition):
        services.supply(actor=resident_user, number=case.number, at=at("2025-09-30"))


def test_refusal_needs_reasons(item: Any, officer: Any, resident_user: Any) -> None:
    case = _submit(resident_user)
    with pytest.raises(BusinessError) as err:
        services.refuse(actor=officer, number=case.number, reasons="  ", at=at("2025-09-30"))
    assert err.value.code == "reasons_required"
    assert str(err.value.message) == "请说明理由,以便告知申请人。"
    case = services.refuse(actor=officer, number=case.number, reasons="不属于本机关职权",
                           at=at("2025-09-30"))
    assert case.state == State.REFUSED
    assert Notification.objects.get(case=case, kind="refuse").params["reasons"] == "不属于本机关职权"


def test_an_item_closed_to_applications_refuses_the_next_submission(item: Any,
                                                                    resident_user: Any) -> None:
    """The item's state is read on every submission (only published versions, which never
    change, are kept by the process)."""
    from shequ.core.errors import NotFound
    from shequ.services.models import ServiceItem

    _submit(resident_user)
    ServiceItem.objects.filter(code="JJ-001").update(active=False)
    before = _state_of_world()
    with pytest.raises(NotFound):
        _submit(resident_user)
    assert _state_of_world() == before
