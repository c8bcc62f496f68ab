"""Forms of the purchase pages: input shapes only; the rules live in the services."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from shequ.procurement.models import BuyerKind, CancelReason, EvaluatorKind, EvaluatorOf, Method

DATE = forms.DateInput(attrs={"type": "date"})
MAX_YUAN = Decimal("1000000000")


def yuan_field(label: Any, **kw: Any) -> forms.DecimalField:
    return forms.DecimalField(label=label, min_value=Decimal("0.01"), max_value=MAX_YUAN,
                              max_digits=14, decimal_places=2, **kw)


def to_fen(value: Decimal) -> int:
    return int(value * 100)


class BuyerForm(forms.Form):
    name = forms.CharField(label=_("Buyer"), max_length=60)
    kind = forms.ChoiceField(label=_("Kind"), choices=BuyerKind.choices)
    area_code = forms.ChoiceField(label=_("Area"), choices=())

    def __init__(self, *args: Any, areas: list[tuple[str, str]], **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.fields["area_code"].choices = areas  # type: ignore[attr-defined]


class BudgetLineForm(forms.Form):
    buyer_id = forms.TypedChoiceField(label=_("Buyer"), coerce=int, choices=())
    year = forms.IntegerField(label=_("Budget year"), min_value=2000, max_value=2100)
    title = forms.CharField(label=_("Title"), max_length=80)
    amount_yuan = yuan_field(_("Amount (yuan)"))

    def __init__(self, *args: Any, buyers: list[tuple[int, str]], **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.fields["buyer_id"].choices = buyers  # type: ignore[attr-defined]


class ProjectForm(forms.Form):
    budget_line_id = forms.TypedChoiceField(label=_("Budget line"), coerce=int, choices=())
    item_id = forms.TypedChoiceField(label=_("Catalogue item"), coerce=int, choices=())
    title = forms.CharField(label=_("Title"), max_length=120)
    description = forms.CharField(label=_("Service requirements"), max_length=5000,
                                  required=False, widget=forms.Textarea(attrs={"rows": 3}))
    method = forms.ChoiceField(label=_("Procurement method"), choices=Method.choices)
    method_reason = forms.CharField(label=_("Why not a public tender"), max_length=2000,
                                    required=False)
    single_supplier = forms.CharField(label=_("Single-source supplier (full name)"),
                                      max_length=100, required=False)
    budget_yuan = yuan_field(_("Budget (yuan)"))
    legal_person_only = forms.BooleanField(label=_("Legal persons only"), required=False,
                                           initial=True)
    min_grade = forms.TypedChoiceField(label=_("Lowest evaluation grade"), coerce=int,
                                       required=False, empty_value=None,
                                       choices=[("", _("none"))] + [(g, f"{g}A")
                                                                    for g in range(1, 6)])

    def __init__(self, *args: Any, lines: list[tuple[int, str]], items: list[tuple[int, str]],
                 **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.fields["budget_line_id"].choices = lines  # type: ignore[attr-defined]
        self.fields["item_id"].choices = items  # type: ignore[attr-defined]


class CriteriaForm(forms.Form):
    criteria = forms.CharField(
        label=_("Evaluation criteria, one per line: name and weight"), max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}), initial="服务方案 50\n团队与经验 30\n报价 20")

    def parsed(self) -> list[tuple[str, int]]:
        out = []
        for line in self.cleaned_data["criteria"].splitlines():
            if not line.strip():
                continue
            name, _sep, weight = line.strip().rpartition(" ")
            try:
                out.append((name.strip(), int(weight)))
            except ValueError:
                raise forms.ValidationError(
                    _("Write each criterion as its name, a space and its weight.")) from None
        return out


class PublishForm(forms.Form):
    bid_deadline = forms.DateField(label=_("Bids due by"), widget=DATE)


class EvaluatorForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=50)
    kind = forms.ChoiceField(label=_("Kind"), choices=EvaluatorKind.choices)


class DeclareForm(forms.Form):
    evaluator_id = forms.IntegerField(widget=forms.HiddenInput)
    conflicts = forms.TypedMultipleChoiceField(label=_("Bidders they have an interest in"),
                                               coerce=int, required=False, choices=(),
                                               widget=forms.CheckboxSelectMultiple)
    note = forms.CharField(label=_("What the interest is"), max_length=200, required=False)

    def __init__(self, *args: Any, bidders: list[tuple[int, str]], **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.fields["conflicts"].choices = bidders  # type: ignore[attr-defined]


class BidForm(forms.Form):
    price_yuan = yuan_field(_("Price (yuan)"))
    proposal = forms.CharField(label=_("Service proposal"), max_length=5000,
                               widget=forms.Textarea(attrs={"rows": 4}))


class TextForm(forms.Form):
    text = forms.CharField(label=_("Text"), max_length=4000,
                           widget=forms.Textarea(attrs={"rows": 3}))


class CancelForm(forms.Form):
    reason = forms.ChoiceField(label=_("Reason for cancelling"), choices=CancelReason.choices)


class SignForm(forms.Form):
    starts_on = forms.DateField(label=_("Starts on"), widget=DATE)
    ends_on = forms.DateField(label=_("Ends on"), widget=DATE)
    term_reason = forms.CharField(label=_("Reason for a term over one year"), max_length=2000,
                                  required=False)
    milestones = forms.CharField(
        label=_("Milestones, one per line: title, deliverable, due date, payment (yuan)"),
        max_length=4000, widget=forms.Textarea(attrs={"rows": 3}))

    def parsed(self) -> list[tuple[str, str, date, int]]:
        out = []
        for line in self.cleaned_data["milestones"].splitlines():
            if not line.strip():
                continue
            parts = [p.strip() for p in line.replace("，", ",").split(",")]
            try:
                title, deliverable, due, amount = parts
                out.append((title, deliverable, date.fromisoformat(due),
                            to_fen(Decimal(amount))))
            except (ValueError, ArithmeticError):
                raise forms.ValidationError(_("Write each milestone as: title, deliverable, "
                                              "due date (YYYY-MM-DD), payment in yuan.")) from None
        return out


class PaymentForm(forms.Form):
    milestone_id = forms.IntegerField(widget=forms.HiddenInput)
    amount_yuan = yuan_field(_("Amount (yuan)"))


class ChangeForm(forms.Form):
    new_value_yuan = yuan_field(_("New contract value (yuan)"))
    reason = forms.CharField(label=_("Reason"), max_length=2000)


class PerformanceForm(forms.Form):
    score = forms.IntegerField(label=_("Score (of 100)"), min_value=0, max_value=100)
    evaluated_by = forms.ChoiceField(label=_("Evaluated by"), choices=EvaluatorOf.choices)
    evaluator_name = forms.CharField(label=_("Evaluator"), max_length=80)
    summary = forms.CharField(label=_("Evaluation summary"), max_length=4000, required=False,
                              widget=forms.Textarea(attrs={"rows": 3}))
