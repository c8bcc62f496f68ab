"""Resident self-governance: representatives, meetings, proposals, evaluation, disclosure
and recall. Rows carry ``area_code`` (the community, or a compound below it) and
``community_code`` so selectors scope by prefix and tables partition by division."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from shequ.people.models import Membership, Resident


def _area_index(name: str) -> models.Index:
    return models.Index(fields=["area_code"], name=name, opclasses=["varchar_pattern_ops"])


class Constituency(models.Model):
    class Kind(models.TextChoices):
        COMPOUND = "compound", _("Residential compound")
        GROUP = "group", _("Residents' group")

    community_code = models.CharField(_("community code"), max_length=12)
    area_code = models.CharField(_("area code"), max_length=15)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=100)
    households = models.PositiveIntegerField(_("households"), default=0)
    seats = models.PositiveSmallIntegerField(_("representative seats"), default=1)
    profile_version = models.CharField(max_length=40, blank=True)

    class Meta:
        verbose_name = _("constituency")
        verbose_name_plural = _("constituencies")
        ordering = ["community_code", "name"]
        constraints = [models.UniqueConstraint(fields=["community_code", "name"],
                                               name="autonomy_constituency_unique")]
        indexes = [_area_index("autonomy_const_area")]

    def __str__(self) -> str:
        return self.name


class Representative(models.Model):
    class Status(models.TextChoices):
        ACTIVE = "active", _("Serving")
        ENDED = "ended", _("Ended")

    class Source(models.TextChoices):
        ELECTION = "election", _("General election")
        BY_ELECTION = "by_election", _("By-election")

    class Action(models.TextChoices):
        END = "end", _("end the term")
        REPLACE = "replace", _("replace through a by-election")
        # only on behalf of a re-count that overturned the recall that ended the term
        REINSTATE = "reinstate", _("reinstate: a re-count overturned the recall")

    constituency = models.ForeignKey(Constituency, on_delete=models.PROTECT,
                                     related_name="representatives")
    resident = models.ForeignKey(Resident, on_delete=models.PROTECT,
                                 related_name="representative_terms")
    name = models.CharField(_("name"), max_length=100)
    community_code = models.CharField(_("community code"), max_length=12)
    area_code = models.CharField(_("area code"), max_length=15)
    term_start = models.DateField(_("term from"))
    term_end = models.DateField(_("term until"))
    duties = models.TextField(_("duties"), blank=True)
    source = models.CharField(_("source"), max_length=12, choices=Source.choices,
                              default=Source.ELECTION)
    status = models.CharField(_("status"), max_length=8, choices=Status.choices,
                              default=Status.ACTIVE)
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    end_reason = models.CharField(_("end reason"), max_length=200, blank=True)
    replaces = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="successors")

    class Meta:
        verbose_name = _("standing representative")
        verbose_name_plural = _("standing representatives")
        ordering = ["constituency__name", "name"]
        constraints = [models.UniqueConstraint(
            fields=["resident", "community_code"], condition=models.Q(status="active"),
            name="autonomy_rep_active_unique")]
        indexes = [_area_index("autonomy_rep_area")]

    def __str__(self) -> str:
        return self.name


class Meeting(models.Model):
    class Kind(models.TextChoices):
        CONFERENCE = "conference", _("Representative conference")
        COUNCIL = "council", _("Council meeting (议事会)")

    class Status(models.TextChoices):
        NOTIFIED = "notified", _("Notice sent")
        OPEN = "open", _("In session")
        NO_QUORUM = "no_quorum", _("No quorum")
        CLOSED = "closed", _("Meeting closed")

    class Action(models.TextChoices):
        OPEN = "open", _("open the session (quorum reached)")
        NO_QUORUM = "no_quorum", _("record that there is no quorum")
        ADD_MOTION = "add_motion", _("add a motion")
        CORRECT = "correct_attendance", _("correct the attendance")
        CLOSE = "close", _("close the meeting")

    community_code = models.CharField(_("community code"), max_length=12)
    area_code = models.CharField(_("area code"), max_length=15)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    agenda = models.TextField(_("agenda"))
    location = models.CharField(_("location"), max_length=200, blank=True)
    notice_on = models.DateField(_("notice sent on"))
    held_on = models.DateField(_("held on"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices,
                              default=Status.NOTIFIED)
    members = models.PositiveIntegerField(_("members expected"), default=0)
    present = models.PositiveIntegerField(_("present"), default=0)
    quorate = models.BooleanField(_("quorum reached"), null=True)
    minutes = models.TextField(_("minutes"), blank=True)
    profile_version = models.CharField(max_length=40)

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["-held_on", "-id"]
        indexes = [_area_index("autonomy_meeting_area")]

    def __str__(self) -> str:
        return self.title


class Attendance(models.Model):
    """One member of the meeting: a serving representative or a member of the residents'
    committee (the conference's members, VCL Art. 25–26; ADR 0508)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    representative = models.ForeignKey(Representative, null=True, blank=True,
                                       on_delete=models.PROTECT, related_name="attendance")
    membership = models.ForeignKey(Membership, null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    present = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["meeting", "representative"],
                                    name="autonomy_attendance_unique"),
            models.UniqueConstraint(fields=["meeting", "membership"],
                                    name="autonomy_attendance_member_unique"),
            models.CheckConstraint(
                condition=(models.Q(representative__isnull=False, membership__isnull=True)
                           | models.Q(representative__isnull=True, membership__isnull=False)),
                name="autonomy_attendance_one_member"),
        ]

    def __str__(self) -> str:
        return f"{self._meta.model_name} {self.pk}"


