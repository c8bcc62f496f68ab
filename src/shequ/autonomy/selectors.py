"""Reads. ``public_*`` functions return what anyone may see (names of representatives and
office holders, masked names of residents, aggregates); everything else is scoped to the
caller with ``authz.scope_q``."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import Count, Q, QuerySet

from shequ import authz
from shequ.areas.models import Area, Level
from shequ.autonomy.models import (
    Constituency,
    Disclosure,
    EvaluationCampaign,
    EvaluationTarget,
    Meeting,
    Motion,
    Proposal,
    RecallPetition,
    Representative,
)
from shequ.autonomy.rules import Profile, parse_share, profile_for, share_met, share_needed
from shequ.autonomy.states import FINAL, STATE_LABELS
from shequ.core.errors import NotFound
from shequ.people.models import Resident, Sex


def community(code: str) -> Area:
    area = Area.objects.filter(code=code, level=Level.COMMUNITY).first()
    if area is None:
        raise NotFound(details={"community_code": code})
    return area


def communities(within: str) -> QuerySet[Area]:
    return Area.objects.filter(code__startswith=within, level=Level.COMMUNITY,
                               valid_to__isnull=True).order_by("code")


def rules(community_code: str) -> Profile:
    return profile_for(community_code)


def linked_resident(user: Any) -> Resident | None:
    if getattr(user, "pk", None) is None:
        return None
    return Resident.objects.filter(user_id=user.pk).first()


def my_representative_terms(user: Any) -> QuerySet[Representative]:
    resident = linked_resident(user)
    if resident is None:
        return Representative.objects.none()
    return Representative.objects.filter(resident=resident,
                                         status=Representative.Status.ACTIVE
                                         ).select_related("constituency")


def followed_proposals(resident: Resident) -> QuerySet[Proposal]:
    """Proposals a resident made or co-signed: what they follow."""
    return Proposal.objects.filter(Q(proposer=resident) | Q(cosignatures__resident=resident)
                                   ).distinct().order_by("-updated_at")


# ---------------------------------------------------------------- public

def public_roster(community_code: str) -> list[dict[str, Any]]:
    """Constituencies and their serving representatives: names and terms only."""
    out = []
    for c in Constituency.objects.filter(community_code=community_code):
        reps = c.representatives.filter(status=Representative.Status.ACTIVE).order_by("name")
        out.append({"constituency": c.name, "kind": c.get_kind_display(), "seats": c.seats,
                    "households": c.households,
                    "representatives": [{"name": r.name, "term_end": r.term_end,
                                         "by_election": r.source == "by_election"}
                                        for r in reps]})
    return out


def women_among_representatives(community_code: str, profile: Profile | None = None
                                ) -> dict[str, Any] | None:
    """Women among the serving representatives against the profile's share (VC Art. 25
    for agricultural communities); ``None`` where no share is required. Pass the
    community's profile when the caller has it already (it costs two queries)."""
    rule = (profile or rules(community_code)).rules["women_representatives"]
    if parse_share(str(rule.value))[0] == 0:
        return None
    serving = Representative.objects.filter(community_code=community_code,
                                            status=Representative.Status.ACTIVE)
    total = serving.count()
    women = serving.filter(resident__sex=Sex.FEMALE).count()
    return {"women": women, "total": total, "needed": share_needed(str(rule.value), total),
            "met": share_met(str(rule.value), women, total), "rule": rule}


def public_proposals(community_code: str, state: str | None = None) -> QuerySet[Proposal]:
    qs = Proposal.objects.filter(community_code=community_code)
    return qs.filter(state=state) if state else qs


def public_proposal(pk: int) -> Proposal:
    proposal = Proposal.objects.filter(pk=pk).prefetch_related("events").first()
    if proposal is None:
        raise NotFound(details={"id": pk})
    return proposal


def state_label(state: str) -> str:
    return str(STATE_LABELS.get(state, state))


def is_final(state: str) -> bool:
    return state in FINAL


def public_meetings(community_code: str) -> QuerySet[Meeting]:
    return Meeting.objects.filter(community_code=community_code)


def public_meeting(pk: int) -> Meeting:
    meeting = Meeting.objects.filter(pk=pk).first()
    if meeting is None:
        raise NotFound(details={"id": pk})
    return meeting


def motions(meeting: Meeting) -> QuerySet[Motion]:
    return meeting.motions.annotate(n_cast=Count("casts"))


