"""Use cases of resident self-governance. Every function: keyword-only, ``actor`` first,
one transaction, permission check, audit entry; a refusal is a ``BusinessError`` whose
message says why. Pages, the API and the CLI call exactly these."""

from __future__ import annotations

import re
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Avg
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from shequ import authz
from shequ.areas.models import Area
from shequ.audit.services import record
from shequ.autonomy import states
from shequ.autonomy.models import (
    Attendance,
    Ballot,
    Choice,
    Constituency,
    CoSignature,
    Disclosure,
    EvaluationAnswer,
    EvaluationBallot,
    EvaluationCampaign,
    EvaluationTarget,
    Meeting,
    Motion,
    Proposal,
    ProposalEvent,
    Question,
    RecallPetition,
    RecallSignature,
    Representative,
    RuleOverride,
    Satisfaction,
    Verdict,
    VoteCast,
)
from shequ.autonomy.rules import PROFILES, Profile, coerce, profile_for
from shequ.core.errors import BusinessError, Conflict, Forbidden, InvalidTransition, NotFound
from shequ.people import facade
from shequ.people import services as people_services
from shequ.people.models import Membership, Resident

# ---------------------------------------------------------------- helpers

ID_RE = re.compile(r"(?<!\d)(\d{6})\d{8}(\d{3}[\dXx])(?![\dXx])")
PHONE_RE = re.compile(r"(?<!\d)(1[3-9]\d)\d{4}(\d{4})(?!\d)")


def mask_name(name: str) -> str:
    """张三 → 张*, 欧阳修文 → 欧***: names of residents in anything public."""
    name = name.strip()
    return name[:1] + "*" * max(len(name) - 1, 1) if name else ""


def mask_text(text: str) -> str:
    """Mask identity numbers and mobile numbers in text that will be published."""
    text = ID_RE.sub(lambda m: m.group(0)[:6] + "********" + m.group(0)[-4:], text)
    return PHONE_RE.sub(lambda m: f"{m.group(1)}****{m.group(2)}", text)


def today() -> date:
    return timezone.localdate()


def _community(code: str) -> Area:
    area = Area.objects.filter(code=code[:12]).first()
    if area is None or len(area.code) != 12:
        raise NotFound(_("Unknown community: %(c)s.") % {"c": code}, code="unknown_community",
                       details={"community_code": code})
    return area


def _get(model: Any, pk: int, what: str | Promise) -> Any:
    obj = model.objects.filter(pk=pk).first()
    if obj is None:
        raise NotFound(_("%(what)s %(id)s does not exist.") % {"what": what, "id": pk},
                       details={"id": pk})
    return obj


def _locked(model: Any, pk: int, what: str | Promise) -> Any:
    obj = model.objects.select_for_update().filter(pk=pk).first()
    if obj is None:
        raise NotFound(_("%(what)s %(id)s does not exist.") % {"what": what, "id": pk},
                       details={"id": pk})
    return obj


def _text(value: str, field: str, *, maxlen: int = 10000) -> str:
    value = (value or "").strip()
    if not value:
        raise BusinessError(_("Please fill in “%(f)s”.") % {"f": field}, code="required",
                            details={"field": field})
    if len(value) > maxlen:
        raise BusinessError(_("“%(f)s” is too long (at most %(n)d characters).")
                            % {"f": field, "n": maxlen}, code="too_long",
                            details={"field": field, "max": maxlen})
    return value


def _who(actor: Any) -> str:
    return str(actor)


def person_for(actor: Any, community_code: str, resident_id: int | None = None,
               *, perm: str = "autonomy.participate") -> Resident:
    """The resident acting: the actor's own linked resident, or (staff registering a
    paper form, the CLI) the resident named by ``resident_id``."""
    if getattr(actor, "is_authenticated", False) is not True:
        authz.check(actor, perm, community_code)  # AuthRequired
    own = None
    if getattr(actor, "pk", None) is not None:
        own = Resident.objects.filter(user_id=actor.pk).first()
    if resident_id is not None and (own is None or own.pk != resident_id):
        if not authz.has_perm(actor, "autonomy.manage", community_code):
            authz.check(actor, perm, community_code)
            raise Forbidden(_("You can only act for yourself."), code="not_yourself")
        resident: Resident = _get(Resident, resident_id, _("Resident"))
        return resident
    authz.check(actor, perm, community_code)
    if own is None:
        raise Forbidden(_("Your account is not linked to a resident record. Ask your "
                          "community worker to link it."), code="not_linked")
    return own


def _require_voter(resident: Resident, community_code: str) -> None:
    if not facade.eligible_voters(community_code, today()).filter(pk=resident.pk).exists():
        raise Forbidden(_("Only residents of this community aged 18 or over with political "
                          "rights may do this (居民委员会组织法 Art. 8)."),
                        code="not_eligible", details={"community_code": community_code})


# ---------------------------------------------------------------- rules and accounts

def set_rule_override(*, actor: Any, profile: str, key: str, area_code: str, value: str,
                      citation: str) -> RuleOverride:
    authz.check(actor, "autonomy.rules", area_code)
    if profile not in PROFILES or key not in PROFILES[profile]:
        raise BusinessError(_("Unknown rule %(p)s.%(k)s.") % {"p": profile, "k": key},
                            code="unknown_rule")
    if len(area_code) not in (2, 4, 6, 9, 12):
        raise BusinessError(_("Overrides are set for a province, city, district, street or "
                              "community code."), code="bad_area")
    try:
        clean = str(coerce(PROFILES[profile][key], value))
    except (ValueError, ZeroDivisionError):
        raise BusinessError(_("“%(v)s” is not a valid value for this rule.") % {"v": value},
                            code="bad_value", details={"value": value}) from None
    citation = _text(citation, "citation", maxlen=300)
    with transaction.atomic():
        row, _created = RuleOverride.objects.update_or_create(
            profile=profile, key=key, area_code=area_code,
            defaults={"value": clean, "citation": citation})
        record(actor=actor, action="autonomy.rule_override", obj=row, area_code=area_code,
               changes={"profile": profile, "key": key, "value": clean, "citation": citation})
    return row


# ---------------------------------------------------------------- representatives

