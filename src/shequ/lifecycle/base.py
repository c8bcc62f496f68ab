"""The lifecycle engine (see the package docstring)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Generic, TypeVar

from django.db import models
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from shequ import authz
from shequ.core.errors import AuthRequired, BusinessError, Forbidden, InvalidTransition

M = TypeVar("M", bound=models.Model)


@dataclass(frozen=True)
class Ctx:
    """What a guard may look at besides the actor and the object: the day the step is
    taken (back-dated steps pass their own day) and any inputs the caller already has."""

    on: date
    inputs: Mapping[str, Any] = field(default_factory=dict)


Guard = Callable[[Any, Any, Ctx], BusinessError | None]
"""``guard(actor, obj, ctx)``: ``None`` when the step may be taken, else the refusal
(a :class:`BusinessError` naming the rule). Never writes."""


def refuse(message: str | Promise, code: str, **details: Any) -> BusinessError:
    """A guard's refusal: a business error with a stable code and details."""
    return BusinessError(message, code=code, details=details)


@dataclass(frozen=True)
class Step:
    """One declared transition.

    ``target=None`` keeps the state (e.g. extending a deadline is a step, not a move).
    ``perm`` is checked at the object's area; ``also`` lets a particular actor take the
    step without it (the applicant withdrawing their own case). ``guards`` run in order;
    the first refusal wins.
    """

    action: str
    sources: tuple[str, ...]
    target: str | None = None
    perm: str | None = None
    guards: tuple[Guard, ...] = ()
    also: Callable[[Any, Any], bool] | None = None


