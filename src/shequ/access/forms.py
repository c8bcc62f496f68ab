"""Input shape of the access pages (the rules are the services')."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from shequ.access.models import FacilityKind, SitingKind
from shequ.access.services.siting import MAX_K, MAX_TIME_LIMIT


class AnalyseForm(forms.Form):
    speed = forms.IntegerField(label=_("Walking distance per minute (metres)"), required=False,
                               min_value=30, max_value=120,
                               help_text=_("Empty: the rule in force here."))


class SitingForm(forms.Form):
    kind = forms.ChoiceField(label=_("Siting question"), choices=SitingKind.choices)
    k = forms.IntegerField(label=_("New stations"), required=False, min_value=1,
                           max_value=MAX_K, initial=3)
    band = forms.IntegerField(label=_("Within minutes"), min_value=1, max_value=90, initial=15)
    time_limit = forms.IntegerField(label=_("Solver time limit (seconds)"), min_value=1,
                                    max_value=MAX_TIME_LIMIT, initial=60)

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        if data.get("kind") == SitingKind.MAX_COVER and not data.get("k"):
            self.add_error("k", _("Enter how many new stations, from 1 to %(max)s.")
                           % {"max": MAX_K})
        return data


class FacilityForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=FacilityKind.choices)
    name = forms.CharField(label=_("Facility name"), max_length=100)
    area_code = forms.RegexField(label=_("Community code"), regex=r"^\d{12}$",
                                 error_messages={"invalid": _("Enter the community's "
                                                              "12-digit code.")})
    lon = forms.FloatField(label=_("Longitude"), min_value=73, max_value=136)
    lat = forms.FloatField(label=_("Latitude"), min_value=3, max_value=54)
    floor_area = forms.IntegerField(label=_("Floor area (m²)"), min_value=0, max_value=100_000,
                                    initial=0)


class NetworkForm(forms.Form):
    area_code = forms.RegexField(label=_("Area code"), regex=r"^\d{6}(\d{3}(\d{3})?)?$",
                                 error_messages={"invalid": _("Enter a district, street or "
                                                              "community code.")})
    extract = forms.FileField(label=_("OpenStreetMap extract (.osm.pbf)"))
