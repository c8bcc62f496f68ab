"""The case lifecycle as declared (every edge, its permission), its guards on the day of
the step, the dispatcher's refusals, and the words stored as keys."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.utils import translation

from shequ.audit.models import AuditEntry
from shequ.authz import SYSTEM
from shequ.core.errors import BusinessError, Conflict, InvalidTransition
from shequ.services import notices, services
from shequ.services.enums import Perm
from shequ.services.lifecycles import CASE, is_applicant
from shequ.services.models import Action, Case, CaseEvent, Notification, State
from shequ.services.services import Upload

from .conftest import PDF, PNG, at, submit

S, A = State, Action


def test_the_declaration_has_exactly_these_edges_and_permissions() -> None:
    assert sorted(CASE.edges()) == sorted([
        (S.SUBMITTED, A.REQUEST_CORRECTION, S.CORRECTION),
        (S.SUBMITTED, A.ACCEPT, S.IN_REVIEW),
        (S.SUBMITTED, A.AUTO_ACCEPT, S.IN_REVIEW),
        (S.SUBMITTED, A.REFUSE, S.REFUSED),
        (S.SUBMITTED, A.WITHDRAW, S.WITHDRAWN),
        (S.CORRECTION, A.SUPPLY, S.SUBMITTED),
        (S.CORRECTION, A.WITHDRAW, S.WITHDRAWN),
        (S.IN_REVIEW, A.REQUEST_EXTENSION, S.IN_REVIEW),
        (S.IN_REVIEW, A.EXTEND, S.IN_REVIEW),
        (S.IN_REVIEW, A.SUSPEND, S.SUSPENDED),
        (S.IN_REVIEW, A.APPROVE, S.APPROVED),
        (S.IN_REVIEW, A.REJECT, S.REJECTED),
        (S.IN_REVIEW, A.WITHDRAW, S.WITHDRAWN),
        (S.SUSPENDED, A.RESUME, S.IN_REVIEW),
        (S.SUSPENDED, A.WITHDRAW, S.WITHDRAWN),
        (S.APPROVED, A.ISSUE, S.ISSUED),
        (S.REJECTED, A.ISSUE, S.ISSUED),
        (S.ISSUED, A.CLOSE, S.CLOSED),
    ])
    perms = {(s, a): CASE.step(s, a).perm for s, a, _t in CASE.edges()}
    assert {a: p for (_s, a), p in perms.items()} == {
        A.REQUEST_CORRECTION: Perm.HANDLE, A.ACCEPT: Perm.HANDLE, A.AUTO_ACCEPT: Perm.SWEEP,
        A.REFUSE: Perm.HANDLE, A.WITHDRAW: Perm.DESK, A.SUPPLY: Perm.DESK,
        A.REQUEST_EXTENSION: Perm.HANDLE, A.EXTEND: Perm.EXTEND, A.SUSPEND: Perm.HANDLE,
        A.APPROVE: Perm.DECIDE,
        A.REJECT: Perm.DECIDE, A.RESUME: Perm.HANDLE, A.ISSUE: Perm.HANDLE,
        A.CLOSE: Perm.HANDLE}
    applicants = {a for s, a, _t in CASE.edges() if CASE.step(s, a).also is is_applicant}
    assert applicants == {A.SUPPLY, A.WITHDRAW}
    assert [s for s in S if CASE.is_final(s)] == [S.REFUSED, S.CLOSED, S.WITHDRAWN]


def test_the_correction_window_is_judged_on_the_day_of_the_step(item: Any, officer: Any,
                                                                resident_user: Any) -> None:
    """Received Mon 29 Sep 2025: 5 working days across National Day end Mon 13 Oct."""
    case = submit(resident_user)
    assert case.accept_by == date(2025, 10, 13)
    on_time = CASE.allowed(officer, case, on=date(2025, 10, 13))
    late = CASE.allowed(officer, case, on=date(2025, 10, 14))
    assert on_time == [A.REQUEST_CORRECTION, A.ACCEPT, A.REFUSE, A.WITHDRAW]
    assert late == [A.ACCEPT, A.WITHDRAW]  # accepted by law on receipt: no refusal now
    refused = CASE.refusal(officer, case, A.REQUEST_CORRECTION, on=date(2025, 10, 14))
    assert refused is not None and refused.code == "correction_window_passed"
    assert refused.details == {"accept_by": "2025-10-13"}


def test_one_extension_only_and_its_button_goes(item: Any, officer: Any, head: Any,
                                                resident_user: Any) -> None:
    case = services.accept(actor=officer, number=submit(resident_user).number,
                           at=at("2025-09-30"))
    on = date(2025, 10, 9)
    assert A.EXTEND in CASE.allowed(head, case, on=on)
    assert A.EXTEND not in CASE.allowed(officer, case, on=on)
    assert A.REQUEST_EXTENSION in CASE.allowed(officer, case, on=on)
    services.extend(actor=head, number=case.number, reason="需现场核实", days=3,
                    at=at("2025-10-09"))
    case.refresh_from_db()
    assert A.EXTEND not in CASE.allowed(head, case, on=on)
    assert A.REQUEST_EXTENSION not in CASE.allowed(officer, case, on=on)
    before = AuditEntry.objects.count()
    with pytest.raises(BusinessError) as err:
        services.act(actor=head, number=case.number, action="extend", note="再延一次",
                     days=1, at=at("2025-10-10"))
    assert err.value.code == "extension_refused" and err.value.details["max_extensions"] == 1
    assert AuditEntry.objects.count() == before
    assert Case.objects.get(pk=case.pk).extension_days == 3


@pytest.mark.parametrize(("days", "reason", "shown"), [
    (11, "需现场核实", "11"), (0, "需现场核实", "0"), (-3, "需现场核实", "-3"),
    (None, "需现场核实", "—"), (5, " ", "5")])
def test_an_extension_needs_a_reason_and_at_most_the_legal_days(
        item: Any, officer: Any, head: Any, resident_user: Any, days: int | None, reason: str,
        shown: str) -> None:
    case = services.accept(actor=officer, number=submit(resident_user).number,
                           at=at("2025-09-30"))
    before = AuditEntry.objects.count()
    for step, actor in ((services.request_extension, officer), (services.extend, head)):
        with pytest.raises(BusinessError) as err:
            step(actor=actor, number=case.number, reason=reason, days=days,
                 at=at("2025-10-09"))
        assert str(err.value.message) == (
            f"只能延期一次,延长 1 至 10 个工作日,并须向申请人说明理由(所填天数:{shown})。")
    assert AuditEntry.objects.count() == before
    assert A.EXTEND in CASE.allowed(head, Case.objects.get(pk=case.pk), on=date(2025, 10, 9))


def test_the_clock_cannot_restart_before_it_stopped(item: Any, officer: Any,
                                                    resident_user: Any) -> None:
    case = services.accept(actor=officer, number=submit(resident_user).number,
                           at=at("2025-09-30"))
    services.suspend(actor=officer, number=case.number, kind="hearing", at=at("2025-10-15"))
    with pytest.raises(BusinessError) as err:
        services.resume(actor=officer, number=case.number, at=at("2025-10-14"))
    assert err.value.code == "resume_before_pause"
    assert str(err.value.message) == "计时于 2025-10-15 暂停,不能早于该日恢复计时。"
    case = services.resume(actor=officer, number=case.number, at=at("2025-10-15", 16))
    assert case.state == S.IN_REVIEW and case.paused_workdays == 0


def test_acceptance_on_receipt_is_never_a_button_and_only_the_clock_takes_it(
        item: Any, officer: Any, admin: Any, resident_user: Any) -> None:
    case = submit(resident_user)
    late = date(2025, 10, 14)
    assert A.AUTO_ACCEPT not in CASE.allowed(admin, case, on=late)
    refused = CASE.refusal(admin, case, A.AUTO_ACCEPT, on=late)
    assert refused is not None and refused.code == "clock_only"
    early = CASE.refusal(admin, case, A.AUTO_ACCEPT, on=date(2025, 10, 13), clock=True)
    assert early is not None and early.code == "correction_window_open"
    assert services.sweep(actor=admin, at=at("2025-10-14")).auto_accepted == 1
    case.refresh_from_db()
    assert (case.state, case.accepted_on) == (S.IN_REVIEW, date(2025, 9, 29))
    entry = AuditEntry.objects.get(action="services.case.auto_accept")
    assert entry.changes["state"] == ["submitted", "in_review"]
    assert entry.changes["accepted_on"] == [None, "2025-09-29"]
    with pytest.raises(InvalidTransition) as err:  # no button, and no name in the API either
        services.act(actor=admin, number=case.number, action="auto_accept")
    assert err.value.code == "unknown_action"


def test_an_unknown_step_is_a_conflict_naming_the_steps(item: Any, officer: Any,
                                                        resident_user: Any) -> None:
    case = submit(resident_user)
    with pytest.raises(InvalidTransition) as err:
        services.act(actor=officer, number=case.number, action="approve_all")
    assert (err.value.status, err.value.code) == (409, "unknown_action")
    assert str(err.value.message) == "办件没有这一办理步骤。"
    assert "accept" in err.value.details["known"] and "auto_accept" not in err.value.details["known"]


def test_a_step_on_a_case_that_moved_meanwhile_is_refused(item: Any, officer: Any,
                                                          resident_user: Any) -> None:
    """Two officers open the same submitted case; one accepts; the other's withdraw
    (allowed from both states) is refused instead of acting on a case nobody looked at."""
    case = submit(resident_user)
    services.accept(actor=officer, number=case.number, expected=S.SUBMITTED,
                    at=at("2025-09-30"))
    with pytest.raises(Conflict) as err:
        services.withdraw(actor=officer, number=case.number, expected=S.SUBMITTED,
                          at=at("2025-09-30"))
    assert err.value.code == "case_moved" and err.value.status == 409
    assert str(err.value.message) == "办件状态已被他人更新,当前为“已受理,审查中”。请重新查看后再办理。"
    assert Case.objects.get(pk=case.pk).state == S.IN_REVIEW


def test_notices_and_history_are_stored_as_keys_and_read_in_the_readers_language(
        item: Any, officer: Any, resident_user: Any) -> None:
    case = submit(resident_user)
    services.request_correction(actor=officer, number=case.number, missing=["lease", "photo"],
                                at=at("2025-09-30"))
    services.supply(actor=resident_user, number=case.number, at=at("2025-10-09"),
                    uploads=[Upload("l.pdf", PDF, "lease"), Upload("p.png", PNG, "photo")])
    services.accept(actor=officer, number=case.number, at=at("2025-10-09", 11))
    services.suspend(actor=officer, number=case.number, kind="expert_review",
                     at=at("2025-10-10"))
    note = Notification.objects.get(case=case, kind="request_correction")
    assert note.params == {"number": case.number, "missing": ["租赁合同", "近期照片"], "note": ""}
    assert notices.notice(note) == "请补正以下材料(本通知一次性告知全部):租赁合同、近期照片。"
    paused = Notification.objects.get(case=case, kind="suspend")
    assert paused.params == {"number": case.number, "kind": "expert_review"}
    assert notices.notice(paused) == "因专家评审暂停计时,恢复计时时将另行告知。"
    with translation.override("en"):
        assert notices.notice(note) == ("Please supply the following, all listed in this one "
                                        "notice: 租赁合同、近期照片.")
        assert notices.notice(paused) == ("The clock is stopped for: Expert review. You will be "
                                          "told when it restarts.")
        assert notices.event_label("accept") == "Accepted; the clock started"
    assert [(e.action, notices.event_label(e.action)) for e in case.events.all()] == [
        ("submit", "收件"), ("request_correction", "待补正"), ("supply", "已补正材料"),
        ("accept", "受理,开始计时"), ("suspend", "暂停计时")]
    assert notices.event_label("no_such_key") == "办件已更新。"


def test_the_system_is_named_in_the_readers_language(item: Any, resident_user: Any) -> None:
    services.sweep(actor=SYSTEM, at=at("2025-10-14"))
    submit(resident_user)
    services.sweep(actor=SYSTEM, at=at("2025-10-14"))
    event = CaseEvent.objects.get(action="auto_accept")
    assert event.actor_name == "system" and notices.actor_label(event) == "系统"
    with translation.override("en"):
        assert notices.actor_label(event) == "the system"


def test_the_documented_lifecycle_is_the_declared_one() -> None:
    """docs/services.md carries `shequ services lifecycle`'s table; a change to CASE that
    is not written down there fails here."""
    from pathlib import Path

    from django.conf import settings

    from shequ.services.lifecycles import table

    doc = (Path(settings.REPO_DIR) / "docs" / "services.md").read_text(encoding="utf-8")
    assert table() in doc
