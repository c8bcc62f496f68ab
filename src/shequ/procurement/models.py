"""Government purchase of services from social organisations (政府购买服务).

A buyer (a district department or a street office) buys an item of the published guidance
catalogue with money from one of its budget lines; a project goes from draft through
tender, evaluation and award to a contract with milestones, payments and a performance
evaluation. Money is integer fen. Every row carries the buyer's ``area_code`` so a street
sees its own purchases and the district sees all.
"""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from shequ.orgs.models import Org

OCID_PREFIX = "ocds-jjgm26"  # ADR 0902: unregistered until the OCDS helpdesk assigns one


def _area_index(name: str) -> models.Index:
    return models.Index(fields=["area_code"], name=name, opclasses=["varchar_pattern_ops"])


# -- the guidance catalogue -------------------------------------------------------------


class Catalogue(models.Model):
    """One version of the guidance catalogue (指导性目录). A project names an item of the
    version in force when it was created; a new version never changes old projects."""

    version = models.CharField(_("version"), max_length=20, unique=True)
    title = models.CharField(_("title"), max_length=120)
    published_on = models.DateField(_("published on"), null=True, blank=True)

    class Meta:
        verbose_name = _("guidance catalogue")
        ordering = ["-published_on", "-id"]

    def __str__(self) -> str:
        return f"{self.title} ({self.version})"


class CatalogueCategory(models.Model):
    catalogue = models.ForeignKey(Catalogue, on_delete=models.CASCADE, related_name="categories")
    code = models.CharField(_("code"), max_length=8)
    name = models.CharField(_("name"), max_length=60)

    class Meta:
        ordering = ["catalogue", "code"]
        constraints = [models.UniqueConstraint(fields=["catalogue", "code"],
                                               name="procurement_category_code")]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class CatalogueItem(models.Model):
    category = models.ForeignKey(CatalogueCategory, on_delete=models.CASCADE,
                                 related_name="items")
    code = models.CharField(_("code"), max_length=12)
    name = models.CharField(_("name"), max_length=80)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["category", "code"]
        constraints = [models.UniqueConstraint(fields=["category", "code"],
                                               name="procurement_item_code")]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


# -- buyers and budgets -------------------------------------------------------------------


class BuyerKind(models.TextChoices):
    DEPARTMENT = "department", _("District department")
    STREET = "street", _("Street office")


class Buyer(models.Model):
    """A purchasing unit: a district department (area = the district's code) or a street
    office (area = the street's code)."""

    name = models.CharField(_("name"), max_length=60, unique=True)
    kind = models.CharField(_("kind"), max_length=12, choices=BuyerKind.choices)
    area_code = models.CharField(_("area code"), max_length=15)

    class Meta:
        verbose_name = _("buyer")
        ordering = ["kind", "area_code", "name"]
        indexes = [_area_index("procurement_buyer_area")]

    def __str__(self) -> str:
        return self.name


class BudgetLine(models.Model):
    """Money a buyer may spend on purchased services in one budget year. ``committed_fen``
    is what projects have taken from it; it never exceeds ``amount_fen``."""

    buyer = models.ForeignKey(Buyer, on_delete=models.PROTECT, related_name="budget_lines")
    year = models.PositiveSmallIntegerField(_("budget year"))
    title = models.CharField(_("title"), max_length=80)
    amount_fen = models.BigIntegerField(_("amount (fen)"))
    committed_fen = models.BigIntegerField(_("committed (fen)"), default=0)
    area_code = models.CharField(max_length=15)

    class Meta:
        verbose_name = _("budget line")
        ordering = ["-year", "buyer", "title"]
        constraints = [
            models.UniqueConstraint(fields=["buyer", "year", "title"],
                                    name="procurement_budget_unique"),
            models.CheckConstraint(condition=Q(committed_fen__gte=0)
                                   & Q(committed_fen__lte=F("amount_fen")),
                                   name="procurement_budget_committed_within"),
        ]
        indexes = [_area_index("procurement_budget_area"),
                   models.Index(fields=["year", "buyer"], name="procurement_budget_year")]

    def __str__(self) -> str:
        return f"{self.buyer} {self.year} {self.title}"

    @property
    def available_fen(self) -> int:
        return self.amount_fen - self.committed_fen