def public_disclosures(community_code: str) -> QuerySet[Disclosure]:
    return Disclosure.objects.filter(community_code=community_code,
                                     published_at__isnull=False).order_by("-published_at")


def disclosure(pk: int, user: Any = None) -> Disclosure:
    """A published disclosure for anyone; an unpublished one for staff in scope."""
    row = Disclosure.objects.filter(pk=pk).first()
    if row is None or (row.published_at is None and not authz.has_perm(
            user, "autonomy.manage", row.area_code)):
        raise NotFound(details={"id": pk})
    return row


def public_evaluations(community_code: str) -> QuerySet[EvaluationCampaign]:
    return EvaluationCampaign.objects.filter(community_code=community_code)


def evaluation(pk: int) -> EvaluationCampaign:
    row = EvaluationCampaign.objects.filter(pk=pk).first()
    if row is None:
        raise NotFound(details={"id": pk})
    return row


def public_recalls(community_code: str) -> QuerySet[RecallPetition]:
    return RecallPetition.objects.filter(community_code=community_code)


def recall(pk: int) -> RecallPetition:
    row = RecallPetition.objects.filter(pk=pk).first()
    if row is None:
        raise NotFound(details={"id": pk})
    return row


def evaluation_results(within: str, year: int) -> list[dict[str, Any]]:
    """For the assessment module: closed campaigns' aggregated results (no raters)."""
    rows = EvaluationTarget.objects.filter(campaign__community_code__startswith=within,
                                           campaign__year=year,
                                           campaign__status=EvaluationCampaign.Status.CLOSED)
    return [{"community_code": t.campaign.community_code, "kind": t.kind, "name": t.name,
             "ratings": t.ratings, "fit": t.fit, "basically_fit": t.basically_fit,
             "unfit": t.unfit, "scores": t.scores, "rated_unfit": t.rated_unfit,
             "flagged": t.flagged, "profile_version": t.campaign.profile_version}
            for t in rows.select_related("campaign")]


# ---------------------------------------------------------------- staff, scoped

def review_queue(user: Any) -> QuerySet[Proposal]:
    return Proposal.objects.filter(authz.scope_q(user, "autonomy.manage")).exclude(
        state__in=FINAL).order_by("updated_at")


def meetings_for(user: Any) -> QuerySet[Meeting]:
    return Meeting.objects.filter(authz.scope_q(user, "autonomy.manage"))


def disclosures_for(user: Any, *, on: date | None = None) -> QuerySet[Disclosure]:
    qs = Disclosure.objects.filter(authz.scope_q(user, "autonomy.manage"))
    if on is not None:
        qs = qs.filter(Q(published_at__isnull=True), due_on__lte=on)
    return qs


def overdue_for(user: Any) -> QuerySet[Disclosure]:
    """Overdue disclosures flagged to the streets in the user's scope."""
    return Disclosure.objects.filter(authz.scope_q(user, "autonomy.supervise"),
                                     overdue_flagged_at__isnull=False,
                                     published_at__isnull=True).order_by("due_on")


def recalls_for(user: Any) -> QuerySet[RecallPetition]:
    return RecallPetition.objects.filter(authz.scope_q(user, "autonomy.manage"))


def evaluations_due(user: Any, on: date, limit: int = 200) -> list[dict[str, Any]]:
    """Communities in the user's scope whose last evaluation is older than the profile's
    interval (or that never had one)."""
    areas = list(Area.objects.filter(authz.scope_q(user, "autonomy.manage", "code"),
                                     level=Level.COMMUNITY, valid_to__isnull=True
                                     ).order_by("code")[:limit])
    last: dict[str, date] = {}
    for code, closes in EvaluationCampaign.objects.filter(
            community_code__in=[a.code for a in areas],
            status=EvaluationCampaign.Status.CLOSED).values_list("community_code", "closes_on"):
        last[code] = max(closes, last.get(code, closes))
    out = []
    for area in areas:
        profile = profile_for(area.code)
        if profile.evaluation_due(last.get(area.code), on):
            out.append({"area": area, "last": last.get(area.code),
                        "months": profile.value("evaluation_interval_months")})
    return out


def flagged_members(user: Any) -> QuerySet[EvaluationTarget]:
    return EvaluationTarget.objects.filter(
        authz.scope_q(user, "autonomy.manage", "campaign__area_code"),
        flagged=True).select_related("campaign")
