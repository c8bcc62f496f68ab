"""Direct elections of residents' committees.

An :class:`Election` belongs to one community (``area_code``) and carries a snapshot of
its rule profile (``rules.py``), its posts, its voter roll, candidates, polling stations,
station tallies (each entered twice) and counted results. Results are immutable once
announced: a correction is a new :class:`Result` version made by an audited re-count.

"Nobody on two rolls": a :class:`Voter` row is *active* while its election is open; a
partial unique index on the identity hash of active rows makes a second roll entry for
the same person impossible anywhere in the system (ADR 0602).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from shequ.core.errors import Conflict
from shequ.elections.enums import Code


class Status(models.TextChoices):
    SETUP = "setup", _("Set-up")
    ROLL_PUBLISHED = "roll_published", _("Roll published")
    NOMINATING = "nominating", _("Nominations open")
    CANDIDATES_ANNOUNCED = "candidates_announced", _("Candidates announced")
    POLLING = "polling", _("Polling")
    COUNTING = "counting", _("Counting")
    COUNTED = "counted", _("Counted")
    SUPPLEMENTARY = "supplementary", _("Supplementary round polling")
    ANNOUNCED = "announced", _("Results announced")
    CANCELLED = "cancelled", _("Cancelled")


class Action(models.TextChoices):
    """The steps of an election's lifecycle (``lifecycles.ELECTION``)."""

    PUBLISH_ROLL = "publish_roll", _("Publish the roll")
    OPEN_NOMINATIONS = "open_nominations", _("Open nominations")
    ANNOUNCE_CANDIDATES = "announce_candidates", _("Announce the formal candidates")
    OPEN_POLLING = "open_polling", _("Open polling")
    CLOSE_POLLING = "close_polling", _("Close polling and start counting")
    COUNT = "count", _("Count")
    START_SUPPLEMENTARY = "start_supplementary", _("Start the supplementary round")
    ANNOUNCE = "announce", _("Announce the results")
    RECOUNT = "recount", _("Re-count")
    CANCEL = "cancel", _("Cancel the election")


class Mode(models.TextChoices):
    ALL_VOTERS = "all_voters", _("All voters")
    HOUSEHOLD = "household", _("Household representatives")
    GROUP_REPRESENTATIVES = "group_representatives", _("Residents' group representatives")


class Kind(models.TextChoices):
    GENERAL = "general", _("General election")
    BY_ELECTION = "by_election", _("By-election")
    # a single yes/no question put to the roll: "是否罢免 X" (ADR 0612)
    RECALL = "recall", _("Recall vote")


class Outcome(models.TextChoices):
    COMPLETE = "complete", _("All seats filled")
    SUPPLEMENTARY_NEEDED = "supplementary_round_needed", _("Supplementary round needed")
    VACANT = "vacant", _("Some seats remain vacant")
    INVALID_TURNOUT = "invalid_turnout", _("Invalid: not more than half of the voters voted")
    VOID = "void", _("Void: more ballots returned than issued")
    # a recall vote's outcomes (ADR 0612)
    RECALLED = "recalled", _("Recalled: more than half of the ballots cast approve")
    NOT_RECALLED = "not_recalled", _("Not recalled: not more than half of the ballots cast "
                                     "approve")


class Election(models.Model):
    area_code = models.CharField(_("community code"), max_length=15)
    name = models.CharField(_("name"), max_length=150)
    kind = models.CharField(_("kind"), max_length=15, choices=Kind.choices, default=Kind.GENERAL)
    mode = models.CharField(_("election mode"), max_length=25, choices=Mode.choices,
                            default=Mode.ALL_VOTERS)
    profile = models.JSONField(_("rule profile (snapshot)"))
    status = models.CharField(_("status"), max_length=25, choices=Status.choices, default=Status.SETUP)
    round = models.PositiveSmallIntegerField(_("round"), default=1)
    voting_day = models.DateField(_("voting day"))
    roll_published_on = models.DateField(_("roll published on"), null=True, blank=True)
    candidates_announced_on = models.DateField(_("candidates announced on"), null=True, blank=True)
    registered = models.PositiveIntegerField(_("registered voters"), null=True, blank=True,
                                             help_text=_("Frozen when polling opens."))
    supplementary_ballot = models.JSONField(default=list, blank=True)
    outcome = models.CharField(_("outcome"), max_length=30, choices=Outcome.choices, blank=True)
    announced_at = models.DateTimeField(_("announced at"), null=True, blank=True)
    replaces = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="by_elections", verbose_name=_("by-election for"))
    # a recall vote (kind ``recall``): the person the question names, and the area whose
    # voters make the roll when it is smaller than the community (a representative's
    # compound); blank: the whole community (ADR 0612)
    recall_subject = models.CharField(_("person whose recall is put to the vote"),
                                      max_length=100, blank=True)
    roll_area_code = models.CharField(_("area of the roll"), max_length=15, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("election")
        verbose_name_plural = _("elections")
        ordering = ["-voting_day", "area_code"]
        indexes = [models.Index(fields=["area_code"], name="election_area",
                                opclasses=["varchar_pattern_ops"]),
                   models.Index(fields=["status"], name="election_status")]

    def __str__(self) -> str:
        return self.name


class ElectionPost(models.Model):
    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="posts")
    code = models.CharField(_("post"), max_length=30)
    label = models.CharField(_("label"), max_length=50)
    seats = models.PositiveSmallIntegerField(_("seats"))
    women_only = models.BooleanField(_("women only"), default=False)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("post")
        verbose_name_plural = _("posts")
        ordering = ["order", "pk"]
        constraints = [models.UniqueConstraint(fields=["election", "code"], name="election_post_unique")]

    def __str__(self) -> str:
        return self.label


