"""Reads of the people module, always scoped to the caller's areas; pure computations the
pages show (rotation due, coverage, counts) live here too."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shequ import authz
from shequ.areas import facade as areas
from shequ.areas.models import Area, Level
from shequ.core import crypto, ids
from shequ.core.errors import Forbidden, NotFound
from shequ.people import access, rules
from shequ.people.enums import AuditAction, Code, Perm
from shequ.people.models import (
    Body,
    BodyKind,
    Household,
    IdentityReveal,
    Membership,
    Post,
    Posting,
    Resident,
    RightsKind,
    RightsRequest,
    RightsStatus,
    StaffMember,
    Training,
    years_before,
)

# --------------------------------------------------------------------------- residents


def looks_like_number(text: str) -> bool:
    """An 18-character identity number (valid or not): searched by hash, shown masked."""
    number = ids.normalise(text)
    return len(number) == 18 and number[:17].isdigit()


def name_prefix_q(text: str) -> Q:
    """Names starting with ``text``, as a range (``name >= text AND name < text'``, the
    last character raised by one): an exact index range on the byte-wise ("C") collated
    column, which a generic plan keeps too, unlike ``LIKE $1`` (ADR 0309)."""
    upper = text[:-1] + chr(ord(text[-1]) + 1) if ord(text[-1]) < 0x10FFFF else None
    q = Q(name__gte=text)
    return q & Q(name__lt=upper) if upper is not None else q & Q(name__startswith=text)


def search_q(text: str) -> Q:
    """The start of a name, or a full identity number matched through the keyed hash
    (never by decrypting)."""
    text = (text or "").strip()
    if not text:
        return Q()
    if looks_like_number(text):
        return Q(id_hash=crypto.lookup_hash(ids.normalise(text)))
    return name_prefix_q(text)


def _code_range(code: str) -> Q:
    """Residents of the communities under ``code``, on ``community_code``: one community
    by equality, a street or district as a range of codes (an index range under any
    plan, where ``LIKE 'code%'`` is not)."""
    if not code.isdigit():
        return Q()
    if len(code) >= 12:
        return Q(community_code=code[:12])
    upper = str(int(code) + 1).zfill(len(code))
    return Q(community_code__gte=code, community_code__lt=upper)


def _within_q(code: str) -> Q:
    """Residents under ``code`` (``area_code`` starts with it). A resident's area is their
    community or a compound inside it (``services._common.area_in``), so for a code of a
    community or above this is the same set as a range of ``community_code`` — which the
    register's index serves under any plan (ADR 0309); a compound adds its own test."""
    if code.isdigit() and len(code) <= 12:
        return _code_range(code)
    return Q(area_code__startswith=code) & _code_range(code)


def register_scope_q(user: Any, within: str = "") -> Q:
    """Who ``user`` may see in the register (``people.view``: ``authz.scope_codes``),
    expressed on ``community_code`` so the planner gets a range of the register's index."""
    codes = authz.scope_codes(user, Perm.VIEW)
    if codes is None:
        q = Q()
    elif not codes:
        q = Q(pk__in=[])
    else:
        q = Q()
        for code in codes:
            q |= _within_q(code)
    if within:
        q &= _within_q(within)
    return q


def residents(*, user: Any, within: str = "", q: str = "", include_gone: bool = False
              ) -> QuerySet[Resident]:
    """Residents the user may see: in register order (community, name), or by name when
    searching by name. Each ordering is the order of an index whose leading column the
    scope restricts (``resident_register``, ``resident_name``); the household join is
    done for the rows of the page only (a nested loop under the LIMIT)."""
    qs = Resident.objects.filter(register_scope_q(user, within)).select_related("household")
    if not include_gone:
        qs = qs.filter(moved_out_on__isnull=True, deidentified_at__isnull=True)
    text = (q or "").strip()
    qs = qs.filter(search_q(text))
    if text and not looks_like_number(text):
        return qs.order_by("name", "pk")
    return qs.order_by("community_code", "name", "pk")


def get_resident(*, user: Any, pk: int) -> Resident:
    resident = Resident.objects.select_related("household", "household__head").filter(pk=pk).first()
    if resident is None:
        raise NotFound(_("No such resident."), code=Code.RESIDENT_NOT_FOUND)
    if not access.is_self(user, resident):
        _check_view_quietly(user, resident.area_code)
    return resident


def _check_view_quietly(user: Any, area_code: str) -> None:
    """``people.view`` at ``area_code``, refused without naming the area (ADR 0308)."""
    refused = access.can_view.refusal(user, area_code)
    if isinstance(refused, Forbidden):
        raise Forbidden()
    access.check(refused)


