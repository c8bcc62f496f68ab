"""Representative conferences and council meetings: notice, attendance and quorum,
motions, votes (secret on personnel matters), the count and the minutes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shequ import authz
from shequ.audit.services import record
from shequ.autonomy import rules as law
from shequ.autonomy import selectors
from shequ.autonomy.enums import AuditAction, Code, Perm
from shequ.autonomy.lifecycles import MEETING, MOTION, PROPOSAL, TEXTS, notice_refusal
from shequ.autonomy.models import (
    Attendance,
    Ballot,
    Choice,
    Disclosure,
    Meeting,
    Motion,
    Proposal,
    Representative,
    VoteCast,
)
from shequ.autonomy.services.common import (
    community_area,
    get,
    locked,
    person_for,
    require_step,
    text,
    today,
)
from shequ.core.errors import BusinessError, Conflict, Forbidden
from shequ.core.pii import mask_text
from shequ.rules import Profile


def convene_meeting(*, actor: Any, community_code: str, title: str, agenda: str,
                    held_on: date, notice_on: date | None = None,
                    location: str = "") -> Meeting:
    """Send the notice with the agenda, the profile's days ahead (a conference in an
    urban community, a council meeting in an agricultural one)."""
    community = community_area(community_code)
    authz.check(actor, Perm.MANAGE, community.code)
    profile = law.profile_for(community.code)
    notice_on = notice_on or today()
    refused = notice_refusal(profile, notice_on, held_on)
    if refused is not None:
        raise refused
    title = text(title, "title", _("title"), maxlen=200)
    agenda = text(agenda, "agenda", _("agenda"))
    members = selectors.serving(community.code).count()
    kind = Meeting.Kind.CONFERENCE if profile.key == law.URBAN else Meeting.Kind.COUNCIL
    with transaction.atomic():
        meeting = Meeting.objects.create(
            community_code=community.code, area_code=community.code, kind=kind, title=title,
            agenda=agenda, location=location.strip()[:200], notice_on=notice_on,
            held_on=held_on, members=members, profile_version=profile.version)
        record(actor=actor, action=AuditAction.MEETING_CONVENE, obj=meeting,
               area_code=community.code, changes={"held_on": held_on, "notice_on": notice_on,
                                                  "profile_version": profile.version})
    return meeting


def record_attendance(*, actor: Any, meeting_id: int, present_ids: list[int]) -> Meeting:
    """Who of the serving representatives is present; the quorum decides whether the
    meeting opens. Without it the meeting decides nothing and its proposals go back to
    the queue."""
    meeting = get(Meeting, meeting_id, _("Meeting"))
    authz.check(actor, Perm.MANAGE, meeting.area_code)
    profile = law.profile_for(meeting.community_code)
    present = set(present_ids)
    with transaction.atomic():
        meeting = locked(Meeting, meeting_id, _("Meeting"))
        require_step(MEETING, meeting, Meeting.Action.OPEN)
        members = list(selectors.serving(meeting.community_code))
        unknown = present - {m.pk for m in members}
        if unknown:
            raise BusinessError(_("Only serving representatives of this community can attend."),
                                code=Code.NOT_MEMBER, details={"ids": sorted(unknown)})
        Attendance.objects.bulk_create([Attendance(meeting=meeting, representative=m,
                                                   present=m.pk in present) for m in members])
        meeting.members, meeting.present = len(members), len(present)
        meeting.quorate = law.quorate(profile, meeting.present, meeting.members)
        meeting.profile_version = profile.version
        MEETING.move(actor=actor, obj=meeting,
                     action=Meeting.Action.OPEN if meeting.quorate else Meeting.Action.NO_QUORUM,
                     inputs={"present": meeting.present, "members": meeting.members,
                             "profile": profile},
                     update_fields=["members", "present", "quorate", "profile_version"],
                     changes={"members": meeting.members, "present": meeting.present,
                              "quorate": meeting.quorate, "profile_version": profile.version})
        if not meeting.quorate:
            _unschedule(actor, meeting, "no_quorum")
    return meeting


def _unschedule(actor: Any, meeting: Meeting, why: str) -> None:
    for proposal in Proposal.objects.select_for_update().filter(
            meeting=meeting, state=Proposal.State.SCHEDULED):
        PROPOSAL.move(actor=actor, obj=proposal, action=Proposal.Action.UNSCHEDULE,
                      data=TEXTS.stored(why))


def new_motion(actor: Any, meeting: Meeting, *, title: str, text_: str,
               personnel: bool) -> Motion:
    """A motion on a meeting's agenda (the meeting row locked by the caller); secret when
    the profile makes it so."""
    profile = law.profile_for(meeting.community_code)
    motion = Motion.objects.create(meeting=meeting, title=text(title, "title", _("title"),
                                                               maxlen=200),
                                   text=text_, personnel=personnel,
                                   secret=law.secret(profile, personnel),
                                   area_code=meeting.area_code, profile_version=profile.version)
    MEETING.move(actor=actor, obj=meeting, action=Meeting.Action.ADD_MOTION, update_fields=(),
                 changes={"motion": motion.pk, "title": motion.title, "secret": motion.secret})
    return motion


def add_motion(*, actor: Any, meeting_id: int, title: str, text: str = "",
               personnel: bool = False) -> Motion:
    meeting = get(Meeting, meeting_id, _("Meeting"))
    authz.check(actor, Perm.MANAGE, meeting.area_code)
    with transaction.atomic():
        meeting = locked(Meeting, meeting_id, _("Meeting"))
        return new_motion(actor, meeting, title=title, text_=text, personnel=personnel)


@dataclass(frozen=True)
class VoteCastResult:
    motion_id: int
    representative_id: int
    secret: bool


def cast_vote(*, actor: Any, motion_id: int, choice: str,
              representative_id: int | None = None) -> VoteCastResult:
    """A representative's vote, once, if present at a quorate meeting in session. Staff
    may enter a named representative's vote from a show of hands or a paper ballot."""
    motion = get(Motion, motion_id, _("Motion"))
    meeting = motion.meeting
    if choice not in Choice.values:
        raise BusinessError(_("A vote is for, against or abstain."), code=Code.BAD_CHOICE)
    if representative_id is None:
        person = person_for(actor, meeting.community_code, perm=Perm.VOTE)
        rep = selectors.active_representative(person, meeting.community_code)
        if rep is None:
            raise Forbidden(_("Only serving representatives vote in this meeting."),
                            code=Code.NOT_REPRESENTATIVE)
    else:
        authz.check(actor, Perm.MANAGE, meeting.area_code)
        rep = get(Representative, representative_id, _("Representative"))
    try:
        with transaction.atomic():
            motion = locked(Motion, motion_id, _("Motion"))
            MOTION.move(actor=actor, obj=motion, action=Motion.Action.VOTE, update_fields=(),
                        inputs={"representative": rep},
                        changes={"representative": rep.pk,
                                 **({} if motion.secret else {"choice": choice})})
            VoteCast.objects.create(motion=motion, representative=rep)
            Ballot.objects.create(motion=motion, choice=choice,
                                  voter=None if motion.secret else rep)
    except IntegrityError:
        raise Conflict(_("%(name)s has already voted on this motion.") % {"name": rep.name},
                       code=Code.ALREADY_VOTED) from None
    return VoteCastResult(motion_id=motion.pk, representative_id=rep.pk, secret=motion.secret)


