"""Forms of the assessment pages: input shapes only; the rules live in the services."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from shequ.assessment.indicators import INDICATORS

DATE = forms.DateInput(attrs={"type": "date"})


class FigureForm(forms.Form):
    indicator = forms.ChoiceField(label=_("Indicator"),
                                  choices=[(i.code, i.name) for i in INDICATORS])
    area_code = forms.CharField(label=_("Area code"), max_length=15)
    start = forms.DateField(label=_("From"), widget=DATE)
    end = forms.DateField(label=_("Until"), widget=DATE)
    value = forms.DecimalField(label=_("Value"), max_digits=14, decimal_places=4)
    note = forms.CharField(label=_("Source document"), max_length=300, required=False)


class CorrectionForm(forms.Form):
    reason = forms.CharField(label=_("Reason for the correction"), max_length=1000,
                             widget=forms.Textarea(attrs={"rows": 2}))
