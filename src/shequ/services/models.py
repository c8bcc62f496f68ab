"""The service catalogue (versioned) and cases (办件) with their clock.

A case keeps the :class:`ItemVersion` it was filed under, so a later change to the
catalogue never changes the rules of a case already filed. Cases carry ``area_code``
(the applicant's community) and ``street_code`` so the table can be partitioned by
division; numbers are gapless per street and year (:class:`CaseCounter`).
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

PHONE_CONTEXT = "services.phone"  # the encryption context of Case.phone_cipher


class HandlerLevel(models.TextChoices):
    DISTRICT = "district", _("District department")
    STREET = "street", _("Street office")
    STATION = "station", _("Community public service station")


class DelegationMode(models.TextChoices):
    AUTHORISED = "authorised", _("Authorisation (授权)")
    ENTRUSTED = "entrusted", _("Entrustment (委托)")
    DISTRICT_ONLINE = "district_online", _("Kept at district level, handled online")
    FRONT_DESK = "front_desk", _("Front-desk acceptance for the deciding office (代办)")


class ItemKind(models.TextChoices):
    """What the item is in law: only licences run on the Administrative Licensing Law's
    periods; every other kind has the periods its own legal basis sets (ADR 0406)."""

    LICENCE = "licence", _("Administrative licence (行政许可)")
    BENEFIT = "benefit", _("Benefit or assistance (行政给付)")
    CONFIRMATION = "confirmation", _("Confirmation or recognition (行政确认)")
    REGISTRATION = "registration", _("Registration (登记)")
    SERVICE = "service", _("Public service (公共服务)")


class Handling(models.TextChoices):
    """How a licence is handled, which sets its periods (行政许可法 Arts. 42–43)."""

    SINGLE = "single", _("By one office (Art. 42(1))")
    JOINT = "joint", _("Unified, joint or centralised handling (Arts. 26, 42(2))")
    FIRST_REVIEW = "first_review", _("First review by a lower office (Art. 43)")


class SourceRank(models.TextChoices):
    """The rank of the text a delegation rests on (行政许可法 Arts. 23–24)."""

    LAW = "law", _("Law (法律)")
    ADMIN_REGULATION = "admin_regulation", _("Administrative regulation (行政法规)")
    LOCAL_REGULATION = "local_regulation", _("Local regulation (地方性法规)")
    RULES = "rules", _("Rules (规章)")
    NORMATIVE = "normative", _("Normative document (规范性文件)")


class DepartmentCategory(models.TextChoices):
    PUBLIC_SERVICE = "public_service", _("Public service")
    SOCIAL_MANAGEMENT = "social_management", _("Social management")
    SOCIAL_SERVICE = "social_service", _("Social service")
    ENFORCEMENT = "enforcement", _("Administrative enforcement")


class ServiceItem(models.Model):
    """A catalogue entry (审批事项); its content lives in versions."""

    code = models.CharField(_("code"), max_length=40, unique=True)
    area_code = models.CharField(_("area code"), max_length=15,
                                 help_text=_("Where the catalogue entry applies (usually the district)."))
    current = models.ForeignKey("ItemVersion", null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="+", verbose_name=_("current version"))
    active = models.BooleanField(_("accepting applications"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("service item")
        verbose_name_plural = _("service items")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.code


class ItemVersion(models.Model):
    item = models.ForeignKey(ServiceItem, on_delete=models.CASCADE, related_name="versions")
    version = models.PositiveIntegerField(_("version"))
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    legal_basis = models.TextField(_("legal basis"))
    handler_level = models.CharField(_("handled by"), max_length=10, choices=HandlerLevel.choices)
    delegation_mode = models.CharField(_("delegation mode"), max_length=20,
                                       choices=DelegationMode.choices)
    department = models.CharField(_("street-office department"), max_length=100)
    department_category = models.CharField(_("department category"), max_length=20,
                                           choices=DepartmentCategory.choices)
    # the street-office duty the item's work belongs to: in each street, the department
    # (科室) holding it handles the item's cases (ADR 1003); empty for an item no street
    # department handles (decided and handled by a district department)
    handling_duty = models.ForeignKey("areas.Duty", null=True, blank=True,
                                      on_delete=models.PROTECT, related_name="+",
                                      verbose_name=_("handling duty"))
    statutory_days = models.PositiveSmallIntegerField(_("statutory limit (working days)"))
    promised_days = models.PositiveSmallIntegerField(_("promised limit (working days)"))
    kind = models.CharField(_("kind of item"), max_length=15, choices=ItemKind.choices,
                            default=ItemKind.LICENCE)
    handling = models.CharField(_("handling"), max_length=15, choices=Handling.choices,
                                default=Handling.SINGLE)
    extension_days = models.PositiveSmallIntegerField(
        _("extension allowed (working days)"), default=10,
        help_text=_("0: the item's legal basis allows no extension."))
    period_basis = models.TextField(_("where the periods come from"), blank=True)
    decided_by = models.CharField(pgettext_lazy("service item", "decided by"), max_length=10,
                                  choices=HandlerLevel.choices, blank=True)
    delegation_rank = models.CharField(_("rank of the delegating text"), max_length=20,
                                       choices=SourceRank.choices, blank=True)
    delegation_basis = models.TextField(_("delegating text"), blank=True)
    materials = models.JSONField(_("required materials"), default=list, blank=True,
                                 help_text=_('A list of {"code": …, "name": …}.'))
    fee_fen = models.PositiveIntegerField(_("fee (fen)"), default=0)
    forms = models.JSONField(_("forms"), default=list, blank=True)
    published_at = models.DateTimeField(_("published at"), auto_now_add=True)

    class Meta:
        verbose_name = _("service item version")
        verbose_name_plural = _("service item versions")
        ordering = ["item", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["item", "version"], name="item_version_unique"),
            models.CheckConstraint(condition=Q(promised_days__lte=models.F("statutory_days")),
                                   name="promise_within_statute"),
        ]

    def __str__(self) -> str:
        return f"{self.name} v{self.version}"

    @property
    def material_names(self) -> dict[str, str]:
        return {m["code"]: m["name"] for m in self.materials}


class CaseCounter(models.Model):
    """The last case number given in a street and year; locked while numbering, so
    numbers are gapless and two streets never wait for each other."""

    street_code = models.CharField(max_length=9)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["street_code", "year"],
                                               name="case_counter_unique")]

    def __str__(self) -> str:
        return f"{self.street_code}/{self.year}: {self.last}"


class Channel(models.TextChoices):
    ONLINE = "online", _("Online (portal)")
    DESK = "desk", _("Station front desk (代办)")
    OPEN311 = "open311", _("Open311 client")


class State(models.TextChoices):
    SUBMITTED = "submitted", _("Received, awaiting acceptance")
    CORRECTION = "correction", _("Missing materials requested (补正)")
    REFUSED = "refused", _("Not accepted")
    IN_REVIEW = "in_review", _("Accepted, under review")
    SUSPENDED = "suspended", _("Clock stopped (hearing, inspection or expert review)")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    ISSUED = "issued", _("Result issued")
    CLOSED = "closed", _("Closed")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Action(models.TextChoices):
    """The steps of a case (``lifecycles.CASE``), labelled as the buttons that take them."""

    REQUEST_CORRECTION = "request_correction", pgettext_lazy(
        "case step", "Request missing materials (补正)")
    REQUEST_EXTENSION = "request_extension", pgettext_lazy(
        "case step", "Ask the head for an extension")
    SUPPLY = "supply", pgettext_lazy("case step", "Supply the missing materials")
    ACCEPT = "accept", pgettext_lazy("case step", "Accept")
    AUTO_ACCEPT = "auto_accept", pgettext_lazy("case step", "Accept on receipt")
    REFUSE = "refuse", pgettext_lazy("case step", "Do not accept")
    EXTEND = "extend", pgettext_lazy("case step", "Approve the extension (head of office)")
    SUSPEND = "suspend", pgettext_lazy("case step", "Stop the clock")
    RESUME = "resume", pgettext_lazy("case step", "Restart the clock")
    APPROVE = "approve", pgettext_lazy("case step", "Approve")
    REJECT = "reject", pgettext_lazy("case step", "Reject")
    ISSUE = "issue", pgettext_lazy("case step", "Issue the result")
    CLOSE = "close", pgettext_lazy("case step", "Close")
    WITHDRAW = "withdraw", pgettext_lazy("case step", "Withdraw the application")


OPEN_STATES = frozenset({State.SUBMITTED, State.CORRECTION, State.IN_REVIEW, State.SUSPENDED})
DECIDED_STATES = frozenset({State.APPROVED, State.REJECTED, State.ISSUED, State.CLOSED})


class Sla(models.TextChoices):
    NOT_STARTED = "not_started", _("Clock not started")
    ON_TIME = "on_time", _("Within the time limit")
    WARNING = "warning", _("Deadline near")
    OVERDUE = "overdue", _("Overdue")
    PAUSED = "paused", _("Clock stopped")
    DONE_ON_TIME = "done_on_time", _("Completed on time")
    DONE_LATE = "done_late", _("Completed late")
    ENDED = "ended", _("Ended without decision")


ALERT_SLAS = ["warning", "overdue"]  # the time-limit states a console counts


class Case(models.Model):
    # unique through Meta.constraints: a plain unique index, without the LIKE index Django
    # adds for unique=True (numbers are looked up whole; the search box's icontains cannot
    # use either), one index less to maintain on every submission
    number = models.CharField(_("case number"), max_length=32)
    street_code = models.CharField(_("street"), max_length=9)
    year = models.PositiveSmallIntegerField()
    seq = models.PositiveIntegerField()
    area_code = models.CharField(_("area code"), max_length=15)
    item = models.ForeignKey(ServiceItem, on_delete=models.PROTECT, related_name="cases")
    version = models.ForeignKey(ItemVersion, on_delete=models.PROTECT, related_name="cases",
                                verbose_name=_("item version"))
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    # nullable links are indexed only where set (partial indexes in Meta): most cases
    # have no station (online) or no linked resident, and need no index entry for it
    station = models.ForeignKey("areas.ServiceStation", null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="+", db_index=False)
    # the street office's department (科室) that handles the case: the one holding the
    # version's duty in the case's street, fixed when the street receives the case (ADR 1003)
    department = models.ForeignKey("areas.Department", null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+", db_index=False,
                                   verbose_name=_("handling department (办理科室)"))
    applicant_user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                       on_delete=models.SET_NULL, related_name="service_cases",
                                       db_index=False)  # led by the case_applicant index
    resident = models.ForeignKey("people.Resident", null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="+", db_index=False)
    applicant_name = models.CharField(_("applicant"), max_length=100)
    agent_name = models.CharField(
        _("filed on the applicant's behalf by"), max_length=100, blank=True, default="",
        db_default="",
        help_text=_("At the desk (代办): the person who came for the applicant, if not the "
                    "applicant."))
    agent_relation = models.CharField(_("relation to the applicant"), max_length=50,
                                      blank=True, default="", db_default="")
    phone_cipher = models.TextField(blank=True)
    phone_last4 = models.CharField(max_length=4, blank=True)
    description = models.TextField(_("what is requested"), blank=True)
    filed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="+")
    idempotency_scope = models.CharField(max_length=40, blank=True)
    idempotency_key = models.CharField(max_length=100, blank=True)
    state = models.CharField(_("state"), max_length=12, choices=State.choices,
                             default=State.SUBMITTED)
    submitted_at = models.DateTimeField(_("received at"))
    received_on = models.DateField(
        _("complete materials received on"), null=True, blank=True,
        help_text=_("The filing day, or the day the materials asked for were supplied; "
                    "acceptance on receipt dates from it (ADR 0406). Empty on rows older "
                    "than the field: the filing day."))
    # db_default: rows bulk-inserted with raw SQL (bench, demo) need not name new columns
    correction_rounds = models.PositiveSmallIntegerField(_("notices to supply materials"),
                                                         default=0, db_default=0)
    accept_by = models.DateField(_("accept or request materials by"))
    accepted_on = models.DateField(_("accepted on"), null=True, blank=True)
    limit_days = models.PositiveSmallIntegerField(_("time limit (working days)"))
    statutory_days = models.PositiveSmallIntegerField(_("statutory limit (working days)"))
    extension_days = models.PositiveSmallIntegerField(_("extension (working days)"), default=0)
    extension_reason = models.TextField(_("reason for extension"), blank=True)
    extension_requested = models.PositiveSmallIntegerField(
        _("extension asked of the head (working days)"), default=0, db_default=0)
    extension_approved_by = models.CharField(_("extension approved by"), max_length=150,
                                             blank=True, default="", db_default="")
    paused_workdays = models.PositiveIntegerField(_("working days excluded"), default=0)
    paused_since = models.DateField(_("clock stopped since"), null=True, blank=True)
    due_on = models.DateField(_("due on"), null=True, blank=True)
    statutory_due_on = models.DateField(_("statutory deadline"), null=True, blank=True)
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    issue_due_on = models.DateField(
        _("issue the result by"), null=True, blank=True,
        help_text=_("Decision date plus the issue limit (行政许可法 Art. 44: 10 days)."))
    decision_reasons = models.TextField(_("reasons"), blank=True)
    workdays_used = models.PositiveIntegerField(_("working days used"), null=True, blank=True)
    issued_on = models.DateField(_("issued on"), null=True, blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    missing = models.JSONField(_("missing materials"), default=list, blank=True)
    sla = models.CharField(_("time-limit status"), max_length=12, choices=Sla.choices,
                           default=Sla.NOT_STARTED)
    warned_at = models.DateTimeField(null=True, blank=True)
    escalated_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        ordering = ["-submitted_at"]
        constraints = [
            models.UniqueConstraint(fields=["number"], name="case_number_unique"),
            models.UniqueConstraint(fields=["street_code", "year", "seq"], name="case_seq_unique"),
            models.UniqueConstraint(fields=["idempotency_scope", "idempotency_key"],
                                    condition=~Q(idempotency_key=""), name="case_idempotency"),
        ]
        indexes = [
            models.Index(fields=["area_code"], name="case_area", opclasses=["varchar_pattern_ops"]),
            # the overdue list: open cases of a street ordered by deadline (a partial index)
            models.Index(fields=["street_code", "due_on"], name="case_open_due",
                         condition=Q(state="in_review")),
            models.Index(fields=["street_code", "state"], name="case_street_state"),
            models.Index(fields=["applicant_user", "submitted_at"], name="case_applicant",
                         condition=Q(applicant_user__isnull=False)),
            models.Index(fields=["station"], name="case_station",
                         condition=Q(station__isnull=False)),
            models.Index(fields=["resident"], name="case_resident",
                         condition=Q(resident__isnull=False)),
            # staff lists at scale (issue 18, ADR 0025): each scope's list newest first
            # from an index whose leading key matches the scope (district: none; street:
            # street_code; community: area_code), so a page reads only its own rows
            models.Index(fields=["submitted_at", "id"], name="case_recent"),
            models.Index(fields=["street_code", "submitted_at", "id"], name="case_street_recent"),
            models.Index(fields=["area_code", "submitted_at", "id"], name="case_area_recent"),
            # rows in an alert state only (few): the console counts them and the work list
            # filtered to them pages through them without reading anything else
            models.Index(fields=["street_code", "submitted_at", "id"], name="case_alert_street",
                         include=["area_code", "sla"], condition=Q(sla__in=ALERT_SLAS)),
            models.Index(fields=["submitted_at", "id"], name="case_alert_recent",
                         condition=Q(sla__in=ALERT_SLAS)),
            # a community's alert list: without it the planner intersected the community's
            # index with the street's alert rows and sorted them all (their number grows
            # with the table: 1,067 rows at 5.1M cases, 2,120 at 10.2M)
            models.Index(fields=["area_code", "submitted_at", "id"], name="case_alert_area",
                         condition=Q(sla__in=ALERT_SLAS)),
            # decided, result not yet issued (the issue-deadline count)
            models.Index(fields=["street_code", "issue_due_on"], name="case_issue_due",
                         include=["area_code"],
                         condition=Q(state__in=["approved", "rejected"])),
            # open cases by deadline across streets (the district's overdue list), and the
            # statistics' "overdue, open" from the index alone
            # the statistics' "overdue, open" of a street or district from the index alone
            models.Index(fields=["street_code", "due_on"], name="case_open_street",
                         include=["area_code", "submitted_at", "item", "version"],
                         condition=Q(state="in_review")),
            models.Index(fields=["due_on", "id"], name="case_open_due_all",
                         include=["street_code", "area_code", "version", "number",
                                  "accepted_on", "department"],
                         condition=Q(state="in_review")),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES

    @property
    def receipt_day(self) -> date:
        """The day the complete materials were received (ADR 0406)."""
        if self.received_on is not None:
            return self.received_on
        return timezone.localtime(self.submitted_at).date()


class PauseKind(models.TextChoices):
    HEARING = "hearing", _("Hearing")
    INSPECTION = "inspection", _("On-site inspection")
    TESTING = "testing", _("Testing or quarantine")
    EXPERT_REVIEW = "expert_review", _("Expert review")
    TENDER = "tender", _("Tender or auction")


class ClockPause(models.Model):
    """A period excluded from the clock (行政许可法 Art. 45)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="pauses")
    kind = models.CharField(_("kind"), max_length=15, choices=PauseKind.choices)
    reason = models.TextField(_("reason"), blank=True)
    started_on = models.DateField(_("from"))
    ended_on = models.DateField(_("until"), null=True, blank=True)
    workdays = models.PositiveIntegerField(_("working days excluded"), default=0)

    class Meta:
        verbose_name = _("excluded period")
        verbose_name_plural = _("excluded periods")
        ordering = ["started_on"]

    def __str__(self) -> str:
        return f"{self.case_id} {self.kind} {self.started_on}"