def create_constituency(*, actor: Any, community_code: str, name: str, kind: str,
                        households: int, area_code: str = "") -> Constituency:
    community = _community(community_code)
    authz.check(actor, "autonomy.manage", community.code)
    if kind not in Constituency.Kind.values:
        raise BusinessError(_("Unknown constituency kind."), code="bad_kind")
    if households < 0:
        raise BusinessError(_("Households cannot be negative."), code="negative")
    area_code = area_code or community.code
    if not area_code.startswith(community.code):
        raise BusinessError(_("The constituency must lie in the community."), code="bad_area")
    profile = profile_for(community.code)
    with transaction.atomic():
        obj, _created = Constituency.objects.update_or_create(
            community_code=community.code, name=_text(name, "name", maxlen=100),
            defaults={"kind": kind, "households": households, "area_code": area_code,
                      "seats": profile.representatives_for(households),
                      "profile_version": profile.version})
        record(actor=actor, action="autonomy.constituency", obj=obj, area_code=area_code,
               changes={"households": households, "seats": obj.seats,
                        "profile_version": profile.version})
    return obj


def _appoint(constituency: Constituency, resident: Resident, *, term_start: date,
             term_end: date, duties: str, source: str,
             replaces: Representative | None) -> Representative:
    _require_voter(resident, constituency.community_code)
    active = constituency.representatives.filter(status=Representative.Status.ACTIVE)
    if active.count() >= constituency.seats:
        raise Conflict(_("All %(n)d seats of %(c)s are filled.")
                       % {"n": constituency.seats, "c": constituency.name}, code="seats_full",
                       details={"seats": constituency.seats})
    try:
        with transaction.atomic():
            return Representative.objects.create(
                constituency=constituency, resident=resident, name=resident.name,
                community_code=constituency.community_code, area_code=constituency.area_code,
                term_start=term_start, term_end=term_end, duties=duties, source=source,
                replaces=replaces)
    except IntegrityError:
        raise Conflict(_("This resident is already a serving representative."),
                       code="already_representative") from None


def appoint_representative(*, actor: Any, constituency_id: int, resident_id: int,
                           term_start: date, duties: str = "") -> Representative:
    constituency = _get(Constituency, constituency_id, _("Constituency"))
    authz.check(actor, "autonomy.manage", constituency.area_code)
    resident = _get(Resident, resident_id, _("Resident"))
    profile = profile_for(constituency.community_code)
    years = int(profile.value("representative_term_years"))
    term_end = date(term_start.year + years, term_start.month, min(term_start.day, 28)) \
        - timedelta(days=1)
    with transaction.atomic():
        Constituency.objects.select_for_update().get(pk=constituency.pk)
        rep = _appoint(constituency, resident, term_start=term_start, term_end=term_end,
                       duties=duties, source=Representative.Source.ELECTION, replaces=None)
        record(actor=actor, action="autonomy.representative_appoint", obj=rep,
               area_code=rep.area_code, changes={"resident": resident.pk, "term_start": term_start,
                                                 "term_end": term_end,
                                                 "profile_version": profile.version})
    return rep


def end_representative(*, actor: Any, representative_id: int, reason: str,
                       on: date | None = None) -> Representative:
    rep = _get(Representative, representative_id, _("Representative"))
    authz.check(actor, "autonomy.manage", rep.area_code)
    if rep.status != Representative.Status.ACTIVE:
        raise Conflict(_("This representative's term has already ended."), code="closed")
    with transaction.atomic():
        rep.status = Representative.Status.ENDED
        rep.ended_on = on or today()
        rep.end_reason = _text(reason, "reason", maxlen=200)
        rep.save()
        record(actor=actor, action="autonomy.representative_end", obj=rep,
               area_code=rep.area_code, changes={"reason": rep.end_reason, "on": rep.ended_on})
    return rep


def by_elect(*, actor: Any, representative_id: int, resident_id: int, reason: str = "",
             on: date | None = None) -> Representative:
    """Replace a representative (ending their term if still serving) by someone elected
    in a by-election, for the rest of the term."""
    old = _get(Representative, representative_id, _("Representative"))
    authz.check(actor, "autonomy.manage", old.area_code)
    resident = _get(Resident, resident_id, _("Resident"))
    on = on or today()
    if old.successors.exists():
        raise Conflict(_("This seat has already been filled by a by-election."),
                       code="already_replaced")
    with transaction.atomic():
        Constituency.objects.select_for_update().get(pk=old.constituency_id)
        if old.status == Representative.Status.ACTIVE:
            old.status = Representative.Status.ENDED
            old.ended_on = on
            old.end_reason = _text(reason, "reason", maxlen=200)
            old.save()
        new = _appoint(old.constituency, resident, term_start=on, term_end=old.term_end,
                       duties=old.duties, source=Representative.Source.BY_ELECTION, replaces=old)
        record(actor=actor, action="autonomy.by_election", obj=new, area_code=new.area_code,
               changes={"replaces": old.pk, "resident": resident.pk, "on": on})
    return new


def active_representative(resident: Resident, community_code: str) -> Representative | None:
    return Representative.objects.filter(resident=resident, community_code=community_code,
                                         status=Representative.Status.ACTIVE).first()


# ---------------------------------------------------------------- meetings

def convene_meeting(*, actor: Any, community_code: str, title: str, agenda: str,
                    held_on: date, notice_on: date | None = None,
                    location: str = "") -> Meeting:
    community = _community(community_code)
    authz.check(actor, "autonomy.manage", community.code)
    profile = profile_for(community.code)
    notice_on = notice_on or today()
    if not profile.notice_sufficient(notice_on, held_on):
        raise BusinessError(
            _("The notice with the agenda must go out at least %(n)d days before the meeting "
              "(%(cite)s).") % {"n": profile.value("notice_days"),
                                "cite": profile.rules["notice_days"].citation},
            code="notice_too_short",
            details={"notice_days": profile.value("notice_days"),
                     "given": (held_on - notice_on).days})
    members = Representative.objects.filter(community_code=community.code,
                                            status=Representative.Status.ACTIVE).count()
    kind = Meeting.Kind.CONFERENCE if profile.key == "urban" else Meeting.Kind.COUNCIL
    with transaction.atomic():
        meeting = Meeting.objects.create(
            community_code=community.code, area_code=community.code, kind=kind,
            title=_text(title, "title", maxlen=200), agenda=_text(agenda, "agenda"),
            location=location, notice_on=notice_on, held_on=held_on, members=members,
            profile_version=profile.version)
        record(actor=actor, action="autonomy.meeting_convene", obj=meeting,
               area_code=community.code, changes={"held_on": held_on, "notice_on": notice_on,
                                                  "profile_version": profile.version})
    return meeting


