"""Recall (罢免): a petition by voters (≥ 1/5) or by representatives (≥ 1/3), the member's
written reply, the recall vote run by the elections module (roll, polling stations,
double-entry tally, ADR 0612) and its announced result; a passed recall of a named
membership ends that term the same day (村民委员会组织法 Art. 16; ADR 0504, 0513)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from shequ import authz
from shequ.audit.services import record
from shequ.authz import SYSTEM
from shequ.autonomy import rules as law
from shequ.autonomy import selectors
from shequ.autonomy.enums import AuditAction, Code, Perm
from shequ.autonomy.lifecycles import RECALL, REPRESENTATIVE, may_sign_recall
from shequ.autonomy.lifecycles import recall_area as RECALL_AREA
from shequ.autonomy.models import RecallPetition, RecallSignature, Representative
from shequ.autonomy.services.common import (
    community_area,
    get,
    locked,
    person_for,
    text,
    today,
)
from shequ.core.errors import BusinessError, Conflict, InvalidTransition, NotFound
from shequ.core.pii import mask_text
from shequ.elections import facade as elections_facade
from shequ.lifecycle import Ctx
from shequ.people import facade
from shequ.people.enums import EndReason

R, RA = RecallPetition.State, RecallPetition.Action


def recall_bodies(community_code: str) -> tuple[str, ...]:
    """The bodies whose members residents may recall here: the residents' committee
    (VCL Art. 16 as the model; RCL 2018 Art. 10), and where the profile says so the
    conference's working committee and the council (ADR 0509). Never a party body."""
    kinds: tuple[str, ...] = ("residents_committee",)  # people's BodyKind keys
    profile = law.profile_for(community_code)
    if profile.value("recall_supervision_committee"):  # ADR 0513
        kinds += ("supervision_committee",)
    if profile.value("recall_other_bodies"):
        kinds += ("conference_committee", "council")
    return kinds


def recallable_members(community_code: str) -> list[Any]:
    """The current members a recall petition may name (the page's choices)."""
    on = today()
    out: list[Any] = []
    for kind in recall_bodies(community_code):
        for body in facade.bodies_of(community_code, kind):
            out.extend(facade.current_members(body, on))
    return out


def _recallable(community_code: str, membership_id: int | None) -> Any:
    if membership_id is None:
        raise BusinessError(_("Choose the member to recall from the current members of the "
                              "residents' committee."), code=Code.REQUIRED,
                            details={"field": "membership_id"})
    membership = facade.membership(membership_id)
    if membership is None:
        raise NotFound(_("That member is not on record."),
                       details={"membership_id": membership_id})
    if membership.body.area_code[:12] != community_code:
        raise BusinessError(_("That member does not serve in this community."),
                            code=Code.OTHER_COMMUNITY)
    if membership.body.kind not in recall_bodies(community_code):
        raise BusinessError(
            _("Residents can recall only members of the residents' committee (村民委员会组织法 "
              "第十六条; 城市居民委员会组织法（2018年修正）第十条); “%(body)s” is not such a "
              "body.") % {"body": membership.body.get_kind_display()},
            code=Code.NOT_RECALLABLE, details={"body_kind": membership.body.kind})
    day = today()
    if membership.start_date > day or (membership.end_date is not None
                                       and membership.end_date < day):
        raise BusinessError(_("%(name)s is not a current member; only a serving member can be "
                              "recalled.") % {"name": membership.person_name},
                            code=Code.NOT_SERVING)
    return membership


def recallable_representatives(community_code: str) -> list[Representative]:
    """The serving standing representatives a petition may name, where the profile
    provides it (``recall_representatives``, local; ADR 0509)."""
    if not law.profile_for(community_code).value("recall_representatives"):
        return []
    return list(selectors.serving(community_code).order_by("name", "pk"))


