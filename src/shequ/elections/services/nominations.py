"""Nominations: direct nomination by voters on the roll (村民委员会组织法 第十五条), and
withdrawals."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shequ.audit.services import record
from shequ.core.errors import BusinessError, Conflict, NotFound
from shequ.elections.enums import AuditAction, Code, Perm
from shequ.elections.errors import refuse
from shequ.elections.lifecycles import CANDIDATE, WINDOWS
from shequ.elections.models import Candidate, Election, Voter
from shequ.elections.rules import profile_of
from shequ.elections.services._base import locked, text
from shequ.people import facade


def nominate(*, actor: Any, election_id: int, post: str, candidate_id: int,
             nominator_ids: list[int], statement: str = "",
             relative_ids: list[int] | None = None) -> Candidate:
    """A direct nomination by voters on the roll; the same person nominated again for the
    same post gathers the new nominators (a joint nomination). ``relative_ids``: residents
    declared close relatives of the candidate (the candidate's household counts too); where
    the profile asks for near-relative avoidance, those on the election committee leave
    it (ADR 0609)."""
    window = WINDOWS["nominate"]
    with transaction.atomic():
        election = locked(actor, election_id, window.perm)
        window.require(election)
        prof = profile_of(election)
        statement = text(statement, what=_("The short introduction"), maxlen=500)
        the_post = election.posts.filter(code=post).first()
        if the_post is None:
            raise NotFound(_("No such post in this election."), code=Code.POST_NOT_FOUND)
        rule = prof.rule("nominators_min")
        person = election.voters.filter(pk=candidate_id, removed=False).first()
        if person is None:
            raise refuse(_("Only a voter on this roll can stand as a candidate."), rule)
        nominators = list(election.voters.filter(pk__in=nominator_ids, removed=False))
        if len(nominators) != len(set(nominator_ids)):
            raise refuse(_("Every nominator must be a voter on this roll."), rule)
        existing = election.candidates.filter(voter=person).select_related("post").first()
        if existing is not None and existing.post_id != the_post.pk:
            raise Conflict(_("%(name)s is already nominated for %(post)s.")
                           % {"name": person.name, "post": existing.post.label},
                           code=Code.ONE_POST_ONLY)
        if existing is not None and existing.state == Candidate.State.WITHDRAWN:
            raise Conflict(_("%(name)s has withdrawn.") % {"name": person.name},
                           code=Code.WITHDRAWN)
        total = len(nominators) + (existing.nominators.count() if existing else 0)
        if total < rule.value:
            raise refuse(_("A nomination needs at least %(n)d nominator(s) on the roll.")
                         % {"n": rule.value}, rule)
        if the_post.women_only and person.sex != "F":
            raise refuse(_("Only women may stand for %(post)s.") % {"post": the_post.label},
                         prof.rule("women_seat"))
        if existing is None and election.candidates.filter(name=person.name).exists():
            raise Conflict(_("Another candidate has the same name; results are counted by name, "
                             "so add a distinguishing mark to one of them in the register."),
                           code=Code.CANDIDATE_NAME_TAKEN)
        cand = existing or Candidate.objects.create(election=election, post=the_post, voter=person,
                                                    name=person.name, sex=person.sex,
                                                    statement=statement)
        cand.nominators.add(*nominators)
        left = _leave_election_committee(actor, election, person)
        relatives = _relatives_leave(actor, election, person, relative_ids or [])
        # for the page's message: who left the election committee (not stored on the row)
        setattr(cand, "relatives_left", [name for _pk, name in relatives])  # noqa: B010
        record(actor=actor, action=AuditAction.CANDIDATE_NOMINATE, obj=cand,
               area_code=election.area_code,
               changes={"post": post, "nominators": [n.pk for n in nominators],
                        "joint": existing is not None, "left_election_committee": left,
                        "relatives_left_election_committee": [pk for pk, _n in relatives]})
    return cand


def _leave_election_committee(actor: Any, election: Election, person: Voter) -> list[int]:
    """A member of the election committee who becomes a candidate leaves it (村民委员会组织法
    第十二条): their current membership of the community's election committee ends today,
    recorded by people with its own audit entry."""
    rule = profile_of(election).rules.get("candidate_leaves_committee")  # absent before v2
    if rule is None or not rule.value:
        return []
    return facade.leave_election_committee(actor=actor, area_code=election.area_code,
                                           resident_id=person.resident_id,
                                           day=timezone.localdate())


def _relatives_leave(actor: Any, election: Election, person: Voter,
                     declared: list[int]) -> list[tuple[int, str]]:
    """Near-relative avoidance (ADR 0609): election committee members among the declared
    relatives and the candidate's household leave the committee today."""
    rule = profile_of(election).rules.get("relatives_leave_committee")  # absent before v4
    if rule is None or not rule.value:
        return []
    try:
        kin = {int(pk) for pk in declared}
    except (TypeError, ValueError):
        raise BusinessError(_("Relatives are named by their resident numbers."),
                            code=Code.RESIDENT_NOT_FOUND) from None
    kin |= set(facade.household_relatives(person.resident_id))
    kin.discard(person.resident_id)
    return facade.relatives_leave_election_committee(
        actor=actor, area_code=election.area_code, resident_ids=sorted(kin),
        day=timezone.localdate())


def withdraw(*, actor: Any, candidate_id: int, reason: str) -> Candidate:
    """A candidate withdraws (before polling), with the reason recorded."""
    found = Candidate.objects.filter(pk=candidate_id).values_list("election_id", flat=True).first()
    if found is None:
        raise NotFound(_("No such candidate."), code=Code.CANDIDATE_NOT_FOUND)
    with transaction.atomic():
        election = locked(actor, found, Perm.MANAGE)
        cand = Candidate.objects.select_for_update().get(pk=candidate_id)
        cand.election = election
        if cand.state == Candidate.State.WITHDRAWN:
            raise Conflict(_("This candidate has already withdrawn."), code=Code.WITHDRAWN)
        CANDIDATE.check(actor, cand, Candidate.Action.WITHDRAW)
        if not (reason or "").strip():
            raise BusinessError(_("A withdrawal needs a reason."), code=Code.REASON_REQUIRED)
        cand.withdrawn_reason = text(reason, what=_("The reason"), maxlen=300)
        CANDIDATE.move(actor=actor, obj=cand, action=Candidate.Action.WITHDRAW,
                       update_fields=["withdrawn_reason"],
                       changes={"reason": cand.withdrawn_reason})
    return cand