def record_attendance(*, actor: Any, meeting_id: int, present_ids: list[int]) -> Meeting:
    meeting = _get(Meeting, meeting_id, _("Meeting"))
    authz.check(actor, "autonomy.manage", meeting.area_code)
    profile = profile_for(meeting.community_code)
    with transaction.atomic():
        meeting = _locked(Meeting, meeting_id, _("Meeting"))
        if meeting.status != Meeting.Status.NOTIFIED:
            raise Conflict(_("Attendance has already been recorded for this meeting."),
                           code="attendance_recorded")
        members = list(Representative.objects.filter(community_code=meeting.community_code,
                                                     status=Representative.Status.ACTIVE))
        member_ids = {m.pk for m in members}
        unknown = set(present_ids) - member_ids
        if unknown:
            raise BusinessError(_("Only serving representatives of this community can attend."),
                                code="not_member", details={"ids": sorted(unknown)})
        Attendance.objects.bulk_create([Attendance(meeting=meeting, representative=m,
                                                   present=m.pk in set(present_ids))
                                        for m in members])
        meeting.members = len(members)
        meeting.present = len(set(present_ids))
        meeting.quorate = profile.quorate(meeting.present, meeting.members)
        meeting.status = Meeting.Status.OPEN if meeting.quorate else Meeting.Status.NO_QUORUM
        meeting.profile_version = profile.version
        meeting.save()
        if not meeting.quorate:
            for proposal in Proposal.objects.select_for_update().filter(
                    meeting=meeting, state=states.SCHEDULED):
                states.transition(proposal, "unschedule", who=_who(actor),
                                  data=states.text("no_quorum"))
        record(actor=actor, action="autonomy.meeting_attendance", obj=meeting,
               area_code=meeting.area_code,
               changes={"members": meeting.members, "present": meeting.present,
                        "quorate": meeting.quorate, "profile_version": profile.version})
    return meeting


def add_motion(*, actor: Any, meeting_id: int, title: str, text: str = "",
               personnel: bool = False) -> Motion:
    meeting = _get(Meeting, meeting_id, _("Meeting"))
    authz.check(actor, "autonomy.manage", meeting.area_code)
    with transaction.atomic():
        motion = _new_motion(meeting, title=title, text=text, personnel=personnel)
        record(actor=actor, action="autonomy.motion_add", obj=motion, area_code=meeting.area_code,
               changes={"title": motion.title, "secret": motion.secret})
    return motion


def _new_motion(meeting: Meeting, *, title: str, text: str, personnel: bool) -> Motion:
    if meeting.status not in (Meeting.Status.NOTIFIED, Meeting.Status.OPEN):
        raise Conflict(_("This meeting can take no more motions."), code="meeting_closed")
    profile = profile_for(meeting.community_code)
    return Motion.objects.create(meeting=meeting, title=_text(title, "title", maxlen=200),
                                 text=text, personnel=personnel,
                                 secret=profile.secret(personnel), area_code=meeting.area_code,
                                 profile_version=profile.version)


def cast_vote(*, actor: Any, motion_id: int, choice: str,
              representative_id: int | None = None) -> VoteCastResult:
    motion = _get(Motion, motion_id, _("Motion"))
    meeting = motion.meeting
    if choice not in Choice.values:
        raise BusinessError(_("A vote is for, against or abstain."), code="bad_choice")
    if representative_id is None:
        resident = person_for(actor, meeting.community_code, perm="autonomy.vote")
        rep = active_representative(resident, meeting.community_code)
        if rep is None:
            raise Forbidden(_("Only serving representatives vote in this meeting."),
                            code="not_representative")
    else:
        authz.check(actor, "autonomy.manage", meeting.area_code)
        rep = _get(Representative, representative_id, _("Representative"))
    if meeting.status == Meeting.Status.NO_QUORUM or (meeting.status == Meeting.Status.OPEN
                                                      and not meeting.quorate):
        raise Conflict(_("This meeting has no quorum, so it can decide nothing."),
                       code="no_quorum", details={"present": meeting.present,
                                                  "members": meeting.members})
    if meeting.status != Meeting.Status.OPEN:
        raise Conflict(_("Voting is possible only while the meeting is in session."),
                       code="not_in_session")
    if motion.status != Motion.Status.OPEN:
        raise Conflict(_("Voting on this motion has ended."), code="closed")
    if not Attendance.objects.filter(meeting=meeting, representative=rep, present=True).exists():
        raise Forbidden(_("Only representatives recorded as present can vote."),
                        code="not_present")
    try:
        with transaction.atomic():
            VoteCast.objects.create(motion=motion, representative=rep)
            Ballot.objects.create(motion=motion, choice=choice,
                                  voter=None if motion.secret else rep)
            record(actor=actor, action="autonomy.vote", obj=motion, area_code=motion.area_code,
                   changes={"representative": rep.pk,
                            **({} if motion.secret else {"choice": choice})})
    except IntegrityError:
        raise Conflict(_("%(name)s has already voted on this motion.") % {"name": rep.name},
                       code="already_voted") from None
    return VoteCastResult(motion_id=motion.pk, representative_id=rep.pk, secret=motion.secret)


class VoteCastResult:
    def __init__(self, *, motion_id: int, representative_id: int, secret: bool) -> None:
        self.motion_id = motion_id
        self.representative_id = representative_id
        self.secret = secret


def close_motion(*, actor: Any, motion_id: int) -> Motion:
    motion = _get(Motion, motion_id, _("Motion"))
    authz.check(actor, "autonomy.manage", motion.area_code)
    with transaction.atomic():
        motion = _locked(Motion, motion_id, _("Motion"))
        meeting = motion.meeting
        if motion.status != Motion.Status.OPEN:
            raise Conflict(_("Voting on this motion has ended."), code="closed")
        if not meeting.quorate or meeting.status != Meeting.Status.OPEN:
            raise Conflict(_("This meeting has no quorum, so it can decide nothing."),
                           code="no_quorum")
        profile = profile_for(meeting.community_code)
        counts = {c: motion.ballots.filter(choice=c).count() for c in Choice.values}
        motion.votes_for, motion.votes_against, motion.abstentions = (
            counts["for"], counts["against"], counts["abstain"])
        adopted = profile.adopted(motion.votes_for, meeting.present)
        motion.status = Motion.Status.ADOPTED if adopted else Motion.Status.REJECTED
        motion.decided_at = timezone.now()
        motion.profile_version = profile.version
        if adopted:
            n = Motion.objects.filter(meeting__community_code=meeting.community_code,
                                      status=Motion.Status.ADOPTED,
                                      decided_at__year=motion.decided_at.year).count() + 1
            motion.resolution_number = f"{meeting.community_code}-{motion.decided_at.year}-R{n:03d}"
        motion.save()
        for proposal in Proposal.objects.select_for_update().filter(motion=motion,
                                                                    state=states.SCHEDULED):
            states.transition(
                proposal, "adopt" if adopted else "not_adopt", who=_who(actor),
                data=states.text("tally", f=motion.votes_for, a=motion.votes_against,
                                 s=motion.abstentions, p=meeting.present, m=meeting.members))
        if adopted:
            _resolution_disclosure(motion, profile)
        record(actor=actor, action="autonomy.motion_close", obj=motion, area_code=motion.area_code,
               changes={**counts, "present": meeting.present, "adopted": adopted,
                        "resolution": motion.resolution_number,
                        "profile_version": profile.version})
    return motion


