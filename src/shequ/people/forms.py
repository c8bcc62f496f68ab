"""Forms of the people pages: input shapes only; the rules live in the services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from shequ.people.enums import EndReason
from shequ.people.models import (
    BodyKind,
    Qualification,
    RightsAction,
    RightsKind,
    StaffKind,
    UnitLevel,
)


class NoEchoInput(forms.TextInput):
    """A text input that never writes its value back into the page: a form shown again
    after an error does not carry the full identity number (ADR 0300)."""

    def format_value(self, value: object) -> str | None:
        return None


class SearchForm(forms.Form):
    """The register's search: POSTed, so a full number never lands in a URL."""

    q = forms.CharField(label=_("Start of a name, or a full identity number"), max_length=100,
                        required=False)
    within = forms.CharField(label=_("Area code"), max_length=15, required=False)


class ResidentForm(forms.Form):
    name = forms.CharField(label=_("Full name"), max_length=100)
    id_number = forms.CharField(label=_("Identity number"), max_length=20,
                                widget=NoEchoInput(attrs={"autocomplete": "off"}),
                                help_text=_("18 characters; checked against GB 11643."))
    community_code = forms.CharField(label=_("Community code"), max_length=12)
    area_code = forms.CharField(label=_("Compound code"), max_length=15, required=False)
    household_number = forms.CharField(label=_("Household number"), max_length=40, required=False)
    head = forms.BooleanField(label=_("Head of household"), required=False)
    phone = forms.CharField(label=_("Phone"), max_length=20, required=False)
    registered_here = forms.BooleanField(label=_("Household registration (户籍) here"),
                                         required=False, initial=True)
    lives_here = forms.BooleanField(label=_("Actually lives here"), required=False, initial=True)
    residence_since = forms.DateField(label=_("Living here since"), required=False,
                                      widget=forms.DateInput(attrs={"type": "date"}))
    disability = forms.BooleanField(label=_("Disability"), required=False)
    low_income = forms.BooleanField(label=_("Low income (低保)"), required=False)
    registered_address = forms.CharField(label=_("Registered address"), max_length=200,
                                         required=False)
    actual_address = forms.CharField(label=_("Actual address"), max_length=200, required=False)


class ResidentEditForm(forms.Form):
    name = forms.CharField(label=_("Full name"), max_length=100)
    phone = forms.CharField(label=_("Phone"), max_length=20, required=False,
                            help_text=_("Leave empty to keep the phone number."))
    registered_here = forms.BooleanField(label=_("Household registration (户籍) here"),
                                         required=False)
    lives_here = forms.BooleanField(label=_("Actually lives here"), required=False)
    residence_since = forms.DateField(label=_("Living here since"), required=False,
                                      widget=forms.DateInput(attrs={"type": "date"}))
    disability = forms.BooleanField(label=_("Disability"), required=False)
    low_income = forms.BooleanField(label=_("Low income (低保)"), required=False)


class CorrectIdForm(forms.Form):
    id_number = forms.CharField(label=_("Correct identity number"), max_length=20,
                                widget=NoEchoInput(attrs={"autocomplete": "off"}),
                                help_text=_("18 characters; checked against GB 11643."))
    reason = forms.CharField(label=_("Reason for the correction"), max_length=300,
                             help_text=_("For example the document that shows the right "
                                         "number. Logged with your name and the time."))


class RevealForm(forms.Form):
    reason = forms.CharField(label=_("Why do you need the full number?"), max_length=300,
                             help_text=_("Every read is logged with your name, the time and "
                                         "this reason."))


class MoveOutForm(forms.Form):
    on = forms.DateField(label=_("Moved away on"), widget=forms.DateInput(attrs={"type": "date"}))


class LinkUserForm(forms.Form):
    username = forms.CharField(label=_("User name"), max_length=150, widget=forms.TextInput(
        attrs={"placeholder": _("User name"), "aria-label": _("User name")}))


class ImportForm(forms.Form):
    file = forms.FileField(label=_("File (.csv or .xlsx)"))
    sheet = forms.CharField(label=_("Sheet (for .xlsx)"), required=False,
                            help_text=_("Empty: the first sheet."))
    dry_run = forms.BooleanField(label=_("Dry run: check only, write nothing"), required=False,
                                 initial=True)


class ExportForm(forms.Form):
    within = forms.ChoiceField(label=_("Area"), choices=[])
    fmt = forms.ChoiceField(label=_("Format"), initial="xlsx", required=False, choices=[
        ("xlsx", _("Excel workbook (.xlsx)")), ("csv", _("CSV, UTF-8 (.csv)"))])
    full_numbers = forms.BooleanField(label=_("Full identity numbers"), required=False)
    reason = forms.CharField(label=_("Reason (needed for full numbers)"), max_length=300,
                             required=False)