class Motion(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("Voting")
        ADOPTED = "adopted", _("Adopted")
        REJECTED = "rejected", _("Not carried")

    class Action(models.TextChoices):
        VOTE = "vote", _("vote")
        COUNT = "count", _("record the count (show of hands or paper ballot)")
        ADOPT = "adopt", _("close the vote: adopted")
        REJECT = "reject", _("close the vote: not carried")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="motions")
    title = models.CharField(_("title"), max_length=200)
    text = models.TextField(_("text"), blank=True)
    personnel = models.BooleanField(_("personnel matter"), default=False)
    secret = models.BooleanField(_("secret ballot"), default=False)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices,
                              default=Status.OPEN)
    votes_for = models.PositiveIntegerField(default=0)
    votes_against = models.PositiveIntegerField(default=0)
    abstentions = models.PositiveIntegerField(default=0)
    # the clerk entered the count of a show of hands or paper ballot for everyone present
    counted = models.BooleanField(default=False)
    resolution_number = models.CharField(_("resolution number"), max_length=40, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    profile_version = models.CharField(max_length=40, blank=True)
    area_code = models.CharField(_("area code"), max_length=15)

    class Meta:
        verbose_name = _("motion")
        verbose_name_plural = _("motions")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.title


class Choice(models.TextChoices):
    FOR = "for", _("For")
    AGAINST = "against", _("Against")
    ABSTAIN = "abstain", _("Abstain")


class VoteCast(models.Model):
    """That a representative voted (one per motion); what they chose is in
    :class:`Ballot`, linked to them only when the ballot is open."""

    motion = models.ForeignKey(Motion, on_delete=models.CASCADE, related_name="casts")
    representative = models.ForeignKey(Representative, on_delete=models.PROTECT,
                                       related_name="votes_cast")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["motion", "representative"],
                                               name="autonomy_vote_once")]

    def __str__(self) -> str:
        return f"{self._meta.model_name} {self.pk}"


class Ballot(models.Model):
    motion = models.ForeignKey(Motion, on_delete=models.CASCADE, related_name="ballots")
    choice = models.CharField(max_length=8, choices=Choice.choices)
    voter = models.ForeignKey(Representative, null=True, blank=True, on_delete=models.PROTECT,
                              related_name="open_ballots")

    def __str__(self) -> str:
        return f"{self._meta.model_name} {self.pk}"