def _recallable_representative(community_code: str, representative_id: int) -> Representative:
    rep = Representative.objects.filter(pk=representative_id).first()
    if rep is None:
        raise NotFound(_("That representative is not on record."),
                       details={"representative_id": representative_id})
    if rep.community_code != community_code:
        raise BusinessError(_("That member does not serve in this community."),
                            code=Code.OTHER_COMMUNITY)
    rule = law.profile_for(community_code).rule("recall_representatives")
    if not rule.value:
        raise BusinessError(
            _("Standing representatives are not recalled by a petition here (%(cite)s); they "
              "are replaced through a by-election.") % {"cite": rule.source()},
            code=Code.NOT_RECALLABLE, details={"rule": "recall_representatives"})
    if rep.status != Representative.Status.ACTIVE:
        raise BusinessError(_("%(name)s is not a current member; only a serving member can be "
                              "recalled.") % {"name": rep.name}, code=Code.NOT_SERVING)
    return rep


def _constituency_area(rep: Representative) -> str:
    """The area of the households that chose ``rep`` (ADR 0513): a compound below the
    community. A constituency recorded only as the community (a residents' group the
    register cannot place) is refused: the whole community is not their constituency."""
    constituency = rep.constituency
    if len(constituency.area_code) <= len(rep.community_code):
        raise BusinessError(
            _("The households that chose %(name)s (%(constituency)s) cannot be told apart in "
              "the register: a standing representative is recalled by the voters who chose "
              "them (村民委员会组织法 第二十五条), not by the whole community. Record the area "
              "of the constituency first.")
            % {"name": rep.name, "constituency": constituency.name},
            code=Code.NO_CONSTITUENCY_AREA,
            details={"constituency": constituency.pk, "area_code": constituency.area_code})
    return constituency.area_code


def voters_in(community_code: str, area_code: str, on: date) -> Any:
    """The community's eligible voters on ``on`` who live in ``area_code`` (the community
    itself or a compound below it)."""
    voters = facade.eligible_voters(community_code, on)
    return voters if area_code == community_code else voters.filter(
        area_code__startswith=area_code)


def start_recall(*, actor: Any, community_code: str, membership_id: int | None, reasons: str,
                 resident_id: int | None = None, via: str = RecallPetition.Via.VOTERS,
                 representative_id: int | None = None) -> RecallPetition:
    """A recall petition by voters (≥ 1/5 of them) or by representatives (≥ 1/3 of the
    serving ones), 村民委员会组织法 Art. 16, against a current member of the residents'
    committee (or a body the profile adds) picked from the record, never a typed name;
    the initiator signs first, and the threshold is fixed when the petition starts."""
    community = community_area(community_code)
    person = person_for(actor, community.code, resident_id)
    if via not in RecallPetition.Via.values:
        raise BusinessError(_("A recall is started by voters or by representatives."),
                            code=Code.BAD_VIA)
    representative = None
    membership = None
    area = community.code
    if representative_id is not None and membership_id is None:
        representative = _recallable_representative(community.code, representative_id)
        area = _constituency_area(representative)
        member_name = representative.name
    else:
        membership = _recallable(community.code, membership_id)
        member_name = membership.person_name
    reasons = mask_text(text(reasons, "reasons", _("reasons")))
    profile = law.profile_for(community.code)
    if via == RecallPetition.Via.REPRESENTATIVES:
        base = selectors.serving(community.code).count()
        needed = profile.needed("recall_initiation_representatives", base)
    else:
        base = voters_in(community.code, area, today()).count()
        needed = law.recall_signatures_needed(profile, base)
    petition = RecallPetition(
        community_code=community.code, area_code=community.code, membership=membership,
        representative=representative, member_name=member_name, reasons=reasons,
        initiator=person, via=via, voters=base, signatures_needed=needed, signature_count=1,
        profile_version=profile.version)
    refused = may_sign_recall(actor, petition, Ctx(on=today(), inputs={"resident": person}))
    if refused is not None:
        raise refused
    with transaction.atomic():
        petition.save()
        RecallSignature.objects.create(petition=petition, resident=person)
        record(actor=actor, action=AuditAction.RECALL_START, obj=petition,
               area_code=community.code,
               changes={"member": petition.member_name,
                        "membership": membership.pk if membership else None,
                        "representative": representative.pk if representative else None,
                        "via": via, "base": base, "needed": needed, "area": area,
                        "profile_version": profile.version})
        if petition.signature_count >= needed:
            RECALL.move(actor=actor, obj=petition, action=RA.THRESHOLD)
    return petition