def resident_by_number(*, user: Any, number: str) -> Resident:
    """Look a person up by identity number: one index probe on the keyed hash."""
    access.can_view.check(user)
    resident = Resident.objects.filter(id_hash=crypto.lookup_hash(ids.normalise(number))).first()
    if resident is None or not (access.is_self(user, resident)
                                or access.can_view(user, resident.area_code)):
        # outside the caller's scope the answer is the one for nobody (ADR 0308)
        raise NotFound(_("No resident with this identity number."), code=Code.RESIDENT_NOT_FOUND)
    return resident


def own_record(*, user: Any) -> Resident:
    pk = getattr(user, "pk", None)
    if not isinstance(pk, int) or not getattr(user, "is_authenticated", False):
        access.can_use_own_record.check(None)
        raise AssertionError  # check() raised AuthRequired
    resident = Resident.objects.select_related("household").filter(user_id=pk).first()
    if resident is None:
        raise NotFound(_("Your account is not linked to a resident record. Ask your community "
                         "office to link it."), code=Code.NO_OWN_RECORD)
    return resident


def get_household(*, user: Any, pk: int) -> Household:
    hh = Household.objects.select_related("head").filter(pk=pk).first()
    if hh is None:
        raise NotFound(_("No such household."), code=Code.HOUSEHOLD_NOT_FOUND)
    _check_view_quietly(user, hh.area_code)
    return hh


def household_members(household: Household) -> list[Resident]:
    return list(household.members.filter(deidentified_at__isnull=True)
                .select_related("household").order_by("birth_date", "pk"))


def reveals(*, user: Any, resident: Resident | None = None) -> QuerySet[IdentityReveal]:
    """The log of full-number reads (for holders of ``people.reveal_id`` or ``people.rights``)."""
    scope = authz.scope_q(user, Perm.REVEAL) | authz.scope_q(user, Perm.RIGHTS)
    qs = IdentityReveal.objects.filter(scope)
    if resident is not None:
        qs = qs.filter(resident=resident)
    return qs.order_by("-at", "-pk")


def own_community(*, user: Any) -> str:
    """The one community a user manages residents of (a community worker), else ""."""
    codes = authz.scope_codes(user, Perm.MANAGE) or []
    return codes[0][:12] if len(codes) == 1 and len(codes[0]) >= 12 else ""


def area_names(codes: Any) -> dict[str, str]:
    """Names of division codes, in one query."""
    return dict(Area.objects.filter(code__in=set(codes)).values_list("code", "name"))


def export_areas(*, user: Any) -> list[tuple[str, str]]:
    """``(code, "name（code）")`` of the district, streets and communities the user may
    export, the widest first."""
    codes = authz.scope_codes(user, Perm.EXPORT)
    levels = (Level.DISTRICT, Level.STREET, Level.COMMUNITY)
    qs = Area.objects.filter(level__in=levels)
    if codes is not None:
        scope = Q(pk__in=[])
        for code in codes:
            scope |= Q(code__startswith=code)
        qs = qs.filter(scope)
    return [(code, f"{name}（{code}）")
            for code, name in qs.order_by("code").values_list("code", "name")[:2000]]


def elsewhere_attempts(*, user: Any, within: str = "") -> QuerySet[Any]:
    """Attempts to record a number held in a community outside the actor's (ADR 0308),
    the newest first, for whoever reviews them (``people.probes``) in their scope."""
    from shequ.audit.models import AuditEntry

    access.can_review_probes.check(user, within or None)
    qs = AuditEntry.objects.filter(authz.scope_q(user, Perm.PROBES),
                                   action=AuditAction.RESIDENT_ELSEWHERE_ATTEMPT)
    if within:
        qs = qs.filter(area_code__startswith=within)
    return qs.order_by("-at", "-id")


# --------------------------------------------------------------------------- rights


def rights_requests(*, user: Any, status: str = "") -> QuerySet[RightsRequest]:
    """Requests to handle, the earliest due first."""
    qs = RightsRequest.objects.filter(authz.scope_q(user, Perm.RIGHTS)).select_related(
        "resident")
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("due_on", "pk")


def requests_of(resident: Resident) -> QuerySet[RightsRequest]:
    """A resident's own requests, the newest first (the caller has the resident)."""
    return resident.rights_requests.order_by("-received_on", "-pk")