class Proposal(models.Model):
    class Via(models.TextChoices):
        REPRESENTATIVE = "representative", _("By a representative")
        RESIDENTS = "residents", _("By residents jointly")

    class State(models.TextChoices):
        COLLECTING = "collecting", _("Collecting co-signers")
        SUBMITTED = "submitted", _("Submitted, awaiting review")
        ADMITTED = "admitted", _("Admitted for deliberation")
        REJECTED = "rejected", _("Not admitted")
        SCHEDULED = "scheduled", _("On a meeting agenda")
        ADOPTED = "adopted", _("Adopted")
        NOT_ADOPTED = "not_adopted", _("Not adopted")
        IN_PROGRESS = "in_progress", _("Being implemented")
        IMPLEMENTED = "implemented", _("Implemented, awaiting residents' feedback")
        CLOSED = "closed", _("Closed with feedback")
        WITHDRAWN = "withdrawn", _("Withdrawn by the proposer")

    class Action(models.TextChoices):
        SUBMIT = "submit", _("submit")
        EDIT = "edit", _("edit")
        COSIGN = "cosign", _("co-sign")
        COSIGNED = "cosigned", _("reach the co-signer threshold")
        COMMENT = "comment", _("comment")
        WITHDRAW = "withdraw", _("withdraw")
        ADMIT = "admit", _("admit")
        REJECT = "reject", _("not admit")
        SCHEDULE = "schedule", _("put on a meeting's agenda")
        ADOPT = "adopt", _("adopt")
        NOT_ADOPT = "not_adopt", _("not adopt")
        UNSCHEDULE = "unschedule", _("return to the queue")
        ASSIGN = "assign", _("assign for implementation")
        PROGRESS = "progress", _("report progress")
        COMPLETE = "complete", _("mark as implemented")
        RATE = "rate", _("rate")
        CLOSE = "close", _("close")

    number = models.CharField(_("number"), max_length=40, unique=True)
    community_code = models.CharField(_("community code"), max_length=12)
    area_code = models.CharField(_("area code"), max_length=15)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("proposal"))
    via = models.CharField(_("proposed"), max_length=16, choices=Via.choices)
    proposer = models.ForeignKey(Resident, on_delete=models.PROTECT, related_name="proposals")
    proposer_name = models.CharField(_("proposer"), max_length=100)
    state = models.CharField(_("state"), max_length=16, db_index=True, choices=State.choices)
    cosigners_needed = models.PositiveIntegerField(default=0)
    cosigner_count = models.PositiveIntegerField(default=0)
    review_reason = models.TextField(_("review reasons"), blank=True)
    meeting = models.ForeignKey(Meeting, null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="proposals")
    motion = models.ForeignKey(Motion, null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="proposals")
    assignee = models.CharField(_("implemented by"), max_length=150, blank=True)
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    feedback = models.TextField(_("feedback"), blank=True)
    satisfaction = models.DecimalField(_("satisfaction"), max_digits=3, decimal_places=2,
                                       null=True, blank=True)
    profile_version = models.CharField(max_length=40)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")
        ordering = ["-created_at", "-id"]
        indexes = [_area_index("autonomy_proposal_area")]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"


# States no step leaves (the proposal lifecycle declares them; ``test_lifecycles`` checks)
PROPOSAL_FINAL = frozenset({Proposal.State.REJECTED, Proposal.State.NOT_ADOPTED,
                            Proposal.State.CLOSED, Proposal.State.WITHDRAWN})


class CoSignature(models.Model):
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="cosignatures")
    resident = models.ForeignKey(Resident, on_delete=models.PROTECT, related_name="cosignatures")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["proposal", "resident"],
                                               name="autonomy_cosign_once")]

    def __str__(self) -> str:
        return f"{self._meta.model_name} {self.pk}"


