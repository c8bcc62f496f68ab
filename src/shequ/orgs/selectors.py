"""Reads of ``orgs``, scoped to the caller (staff by their area; an organisation's users by
the organisations they act for); the public directory shows what the registry publishes."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum
from django.db.models.functions import Substr
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shequ import authz
from shequ.areas.models import Area, Level
from shequ.core.errors import NotFound
from shequ.orgs import rules
from shequ.orgs.access import operates, org_ids_of
from shequ.orgs.enums import Code, Perm
from shequ.orgs.models import (
    OPEN_APP_STATES,
    AnnualReport,
    Application,
    AppState,
    Complaint,
    ComplaintState,
    Evaluation,
    GrantApplication,
    Incubation,
    Inspection,
    InspectionState,
    Kind,
    Org,
    OrgEvent,
    Penalty,
    PenaltyState,
    Programme,
    ReportState,
    Status,
    Track,
)
from shequ.rules import resolve_many

LIVE = (Status.ACTIVE, Status.SUSPENDED)

# ---------------------------------------------------------------- the public directory


def directory(*, q: str = "", track: str = "", kind: str = "", area: str = "",
              category: str = "", status: str = Status.ACTIVE) -> QuerySet[Org]:
    """Organisations as the registry publishes them (name, identifiers, status)."""
    qs = Org.objects.all()
    if status:
        qs = qs.filter(status=status)
    if track:
        qs = qs.filter(track=track)
    if kind:
        qs = qs.filter(kind=kind)
    if area:
        qs = qs.filter(area_code__startswith=area)
    if category:
        qs = qs.filter(services__category=category)
    if q.strip():
        term = q.strip()
        qs = qs.filter(Q(name__icontains=term) | Q(credit_code=term.upper())
                       | Q(filing_number=term))
    return qs.order_by("name", "id")


def public_org(org_id: int) -> Org:
    org = Org.objects.filter(pk=org_id).first()
    if org is None:
        raise NotFound(_("No such organisation."), code=Code.UNKNOWN_ORG)
    return org


def public_history(org: Org) -> QuerySet[OrgEvent]:
    return org.events.filter(public=True).order_by("-on", "-id")


def current_grade(org: Org, on: date | None = None) -> Evaluation | None:
    on = on or timezone.localdate()
    return org.evaluations.filter(assessed_on__lte=on, valid_until__gte=on).first()


def public_penalties(org: Org) -> QuerySet[Penalty]:
    return org.penalties.filter(state__in=(PenaltyState.DECIDED, PenaltyState.LIFTED))


def report_results(org: Org) -> QuerySet[AnnualReport]:
    return org.reports.filter(state__in=(ReportState.PASSED, ReportState.BASIC,
                                         ReportState.FAILED)).order_by("-year")


# ---------------------------------------------------------------- staff reads


def orgs(*, user: Any, q: str = "", track: str = "", status: str = "", area: str = ""
         ) -> QuerySet[Org]:
    qs = Org.objects.filter(authz.scope_q(user, Perm.VIEW))
    if q.strip():
        term = q.strip()
        qs = qs.filter(Q(name__icontains=term) | Q(credit_code=term.upper())
                       | Q(filing_number=term))
    if track:
        qs = qs.filter(track=track)
    if status:
        qs = qs.filter(status=status)
    if area:
        qs = qs.filter(area_code__startswith=area)
    return qs.order_by("name", "id")


def get_org(*, user: Any, org_id: int) -> Org:
    """An organisation its users or staff in scope may manage."""
    org = Org.objects.filter(pk=org_id).first()
    if org is None or not (operates(user, org.pk)
                           or authz.has_perm(user, Perm.VIEW, org.area_code)):
        raise NotFound(_("No such organisation."), code=Code.UNKNOWN_ORG)
    return org


def my_orgs(*, user: Any) -> QuerySet[Org]:
    return Org.objects.filter(pk__in=org_ids_of(user)).order_by("name", "id")


def applications(*, user: Any, state: str = "", kind: str = "", track: str = "",
                 queue: bool = False) -> QuerySet[Application]:
    """Staff: applications in their area; ``queue``: open ones they decide, soonest first."""
    if queue:
        scope = (authz.scope_q(user, Perm.FILING_DECIDE, "authority_code") & Q(track=Track.FILED)
                 ) | (authz.scope_q(user, Perm.REGISTRATION_DECIDE, "authority_code")
                      & Q(track=Track.REGISTERED))
        qs = Application.objects.filter(scope, state__in=OPEN_APP_STATES)
    else:
        qs = Application.objects.filter(authz.scope_q(user, Perm.VIEW))
    if state:
        qs = qs.filter(state=state)
    if kind:
        qs = qs.filter(kind=kind)
    if track:
        qs = qs.filter(track=track)
    return qs.select_related("org").order_by("-received_on", "-id")


def my_applications(*, user: Any) -> QuerySet[Application]:
    if not getattr(user, "pk", None):
        return Application.objects.none()
    return Application.objects.filter(Q(applicant_id=user.pk) | Q(org_id__in=org_ids_of(user))
                                      ).order_by("-received_on", "-id")


def get_application(*, user: Any, number: str) -> Application:
    """The applicant, the organisation's users and staff in scope see an application;
    anyone else gets "not found" (nothing about what exists outside their scope)."""
    app = Application.objects.select_related("org", "partner").filter(number=number).first()
    if app is None or not (
            (app.applicant_id is not None and app.applicant_id == getattr(user, "pk", None))
            or (app.org_id is not None and operates(user, app.org_id))
            or authz.has_perm(user, Perm.VIEW, app.area_code)
            or authz.has_perm(user, Perm.FILING_DECIDE, app.authority_code)
            or authz.has_perm(user, Perm.REGISTRATION_DECIDE, app.authority_code)):
        raise NotFound(_("No such application."), code=Code.UNKNOWN_APPLICATION)
    return app


def overdue_applications(*, user: Any, on: date | None = None) -> QuerySet[Application]:
    on = on or timezone.localdate()
    return applications(user=user, queue=True).filter(state=AppState.IN_REVIEW,
                                                      due_on__lt=on).order_by("due_on", "id")


# ---------------------------------------------------------------- annual reports


def report_queue(*, user: Any) -> QuerySet[AnnualReport]:
    return AnnualReport.objects.filter(authz.scope_q(user, Perm.SUPERVISE, "authority_code"),
                                       state=ReportState.LODGED).select_related("org") \
        .order_by("lodged_on", "id")


def due_dates(year: int, area_code: str = "") -> dict[str, date]:
    """The day the report on ``year`` is due at the authority, per group of organisations."""
    profile = rules.profile(area_code)
    nxt = year + 1
    return {"filed": rules.day_of(nxt, profile.value("filed_report_due")),
            "foundation": rules.day_of(nxt, profile.value("foundation_report_due")),
            "registered": rules.day_of(nxt, profile.value("report_authority_due"))}


def _due_passed(year: int, on: date, area_code: str = "") -> Q:
    dues = due_dates(year, area_code)
    q = Q(pk__in=[])
    if on > dues["filed"]:
        q |= Q(track=Track.FILED)
    if on > dues["foundation"]:
        q |= Q(track=Track.REGISTERED, kind=Kind.FOUNDATION)
    if on > dues["registered"]:
        q |= Q(track=Track.REGISTERED, kind__in=(Kind.ASSOCIATION, Kind.PNE))
    return q


def overdue_reports(*, user: Any, year: int, on: date | None = None) -> QuerySet[Org]:
    """Organisations whose report on ``year`` is past due and not lodged (the overdue list;
    the rule each one missed is named by :func:`report_rule`)."""
    on = on or timezone.localdate()
    lodged = AnnualReport.objects.filter(org=OuterRef("pk"), year=year)
    return (Org.objects.filter(authz.scope_q(user, Perm.SUPERVISE, "authority_code"),
                               _due_passed(year, on), status__in=LIVE,
                               founded_on__lte=date(year, 12, 31))
            .filter(~Exists(lodged)).order_by("name", "id"))


def report_rule(org: Org, profile: Any = None) -> Any:
    key = ("filed_report_due" if org.track == Track.FILED else
           "foundation_report_due" if org.kind == Kind.FOUNDATION else "report_authority_due")
    return (profile or rules.profile(org.area_code)).rule(key)


# ---------------------------------------------------------------- eligibility (procurement)


@dataclass(frozen=True)
class Eligibility:
    """What a buyer asks about an organisation before it may bid or receive a grant."""

    org_id: int
    name: str
    track: str
    kind: str
    status: str
    legal_person: bool
    credit_code: str
    filing_number: str
    charity: bool
    grade: int | None
    penalties_in_window: int
    window_years: int
    report_year: int | None
    report_due: date | None
    annual_report_filed: bool
    annual_report_missing: bool
    last_report_result: str
    report_source: str

    @property
    def good_standing(self) -> bool:
        return (self.status == Status.ACTIVE and self.penalties_in_window == 0
                and not self.annual_report_missing
                and self.last_report_result != ReportState.FAILED)


def report_dues(org: Org, year: int, profile: Any = None) -> tuple[date | None, date]:
    """``(due at the supervising agency, due at the authority)`` for the report on
    ``year``. Fixed days of the year, not periods: a rest day does not move them (ADR
    0700)."""
    profile = profile or rules.profile(org.area_code)
    nxt = year + 1
    if org.track == Track.FILED:
        return None, rules.day_of(nxt, profile.value("filed_report_due"))
    if org.kind == Kind.FOUNDATION:
        return None, rules.day_of(nxt, profile.value("foundation_report_due"))
    return (rules.day_of(nxt, profile.value("report_agency_due")),
            rules.day_of(nxt, profile.value("report_authority_due")))


def report_year_due(org: Org, on: date, profile: Any = None) -> tuple[int | None, date | None]:
    """The latest year whose report was due by ``on`` (``None`` if none yet)."""
    for year in (on.year - 1, on.year - 2):
        if year < org.founded_on.year:
            return None, None
        _agency, due = report_dues(org, year, profile)
        if due < on:
            return year, due
    return None, None


def eligibility(org_id: int, *, on: date | None = None, years: int | None = None) -> Eligibility:
    org = public_org(org_id)
    return eligibility_of([org], on=on, years=years)[0]


def eligibility_of(orgs_: Iterable[Org], *, on: date | None = None, years: int | None = None
                   ) -> list[Eligibility]:
    """Facts for many organisations in four queries."""
    on = on or timezone.localdate()
    items = list(orgs_)
    ids = [o.pk for o in items]
    window = years if years is not None else rules.profile().number("good_standing_years")
    try:
        since = on.replace(year=on.year - window)
    except ValueError:
        since = on.replace(year=on.year - window, day=28)
    penalties = dict(Penalty.objects.filter(
        org_id__in=ids, state__in=(PenaltyState.DECIDED, PenaltyState.LIFTED),
        decided_on__gt=since, decided_on__lte=on).values("org_id").annotate(n=Count("id"))
        .values_list("org_id", "n"))
    reports = {(r.org_id, r.year): r.state for r in AnnualReport.objects.filter(org_id__in=ids)
               .only("org_id", "year", "state")}
    grades = {}
    for ev in Evaluation.objects.filter(org_id__in=ids, assessed_on__lte=on,
                                        valid_until__gte=on).order_by("assessed_on"):
        grades[ev.org_id] = ev.grade
    profiles = resolve_many(rules.MODULE, {o.area_code: rules.PROFILE for o in items})
    out = []
    for org in items:
        year, due = report_year_due(org, on, profiles[org.area_code])
        state = reports.get((org.pk, year), "") if year else ""
        out.append(Eligibility(
            org_id=org.pk, name=org.name, track=org.track, kind=org.kind, status=org.status,
            legal_person=org.is_legal_person, credit_code=org.credit_code,
            filing_number=org.filing_number, charity=org.charity, grade=grades.get(org.pk),
            penalties_in_window=int(penalties.get(org.pk, 0)), window_years=window,
            report_year=year, report_due=due, annual_report_filed=bool(state),
            annual_report_missing=year is not None and not state,
            last_report_result=state,
            report_source=report_rule(org, profiles[org.area_code]).source()))
    return out


# ---------------------------------------------------------------- indicators


@dataclass(frozen=True)
class Indicator:
    area_code: str
    name: str
    year: int
    on: date
    population: int | None
    orgs: int
    filed: int
    registered: int
    founded: int
    ended: int

    @property
    def per_10k(self) -> Decimal | None:
        """Organisations per 10,000 residents, two decimals (no float)."""
        if not self.population:
            return None
        return (Decimal(self.orgs) * 10000 / Decimal(self.population)).quantize(
            Decimal("0.01"), ROUND_HALF_UP)

    @property
    def filed_share(self) -> Decimal | None:
        if not self.orgs:
            return None
        return (Decimal(self.filed) / Decimal(self.orgs)).quantize(Decimal("0.0001"),
                                                                   ROUND_HALF_UP)


def _year_end(year: int, on: date | None) -> date:
    today = on or timezone.localdate()
    return min(date(year, 12, 31), today)


def _counts(qs: QuerySet[Org], end: date, start: date, key: Any = None) -> dict[str, dict[str, int]]:
    """Counts at ``end`` (alive, filed, registered at that day) and changes in the period."""
    alive = Q(founded_on__lte=end) & (Q(ended_on__isnull=True) | Q(ended_on__gt=end))
    # a converted organisation counts as filed until the day it was registered
    registered = Q(track=Track.REGISTERED) & (Q(converted_on__isnull=True)
                                              | Q(converted_on__lte=end))
    aggregates = {
        "orgs": Count("id", filter=alive),
        "registered": Count("id", filter=alive & registered),
        "founded": Count("id", filter=Q(founded_on__gte=start, founded_on__lte=end)),
        "ended": Count("id", filter=Q(ended_on__gte=start, ended_on__lte=end)),
    }
    if key is None:
        row = qs.aggregate(**aggregates)
        return {"": {k: int(v or 0) for k, v in row.items()}}
    rows: Any = qs.annotate(part=key).values("part").annotate(**aggregates)
    return {r["part"]: {k: int(r[k] or 0) for k in aggregates} for r in rows}


def _population(prefix: str, length: int | None = None) -> dict[str, int]:
    communities = Area.objects.filter(code__startswith=prefix, level=Level.COMMUNITY,
                                      valid_to__isnull=True)
    if length is None:
        total = communities.aggregate(s=Sum("population"))["s"]
        if total is None:  # no community figures: the area's own figure
            total = Area.objects.filter(code=prefix).values_list("population", flat=True).first()
        return {"": int(total)} if total else {}
    rows = communities.annotate(part=Substr("code", 1, length)).values("part").annotate(
        s=Sum("population"))
    return {r["part"]: int(r["s"]) for r in rows if r["s"]}


def indicators(area_code: str, year: int, *, start: date | None = None,
               on: date | None = None) -> Indicator:
    """Figures for an area at the end of ``year`` (or ``on``, if earlier): organisations
    alive then, per 10,000 residents (the communities' population figures), filed and
    registered; registrations and ends in the period from ``start`` (1 January)."""
    end = _year_end(year, on)
    begin = start or date(year, 1, 1)
    area = Area.objects.filter(code=area_code).first()
    c = _counts(Org.objects.filter(area_code__startswith=area_code), end, begin)[""]
    pop = _population(area_code).get("")
    return Indicator(area_code=area_code, name=area.name if area else area_code, year=year,
                     on=end, population=pop, orgs=c["orgs"], filed=c["orgs"] - c["registered"],
                     registered=c["registered"], founded=c["founded"], ended=c["ended"])


def indicators_by_part(area_code: str, year: int, *, on: date | None = None) -> list[Indicator]:
    """The same figures for each street (of a district) or community (of a street), in two
    grouped queries plus the names."""
    length = {6: 9, 9: 12}.get(len(area_code), 12)
    end = _year_end(year, on)
    begin = date(year, 1, 1)
    counts = _counts(Org.objects.filter(area_code__startswith=area_code), end, begin,
                     key=Substr("area_code", 1, length))
    pops = _population(area_code, length)
    parts = Area.objects.filter(parent_id=area_code, valid_to__isnull=True).order_by("code")
    out = []
    for part in parts:
        c = counts.get(part.code, {"orgs": 0, "registered": 0, "founded": 0, "ended": 0})
        out.append(Indicator(area_code=part.code, name=part.name, year=year, on=end,
                             population=pops.get(part.code), orgs=c["orgs"],
                             filed=c["orgs"] - c["registered"], registered=c["registered"],
                             founded=c["founded"], ended=c["ended"]))
    return out


def indicator_series(area_code: str, years: Iterable[int], *, on: date | None = None
                     ) -> list[Indicator]:
    return [indicators(area_code, y, on=on) for y in years]


# ---------------------------------------------------------------- supervision lists


def complaints(*, user: Any, state: str = "") -> QuerySet[Complaint]:
    qs = Complaint.objects.filter(authz.scope_q(user, Perm.SUPERVISE, "authority_code"))
    if state:
        qs = qs.filter(state=state)
    return qs.select_related("org").order_by("-received_on", "-id")


def open_complaints(*, user: Any) -> QuerySet[Complaint]:
    return complaints(user=user).filter(state__in=(ComplaintState.RECEIVED,
                                                   ComplaintState.INVESTIGATING))


def penalties(*, user: Any, state: str = "") -> QuerySet[Penalty]:
    qs = Penalty.objects.filter(authz.scope_q(user, Perm.SUPERVISE, "authority_code"))
    if state:
        qs = qs.filter(state=state)
    return qs.select_related("org").order_by("-proposed_on", "-id")


def inspections(*, user: Any, open_only: bool = False) -> QuerySet[Inspection]:
    qs = Inspection.objects.filter(authz.scope_q(user, Perm.SUPERVISE, "authority_code"))
    if open_only:
        qs = qs.filter(state__in=(InspectionState.PLANNED, InspectionState.RECTIFY))
    return qs.select_related("org").order_by("-planned_on", "-id")


# ---------------------------------------------------------------- support


def programmes(*, on: date | None = None, open_only: bool = False) -> QuerySet[Programme]:
    qs = Programme.objects.select_related("funder")
    if open_only:
        on = on or timezone.localdate()
        qs = qs.filter(opens_on__lte=on, closes_on__gte=on)
    return qs.order_by("-year", "name", "id")


def grants(*, user: Any, state: str = "") -> QuerySet[GrantApplication]:
    qs = GrantApplication.objects.filter(authz.scope_q(user, Perm.SUPPORT, "authority_code"))
    if state:
        qs = qs.filter(state=state)
    return qs.select_related("org", "programme").order_by("-submitted_on", "-id")


def incubations(*, user: Any, state: str = "") -> QuerySet[Incubation]:
    qs = Incubation.objects.filter(authz.scope_q(user, Perm.SUPPORT, "area_code"))
    if state:
        qs = qs.filter(state=state)
    return qs.select_related("org", "centre").order_by("-applied_on", "-id")
