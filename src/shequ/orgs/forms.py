"""Forms of the organisation pages: input shapes only; the rules live in the services."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from shequ.orgs.models import (
    FILED_KINDS,
    REGISTERED_KINDS,
    Category,
    FoundationType,
    InspectionKind,
    Kind,
    PenaltyKind,
    RejectReason,
    SupportKind,
    Violation,
)

DATE = forms.DateInput(attrs={"type": "date"})


def yuan_field(label: Any, required: bool = True) -> forms.DecimalField:
    return forms.DecimalField(label=label, min_value=Decimal(0), max_digits=14,
                              decimal_places=2, required=required)


def fen(value: Decimal | None) -> int:
    return int((value or Decimal(0)) * 100)


class ItemsForm(forms.Form):
    """The items an application states (what the organisation is)."""

    person_in_charge = forms.CharField(label=_("Legal representative or person in charge"),
                                       max_length=50)
    address = forms.CharField(label=_("Premises or place of activity"), max_length=200)
    supervising_agency = forms.CharField(label=_("Supervising agency (业务主管单位)"),
                                         max_length=100, required=False)
    individual_members = forms.IntegerField(label=_("Individual members"), min_value=0,
                                            initial=0)
    unit_members = forms.IntegerField(label=_("Unit members"), min_value=0, initial=0,
                                      required=False)
    staff = forms.IntegerField(label=_("Full-time staff"), min_value=0, initial=0,
                               required=False)
    funds_yuan = yuan_field(_("Funds (yuan)"))
    directors = forms.IntegerField(label=_("Directors (foundations)"), min_value=0,
                                   required=False)
    foundation_type = forms.ChoiceField(label=_("Foundation type"), required=False,
                                        choices=[("", "—"), *FoundationType.choices])
    has_premises = forms.BooleanField(label=_("Fixed premises"), required=False)
    has_charter = forms.BooleanField(label=_("Charter adopted"), required=False)
    purpose = forms.CharField(label=_("Purpose (宗旨)"), widget=forms.Textarea(attrs={"rows": 2}),
                              required=False, max_length=2000)
    scope = forms.CharField(label=_("Business scope (业务范围)"), required=False, max_length=2000,
                            widget=forms.Textarea(attrs={"rows": 2}))
    categories = forms.MultipleChoiceField(label=_("Service categories"),
                                           choices=Category.choices,
                                           widget=forms.CheckboxSelectMultiple)

    def items(self) -> dict[str, Any]:
        d = self.cleaned_data
        out = {k: d.get(k) for k in ("person_in_charge", "address", "supervising_agency",
                                     "individual_members", "has_premises", "has_charter",
                                     "purpose", "scope", "categories", "foundation_type")}
        for k in ("unit_members", "staff", "directors"):
            out[k] = d.get(k) or 0
        out["funds_fen"] = fen(d.get("funds_yuan"))
        return out


class NewOrgForm(ItemsForm):
    """Registration of a new organisation, or the filing of a community organisation."""

    name = forms.CharField(label=_("Organisation name"), max_length=100)
    org_kind = forms.ChoiceField(label=_("Kind"), choices=Kind.choices)
    area_code = forms.ChoiceField(label=_("Community where it is based"), choices=())
    materials = forms.MultipleChoiceField(label=_("Materials handed in"), required=False,
                                          choices=(), widget=forms.CheckboxSelectMultiple)
    field_order = ["org_kind", "name", "area_code"]

    def __init__(self, *args: Any, communities: list[tuple[str, str]], materials: list[Any],
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["area_code"].choices = communities  # type: ignore[attr-defined]
        self.fields["materials"].choices = materials  # type: ignore[attr-defined]

    def kind(self) -> str:
        return "file" if self.cleaned_data["org_kind"] in FILED_KINDS else "establish"


class MaterialsForm(forms.Form):
    materials = forms.MultipleChoiceField(label=_("Materials handed in"), required=False,
                                          choices=(), widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args: Any, materials: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["materials"].choices = materials  # type: ignore[attr-defined]


class ChangeForm(MaterialsForm):
    name = forms.CharField(label=_("New name"), max_length=100, required=False)
    address = forms.CharField(label=_("New premises or place of activity"), max_length=200,
                              required=False)
    person_in_charge = forms.CharField(label=_("New legal representative or person in charge"),
                                       max_length=50, required=False)
    scope = forms.CharField(label=_("New business scope"), max_length=2000, required=False,
                            widget=forms.Textarea(attrs={"rows": 2}))
    funds_yuan = yuan_field(_("New funds (yuan)"), required=False)
    agency_approved_on = forms.DateField(label=_("Supervising agency consented on"),
                                         required=False, widget=DATE)

    def items(self) -> dict[str, Any]:
        d = self.cleaned_data
        out: dict[str, Any] = {k: d[k] for k in ("name", "address", "person_in_charge", "scope")
                               if d.get(k)}
        if d.get("funds_yuan") is not None:
            out["funds_fen"] = fen(d["funds_yuan"])
        if d.get("agency_approved_on"):
            out["agency_approved_on"] = d["agency_approved_on"].isoformat()
        return out


class ConvertForm(MaterialsForm, ItemsForm):
    org_kind = forms.ChoiceField(label=_("Register as"), choices=[
        (k.value, k.label) for k in (Kind.ASSOCIATION, Kind.PNE)])


class DeregisterForm(MaterialsForm):
    liquidation_ended_on = forms.DateField(label=_("Liquidation ended on"), required=False,
                                           widget=DATE)


class MergeForm(MaterialsForm):
    partner = forms.CharField(label=_("Credit code or filing number of the organisation that "
                                      "merges into this one"), max_length=40)


class ReportForm(forms.Form):
    year = forms.IntegerField(label=_("Year reported on"), min_value=1990, max_value=2100)
    activities = forms.CharField(label=_("Activities of the year"),
                                 widget=forms.Textarea(attrs={"rows": 3}), max_length=5000)
    income_yuan = yuan_field(_("Income (yuan)"))
    expenditure_yuan = yuan_field(_("Expenditure (yuan)"))
    staff = forms.IntegerField(label=_("Staff at year end"), min_value=0, initial=0)
    members = forms.IntegerField(label=_("Members at year end"), min_value=0, initial=0)
    agency_submitted_on = forms.DateField(label=_("Sent to the supervising agency on"),
                                          required=False, widget=DATE)
    agency_approved_on = forms.DateField(label=_("First review passed on"), required=False,
                                         widget=DATE)


class GrantForm(forms.Form):
    programme = forms.ChoiceField(label=_("Programme"), choices=())
    title = forms.CharField(label=_("Project"), max_length=120)
    category = forms.ChoiceField(label=_("Category"), choices=Category.choices)
    summary = forms.CharField(label=_("Summary"), widget=forms.Textarea(attrs={"rows": 3}),
                              max_length=5000)
    requested_yuan = yuan_field(_("Amount requested (yuan)"))

    def __init__(self, *args: Any, programmes: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["programme"].choices = programmes  # type: ignore[attr-defined]


class IncubationForm(forms.Form):
    centre = forms.ChoiceField(label=_("Centre"), choices=())
    plan = forms.CharField(label=_("Development plan"), widget=forms.Textarea(attrs={"rows": 3}),
                           max_length=5000)

    def __init__(self, *args: Any, centres: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["centre"].choices = centres  # type: ignore[attr-defined]


class ServiceProfileForm(forms.Form):
    categories = forms.MultipleChoiceField(label=_("Service categories"),
                                           choices=Category.choices,
                                           widget=forms.CheckboxSelectMultiple)
    capacity = forms.IntegerField(label=_("Engagements it can take at once"), min_value=1,
                                  max_value=100)


class StepForm(forms.Form):
    """Any step of an application; each button sends the fields its step needs."""

    action = forms.CharField(max_length=20)
    missing = forms.MultipleChoiceField(required=False, choices=())
    materials = forms.MultipleChoiceField(required=False, choices=())
    reason = forms.ChoiceField(required=False, choices=[("", "—"), *RejectReason.choices])
    reason_text = forms.CharField(required=False, max_length=2000)
    note = forms.CharField(required=False, max_length=2000)
    credit_code = forms.CharField(required=False, max_length=30)
    days = forms.IntegerField(required=False, min_value=1, max_value=60)

    def __init__(self, *args: Any, materials: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["missing"].choices = materials  # type: ignore[attr-defined]
        self.fields["materials"].choices = materials  # type: ignore[attr-defined]


class ComplaintForm(forms.Form):
    complainant_name = forms.CharField(label=_("Your name"), max_length=50)
    phone = forms.CharField(label=_("Phone"), max_length=20, required=False)
    summary = forms.CharField(label=_("What happened"), widget=forms.Textarea(attrs={"rows": 4}),
                              max_length=5000)


class PenaltyForm(forms.Form):
    violation = forms.ChoiceField(label=_("Violation"), choices=Violation.choices)
    kinds = forms.MultipleChoiceField(label=_("Penalties"), choices=PenaltyKind.choices,
                                      widget=forms.CheckboxSelectMultiple)
    facts = forms.CharField(label=_("Facts"), widget=forms.Textarea(attrs={"rows": 3}),
                            max_length=5000)
    fine_yuan = yuan_field(_("Fine (yuan)"), required=False)
    suspend_until = forms.DateField(label=_("Suspended until"), required=False, widget=DATE)


class InspectionPlanForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=InspectionKind.choices)
    planned_on = forms.DateField(label=_("Planned for"), widget=DATE)


class EvaluationForm(forms.Form):
    grade = forms.TypedChoiceField(label=_("Grade"), coerce=int,
                                   choices=[(g, f"{g}A") for g in range(1, 6)])
    assessed_on = forms.DateField(label=_("Assessed on"), widget=DATE)
    note = forms.CharField(label=_("Note"), max_length=200, required=False)


class OperatorForm(forms.Form):
    username = forms.CharField(label=_("User name of the organisation's user"), max_length=150)


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Registry workbook (.xlsx)"))
    dry_run = forms.BooleanField(label=_("Check only (write nothing)"), required=False,
                                 initial=True)


class SupervisionStepForm(forms.Form):
    action = forms.CharField(max_length=20)
    remarks = forms.CharField(required=False, max_length=2000)
    findings = forms.CharField(required=False, max_length=5000)
    correct_by = forms.DateField(required=False)


class GrantStepForm(forms.Form):
    action = forms.CharField(max_length=20)
    awarded_yuan = yuan_field("", required=False)
    reasons = forms.CharField(required=False, max_length=2000)
    report = forms.CharField(required=False, max_length=5000)
    spent_yuan = yuan_field("", required=False)


class PayForm(forms.Form):
    amount_yuan = yuan_field(_("Amount (yuan)"))
    paid_on = forms.DateField(label=_("Paid on"), widget=DATE)
    note = forms.CharField(label=_("Note"), max_length=200, required=False)


class IncubationStepForm(forms.Form):
    action = forms.CharField(max_length=20)
    supports = forms.MultipleChoiceField(required=False, choices=SupportKind.choices)
    seed_yuan = yuan_field("", required=False)


REGISTERED_KIND_CHOICES = [(k.value, k.label) for k in Kind if k in REGISTERED_KINDS]