class ProposalEvent(models.Model):
    """The proposal's public history: every step, comment and progress update. Names of
    residents appear masked (张*)."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(auto_now_add=True)
    action = models.CharField(max_length=20, choices=Proposal.Action.choices)
    state = models.CharField(max_length=16, blank=True, choices=Proposal.State.choices)
    who = models.CharField(max_length=100, blank=True)  # masked resident, staff user, "system"
    note = models.TextField(blank=True)
    data = models.JSONField(default=dict, blank=True)  # generated text: {"text": key, "params": {}}

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self._meta.model_name} {self.pk}"

    @property
    def who_shown(self) -> str:
        """Who took the step, in the reader's language: the system actor is a word."""
        return str(_("system")) if self.who == "system" else self.who


class Satisfaction(models.Model):
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE,
                                 related_name="satisfaction_ratings")
    resident = models.ForeignKey(Resident, on_delete=models.PROTECT, related_name="+")
    score = models.PositiveSmallIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["proposal", "resident"], name="autonomy_satisfaction_once"),
            models.CheckConstraint(condition=models.Q(score__gte=1, score__lte=5),
                                   name="autonomy_satisfaction_range"),
        ]

    def __str__(self) -> str:
        return f"{self._meta.model_name} {self.pk}"


class EvaluationCampaign(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("Open for ratings")
        CLOSED = "closed", _("Results published")

    class Action(models.TextChoices):
        RATE = "rate", _("rate")
        CLOSE = "close", _("close and publish the results")

    community_code = models.CharField(_("community code"), max_length=12)
    area_code = models.CharField(_("area code"), max_length=15)
    title = models.CharField(_("title"), max_length=200)
    year = models.PositiveSmallIntegerField(_("year"))
    criteria = models.JSONField(_("criteria"), default=list)
    opens_on = models.DateField(_("opens on"))
    closes_on = models.DateField(_("closes on"))
    status = models.CharField(_("status"), max_length=8, choices=Status.choices,
                              default=Status.OPEN)
    raters = models.PositiveIntegerField(default=0)
    profile_version = models.CharField(max_length=40)

    class Meta:
        verbose_name = _("evaluation campaign")
        verbose_name_plural = _("evaluation campaigns")
        ordering = ["-year", "-id"]
        indexes = [_area_index("autonomy_eval_area")]

    def __str__(self) -> str:
        return self.title


class EvaluationTarget(models.Model):
    class Kind(models.TextChoices):
        MEMBER = "member", _("Committee member")
        STATION = "station", _("Service station")
        DEPARTMENT = "department", _("Street department")

    campaign = models.ForeignKey(EvaluationCampaign, on_delete=models.CASCADE,
                                 related_name="targets")
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=150)
    person_key = models.CharField(max_length=40, blank=True,
                                  help_text="resident id of a member, to follow them across campaigns")
    membership = models.ForeignKey(Membership, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    ratings = models.PositiveIntegerField(default=0)
    fit = models.PositiveIntegerField(default=0)
    basically_fit = models.PositiveIntegerField(default=0)
    unfit = models.PositiveIntegerField(default=0)
    scores = models.JSONField(default=dict)  # criterion → average
    rated_unfit = models.BooleanField(null=True)
    flagged = models.BooleanField(default=False)

    class Meta:
        ordering = ["kind", "name"]

    def __str__(self) -> str:
        return f"{self._meta.model_name} {self.pk}"


class EvaluationBallot(models.Model):
    """That a person rated in a campaign (once); their answers are stored without them."""

    campaign = models.ForeignKey(EvaluationCampaign, on_delete=models.CASCADE,
                                 related_name="ballots")
    resident = models.ForeignKey(Resident, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["campaign", "resident"],
                                               name="autonomy_rate_once")]

    def __str__(self) -> str:
        return f"{self._meta.model_name} {self.pk}"


class Verdict(models.TextChoices):
    FIT = "fit", _("Fit (称职)")
    BASICALLY_FIT = "basically_fit", _("Basically fit (基本称职)")
    UNFIT = "unfit", _("Unfit (不称职)")


class EvaluationAnswer(models.Model):
    target = models.ForeignKey(EvaluationTarget, on_delete=models.CASCADE, related_name="answers")
    verdict = models.CharField(max_length=14, choices=Verdict.choices)
    scores = models.JSONField(default=dict)

    def __str__(self) -> str:
        return f"{self._meta.model_name} {self.pk}"