class CaseEvent(models.Model):
    """One line of a case's history (the audit log holds the tamper-evident copy).

    ``action`` is a key of ``notices.EVENTS`` (an :class:`Action` or ``submit``,
    ``attach``, ``warn``, ``escalate``), shown in the reader's language; ``actor_name``
    is a user name or ``system``; ``note`` is what the actor typed."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(_("time"))
    action = models.CharField(_("action"), max_length=30)
    from_state = models.CharField(max_length=12, blank=True)
    to_state = models.CharField(max_length=12, blank=True)
    actor_name = models.CharField(_("by"), max_length=150, blank=True)
    note = models.TextField(_("note"), blank=True)
    details = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("case event")
        verbose_name_plural = _("case events")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.case_id} {self.action}"


def _upload_to(instance: Attachment, filename: str) -> str:
    return f"services/{instance.case.street_code}/{instance.case.number}/{filename}"


class Attachment(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="attachments")
    material_code = models.CharField(_("material"), max_length=40, blank=True)
    file = models.FileField(_("file"), upload_to=_upload_to, max_length=300)
    name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(max_length=50)
    size = models.PositiveIntegerField(_("size (bytes)"))
    sha256 = models.CharField(max_length=64)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.name


class Notification(models.Model):
    """A message to the applicant (or, on escalation, to a supervisor): ``kind`` is a key
    of ``notices.NOTICES`` and ``params`` its parameters, rendered in the reader's
    language when shown (never a stored sentence)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="notifications")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                             on_delete=models.CASCADE, related_name="service_notifications",
                             db_index=False)  # led by the notification_user index
    to_applicant = models.BooleanField(default=True)
    kind = models.CharField(max_length=30)
    params = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField()
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "created_at"], name="notification_user")]

    def __str__(self) -> str:
        return f"{self.case_id} {self.kind}"


