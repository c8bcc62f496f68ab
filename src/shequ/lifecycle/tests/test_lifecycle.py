"""The lifecycle engine on a toy model: declared steps, guards that only look, one move."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from types import SimpleNamespace
from typing import Any

import pytest
from django.db import models

from shequ.audit.models import AuditEntry
from shequ.authz import SYSTEM
from shequ.core.errors import AuthRequired, BusinessError, Forbidden, InvalidTransition
from shequ.lifecycle import Lifecycle, Step, refuse


class S(models.TextChoices):
    DRAFT = "draft", "草稿"
    OPEN = "open", "进行中"
    DONE = "done", "已完成"


class A(models.TextChoices):
    OPEN = "open", "开始"
    NOTE = "note", "备注"
    FINISH = "finish", "完成"


@dataclass
class Thing:
    state: str = S.DRAFT
    area_code: str = "510104022009"
    opens_on: date = date(2026, 3, 1)
    pk: int = 7
    saved: list[list[str] | None] = field(default_factory=list)
    _meta: Any = field(default_factory=lambda: SimpleNamespace(label_lower="test.thing"))

    def save(self, update_fields: list[str] | None = None) -> None:
        self.saved.append(update_fields)


def not_before_opening(actor: Any, thing: Thing, ctx: Any) -> BusinessError | None:
    if ctx.on < thing.opens_on:
        return refuse("还没到开始日期。", "too_early", opens_on=thing.opens_on.isoformat())
    return None


events: list[dict[str, Any]] = []

LC: Lifecycle[Any] = Lifecycle(
    "test.thing", noun="事项", states=S, actions=A,
    steps=[
        Step(A.OPEN, (S.DRAFT,), S.OPEN, perm="services.handle", guards=(not_before_opening,)),
        Step(A.NOTE, (S.OPEN,), None, perm="services.view"),
        Step(A.FINISH, (S.OPEN,), S.DONE, perm="services.decide",
             also=lambda actor, thing: getattr(actor, "username", "") == "owner"),
    ],
    event=lambda obj, **kw: events.append(kw),
)


def test_a_declaration_with_an_unknown_state_or_a_duplicate_step_fails() -> None:
    with pytest.raises(ValueError, match="unknown state"):
        Lifecycle("test.x", noun="x", states=S, actions=A, steps=[Step(A.OPEN, ("nope",), S.OPEN)])
    with pytest.raises(ValueError, match="declared twice"):
        Lifecycle("test.x", noun="x", states=S, actions=A,
                  steps=[Step(A.OPEN, (S.DRAFT,), S.OPEN), Step(A.OPEN, (S.DRAFT,), S.DONE)])
    with pytest.raises(ValueError, match=r"<module>\.<noun>"):
        Lifecycle("thing", noun="x", states=S, actions=A, steps=[])


def test_unknown_and_misplaced_actions_are_refusals_naming_what_is_allowed() -> None:
    thing = Thing()
    unknown = LC.refusal(SYSTEM, thing, "zzz")
    assert isinstance(unknown, InvalidTransition) and unknown.code == "unknown_action"
    assert unknown.details["allowed"] == ["open"]
    misplaced = LC.refusal(SYSTEM, thing, A.FINISH)
    assert isinstance(misplaced, InvalidTransition)
    assert str(misplaced.message) == "事项处于“草稿”时不能“完成”。"


@pytest.mark.django_db
def test_permission_is_checked_at_the_objects_area(make_user: Any) -> None:
    from django.contrib.auth.models import AnonymousUser

    thing = Thing(state=S.OPEN)
    inside = make_user("street_officer", "510104022")
    outside = make_user("street_officer", "510104037")
    assert LC.can(inside, thing, A.FINISH)
    assert isinstance(LC.refusal(outside, thing, A.FINISH), Forbidden)
    assert isinstance(LC.refusal(AnonymousUser(), thing, A.FINISH), AuthRequired)
    owner = SimpleNamespace(username="owner", is_authenticated=True)
    assert LC.can(owner, thing, A.FINISH)  # ``also`` lets the owner finish without the permission


def test_guards_look_at_the_day_of_the_step_and_write_nothing() -> None:
    thing = Thing()
    refused = LC.refusal(SYSTEM, thing, A.OPEN, on=date(2026, 2, 28))
    assert refused is not None and refused.code == "too_early"
    assert LC.allowed(SYSTEM, thing, on=date(2026, 2, 28)) == []
    assert LC.allowed(SYSTEM, thing, on=date(2026, 3, 1)) == ["open"]
    assert thing.saved == [] and thing.state == S.DRAFT


@pytest.mark.django_db
def test_move_sets_the_state_saves_writes_the_event_and_the_audit_entry() -> None:
    events.clear()
    thing = Thing()
    source = LC.move(actor=SYSTEM, obj=thing, action=A.OPEN, on=date(2026, 3, 2),
                     changes={"reason": "开始"}, update_fields=["opens_on"], note="x")
    assert source == S.DRAFT and thing.state == S.OPEN
    assert thing.saved == [["opens_on", "state"]]
    assert events[0]["action"] == "open" and events[0]["note"] == "x"
    entry = AuditEntry.objects.get(action="test.thing.open")
    assert entry.changes == {"state": ["draft", "open"], "reason": "开始"}
    assert entry.area_code == "510104022009"
    LC.move(actor=SYSTEM, obj=thing, action=A.NOTE)  # a step that keeps the state
    assert thing.state == S.OPEN
    assert AuditEntry.objects.get(action="test.thing.note").changes == {}


@pytest.mark.django_db
def test_move_refuses_without_writing() -> None:
    thing = Thing()
    with pytest.raises(BusinessError):
        LC.move(actor=SYSTEM, obj=thing, action=A.OPEN, on=date(2026, 1, 1))
    assert thing.saved == [] and not AuditEntry.objects.exists()


def test_edges_and_final_states() -> None:
    assert ("open", "finish", "done") in LC.edges()
    assert LC.is_final(S.DONE) and not LC.is_final(S.DRAFT)
