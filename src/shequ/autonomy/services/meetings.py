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
    in_range,
    locked,
    person_for,
    require_step,
    text,
    today,
)
from shequ.core.errors import BusinessError, Conflict, Forbidden
from shequ.core.pii import mask_text
from shequ.people import facade
from shequ.rules import Profile

MEETING_HORIZON_DAYS = 366  # a meeting is convened for the coming year at most


def committee_members(community_code: str, on: date) -> list[Any]:
    """The current members of the community's residents' committee: members of the
    conference with the representatives (VCL Art. 25: 村民代表会议由村民委员会成员和村民代表组成;
    ADR 0508)."""
    out: list[Any] = []
    for body in facade.bodies_of(community_code, "residents_committee"):
        out.extend(facade.current_members(body, on))
    return out


def conference_members(community_code: str, on: date) -> tuple[list[Representative], list[Any]]:
    """The conference's members (组成人员) on ``on``: the serving representatives and the
    committee members who are not also representatives (a person counts once)."""
    reps = list(selectors.serving(community_code))
    rep_residents = {r.resident_id for r in reps}
    members = [m for m in committee_members(community_code, on)
               if m.resident_id is None or m.resident_id not in rep_residents]
    return reps, members


def convene_meeting(*, actor: Any, community_code: str, title: str, agenda: str,
                    held_on: date | None, notice_on: date | None = None,
                    location: str = "", request_id: int | None = None) -> Meeting:
    """Send the notice with the agenda, the profile's days ahead (a conference in an
    urban community, a council meeting in an agricultural one). A meeting that answers a
    request to convene (ADR 0511) names it and settles it."""
    community = community_area(community_code)
    authz.check(actor, Perm.MANAGE, community.code)
    profile = law.profile_for(community.code)
    day = today()
    held_on = in_range(held_on, "held_on", _("meeting date"),
                       earliest=day - timedelta(days=MEETING_HORIZON_DAYS),
                       latest=day + timedelta(days=MEETING_HORIZON_DAYS))
    notice_on = notice_on or day
    if notice_on < held_on - timedelta(days=MEETING_HORIZON_DAYS):
        raise BusinessError(_("The notice goes out at most a year before the meeting."),
                            code=Code.BAD_DATE, details={"field": "notice_on"})
    if notice_on > day:
        raise BusinessError(_("The notice date cannot be in the future: it is the day the "
                              "notice goes out."), code=Code.BAD_DATE,
                            details={"field": "notice_on"})
    refused = notice_refusal(profile, notice_on, held_on)
    if refused is not None:
        raise refused
    title = text(title, "title", _("title"), maxlen=200)
    agenda = text(agenda, "agenda", _("agenda"))
    location = (location or "").strip()
    if len(location) > 200:
        raise BusinessError(_("“%(f)s” is too long (at most %(n)d characters).")
                            % {"f": _("location"), "n": 200}, code=Code.TOO_LONG,
                            details={"field": "location", "max": 200})
    reps, members = conference_members(community.code, held_on)
    kind = Meeting.Kind.CONFERENCE if profile.key == law.URBAN else Meeting.Kind.COUNCIL
    with transaction.atomic():
        meeting = Meeting.objects.create(
            community_code=community.code, area_code=community.code, kind=kind, title=title,
            agenda=agenda, location=location, notice_on=notice_on,
            held_on=held_on, members=len(reps) + len(members),
            profile_version=profile.version)
        record(actor=actor, action=AuditAction.MEETING_CONVENE, obj=meeting,
               area_code=community.code, changes={"held_on": held_on, "notice_on": notice_on,
                                                  "request": request_id,
                                                  "profile_version": profile.version})
        from shequ.autonomy.documents import issue_notice

        issue_notice(actor, meeting)
        if request_id is not None:
            from shequ.autonomy.services.requests import settle_request

            settle_request(actor, request_id, meeting)
    return meeting


