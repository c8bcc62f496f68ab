"""The only writers of ``linkage``: needs, invitations (with the explanation of why the
provider was proposed), engagement steps with the providers' running figures, and social
workers' linkage profiles."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from shequ import authz
from shequ.areas.models import Area
from shequ.audit.services import record
from shequ.core.errors import BusinessError, Conflict, NotFound
from shequ.linkage import rules, selectors
from shequ.linkage.enums import AuditAction, Code, Perm
from shequ.linkage.lifecycles import ENGAGEMENT, NEED
from shequ.linkage.models import (
    OPEN_ENGAGEMENTS,
    Engagement,
    EngagementAction,
    EngagementState,
    Need,
    NeedAction,
    NeedState,
    ProviderKind,
    Providers,
    ProviderStats,
    WorkerProfile,
    WorkerSkill,
)
from shequ.linkage.ranking import Params, score
from shequ.orgs import facade as orgs
from shequ.people import facade as people

COMMUNITY = 12


def _today(on: date | None) -> date:
    return on or timezone.localdate()


# ---------------------------------------------------------------- needs


def post_need(*, actor: Any, area_code: str, category: str, title: str, description: str,
              address: str, beneficiaries: int, wanted_from: date, wanted_to: date,
              budget_fen: int | None = None, volunteer_only: bool = False,
              providers: str = Providers.BOTH, lat_e6: int | None = None,
              lon_e6: int | None = None, on: date | None = None) -> Need:
    """A community posts a need. Without coordinates the community's own point is used
    (when the areas module has one); without either, distance counts for nobody."""
    day = _today(on)
    if len(area_code) != COMMUNITY or not Area.objects.filter(code=area_code).exists():
        raise NotFound(_("Unknown community: %(c)s.") % {"c": area_code}, code=Code.BAD_NEED)
    authz.check(actor, Perm.POST, area_code)
    if category not in orgs.CATEGORIES.values:
        raise BusinessError(_("Unknown service category."), code=Code.BAD_NEED)
    if providers not in Providers.values:
        raise BusinessError(_("Say whom the need is for."), code=Code.BAD_NEED)
    if not title.strip() or not description.strip() or not address.strip():
        raise BusinessError(_("A need has a title, a description and a place."),
                            code=Code.BAD_NEED)
    if beneficiaries <= 0:
        raise BusinessError(_("Say how many people it serves."), code=Code.BAD_NEED)
    if volunteer_only == (budget_fen is not None and budget_fen > 0) or (
            budget_fen is not None and budget_fen <= 0):
        raise BusinessError(_("A need either has a budget or is for volunteers only."),
                            code=Code.BAD_NEED)
    if wanted_to < wanted_from:
        raise BusinessError(_("The period ends before it begins."), code=Code.BAD_NEED)
    if (lat_e6 is None) != (lon_e6 is None):
        raise BusinessError(_("Give both coordinates or neither."), code=Code.BAD_NEED)
    if lat_e6 is None:
        point = Area.objects.filter(code=area_code).values_list("point", flat=True).first()
        if point and point.get("type") == "Point":
            lon, lat = point["coordinates"][:2]
            lat_e6, lon_e6 = round(lat * 1e6), round(lon * 1e6)
    with transaction.atomic():
        need = Need.objects.create(
            area_code=area_code, street_code=area_code[:9], category=category,
            title=title.strip()[:120], description=description.strip(),
            address=address.strip()[:200], lat_e6=lat_e6, lon_e6=lon_e6,
            beneficiaries=beneficiaries, budget_fen=None if volunteer_only else budget_fen,
            volunteer_only=volunteer_only, providers=providers, wanted_from=wanted_from,
            wanted_to=wanted_to, posted_on=day,
            posted_by=actor if getattr(actor, "pk", None) else None)
        record(actor=actor, action=AuditAction.NEED_POST, obj=need, area_code=area_code,
               changes={"category": category, "title": need.title,
                        "budget_fen": need.budget_fen, "volunteer_only": volunteer_only})
    return need


def need_step(*, actor: Any, need_id: int, action: str, on: date | None = None) -> Need:
    day = _today(on)
    with transaction.atomic():
        need = Need.objects.select_for_update().filter(pk=need_id).first()
        if need is None:
            raise NotFound(code=Code.UNKNOWN_NEED)
        NEED.check(actor, need, action, on=day)
        if action in (NeedAction.CLOSE, NeedAction.CANCEL):
            need.closed_on = day
            if action == NeedAction.CANCEL:  # open invitations lapse with the need
                for e in need.engagements.select_for_update().filter(
                        state=EngagementState.INVITED):
                    ENGAGEMENT.move(actor=actor, obj=e, action=EngagementAction.WITHDRAW, on=day)
        NEED.move(actor=actor, obj=need, action=action, on=day, changes={"closed_on": day})
    return need


# ---------------------------------------------------------------- invitations


def invite(*, actor: Any, need_id: int, kind: str, provider_id: int, note: str = "",
           on: date | None = None) -> Engagement:
    """Invite one provider; the explanation of its rank is stored with the invitation."""
    day = _today(on)
    with transaction.atomic():
        need = Need.objects.select_for_update().filter(pk=need_id).first()
        if need is None:
            raise NotFound(code=Code.UNKNOWN_NEED)
        authz.check(actor, Perm.POST, need.area_code)
        if need.state not in (NeedState.OPEN, NeedState.MATCHED):
            raise BusinessError(_("The need is %(state)s.") % {"state": need.get_state_display()},
                                code=Code.NEED_CLOSED)
        if kind not in ProviderKind.values:
            raise BusinessError(_("Unknown kind of provider."), code=Code.UNKNOWN_PROVIDER)
        profile = rules.profile(need.area_code)
        params = Params.of(profile)
        facts = selectors.facts_for(need, params, only=(kind, provider_id))
        if not facts:
            raise BusinessError(_("This provider does not serve “%(cat)s” within reach of the "
                                  "need, or is not available.")
                                % {"cat": orgs.category_label(need.category)},
                                code=Code.NOT_SERVED)
        fact = facts[0]
        if fact.capacity - fact.active <= 0:
            raise Conflict(_("This provider is at full capacity (%(n)d engagements under way).")
                           % {"n": fact.active}, code=Code.FULL)
        open_q = need.engagements.filter(state__in=OPEN_ENGAGEMENTS)
        same = open_q.filter(org_id=provider_id) if kind == ProviderKind.ORG \
            else open_q.filter(worker_id=provider_id)
        if same.exists():
            raise Conflict(_("This provider is already invited."), code=Code.ALREADY_INVITED)
        ranked = score(fact, params)
        name = selectors.decorate(need, [ranked])[0].name
        e = Engagement.objects.create(
            need=need, kind=kind, org_id=provider_id if kind == ProviderKind.ORG else None,
            worker_id=provider_id if kind == ProviderKind.WORKER else None,
            area_code=need.area_code, provider_name=name[:100], invited_on=day,
            note=note.strip(), score=ranked.total, explanation=ranked.explanation(),
            rules_version=profile.version)
        record(actor=actor, action=AuditAction.ENGAGEMENT_INVITE, obj=e, area_code=need.area_code,
               changes={"need": need.pk, "kind": kind, "provider": provider_id,
                        "score": ranked.total, "rules": profile.version})
    return e


def _bump(kind: str, provider_id: int, **deltas: int) -> None:
    ProviderStats.objects.get_or_create(kind=kind, provider_id=provider_id)
    ProviderStats.objects.filter(kind=kind, provider_id=provider_id).update(
        **{k: F(k) + v for k, v in deltas.items()})


def engagement_step(*, actor: Any, engagement_id: int, action: str, hours: int = 0,
                    served: int = 0, rating: int | None = None, feedback: str = "",
                    note: str = "", on: date | None = None) -> Engagement:
    day = _today(on)
    with transaction.atomic():
        e = Engagement.objects.select_for_update().filter(
            pk=engagement_id).first()
        if e is None:
            raise NotFound(code=Code.UNKNOWN_ENGAGEMENT)
        ENGAGEMENT.check(actor, e, action, on=day)
        pid = e.org_id if e.kind == ProviderKind.ORG else e.worker_id
        assert pid is not None
        if action == EngagementAction.ACCEPT:
            if e.kind == ProviderKind.ORG and not orgs.is_active(pid):
                raise BusinessError(_("The organisation is not active."), code=Code.NOT_PROVIDER)
            e.responded_on = day
            _bump(e.kind, pid, active=1)
            need = Need.objects.select_for_update().get(pk=e.need_id)
            if need.state == NeedState.OPEN:
                NEED.move(actor=actor, obj=need, action=NeedAction.MATCH, on=day,
                          inputs={"consequence": True})
        elif action == EngagementAction.DECLINE:
            e.responded_on = day
        elif action == EngagementAction.START:
            e.started_on = day
        elif action == EngagementAction.COMPLETE:
            if hours < 0 or served < 0:
                raise BusinessError(_("Hours and people served are not negative."),
                                    code=Code.BAD_FEEDBACK)
            e.completed_on, e.hours, e.served = day, hours, served
            _bump(e.kind, pid, active=-1, completed=1)
        elif action == EngagementAction.ABANDON:
            if not note.strip():
                raise BusinessError(_("Say why it stopped."), code=Code.BAD_FEEDBACK)
            _bump(e.kind, pid, active=-1)
        elif action == EngagementAction.FEEDBACK:
            if rating is None or not 1 <= rating <= 5:
                raise BusinessError(_("A rating is 1 to 5."), code=Code.BAD_FEEDBACK)
            e.rating, e.feedback = rating, feedback.strip()
            _bump(e.kind, pid, rating_sum=rating, rating_n=1)
        if note.strip():
            e.note = note.strip()
        ENGAGEMENT.move(actor=actor, obj=e, action=action, on=day,
                        changes={"hours": e.hours, "served": e.served, "rating": e.rating})
    return e


# ---------------------------------------------------------------- social workers


def save_worker(*, actor: Any, staff_id: int, categories: Sequence[str], capacity: int,
                lat_e6: int | None = None, lon_e6: int | None = None, available: bool = True,
                user: Any = None) -> WorkerProfile:
    """A social worker's linkage profile: categories (the main one first), how many
    engagements at once, the place they work from (default: their posting's area)."""
    found = people.social_workers(ids=[staff_id])
    if not found:
        raise NotFound(_("No such social worker."), code=Code.UNKNOWN_PROVIDER)
    sw = found[0]
    authz.check(actor, Perm.WORKERS, sw.area_code or "")
    cats = list(dict.fromkeys(str(c) for c in categories))
    if not cats or any(c not in orgs.CATEGORIES.values for c in cats):
        raise BusinessError(_("Choose at least one service category."), code=Code.BAD_PROFILE)
    if not 0 < capacity <= 20:
        raise BusinessError(_("A worker takes 1 to 20 engagements at once."),
                            code=Code.BAD_PROFILE)
    if (lat_e6 is None) != (lon_e6 is None):
        raise BusinessError(_("Give both coordinates or neither."), code=Code.BAD_PROFILE)
    with transaction.atomic():
        profile, created = WorkerProfile.objects.update_or_create(
            staff_id=staff_id, defaults={
                "area_code": sw.area_code, "categories": cats, "capacity": capacity,
                "lat_e6": lat_e6, "lon_e6": lon_e6, "available": available,
                **({"user_id": user.pk} if user is not None else {})})
        WorkerSkill.objects.filter(worker=profile).delete()
        WorkerSkill.objects.bulk_create([
            WorkerSkill(worker=profile, category=c, main=i == 0, lat_e6=lat_e6, lon_e6=lon_e6,
                        area_code=sw.area_code, available=available)
            for i, c in enumerate(cats)])
        record(actor=actor, action=AuditAction.WORKER_SAVE, obj=profile, area_code=sw.area_code,
               changes={"staff": staff_id, "categories": cats, "capacity": capacity,
                        "available": available, "created": created})
    return profile