class Disclosure(models.Model):
    class Category(models.TextChoices):
        FINANCE = "finance", _("Finances")
        AFFAIRS = "affairs", _("Community affairs")
        MAJOR = "major", _("Major matter")
        RESOLUTION = "resolution", _("Proposals and resolutions")

    class Status(models.TextChoices):
        PLANNED = "planned", _("Due, not yet published")
        OVERDUE = "overdue", _("Overdue, flagged to the street")
        PUBLISHED = "published", _("Published")

    class Action(models.TextChoices):
        PUBLISH = "publish", _("publish")
        FLAG_OVERDUE = "flag_overdue", _("flag as overdue to the street")

    community_code = models.CharField(_("community code"), max_length=12)
    area_code = models.CharField(_("area code"), max_length=15)
    category = models.CharField(_("category"), max_length=12, choices=Category.choices)
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period until"))
    due_on = models.DateField(_("disclosure due on"))
    # empty for the calendar's rows: their heading is made from category and period when
    # shown, in the reader's language (stored words are keys, ADR 0011)
    title = models.CharField(_("title"), max_length=200, blank=True)
    body = models.TextField(_("content"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices,
                              default=Status.PLANNED)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    overdue_flagged_at = models.DateTimeField(_("flagged overdue to the street"), null=True,
                                              blank=True)
    street_code = models.CharField(max_length=9)
    profile_version = models.CharField(max_length=40)

    class Meta:
        verbose_name = _("disclosure")
        verbose_name_plural = _("disclosures")
        ordering = ["due_on", "category"]
        constraints = [models.UniqueConstraint(
            fields=["community_code", "category", "period_start"],
            condition=~models.Q(category="major") & ~models.Q(category="resolution"),
            name="autonomy_disclosure_period_unique")]
        indexes = [_area_index("autonomy_disclosure_area"),
                   models.Index(fields=["status", "due_on"], name="autonomy_disc_status_due")]

    def __str__(self) -> str:
        return self.heading

    @property
    def heading(self) -> str:
        """The title as shown: the one given, else category and period in the reader's
        language (the disclosure calendar stores no words)."""
        if self.title:
            return self.title
        return f"{self.get_category_display()} {self.period_start:%Y-%m}–{self.period_end:%Y-%m}"


class Question(models.Model):
    class Status(models.TextChoices):
        ASKED = "asked", _("Awaiting an answer")
        ANSWERED = "answered", _("Answered")

    class Action(models.TextChoices):
        ANSWER = "answer", _("answer")

    disclosure = models.ForeignKey(Disclosure, on_delete=models.CASCADE, related_name="questions")
    asker = models.ForeignKey(Resident, on_delete=models.PROTECT, related_name="+")
    asker_masked = models.CharField(max_length=20)
    text = models.TextField(_("question"))
    answer = models.TextField(_("answer"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices,
                              default=Status.ASKED)
    asked_at = models.DateTimeField(auto_now_add=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    area_code = models.CharField(max_length=15)

    class Meta:
        ordering = ["asked_at", "id"]

    def __str__(self) -> str:
        return f"{self._meta.model_name} {self.pk}"


# the residents' petitions (recall, requests to convene) live in their own module; imported
# here so Django and the rest of the project find every model of the app in one place
from shequ.autonomy.models_petitions import (  # noqa: E402
    ConveneRequest,
    ConveneSignature,
    RecallPetition,
    RecallSignature,
)

__all__ = ["Attendance", "Ballot", "Choice", "CoSignature", "Constituency", "ConveneRequest",
           "ConveneSignature", "Disclosure", "EvaluationAnswer", "EvaluationBallot",
           "EvaluationCampaign", "EvaluationTarget", "Meeting", "Motion", "Proposal",
           "ProposalEvent", "Question", "RecallPetition", "RecallSignature", "Representative",
           "Satisfaction", "Verdict", "VoteCast"]