def copy_ready(resident: Resident) -> bool:
    """A copy of one's own data may be downloaded once a request to see or copy it was
    accepted (PIPL Art. 45)."""
    return resident.rights_requests.filter(kind__in=[RightsKind.COPY, RightsKind.ACCESS],
                                           status=RightsStatus.DONE).exists()


def get_rights_request(*, user: Any, pk: int) -> RightsRequest:
    req = RightsRequest.objects.select_related("resident").filter(pk=pk).first()
    if req is None:
        raise NotFound(_("No such request."), code=Code.REQUEST_NOT_FOUND)
    access.can_handle_rights.check(user, req.area_code)
    return req


# --------------------------------------------------------------------------- staff


def staff(*, user: Any, kind: str = "", within: str = "", q: str = "",
          current_only: bool = True) -> QuerySet[StaffMember]:
    qs = StaffMember.objects.filter(authz.scope_q(user, Perm.STAFF_VIEW))
    if kind:
        qs = qs.filter(kind=kind)
    if within:
        qs = qs.filter(area_code__startswith=within)
    if q:
        qs = qs.filter(Q(name__contains=q) | Q(code__startswith=q))
    if current_only:
        qs = qs.filter(left_on__isnull=True)
    return qs.order_by("code")


def get_staff(*, user: Any, pk: int) -> StaffMember:
    member = StaffMember.objects.filter(pk=pk).first()
    if member is None:
        raise NotFound(_("No such staff member."), code=Code.STAFF_NOT_FOUND)
    access.can_view_staff.check(user, member.area_code)
    return member


def postings_of(member: StaffMember) -> list[Posting]:
    """A staff member's postings, newest first, with the department of each (the
    rotation history names the department moved from and to)."""
    return list(member.postings.select_related("station", "department")
                .order_by("-start_date", "-pk"))


def department_choices(*, user: Any) -> list[tuple[str, list[tuple[int, str]]]]:
    """The departments a user may post staff to, grouped by street office (a picker's
    option groups): the current departments of the streets in the user's
    ``people.staff.manage`` scope, so a street officer sees only their street's."""
    codes = authz.scope_codes(user, Perm.STAFF_MANAGE)
    prefixes = [""] if codes is None else sorted({c[:9] for c in codes})
    groups: dict[str, list[tuple[int, str]]] = {}
    for prefix in prefixes:
        for dept in areas.departments_within(prefix):
            label = dept.street.name if dept.street else dept.area_code
            groups.setdefault(label, []).append((dept.pk, dept.name))
    return list(groups.items())


@dataclass(frozen=True)
class DepartmentStaff:
    department: Any  # areas.Department
    postings: list[Posting]  # current postings, by start
    rotation_due: set[int]  # ids of those past the rotation period in force
    rule_years: dict[int, int]  # each posting's rotation period in force


def department_staff(*, user: Any, pk: Any, on: date | None = None) -> DepartmentStaff:
    """A street office's department and the staff currently posted to it (the
    department's page). Unknown and out-of-scope departments are the same "not found"
    (ADR 0308): a street officer learns nothing about another street's departments."""
    on = on or timezone.localdate()
    dept = areas.department(pk)
    if dept is None or not access.can_view_staff(user, dept.area_code):
        raise NotFound(_("No such department."), code=Code.DEPARTMENT_NOT_FOUND)
    postings = list(Posting.objects.filter(department=dept, end_date__isnull=True,
                                           staff__left_on__isnull=True)
                    .select_related("staff", "station", "department")
                    .order_by("start_date", "staff__code"))
    profiles = rules.profiles_at({p.area_code for p in postings})
    periods = {p.pk: profiles[p.area_code].number(rules.ROTATION_YEARS) for p in postings}
    due = {p.pk for p in postings if p.start_date <= years_before(on, periods[p.pk])}
    return DepartmentStaff(department=dept, postings=postings, rotation_due=due,
                           rule_years=periods)


def trainings_of(member: StaffMember) -> list[Training]:
    return list(member.trainings.order_by("-start_date", "-pk"))


@dataclass(frozen=True)
class RotationDue:
    staff: StaffMember
    posting: Posting
    years: float  # served so far, one decimal
    rule_years: int  # the rotation period in force at the posting's area


