"""The lifecycles of ``linkage``: a need (open → matched → closed) and an engagement
(invited → accepted → under way → completed → feedback). A provider answers for itself:
an organisation through its users, a social worker through their own account or the
staff who manage social workers there."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from shequ import authz
from shequ.authz import SystemActor
from shequ.lifecycle import Ctx, Lifecycle, Step, refuse
from shequ.linkage.enums import Code, Perm
from shequ.linkage.models import (
    ACTIVE_ENGAGEMENTS,
    OPEN_ENGAGEMENTS,
    Engagement,
    EngagementAction,
    EngagementState,
    Need,
    NeedAction,
    NeedState,
    ProviderKind,
)
from shequ.orgs import facade as orgs


def answers_for(actor: Any, e: Engagement) -> bool:
    if isinstance(actor, SystemActor):
        return True
    if e.kind == ProviderKind.ORG:
        return e.org_id is not None and orgs.operates(actor, e.org_id)
    worker = e.worker
    if worker is None:
        return False
    return (worker.user_id is not None and worker.user_id == getattr(actor, "pk", None)) \
        or authz.has_perm(actor, Perm.WORKERS, worker.area_code)


def _provider(actor: Any, e: Engagement, ctx: Ctx) -> Any:
    if answers_for(actor, e):
        return None
    return refuse(_("Only the invited provider answers this."), Code.NOT_PROVIDER)


def _provider_or_community(actor: Any, e: Engagement, ctx: Ctx) -> Any:
    if answers_for(actor, e) or authz.has_perm(actor, Perm.POST, e.area_code):
        return None
    return refuse(_("Only the provider or the community's staff record this."), Code.NOT_PROVIDER)


ENGAGEMENT: Lifecycle[Engagement] = Lifecycle(
    "linkage.engagement", noun=_("engagement"), states=EngagementState,
    actions=EngagementAction, steps=[
        Step(EngagementAction.ACCEPT, (EngagementState.INVITED,), EngagementState.ACCEPTED,
             guards=(_provider,)),
        Step(EngagementAction.DECLINE, (EngagementState.INVITED,), EngagementState.DECLINED,
             guards=(_provider,)),
        Step(EngagementAction.WITHDRAW, (EngagementState.INVITED,), EngagementState.WITHDRAWN,
             perm=Perm.POST),
        Step(EngagementAction.START, (EngagementState.ACCEPTED,), EngagementState.STARTED,
             guards=(_provider_or_community,)),
        Step(EngagementAction.COMPLETE, (EngagementState.STARTED,), EngagementState.COMPLETED,
             guards=(_provider_or_community,)),
        Step(EngagementAction.ABANDON, (EngagementState.ACCEPTED, EngagementState.STARTED),
             EngagementState.ABANDONED, guards=(_provider_or_community,)),
        Step(EngagementAction.FEEDBACK, (EngagementState.COMPLETED,), EngagementState.CLOSED,
             perm=Perm.POST),
    ])


def _nothing_open(actor: Any, need: Need, ctx: Ctx) -> Any:
    if need.engagements.filter(state__in=OPEN_ENGAGEMENTS).exists():
        return refuse(_("Engagements are still open: finish or withdraw them first."),
                      Code.OPEN_ENGAGEMENTS)
    return None


def _nothing_under_way(actor: Any, need: Need, ctx: Ctx) -> Any:
    if need.engagements.filter(state__in=ACTIVE_ENGAGEMENTS).exists():
        return refuse(_("An accepted engagement is under way: stop it first."),
                      Code.OPEN_ENGAGEMENTS)
    return None


def _consequence(actor: Any, need: Need, ctx: Ctx) -> Any:
    """A need is matched by an accepted invitation, never by a button."""
    if ctx.inputs.get("consequence"):
        return None
    return refuse(_("A need is matched when a provider accepts."), Code.BAD_NEED)


NEED: Lifecycle[Need] = Lifecycle(
    "linkage.need", noun=_("need"), states=NeedState, actions=NeedAction, steps=[
        Step(NeedAction.MATCH, (NeedState.OPEN,), NeedState.MATCHED, guards=(_consequence,)),
        Step(NeedAction.CLOSE, (NeedState.MATCHED,), NeedState.CLOSED, perm=Perm.POST,
             guards=(_nothing_open,)),
        Step(NeedAction.CANCEL, (NeedState.OPEN, NeedState.MATCHED), NeedState.CANCELLED,
             perm=Perm.POST, guards=(_nothing_under_way,)),
    ])