def close_motion(*, actor: Any, motion_id: int) -> Motion:
    """Count the ballots: carried by the profile's majority of those present; an adopted
    motion gets a resolution number and a resolution disclosure due within days."""
    motion = get(Motion, motion_id, _("Motion"))
    authz.check(actor, Perm.MANAGE, motion.area_code)
    with transaction.atomic():
        motion = locked(Motion, motion_id, _("Motion"))
        meeting = motion.meeting
        profile = law.profile_for(meeting.community_code)
        counts = {c: motion.ballots.filter(choice=c).count() for c in Choice.values}
        motion.votes_for, motion.votes_against, motion.abstentions = (
            counts[Choice.FOR], counts[Choice.AGAINST], counts[Choice.ABSTAIN])
        adopted = law.adopted(profile, motion.votes_for, meeting.present)
        motion.decided_at = timezone.now()
        motion.profile_version = profile.version
        if adopted:
            n = Motion.objects.filter(meeting__community_code=meeting.community_code,
                                      status=Motion.Status.ADOPTED,
                                      decided_at__year=motion.decided_at.year).count() + 1
            motion.resolution_number = f"{meeting.community_code}-{motion.decided_at.year}-R{n:03d}"
        MOTION.move(actor=actor, obj=motion,
                    action=Motion.Action.ADOPT if adopted else Motion.Action.REJECT,
                    inputs={"votes_for": motion.votes_for, "profile": profile},
                    changes={**counts, "present": meeting.present, "adopted": adopted,
                             "resolution": motion.resolution_number,
                             "profile_version": profile.version})
        tally = TEXTS.stored("tally", f=motion.votes_for, a=motion.votes_against,
                             s=motion.abstentions, p=meeting.present, m=meeting.members)
        for proposal in Proposal.objects.select_for_update().filter(
                motion=motion, state=Proposal.State.SCHEDULED):
            PROPOSAL.move(actor=actor, obj=proposal,
                          action=Proposal.Action.ADOPT if adopted else Proposal.Action.NOT_ADOPT,
                          data=tally)
        if adopted:
            _resolution_disclosure(motion, profile)
    return motion


def _resolution_disclosure(motion: Motion, profile: Profile) -> None:
    """An adopted resolution is disclosed within the profile's days (VCL Art. 30)."""
    now = today()
    Disclosure.objects.create(
        community_code=motion.meeting.community_code, area_code=motion.area_code,
        category=Disclosure.Category.RESOLUTION, period_start=now, period_end=now,
        due_on=now + timedelta(days=profile.number("disclosure_major_days")),
        title=f"{motion.resolution_number} {motion.title}"[:200],
        street_code=motion.meeting.community_code[:9], profile_version=profile.version)


def close_meeting(*, actor: Any, meeting_id: int, minutes: str) -> Meeting:
    """Close with the minutes (published, masked); proposals still on the agenda return
    to the queue, not decided."""
    meeting = get(Meeting, meeting_id, _("Meeting"))
    authz.check(actor, Perm.MANAGE, meeting.area_code)
    with transaction.atomic():
        meeting = locked(Meeting, meeting_id, _("Meeting"))
        require_step(MEETING, meeting, Meeting.Action.CLOSE)
        meeting.minutes = mask_text(text(minutes, "minutes", _("minutes")))
        MEETING.move(actor=actor, obj=meeting, action=Meeting.Action.CLOSE,
                     update_fields=["minutes"], changes={"minutes_chars": len(meeting.minutes)})
        _unschedule(actor, meeting, "not_decided")
    return meeting
