"""Reads of ``procurement``, scoped to the caller; the dashboard's sums."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum

from shequ import authz
from shequ.core.errors import NotFound
from shequ.orgs import facade as orgs
from shequ.procurement.enums import Code, Perm
from shequ.procurement.models import Bid, BudgetLine, Contract, Project, State


def projects(*, user: Any, year: int | None = None, state: str = "") -> QuerySet[Project]:
    qs = Project.objects.filter(authz.scope_q(user, Perm.VIEW)).select_related(
        "buyer", "item").order_by("-id")
    if year:
        qs = qs.filter(year=year)
    if state:
        qs = qs.filter(state=state)
    return qs


def project(*, user: Any, number: str) -> Project:
    found = Project.objects.filter(authz.scope_q(user, Perm.VIEW), number=number).select_related(
        "buyer", "item__category__catalogue", "budget_line", "single_supplier").first()
    if found is None:
        raise NotFound(code=Code.UNKNOWN_PROJECT)
    return found


def public_projects(*, year: int | None = None, state: str = "") -> QuerySet[Project]:
    """Published projects (a draft is the buyer's own business)."""
    qs = Project.objects.exclude(state=State.DRAFT).select_related("buyer", "item").order_by("-id")
    if year:
        qs = qs.filter(year=year)
    if state:
        qs = qs.filter(state=state)
    return qs


def public_project(number: str) -> Project:
    found = public_projects().select_related("item__category__catalogue").filter(
        number=number).first()
    if found is None:
        raise NotFound(code=Code.UNKNOWN_PROJECT)
    return found


def budget_lines(*, user: Any, year: int | None = None) -> QuerySet[BudgetLine]:
    qs = BudgetLine.objects.filter(authz.scope_q(user, Perm.BUDGET)).select_related(
        "buyer").order_by("-year", "buyer__kind", "buyer__area_code", "buyer__name", "id")
    return qs.filter(year=year) if year else qs


def open_tenders(*, on: date) -> QuerySet[Project]:
    return (Project.objects.filter(state=State.TENDERING, bid_deadline__gte=on)
            .select_related("buyer", "item").order_by("bid_deadline", "id"))


def bids_of(org_ids: list[int]) -> QuerySet[Bid]:
    return (Bid.objects.filter(org_id__in=org_ids).select_related("project")
            .order_by("-submitted_on", "-id"))


def contracts_of(org_ids: list[int]) -> QuerySet[Contract]:
    return (Contract.objects.filter(org_id__in=org_ids).select_related("project")
            .order_by("-signed_on", "-id"))


# -- the dashboard ----------------------------------------------------------------------


@dataclass(frozen=True)
class Figure:
    key: str
    label: str
    contracts: int
    value_fen: int
    paid_fen: int


def _contracts(user: Any | None, year: int | None) -> QuerySet[Contract]:
    qs = Contract.objects.all()
    if user is not None:
        qs = qs.filter(authz.scope_q(user, Perm.STATS))
    if year:
        qs = qs.filter(project__year=year)
    return qs


def spending(*, by: str, user: Any | None = None, year: int | None = None,
             limit: int | None = None) -> list[Figure]:
    """Contract value and payments grouped ``by`` year, category, buyer or supplier
    (largest first, except years), from the database in one query (two for suppliers'
    names)."""
    field = {"year": "project__year", "category": "project__item__category__code",
             "buyer": "project__buyer__name", "supplier": "org_id"}[by]
    label = {"category": "project__item__category__name"}.get(by, field)
    rows = (_contracts(user, year).values(field, label)
            .annotate(n=Count("id"), v=Sum("value_fen"), p=Sum("paid_fen")))
    rows = rows.order_by(field) if by == "year" else rows.order_by("-v", field)
    if limit:
        rows = rows[:limit]
    out = [Figure(str(r[field]), str(r[label]), r["n"], r["v"] or 0, r["p"] or 0) for r in rows]
    if by == "supplier":
        names = orgs.briefs([int(f.key) for f in out], grades=False)
        out = [Figure(f.key, names[int(f.key)].name if int(f.key) in names else f.key,
                      f.contracts, f.value_fen, f.paid_fen) for f in out]
    return out


def totals(*, user: Any | None = None, year: int | None = None) -> Figure:
    agg = _contracts(user, year).aggregate(n=Count("id"), v=Sum("value_fen"), p=Sum("paid_fen"))
    return Figure("", "", agg["n"] or 0, agg["v"] or 0, agg["p"] or 0)


def projects_count(*, user: Any | None = None, year: int | None = None) -> int:
    qs = Project.objects.exclude(state=State.DRAFT)
    if user is not None:
        qs = qs.filter(authz.scope_q(user, Perm.STATS))
    return qs.filter(year=year).count() if year else qs.count()


def suppliers_of(project: Project) -> list[tuple[int, str]]:
    ids = list(project.bids.values_list("org_id", flat=True))
    names = orgs.briefs(ids, grades=False)
    return [(i, names[i].name) for i in ids if i in names]


def console_figures(user: Any) -> dict[str, int]:
    scope = Project.objects.filter(authz.scope_q(user, Perm.BUY))
    from django.utils import timezone

    today = timezone.localdate()
    return {
        "to_close": scope.filter(state=State.TENDERING, bid_deadline__lt=today).count(),
        "to_evaluate": scope.filter(state=State.EVALUATING).count(),
        "to_sign": scope.filter(Q(state=State.AWARDED)).count(),
        "enquiries": scope.filter(enquiries__answered_on__isnull=True,
                                  state=State.TENDERING).distinct().count(),
        "complaints": scope.filter(complaints__state="open").distinct().count(),
    }
