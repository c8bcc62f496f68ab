"""Applications: registration, filing, change, merger, the move from filing to
registration, deregistration and recognition as a charity.

The clock follows the text that sets it: registration decisions within 60 days of
receiving *all valid documents* (社会团体登记管理条例 第十二条, 民办非企业单位登记管理暂行条例
第十一条, 基金会管理条例 第十一条), counted in calendar days with the first day not
counted and a last day on a rest day moved to the next working day (民法典 第二百零一条,
第二百零三条); missing materials named within five working days in one notice
(行政许可法 第三十二条, 第八十二条). See ADR 0700.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from shequ.orgs.models.registry import Kind, Org, Track


class AppKind(models.TextChoices):
    ESTABLISH = "establish", _("Registration of a new organisation (成立登记)")
    FILE = "file", _("Filing of a community organisation (备案)")
    CHANGE = "change", _("Change of registered or filed items (变更)")
    MERGE = "merge", _("Merger (合并)")
    CONVERT = "convert", _("From filing to registration (备案转登记)")
    DEREGISTER = "deregister", _("Deregistration (注销)")
    RECOGNISE = "recognise", _("Recognition as a charitable organisation (慈善组织认定)")


class AppState(models.TextChoices):
    SUBMITTED = "submitted", _("Received, materials being checked")
    RETURNED = "returned", _("Returned for missing materials (一次告知)")
    IN_REVIEW = "in_review", _("Accepted, under review")
    APPROVED = "approved", _("Approved (registered or filed)")
    REJECTED = "rejected", _("Not approved")
    WITHDRAWN = "withdrawn", _("Withdrawn")


OPEN_APP_STATES = frozenset({AppState.SUBMITTED, AppState.RETURNED, AppState.IN_REVIEW})


class AppAction(models.TextChoices):
    ACCEPT = "accept", _("Accept (materials complete)")
    RETURN = "return", _("Return for missing materials")
    SUPPLY = "supply", _("Supply the missing materials")
    APPROVE = "approve", _("Approve")
    REJECT = "reject", _("Refuse, with reasons")
    WITHDRAW = "withdraw", _("Withdraw the application")
    EXTEND = "extend", _("Extend the time limit")
    DEEM = "deem", _("Accepted on receipt (no notice within the legal window)")


class RejectReason(models.TextChoices):
    """Grounds for refusing, as the regulations list them (社会团体登记管理条例 第十三条,
    民办非企业单位登记管理暂行条例 第十一条第二款)."""

    CONDITIONS = "conditions", _("The conditions for registration are not met")
    PURPOSE = "purpose", _("Purpose or business scope against the law (第四条)")
    DUPLICATE = "duplicate", _("An organisation with the same or similar scope already "
                               "exists in the same area, so none is needed")
    PERSONS = "persons", _("A founder or proposed leader was deprived of political rights "
                           "or lacks full civil capacity")
    FRAUD = "fraud", _("False statements in the application")
    PROHIBITED = "prohibited", _("Other circumstances prohibited by law")
    NOT_CHARITY = "not_charity", _("Does not meet the conditions of a charitable "
                                   "organisation (慈善法 第九条)")
    OTHER = "other", _("Other reasons (stated below)")


class Application(models.Model):
    number = models.CharField(_("application number"), max_length=32)
    authority_code = models.CharField(_("deciding authority"), max_length=15)
    year = models.PositiveSmallIntegerField()
    seq = models.PositiveIntegerField()
    kind = models.CharField(_("application"), max_length=12, choices=AppKind.choices)
    org_kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    track = models.CharField(_("track"), max_length=12, choices=Track.choices)
    org = models.ForeignKey(Org, null=True, blank=True, on_delete=models.PROTECT,
                            related_name="applications")
    partner = models.ForeignKey(Org, null=True, blank=True, on_delete=models.PROTECT,
                                related_name="+", verbose_name=_("merging organisation"))
    name = models.CharField(_("name"), max_length=100)
    area_code = models.CharField(_("area code"), max_length=15)
    street_code = models.CharField(_("street"), max_length=9)
    applicant = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="+")
    applicant_name = models.CharField(_("applicant"), max_length=100)
    data = models.JSONField(_("items applied for"), default=dict, blank=True)
    materials = models.JSONField(_("materials received"), default=list, blank=True)
    missing = models.JSONField(_("materials named as missing"), default=list, blank=True)
    notices = models.PositiveSmallIntegerField(_("returns"), default=0)
    state = models.CharField(_("state"), max_length=12, choices=AppState.choices,
                             default=AppState.SUBMITTED)
    received_on = models.DateField(_("received on"))
    notice_by = models.DateField(_("name missing materials by"))
    materials_on = models.DateField(_("latest materials received on"))
    complete_on = models.DateField(_("all valid documents received on"), null=True, blank=True)
    limit_days = models.PositiveSmallIntegerField(_("time limit"))
    limit_unit = models.CharField(_("counted in"), max_length=14)
    due_on = models.DateField(_("decide by"), null=True, blank=True)
    due_provisional = models.BooleanField(
        _("deadline provisional"), default=False,
        help_text=_("The calendar does not know the last day's year yet: the day shown is not "
                    "moved past rest days."))
    extension_days = models.PositiveSmallIntegerField(_("extension"), default=0)
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    reason = models.CharField(_("grounds"), max_length=14, choices=RejectReason.choices,
                              blank=True)
    reason_text = models.TextField(_("reasons"), blank=True)
    late = models.BooleanField(_("decided after the time limit"), default=False)
    flags = models.JSONField(_("flags"), default=list, blank=True)
    rules_version = models.CharField(max_length=60, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        ordering = ["-received_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["number"], name="orgs_app_number_unique"),
            models.UniqueConstraint(fields=["authority_code", "year", "seq"],
                                    name="orgs_app_seq_unique"),
        ]
        indexes = [
            models.Index(fields=["authority_code", "state", "due_on"], name="orgs_app_queue"),
            models.Index(fields=["area_code"], name="orgs_app_area",
                         opclasses=["varchar_pattern_ops"]),
            models.Index(fields=["applicant", "received_on"], name="orgs_app_applicant",
                         condition=Q(applicant__isnull=False)),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_APP_STATES


class AppCounter(models.Model):
    """The last application number of an authority and year (locked while numbering)."""

    authority_code = models.CharField(max_length=15)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["authority_code", "year"],
                                               name="orgs_app_counter_unique")]

    def __str__(self) -> str:
        return f"{self.authority_code}/{self.year}: {self.last}"


class AppEvent(models.Model):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(_("time"))
    on = models.DateField(_("date"))
    action = models.CharField(_("step"), max_length=20)
    from_state = models.CharField(max_length=12, blank=True)
    to_state = models.CharField(max_length=12, blank=True)
    actor_name = models.CharField(_("by"), max_length=150, blank=True)
    note = models.TextField(_("note"), blank=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.application_id} {self.action}"