class Station(models.Model):
    class Kind(models.TextChoices):
        FIXED = "fixed", _("Polling station")
        MOBILE = "mobile", _("Mobile ballot box")

    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="stations")
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.FIXED)
    place = models.CharField(_("place"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("polling station")
        verbose_name_plural = _("polling stations")
        ordering = ["pk"]
        constraints = [models.UniqueConstraint(fields=["election", "name"], name="station_name_unique")]

    def __str__(self) -> str:
        return self.name


class Basis(models.TextChoices):
    REGISTERED_RESIDENT = "registered_resident", _("Registered and living here")
    REGISTERED_AWAY = "registered_away", _("Registered here, living away, asked to vote")
    # the stored key keeps its old name; the period is the profile's (ADR 0609)
    RESIDENT_ONE_YEAR = "resident_one_year", _("Living here without household registration, asked")
    COMMUNITY_WORKER = "community_worker", _("Community worker here, asked, confirmed by the "
                                             "election committee")
    HOUSEHOLD_REPRESENTATIVE = "household_representative", _("Household representative")
    GROUP_REPRESENTATIVE = "group_representative", _("Residents' group representative")
    OBJECTION = "objection", _("Added on an objection")


class Relation(models.TextChoices):
    """Close relatives (近亲属) to whom a written proxy may be given (村民委员会组织法 第十五条)."""

    SPOUSE = "spouse", _("spouse")
    PARENT = "parent", _("parent")
    CHILD = "child", _("child")
    SIBLING = "sibling", _("sibling")
    GRANDPARENT = "grandparent", _("grandparent")
    GRANDCHILD = "grandchild", _("grandchild")


class Voter(models.Model):
    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="voters")
    area_code = models.CharField(_("area code"), max_length=15)
    resident = models.ForeignKey("people.Resident", on_delete=models.PROTECT, related_name="+")
    id_hash = models.CharField(max_length=64)
    name = models.CharField(_("name"), max_length=100)
    sex = models.CharField(_("sex"), max_length=1, blank=True)
    basis = models.CharField(_("basis"), max_length=30, choices=Basis.choices)
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    group = models.CharField(_("residents' group"), max_length=50, blank=True)
    station = models.ForeignKey(Station, null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="voters", verbose_name=_("polling station"))
    active = models.BooleanField(_("on an open roll"), default=True,
                                 help_text=_("On the roll of an election still in progress."))
    confirmed_on = models.DateField(_("confirmed by the election committee on"), null=True,
                                    blank=True)
    confirmation = models.CharField(_("election committee's confirmation"), max_length=200,
                                    blank=True)
    removed = models.BooleanField(_("removed"), default=False)
    removed_reason = models.CharField(_("reason for removal"), max_length=300, blank=True)
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("voter")
        verbose_name_plural = _("voters")
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["election", "id_hash"], name="voter_once_per_roll"),
            models.UniqueConstraint(fields=["id_hash"], condition=Q(active=True),
                                    name="voter_one_open_roll"),
        ]
        indexes = [models.Index(fields=["area_code"], name="voter_area",
                                opclasses=["varchar_pattern_ops"])]

    def __str__(self) -> str:
        return self.name


class Objection(models.Model):
    class Kind(models.TextChoices):
        OMISSION = "omission", _("Someone eligible is missing")
        WRONGFUL = "wrongful", _("Someone on the roll is not eligible")

    class Decision(models.TextChoices):
        PENDING = "", _("Pending")
        UPHELD = "upheld", _("Upheld")
        REJECTED = "rejected", pgettext_lazy("objection", "Rejected")

    class Action(models.TextChoices):
        UPHOLD = "uphold", _("Uphold")
        REJECT = "reject", pgettext_lazy("objection", "Reject")

    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="objections")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    voter = models.ForeignKey(Voter, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    resident = models.ForeignKey("people.Resident", null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="+")
    filed_by = models.CharField(_("filed by"), max_length=100)
    reason = models.CharField(_("reason"), max_length=500)
    filed_on = models.DateField(_("filed on"))
    decision = models.CharField(_("decision"), max_length=10, choices=Decision.choices, blank=True)
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    decision_reason = models.CharField(_("reasons for the decision"), max_length=500, blank=True)
    decided_late = models.BooleanField(_("decided after the statutory period"), default=False)

    class Meta:
        verbose_name = _("objection")
        verbose_name_plural = _("objections")
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.reason[:30]}"