def _resolution_disclosure(motion: Motion, profile: Profile) -> None:
    now = timezone.localdate()
    Disclosure.objects.create(
        community_code=motion.meeting.community_code, area_code=motion.area_code,
        category=Disclosure.Category.RESOLUTION, period_start=now, period_end=now,
        due_on=now + timedelta(days=int(profile.value("disclosure_major_days"))),
        title=f"{motion.resolution_number} {motion.title}",
        street_code=motion.meeting.community_code[:9], profile_version=profile.version)


def close_meeting(*, actor: Any, meeting_id: int, minutes: str) -> Meeting:
    meeting = _get(Meeting, meeting_id, _("Meeting"))
    authz.check(actor, "autonomy.manage", meeting.area_code)
    with transaction.atomic():
        meeting = _locked(Meeting, meeting_id, _("Meeting"))
        if meeting.status == Meeting.Status.CLOSED:
            raise Conflict(_("Closed items cannot be edited."), code="closed")
        if meeting.status == Meeting.Status.NOTIFIED:
            raise Conflict(_("Record the attendance first."), code="no_attendance")
        if meeting.motions.filter(status=Motion.Status.OPEN).exists() and meeting.quorate:
            raise Conflict(_("Close the vote on every motion first."), code="open_motions")
        meeting.minutes = mask_text(_text(minutes, "minutes"))
        meeting.status = Meeting.Status.CLOSED
        meeting.save()
        for proposal in Proposal.objects.select_for_update().filter(meeting=meeting,
                                                                    state=states.SCHEDULED):
            states.transition(proposal, "unschedule", who=_who(actor),
                              data=states.text("not_decided"))
        record(actor=actor, action="autonomy.meeting_close", obj=meeting,
               area_code=meeting.area_code, changes={"minutes_chars": len(meeting.minutes)})
    return meeting


# ---------------------------------------------------------------- proposals

def submit_proposal(*, actor: Any, community_code: str, title: str, body: str,
                    resident_id: int | None = None) -> Proposal:
    community = _community(community_code)
    resident = person_for(actor, community.code, resident_id)
    _require_voter(resident, community.code)
    profile = profile_for(community.code)
    rep = active_representative(resident, community.code)
    via = Proposal.Via.REPRESENTATIVE if rep else Proposal.Via.RESIDENTS
    state = states.SUBMITTED if rep else states.COLLECTING
    year = today().year
    with transaction.atomic():
        Area.objects.select_for_update().filter(code=community.code).first()  # numbering
        n = Proposal.objects.filter(community_code=community.code,
                                    number__startswith=f"{community.code}-{year}-").count() + 1
        proposal = Proposal.objects.create(
            number=f"{community.code}-{year}-{n:04d}", community_code=community.code,
            area_code=resident.area_code if resident.area_code.startswith(community.code)
            else community.code,
            title=_text(title, "title", maxlen=200), body=mask_text(_text(body, "proposal")),
            via=via, proposer=resident, proposer_name=resident.name, state=state,
            cosigners_needed=0 if rep else int(profile.value("proposal_cosigners")),
            profile_version=profile.version)
        ProposalEvent.objects.create(proposal=proposal, action="submit", state=state,
                                     who=mask_name(resident.name))
        record(actor=actor, action="autonomy.proposal_submit", obj=proposal,
               area_code=proposal.area_code,
               changes={"via": via, "state": state, "profile_version": profile.version})
    return proposal


def edit_proposal(*, actor: Any, proposal_id: int, title: str, body: str,
                  resident_id: int | None = None) -> Proposal:
    proposal = _get(Proposal, proposal_id, _("Proposal"))
    if proposal.state in states.FINAL:
        raise Conflict(_("Closed items cannot be edited."), code="closed")
    resident = person_for(actor, proposal.community_code, resident_id)
    if resident.pk != proposal.proposer_id:
        raise Forbidden(_("Only the proposer can edit a proposal."), code="not_proposer")
    with transaction.atomic():
        proposal = _locked(Proposal, proposal_id, _("Proposal"))
        if proposal.state != states.COLLECTING or proposal.cosigner_count:
            raise Conflict(_("Closed items cannot be edited: a proposal can be changed only "
                             "before anyone has co-signed it."), code="closed")
        proposal.title = _text(title, "title", maxlen=200)
        proposal.body = mask_text(_text(body, "proposal"))
        proposal.save()
        record(actor=actor, action="autonomy.proposal_edit", obj=proposal,
               area_code=proposal.area_code, changes={"title": proposal.title})
    return proposal


def cosign_proposal(*, actor: Any, proposal_id: int,
                    resident_id: int | None = None) -> Proposal:
    """Sign once, only if eligible; the row lock makes parallel signatures near the
    threshold count exactly once each (ADR 0503)."""
    proposal = _get(Proposal, proposal_id, _("Proposal"))
    resident = person_for(actor, proposal.community_code, resident_id)
    _require_voter(resident, proposal.community_code)
    if resident.pk == proposal.proposer_id:
        raise Conflict(_("The proposer cannot co-sign their own proposal."), code="own_proposal")
    with transaction.atomic():
        proposal = _locked(Proposal, proposal_id, _("Proposal"))
        if proposal.state != states.COLLECTING:
            raise Conflict(_("This proposal is not collecting co-signatures any more (it is "
                             "“%(s)s”).") % {"s": states.STATE_LABELS.get(proposal.state)},
                           code="signing_closed", details={"state": proposal.state})
        try:
            with transaction.atomic():
                CoSignature.objects.create(proposal=proposal, resident=resident)
        except IntegrityError:
            raise Conflict(_("You have already co-signed this proposal."),
                           code="already_signed") from None
        proposal.cosigner_count = proposal.cosignatures.count()
        proposal.save(update_fields=["cosigner_count", "updated_at"])
        profile = profile_for(proposal.community_code)
        if profile.cosigners_enough(proposal.cosigner_count):
            states.transition(proposal, "cosigned", who="",
                              data=states.text("threshold", n=proposal.cosigner_count))
        record(actor=actor, action="autonomy.proposal_cosign", obj=proposal,
               area_code=proposal.area_code,
               changes={"resident": resident.pk, "count": proposal.cosigner_count,
                        "profile_version": profile.version})
    return proposal