# -- projects -------------------------------------------------------------------------------


class Method(models.TextChoices):
    OPEN = "open", _("Public tender")
    INVITED = "invited", _("Invited tender")
    NEGOTIATION = "negotiation", _("Competitive negotiation")
    SINGLE = "single", _("Single source")
    INQUIRY = "inquiry", _("Request for quotations")


TENDERS = (Method.OPEN, Method.INVITED)


class State(models.TextChoices):
    DRAFT = "draft", _("Draft")
    TENDERING = "tendering", _("Open for bids")
    EVALUATING = "evaluating", _("Under evaluation")
    AWARDED = "awarded", _("Awarded")
    CONTRACTED = "contracted", _("Under contract")
    COMPLETED = "completed", pgettext_lazy("procurement", "Completed")
    CANCELLED = "cancelled", pgettext_lazy("procurement", "Cancelled")


class Action(models.TextChoices):
    PUBLISH = "publish", pgettext_lazy("procurement", "Publish")
    CLOSE = "close", _("Close bidding and evaluate")
    AWARD = "award", _("Award")
    SIGN = "sign", _("Sign the contract")
    COMPLETE = "complete", _("Complete")
    CANCEL = "cancel", pgettext_lazy("procurement", "Cancel")


class CancelReason(models.TextChoices):
    TOO_FEW = "too_few", _("Fewer than three qualified suppliers")
    IRREGULAR = "irregular", _("Irregularities affecting fairness")
    OVER_BUDGET = "over_budget", _("Every price above the budget")
    WITHDRAWN = "withdrawn", _("The purchase is no longer needed")


