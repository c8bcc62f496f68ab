"""Recall (罢免): a petition by voters (≥ 1/5) or by representatives (≥ 1/3), the member's
written reply, and the vote's result entered by the election committee; a passed recall
of a named membership ends that term the same day (村民委员会组织法 Art. 16; ADR 0504)."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shequ import authz
from shequ.audit.services import record
from shequ.autonomy import rules as law
from shequ.autonomy import selectors
from shequ.autonomy.enums import AuditAction, Code, Perm
from shequ.autonomy.lifecycles import RECALL, may_sign_recall
from shequ.autonomy.models import RecallPetition, RecallSignature
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
from shequ.lifecycle import Ctx
from shequ.people import facade
from shequ.people.enums import EndReason

R, RA = RecallPetition.State, RecallPetition.Action


def start_recall(*, actor: Any, community_code: str, member_name: str, reasons: str,
                 membership_id: int | None = None, resident_id: int | None = None,
                 via: str = RecallPetition.Via.VOTERS) -> RecallPetition:
    """A recall petition by voters (≥ 1/5 of them) or by representatives (≥ 1/3 of the
    serving ones), 村民委员会组织法 Art. 16; the initiator signs first, and the threshold
    is fixed when the petition starts."""
    community = community_area(community_code)
    person = person_for(actor, community.code, resident_id)
    if via not in RecallPetition.Via.values:
        raise BusinessError(_("A recall is started by voters or by representatives."),
                            code=Code.BAD_VIA)
    membership = None
    if membership_id is not None:
        membership = facade.membership(membership_id)
        if membership is None:
            raise NotFound(details={"membership_id": membership_id})
        if not membership.body.area_code.startswith(community.code):
            raise BusinessError(_("That member does not serve in this community."),
                                code=Code.OTHER_COMMUNITY)
        member_name = membership.person_name
    member_name = text(member_name, "member", _("member"), maxlen=100)
    reasons = mask_text(text(reasons, "reasons", _("reasons")))
    profile = law.profile_for(community.code)
    if via == RecallPetition.Via.REPRESENTATIVES:
        base = selectors.serving(community.code).count()
        needed = profile.needed("recall_initiation_representatives", base)
    else:
        base = facade.eligible_voters(community.code, today()).count()
        needed = law.recall_signatures_needed(profile, base)
    petition = RecallPetition(
        community_code=community.code, area_code=community.code, membership=membership,
        member_name=member_name, reasons=reasons, initiator=person, via=via, voters=base,
        signatures_needed=needed, signature_count=1, profile_version=profile.version)
    refused = may_sign_recall(actor, petition, Ctx(on=today(), inputs={"resident": person}))
    if refused is not None:
        raise refused
    with transaction.atomic():
        petition.save()
        RecallSignature.objects.create(petition=petition, resident=person)
        record(actor=actor, action=AuditAction.RECALL_START, obj=petition,
               area_code=community.code,
               changes={"member": petition.member_name, "via": via, "base": base,
                        "needed": needed, "profile_version": profile.version})
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


def record_recall_result(*, actor: Any, petition_id: int, registered: int, cast: int,
                         approve: int) -> RecallPetition:
    """The election committee enters the vote (until ``elections`` runs recall votes);
    validity and outcome follow the profile (ADR 0504)."""
    petition = get(RecallPetition, petition_id, _("Recall petition"))
    authz.check(actor, Perm.SUPERVISE, petition.area_code)
    if not 0 <= approve <= cast <= registered:
        raise BusinessError(_("Figures must satisfy 0 ≤ approve ≤ ballots cast ≤ registered "
                              "voters."), code=Code.BAD_FIGURES,
                            details={"registered": registered, "cast": cast, "approve": approve})
    profile = law.profile_for(petition.community_code)
    with transaction.atomic():
        petition = locked(RecallPetition, petition_id, _("Recall petition"))
        if petition.state == R.COLLECTING:
            raise InvalidTransition(_("The petition has not reached its threshold."),
                                    code=Code.BELOW_THRESHOLD)
        petition.registered, petition.cast, petition.approve = registered, cast, approve
        if not law.recall_valid(profile, cast, registered):
            petition.outcome = RecallPetition.Outcome.INVALID
        elif law.recall_passed(profile, approve, cast):
            petition.outcome = RecallPetition.Outcome.RECALLED
        else:
            petition.outcome = RecallPetition.Outcome.NOT_RECALLED
        petition.profile_version = profile.version
        RECALL.move(actor=actor, obj=petition, action=RA.RESULT,
                    update_fields=["registered", "cast", "approve", "outcome",
                                   "profile_version"],
                    changes={"registered": registered, "cast": cast, "approve": approve,
                             "outcome": petition.outcome, "profile_version": profile.version})
        membership = petition.membership
        day = today()
        if (petition.outcome == RecallPetition.Outcome.RECALLED and membership is not None
                and (membership.end_date is None or membership.end_date > day)):
            # A passed recall ends the term the same day (村民委员会组织法 Art. 16).
            facade.end_membership(actor=actor, membership_id=membership.pk, end_date=day,
                                  reason=EndReason.RECALLED)
    return petition
