"""Reads. ``public_*`` functions return what anyone may see (names of representatives and
office holders, masked names of residents, aggregates); everything else is scoped to the
caller with ``authz.scope_q``. Lists return querysets ordered for ``core.paging.keyset``
(the ordering ends with a unique field)."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Prefetch, Q, QuerySet

from shequ import authz
from shequ.areas.models import Area, Level
from shequ.autonomy import rules as law
from shequ.autonomy.enums import Perm
from shequ.autonomy.models import (
    PROPOSAL_FINAL,
    Attendance,
    Constituency,
    ConveneRequest,
    Disclosure,
    EvaluationCampaign,
    EvaluationTarget,
    Meeting,
    Motion,
    Proposal,
    RecallPetition,
    Representative,
    VoteCast,
)
from shequ.core.errors import NotFound
from shequ.core.paging import Page, keyset
from shequ.people import facade
from shequ.rules import Profile, parse_share, share_met, share_needed

if TYPE_CHECKING:
    from shequ.people.models import Resident


def community(code: str) -> Area:
    area = Area.objects.filter(code=code, level=Level.COMMUNITY).first()
    if area is None:
        raise NotFound(details={"community_code": code})
    return area


def area_name(code: str) -> str:
    """An area's name (a community or a compound below it), its code when unknown."""
    return Area.objects.filter(code=code).values_list("name", flat=True).first() or code


def communities(within: str) -> QuerySet[Area]:
    return Area.objects.filter(code__startswith=within, level=Level.COMMUNITY,
                               valid_to__isnull=True).order_by("code")


def rules(community_code: str) -> Profile:
    return law.profile_for(community_code)


def linked_resident(user: Any) -> Resident | None:
    return facade.resident_of_user(user)


def active_representative(resident: Resident, community_code: str) -> Representative | None:
    return Representative.objects.filter(resident=resident, community_code=community_code,
                                         status=Representative.Status.ACTIVE).first()


def serving(community_code: str) -> QuerySet[Representative]:
    return Representative.objects.filter(community_code=community_code,
                                         status=Representative.Status.ACTIVE)


def constituencies(community_code: str) -> QuerySet[Constituency]:
    return Constituency.objects.filter(community_code=community_code).order_by("name", "pk")


def my_representative_terms(user: Any) -> QuerySet[Representative]:
    resident = linked_resident(user)
    if resident is None:
        return Representative.objects.none()
    return Representative.objects.filter(resident=resident,
                                         status=Representative.Status.ACTIVE
                                         ).select_related("constituency")


def followed_proposals(resident: Resident) -> QuerySet[Proposal]:
    """Proposals a resident made or co-signed: what they follow."""
    signed = Proposal.objects.filter(cosignatures__resident=resident).values("pk")
    return Proposal.objects.filter(Q(proposer=resident) | Q(pk__in=signed)).order_by(
        "-updated_at", "-pk")


# ---------------------------------------------------------------- public


def public_constituencies(community_code: str) -> QuerySet[Constituency]:
    """Constituencies with their serving representatives (``c.serving``): names and
    terms only."""
    reps = Representative.objects.filter(status=Representative.Status.ACTIVE).order_by("name")
    return constituencies(community_code).prefetch_related(
        Prefetch("representatives", queryset=reps, to_attr="serving"))


def roster_entry(c: Constituency) -> dict[str, Any]:
    return {"constituency": c.name, "kind": c.get_kind_display(), "seats": c.seats,
            "households": c.households,
            "representatives": [{"name": r.name, "term_end": r.term_end,
                                 "by_election": r.source == Representative.Source.BY_ELECTION}
                                for r in c.serving]}  # type: ignore[attr-defined]


def public_roster(community_code: str) -> list[dict[str, Any]]:
    """Constituencies and their serving representatives: names and terms only."""
    return [roster_entry(c) for c in public_constituencies(community_code)]


