"""What other modules may use of ``people`` (PostHog's facade habit).

These functions are *not* scoped to a user: they are for other modules' services, which
have already checked the actor's permission for the community concerned. Pages and the
API use ``people.selectors``, which are scoped.
"""

from __future__ import annotations

from datetime import date

from django.db.models import Q, QuerySet

from shequ.core import crypto, ids
from shequ.people.models import Body, Membership, Resident

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
