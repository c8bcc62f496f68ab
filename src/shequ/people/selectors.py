"""Reads of the people module, always scoped to the caller's areas."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shequ import authz
from shequ.areas.models import Area, Level
from shequ.core import crypto, ids
from shequ.core.errors import NotFound
from shequ.people import access, rules
from shequ.people.models import (
    Body,
    BodyKind,
    Household,
    IdentityReveal,
    Membership,
    Posting,
    Resident,
    RightsRequest,
    StaffMember,
)


def looks_like_number(text: str) -> bool:
    """An 18-character identity number (valid or not): searched by hash, shown masked."""
    number = ids.normalise(text)
    return len(number) == 18 and number[:17].isdigit()


def residents(*, user: Any, within: str = "", q: str = "", include_gone: bool = False
              ) -> QuerySet[Resident]:
    """Residents the user may see; ``q`` is a name fragment or a full identity number
    (matched through the keyed hash, never by decrypting)."""
    qs = Resident.objects.filter(authz.scope_q(user, access.VIEW)).select_related("household")
    if within:
        qs = qs.filter(area_code__startswith=within)
    if not include_gone:
        qs = qs.filter(moved_out_on__isnull=True, deidentified_at__isnull=True)
    q = q.strip()
    if q:
        if looks_like_number(q):
            qs = qs.filter(id_hash=crypto.lookup_hash(ids.normalise(q)))
        else:
            qs = qs.filter(name__contains=q)
    return qs.order_by("community_code", "name", "pk")


def get_resident(*, user: Any, pk: int) -> Resident:
    resident = Resident.objects.select_related("household", "household__head").filter(pk=pk).first()
    if resident is None:
        raise NotFound(_("No such resident."), code="resident_not_found")
    if not (resident.user_id and resident.user_id == getattr(user, "pk", None)):
        authz.check(user, access.VIEW, resident.area_code)
    return resident


def resident_by_number(*, user: Any, number: str) -> Resident:
    """Look a person up by identity number: one index probe on the keyed hash."""
    resident = Resident.objects.filter(id_hash=crypto.lookup_hash(ids.normalise(number))).first()
    if resident is None:
        raise NotFound(_("No resident with this identity number."), code="resident_not_found")
    authz.check(user, access.VIEW, resident.area_code)
    return resident


def own_record(*, user: Any) -> Resident:
    pk = getattr(user, "pk", None)
    if not isinstance(pk, int) or not getattr(user, "is_authenticated", False):
        authz.check(None, access.SELF)
        raise AssertionError  # check() raised AuthRequired
    resident = Resident.objects.select_related("household").filter(user_id=pk).first()
    if resident is None:
        raise NotFound(_("Your account is not linked to a resident record. Ask your community "
                         "office to link it."), code="no_own_record")
    return resident


def get_household(*, user: Any, pk: int) -> Household:
    hh = Household.objects.select_related("head").filter(pk=pk).first()
    if hh is None:
        raise NotFound(_("No such household."), code="household_not_found")
    authz.check(user, access.VIEW, hh.area_code)
    return hh


def household_members(household: Household) -> list[Resident]:
    return list(household.members.filter(deidentified_at__isnull=True)
                .select_related("household").order_by("birth_date"))


def reveals(*, user: Any, resident: Resident | None = None) -> QuerySet[IdentityReveal]:
    """The log of full-number reads (for holders of ``people.reveal_id`` or ``people.rights``)."""
    scope = authz.scope_q(user, access.REVEAL) | authz.scope_q(user, access.RIGHTS)
    qs = IdentityReveal.objects.filter(scope)
    if resident is not None:
        qs = qs.filter(resident=resident)
    return qs.order_by("-at", "-pk")


def rights_requests(*, user: Any, status: str = "") -> QuerySet[RightsRequest]:
    qs = RightsRequest.objects.filter(authz.scope_q(user, access.RIGHTS)).select_related(
        "resident")
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("due_on", "pk")


def get_rights_request(*, user: Any, pk: int) -> RightsRequest:
    req = RightsRequest.objects.select_related("resident").filter(pk=pk).first()
    if req is None:
        raise NotFound(_("No such request."), code="request_not_found")
    authz.check(user, access.RIGHTS, req.area_code)
    return req


# --------------------------------------------------------------------------- staff


def staff(*, user: Any, kind: str = "", within: str = "", q: str = "",
          current_only: bool = True) -> QuerySet[StaffMember]:
    qs = StaffMember.objects.filter(authz.scope_q(user, access.STAFF_VIEW))
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
        raise NotFound(_("No such staff member."), code="staff_not_found")
    authz.check(user, access.STAFF_VIEW, member.area_code)
    return member


def postings_of(member: StaffMember) -> list[Posting]:
    return list(member.postings.select_related("station").order_by("-start_date"))


@dataclass(frozen=True)
class RotationDue:
    staff: StaffMember
    posting: Posting
    years: float


def rotation_due(*, user: Any, on: date | None = None, years: int | None = None,
                 within: str = "") -> list[RotationDue]:
    """Staff whose current posting has lasted ``ROTATION_YEARS`` or more (交流轮岗)."""
    on = on or timezone.localdate()
    years = rules.ROTATION_YEARS.current() if years is None else years
    try:
        cutoff = on.replace(year=on.year - years)
    except ValueError:  # 29 February
        cutoff = date(on.year - years, 2, 28)
    qs = (Posting.objects.filter(end_date__isnull=True, start_date__lte=cutoff,
                                 staff__left_on__isnull=True)
          .filter(authz.scope_q(user, access.STAFF_VIEW))
          .select_related("staff", "station").order_by("start_date", "staff__code"))
    if within:
        qs = qs.filter(area_code__startswith=within)
    return [RotationDue(staff=p.staff, posting=p, years=round((on - p.start_date).days / 365.25, 1))
            for p in qs]


# --------------------------------------------------------------------------- bodies


def bodies(*, user: Any, within: str = "", kind: str = "", current_only: bool = True
           ) -> QuerySet[Body]:
    qs = Body.objects.filter(authz.scope_q(user, access.BODIES_VIEW))
    if within:
        qs = qs.filter(area_code__startswith=within)
    if kind:
        qs = qs.filter(kind=kind)
    if current_only:
        qs = qs.filter(dissolved_on__isnull=True)
    return qs.order_by("area_code", "kind", "name")


def get_body(*, user: Any, pk: int) -> Body:
    body = Body.objects.filter(pk=pk).first()
    if body is None:
        raise NotFound(_("No such body."), code="body_not_found")
    authz.check(user, access.BODIES_VIEW, body.area_code)
    return body


def get_membership(*, user: Any, pk: int) -> Membership:
    m = Membership.objects.select_related("body", "post").filter(pk=pk).first()
    if m is None:
        raise NotFound(_("No such membership."), code="membership_not_found")
    authz.check(user, access.BODIES_VIEW, m.body.area_code)
    return m


@dataclass(frozen=True)
class Coverage:
    code: str
    name: str
    communities: int
    with_party: int
    with_committee: int

    @property
    def party_share(self) -> float:
        return round(100.0 * self.with_party / self.communities, 1) if self.communities else 0.0

    @property
    def committee_share(self) -> float:
        return round(100.0 * self.with_committee / self.communities, 1) if self.communities else 0.0

    @property
    def meets_target(self) -> bool:
        target = rules.BODY_COVERAGE_TARGET.current()
        return self.party_share >= target and self.committee_share >= target


def coverage(*, user: Any, code: str) -> list[Coverage]:
    """Share of current communities with a party organisation and with a residents'
    committee: one row per street below ``code`` (or ``code`` itself if it is a street or
    community), then a total row for ``code``."""
    authz.check(user, access.BODIES_VIEW, code)
    area = Area.objects.filter(code=code).first()
    if area is None:
        raise NotFound(_("Unknown area code: %(c)s.") % {"c": code}, code="unknown_area")
    communities = list(Area.objects.filter(code__startswith=code, level=Level.COMMUNITY,
                                           valid_to__isnull=True).values_list("code", flat=True))
    present = {(kind, ac) for kind, ac in Body.objects.filter(
        area_code__in=communities, dissolved_on__isnull=True,
        kind__in=[BodyKind.PARTY, BodyKind.RESIDENTS_COMMITTEE]).values_list("kind", "area_code")}

    def row(c: str, name: str, members: list[str]) -> Coverage:
        return Coverage(code=c, name=name, communities=len(members),
                        with_party=sum((BodyKind.PARTY.value, m) in present for m in members),
                        with_committee=sum((BodyKind.RESIDENTS_COMMITTEE.value, m) in present
                                           for m in members))

    rows: list[Coverage] = []
    if len(code) < 9:
        streets = Area.objects.filter(code__startswith=code, level=Level.STREET,
                                      valid_to__isnull=True).order_by("code")
        for street in streets:
            members = [m for m in communities if m.startswith(street.code)]
            if members:
                rows.append(row(street.code, street.name, members))
    rows.append(row(area.code, area.name, communities))
    return rows


def counts(*, user: Any, within: str = "") -> dict[str, int]:
    """Residents, households, children, elderly in scope (for the list page header)."""
    qs = residents(user=user, within=within)
    today = timezone.localdate()
    child_cut = date(today.year - 14, today.month, min(today.day, 28))
    old_cut = date(today.year - 60, today.month, min(today.day, 28))
    agg = qs.aggregate(total=Count("pk"), children=Count("pk", filter=Q(birth_date__gt=child_cut)),
                       elderly=Count("pk", filter=Q(birth_date__lte=old_cut)))
    households = Household.objects.filter(authz.scope_q(user, access.VIEW))
    if within:
        households = households.filter(area_code__startswith=within)
    return {"residents": agg["total"] or 0, "children": agg["children"] or 0,
            "elderly": agg["elderly"] or 0, "households": households.count()}
