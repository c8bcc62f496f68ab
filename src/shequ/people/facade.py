"""What other modules may use of ``people`` (PostHog's facade habit).

These functions are *not* scoped to a user: they are for other modules' services, which
have already checked the actor's permission for the community concerned. Pages and the
API use ``people.selectors``, which are scoped.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db import transaction
from django.db.models import Q, QuerySet

from shequ.core import crypto, ids
from shequ.people.enums import EndReason
from shequ.people.models import Body, Membership, Post, Resident
from shequ.people.services import bodies as writes

VOTING_AGE = 18  # 城市居民委员会组织法 Art. 8: residents aged 18 and over


def identity_hash(number: str) -> str:
    """The keyed hash under which an identity number is stored (normalised first)."""
    return crypto.lookup_hash(ids.normalise(number))


def resident_by_identity(number: str) -> Resident | None:
    return Resident.objects.filter(id_hash=identity_hash(number)).first()


def residents_of(community_code: str) -> QuerySet[Resident]:
    """Current residents (not moved away, not de-identified) of a community."""
    return Resident.objects.filter(community_code=community_code, moved_out_on__isnull=True,
                                   deidentified_at__isnull=True)


def adults_of(community_code: str, on: date) -> QuerySet[Resident]:
    """Residents aged 18 or over on ``on``."""
    cutoff = date(on.year - VOTING_AGE, on.month, on.day if (on.month, on.day) != (2, 29) else 28)
    return residents_of(community_code).filter(birth_date__lte=cutoff)


def eligible_voters(community_code: str, on: date) -> QuerySet[Resident]:
    """Aged 18+ on ``on``, living or registered here, not deprived of political rights.
    The election module adds its own residence conditions and approvals on top."""
    return adults_of(community_code, on).filter(
        Q(lives_here=True) | Q(registered_here=True), deprived_of_political_rights=False)


def bodies_of(area_code: str, kind: str | None = None) -> QuerySet[Body]:
    qs = Body.objects.filter(area_code=area_code, dissolved_on__isnull=True)
    return qs.filter(kind=kind) if kind else qs


def current_members(body: Body, on: date | None = None) -> QuerySet[Membership]:
    on = on or date.today()
    return body.memberships.filter(Q(end_date__isnull=True) | Q(end_date__gte=on),
                                   start_date__lte=on).select_related("post", "resident")


# -- writes other modules make through people (their own permission already checked) --


@dataclass(frozen=True)
class Seat:
    """One person elected to a post: ``resident_id`` when the person is on the register."""

    post_role: str
    post_label: str
    post_seats: int
    person_name: str
    resident_id: int | None = None


def record_committee(*, actor: Any, area_code: str, kind: str, name: str, day: date,
                     seats: list[Seat], source: str, replaces_all: bool) -> Body:
    """Record an elected committee (an election's announcement) as the body's memberships
    from ``day``, with people's own audit entries in the caller's transaction: the same
    writes, rows and entries as a body and members entered by hand
    (``people.services.bodies``).

    ``replaces_all``: a general election ends every other current membership the day
    before; a by-election only adds. Memberships an earlier announcement of the same
    ``source`` recorded are ended as corrected (a re-count replaces them).
    """
    with transaction.atomic():
        body = bodies_of(area_code, kind).order_by("pk").first()
        if body is None:
            body = writes.write_body(actor=actor, kind=kind, name=name, area_code=area_code,
                                     founded_on=day, posts=[], source=source)
        current = body.memberships.filter(Q(end_date__isnull=True) | Q(end_date__gte=day))
        if replaces_all:
            for m in current.exclude(source=source).select_related("body"):
                writes.write_end(actor=actor, membership=m, end_date=day - timedelta(days=1),
                                 reason=EndReason.TERM_ENDED)
        for m in body.memberships.filter(source=source, end_date__isnull=True).select_related("body"):
            writes.write_end(actor=actor, membership=m, end_date=day, reason=EndReason.CORRECTED)
        for seat in seats:
            post, _created = Post.objects.get_or_create(
                body=body, role=seat.post_role,
                defaults={"label": seat.post_label, "seats": seat.post_seats})
            writes.write_membership(actor=actor, body=body, post=post,
                                    person_name=seat.person_name, start_date=day,
                                    resident_id=seat.resident_id, source=source)
    return body


def end_membership(*, actor: Any, membership_id: int, end_date: date, reason: str) -> Membership:
    """End a membership because another module decided so (a recall vote, an evaluation
    that ends the term); ``reason`` is an :class:`EndReason` key (an unknown one is a
    ``BusinessError`` with code ``unknown_end_reason``)."""
    with transaction.atomic():
        m = Membership.objects.select_for_update().select_related("body").get(pk=membership_id)
        return writes.write_end(actor=actor, membership=m, end_date=end_date, reason=reason)


ENDED_OTHERWISE = "ended_otherwise"  # the membership no longer ends as that decision ended it
SUCCEEDED = "succeeded"  # someone else took up the post since, or the body was replaced


def reinstate_membership(*, actor: Any, membership_id: int, ended_on: date, reason: str,
                         source: str) -> str:
    """Take back an end another module wrote (a recall a re-count overturned, ADR 0513):
    only the end that decision made (``ended_on``, ``reason``), and only while nobody has
    taken the seat since. Returns ``""`` when reinstated, else why not
    (:data:`ENDED_OTHERWISE`: it ended otherwise meanwhile, or is not ended;
    :data:`SUCCEEDED`: someone took up the same post of the body on or after ``ended_on``,
    a general election replaced the committee, or the body was dissolved). Nothing is
    written when refused; the caller records the refusal."""
    with transaction.atomic():
        m = Membership.objects.select_for_update().select_related("body").get(pk=membership_id)
        if m.end_date != ended_on or m.end_reason != reason:
            return ENDED_OTHERWISE
        later = m.body.memberships.exclude(pk=m.pk).filter(start_date__gte=ended_on)
        successor = (later.filter(post_id=m.post_id) if m.post_id is not None
                     else later.filter(post__isnull=True)).exists()
        replaced = m.body.dissolved_on is not None or m.body.memberships.filter(
            end_reason=EndReason.TERM_ENDED,
            end_date__gte=ended_on - timedelta(days=1)).exists()
        if successor or replaced:
            return SUCCEEDED
        writes.write_reinstate(actor=actor, membership=m, source=source)
    return ""


def resident_of_user(user: Any) -> Resident | None:
    """The register entry linked to a signed-in user, if any."""
    if not getattr(user, "pk", None):
        return None
    return Resident.objects.filter(user_id=user.pk, deidentified_at__isnull=True).first()


def fake_identity_number(birth: date, *, sex: str = "M", address: str = "510104",
                         serial: int = 1) -> str:
    """A valid identity number that is nobody's, for demos, tests and benchmarks."""
    return ids.make_resident_id(birth, sex=sex, address=address, serial=serial)


def masked_identities(resident_ids: Any) -> dict[int, str]:
    """The masked identity numbers (``510104********1234``) of these register entries, in
    one query: how a list or an export shows them (services' case list export)."""
    wanted = {i for i in resident_ids if i}
    if not wanted:
        return {}
    return dict(Resident.objects.filter(pk__in=wanted).values_list("id", "id_masked"))


# -- used by autonomy ------------------------------------------------------------------
# (functions the autonomy module needs are added here, below this line)


def resident(resident_id: int) -> Resident | None:
    """A register entry by id (a resident named on a paper form, ADR 0502)."""
    return Resident.objects.filter(pk=resident_id).first()


def membership(membership_id: int) -> Membership | None:
    """A membership with its body (a recall petition names the member it concerns)."""
    return Membership.objects.select_related("body").filter(pk=membership_id).first()


def women_q(path: str = "") -> Q:
    """Residents who are women, as a filter on ``path`` (``"resident__"`` from a row that
    points to a resident): for the share of women among representatives."""
    from shequ.people.models import Sex

    return Q(**{f"{path}sex": Sex.FEMALE})


def register_resident(*, actor: Any, name: str, id_number: str, community_code: str) -> Resident:
    """Register a person through people's own service (its checks and audit entry): for
    other modules' demo loaders."""
    from shequ.people import services as people_services

    return people_services.register_resident(actor=actor, name=name, id_number=id_number,
                                             community_code=community_code)


def link_user(*, actor: Any, resident: Resident, user: Any) -> Resident:
    """Let a user act as this resident (people's own service: checks, audit entry); for
    other modules' demo loaders."""
    from shequ.people import services as people_services

    return people_services.link_user(actor=actor, resident=resident, user=user)


# -- used by elections -----------------------------------------------------------------
# (functions the elections module needs are added here, below this line)


def residents_committee_of(area_code: str) -> Body | None:
    """The community's current residents' committee (the first recorded), if any."""
    from shequ.people.models import BodyKind

    return bodies_of(area_code, BodyKind.RESIDENTS_COMMITTEE).order_by("pk").first()


def record_residents_committee(*, actor: Any, area_code: str, name: str, day: date,
                               seats: list[Seat], source: str, replaces_all: bool) -> Body:
    """An announced election's committee: :func:`record_committee` for the community's
    residents' committee (the election checked its own permission to announce)."""
    from shequ.people.models import BodyKind

    return record_committee(actor=actor, area_code=area_code, kind=BodyKind.RESIDENTS_COMMITTEE,
                            name=name, day=day, seats=seats, source=source,
                            replaces_all=replaces_all)


def leave_election_committee(*, actor: Any, area_code: str, resident_id: int,
                             day: date) -> list[int]:
    """A member of the community's election committee who is nominated as a candidate
    leaves it (村民委员会组织法 第十二条): their current memberships end on ``day``, each with
    people's own audit entry. Returns the ended memberships' ids."""
    from shequ.people.models import BodyKind

    ended = []
    for body in bodies_of(area_code, BodyKind.ELECTION_COMMITTEE):
        for m in current_members(body, day).filter(resident_id=resident_id):
            end_membership(actor=actor, membership_id=m.pk, end_date=day,
                           reason=EndReason.CANDIDATE)
            ended.append(m.pk)
    return ended


def register_made_up_resident(*, actor: Any, community_code: str, name: str, birth: date,
                              sex: str, serial: int = 1) -> Resident:
    """A made-up adult for the elections demo, registered (and audited) by people's own
    service, with a valid identity number nobody has (the first free serial from
    ``serial``)."""
    from shequ.people.services import register_resident

    for n in range(serial, serial + 500):
        number = fake_identity_number(birth, sex=sex, address=community_code[:6], serial=n)
        if resident_by_identity(number) is None:
            return register_resident(actor=actor, name=name, id_number=number,
                                     community_code=community_code)
    raise ValueError(f"no free identity number for {birth} {sex} from serial {serial}")


# -- used by orgs and linkage -----------------------------------------------------------
# (functions the social-organisation modules need are added here, below this line)


@dataclass(frozen=True)
class SocialWorker:
    """A social worker as linkage sees one: who, how qualified, posted where since when."""

    staff_id: int
    code: str
    name: str
    qualification: str
    qualification_label: str
    area_code: str
    posted_since: date | None


def social_workers(*, area_prefix: str = "", ids: Any = None, qualified_only: bool = False,
                   postings: bool = True) -> list[SocialWorker]:
    """Social workers still in service, posted under ``area_prefix`` (or those with the
    given staff ids), with their current posting; one query plus one for the postings
    (``postings=False`` leaves ``posted_since`` empty and skips it)."""
    from shequ.people.models import Posting, Qualification, StaffKind, StaffMember

    qs = StaffMember.objects.filter(left_on__isnull=True).filter(
        Q(kind=StaffKind.SOCIAL_WORKER) | ~Q(qualification=Qualification.NONE))
    if area_prefix:
        qs = qs.filter(area_code__startswith=area_prefix)
    if ids is not None:
        qs = qs.filter(pk__in=list(ids))
    if qualified_only:
        qs = qs.exclude(qualification=Qualification.NONE)
    staff = list(qs.order_by("code").only("id", "code", "name", "qualification", "area_code"))
    since: dict[int, date] = {}
    if postings:
        for staff_id, start in Posting.objects.filter(
                staff_id__in=[s.pk for s in staff], end_date__isnull=True).values_list(
                "staff_id", "start_date"):
            since[staff_id] = start
    return [SocialWorker(staff_id=s.pk, code=s.code, name=s.name, qualification=s.qualification,
                         qualification_label=str(s.get_qualification_display())
                         if s.qualification else "", area_code=s.area_code,
                         posted_since=since.get(s.pk)) for s in staff]


# -- used by elections (community workers on the roll, ADR 0609) ------------------------


def community_worker_since(resident_id: int, community_code: str) -> date | None:
    """The day since which the resident has worked as a community worker in
    ``community_code`` without a break (the start of the open posting there, else the day
    they joined), or ``None`` when they are not a serving community worker there."""
    from shequ.people.models import Posting, StaffKind, StaffMember

    staff = (StaffMember.objects.filter(resident_id=resident_id, kind=StaffKind.COMMUNITY_WORKER,
                                        left_on__isnull=True, area_code=community_code)
             .order_by("pk").first())
    if staff is None:
        return None
    start = (Posting.objects.filter(staff=staff, area_code=community_code, end_date__isnull=True)
             .order_by("start_date").values_list("start_date", flat=True).first())
    return start or staff.joined_on


def household_relatives(resident_id: int) -> list[int]:
    """The other members of the resident's household (the register's presumption of close
    relatives, ADR 0609)."""
    household_id = Resident.objects.filter(pk=resident_id).values_list("household_id",
                                                                        flat=True).first()
    if household_id is None:
        return []
    return list(Resident.objects.filter(household_id=household_id).exclude(pk=resident_id)
                .values_list("pk", flat=True))


def relatives_leave_election_committee(*, actor: Any, area_code: str, resident_ids: list[int],
                                       day: date) -> list[tuple[int, str]]:
    """Members of the community's election committee among ``resident_ids`` (close
    relatives of a nominated candidate) leave it on ``day`` (near-relative avoidance,
    ADR 0609), each with people's own audit entry; returns (membership id, name)."""
    from shequ.people.models import BodyKind

    if not resident_ids:
        return []
    ended = []
    for body in bodies_of(area_code, BodyKind.ELECTION_COMMITTEE):
        for m in current_members(body, day).filter(resident_id__in=resident_ids):
            end_membership(actor=actor, membership_id=m.pk, end_date=day, reason=EndReason.OTHER)
            ended.append((m.pk, m.person_name))
    return ended


def rotations_overdue_by_department(within: str, end: date) -> dict[int | None, int]:
    """Postings under ``within`` past the rotation period at ``end``, per department id
    (``None``: without a department); the people indicator counted per department."""
    from shequ.people.indicators import rotations_overdue_by_department as count

    return count(within, end)
