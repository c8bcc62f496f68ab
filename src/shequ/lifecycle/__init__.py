"""One way to declare and move states, for every stateful model in every module.

A :class:`Lifecycle` is declared once per model, beside it (``<module>/lifecycles.py``):
its states and actions are ``TextChoices``; each :class:`Step` says from which states an
action may be taken, to which state it leads, which permission it needs at the object's
area and which *guards* must pass (the law's dates and conditions). Guards only look:
they never write, so pages call :meth:`Lifecycle.allowed` to show exactly the buttons
the services will accept, and :meth:`Lifecycle.move` (check, set the state, save, write
the module's event row and the audit entry ``<module>.<noun>.<action>``) is the only code
that changes a state. Saleor's ``can_cancel()``, Wagtail's ``check()``/``execute()``
and openprocurement's procedure states are the models (ADR 0011).
"""

from shequ.lifecycle.base import Ctx, Guard, Lifecycle, Step, refuse

__all__ = ["Ctx", "Guard", "Lifecycle", "Step", "refuse"]