def comment_on_proposal(*, actor: Any, proposal_id: int, text: str,
                        resident_id: int | None = None) -> ProposalEvent:
    proposal = _get(Proposal, proposal_id, _("Proposal"))
    if authz.has_perm(actor, "autonomy.manage", proposal.community_code) \
            and resident_id is None:
        who = _who(actor)
    else:
        who = mask_name(person_for(actor, proposal.community_code, resident_id).name)
    with transaction.atomic():
        proposal = _locked(Proposal, proposal_id, _("Proposal"))
        states.require_open(proposal, "comment")
        event = ProposalEvent.objects.create(proposal=proposal, action="comment",
                                             state=proposal.state, who=who,
                                             note=mask_text(_text(text, "comment", maxlen=2000)))
        record(actor=actor, action="autonomy.proposal_comment", obj=proposal,
               area_code=proposal.area_code, changes={"event": event.pk})
    return event


def _step(actor: Any, proposal_id: int, action: str, *, note: str = "",
          data: dict[str, Any] | None = None, **fields: Any) -> Proposal:
    proposal = _get(Proposal, proposal_id, _("Proposal"))
    authz.check(actor, "autonomy.manage", proposal.area_code)
    with transaction.atomic():
        proposal = _locked(Proposal, proposal_id, _("Proposal"))
        states.next_state(proposal.state, action)  # refuse before changing anything
        for name, value in fields.items():
            setattr(proposal, name, value)
        states.transition(proposal, action, who=_who(actor), note=note, data=data)
        record(actor=actor, action=f"autonomy.proposal_{action}", obj=proposal,
               area_code=proposal.area_code, changes={"state": proposal.state, "note": note,
                                                      **{k: v for k, v in fields.items()
                                                         if not hasattr(v, "pk")}})
    return proposal


def review_proposal(*, actor: Any, proposal_id: int, admit: bool, reason: str) -> Proposal:
    reason = _text(reason, "reasons", maxlen=2000)
    return _step(actor, proposal_id, "admit" if admit else "reject", note=reason,
                 review_reason=reason)


def schedule_proposal(*, actor: Any, proposal_id: int, meeting_id: int) -> Proposal:
    proposal = _get(Proposal, proposal_id, _("Proposal"))
    meeting = _get(Meeting, meeting_id, _("Meeting"))
    if meeting.community_code != proposal.community_code:
        raise BusinessError(_("The meeting belongs to another community."),
                            code="other_community")
    authz.check(actor, "autonomy.manage", meeting.area_code)
    with transaction.atomic():
        states.next_state(_locked(Proposal, proposal_id, _("Proposal")).state, "schedule")
        motion = _new_motion(meeting, title=f"{proposal.number} {proposal.title}",
                             text=proposal.body, personnel=False)
        return _step(actor, proposal_id, "schedule", note=f"{meeting.title} ({meeting.held_on})",
                     meeting=meeting, motion=motion)


def assign_proposal(*, actor: Any, proposal_id: int, assignee: str, deadline: date) -> Proposal:
    if deadline < today():
        raise BusinessError(_("The deadline cannot be in the past."), code="bad_deadline")
    assignee = _text(assignee, "implemented by", maxlen=150)
    return _step(actor, proposal_id, "assign", note=f"{assignee}, {deadline}",
                 assignee=assignee, deadline=deadline)


def report_progress(*, actor: Any, proposal_id: int, note: str) -> ProposalEvent:
    proposal = _get(Proposal, proposal_id, _("Proposal"))
    authz.check(actor, "autonomy.manage", proposal.area_code)
    with transaction.atomic():
        proposal = _locked(Proposal, proposal_id, _("Proposal"))
        states.require_open(proposal, "progress")
        event = ProposalEvent.objects.create(proposal=proposal, action="progress",
                                             state=proposal.state, who=_who(actor),
                                             note=mask_text(_text(note, "progress", maxlen=2000)))
        record(actor=actor, action="autonomy.proposal_progress", obj=proposal,
               area_code=proposal.area_code, changes={"event": event.pk})
    return event


def complete_proposal(*, actor: Any, proposal_id: int, feedback: str) -> Proposal:
    feedback = mask_text(_text(feedback, "feedback", maxlen=5000))
    return _step(actor, proposal_id, "complete", note=feedback, feedback=feedback)


def rate_proposal(*, actor: Any, proposal_id: int, score: int,
                  resident_id: int | None = None) -> Satisfaction:
    proposal = _get(Proposal, proposal_id, _("Proposal"))
    resident = person_for(actor, proposal.community_code, resident_id)
    _require_voter(resident, proposal.community_code)
    if not 1 <= score <= 5:
        raise BusinessError(_("Satisfaction is rated from 1 to 5."), code="bad_score")
    with transaction.atomic():
        proposal = _locked(Proposal, proposal_id, _("Proposal"))
        states.require_open(proposal, "rate")
        try:
            with transaction.atomic():
                rating = Satisfaction.objects.create(proposal=proposal, resident=resident,
                                                     score=score)
        except IntegrityError:
            raise Conflict(_("You have already rated this proposal."),
                           code="already_rated") from None
        record(actor=actor, action="autonomy.proposal_rate", obj=proposal,
               area_code=proposal.area_code, changes={"score": score})
    return rating


def close_proposal(*, actor: Any, proposal_id: int) -> Proposal:
    avg = Satisfaction.objects.filter(proposal_id=proposal_id).aggregate(a=Avg("score"))["a"]
    value = (Decimal(str(avg)).quantize(Decimal("0.01"), ROUND_HALF_UP)
             if avg is not None else None)
    count = Satisfaction.objects.filter(proposal_id=proposal_id).count()
    data = (states.text("satisfaction", v=str(value), n=count) if value is not None
            else states.text("no_ratings"))
    return _step(actor, proposal_id, "close", data=data, satisfaction=value)


