"""Forms of the linkage pages: input shapes only; the rules live in the services."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from shequ.linkage.models import Providers
from shequ.orgs.facade import CATEGORIES

DATE = forms.DateInput(attrs={"type": "date"})


class NeedForm(forms.Form):
    area_code = forms.ChoiceField(label=_("Community"), choices=())
    category = forms.ChoiceField(label=_("Service category"), choices=CATEGORIES.choices)
    title = forms.CharField(label=_("Title"), max_length=120)
    description = forms.CharField(label=_("Description"), max_length=5000,
                                  widget=forms.Textarea(attrs={"rows": 3}))
    address = forms.CharField(label=_("Place"), max_length=200)
    latitude = forms.DecimalField(label=_("Latitude"), required=False, max_digits=9,
                                  decimal_places=6, min_value=Decimal(-90), max_value=Decimal(90))
    longitude = forms.DecimalField(label=_("Longitude"), required=False, max_digits=10,
                                   decimal_places=6, min_value=Decimal(-180),
                                   max_value=Decimal(180))
    beneficiaries = forms.IntegerField(label=_("People it serves"), min_value=1)
    volunteer_only = forms.BooleanField(label=_("Volunteers only (no budget)"), required=False)
    budget_yuan = forms.DecimalField(label=_("Budget (yuan)"), required=False, min_value=Decimal(0),
                                     max_digits=12, decimal_places=2)
    providers = forms.ChoiceField(label=_("Wanted"), choices=Providers.choices)
    wanted_from = forms.DateField(label=_("From"), widget=DATE)
    wanted_to = forms.DateField(label=_("Until"), widget=DATE)

    def __init__(self, *args: Any, communities: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["area_code"].choices = communities  # type: ignore[attr-defined]

    def values(self) -> dict[str, Any]:
        d = self.cleaned_data
        lat, lon = d.get("latitude"), d.get("longitude")
        return {"area_code": d["area_code"], "category": d["category"], "title": d["title"],
                "description": d["description"], "address": d["address"],
                "beneficiaries": d["beneficiaries"], "volunteer_only": d["volunteer_only"],
                "budget_fen": int(d["budget_yuan"] * 100) if d.get("budget_yuan") else None,
                "providers": d["providers"], "wanted_from": d["wanted_from"],
                "wanted_to": d["wanted_to"],
                "lat_e6": int(lat * 1_000_000) if lat is not None else None,
                "lon_e6": int(lon * 1_000_000) if lon is not None else None}


class EngagementStepForm(forms.Form):
    action = forms.CharField(max_length=20)
    hours = forms.IntegerField(required=False, min_value=0)
    served = forms.IntegerField(required=False, min_value=0)
    rating = forms.IntegerField(required=False, min_value=1, max_value=5)
    feedback = forms.CharField(required=False, max_length=2000)
    note = forms.CharField(required=False, max_length=2000)


class InviteForm(forms.Form):
    kind = forms.ChoiceField(choices=[("org", "org"), ("worker", "worker")])
    provider_id = forms.IntegerField(min_value=1)
    note = forms.CharField(required=False, max_length=2000)


class WorkerForm(forms.Form):
    staff_id = forms.ChoiceField(label=_("Social worker"), choices=())
    categories = forms.MultipleChoiceField(label=_("Service categories"),
                                           choices=CATEGORIES.choices,
                                           widget=forms.CheckboxSelectMultiple)
    capacity = forms.IntegerField(label=_("Engagements at once"), min_value=1, max_value=20,
                                  initial=2)
    available = forms.BooleanField(label=_("Available"), required=False, initial=True)

    def __init__(self, *args: Any, workers: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["staff_id"].choices = workers  # type: ignore[attr-defined]
