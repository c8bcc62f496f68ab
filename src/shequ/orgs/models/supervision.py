"""Supervision: annual reports with the annual inspection, inspections, complaints,
penalties and evaluation grades."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from shequ.orgs.models.registry import Org


class ReportState(models.TextChoices):
    LODGED = "lodged", _("Lodged, awaiting the annual inspection")
    RETURNED = "returned", _("Returned for completion")
    PASSED = "passed", _("Passed (合格)")
    BASIC = "basic", _("Basically passed (基本合格)")
    FAILED = "failed", _("Failed (不合格)")


class ReportAction(models.TextChoices):
    RETURN = "return", _("Return for completion")
    RESUBMIT = "resubmit", _("Resubmit")
    PASS = "pass", _("Pass")
    PASS_BASIC = "pass_basic", _("Pass with remarks")
    FAIL = "fail", pgettext_lazy("inspection", "Fail")


DONE_REPORT_STATES = frozenset({ReportState.PASSED, ReportState.BASIC, ReportState.FAILED})


class AnnualReport(models.Model):
    """The work report on ``year``, lodged in the following year. Registered associations
    and private non-enterprise units send it to their supervising agency by 31 March and,
    after its first review, to the registration authority by 31 May; foundations to the
    registration authority by 31 March; filed organisations to their street office."""

    org = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="reports")
    year = models.PositiveSmallIntegerField(_("year reported on"))
    area_code = models.CharField(max_length=15)
    authority_code = models.CharField(max_length=15)
    track = models.CharField(max_length=12)
    agency_submitted_on = models.DateField(_("sent to the supervising agency on"), null=True,
                                           blank=True)
    agency_approved_on = models.DateField(_("first review passed on"), null=True, blank=True)
    agency_due = models.DateField(_("due at the supervising agency"), null=True, blank=True)
    lodged_on = models.DateField(_("lodged on"))
    due_on = models.DateField(_("due at the authority"))
    late = models.BooleanField(_("lodged late"), default=False)
    agency_late = models.BooleanField(_("sent late to the supervising agency"), default=False)
    activities = models.TextField(_("activities"))
    income_fen = models.BigIntegerField(_("income (fen)"), default=0)
    expenditure_fen = models.BigIntegerField(_("expenditure (fen)"), default=0)
    staff = models.PositiveIntegerField(_("staff at year end"), default=0)
    members = models.PositiveIntegerField(_("members at year end"), default=0)
    state = models.CharField(_("state"), max_length=10, choices=ReportState.choices,
                             default=ReportState.LODGED)
    inspected_on = models.DateField(_("inspected on"), null=True, blank=True)
    remarks = models.TextField(_("remarks"), blank=True)
    rules_version = models.CharField(max_length=60, blank=True)

    class Meta:
        verbose_name = _("annual report")
        verbose_name_plural = _("annual reports")
        ordering = ["-year", "org_id"]
        constraints = [
            models.UniqueConstraint(fields=["org", "year"], name="orgs_report_unique"),
            models.CheckConstraint(condition=Q(income_fen__gte=0) & Q(expenditure_fen__gte=0),
                                   name="orgs_report_money"),
        ]
        indexes = [
            models.Index(fields=["authority_code", "year", "state"], name="orgs_report_queue"),
            models.Index(fields=["area_code"], name="orgs_report_area",
                         opclasses=["varchar_pattern_ops"]),
        ]

    def __str__(self) -> str:
        return f"{self.org_id}/{self.year}"


class InspectionKind(models.TextChoices):
    SPOT = "spot", _("Random spot check (抽查)")
    ON_SITE = "on_site", _("On-site inspection")
    SPECIAL = "special", _("Special inspection after a complaint")


class InspectionState(models.TextChoices):
    PLANNED = "planned", _("Planned")
    CLEAR = "clear", _("No problems found")
    RECTIFY = "rectify", _("Problems found, correction ordered")
    RECTIFIED = "rectified", _("Corrected")
    REFERRED = "referred", _("Referred for a penalty")


class InspectionAction(models.TextChoices):
    CLEAR = "clear", _("Record: no problems")
    FIND = "find", _("Record problems and order correction")
    CONFIRM = "confirm", _("Confirm the correction")
    REFER = "refer", _("Refer for a penalty")


class Inspection(models.Model):
    org = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="inspections")
    area_code = models.CharField(max_length=15)
    authority_code = models.CharField(max_length=15)
    kind = models.CharField(_("kind"), max_length=10, choices=InspectionKind.choices)
    planned_on = models.DateField(_("planned for"))
    done_on = models.DateField(_("done on"), null=True, blank=True)
    findings = models.TextField(_("findings"), blank=True)
    correct_by = models.DateField(_("correct by"), null=True, blank=True)
    state = models.CharField(_("state"), max_length=10, choices=InspectionState.choices,
                             default=InspectionState.PLANNED)

    class Meta:
        verbose_name = _("inspection")
        verbose_name_plural = _("inspections")
        ordering = ["-planned_on", "-id"]
        indexes = [models.Index(fields=["authority_code", "state"], name="orgs_inspection_queue")]

    def __str__(self) -> str:
        return f"{self.org_id} {self.planned_on}"


class ComplaintState(models.TextChoices):
    RECEIVED = "received", _("Received, not yet investigated")
    INVESTIGATING = "investigating", _("Under investigation")
    UPHELD = "upheld", _("Complaint upheld")
    DISMISSED = "dismissed", _("Not upheld")


class ComplaintAction(models.TextChoices):
    INVESTIGATE = "investigate", _("Start the investigation")
    UPHOLD = "uphold", pgettext_lazy("complaint", "Uphold")
    DISMISS = "dismiss", _("Dismiss")


class Complaint(models.Model):
    """A complaint or report about an organisation (慈善法 第一百零八条, 志愿服务条例
    第二十六条: investigated and dealt with promptly)."""

    org = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="complaints")
    area_code = models.CharField(max_length=15)
    authority_code = models.CharField(max_length=15)
    received_on = models.DateField(_("received on"))
    due_on = models.DateField(_("answer by"))
    complainant_name = models.CharField(_("complainant"), max_length=50)
    phone_cipher = models.TextField(blank=True)
    phone_last4 = models.CharField(max_length=4, blank=True)
    summary = models.TextField(_("what happened"))
    finding = models.TextField(_("finding"), blank=True)
    decided_on = models.DateField(_("concluded on"), null=True, blank=True)
    state = models.CharField(_("state"), max_length=14, choices=ComplaintState.choices,
                             default=ComplaintState.RECEIVED)

    class Meta:
        verbose_name = _("complaint")
        verbose_name_plural = _("complaints")
        ordering = ["-received_on", "-id"]
        indexes = [models.Index(fields=["authority_code", "state", "due_on"],
                                name="orgs_complaint_queue")]

    def __str__(self) -> str:
        return f"{self.org_id} {self.received_on}"


class Violation(models.TextChoices):
    """What the law punishes; the article depends on the kind of organisation
    (``orgs.rules.violation_basis``)."""

    CERTIFICATE = "certificate", _("Altering, lending or renting the certificate or seal")
    BEYOND_SCOPE = "beyond_scope", _("Acting beyond the purpose and business scope")
    REFUSED_SUPERVISION = "refused_supervision", _("Refusing supervision or inspection")
    NO_CHANGE = "no_change", _("Not registering a change as required")
    PROFIT = "profit", _("Profit-making business")
    MISAPPROPRIATION = "misappropriation", _("Taking, sharing or misusing assets or donations")
    FEES = "fees", _("Fees, fund-raising or donations against the rules")
    INACTIVE = "inactive", _("No activity for a year after registration")
    FALSE_REGISTRATION = "false_registration", _("Registration obtained by false statements")
    ANNUAL_INSPECTION = "annual_inspection", _("Annual inspection not taken or failed")
    FILING_RULES = "filing_rules", _("Breach of the filing rules of community organisations")


class PenaltyKind(models.TextChoices):
    WARNING = "warning", _("Warning (警告)")
    CORRECT = "correct", _("Order to correct (责令改正)")
    SUSPEND = "suspend", _("Suspension of activities for a period (限期停止活动)")
    REPLACE = "replace", _("Order to replace the persons responsible (责令撤换)")
    CONFISCATE = "confiscate", _("Confiscation of illegal gains (没收)")
    FINE = "fine", _("Fine (罚款)")
    REVOKE = "revoke", _("Revocation of registration (撤销登记)")
    CANCEL_FILING = "cancel_filing", _("Cancellation of the filing (撤销备案)")


class PenaltyState(models.TextChoices):
    PROPOSED = "proposed", _("Proposed; the organisation was told and may state its case")
    DECIDED = "decided", _("Decided")
    LIFTED = "lifted", _("Ended (suspension over)")
    QUASHED = "quashed", _("Quashed on review")
    DROPPED = "dropped", _("Dropped")


class PenaltyAction(models.TextChoices):
    DECIDE = "decide", _("Decide")
    DROP = "drop", _("Drop")
    LIFT = "lift", _("End the suspension")
    QUASH = "quash", _("Quash on review")


class Penalty(models.Model):
    org = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="penalties")
    area_code = models.CharField(max_length=15)
    authority_code = models.CharField(max_length=15)
    violation = models.CharField(_("violation"), max_length=20, choices=Violation.choices)
    kinds = models.JSONField(_("penalties"), default=list)
    fine_fen = models.BigIntegerField(_("fine (fen)"), default=0)
    suspend_until = models.DateField(_("activities suspended until"), null=True, blank=True)
    facts = models.TextField(_("facts"))
    complaint = models.ForeignKey(Complaint, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="penalties")
    inspection = models.ForeignKey(Inspection, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="penalties")
    proposed_on = models.DateField(_("proposed on"))
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    state = models.CharField(_("state"), max_length=10, choices=PenaltyState.choices,
                             default=PenaltyState.PROPOSED)

    class Meta:
        verbose_name = _("penalty")
        verbose_name_plural = _("penalties")
        ordering = ["-proposed_on", "-id"]
        constraints = [models.CheckConstraint(condition=Q(fine_fen__gte=0),
                                              name="orgs_penalty_fine")]
        indexes = [models.Index(fields=["org", "decided_on"], name="orgs_penalty_org")]

    def __str__(self) -> str:
        return f"{self.org_id} {self.violation}"


class Evaluation(models.Model):
    """An evaluation grade (社会组织评估, 1A–5A), valid for a number of years."""

    org = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="evaluations")
    grade = models.PositiveSmallIntegerField(_("grade (A)"))
    assessed_on = models.DateField(_("assessed on"))
    valid_until = models.DateField(_("valid until"))
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = pgettext_lazy("organisation", "evaluation")
        verbose_name_plural = _("evaluations")
        ordering = ["-assessed_on", "-id"]
        constraints = [models.CheckConstraint(condition=Q(grade__gte=1) & Q(grade__lte=5),
                                              name="orgs_grade_range")]

    def __str__(self) -> str:
        return f"{self.org_id} {self.grade}A"