def sign_recall(*, actor: Any, petition_id: int,
                resident_id: int | None = None) -> RecallPetition:
    """Sign once, only if entitled; signing stops at the threshold (ADR 0503)."""
    petition = get(RecallPetition, petition_id, _("Recall petition"))
    person = person_for(actor, petition.community_code, resident_id)
    with transaction.atomic():
        petition = locked(RecallPetition, petition_id, _("Recall petition"))
        if petition.state != R.COLLECTING:
            raise Conflict(_("This petition is not collecting signatures any more."),
                           code=Code.SIGNING_CLOSED, details={"state": petition.state})
        try:
            with transaction.atomic():
                RecallSignature.objects.create(petition=petition, resident=person)
        except IntegrityError:
            raise Conflict(_("You have already signed this petition."),
                           code=Code.ALREADY_SIGNED) from None
        petition.signature_count = petition.signatures.count()
        RECALL.move(actor=actor, obj=petition, action=RA.SIGN, inputs={"resident": person},
                    update_fields=["signature_count"],
                    changes={"resident": person.pk, "count": petition.signature_count})
        if petition.signature_count >= petition.signatures_needed:
            RECALL.move(actor=actor, obj=petition, action=RA.THRESHOLD)
    return petition


def record_recall_reply(*, actor: Any, petition_id: int, reply: str) -> RecallPetition:
    """The member's written reply (申辩意见), published with the petition."""
    petition = get(RecallPetition, petition_id, _("Recall petition"))
    authz.check(actor, Perm.MANAGE, petition.area_code)
    reply = mask_text(text(reply, "reply", _("reply")))
    with transaction.atomic():
        petition = locked(RecallPetition, petition_id, _("Recall petition"))
        petition.reply, petition.replied_at = reply, timezone.now()
        RECALL.move(actor=actor, obj=petition, action=RA.REPLY,
                    update_fields=["reply", "replied_at"])
    return petition


def recall_base(petition: RecallPetition, voted_on: date) -> int:
    """The registered voters of the recall vote: the community's eligible voters on the
    day of the vote (VCL Art. 16: 登记参加选举的村民), from the register, never typed."""
    return facade.eligible_voters(petition.community_code, voted_on).count()


