"""Major-matter proposals (重大事项提案制): submitted by a representative, or by a resident
and co-signed by enough neighbours; reviewed, put on a meeting's agenda, decided, assigned,
implemented and rated by the residents. Every step is a ``PROPOSAL`` move."""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Avg, Count
from django.utils.translation import gettext_lazy as _

from shequ import authz
from shequ.areas.models import Area
from shequ.audit.services import record
from shequ.autonomy import rules as law
from shequ.autonomy import selectors
from shequ.autonomy.enums import AuditAction, Code, Perm
from shequ.autonomy.lifecycles import PROPOSAL, TEXTS, manages, write_proposal_event
from shequ.autonomy.models import CoSignature, Meeting, Proposal, ProposalEvent, Satisfaction
from shequ.autonomy.services.common import (
    community_area,
    get,
    in_range,
    locked,
    person_for,
    require_step,
    require_voter,
    today,
)
from shequ.autonomy.services.common import text as clean
from shequ.autonomy.services.meetings import new_motion
from shequ.core.errors import BusinessError, Conflict
from shequ.core.pii import mask_name, mask_text

P, PA = Proposal.State, Proposal.Action


def submit_proposal(*, actor: Any, community_code: str, title: str, body: str,
                    resident_id: int | None = None) -> Proposal:
    """A representative's proposal goes straight to review; a resident's collects the
    profile's number of co-signers first."""
    community = community_area(community_code)
    person = person_for(actor, community.code, resident_id)
    require_voter(person, community.code)
    title = clean(title, "title", _("title"), maxlen=200)
    body = mask_text(clean(body, "proposal", _("proposal")))
    profile = law.profile_for(community.code)
    rep = selectors.active_representative(person, community.code)
    via = Proposal.Via.REPRESENTATIVE if rep else Proposal.Via.RESIDENTS
    state = P.SUBMITTED if rep else P.COLLECTING
    year = today().year
    with transaction.atomic():
        Area.objects.select_for_update().filter(code=community.code).first()  # numbering
        n = Proposal.objects.filter(community_code=community.code,
                                    number__startswith=f"{community.code}-{year}-").count() + 1
        proposal = Proposal.objects.create(
            number=f"{community.code}-{year}-{n:04d}", community_code=community.code,
            area_code=person.area_code if person.area_code.startswith(community.code)
            else community.code, title=title, body=body, via=via, proposer=person,
            proposer_name=person.name, state=state,
            cosigners_needed=0 if rep else profile.number("proposal_cosigners"),
            profile_version=profile.version)
        write_proposal_event(proposal, action=PA.SUBMIT, target=state, actor=actor,
                             who=mask_name(person.name))
        record(actor=actor, action=AuditAction.PROPOSAL_SUBMIT, obj=proposal,
               area_code=proposal.area_code,
               changes={"via": via, "state": state, "profile_version": profile.version})
    return proposal


def edit_proposal(*, actor: Any, proposal_id: int, title: str, body: str,
                  resident_id: int | None = None) -> Proposal:
    """The proposer may change a proposal until the first co-signature."""
    proposal = get(Proposal, proposal_id, _("Proposal"))
    require_step(PROPOSAL, proposal, PA.EDIT)
    person = person_for(actor, proposal.community_code, resident_id)
    title = clean(title, "title", _("title"), maxlen=200)
    body = mask_text(clean(body, "proposal", _("proposal")))
    with transaction.atomic():
        proposal = locked(Proposal, proposal_id, _("Proposal"))
        proposal.title, proposal.body = title, body
        PROPOSAL.move(actor=actor, obj=proposal, action=PA.EDIT, inputs={"resident": person},
                      update_fields=["title", "body", "updated_at"], changes={"title": title})
    return proposal


