"""Support: the citizen service centre's incubation and the district foundation's grants
(money in integer fen)."""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from shequ.orgs.models.registry import Category, Org


class Centre(models.Model):
    """An incubation centre (Jinjiang's 市民服务中心, the first district-level one in
    western China)."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    area_code = models.CharField(_("area code"), max_length=15)
    address = models.CharField(_("address"), max_length=200, blank=True)
    opened_on = models.DateField(_("opened on"), null=True, blank=True)
    places = models.PositiveSmallIntegerField(_("incubation places"), default=20)

    class Meta:
        verbose_name = _("incubation centre")
        verbose_name_plural = _("incubation centres")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class SupportKind(models.TextChoices):
    SPACE = "space", _("Office and activity space")
    TRAINING = "training", _("Training")
    MENTORING = "mentoring", _("Mentoring by a professional organisation")
    SEED = "seed", _("Seed funds")
    SERVICES = "services", _("Shared services (accounts, legal advice)")


class IncubationState(models.TextChoices):
    APPLIED = "applied", _("Applied")
    INCUBATING = "incubating", _("Incubating")
    GRADUATED = "graduated", _("Graduated (出壳)")
    LEFT = "left", _("Left before graduating")
    DECLINED = "declined", _("Not admitted to incubation")


class IncubationAction(models.TextChoices):
    ADMIT = "admit", _("Admit to incubation")
    DECLINE = "decline", _("Decline")
    GRADUATE = "graduate", _("Graduate")
    LEAVE = "leave", _("End early")


class Incubation(models.Model):
    org = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="incubations")
    centre = models.ForeignKey(Centre, on_delete=models.PROTECT, related_name="incubations")
    area_code = models.CharField(max_length=15)
    applied_on = models.DateField(_("applied on"))
    admitted_on = models.DateField(_("incubating since"), null=True, blank=True)
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    supports = models.JSONField(_("support"), default=list, blank=True)
    seed_fen = models.BigIntegerField(_("seed funds (fen)"), default=0)
    plan = models.TextField(_("development plan"))
    state = models.CharField(_("state"), max_length=12, choices=IncubationState.choices,
                             default=IncubationState.APPLIED)

    class Meta:
        verbose_name = _("incubation")
        verbose_name_plural = _("incubations")
        ordering = ["-applied_on", "-id"]
        constraints = [models.CheckConstraint(condition=Q(seed_fen__gte=0),
                                              name="orgs_incubation_seed")]

    def __str__(self) -> str:
        return f"{self.org_id}@{self.centre_id}"


class Programme(models.Model):
    """A grant programme of a foundation (the district's social-organisation development
    foundation publishes its kinds of grants and procedure: 基金会管理条例 第三十条)."""

    funder = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="programmes",
                               verbose_name=_("foundation"))
    name = models.CharField(_("name"), max_length=100)
    year = models.PositiveSmallIntegerField(_("year"))
    budget_fen = models.BigIntegerField(_("budget (fen)"))
    max_award_fen = models.BigIntegerField(_("largest grant (fen)"))
    categories = models.JSONField(_("service categories"), default=list, blank=True)
    opens_on = models.DateField(_("opens on"))
    closes_on = models.DateField(_("closes on"))
    procedure = models.TextField(_("application and review procedure"))

    class Meta:
        verbose_name = _("grant programme")
        verbose_name_plural = _("grant programmes")
        ordering = ["-year", "name"]
        constraints = [
            models.UniqueConstraint(fields=["funder", "name", "year"], name="orgs_programme_unique"),
            models.CheckConstraint(condition=Q(budget_fen__gt=0) & Q(max_award_fen__gt=0)
                                   & Q(max_award_fen__lte=F("budget_fen")),
                                   name="orgs_programme_money"),
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.year}"


class GrantState(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    APPROVED = "approved", _("Grant approved")
    REJECTED = "rejected", _("Not approved")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    REPORTED = "reported", _("Final report submitted")
    CLOSED = "closed", _("Closed")


class GrantAction(models.TextChoices):
    APPROVE = "approve", _("Approve")
    REJECT = "reject", _("Refuse")
    WITHDRAW = "withdraw", _("Withdraw the application")
    REPORT = "report", _("Submit the final report")
    CLOSE = "close", _("Accept the report and close")


class GrantApplication(models.Model):
    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="grants")
    org = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="grants")
    area_code = models.CharField(max_length=15)
    authority_code = models.CharField(max_length=15)
    title = models.CharField(_("project"), max_length=120)
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    summary = models.TextField(_("summary"))
    requested_fen = models.BigIntegerField(_("requested (fen)"))
    awarded_fen = models.BigIntegerField(_("awarded (fen)"), default=0)
    paid_fen = models.BigIntegerField(_("paid (fen)"), default=0)
    submitted_on = models.DateField(_("submitted on"))
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    reasons = models.TextField(_("reasons"), blank=True)
    report = models.TextField(_("final report"), blank=True)
    spent_fen = models.BigIntegerField(_("spent (fen)"), default=0)
    reported_on = models.DateField(_("reported on"), null=True, blank=True)
    state = models.CharField(_("state"), max_length=10, choices=GrantState.choices,
                             default=GrantState.SUBMITTED)

    class Meta:
        verbose_name = _("grant application")
        verbose_name_plural = _("grant applications")
        ordering = ["-submitted_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(requested_fen__gt=0) & Q(awarded_fen__gte=0)
                                   & Q(paid_fen__gte=0) & Q(paid_fen__lte=F("awarded_fen"))
                                   & Q(spent_fen__gte=0), name="orgs_grant_money"),
        ]
        indexes = [models.Index(fields=["programme", "state"], name="orgs_grant_queue")]

    def __str__(self) -> str:
        return self.title


class GrantPayment(models.Model):
    grant = models.ForeignKey(GrantApplication, on_delete=models.PROTECT, related_name="payments")
    amount_fen = models.BigIntegerField(_("amount (fen)"))
    paid_on = models.DateField(_("paid on"))
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("grant payment")
        verbose_name_plural = _("grant payments")
        ordering = ["paid_on", "id"]
        constraints = [models.CheckConstraint(condition=Q(amount_fen__gt=0),
                                              name="orgs_payment_positive")]

    def __str__(self) -> str:
        return f"{self.grant_id} {self.amount_fen}"