def record_recall_result(*, actor: Any, petition_id: int, cast: int, approve: int,
                         registered: int | None = None,
                         voted_on: date | None = None) -> RecallPetition:
    """Only for a petition that was waiting for its result before recall votes ran in
    elections (``legacy_figures``, ADR 0513): the election committee enters the ballots of
    a vote held on paper; the base (registered voters) is counted from the register on
    the day of the vote, and a ``registered`` figure that does not match it is refused
    (ADR 0510). Validity and outcome follow the profile (ADR 0504)."""
    petition = get(RecallPetition, petition_id, _("Recall petition"))
    authz.check(actor, Perm.SUPERVISE, petition.area_code)
    if not petition.legacy_figures or petition.vote_id is not None:
        raise Conflict(_("The result of a recall comes from its vote's tally in the elections "
                         "module (roll, polling stations, double entry); it cannot be typed "
                         "in."), code=Code.RESULT_FROM_VOTE)
    day = today()
    voted_on = voted_on or day
    if voted_on > day:
        raise BusinessError(_("The vote's result can be recorded only on or after the day of "
                              "the vote (%(d)s).") % {"d": voted_on.isoformat()},
                            code=Code.TOO_EARLY, details={"voted_on": voted_on})
    if voted_on < timezone.localdate(petition.created_at):
        raise BusinessError(_("The vote cannot be before the petition (%(d)s).")
                            % {"d": timezone.localdate(petition.created_at).isoformat()},
                            code=Code.BAD_DATES, details={"voted_on": voted_on})
    base = recall_base(petition, voted_on)
    if registered is not None and registered != base:
        raise BusinessError(
            _("The register counts %(base)d voters in this community on %(d)s; "
              "%(given)d registered voters does not match it.")
            % {"base": base, "d": voted_on.isoformat(), "given": registered},
            code=Code.BASE_MISMATCH, details={"registered": registered, "roll": base})
    if not 0 <= approve <= cast <= base:
        raise BusinessError(_("Figures must satisfy 0 ≤ approve ≤ ballots cast ≤ registered "
                              "voters (%(base)d on the register).") % {"base": base},
                            code=Code.BAD_FIGURES,
                            details={"registered": base, "cast": cast, "approve": approve})
    profile = law.profile_for(petition.community_code)
    with transaction.atomic():
        petition = locked(RecallPetition, petition_id, _("Recall petition"))
        if petition.state == R.COLLECTING:
            raise InvalidTransition(_("The petition has not reached its threshold."),
                                    code=Code.BELOW_THRESHOLD)
        petition.registered, petition.cast, petition.approve = base, cast, approve
        if not law.recall_valid(profile, cast, base):
            petition.outcome = RecallPetition.Outcome.INVALID
        elif law.recall_passed(profile, approve, cast):
            petition.outcome = RecallPetition.Outcome.RECALLED
        else:
            petition.outcome = RecallPetition.Outcome.NOT_RECALLED
        petition.profile_version = profile.version
        RECALL.move(actor=actor, obj=petition, action=RA.RESULT,
                    update_fields=["registered", "cast", "approve", "outcome",
                                   "profile_version"],
                    changes={"registered": base, "cast": cast, "approve": approve,
                             "voted_on": voted_on, "outcome": petition.outcome,
                             "profile_version": profile.version})
        membership = petition.membership
        if (petition.outcome == RecallPetition.Outcome.RECALLED and membership is not None
                and (membership.end_date is None or membership.end_date > day)):
            # A passed recall ends the term the same day (村民委员会组织法 Art. 16).
            facade.end_membership(actor=actor, membership_id=membership.pk, end_date=day,
                                  reason=EndReason.RECALLED)
        rep = petition.representative
        if (petition.outcome == RecallPetition.Outcome.RECALLED and rep is not None
                and rep.status == Representative.Status.ACTIVE):
            rep = locked(Representative, rep.pk, _("Representative"))
            rep.ended_on = day
            rep.end_reason = str(_("Recalled by the residents"))
            REPRESENTATIVE.move(actor=actor, obj=rep, action=Representative.Action.END, on=day,
                                update_fields=["ended_on", "end_reason"],
                                changes={"reason": "recalled", "petition": petition.pk})
    return petition


# ---------------------------------------------------------------- the vote (ADR 0513)


def _still_serving(petition: RecallPetition, day: date) -> bool:
    if petition.representative is not None:
        rep = petition.representative
        return rep.status == Representative.Status.ACTIVE and (
            rep.ended_on is None or rep.ended_on >= day)
    m = petition.membership
    return m is not None and m.start_date <= day and (m.end_date is None or m.end_date >= day)


def schedule_recall_vote(*, actor: Any, petition_id: int, voting_day: date,
                         stations: list[dict[str, str]] | None = None,
                         on: date | None = None) -> RecallPetition:
    """Once the petition has reached its threshold, the election committee sets up the
    recall vote in the elections module (``elections.facade.create_recall_ballot``): the
    roll of the community — of the representative's constituency for a representative —
    built from the register, the question "是否罢免 X", the polling stations. Everything
    after (publishing the roll, polling, the two entries of each tally, counting,
    announcing) happens there; the announced result comes back (:func:`apply_vote_result`).
    A member who has already left cannot be put to the vote (the recall ends)."""
    petition = get(RecallPetition, petition_id, _("Recall petition"))
    authz.check(actor, Perm.SUPERVISE, petition.area_code)
    day = on or today()
    started = timezone.localdate(petition.created_at)
    if day < started:
        raise BusinessError(_("The vote cannot be set up before the petition (%(d)s).")
                            % {"d": started.isoformat()}, code=Code.BAD_DATES,
                            details={"on": day, "petition": started})
    with transaction.atomic():
        petition = locked(RecallPetition, petition_id, _("Recall petition"))
        RECALL.check(actor, petition, RA.SCHEDULE, on=day)
        if not _still_serving(petition, day):
            raise BusinessError(_("%(name)s is no longer a member: there is nobody to recall, "
                                  "and the recall ends.") % {"name": petition.member_name},
                                code=Code.NOT_SERVING)
        area = RECALL_AREA(petition)
        vote_id = elections_facade.create_recall_ballot(
            actor=actor, community_code=petition.community_code, voting_day=voting_day,
            subject=petition.member_name,
            roll_area_code="" if area == petition.community_code else area,
            stations=stations, on=on)
        petition.vote_id = vote_id
        RECALL.move(actor=actor, obj=petition, action=RA.SCHEDULE, on=day, checked=True,
                    update_fields=["vote"],
                    changes={"vote": vote_id, "voting_day": voting_day, "area": area})
    return petition