def cosign_proposal(*, actor: Any, proposal_id: int,
                    resident_id: int | None = None) -> Proposal:
    """Sign once, only if eligible; the row lock makes parallel signatures near the
    threshold count exactly once each, and signing stops at the threshold (ADR 0503)."""
    proposal = get(Proposal, proposal_id, _("Proposal"))
    person = person_for(actor, proposal.community_code, resident_id)
    with transaction.atomic():
        proposal = locked(Proposal, proposal_id, _("Proposal"))
        if proposal.state != P.COLLECTING:
            raise Conflict(_("This proposal is not collecting co-signatures any more (it is "
                             "“%(s)s”).") % {"s": proposal.get_state_display()},
                           code=Code.SIGNING_CLOSED, details={"state": proposal.state})
        try:
            with transaction.atomic():
                CoSignature.objects.create(proposal=proposal, resident=person)
        except IntegrityError:
            raise Conflict(_("You have already co-signed this proposal."),
                           code=Code.ALREADY_SIGNED) from None
        profile = law.profile_for(proposal.community_code)
        proposal.cosigner_count = proposal.cosignatures.count()
        PROPOSAL.move(actor=actor, obj=proposal, action=PA.COSIGN, inputs={"resident": person},
                      update_fields=["cosigner_count", "updated_at"],
                      changes={"resident": person.pk, "count": proposal.cosigner_count,
                               "profile_version": profile.version})
        if law.cosigners_enough(profile, proposal.cosigner_count):
            PROPOSAL.move(actor=actor, obj=proposal, action=PA.COSIGNED,
                          inputs={"profile": profile}, who="",
                          data=TEXTS.stored("threshold", n=proposal.cosigner_count))
    return proposal


def comment_on_proposal(*, actor: Any, proposal_id: int, text: str,
                        resident_id: int | None = None) -> ProposalEvent:
    """A public comment while the proposal is open for them: staff comment as
    themselves, residents as their masked name."""
    proposal = get(Proposal, proposal_id, _("Proposal"))
    require_step(PROPOSAL, proposal, PA.COMMENT)
    inputs: dict[str, Any] = {}
    if resident_id is None and manages(actor, proposal):
        who = str(actor)
    else:
        person = person_for(actor, proposal.community_code, resident_id)
        inputs["resident"], who = person, mask_name(person.name)
    note = mask_text(clean(text, "comment", _("comment"), maxlen=2000))
    with transaction.atomic():
        proposal = locked(Proposal, proposal_id, _("Proposal"))
        PROPOSAL.move(actor=actor, obj=proposal, action=PA.COMMENT, inputs=inputs,
                      update_fields=["updated_at"], who=who, note=note)
        return proposal.events.order_by("-pk")[0]


def _staff_step(actor: Any, proposal_id: int, action: str, *, note: str = "",
                data: dict[str, Any] | None = None, inputs: dict[str, Any] | None = None,
                **fields: Any) -> Proposal:
    proposal = get(Proposal, proposal_id, _("Proposal"))
    authz.check(actor, Perm.MANAGE, proposal.area_code)
    with transaction.atomic():
        proposal = locked(Proposal, proposal_id, _("Proposal"))
        for name, value in fields.items():
            setattr(proposal, name, value)
        PROPOSAL.move(actor=actor, obj=proposal, action=action, inputs=inputs, note=note,
                      data=data, changes={"note": note, **{k: v for k, v in fields.items()
                                                           if not hasattr(v, "pk")}})
    return proposal


def review_proposal(*, actor: Any, proposal_id: int, admit: bool, reason: str) -> Proposal:
    """Admit for deliberation or not; the reasons are published either way."""
    reason = clean(reason, "reasons", _("reasons"), maxlen=2000)
    return _staff_step(actor, proposal_id, PA.ADMIT if admit else PA.REJECT, note=reason,
                       review_reason=reason)


def schedule_proposal(*, actor: Any, proposal_id: int, meeting_id: int) -> Proposal:
    """Put an admitted proposal on a meeting's agenda as a motion."""
    proposal = get(Proposal, proposal_id, _("Proposal"))
    meeting = get(Meeting, meeting_id, _("Meeting"))
    if meeting.community_code != proposal.community_code:
        raise BusinessError(_("The meeting belongs to another community."),
                            code=Code.OTHER_COMMUNITY)
    authz.check(actor, Perm.MANAGE, meeting.area_code)
    with transaction.atomic():
        proposal = locked(Proposal, proposal_id, _("Proposal"))
        meeting = locked(Meeting, meeting_id, _("Meeting"))
        PROPOSAL.check(actor, proposal, PA.SCHEDULE, meeting=meeting)
        motion = new_motion(actor, meeting, title=f"{proposal.number} {proposal.title}",
                            text_=proposal.body, personnel=False)
        proposal.meeting, proposal.motion = meeting, motion
        PROPOSAL.move(actor=actor, obj=proposal, action=PA.SCHEDULE, inputs={"meeting": meeting},
                      note=f"{meeting.title} ({meeting.held_on})",
                      changes={"meeting": meeting.pk, "motion": motion.pk})
    return proposal