class Project(models.Model):
    number = models.CharField(_("project number"), max_length=20, unique=True)
    title = models.CharField(_("title"), max_length=120)
    description = models.TextField(_("description"), blank=True)
    buyer = models.ForeignKey(Buyer, on_delete=models.PROTECT, related_name="projects")
    budget_line = models.ForeignKey(BudgetLine, on_delete=models.PROTECT,
                                    related_name="projects")
    item = models.ForeignKey(CatalogueItem, on_delete=models.PROTECT, related_name="projects")
    area_code = models.CharField(max_length=15)
    year = models.PositiveSmallIntegerField(_("budget year"))
    method = models.CharField(_("procurement method"), max_length=12, choices=Method.choices)
    method_reason = models.TextField(_("reason for the method"), blank=True)
    budget_fen = models.BigIntegerField(_("budget (fen)"))
    legal_person_only = models.BooleanField(_("legal persons only"), default=True)
    min_grade = models.PositiveSmallIntegerField(_("lowest evaluation grade (A)"), null=True,
                                                 blank=True)
    single_supplier = models.ForeignKey(Org, null=True, blank=True, on_delete=models.PROTECT,
                                        related_name="+")
    state = models.CharField(_("state"), max_length=12, choices=State.choices,
                             default=State.DRAFT)
    created_on = models.DateField(_("created on"))
    published_on = models.DateField(_("published on"), null=True, blank=True)
    bid_deadline = models.DateField(_("bids due by"), null=True, blank=True)
    closed_on = models.DateField(_("bidding closed on"), null=True, blank=True)
    awarded_on = models.DateField(_("award notice on"), null=True, blank=True)
    standstill_until = models.DateField(_("questions on the award until"), null=True,
                                        blank=True)
    cancelled_on = models.DateField(_("cancelled on"), null=True, blank=True)
    cancel_reason = models.CharField(_("reason for cancelling"), max_length=12,
                                     choices=CancelReason.choices, blank=True)
    rules_version = models.CharField(max_length=60, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("purchase project")
        ordering = ["-created_on", "-id"]
        constraints = [models.CheckConstraint(condition=Q(budget_fen__gt=0),
                                              name="procurement_project_budget_positive")]
        indexes = [_area_index("procurement_project_area"),
                   models.Index(fields=["year", "id"], name="procurement_project_year"),
                   models.Index(fields=["state", "bid_deadline"], name="procurement_project_open")]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    @property
    def ocid(self) -> str:
        return f"{OCID_PREFIX}-{self.number}"


class ProjectCounter(models.Model):
    """The last project number given in a year (numbers are ``JJ<year>-<nnnn>``)."""

    year = models.PositiveSmallIntegerField(unique=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"


class Enquiry(models.Model):
    """A supplier's question on the documents and the buyer's answer (询问, 实施条例
    第五十二条: answered within 3 working days)."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="enquiries")
    org = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="+")
    area_code = models.CharField(max_length=15)
    question = models.TextField(_("question"))
    asked_on = models.DateField(_("asked on"))
    due_on = models.DateField(_("answer by"))
    answer = models.TextField(_("answer"), blank=True)
    answered_on = models.DateField(_("answered on"), null=True, blank=True)

    class Meta:
        ordering = ["asked_on", "id"]

    def __str__(self) -> str:
        return f"{self.project_id} {self.asked_on}"


class BidState(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    WON = "won", _("Won")
    LOST = "lost", _("Not awarded")


class Bid(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="bids")
    org = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="+")
    area_code = models.CharField(max_length=15)
    price_fen = models.BigIntegerField(_("price (fen)"))
    proposal = models.TextField(_("service proposal"), blank=True)
    submitted_on = models.DateField(_("submitted on"))
    state = models.CharField(_("state"), max_length=10, choices=BidState.choices,
                             default=BidState.SUBMITTED)
    eligibility = models.JSONField(default=dict)  # the facts checked when it was received
    score = models.DecimalField(_("aggregate score"), max_digits=7, decimal_places=3,
                                null=True, blank=True)
    rank = models.PositiveSmallIntegerField(_("rank"), null=True, blank=True)

    class Meta:
        ordering = ["project", "rank", "id"]
        constraints = [
            models.UniqueConstraint(fields=["project", "org"], name="procurement_bid_once"),
            models.CheckConstraint(condition=Q(price_fen__gt=0),
                                   name="procurement_bid_price_positive"),
        ]
        indexes = [models.Index(fields=["org", "state"], name="procurement_bid_org")]

    def __str__(self) -> str:
        return f"{self.project_id} {self.org_id}"


# -- evaluation ------------------------------------------------------------------------------


class Criterion(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="criteria")
    seq = models.PositiveSmallIntegerField()
    name = models.CharField(_("criterion"), max_length=60)
    weight = models.PositiveSmallIntegerField(_("weight"))

    class Meta:
        ordering = ["project", "seq"]
        constraints = [models.UniqueConstraint(fields=["project", "seq"],
                                               name="procurement_criterion_seq")]

    def __str__(self) -> str:
        return f"{self.name} {self.weight}"


class EvaluatorKind(models.TextChoices):
    BUYER = "buyer", _("Buyer's representative")
    EXPERT = "expert", _("Expert")


class Evaluator(models.Model):
    """A member of the evaluation committee. Before scoring, each declares whether they have
    an interest in any bidder (实施条例 第九条); ``conflicts`` lists the organisations."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="evaluators")
    name = models.CharField(_("name"), max_length=50)
    kind = models.CharField(_("kind"), max_length=8, choices=EvaluatorKind.choices)
    declared_on = models.DateField(_("declared on"), null=True, blank=True)
    conflicts = models.JSONField(_("organisations with an interest"), default=list)
    conflict_note = models.CharField(_("interest declared"), max_length=200, blank=True)

    class Meta:
        ordering = ["project", "id"]

    def __str__(self) -> str:
        return self.name


class Score(models.Model):
    evaluator = models.ForeignKey(Evaluator, on_delete=models.CASCADE, related_name="scores")
    bid = models.ForeignKey(Bid, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="scores")
    points = models.PositiveSmallIntegerField(_("points (of 100)"))

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["evaluator", "bid", "criterion"],
                                    name="procurement_score_once"),
            models.CheckConstraint(condition=Q(points__lte=100), name="procurement_score_range"),
        ]

    def __str__(self) -> str:
        return f"{self.evaluator_id} {self.bid_id} {self.points}"