class RightsRequestForm(forms.Form):
    kind = forms.ChoiceField(label=_("Request"), choices=RightsKind.choices)
    detail = forms.CharField(label=_("Details"), required=False, widget=forms.Textarea(
        attrs={"rows": 3}), help_text=_("For a correction, say what is wrong and what is right."))


class DecideForm(forms.Form):
    """Answering a request is final (and accepting a deletion de-identifies the record),
    so the page asks for confirmation; the step is the button pressed."""

    action = forms.ChoiceField(label=_("Decision"), choices=RightsAction.choices)
    outcome = forms.CharField(label=_("Outcome"), max_length=2000,
                              widget=forms.Textarea(attrs={"rows": 2}))
    confirm = forms.BooleanField(
        label=_("I have checked this answer; it cannot be changed afterwards."),
        error_messages={"required": _("Confirm the answer: it cannot be changed afterwards.")})


class StaffForm(forms.Form):
    code = forms.CharField(label=_("Staff number"), max_length=30)
    name = forms.CharField(label=_("Full name"), max_length=100)
    kind = forms.ChoiceField(label=_("Kind"), choices=StaffKind.choices)
    qualification = forms.ChoiceField(label=_("Qualification"), choices=Qualification.choices,
                                      required=False)
    level = forms.ChoiceField(label=_("Posted to"), choices=UnitLevel.choices)
    area_code = forms.CharField(label=_("Area code"), max_length=15, required=False)
    station_code = forms.CharField(label=_("Station code"), max_length=20, required=False)
    position = forms.CharField(label=_("Position"), max_length=100, required=False)
    department_id = forms.TypedChoiceField(
        label=_("Department (科室)"), required=False, coerce=int, empty_value=None, choices=[],
        help_text=_("A department of the street office the posting's area belongs to."))
    start_date = forms.DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args: Any, departments: list[Any] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["department_id"].choices = [  # type: ignore[attr-defined]
            ("", "—"), *(departments or [])]


class PostingForm(forms.Form):
    level = forms.ChoiceField(label=_("Posted to"), choices=UnitLevel.choices)
    area_code = forms.CharField(label=_("Area code"), max_length=15, required=False)
    station_code = forms.CharField(label=_("Station code"), max_length=20, required=False)
    position = forms.CharField(label=_("Position"), max_length=100, required=False)
    start_date = forms.DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}))
    rotation = forms.BooleanField(label=_("Rotation (交流轮岗)"), required=False, initial=True)
    department_id = forms.TypedChoiceField(
        label=_("Department (科室)"), required=False, coerce=int, empty_value=None, choices=[],
        help_text=_("A department of the street office the posting's area belongs to."))

    def __init__(self, *args: Any, departments: list[Any] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["department_id"].choices = [  # type: ignore[attr-defined]
            ("", "—"), *(departments or [])]


class TrainingForm(forms.Form):
    title = forms.CharField(label=_("Course"), max_length=200)
    provider = forms.CharField(label=_("Provider"), max_length=200, required=False)
    start_date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    hours = forms.DecimalField(label=_("Hours"), min_value=0, max_digits=6, decimal_places=1)


class BodyForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=BodyKind.choices)
    name = forms.CharField(label=_("Name"), max_length=150)
    area_code = forms.CharField(label=_("Area code"), max_length=15)
    founded_on = forms.DateField(label=_("Founded on"), required=False,
                                 widget=forms.DateInput(attrs={"type": "date"}))


class MembershipForm(forms.Form):
    post_role = forms.ChoiceField(label=_("Post"), choices=[])
    person_name = forms.CharField(label=_("Full name"), max_length=100)
    start_date = forms.DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}))
    end_date = forms.DateField(label=_("Until"), required=False,
                               widget=forms.DateInput(attrs={"type": "date"}))


class EndMembershipForm(forms.Form):
    """Ending a term: the day and why (a key, shown in the reader's language)."""

    end_date = forms.DateField(label=_("Until"), widget=forms.DateInput(attrs={"type": "date"}))
    reason = forms.ChoiceField(label=_("Reason"), choices=[("", "—"), *EndReason.choices],
                               required=False)
    confirm = forms.BooleanField(
        label=_("A term once ended cannot be reopened."),
        error_messages={"required": _("Confirm ending the term: it cannot be reopened.")})
