"""Forms of the assessment pages: input shapes only; the rules live in the services."""

from __future__ import annotations

from typing import Any

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


def _indicator_choices() -> list[tuple[str, str]]:
    from shequ.core.indicators import INDICATORS as ALL

    return [("", "—"), *sorted(((c, str(i.name)) for c, i in ALL.items()), key=lambda t: t[0])]


def _duty_choices() -> list[tuple[str, Any]]:
    from shequ.areas.models import STREET_DUTIES

    return [(d.value, d.label) for d in STREET_DUTIES]


class SchemeForm(forms.Form):
    area_code = forms.CharField(label=_("District code"), max_length=6)
    year = forms.IntegerField(label=_("Year"))
    name = forms.CharField(label=_("Name (empty: made from the district and year)"),
                           max_length=200, required=False)
    source = forms.CharField(label=_("Source"), max_length=500, required=False)


class ItemForm(forms.Form):
    duty = forms.ChoiceField(label=_("Section"), choices=_duty_choices)
    indicator = forms.ChoiceField(label=_("Indicator"), choices=_indicator_choices, required=False)
    weight = forms.CharField(label=_("Weight (%)"), max_length=10, required=False)
    scoring = forms.ChoiceField(label=_("Scoring"), choices=[
        ("linear", _("Linear between floor and target")), ("pass_fail", _("Pass or fail"))])
    floor = forms.CharField(label=_("Floor"), max_length=20, required=False,
                            help_text=_("shares as per cent, e.g. 80%"))
    target = forms.CharField(label=_("Target"), max_length=20, required=False)


ItemFormSet = forms.formset_factory(ItemForm, extra=0, max_num=40, absolute_max=40)