def rotation_due(*, user: Any, on: date | None = None, years: int | None = None,
                 within: str = "") -> list[RotationDue]:
    """Staff whose current posting has lasted the rotation period (``rotation_years``, a
    local value per area) or more on ``on`` (交流轮岗). ``years`` replaces the rule."""
    on = on or timezone.localdate()
    shortest = years if years is not None else rules.smallest_value(rules.ROTATION_YEARS)
    qs = (Posting.objects.filter(end_date__isnull=True, start_date__lte=years_before(on, shortest),
                                 staff__left_on__isnull=True)
          .filter(authz.scope_q(user, Perm.STAFF_VIEW))
          .select_related("staff", "station", "department")
          .order_by("start_date", "staff__code"))
    if within:
        qs = qs.filter(area_code__startswith=within)
    postings = list(qs)
    profiles = rules.profiles_at({p.area_code for p in postings}) if years is None else {}
    due: list[RotationDue] = []
    for p in postings:
        period = years if years is not None else profiles[p.area_code].number(rules.ROTATION_YEARS)
        if p.start_date <= years_before(on, period):
            due.append(RotationDue(staff=p.staff, posting=p, rule_years=period,
                                   years=round((on - p.start_date).days / 365.25, 1)))
    return due


# --------------------------------------------------------------------------- bodies


def bodies(*, user: Any, within: str = "", kind: str = "", current_only: bool = True
           ) -> QuerySet[Body]:
    qs = Body.objects.filter(authz.scope_q(user, Perm.BODIES_VIEW))
    if within:
        qs = qs.filter(area_code__startswith=within)
    if kind:
        qs = qs.filter(kind=kind)
    if current_only:
        qs = qs.filter(dissolved_on__isnull=True)
    return qs.order_by("area_code", "kind", "name", "pk")


def get_body(*, user: Any, pk: int) -> Body:
    body = Body.objects.filter(pk=pk).first()
    if body is None:
        raise NotFound(_("No such body."), code=Code.BODY_NOT_FOUND)
    access.can_view_bodies.check(user, body.area_code)
    return body


def posts_of(body: Body) -> list[Post]:
    return list(body.posts.order_by("pk"))


def members_of(body: Body) -> list[Membership]:
    """Every membership of a body, current ones first, then by post and start."""
    return list(Membership.objects.filter(body=body).select_related("post")
                .order_by("end_date", "post__role", "start_date", "pk"))


def get_membership(*, user: Any, pk: int) -> Membership:
    m = Membership.objects.select_related("body", "post").filter(pk=pk).first()
    if m is None:
        raise NotFound(_("No such membership."), code=Code.MEMBERSHIP_NOT_FOUND)
    access.can_view_bodies.check(user, m.body.area_code)
    return m


@dataclass(frozen=True)
class Coverage:
    code: str
    name: str
    communities: int
    with_party: int
    with_committee: int
    target: int  # per cent, the value in force at ``code``

    @property
    def party_share(self) -> float:
        return round(100.0 * self.with_party / self.communities, 1) if self.communities else 0.0

    @property
    def committee_share(self) -> float:
        return round(100.0 * self.with_committee / self.communities, 1) if self.communities else 0.0

    @property
    def meets_target(self) -> bool:
        return self.party_share >= self.target and self.committee_share >= self.target


def coverage(*, user: Any, code: str) -> list[Coverage]:
    """Share of current communities with a party organisation and with a residents'
    committee: one row per street below ``code`` (or ``code`` itself if it is a street or
    community), then a total row for ``code``; each against the target in force there."""
    access.can_view_bodies.check(user, code)
    area = Area.objects.filter(code=code).first()
    if area is None:
        raise NotFound(_("Unknown area code: %(c)s.") % {"c": code}, code=Code.UNKNOWN_AREA)
    communities = list(Area.objects.filter(code__startswith=code, level=Level.COMMUNITY,
                                           valid_to__isnull=True).values_list("code", flat=True))
    present = {(kind, ac) for kind, ac in Body.objects.filter(
        area_code__in=communities, dissolved_on__isnull=True,
        kind__in=[BodyKind.PARTY, BodyKind.RESIDENTS_COMMITTEE]).values_list("kind", "area_code")}
    groups: list[tuple[str, str, list[str]]] = []
    if len(code) < 9:
        for street in Area.objects.filter(code__startswith=code, level=Level.STREET,
                                          valid_to__isnull=True).order_by("code"):
            members = [m for m in communities if m.startswith(street.code)]
            if members:
                groups.append((street.code, street.name, members))
    groups.append((area.code, area.name, communities))
    profiles = rules.profiles_at({c for c, _n, _m in groups})
    return [Coverage(code=c, name=name, communities=len(members),
                     with_party=sum((BodyKind.PARTY.value, m) in present for m in members),
                     with_committee=sum((BodyKind.RESIDENTS_COMMITTEE.value, m) in present
                                        for m in members),
                     target=profiles[c].number(rules.BODY_COVERAGE_TARGET))
            for c, name, members in groups]