class Lifecycle(Generic[M]):
    """The declared lifecycle of one model."""

    def __init__(
        self,
        name: str,
        *,
        noun: str | Promise,
        states: type[models.TextChoices],
        actions: type[models.TextChoices],
        steps: Sequence[Step],
        field: str = "state",
        area: Callable[[M], str] = lambda obj: str(getattr(obj, "area_code", "")),
        event: Callable[..., Any] | None = None,
    ) -> None:
        """``name`` is ``<module>.<noun>`` (the audit action prefix); ``event(obj, *,
        action, source, target, actor, at, **data)`` writes the module's own history row
        (optional)."""
        if name.count(".") != 1:
            raise ValueError(f"lifecycle name must be '<module>.<noun>': {name!r}")
        self.name = name
        self.noun = noun
        self.states = states
        self.actions = actions
        self.field = field
        self.area = area
        self.event = event
        self._steps: dict[tuple[str, str], Step] = {}
        self._order: list[str] = []
        for step in steps:
            if step.action not in actions.values:
                raise ValueError(f"{name}: unknown action {step.action!r}")
            for state in (*step.sources, *([step.target] if step.target else [])):
                if state not in states.values:
                    raise ValueError(f"{name}: unknown state {state!r}")
            for source in step.sources:
                if (source, step.action) in self._steps:
                    raise ValueError(f"{name}: {step.action!r} declared twice from {source!r}")
                self._steps[(source, step.action)] = step
            if step.action not in self._order:
                self._order.append(step.action)

    # -- reading the declaration -------------------------------------------------------

    def state_of(self, obj: M) -> str:
        return str(getattr(obj, self.field))

    def state_label(self, state: str) -> str:
        return str(self.states(state).label) if state in self.states.values else state

    def action_label(self, action: str) -> str:
        return str(self.actions(action).label) if action in self.actions.values else action

    def actions_from(self, state: str) -> list[str]:
        """Actions declared from ``state``, in declaration order (whoever takes them)."""
        return [a for a in self._order if (state, a) in self._steps]

    def target(self, state: str, action: str) -> str:
        step = self._step(state, action)
        return step.target or state

    def is_final(self, state: str) -> bool:
        return not self.actions_from(state)

    def edges(self) -> list[tuple[str, str, str]]:
        """``(source, action, target)`` for documentation and tests."""
        return [(s, a, step.target or s) for (s, a), step in self._steps.items()]

    def step(self, state: str, action: str) -> Step:
        """The declared step for ``action`` from ``state``, or :class:`InvalidTransition`."""
        return self._step(state, action)

    def _step(self, state: str, action: str) -> Step:
        if action not in self.actions.values:
            raise InvalidTransition(
                _("A %(noun)s has no such step.") % {"noun": self.noun},
                code="unknown_action",
                details={"action": action, "allowed": self.actions_from(state)})
        step = self._steps.get((state, action))
        if step is None:
            raise InvalidTransition(
                _("“%(action)s” is not possible while the %(noun)s is “%(state)s”.")
                % {"action": self.action_label(action), "noun": self.noun,
                   "state": self.state_label(state)},
                details={"state": state, "action": action, "allowed": self.actions_from(state)})
        return step

    # -- guards: look, never write -------------------------------------------------------

    def refusal(self, actor: Any, obj: M, action: str, *, on: date | None = None,
                **inputs: Any) -> BusinessError | None:
        """Why ``actor`` may not take ``action`` on ``obj`` now, or ``None``."""
        try:
            step = self._step(self.state_of(obj), action)
        except InvalidTransition as exc:
            return exc
        if step.perm is not None and not (step.also is not None and step.also(actor, obj)):
            if actor is None or not actor.is_authenticated:
                return AuthRequired()
            if not authz.has_perm(actor, step.perm, self.area(obj)):
                return Forbidden(details={"permission": str(step.perm)})
        ctx = Ctx(on=on or timezone.localdate(), inputs=inputs)
        for guard in step.guards:
            refused = guard(actor, obj, ctx)
            if refused is not None:
                return refused
        return None

    def can(self, actor: Any, obj: M, action: str, *, on: date | None = None,
            **inputs: Any) -> bool:
        return self.refusal(actor, obj, action, on=on, **inputs) is None

    def allowed(self, actor: Any, obj: M, *, on: date | None = None) -> list[str]:
        """The actions ``actor`` may take on ``obj`` now: the buttons a page shows."""
        return [a for a in self.actions_from(self.state_of(obj))
                if self.refusal(actor, obj, a, on=on) is None]

    def check(self, actor: Any, obj: M, action: str, *, on: date | None = None,
              **inputs: Any) -> Step:
        refused = self.refusal(actor, obj, action, on=on, **inputs)
        if refused is not None:
            raise refused
        return self._step(self.state_of(obj), action)

    # -- the one writer ----------------------------------------------------------------

    def move(self, *, actor: Any, obj: M, action: str, on: date | None = None,
             at: datetime | None = None, changes: Mapping[str, Any] | None = None,
             update_fields: Iterable[str] | None = None, inputs: Mapping[str, Any] | None = None,
             checked: bool = False, **event_data: Any) -> str:
        """Check, move, save, write the event and the audit entry; returns the source
        state. Call it inside the service's transaction, on a row it has locked; set the
        step's other fields on ``obj`` before calling (they are saved with the state).

        ``at`` is the moment recorded in the history (a back-dated step passes its own);
        ``checked=True`` when the service called :meth:`check` itself before changing the
        object's fields (guards then judge the object as it was, not half-changed)."""
        if not checked:
            self.check(actor, obj, action, on=on, **dict(inputs or {}))
        source = self.state_of(obj)
        target = self.target(source, action)
        setattr(obj, self.field, target)
        if update_fields is not None:
            obj.save(update_fields=sorted({self.field, *update_fields}))
        else:
            obj.save()
        if self.event is not None:
            self.event(obj, action=action, source=source, target=target, actor=actor,
                       at=at or timezone.now(), **event_data)
        from shequ.audit.services import record  # the app registry is ready by now

        diff: dict[str, Any] = {} if source == target else {self.field: [source, target]}
        record(actor=actor, action=f"{self.name}.{action}", obj=obj, area_code=self.area(obj),
               changes=diff | dict(changes or {}))
        return source

