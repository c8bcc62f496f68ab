"""Community needs, social workers' linkage profiles, engagements and the figures the
ranking reads (track record, rating, current load)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from shequ.orgs.models import Category


class Providers(models.TextChoices):
    BOTH = "both", _("Organisations and social workers")
    ORGS = "orgs", _("Organisations only")
    WORKERS = "workers", _("Social workers only")


class NeedState(models.TextChoices):
    OPEN = "open", _("Open for providers")
    MATCHED = "matched", _("Matched")
    CLOSED = "closed", _("Closed")
    CANCELLED = "cancelled", _("Cancelled")


class NeedAction(models.TextChoices):
    MATCH = "match", _("Matched")
    CLOSE = "close", _("Close")
    CANCEL = "cancel", _("Cancel")


class Need(models.Model):
    """A need a community posts: what, where, for whom, and with what money (or none:
    volunteers only)."""

    area_code = models.CharField(_("community"), max_length=15)
    street_code = models.CharField(max_length=9)
    category = models.CharField(_("service category"), max_length=20, choices=Category.choices)
    title = models.CharField(_("title"), max_length=120)
    description = models.TextField(_("description"))
    address = models.CharField(_("place"), max_length=200)
    lat_e6 = models.IntegerField(null=True, blank=True)
    lon_e6 = models.IntegerField(null=True, blank=True)
    beneficiaries = models.PositiveIntegerField(_("beneficiaries"))
    budget_fen = models.BigIntegerField(_("budget (fen)"), null=True, blank=True)
    volunteer_only = models.BooleanField(_("volunteers only (no budget)"), default=False)
    providers = models.CharField(_("wanted"), max_length=8, choices=Providers.choices,
                                 default=Providers.BOTH)
    wanted_from = models.DateField(_("from"))
    wanted_to = models.DateField(_("until"))
    posted_on = models.DateField(_("posted on"))
    posted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="+")
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    state = models.CharField(_("state"), max_length=10, choices=NeedState.choices,
                             default=NeedState.OPEN)

    class Meta:
        verbose_name = _("need")
        verbose_name_plural = _("needs")
        ordering = ["-posted_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=(Q(volunteer_only=True, budget_fen__isnull=True)
                                              | Q(volunteer_only=False, budget_fen__gt=0)),
                                   name="linkage_need_money"),
            models.CheckConstraint(condition=Q(wanted_to__gte=models.F("wanted_from")),
                                   name="linkage_need_period"),
        ]
        indexes = [models.Index(fields=["area_code"], name="linkage_need_area",
                                opclasses=["varchar_pattern_ops"])]

    def __str__(self) -> str:
        return self.title


class WorkerProfile(models.Model):
    """A social worker (``people``) available for linkage: what they serve, where, how
    much they can take on at once."""

    staff = models.OneToOneField("people.StaffMember", on_delete=models.CASCADE,
                                 related_name="linkage_profile")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                             on_delete=models.SET_NULL, related_name="+",
                             help_text=_("The worker's own account, to answer invitations."))
    area_code = models.CharField(_("posted at"), max_length=15)
    categories = models.JSONField(_("service categories"), default=list)
    capacity = models.PositiveSmallIntegerField(_("engagements at once"), default=2)
    lat_e6 = models.IntegerField(null=True, blank=True)
    lon_e6 = models.IntegerField(null=True, blank=True)
    available = models.BooleanField(_("available"), default=True)

    class Meta:
        verbose_name = _("social worker's linkage profile")
        verbose_name_plural = _("social workers' linkage profiles")
        indexes = [models.Index(fields=["area_code"], name="linkage_worker_area",
                                opclasses=["varchar_pattern_ops"])]

    def __str__(self) -> str:
        return str(self.staff_id)


class WorkerSkill(models.Model):
    """One row per worker and category, with the worker's place: the ranking's index."""

    worker = models.ForeignKey(WorkerProfile, on_delete=models.CASCADE, related_name="skills")
    category = models.CharField(max_length=20, choices=Category.choices)
    main = models.BooleanField(default=False)
    lat_e6 = models.IntegerField(null=True, blank=True)
    lon_e6 = models.IntegerField(null=True, blank=True)
    area_code = models.CharField(max_length=15)
    available = models.BooleanField(default=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["worker", "category"],
                                               name="linkage_skill_unique")]
        indexes = [
            models.Index(fields=["category", "lat_e6", "lon_e6"], name="linkage_skill_near",
                         condition=Q(available=True)),
            models.Index(fields=["category", "area_code"], name="linkage_skill_area",
                         condition=Q(available=True),
                         opclasses=["varchar_pattern_ops", "varchar_pattern_ops"]),
        ]

    def __str__(self) -> str:
        return f"{self.worker_id}:{self.category}"


class ProviderKind(models.TextChoices):
    ORG = "org", _("Social organisation")
    WORKER = "worker", _("Social worker")


class ProviderStats(models.Model):
    """Running figures per provider, kept by the engagement steps: engagements under way,
    completed, and the sum and number of feedback ratings."""

    kind = models.CharField(max_length=6, choices=ProviderKind.choices)
    provider_id = models.BigIntegerField()
    active = models.PositiveIntegerField(default=0)
    completed = models.PositiveIntegerField(default=0)
    rating_sum = models.PositiveIntegerField(default=0)
    rating_n = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["kind", "provider_id"],
                                               name="linkage_stats_unique")]

    def __str__(self) -> str:
        return f"{self.kind}:{self.provider_id}"


class EngagementState(models.TextChoices):
    INVITED = "invited", _("Invited")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    WITHDRAWN = "withdrawn", _("Invitation withdrawn")
    STARTED = "started", _("Under way")
    COMPLETED = "completed", _("Completed, awaiting feedback")
    ABANDONED = "abandoned", _("Stopped before completion")
    CLOSED = "closed", _("Completed with feedback")


class EngagementAction(models.TextChoices):
    ACCEPT = "accept", _("Accept")
    DECLINE = "decline", _("Decline")
    WITHDRAW = "withdraw", _("Withdraw the invitation")
    START = "start", pgettext_lazy("engagement", "Start")
    COMPLETE = "complete", _("Record completion")
    ABANDON = "abandon", _("Stop")
    FEEDBACK = "feedback", _("Give feedback")


OPEN_ENGAGEMENTS = frozenset({EngagementState.INVITED, EngagementState.ACCEPTED,
                              EngagementState.STARTED})
ACTIVE_ENGAGEMENTS = frozenset({EngagementState.ACCEPTED, EngagementState.STARTED})


class Engagement(models.Model):
    need = models.ForeignKey(Need, on_delete=models.CASCADE, related_name="engagements")
    kind = models.CharField(_("service provider"), max_length=6, choices=ProviderKind.choices)
    org = models.ForeignKey("orgs.Org", null=True, blank=True, on_delete=models.PROTECT,
                            related_name="+")
    worker = models.ForeignKey(WorkerProfile, null=True, blank=True, on_delete=models.PROTECT,
                               related_name="engagements")
    area_code = models.CharField(max_length=15)
    provider_name = models.CharField(_("service provider"), max_length=100)
    invited_on = models.DateField(_("invited on"))
    responded_on = models.DateField(_("answered on"), null=True, blank=True)
    started_on = models.DateField(_("started on"), null=True, blank=True)
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    hours = models.PositiveIntegerField(_("service hours"), default=0)
    served = models.PositiveIntegerField(_("people served"), default=0)
    rating = models.PositiveSmallIntegerField(_("rating (1–5)"), null=True, blank=True)
    feedback = models.TextField(_("community feedback"), blank=True)
    note = models.TextField(_("note"), blank=True)
    score = models.DecimalField(_("score when invited"), max_digits=5, decimal_places=1)
    explanation = models.JSONField(_("why proposed"), default=list)
    rules_version = models.CharField(max_length=60, blank=True)
    state = models.CharField(_("state"), max_length=10, choices=EngagementState.choices,
                             default=EngagementState.INVITED)

    class Meta:
        verbose_name = _("engagement")
        verbose_name_plural = _("engagements")
        ordering = ["-invited_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=(Q(kind="org", org__isnull=False, worker__isnull=True)
                                              | Q(kind="worker", worker__isnull=False,
                                                  org__isnull=True)),
                                   name="linkage_engagement_one_provider"),
            models.CheckConstraint(condition=Q(rating__isnull=True)
                                   | (Q(rating__gte=1) & Q(rating__lte=5)),
                                   name="linkage_rating_range"),
        ]
        indexes = [
            models.Index(fields=["org", "state"], name="linkage_engagement_org",
                         condition=Q(org__isnull=False)),
            models.Index(fields=["worker", "state"], name="linkage_engagement_worker",
                         condition=Q(worker__isnull=False)),
            models.Index(fields=["area_code"], name="linkage_engagement_area",
                         opclasses=["varchar_pattern_ops"]),
        ]

    def __str__(self) -> str:
        return f"{self.need_id}:{self.provider_name}"