def withdraw_proposal(*, actor: Any, proposal_id: int,
                      resident_id: int | None = None) -> Proposal:
    proposal = _get(Proposal, proposal_id, _("Proposal"))
    resident = person_for(actor, proposal.community_code, resident_id)
    if resident.pk != proposal.proposer_id:
        raise Forbidden(_("Only the proposer can withdraw a proposal."), code="not_proposer")
    with transaction.atomic():
        proposal = _locked(Proposal, proposal_id, _("Proposal"))
        states.transition(proposal, "withdraw", who=mask_name(resident.name))
        record(actor=actor, action="autonomy.proposal_withdraw", obj=proposal,
               area_code=proposal.area_code, changes={})
    return proposal


# ---------------------------------------------------------------- evaluation

def open_evaluation(*, actor: Any, community_code: str, year: int, title: str,
                    criteria: list[str], opens_on: date, closes_on: date,
                    departments: list[str] | None = None) -> EvaluationCampaign:
    """Targets: the serving members of the residents' committee (from ``people``), the
    stations serving the community and the street departments named."""
    community = _community(community_code)
    authz.check(actor, "autonomy.manage", community.code)
    criteria = [c.strip() for c in criteria if c.strip()]
    if not criteria:
        raise BusinessError(_("Publish at least one criterion."), code="no_criteria")
    if closes_on < opens_on:
        raise BusinessError(_("The campaign must close after it opens."), code="bad_dates")
    profile = profile_for(community.code)
    with transaction.atomic():
        campaign = EvaluationCampaign.objects.create(
            community_code=community.code, area_code=community.code, year=year,
            title=_text(title, "title", maxlen=200), criteria=criteria, opens_on=opens_on,
            closes_on=closes_on, profile_version=profile.version)
        targets = []
        for body in facade.bodies_of(community.code, "residents_committee"):
            for m in facade.current_members(body, opens_on):
                targets.append(EvaluationTarget(
                    campaign=campaign, kind=EvaluationTarget.Kind.MEMBER,
                    name=m.person_name, membership=m,
                    person_key=str(m.resident_id or f"m{m.pk}")))
        for station in community.served_by.all():
            targets.append(EvaluationTarget(campaign=campaign, kind=EvaluationTarget.Kind.STATION,
                                            name=station.name, person_key=f"s{station.pk}"))
        for dept in departments or []:
            if dept.strip():
                targets.append(EvaluationTarget(campaign=campaign,
                                                kind=EvaluationTarget.Kind.DEPARTMENT,
                                                name=dept.strip(), person_key=f"d:{dept.strip()}"))
        if not targets:
            raise BusinessError(_("There is nobody to evaluate: no committee members, station "
                                  "or departments."), code="no_targets")
        EvaluationTarget.objects.bulk_create(targets)
        record(actor=actor, action="autonomy.evaluation_open", obj=campaign,
               area_code=community.code, changes={"year": year, "targets": len(targets),
                                                  "profile_version": profile.version})
    return campaign


def submit_rating(*, actor: Any, campaign_id: int, answers: dict[int, dict[str, Any]],
                  resident_id: int | None = None) -> None:
    """``answers[target_id] = {"verdict": "fit"|"basically_fit"|"unfit",
    "scores": {criterion: 1..5}}``; every target must be answered. Stored without the
    rater (anonymous); the rater is only marked as having rated."""
    campaign = _get(EvaluationCampaign, campaign_id, _("Evaluation"))
    resident = person_for(actor, campaign.community_code, resident_id)
    _require_voter(resident, campaign.community_code)
    now = today()
    if campaign.status != EvaluationCampaign.Status.OPEN or not (
            campaign.opens_on <= now <= campaign.closes_on):
        raise Conflict(_("This evaluation is not open for ratings."), code="not_open")
    targets = {t.pk: t for t in campaign.targets.all()}
    missing = set(targets) - {int(k) for k in answers}
    if missing:
        raise BusinessError(_("Please rate every member, station and department."),
                            code="incomplete", details={"missing": sorted(missing)})
    rows = []
    for tid, answer in answers.items():
        if int(tid) not in targets:
            raise BusinessError(_("Unknown item in the rating."), code="unknown_target")
        verdict = answer.get("verdict")
        if verdict not in Verdict.values:
            raise BusinessError(_("Choose fit, basically fit or unfit."), code="bad_verdict")
        scores = {}
        for crit, value in (answer.get("scores") or {}).items():
            if crit not in campaign.criteria or not 1 <= int(value) <= 5:
                raise BusinessError(_("Scores are 1 to 5 on the published criteria."),
                                    code="bad_score")
            scores[crit] = int(value)
        rows.append(EvaluationAnswer(target_id=int(tid), verdict=verdict, scores=scores))
    with transaction.atomic():
        try:
            with transaction.atomic():
                EvaluationBallot.objects.create(campaign=campaign, resident=resident)
        except IntegrityError:
            raise Conflict(_("You have already taken part in this evaluation."),
                           code="already_rated") from None
        EvaluationAnswer.objects.bulk_create(rows)
        record(actor=actor, action="autonomy.evaluation_rate", obj=campaign,
               area_code=campaign.area_code, changes={"targets": len(rows)})


def close_evaluation(*, actor: Any, campaign_id: int) -> EvaluationCampaign:
    campaign = _get(EvaluationCampaign, campaign_id, _("Evaluation"))
    authz.check(actor, "autonomy.manage", campaign.area_code)
    profile = profile_for(campaign.community_code)
    with transaction.atomic():
        campaign = _locked(EvaluationCampaign, campaign_id, _("Evaluation"))
        if campaign.status == EvaluationCampaign.Status.CLOSED:
            raise Conflict(_("Closed items cannot be edited."), code="closed")
        campaign.raters = campaign.ballots.count()
        previous = list(EvaluationCampaign.objects.filter(
            community_code=campaign.community_code, status=EvaluationCampaign.Status.CLOSED,
            year__lt=campaign.year).order_by("-year", "-id"))
        flagged = []
        for target in campaign.targets.all():
            answers = list(target.answers.all())
            target.ratings = len(answers)
            target.fit = sum(a.verdict == Verdict.FIT for a in answers)
            target.basically_fit = sum(a.verdict == Verdict.BASICALLY_FIT for a in answers)
            target.unfit = sum(a.verdict == Verdict.UNFIT for a in answers)
            sums: dict[str, list[int]] = {}
            for a in answers:
                for crit, v in a.scores.items():
                    sums.setdefault(crit, []).append(int(v))
            target.scores = {c: round(sum(v) / len(v), 2) for c, v in sums.items()}
            target.rated_unfit = (profile.rated_unfit(target.unfit, target.ratings)
                                  if target.ratings else None)
            if target.kind == EvaluationTarget.Kind.MEMBER and target.rated_unfit:
                streak = 1
                for prev in previous:
                    row = prev.targets.filter(person_key=target.person_key).first()
                    if row is None or not row.rated_unfit:
                        break
                    streak += 1
                target.flagged = profile.flag_unfit(streak)
                if target.flagged:
                    flagged.append(target.name)
            target.save()
        campaign.status = EvaluationCampaign.Status.CLOSED
        campaign.profile_version = profile.version
        campaign.save()
        record(actor=actor, action="autonomy.evaluation_close", obj=campaign,
               area_code=campaign.area_code,
               changes={"raters": campaign.raters, "flagged": flagged,
                        "profile_version": profile.version})
    return campaign