OUTCOMES = {elections_facade.RECALLED: RecallPetition.Outcome.RECALLED,
            elections_facade.NOT_RECALLED: RecallPetition.Outcome.NOT_RECALLED,
            elections_facade.INVALID_TURNOUT: RecallPetition.Outcome.INVALID,
            elections_facade.VOID: RecallPetition.Outcome.VOID}


def apply_vote_result(*, actor: Any, election_id: int, outcome: str, result: dict[str, Any],
                      day: date) -> RecallPetition | None:
    """The announced result of a recall vote (``elections.facade.recall_announced``, in
    the announcement's transaction): figures and outcome from the tally, never typed; a
    passed recall ends the membership (people's facade) or the representative's term that
    day. A member who left before voting day: the recall ended (``lapsed``), nothing is
    ended. A re-count's new announcement corrects the figures and outcome."""
    # lock the petition only: PostgreSQL refuses FOR UPDATE on the nullable side of a join
    petition = (RecallPetition.objects.select_for_update(of=("self",))
                .filter(vote_id=election_id)
                .select_related("membership", "representative").first())
    if petition is None:
        return None  # a recall vote nobody here asked for
    ballot = elections_facade.recall_ballot(election_id)
    voting_day = ballot.voting_day if ballot is not None else day
    rec = dict(result.get("recall") or {})
    figures = {"registered": int(rec.get("registered", 0)), "cast": int(rec.get("returned", 0)),
               "approve": int(rec.get("approve", 0))}
    new = OUTCOMES.get(outcome, RecallPetition.Outcome.INVALID)
    if petition.state == R.DECIDED:
        return _correct(actor, petition, election_id, new, figures, day)
    left_before = not _still_serving(petition, voting_day)
    for k, v in figures.items():
        setattr(petition, k, v)
    petition.outcome = RecallPetition.Outcome.LAPSED if left_before else new
    petition.decided_on = day
    petition._announced_vote = True  # type: ignore[attr-defined]
    RECALL.move(actor=actor, obj=petition, action=RA.RESULT, on=day, inputs={"ballot": True},
                update_fields=[*figures, "outcome", "decided_on"],
                changes={"vote": election_id, "outcome": petition.outcome,
                         "vote_outcome": outcome, **figures})
    if petition.outcome == RecallPetition.Outcome.RECALLED:
        _end_term(actor, petition, day)
    return petition


C = RecallPetition.Correction


def _correct(actor: Any, petition: RecallPetition, election_id: int, new: str,
             figures: dict[str, int], day: date) -> RecallPetition:
    """A re-count announced again (ADR 0604, 0513). A re-count corrects the count of the
    same vote, so the corrected result stands from the first announcement
    (``decided_on`` is kept; 村民委员会组织法 第十六条 ties the recall to the vote, not to
    the day its count was announced): a recall it overturns is taken back — the term
    ended by that recall is reinstated, unless it has since ended otherwise or someone
    else has taken the seat, which is recorded (``correction``) and left to be settled
    by hand — and a recall it passes ends the term as of the first announcement."""
    before = petition.outcome
    for k, v in figures.items():
        setattr(petition, k, v)
    if before != RecallPetition.Outcome.LAPSED:  # nobody to recall: nothing to correct
        petition.outcome = new
    was, now = before == RecallPetition.Outcome.RECALLED, petition.outcome == (
        RecallPetition.Outcome.RECALLED)
    effective = petition.decided_on or day
    if was and not now:
        petition.correction = _reinstate(actor, petition, effective)
    elif now and not was:
        ended = _end_term(actor, petition, effective, open_only=True)
        petition.correction = C.ENDED if ended else C.ALREADY_LEFT
    if was != now:
        petition.corrected_on = day
    petition.save(update_fields=[*figures, "outcome", "corrected_on", "correction"])
    record(actor=actor, action=AuditAction.RECALL_CORRECTED, obj=petition,
           area_code=petition.area_code,
           changes={"vote": election_id, "outcome": [before, petition.outcome], **figures,
                    "announced_on": day, "effective_from": effective,
                    "correction": petition.correction if was != now else ""})
    return petition