class ComplaintState(models.TextChoices):
    OPEN = "open", _("Awaiting an answer")
    UPHELD = "upheld", pgettext_lazy("procurement", "Upheld")
    DISMISSED = "dismissed", _("Dismissed")


class Complaint(models.Model):
    """A supplier's written question on the documents, the process or the award (质疑,
    政府采购法 第五十二条); an open one stops the contract being signed (实施条例
    第五十四条)."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="complaints")
    org = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="+")
    area_code = models.CharField(max_length=15)
    text = models.TextField(_("question"))
    filed_on = models.DateField(_("filed on"))
    due_on = models.DateField(_("answer by"))
    state = models.CharField(_("state"), max_length=10, choices=ComplaintState.choices,
                             default=ComplaintState.OPEN)
    answer = models.TextField(_("answer"), blank=True)
    answered_on = models.DateField(_("answered on"), null=True, blank=True)

    class Meta:
        ordering = ["filed_on", "id"]

    def __str__(self) -> str:
        return f"{self.project_id} {self.filed_on}"


# -- contracts ---------------------------------------------------------------------------------


class ContractState(models.TextChoices):
    ACTIVE = "active", _("In force")
    COMPLETED = "completed", pgettext_lazy("procurement", "Completed")
    TERMINATED = "terminated", _("Terminated")


class ContractAction(models.TextChoices):
    CHANGE = "change", _("Change")
    COMPLETE = "complete", _("Complete")
    TERMINATE = "terminate", _("Terminate")


class Contract(models.Model):
    project = models.OneToOneField(Project, on_delete=models.CASCADE, related_name="contract")
    org = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="+")
    bid = models.OneToOneField(Bid, on_delete=models.PROTECT, related_name="contract")
    area_code = models.CharField(max_length=15)
    value_fen = models.BigIntegerField(_("value (fen)"))
    original_value_fen = models.BigIntegerField(_("value when signed (fen)"))
    paid_fen = models.BigIntegerField(pgettext_lazy("procurement", "paid (fen)"), default=0)
    signed_on = models.DateField(_("signed on"))
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    term_reason = models.TextField(_("reason for a term over one year"), blank=True)
    no_subcontracting = models.BooleanField(_("no subcontracting"), default=True)
    state = models.CharField(_("state"), max_length=10, choices=ContractState.choices,
                             default=ContractState.ACTIVE)
    ended_on = models.DateField(pgettext_lazy("procurement", "ended on"), null=True, blank=True)
    termination_reason = models.TextField(_("reason for terminating"), blank=True)

    class Meta:
        verbose_name = _("contract")
        ordering = ["-signed_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(paid_fen__gte=0) & Q(paid_fen__lte=F("value_fen")),
                                   name="procurement_contract_paid_within"),
            models.CheckConstraint(condition=Q(ends_on__gte=F("starts_on")),
                                   name="procurement_contract_dates"),
        ]
        indexes = [_area_index("procurement_contract_area")]

    def __str__(self) -> str:
        return f"{self.project_id} {self.value_fen}"


class MilestoneState(models.TextChoices):
    PENDING = "pending", _("Not yet delivered")
    DELIVERED = "delivered", _("Delivered")
    ACCEPTED = "accepted", pgettext_lazy("procurement", "Accepted")


class MilestoneAction(models.TextChoices):
    DELIVER = "deliver", _("Report delivery")
    ACCEPT = "accept", pgettext_lazy("procurement", "Accept")


class Milestone(models.Model):
    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="milestones")
    seq = models.PositiveSmallIntegerField()
    title = models.CharField(_("milestone"), max_length=80)
    deliverable = models.CharField(_("deliverable"), max_length=200)
    due_on = models.DateField(pgettext_lazy("procurement", "due on"))
    amount_fen = models.BigIntegerField(_("payment due (fen)"))
    state = models.CharField(_("state"), max_length=10, choices=MilestoneState.choices,
                             default=MilestoneState.PENDING)
    delivered_on = models.DateField(_("delivered on"), null=True, blank=True)
    delivery_note = models.TextField(_("what was delivered"), blank=True)
    accepted_on = models.DateField(pgettext_lazy("procurement", "accepted on"), null=True, blank=True)
    area_code = models.CharField(max_length=15)

    class Meta:
        ordering = ["contract", "seq"]
        constraints = [models.UniqueConstraint(fields=["contract", "seq"],
                                               name="procurement_milestone_seq")]

    def __str__(self) -> str:
        return f"{self.contract_id}.{self.seq} {self.title}"


class Payment(models.Model):
    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="payments")
    milestone = models.ForeignKey(Milestone, on_delete=models.PROTECT, related_name="payments")
    amount_fen = models.BigIntegerField(_("amount (fen)"))
    paid_on = models.DateField(pgettext_lazy("procurement", "paid on"))
    area_code = models.CharField(max_length=15)

    class Meta:
        ordering = ["paid_on", "id"]
        constraints = [models.CheckConstraint(condition=Q(amount_fen__gt=0),
                                              name="procurement_payment_positive")]

    def __str__(self) -> str:
        return f"{self.contract_id} {self.amount_fen}"


class ChangeKind(models.TextChoices):
    VALUE = "value", _("Supplementary contract (value)")
    END = "end", _("End date")


class ContractChange(models.Model):
    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="changes")
    kind = models.CharField(_("what changes"), max_length=8, choices=ChangeKind.choices)
    on = models.DateField(_("agreed on"))
    old = models.CharField(_("before"), max_length=20)
    new = models.CharField(_("after"), max_length=20)
    reason = models.TextField(_("reason"))

    class Meta:
        ordering = ["on", "id"]

    def __str__(self) -> str:
        return f"{self.contract_id} {self.kind} {self.on}"


class EvaluatorOf(models.TextChoices):
    BUYER = "buyer", _("The buyer")
    THIRD_PARTY = "third_party", _("A third-party evaluator")


class Performance(models.Model):
    """The performance evaluation of a finished contract (绩效评价); it also goes on the
    organisation's record through ``orgs.facade.record_performance``."""

    contract = models.OneToOneField(Contract, on_delete=models.CASCADE,
                                    related_name="performance")
    evaluated_by = models.CharField(_("evaluated by"), max_length=12,
                                    choices=EvaluatorOf.choices)
    evaluator_name = models.CharField(_("evaluator"), max_length=80)
    score = models.PositiveSmallIntegerField(_("score (of 100)"))
    on = models.DateField(_("evaluated on"))
    summary = models.TextField(pgettext_lazy("procurement", "summary"), blank=True)
    area_code = models.CharField(max_length=15)

    class Meta:
        constraints = [models.CheckConstraint(condition=Q(score__lte=100),
                                              name="procurement_performance_range")]

    def __str__(self) -> str:
        return f"{self.contract_id} {self.score}"

    @property
    def grade(self) -> str:
        return grade_of(self.score)

    def get_grade_display(self) -> str:
        return str(Grade(self.grade).label)


class Grade(models.TextChoices):
    EXCELLENT = "excellent", _("Excellent")
    GOOD = "good", _("Good")
    PASS = "pass", _("Pass")
    FAIL = "fail", pgettext_lazy("procurement", "Fail")


def grade_of(score: int) -> str:
    """The grade of a performance score (ADR 0906: 90, 80 and 60 points)."""
    if score >= 90:
        return Grade.EXCELLENT
    if score >= 80:
        return Grade.GOOD
    if score >= 60:
        return Grade.PASS
    return Grade.FAIL