def women_among_representatives(community_code: str, profile: Profile | None = None
                                ) -> dict[str, Any] | None:
    """Women among the serving representatives against the profile's share (VCL Art. 25
    for agricultural communities); ``None`` where no share is required. Pass the
    community's profile when the caller has it already (it costs two queries)."""
    rule = (profile or rules(community_code)).rule("women_representatives")
    if parse_share(str(rule.value))[0] == 0:
        return None
    counts = serving(community_code).aggregate(
        total=Count("pk"), women=Count("pk", filter=facade.women_q("resident__")))
    total, women = counts["total"], counts["women"]
    return {"women": women, "total": total, "needed": share_needed(str(rule.value), total),
            "met": share_met(str(rule.value), women, total), "rule": rule}


def public_proposals(community_code: str, state: str | None = None) -> QuerySet[Proposal]:
    qs = Proposal.objects.filter(community_code=community_code).order_by("-created_at", "-pk")
    return qs.filter(state=state) if state else qs


def public_proposal(pk: int) -> Proposal:
    proposal = Proposal.objects.filter(pk=pk).select_related("motion", "motion__meeting"
                                                             ).prefetch_related("events").first()
    if proposal is None:
        raise NotFound(details={"id": pk})
    return proposal


def open_meetings(community_code: str) -> QuerySet[Meeting]:
    """Meetings that still take motions: where an admitted proposal may be scheduled."""
    return public_meetings(community_code).filter(
        status__in=[Meeting.Status.NOTIFIED, Meeting.Status.OPEN])


def public_meetings(community_code: str) -> QuerySet[Meeting]:
    return Meeting.objects.filter(community_code=community_code).order_by("-held_on", "-pk")


def public_meeting(pk: int) -> Meeting:
    meeting = Meeting.objects.filter(pk=pk).first()
    if meeting is None:
        raise NotFound(details={"id": pk})
    return meeting


def motions(meeting: Meeting) -> QuerySet[Motion]:
    return meeting.motions.annotate(n_cast=Count("casts")).order_by("pk")


def attendance(meeting: Meeting) -> QuerySet[Attendance]:
    return meeting.attendance.select_related("representative", "membership").order_by(
        "representative__name", "membership__person_name", "pk")


def voted_on(meeting: Meeting, rep: Representative | None) -> set[int]:
    """The motions of ``meeting`` that ``rep`` has voted on."""
    if rep is None:
        return set()
    return set(VoteCast.objects.filter(motion__meeting=meeting, representative=rep)
               .values_list("motion_id", flat=True))


def public_disclosures(community_code: str) -> QuerySet[Disclosure]:
    return Disclosure.objects.filter(community_code=community_code,
                                     status=Disclosure.Status.PUBLISHED).order_by(
        "-published_at", "-pk")


def disclosure(pk: int, user: Any = None) -> Disclosure:
    """A published disclosure for anyone; an unpublished one for staff in scope."""
    row = Disclosure.objects.filter(pk=pk).first()
    if row is None or (row.status != Disclosure.Status.PUBLISHED and not authz.has_perm(
            user, Perm.MANAGE, row.area_code)):
        raise NotFound(details={"id": pk})
    return row


def public_evaluations(community_code: str) -> QuerySet[EvaluationCampaign]:
    return EvaluationCampaign.objects.filter(community_code=community_code).order_by(
        "-year", "-pk")


def evaluation(pk: int) -> EvaluationCampaign:
    row = EvaluationCampaign.objects.filter(pk=pk).first()
    if row is None:
        raise NotFound(details={"id": pk})
    return row


def public_recalls(community_code: str) -> QuerySet[RecallPetition]:
    return RecallPetition.objects.filter(community_code=community_code).order_by(
        "-created_at", "-pk")


def recall(pk: int) -> RecallPetition:
    row = RecallPetition.objects.filter(pk=pk).first()
    if row is None:
        raise NotFound(details={"id": pk})
    return row


def evaluation_targets(within: str, year: int) -> QuerySet[EvaluationTarget]:
    """Closed campaigns' aggregated results (no raters), for the assessment module."""
    return EvaluationTarget.objects.filter(
        campaign__community_code__startswith=within, campaign__year=year,
        campaign__status=EvaluationCampaign.Status.CLOSED).select_related("campaign").order_by("pk")


def result_row(t: EvaluationTarget) -> dict[str, Any]:
    return {"community_code": t.campaign.community_code, "kind": t.kind, "name": t.name,
            "ratings": t.ratings, "fit": t.fit, "basically_fit": t.basically_fit,
            "unfit": t.unfit, "scores": t.scores, "rated_unfit": t.rated_unfit,
            "flagged": t.flagged, "profile_version": t.campaign.profile_version}


