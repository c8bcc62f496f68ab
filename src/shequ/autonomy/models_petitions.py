"""The residents' petitions: recall of a committee member or representative (RCL, VCL
Art. 16; ADR 0509-0513) and requests to convene a residents' meeting or the
representatives' conference (ADR 0511). Split from ``models.py`` by sub-domain; the app's
``models`` module imports these classes."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from shequ.autonomy.models import Meeting, Representative, _area_index

# people's models are named by label (this module is not a ``models`` module, which the
# import contract lets reach people.models for foreign keys)


class RecallPetition(models.Model):
    class State(models.TextChoices):
        COLLECTING = "collecting", _("Collecting signatures")
        SUBMITTED = "submitted", _("Threshold reached, awaiting reply")
        REPLIED = "replied", _("Member has replied")
        SCHEDULED = "scheduled", _("Recall vote set up")
        DECIDED = "decided", _("Vote result recorded")

    class Via(models.TextChoices):
        VOTERS = "voters", _("Voters jointly")
        REPRESENTATIVES = "representatives", _("Representatives jointly")

    class Outcome(models.TextChoices):
        RECALLED = "recalled", _("Recalled")
        NOT_RECALLED = "not_recalled", _("Not recalled")
        INVALID = "invalid", _("Vote invalid (turnout too low)")
        VOID = "void", _("Vote void (more ballots returned than issued)")
        LAPSED = "lapsed", _("Ended: the member had left before the vote")

    class Correction(models.TextChoices):
        """What a re-count that changed the announced outcome did to the term (ADR 0513)."""

        REINSTATED = "reinstated", _("The re-count overturned the recall: the member was "
                                     "reinstated, as if the term had not ended")
        ENDED_OTHERWISE = "ended_otherwise", _(
            "The re-count overturned the recall, but the membership has since ended for "
            "another reason: it was not reinstated")
        SUCCEEDED = "succeeded", _(
            "The re-count overturned the recall, but someone else has since taken the seat "
            "(or a new committee was elected): the member was not reinstated; the committee's "
            "record must be settled by hand")
        ENDED = "ended", _("The re-count passed the recall: the term ended on the day the "
                           "result was first announced")
        ALREADY_LEFT = "already_left", _("The re-count passed the recall, but the member had "
                                         "already left: nothing was ended")

    class Action(models.TextChoices):
        SIGN = "sign", _("sign")
        THRESHOLD = "threshold", _("reach the signature threshold")
        REPLY = "reply", _("record the member's reply")
        SCHEDULE = "schedule", _("set up the recall vote")
        RESULT = "result", _("record the vote result")

    community_code = models.CharField(_("community code"), max_length=12)
    area_code = models.CharField(_("area code"), max_length=15)
    membership = models.ForeignKey("people.Membership", null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    # a standing representative, where the profile lets residents recall one (ADR 0509)
    representative = models.ForeignKey(Representative, null=True, blank=True,
                                       on_delete=models.SET_NULL, related_name="recalls")
    member_name = models.CharField(_("member"), max_length=100)
    reasons = models.TextField(_("reasons"))
    initiator = models.ForeignKey("people.Resident", on_delete=models.PROTECT, related_name="+")
    via = models.CharField(_("started by"), max_length=16, choices=Via.choices,
                           default=Via.VOTERS)
    state = models.CharField(_("state"), max_length=12, choices=State.choices,
                             default=State.COLLECTING)
    voters = models.PositiveIntegerField(_("people entitled to sign"))
    signatures_needed = models.PositiveIntegerField()
    signature_count = models.PositiveIntegerField(default=0)
    reply = models.TextField(_("member's reply"), blank=True)
    replied_at = models.DateTimeField(null=True, blank=True)
    registered = models.PositiveIntegerField(null=True, blank=True)
    cast = models.PositiveIntegerField(null=True, blank=True)
    approve = models.PositiveIntegerField(null=True, blank=True)
    outcome = models.CharField(_("recall outcome"), max_length=14, choices=Outcome.choices, blank=True)
    profile_version = models.CharField(max_length=40)
    # the recall vote run by elections (ADR 0513): its roll, stations, tally and result
    vote = models.ForeignKey("elections.Election", null=True, blank=True,
                             on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("recall vote"))
    decided_on = models.DateField(_("result announced on"), null=True, blank=True)
    # a re-count announced again that changed the outcome: when, and what it did to the
    # term (ADR 0513; the corrected result stands from ``decided_on``)
    corrected_on = models.DateField(_("corrected by a re-count on"), null=True, blank=True)
    correction = models.CharField(_("effect of the correction"), max_length=16,
                                  choices=Correction.choices, blank=True)
    # petitions that reached their threshold before votes ran in elections may still have
    # their paper result entered as figures (ADR 0513); never a new petition
    legacy_figures = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("recall petition")
        verbose_name_plural = _("recall petitions")
        ordering = ["-created_at"]
        indexes = [_area_index("autonomy_recall_area")]

    def __str__(self) -> str:
        return self.member_name


class RecallSignature(models.Model):
    petition = models.ForeignKey(RecallPetition, on_delete=models.CASCADE,
                                 related_name="signatures")
    resident = models.ForeignKey("people.Resident", on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["petition", "resident"],
                                               name="autonomy_recall_sign_once")]

    def __str__(self) -> str:
        return f"{self._meta.model_name} {self.pk}"


class ConveneRequest(models.Model):
    """A request that obliges the committee to convene a residents' meeting or the
    representatives' conference (RCL 2018 Art. 10; VCL Arts. 21, 26; ADR 0511): signed
    by residents or representatives from the register, against a threshold fixed when it
    starts; once reached, the committee convenes within the profile's days."""

    class Kind(models.TextChoices):
        RESIDENTS_MEETING = "residents_meeting", _("Residents' meeting")
        CONFERENCE = "conference", _("Representatives' conference")

    class Via(models.TextChoices):
        RESIDENTS = "residents", _("Adult residents jointly")
        REPRESENTATIVES = "representatives", _("Representatives jointly")

    class State(models.TextChoices):
        COLLECTING = "collecting", _("Collecting signatures")
        SUBMITTED = "submitted", _("Threshold reached, to be convened")
        CONVENED = "convened", _("Meeting convened")

    class Action(models.TextChoices):
        SIGN = "sign", _("sign")
        THRESHOLD = "threshold", _("reach the signature threshold")
        CONVENE = "convene", _("record the meeting convened")

    community_code = models.CharField(_("community code"), max_length=12)
    area_code = models.CharField(_("area code"), max_length=15)
    kind = models.CharField(_("meeting requested"), max_length=20, choices=Kind.choices)
    via = models.CharField(_("requested by"), max_length=16, choices=Via.choices)
    subject = models.TextField(_("matters to discuss"))
    initiator = models.ForeignKey("people.Resident", on_delete=models.PROTECT, related_name="+")
    state = models.CharField(_("state"), max_length=12, choices=State.choices,
                             default=State.COLLECTING)
    base = models.PositiveIntegerField(_("people entitled to sign"))
    signatures_needed = models.PositiveIntegerField()
    signature_count = models.PositiveIntegerField(default=0)
    submitted_on = models.DateField(_("threshold reached on"), null=True, blank=True)
    due_on = models.DateField(_("to be convened by"), null=True, blank=True)
    meeting = models.ForeignKey(Meeting, null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="requests")
    notice_on = models.DateField(_("notice sent on"), null=True, blank=True)
    held_on = models.DateField(_("meeting held on"), null=True, blank=True)
    profile_version = models.CharField(max_length=40)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("request to convene")
        verbose_name_plural = _("requests to convene")
        ordering = ["-created_at", "-id"]
        indexes = [_area_index("autonomy_convreq_area")]

    def __str__(self) -> str:
        return f"{self._meta.model_name} {self.pk}"


class ConveneSignature(models.Model):
    request = models.ForeignKey(ConveneRequest, on_delete=models.CASCADE,
                                related_name="signatures")
    resident = models.ForeignKey("people.Resident", on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["request", "resident"],
                                               name="autonomy_convene_sign_once")]

    def __str__(self) -> str:
        return f"{self._meta.model_name} {self.pk}"