def record_attendance(*, actor: Any, meeting_id: int, present_ids: list[int],
                      committee_present_ids: list[int] | None = None) -> Meeting:
    """Who of the conference's members is present (serving representatives by id,
    committee members by membership id), on or after the meeting's date. The quorum is
    the profile's share of all members (VCL Art. 26: 三分之二以上的组成人员; ADR 0508) and
    decides whether the meeting opens. The attendance can be corrected until the meeting
    is closed; without a quorum the meeting decides nothing and its proposals go back to
    the queue."""
    meeting = get(Meeting, meeting_id, _("Meeting"))
    authz.check(actor, Perm.MANAGE, meeting.area_code)
    profile = law.profile_for(meeting.community_code)
    present = set(present_ids)
    present_members = set(committee_present_ids or [])
    with transaction.atomic():
        meeting = locked(Meeting, meeting_id, _("Meeting"))
        correcting = meeting.status in (Meeting.Status.OPEN, Meeting.Status.NO_QUORUM)
        if not correcting:
            require_step(MEETING, meeting, Meeting.Action.OPEN)
        if meeting.held_on > today():
            raise BusinessError(
                _("Attendance can be recorded only on or after the meeting's date (%(d)s): who "
                  "attends is known at the meeting.") % {"d": meeting.held_on.isoformat()},
                code=Code.TOO_EARLY, details={"held_on": meeting.held_on})
        reps, members = conference_members(meeting.community_code, meeting.held_on)
        unknown = present - {r.pk for r in reps}
        if unknown:
            raise BusinessError(_("Only serving representatives of this community can attend."),
                                code=Code.NOT_MEMBER, details={"ids": sorted(unknown)})
        unknown = present_members - {m.pk for m in members}
        if unknown:
            raise BusinessError(_("Only current members of this community's residents' "
                                  "committee attend as committee members."),
                                code=Code.NOT_MEMBER, details={"membership_ids": sorted(unknown)})
        voted = set(VoteCast.objects.filter(motion__meeting=meeting)
                    .values_list("representative_id", flat=True))
        if voted - present:
            names = sorted(r.name for r in reps if r.pk in voted - present)
            raise Conflict(_("%(names)s voted in this meeting and cannot be recorded as "
                             "absent.") % {"names": "、".join(names)}, code=Code.VOTED_ABSENT)
        before = meeting.present
        meeting.attendance.all().delete()
        Attendance.objects.bulk_create(
            [Attendance(meeting=meeting, representative=r, present=r.pk in present)
             for r in reps]
            + [Attendance(meeting=meeting, membership=m, present=m.pk in present_members)
               for m in members])
        was = meeting.quorate
        meeting.members = len(reps) + len(members)
        meeting.present = len(present) + len(present_members)
        meeting.quorate = law.quorate(profile, meeting.present, meeting.members)
        meeting.profile_version = profile.version
        inputs = {"present": meeting.present, "members": meeting.members, "profile": profile}
        changes = {"members": meeting.members, "present": meeting.present,
                   "representatives_present": sorted(present),
                   "committee_present": sorted(present_members),
                   "quorate": meeting.quorate, "profile_version": profile.version}
        fields = ["members", "present", "quorate", "profile_version"]
        if correcting and was == meeting.quorate:
            changes["present_before"] = before
            MEETING.move(actor=actor, obj=meeting, action=Meeting.Action.CORRECT,
                         inputs=inputs, update_fields=fields, changes=changes)
        else:
            MEETING.move(actor=actor, obj=meeting,
                         action=Meeting.Action.OPEN if meeting.quorate
                         else Meeting.Action.NO_QUORUM,
                         inputs=inputs, update_fields=fields, changes=changes)
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


def record_count(*, actor: Any, motion_id: int, votes_for: int, votes_against: int,
                 abstentions: int) -> Motion:
    """The clerk enters the count of a show of hands or a paper ballot for everyone
    present, representatives without an account included. Each figure is at least the
    votes already cast through the site for that choice, and together they are at most
    the number present; the count can be entered again until the vote is closed."""
    motion = get(Motion, motion_id, _("Motion"))
    authz.check(actor, Perm.MANAGE, motion.area_code)
    figures = {Choice.FOR: votes_for, Choice.AGAINST: votes_against,
               Choice.ABSTAIN: abstentions}
    labels = {Choice.FOR: _("for"), Choice.AGAINST: _("against"),
              Choice.ABSTAIN: _("abstain")}
    for choice, n in figures.items():
        if n is None or n < 0:
            raise BusinessError(_("Enter the number of votes %(c)s as a whole number, 0 or "
                                  "more.") % {"c": labels[choice]}, code=Code.NEGATIVE,
                                details={"choice": choice})
    with transaction.atomic():
        motion = locked(Motion, motion_id, _("Motion"))
        meeting = motion.meeting
        require_step(MOTION, motion, Motion.Action.COUNT)
        total = votes_for + votes_against + abstentions
        if total > meeting.present:
            raise BusinessError(
                _("%(total)d votes are more than the %(present)d members present.")
                % {"total": total, "present": meeting.present}, code=Code.COUNT_EXCEEDS,
                details={"total": total, "present": meeting.present})
        online = {c: motion.ballots.filter(choice=c).count() for c in Choice.values}
        for choice, n in figures.items():
            if n < online[choice]:
                raise BusinessError(
                    _("%(online)d representatives already voted %(c)s through the site; the "
                      "count for %(c)s cannot be lower.")
                    % {"online": online[choice], "c": labels[choice]},
                    code=Code.COUNT_EXCEEDS, details={"choice": choice, "online": online[choice]})
        motion.votes_for, motion.votes_against, motion.abstentions = (
            votes_for, votes_against, abstentions)
        motion.counted = True
        MOTION.move(actor=actor, obj=motion, action=Motion.Action.COUNT,
                    update_fields=["votes_for", "votes_against", "abstentions", "counted"],
                    changes={"for": votes_for, "against": votes_against,
                             "abstain": abstentions, "present": meeting.present})
    return motion


def close_motion(*, actor: Any, motion_id: int) -> Motion:
    """Count the votes (the clerk's count when entered, else the ballots cast through
    the site): carried by the profile's majority of those present; an adopted motion
    gets a resolution number and a resolution disclosure due within days."""
    motion = get(Motion, motion_id, _("Motion"))
    authz.check(actor, Perm.MANAGE, motion.area_code)
    with transaction.atomic():
        motion = locked(Motion, motion_id, _("Motion"))
        meeting = motion.meeting
        profile = law.profile_for(meeting.community_code)
        counts: dict[str, int]
        if motion.counted:
            counts = {Choice.FOR: motion.votes_for, Choice.AGAINST: motion.votes_against,
                      Choice.ABSTAIN: motion.abstentions}
        else:
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
                             "counted_by_clerk": motion.counted,
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
