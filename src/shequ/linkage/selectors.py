"""Reads of ``linkage``: needs and engagements in scope, an organisation's invitations, and
the ranked candidates for a need (the heart of the module)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import connection
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from shequ import authz
from shequ.core.errors import NotFound
from shequ.linkage import rules
from shequ.linkage.enums import Code, Perm
from shequ.linkage.models import (
    OPEN_ENGAGEMENTS,
    Engagement,
    Need,
    NeedState,
    ProviderKind,
    Providers,
    ProviderStats,
    WorkerProfile,
    WorkerSkill,
)
from shequ.linkage.ranking import Facts, Params, Ranked, box, distance_m, rank
from shequ.orgs import facade as orgs
from shequ.people import facade as people


def needs(*, user: Any, state: str = "", category: str = "") -> QuerySet[Need]:
    qs = Need.objects.filter(authz.scope_q(user, Perm.VIEW))
    if state:
        qs = qs.filter(state=state)
    if category:
        qs = qs.filter(category=category)
    return qs.order_by("-posted_on", "-id")


def get_need(*, user: Any, need_id: int) -> Need:
    need = Need.objects.filter(pk=need_id).first()
    if need is None or not authz.has_perm(user, Perm.VIEW, need.area_code):
        raise NotFound(_("No such need."), code=Code.UNKNOWN_NEED)
    return need


def invitations(*, user: Any, open_only: bool = False) -> QuerySet[Engagement]:
    """An organisation's user: the engagements of the organisations they act for; a social
    worker with an account: their own."""
    org_ids = orgs.orgs_of_user(user)
    qs = Engagement.objects.filter(Q(org_id__in=org_ids) | Q(worker__user_id=getattr(user, "pk", -1)))
    if open_only:
        qs = qs.filter(state__in=OPEN_ENGAGEMENTS)
    return qs.select_related("need").order_by("-invited_on", "-id")


def get_engagement(*, user: Any, engagement_id: int) -> Engagement:
    e = Engagement.objects.select_related("need", "worker").filter(pk=engagement_id).first()
    from shequ.linkage.lifecycles import answers_for

    if e is None or not (authz.has_perm(user, Perm.VIEW, e.area_code) or answers_for(user, e)):
        raise NotFound(_("No such engagement."), code=Code.UNKNOWN_ENGAGEMENT)
    return e


def workers(*, user: Any) -> QuerySet[WorkerProfile]:
    return WorkerProfile.objects.filter(authz.scope_q(user, Perm.VIEW)).select_related(
        "staff").order_by("area_code", "id")


# ---------------------------------------------------------------- ranking


@dataclass(frozen=True)
class Candidate:
    ranked: Ranked
    name: str
    detail: str  # the kind of organisation, or the worker's qualification
    invited: bool


Figures = dict[tuple[str, int], tuple[int, int, int, int]]


def _stats(org_ids: list[int], worker_ids: list[int]) -> Figures:
    """Figures of many providers of both kinds in one query. On PostgreSQL the ids go as
    two array parameters (``= ANY``): a thousand-element ``IN`` list costs more to build
    and parse than the look-up itself."""
    if not org_ids and not worker_ids:
        return {}
    if connection.vendor == "postgresql":
        table = ProviderStats._meta.db_table
        with connection.cursor() as cur:
            cur.execute(f"SELECT kind, provider_id, active, completed, rating_sum, rating_n "  # noqa: S608
                        f"FROM {table} WHERE (kind = %s AND provider_id = ANY(%s)) "
                        f"OR (kind = %s AND provider_id = ANY(%s))",
                        [ProviderKind.ORG, org_ids, ProviderKind.WORKER, worker_ids])
            rows = cur.fetchall()
    else:
        rows = list(ProviderStats.objects.filter(
            Q(kind=ProviderKind.ORG, provider_id__in=org_ids)
            | Q(kind=ProviderKind.WORKER, provider_id__in=worker_ids)).values_list(
            "kind", "provider_id", "active", "completed", "rating_sum", "rating_n"))
    return {(k, pid): (a, c, s, n) for k, pid, a, c, s, n in rows}


def _dist(need: Need, lat: int | None, lon: int | None) -> float | None:
    if need.lat_e6 is None or need.lon_e6 is None or lat is None or lon is None:
        return None
    return distance_m(need.lat_e6, need.lon_e6, lat, lon)


def facts_for(need: Need, params: Params, *, only: tuple[str, int] | None = None) -> list[Facts]:
    """Every provider that serves the need's category near it (or, without a place, in
    its street), as ranking facts: one index query per kind of provider (with capacity
    and grade), exact distances, then one query for the figures of those within reach."""
    lat_r = lon_r = None
    if need.lat_e6 is not None and need.lon_e6 is not None:
        lat_r, lon_r = box(need.lat_e6, need.lon_e6, params.max_distance_m)
    want = need.providers
    reach = params.max_distance_m
    found: list[tuple[str, int, bool, float | None, int, int | None]] = []
    if want in (Providers.BOTH, Providers.ORGS) and (only is None or only[0] == ProviderKind.ORG):
        for r in orgs.candidates(need.category, lat_range=lat_r, lon_range=lon_r,
                                 area_prefix=need.street_code if lat_r is None else "",
                                 unplaced_within=need.street_code,
                                 org_ids=[only[1]] if only is not None else None):
            d = _dist(need, r.lat_e6, r.lon_e6)
            if d is None or d <= reach:
                found.append((ProviderKind.ORG, r.org_id, r.main, d, r.capacity, r.grade))
    if want in (Providers.BOTH, Providers.WORKERS) and (only is None
                                                         or only[0] == ProviderKind.WORKER):
        q = Q(category=need.category, available=True)
        if lat_r is not None and lon_r is not None:
            near = Q(lat_e6__gte=lat_r[0], lat_e6__lte=lat_r[1], lon_e6__gte=lon_r[0],
                     lon_e6__lte=lon_r[1]) | Q(lat_e6__isnull=True,
                                               area_code__startswith=need.street_code)
        else:
            near = Q(area_code__startswith=need.street_code)
        skills = WorkerSkill.objects.filter(q & near)
        if only is not None:
            skills = skills.filter(worker_id=only[1])
        for wid, main, lat, lon, capacity in skills.values_list(
                "worker_id", "main", "lat_e6", "lon_e6", "worker__capacity"):
            d = _dist(need, lat, lon)
            if d is None or d <= reach:
                found.append((ProviderKind.WORKER, wid, main, d, capacity, None))
    stats = _stats([f[1] for f in found if f[0] == ProviderKind.ORG],
                   [f[1] for f in found if f[0] == ProviderKind.WORKER])
    none = (0, 0, 0, 0)
    out = []
    for kind, pid, main, d, capacity, grade in found:
        a, c, s, n = stats.get((kind, pid), none)
        out.append(Facts(kind=kind, id=pid, main_category=main, distance_m=d, capacity=capacity,
                         active=a, completed=c, rating_sum=s, rating_n=n, grade=grade))
    return out


def candidates(need: Need, *, limit: int | None = None, on: date | None = None
               ) -> tuple[list[Candidate], str]:
    """The best providers for ``need``, each with its explanation; and the rules version
    the ranking used."""
    profile = rules.profile(need.area_code)
    params = Params.of(profile)
    ranked = rank(facts_for(need, params), params,
                  limit if limit is not None else profile.number("candidates_shown"))
    return decorate(need, ranked), profile.version


def decorate(need: Need, ranked: list[Ranked]) -> list[Candidate]:
    """Names for the ranked few (not for every provider considered)."""
    org_ids = [r.id for r in ranked if r.kind == ProviderKind.ORG]
    worker_ids = [r.id for r in ranked if r.kind == ProviderKind.WORKER]
    briefs = orgs.briefs(org_ids, grades=False) if org_ids else {}
    profiles = {w.pk: w.staff_id for w in WorkerProfile.objects.filter(pk__in=worker_ids)}
    staff = {s.staff_id: s for s in people.social_workers(ids=profiles.values(),
                                                           postings=False)} \
        if profiles else {}
    invited: set[tuple[str, int]] = {
        (str(k), int(o or w)) for k, o, w in need.engagements.filter(
            state__in=OPEN_ENGAGEMENTS).values_list("kind", "org_id", "worker_id")} \
        if need.pk else set()
    out = []
    for r in ranked:
        if r.kind == ProviderKind.ORG:
            b = briefs[r.id]
            name, detail = b.name, str(orgs.kind_label(b.kind))
            was = (str(ProviderKind.ORG), r.id) in invited
        else:
            sw = staff.get(profiles.get(r.id, -1))
            name = sw.name if sw else str(r.id)
            detail = sw.qualification_label if sw else ""
            was = (str(ProviderKind.WORKER), r.id) in invited
        out.append(Candidate(ranked=r, name=name, detail=detail, invited=was))
    return out


def need_is_open(need: Need) -> bool:
    return need.state in (NeedState.OPEN, NeedState.MATCHED)
