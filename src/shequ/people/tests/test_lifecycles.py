"""The rights-request lifecycle: its edges, its guards (the answer period, the day of
receipt, a correction of a record that no longer identifies anyone), both sides of the
permission, and the buttons the page shows from the same declaration."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.test import Client

from shequ.audit.models import AuditEntry
from shequ.authz import SYSTEM
from shequ.core.errors import BusinessError, Conflict, Forbidden, InvalidTransition
from shequ.people import lifecycles, services
from shequ.people.lifecycles import RIGHTS
from shequ.people.models import Resident, RightsKind, RightsRequest, RightsStatus
from shequ.people.tests.factories import make_identity_number

pytestmark = pytest.mark.django_db
RECEIVED = date(2026, 3, 2)  # due 2026-04-01 (30 calendar days)


@pytest.fixture
def resident(tree: Any) -> Resident:
    return services.register_resident(
        actor=SYSTEM, name="权利人", id_number=make_identity_number(date(1975, 5, 5), serial=611),
        community_code=tree.community.code)


def file(resident: Resident, kind: str = RightsKind.ACCESS, detail: str = "") -> RightsRequest:
    return services.file_rights_request(actor=SYSTEM, resident=resident, kind=kind,
                                        detail=detail, received_on=RECEIVED)


def test_the_declared_edges() -> None:
    assert sorted(RIGHTS.edges()) == [("open", "accept", "done"), ("open", "refuse", "refused")]
    assert RIGHTS.is_final(RightsStatus.DONE) and RIGHTS.is_final(RightsStatus.REFUSED)
    assert not RIGHTS.is_final(RightsStatus.OPEN)


def test_accept_and_refuse_move_the_state_once_and_write_the_audit_entry(resident: Resident) -> None:
    accepted = services.decide_rights_request(actor=SYSTEM, request=file(resident), accept=True,
                                              outcome="已当面查阅", on=RECEIVED)
    assert accepted.status == RightsStatus.DONE and accepted.decided_by == "system"
    refused = services.decide_rights_request(actor=SYSTEM, request=file(resident), accept=False,
                                             outcome="无法核实身份", on=RECEIVED)
    assert refused.status == RightsStatus.REFUSED and refused.outcome == "无法核实身份"
    entry = AuditEntry.objects.get(action="people.rights_request.refuse")
    assert entry.changes["status"] == ["open", "refused"] and entry.object_id == str(refused.pk)
    with pytest.raises(Conflict) as exc:  # answered once: a final state has no steps
        services.decide_rights_request(actor=SYSTEM, request=refused, accept=True, outcome="改为同意")
    assert exc.value.code == "already_decided" and str(exc.value.message) == "该请求已答复。"
    refused.refresh_from_db()
    assert refused.status == RightsStatus.REFUSED
    assert AuditEntry.objects.filter(action__startswith="people.rights_request.").count() == 4


def test_an_unknown_step_names_what_is_allowed(resident: Resident) -> None:
    req = file(resident)
    refused = RIGHTS.refusal(SYSTEM, req, "withdraw")
    assert isinstance(refused, InvalidTransition) and refused.code == "unknown_action"
    assert refused.details["allowed"] == ["accept", "refuse"]


def test_the_answer_period_on_time_late_and_back_dated(resident: Resident) -> None:
    req = file(resident)
    assert req.due_on == date(2026, 4, 1)
    assert lifecycles.on_time(req, date(2026, 4, 1)) and not lifecycles.on_time(req, date(2026, 4, 2))
    # answered on the last day, recorded the day after: judged on its own day
    services.decide_rights_request(actor=SYSTEM, request=req, accept=True, outcome="已提供",
                                   on=date(2026, 4, 1))
    late = file(resident)
    services.decide_rights_request(actor=SYSTEM, request=late, accept=True, outcome="已提供",
                                   on=date(2026, 4, 2))
    entries = {e.object_id: e.changes for e in AuditEntry.objects.filter(
        action="people.rights_request.accept")}
    assert entries[str(req.pk)]["on_time"] is True
    assert entries[str(late.pk)]["on_time"] is False
    assert entries[str(late.pk)]["decided_on"] == "2026-04-02"


def test_no_answer_before_the_day_of_receipt(resident: Resident) -> None:
    req = file(resident)
    before = RECEIVED - timedelta(days=1)
    assert RIGHTS.allowed(SYSTEM, req, on=before) == []
    with pytest.raises(BusinessError) as exc:
        services.decide_rights_request(actor=SYSTEM, request=req, accept=False, outcome="x",
                                       on=before)
    assert exc.value.code == "decided_before_receipt"
    assert str(exc.value.message) == "申请不能在收到之日（2026-03-02）之前答复。"
    req.refresh_from_db()
    assert req.status == RightsStatus.OPEN
    assert RIGHTS.allowed(SYSTEM, req, on=RECEIVED) == ["accept", "refuse"]


def test_a_correction_of_a_de_identified_record_can_only_be_refused(resident: Resident) -> None:
    req = file(resident, RightsKind.CORRECT, detail="姓名写错了")
    services.deidentify(actor=SYSTEM, resident=resident, reason="保存期满")
    req = RightsRequest.objects.select_related("resident").get(pk=req.pk)
    assert RIGHTS.allowed(SYSTEM, req, on=RECEIVED) == ["refuse"]
    with pytest.raises(BusinessError) as exc:
        services.decide_rights_request(actor=SYSTEM, request=req, accept=True, outcome="已更正",
                                       corrections={"name": "权利人甲"}, on=RECEIVED)
    assert exc.value.code == "deidentified"
    assert str(exc.value.message) == "该记录已去标识化,不能修改。"


def test_outcome_is_required(resident: Resident) -> None:
    with pytest.raises(BusinessError) as exc:
        services.decide_rights_request(actor=SYSTEM, request=file(resident), accept=False,
                                       outcome="  ", on=RECEIVED)
    assert exc.value.code == "outcome_required"
    assert str(exc.value.message) == "请填写处理结果(如拒绝,请说明理由)。"


def test_accepting_a_correction_applies_it(resident: Resident) -> None:
    req = file(resident, RightsKind.CORRECT, detail="姓名写错了")
    services.decide_rights_request(actor=SYSTEM, request=req, accept=True, outcome="已更正",
                                   corrections={"name": "权利人甲"}, on=RECEIVED)
    resident.refresh_from_db()
    assert resident.name == "权利人甲"
    assert AuditEntry.objects.get(action="people.rights_request.accept").changes["corrections"] \
        == ["name"]


@pytest.mark.parametrize(("role", "where", "may"), [
    ("street_officer", "street", True),
    ("street_officer", "other_street", False),
    ("community_worker", "community", False),  # manages residents, does not answer requests
    ("civil_affairs", "district", True),
])
def test_both_sides_of_the_permission_on_page_and_service(
        tree: Any, resident: Resident, make_user: Any, role: str, where: str, may: bool) -> None:
    user = make_user(role, getattr(tree, where).code)
    req = file(resident)
    assert (RIGHTS.allowed(user, req, on=RECEIVED) == ["accept", "refuse"]) is may
    client = Client()
    client.force_login(user)
    page = client.get("/people/rights/")
    if not may and role == "community_worker":
        assert page.status_code == 403
    else:
        assert page.status_code == 200
        assert (f'id="accept-{req.pk}"' in page.content.decode()) is may
    if may:
        services.decide_rights_request(actor=user, request=req, accept=False, outcome="不予办理")
        req.refresh_from_db()
        assert req.status == RightsStatus.REFUSED
    else:
        with pytest.raises(Forbidden):
            services.decide_rights_request(actor=user, request=req, accept=False, outcome="不予办理")
        req.refresh_from_db()
        assert req.status == RightsStatus.OPEN


def test_the_vocabulary_names_what_the_lifecycle_writes() -> None:
    from shequ.people.enums import AuditAction, Perm
    from shequ.people.models import RightsAction

    assert {f"{RIGHTS.name}.{a}" for a in RightsAction.values} == {
        AuditAction.RIGHTS_REQUEST_ACCEPT, AuditAction.RIGHTS_REQUEST_REFUSE}
    assert all(a.value.count(".") == 2 and a.value.startswith("people.") for a in AuditAction)
    assert all(p.value.startswith("people.") for p in Perm)
