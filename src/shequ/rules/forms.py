"""Input shape of the rules pages (the rules themselves are checked by the services)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class AreaForm(forms.Form):
    area = forms.CharField(label=_("Area code"), max_length=15, required=False)


class OverrideForm(forms.Form):
    key = forms.CharField(widget=forms.HiddenInput, max_length=60)
    area_code = forms.CharField(label=_("For the areas below"), max_length=15)
    value = forms.CharField(label=_("Local value"), max_length=60)
    citation = forms.CharField(label=_("Document that sets it"), max_length=300)
    reason = forms.CharField(label=_("Reason"), max_length=300, required=False)