class ProgressFailure(models.Model):
    """A wrong second factor in the public progress query; enough of them within the
    window pause queries for that case number (no brute force of the phone digits)."""

    number = models.CharField(max_length=40, db_index=True)
    at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"{self.number} {self.at}"


class OfficeHead(models.Model):
    """The head of an office (本行政机关负责人) at an area: the street office at a street
    code, the district government at the district code. Only a head approves an
    extension (行政许可法 Art. 42; ADR 0407). Designated by the district administrator."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="+")
    area_code = models.CharField(_("office (area code)"), max_length=15)
    title = models.CharField(pgettext_lazy("office head", "title"), max_length=100, blank=True)
    since = models.DateField(_("from"))
    until = models.DateField(_("until"), null=True, blank=True)
    designated_by = models.CharField(max_length=150, blank=True)

    class Meta:
        verbose_name = _("head of office")
        verbose_name_plural = _("heads of office")
        constraints = [models.UniqueConstraint(fields=["user", "area_code", "since"],
                                               name="office_head_unique")]

    def __str__(self) -> str:
        return f"{self.user_id}@{self.area_code}"
class StatRollup(models.Model):
    """What the statistics page sums: cases received per street × item × department ×
    month of receipt, with those decided, decided on time and their working days.

    Kept in step by the writers (``services.rollups``: the submission and the decision,
    in their own transaction) and rebuilt from the cases by ``shequ services rollups
    rebuild`` (ADR 0026). ``overdue`` and ``warning`` count the cases whose time-limit
    status is "overdue" or "warning" (the statistics page, the console's cards), kept by
    the step that changes a status and by the clock sweep that refreshes it, in the same
    transaction as the case."""

    street_code = models.CharField(max_length=9)
    item = models.ForeignKey(ServiceItem, on_delete=models.CASCADE, related_name="+")
    # the department dimension: the case's handling department (areas.Department id, ADR
    # 1003), or 0 and the version's department name for a case without one
    handling_department = models.PositiveIntegerField(default=0, db_default=0)
    department = models.CharField(max_length=100)
    month = models.DateField(help_text="The first day of the month of receipt (local time).")
    cases = models.PositiveIntegerField(default=0)
    completed = models.PositiveIntegerField(default=0)
    on_time = models.PositiveIntegerField(default=0)
    timed = models.PositiveIntegerField(default=0, help_text="Decided cases with their "
                                                             "working days known.")
    workdays = models.PositiveBigIntegerField(default=0,
                                              help_text="Working days used, summed over "
                                                        "the decided cases.")
    # signed: a writer's "-1" is an INSERT … ON CONFLICT whose proposed row is checked
    # before the conflict is found, so a CHECK (>= 0) would refuse it
    overdue = models.IntegerField(default=0, db_default=0,
                                  help_text="Open cases whose status is overdue, now.")
    warning = models.IntegerField(default=0, db_default=0,
                                  help_text="Open cases whose status is warning (near their "
                                            "deadline), now.")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["street_code", "item",
                                                       "handling_department", "department",
                                                       "month"], name="stat_rollup_key")]
        indexes = [models.Index(fields=["month", "street_code"], name="stat_rollup_month")]

    def __str__(self) -> str:
        return f"{self.street_code} {self.item_id} {self.month}: {self.cases}"


class ExportState(models.TextChoices):
    QUEUED = "queued", _("Being prepared")
    READY = "ready", _("Ready")
    FAILED = "failed", _("Failed")


class ExportKind(models.TextChoices):
    STATISTICS = "statistics", _("Statistics")
    CASES = "cases", _("Case list")


class StatExport(models.Model):
    """A workbook the worker writes for one user, of the statistics or of the case work
    list with its filters (``kind``); the page offers the file once it is ready (a
    district's export takes longer than a request may)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="+")
    kind = models.CharField(max_length=10, choices=ExportKind.choices,
                            default=ExportKind.STATISTICS)
    params = models.JSONField(default=dict)
    state = models.CharField(max_length=10, choices=ExportState.choices,
                             default=ExportState.QUEUED)
    content = models.BinaryField(null=True, blank=True)
    rows = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["user", "created_at"], name="stat_export_user")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.created_at} {self.state}"