class Proxy(models.Model):
    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="proxies")
    principal = models.OneToOneField(Voter, on_delete=models.CASCADE, related_name="proxy_given")
    proxy = models.ForeignKey(Voter, on_delete=models.CASCADE, related_name="proxies_held")
    relation = models.CharField(_("relation"), max_length=20, choices=Relation.choices)
    registered_on = models.DateField(_("registered on"))

    class Meta:
        verbose_name = _("written proxy")
        verbose_name_plural = _("written proxies")
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.principal} → {self.proxy}"


class Candidate(models.Model):
    class State(models.TextChoices):
        NOMINATED = "nominated", _("Nominated")
        FORMAL = "formal", _("Formal candidate")
        WITHDRAWN = "withdrawn", pgettext_lazy("candidate", "Withdrawn")

    class Action(models.TextChoices):
        MAKE_FORMAL = "make_formal", _("Make a formal candidate")
        WITHDRAW = "withdraw", _("Withdraw")

    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="candidates")
    post = models.ForeignKey(ElectionPost, on_delete=models.CASCADE, related_name="candidates")
    voter = models.ForeignKey(Voter, on_delete=models.PROTECT, related_name="candidacies")
    name = models.CharField(_("name"), max_length=100)
    sex = models.CharField(_("sex"), max_length=1)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.NOMINATED)
    nominators = models.ManyToManyField(Voter, related_name="nominations", blank=True)
    statement = models.CharField(_("short introduction"), max_length=500, blank=True)
    withdrawn_reason = models.CharField(_("reason for withdrawal"), max_length=300, blank=True)
    nominated_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("candidate")
        verbose_name_plural = _("candidates")
        ordering = ["post__order", "pk"]
        constraints = [models.UniqueConstraint(fields=["election", "voter"], name="candidate_once")]

    def __str__(self) -> str:
        return self.name


class TallyEntry(models.Model):
    """One person's typing of one station's paper tally sheet."""

    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="tally_entries")
    station = models.ForeignKey(Station, on_delete=models.CASCADE, related_name="entries")
    round = models.PositiveSmallIntegerField(_("round"))
    data = models.JSONField()
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    entered_by_name = models.CharField(max_length=150)
    entered_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("tally entry")
        verbose_name_plural = _("tally entries")
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.station} r{self.round} {self.entered_by_name}"


class StationTally(models.Model):
    """The confirmed tally of a station for a round (versioned: a re-count adds one)."""

    class Method(models.TextChoices):
        MATCHED = "matched", _("Two matching entries")
        RESOLVED = "resolved", _("Difference resolved")
        RECOUNT = "recount", _("Re-count")

    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="tallies")
    station = models.ForeignKey(Station, on_delete=models.CASCADE, related_name="tallies")
    round = models.PositiveSmallIntegerField(_("round"))
    version = models.PositiveSmallIntegerField(default=1)
    current = models.BooleanField(default=True)
    data = models.JSONField()
    method = models.CharField(_("method"), max_length=10, choices=Method.choices)
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    confirmed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("confirmed station tally")
        verbose_name_plural = _("confirmed station tallies")
        ordering = ["station_id", "round", "version"]
        constraints = [
            models.UniqueConstraint(fields=["station", "round", "version"], name="tally_version_unique"),
            models.UniqueConstraint(fields=["station", "round"], condition=Q(current=True),
                                    name="tally_one_current"),
        ]

    def __str__(self) -> str:
        return f"{self.station} r{self.round} v{self.version}"


class Result(models.Model):
    """A count of the election (all rounds so far); immutable once announced."""

    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="results")
    version = models.PositiveSmallIntegerField(default=1)
    result = models.JSONField()
    outcome = models.CharField(max_length=30, choices=Outcome.choices)
    counted_at = models.DateTimeField(auto_now_add=True)
    counted_by_name = models.CharField(max_length=150)
    announced_at = models.DateTimeField(null=True, blank=True)
    recount_reason = models.CharField(max_length=500, blank=True)

    class Meta:
        verbose_name = _("result")
        verbose_name_plural = _("results")
        ordering = ["election_id", "version"]
        constraints = [models.UniqueConstraint(fields=["election", "version"], name="result_version_unique")]

    def __str__(self) -> str:
        return f"{self.election} v{self.version}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk and Result.objects.filter(pk=self.pk, announced_at__isnull=False).exists():
            raise Conflict(_("Announced results cannot be changed; a correction needs an audited "
                             "re-count."), code=Code.RESULT_IMMUTABLE)
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        if self.announced_at is not None:
            raise Conflict(_("Announced results cannot be changed; a correction needs an audited "
                             "re-count."), code=Code.RESULT_IMMUTABLE)
        return super().delete(*args, **kwargs)