def evaluation_results(within: str, year: int) -> list[dict[str, Any]]:
    """For the assessment module: closed campaigns' aggregated results (no raters)."""
    return [result_row(t) for t in evaluation_targets(within, year)]


# ---------------------------------------------------------------- staff, scoped


def review_queue(user: Any) -> QuerySet[Proposal]:
    return Proposal.objects.filter(authz.scope_q(user, Perm.MANAGE)).exclude(
        state__in=PROPOSAL_FINAL).order_by("updated_at", "pk")


def meetings_for(user: Any) -> QuerySet[Meeting]:
    return Meeting.objects.filter(authz.scope_q(user, Perm.MANAGE)).order_by("-held_on", "-pk")


def disclosures_for(user: Any, *, on: date | None = None) -> QuerySet[Disclosure]:
    """Disclosures in the user's scope; with ``on``: those not published and due by then."""
    qs = Disclosure.objects.filter(authz.scope_q(user, Perm.MANAGE))
    if on is not None:
        qs = qs.exclude(status=Disclosure.Status.PUBLISHED).filter(due_on__lte=on)
    return qs.order_by("due_on", "pk")


def overdue_for(user: Any) -> QuerySet[Disclosure]:
    """Overdue disclosures flagged to the streets in the user's scope."""
    return Disclosure.objects.filter(authz.scope_q(user, Perm.SUPERVISE),
                                     status=Disclosure.Status.OVERDUE).order_by("due_on", "pk")


def recalls_for(user: Any) -> QuerySet[RecallPetition]:
    return RecallPetition.objects.filter(authz.scope_q(user, Perm.MANAGE)).order_by(
        "-created_at", "-pk")


def community_names(codes: set[str]) -> dict[str, str]:
    return dict(Area.objects.filter(code__in=codes).values_list("code", "name"))


def evaluations_due(user: Any, on: date, *, cursor: str | None = None,
                    limit: int = 200) -> Page[dict[str, Any]]:
    """Communities in the user's scope whose last evaluation is older than the profile's
    interval (or that never had one): one page of communities, in three queries."""
    areas = keyset(Area.objects.filter(authz.scope_q(user, Perm.MANAGE, "code"),
                                       level=Level.COMMUNITY, valid_to__isnull=True
                                       ).order_by("code"), cursor=cursor, limit=limit)
    codes = [a.code for a in areas.items]
    last: dict[str, date] = {}
    for code, closes in EvaluationCampaign.objects.filter(
            community_code__in=codes,
            status=EvaluationCampaign.Status.CLOSED).values_list("community_code", "closes_on"):
        last[code] = max(closes, last.get(code, closes))
    profiles = law.profiles_for(codes)
    items = [{"area": a, "last": last.get(a.code),
              "months": profiles[a.code].number("evaluation_interval_months")}
             for a in areas.items if law.evaluation_due(profiles[a.code], last.get(a.code), on)]
    return Page(items=items, next=areas.next)


def flagged_members(user: Any) -> QuerySet[EvaluationTarget]:
    return EvaluationTarget.objects.filter(
        authz.scope_q(user, Perm.MANAGE, "campaign__area_code"),
        flagged=True).select_related("campaign").order_by("-pk")


def requests_overdue(user: Any, on: date) -> QuerySet[ConveneRequest]:
    """Requests to convene that reached their threshold and are past the day by which the
    meeting was to be convened: the committee's overdue duty (ADR 0511)."""
    return ConveneRequest.objects.filter(
        authz.scope_q(user, Perm.MANAGE, "area_code"),
        state=ConveneRequest.State.SUBMITTED, due_on__lt=on).order_by("due_on", "pk")


def public_requests(community_code: str) -> QuerySet[ConveneRequest]:
    return ConveneRequest.objects.filter(community_code=community_code).order_by(
        "-created_at", "-pk")


def convene_request(pk: int) -> ConveneRequest:
    row = ConveneRequest.objects.filter(pk=pk).first()
    if row is None:
        raise NotFound(details={"id": pk})
    return row