# ---------------------------------------------------------------- disclosure

def _add_months(d: date, months: int) -> date:
    m = d.month - 1 + months
    return date(d.year + m // 12, m % 12 + 1, 1)


def plan_disclosures(*, actor: Any, community_code: str, year: int) -> int:
    """The disclosure calendar for a year: finances and ordinary affairs per period at
    the profile's frequency, each due some days after its period. Idempotent."""
    community = _community(community_code)
    authz.check(actor, "autonomy.manage", community.code)
    profile = profile_for(community.code)
    grace = int(profile.value("disclosure_grace_days"))
    created = 0
    labels = {Disclosure.Category.FINANCE: _("Finances"),
              Disclosure.Category.AFFAIRS: _("Community affairs")}
    with transaction.atomic():
        for category, key in ((Disclosure.Category.FINANCE, "disclosure_finance_months"),
                              (Disclosure.Category.AFFAIRS, "disclosure_affairs_months")):
            step = int(profile.value(key))
            start = date(year, 1, 1)
            while start.year == year:
                end = _add_months(start, step) - timedelta(days=1)
                _obj, new = Disclosure.objects.get_or_create(
                    community_code=community.code, category=category, period_start=start,
                    defaults={"area_code": community.code, "period_end": end,
                              "due_on": end + timedelta(days=grace),
                              "title": f"{community.name} {labels[category]} "
                                       f"{start:%Y-%m}–{end:%Y-%m}",
                              "street_code": community.code[:9],
                              "profile_version": profile.version})
                created += int(new)
                start = _add_months(start, step)
        if created:
            record(actor=actor, action="autonomy.disclosure_plan", object_type="autonomy.disclosure",
                   object_id=f"{community.code}/{year}", area_code=community.code,
                   changes={"created": created, "profile_version": profile.version})
    return created


def publish_disclosure(*, actor: Any, disclosure_id: int, body: str,
                       title: str = "") -> Disclosure:
    disclosure = _get(Disclosure, disclosure_id, _("Disclosure"))
    authz.check(actor, "autonomy.manage", disclosure.area_code)
    with transaction.atomic():
        disclosure = _locked(Disclosure, disclosure_id, _("Disclosure"))
        if disclosure.published_at:
            raise Conflict(_("Closed items cannot be edited: this disclosure is published."),
                           code="closed")
        disclosure.body = mask_text(_text(body, "content"))
        if title.strip():
            disclosure.title = mask_text(title.strip()[:200])
        disclosure.published_at = timezone.now()
        disclosure.save()
        record(actor=actor, action="autonomy.disclosure_publish", obj=disclosure,
               area_code=disclosure.area_code,
               changes={"late": disclosure.published_at.date() > disclosure.due_on})
    return disclosure


def disclose_major(*, actor: Any, community_code: str, title: str, body: str) -> Disclosure:
    community = _community(community_code)
    authz.check(actor, "autonomy.manage", community.code)
    profile = profile_for(community.code)
    now = today()
    with transaction.atomic():
        disclosure = Disclosure.objects.create(
            community_code=community.code, area_code=community.code,
            category=Disclosure.Category.MAJOR, period_start=now, period_end=now,
            due_on=now + timedelta(days=int(profile.value("disclosure_major_days"))),
            title=mask_text(_text(title, "title", maxlen=200)),
            body=mask_text(_text(body, "content")), published_at=timezone.now(),
            street_code=community.code[:9], profile_version=profile.version)
        record(actor=actor, action="autonomy.disclosure_major", obj=disclosure,
               area_code=community.code, changes={"title": disclosure.title})
    return disclosure


def flag_overdue_disclosures(*, actor: Any, on: date | None = None) -> int:
    """Flag every unpublished disclosure past its due day to its street, once."""
    authz.check(actor, "autonomy.supervise")
    on = on or today()
    flagged = 0
    candidates = Disclosure.objects.filter(published_at__isnull=True,
                                           overdue_flagged_at__isnull=True, due_on__lt=on)
    for row in candidates.values_list("pk", "area_code"):
        pk, area_code = row
        if not authz.has_perm(actor, "autonomy.supervise", area_code):
            continue
        with transaction.atomic():
            n = Disclosure.objects.filter(pk=pk, published_at__isnull=True,
                                          overdue_flagged_at__isnull=True).update(
                overdue_flagged_at=timezone.now())
            if n:
                record(actor=actor, action="autonomy.disclosure_overdue",
                       object_type="autonomy.disclosure", object_id=str(pk),
                       area_code=area_code, changes={"on": on})
                flagged += 1
    return flagged


def ask_question(*, actor: Any, disclosure_id: int, text: str,
                 resident_id: int | None = None) -> Question:
    disclosure = _get(Disclosure, disclosure_id, _("Disclosure"))
    resident = person_for(actor, disclosure.community_code, resident_id)
    if not facade.residents_of(disclosure.community_code).filter(pk=resident.pk).exists():
        raise Forbidden(_("Only residents of this community can ask here."),
                        code="not_resident")
    if not disclosure.published_at:
        raise Conflict(_("Questions can be asked once the disclosure is published."),
                       code="not_published")
    with transaction.atomic():
        q = Question.objects.create(disclosure=disclosure, asker=resident,
                                    asker_masked=mask_name(resident.name),
                                    text=mask_text(_text(text, "question", maxlen=2000)),
                                    area_code=disclosure.area_code)
        record(actor=actor, action="autonomy.question_ask", obj=q, area_code=q.area_code,
               changes={"disclosure": disclosure.pk})
    return q


def answer_question(*, actor: Any, question_id: int, answer: str) -> Question:
    q = _get(Question, question_id, _("Question"))
    authz.check(actor, "autonomy.manage", q.area_code)
    with transaction.atomic():
        q = _locked(Question, question_id, _("Question"))
        if q.answered_at:
            raise Conflict(_("Closed items cannot be edited: this question has been answered."),
                           code="closed")
        q.answer = mask_text(_text(answer, "answer", maxlen=5000))
        q.answered_at = timezone.now()
        q.save()
        record(actor=actor, action="autonomy.question_answer", obj=q, area_code=q.area_code,
               changes={})
    return q


# ---------------------------------------------------------------- recall

def _recall_signer_ok(petition: RecallPetition, resident: Resident) -> None:
    if petition.via == RecallPetition.Via.REPRESENTATIVES:
        if active_representative(resident, petition.community_code) is None:
            raise Forbidden(_("Only serving representatives sign a representatives' recall "
                              "petition."), code="not_representative")
    else:
        _require_voter(resident, petition.community_code)


def start_recall(*, actor: Any, community_code: str, member_name: str, reasons: str,
                 membership_id: int | None = None, resident_id: int | None = None,
                 via: str = RecallPetition.Via.VOTERS) -> RecallPetition:
    """A recall petition by voters (≥ 1/5 of them) or by representatives (≥ 1/3 of the
    serving ones), 村民委员会组织法 Art. 16; the initiator signs first."""
    community = _community(community_code)
    resident = person_for(actor, community.code, resident_id)
    if via not in RecallPetition.Via.values:
        raise BusinessError(_("A recall is started by voters or by representatives."),
                            code="bad_via")
    membership = None
    if membership_id is not None:
        membership = _get(Membership, membership_id, _("Membership"))
        if not membership.body.area_code.startswith(community.code):
            raise BusinessError(_("That member does not serve in this community."),
                                code="other_community")
        member_name = membership.person_name
    profile = profile_for(community.code)
    if via == RecallPetition.Via.REPRESENTATIVES:
        base = Representative.objects.filter(community_code=community.code,
                                             status=Representative.Status.ACTIVE).count()
        needed = profile.needed("recall_initiation_representatives", base)
    else:
        base = facade.eligible_voters(community.code, today()).count()
        needed = profile.recall_signatures_needed(base)
    with transaction.atomic():
        petition = RecallPetition(
            community_code=community.code, area_code=community.code, membership=membership,
            member_name=_text(member_name, "member", maxlen=100),
            reasons=mask_text(_text(reasons, "reasons")), initiator=resident, via=via,
            voters=base, signatures_needed=needed, signature_count=1,
            profile_version=profile.version)
        _recall_signer_ok(petition, resident)
        petition.save()
        RecallSignature.objects.create(petition=petition, resident=resident)
        if petition.signature_count >= needed:
            states.recall_transition(petition, "threshold")
            petition.save()
        record(actor=actor, action="autonomy.recall_start", obj=petition,
               area_code=community.code,
               changes={"member": petition.member_name, "via": via, "base": base,
                        "needed": needed, "profile_version": profile.version})
    return petition


def sign_recall(*, actor: Any, petition_id: int,
                resident_id: int | None = None) -> RecallPetition:
    petition = _get(RecallPetition, petition_id, _("Recall petition"))
    resident = person_for(actor, petition.community_code, resident_id)
    _recall_signer_ok(petition, resident)
    with transaction.atomic():
        petition = _locked(RecallPetition, petition_id, _("Recall petition"))
        if petition.state != RecallPetition.State.COLLECTING:
            raise Conflict(_("This petition is not collecting signatures any more."),
                           code="signing_closed", details={"state": petition.state})
        try:
            with transaction.atomic():
                RecallSignature.objects.create(petition=petition, resident=resident)
        except IntegrityError:
            raise Conflict(_("You have already signed this petition."),
                           code="already_signed") from None
        petition.signature_count = petition.signatures.count()
        if petition.signature_count >= petition.signatures_needed:
            states.recall_transition(petition, "threshold")
        petition.save()
        record(actor=actor, action="autonomy.recall_sign", obj=petition,
               area_code=petition.area_code,
               changes={"resident": resident.pk, "count": petition.signature_count})
    return petition


def record_recall_reply(*, actor: Any, petition_id: int, reply: str) -> RecallPetition:
    petition = _get(RecallPetition, petition_id, _("Recall petition"))
    authz.check(actor, "autonomy.manage", petition.area_code)
    with transaction.atomic():
        petition = _locked(RecallPetition, petition_id, _("Recall petition"))
        states.recall_transition(petition, "reply")
        petition.reply = mask_text(_text(reply, "reply"))
        petition.replied_at = timezone.now()
        petition.save()
        record(actor=actor, action="autonomy.recall_reply", obj=petition,
               area_code=petition.area_code, changes={})
    return petition


def record_recall_result(*, actor: Any, petition_id: int, registered: int, cast: int,
                         approve: int) -> RecallPetition:
    """The election committee enters the vote (until ``elections`` runs recall votes);
    validity and outcome follow the profile (ADR 0504)."""
    petition = _get(RecallPetition, petition_id, _("Recall petition"))
    authz.check(actor, "autonomy.supervise", petition.area_code)
    if not 0 <= approve <= cast <= registered:
        raise BusinessError(_("Figures must satisfy 0 ≤ approve ≤ ballots cast ≤ registered "
                              "voters."), code="bad_figures",
                            details={"registered": registered, "cast": cast, "approve": approve})
    profile = profile_for(petition.community_code)
    with transaction.atomic():
        petition = _locked(RecallPetition, petition_id, _("Recall petition"))
        if petition.state == RecallPetition.State.COLLECTING:
            raise InvalidTransition(_("The petition has not reached its threshold."),
                                    code="below_threshold")
        states.recall_transition(petition, "result")
        petition.registered, petition.cast, petition.approve = registered, cast, approve
        if not profile.recall_valid(cast, registered):
            petition.outcome = RecallPetition.Outcome.INVALID
        elif profile.recall_passed(approve, cast):
            petition.outcome = RecallPetition.Outcome.RECALLED
        else:
            petition.outcome = RecallPetition.Outcome.NOT_RECALLED
        petition.profile_version = profile.version
        petition.save()
        membership = petition.membership
        if (petition.outcome == RecallPetition.Outcome.RECALLED and membership is not None
                and (membership.end_date is None or membership.end_date > today())):
            # A passed recall ends the term the same day (村民委员会组织法 Art. 16).
            people_services.end_membership(actor=actor, membership=membership, end_date=today(),
                                           reason=str(_("Recalled")))
        record(actor=actor, action="autonomy.recall_result", obj=petition,
               area_code=petition.area_code,
               changes={"registered": registered, "cast": cast, "approve": approve,
                        "outcome": petition.outcome, "profile_version": profile.version})
    return petition
