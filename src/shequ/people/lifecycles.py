"""The lifecycles of ``people``'s stateful models (ADR 0011, ADR 0305).

A rights request (PIPL Art. 44–47) is the one row here with a state: received, then
answered once, by accepting or refusing. Residents, staff, postings, bodies and
memberships have no state column: what happened to them are dated facts (moved away on,
de-identified at, posting until, dissolved on, term until), so their writes stay plain
services (ADR 0305 says why).

Guards only look (``(actor, request, ctx) -> BusinessError | None``), so the rights page
shows exactly the buttons :func:`services.rights.decide_rights_request` accepts.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.utils.translation import gettext_lazy as _

from shequ.core.errors import BusinessError
from shequ.lifecycle import Ctx, Lifecycle, Step, refuse
from shequ.people.enums import Code, Perm
from shequ.people.models import RightsAction, RightsKind, RightsRequest, RightsStatus


def on_time(request: RightsRequest, on: date) -> bool:
    """Answered by the day the answer was due (the answer period, ``rights_answer_days``
    from receipt): a late answer is still an answer, recorded as late."""
    return on <= request.due_on


def not_before_receipt(actor: Any, request: RightsRequest, ctx: Ctx) -> BusinessError | None:
    """A request cannot be answered on a day before it was received."""
    if ctx.on < request.received_on:
        return refuse(_("A request cannot be answered before the day it was received (%(d)s).")
                      % {"d": request.received_on.isoformat()}, Code.DECIDED_BEFORE_RECEIPT,
                      received_on=request.received_on.isoformat())
    return None


def record_still_identified(actor: Any, request: RightsRequest, ctx: Ctx) -> BusinessError | None:
    """A correction cannot be applied to a record that no longer identifies anyone."""
    if request.kind == RightsKind.CORRECT and request.resident.deidentified_at is not None:
        return refuse(_("This record was de-identified and cannot be changed."),
                      Code.DEIDENTIFIED)
    return None


RIGHTS: Lifecycle[RightsRequest] = Lifecycle(
    "people.rights_request", noun=_("rights request"), states=RightsStatus,
    actions=RightsAction, field="status",
    steps=[
        Step(RightsAction.ACCEPT, (RightsStatus.OPEN,), RightsStatus.DONE, perm=Perm.RIGHTS,
             guards=(not_before_receipt, record_still_identified)),
        Step(RightsAction.REFUSE, (RightsStatus.OPEN,), RightsStatus.REFUSED, perm=Perm.RIGHTS,
             guards=(not_before_receipt,)),
    ],
)