DEADLINE_HORIZON_YEARS = 5  # within a committee's term (RCL/VCL: 每届任期五年)


def assign_proposal(*, actor: Any, proposal_id: int, assignee: str,
                    deadline: date | None) -> Proposal:
    """Who implements an adopted proposal, by when (not a day in the past, within the
    five years of a committee's term)."""
    day = today()
    deadline = in_range(deadline, "deadline", _("deadline"), earliest=day,
                        latest=date(day.year + DEADLINE_HORIZON_YEARS, day.month,
                                    min(day.day, 28)))
    assignee = clean(assignee, "assignee", _("implemented by"), maxlen=150)
    return _staff_step(actor, proposal_id, PA.ASSIGN, note=f"{assignee}, {deadline}",
                       inputs={"deadline": deadline}, assignee=assignee, deadline=deadline)


def report_progress(*, actor: Any, proposal_id: int, note: str) -> ProposalEvent:
    note = mask_text(clean(note, "progress", _("progress"), maxlen=2000))
    proposal = _staff_step(actor, proposal_id, PA.PROGRESS, note=note)
    return proposal.events.order_by("-pk")[0]


def complete_proposal(*, actor: Any, proposal_id: int, feedback: str) -> Proposal:
    feedback = mask_text(clean(feedback, "feedback", _("feedback"), maxlen=5000))
    return _staff_step(actor, proposal_id, PA.COMPLETE, note=feedback, feedback=feedback)


def rate_proposal(*, actor: Any, proposal_id: int, score: int,
                  resident_id: int | None = None) -> Satisfaction:
    """A resident's satisfaction with the result, 1 to 5, once."""
    proposal = get(Proposal, proposal_id, _("Proposal"))
    person = person_for(actor, proposal.community_code, resident_id)
    if not 1 <= score <= 5:
        raise BusinessError(_("Satisfaction is rated from 1 to 5."), code=Code.BAD_SCORE)
    with transaction.atomic():
        proposal = locked(Proposal, proposal_id, _("Proposal"))
        PROPOSAL.move(actor=actor, obj=proposal, action=PA.RATE, inputs={"resident": person},
                      update_fields=(), changes={"score": score})
        try:
            with transaction.atomic():
                return Satisfaction.objects.create(proposal=proposal, resident=person,
                                                   score=score)
        except IntegrityError:
            raise Conflict(_("You have already rated this proposal."),
                           code=Code.ALREADY_RATED) from None


def close_proposal(*, actor: Any, proposal_id: int) -> Proposal:
    """Close with the residents' average satisfaction (two decimals)."""
    agg = Satisfaction.objects.filter(proposal_id=proposal_id).aggregate(a=Avg("score"),
                                                                          n=Count("pk"))
    value = (Decimal(str(agg["a"])).quantize(Decimal("0.01"), ROUND_HALF_UP)
             if agg["a"] is not None else None)
    data = (TEXTS.stored("satisfaction", v=str(value), n=agg["n"]) if value is not None
            else TEXTS.stored("no_ratings"))
    return _staff_step(actor, proposal_id, PA.CLOSE, data=data, satisfaction=value)


def withdraw_proposal(*, actor: Any, proposal_id: int,
                      resident_id: int | None = None) -> Proposal:
    """The proposer withdraws, until the proposal is on a meeting's agenda."""
    proposal = get(Proposal, proposal_id, _("Proposal"))
    person = person_for(actor, proposal.community_code, resident_id)
    with transaction.atomic():
        proposal = locked(Proposal, proposal_id, _("Proposal"))
        PROPOSAL.move(actor=actor, obj=proposal, action=PA.WITHDRAW, inputs={"resident": person},
                      who=mask_name(person.name))
    return proposal