def _recalled_texts() -> set[str]:
    """The end reason :func:`_end_term` wrote on a representative's term (stored as the
    words of the language it was written in)."""
    out = set()
    for lang in ("zh-hans", "en"):
        with translation.override(lang):
            out.add(str(_("Recalled by the residents")))
    return out


def _reinstate(actor: Any, petition: RecallPetition, ended_on: date) -> str:
    """Take back the end the overturned recall wrote (its day and reason only)."""
    membership = petition.membership
    if membership is not None:
        refused = facade.reinstate_membership(
            actor=actor, membership_id=membership.pk, ended_on=ended_on,
            reason=EndReason.RECALLED, source=f"autonomy.recall:{petition.pk}")
        return {"": C.REINSTATED, facade.SUCCEEDED: C.SUCCEEDED}.get(
            refused, C.ENDED_OTHERWISE)
    rep = petition.representative
    if rep is None:
        return C.ENDED_OTHERWISE
    rep = locked(Representative, rep.pk, _("Representative"))
    if (rep.status != Representative.Status.ENDED or rep.ended_on != ended_on
            or rep.end_reason not in _recalled_texts()):
        return C.ENDED_OTHERWISE
    blocked = REPRESENTATIVE.refusal(SYSTEM, rep, Representative.Action.REINSTATE,
                                     on=today(), recall_overturned=True)
    if blocked is not None:  # a by-election filled the seat, or the term is over
        return C.SUCCEEDED
    before = (rep.ended_on, rep.end_reason)
    rep.ended_on, rep.end_reason = None, ""
    REPRESENTATIVE.move(actor=SYSTEM, obj=rep, action=Representative.Action.REINSTATE,
                        on=today(), inputs={"recall_overturned": True}, checked=True,
                        update_fields=["ended_on", "end_reason"],
                        changes={"petition": petition.pk, "ended_on": [before[0], None],
                                 "end_reason": [before[1], ""],
                                 "by": str(getattr(actor, "username", actor))})
    return C.REINSTATED


def _end_term(actor: Any, petition: RecallPetition, day: date, open_only: bool = False) -> bool:
    """A passed recall ends the term on ``day``, the day the result is announced (VCL
    Art. 16; after a re-count, the first announcement's). ``open_only`` (a re-count):
    a membership that has meanwhile been given an end keeps it. False when the member had
    already left (nothing to end)."""
    ended = False
    membership = petition.membership
    if membership is not None:
        membership = facade.membership(membership.pk)
    if membership is not None and (membership.end_date is None or (
            not open_only and membership.end_date > day)):
        facade.end_membership(actor=actor, membership_id=membership.pk, end_date=day,
                              reason=EndReason.RECALLED)
        ended = True
    elif membership is not None and (membership.end_date, membership.end_reason) == (
            day, EndReason.RECALLED):
        ended = True  # still ended by this recall (a re-count that was not reinstated)
    rep = petition.representative
    if rep is not None:
        rep = locked(Representative, rep.pk, _("Representative"))
        if rep.status == Representative.Status.ACTIVE:
            rep.ended_on = day
            rep.end_reason = str(_("Recalled by the residents"))
            REPRESENTATIVE.move(actor=SYSTEM, obj=rep, action=Representative.Action.END,
                                on=day, update_fields=["ended_on", "end_reason"],
                                changes={"reason": "recalled", "petition": petition.pk,
                                         "by": str(getattr(actor, "username", actor))})
            ended = True
        elif rep.ended_on == day and rep.end_reason in _recalled_texts():
            ended = True
    return ended


def on_recall_announced(sender: Any, *, election_id: int, outcome: str,
                        result: dict[str, Any], day: date, actor: Any,
                        **kwargs: Any) -> None:
    """Receiver of ``elections.facade.recall_announced`` (connected in ``apps.ready``)."""
    apply_vote_result(actor=actor, election_id=election_id, outcome=outcome, result=result,
                      day=day)
