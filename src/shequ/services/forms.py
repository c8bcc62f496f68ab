"""Forms of the services pages: the shape of the input only (types, lengths, what is
required). Whether a step may be taken, and with what, is the services' to say."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import MaxValueValidator, RegexValidator
from django.utils.translation import gettext_lazy as _

from shequ.services.lifecycles import IRREVERSIBLE
from shequ.services.models import Action, Case, ItemVersion, PauseKind, Sla, State
from shequ.services.services import Upload

ACCEPT = ".pdf,.jpg,.jpeg,.png"


class NoEchoInput(forms.TextInput):
    """A text input that never writes its value back into the page: a form shown again
    after an error carries no identity number or phone digits (ADR 0300, 0402)."""

    def format_value(self, value: object) -> str | None:
        return None


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class FilesField(forms.FileField):
    """Several files in one input (Django's documented pattern); ``[]`` when none."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ACCEPT}))
        super().__init__(**kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[UploadedFile]:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data if d]
        return [single(data, initial)] if data else []


def to_uploads(files: list[UploadedFile], material_code: str = "") -> list[Upload]:
    return [Upload(name=f.name or "file", content=f.read(), material_code=material_code)
            for f in files]


def problems(form: forms.Form) -> str:
    """A form's errors as one line naming each field, for a message after a redirect (a
    box's label is a sentence, so its error stands alone)."""
    parts = []
    for name, errors in form.errors.items():
        field = form.fields.get(name)
        label = field.label if field and not isinstance(field, forms.BooleanField) else ""
        text = " ".join(str(e) for e in errors)
        parts.append(f"{label}: {text}" if label else text)
    return " ".join(parts)


def _choices(form: forms.Form, name: str, choices: list[tuple[str, Any]]) -> None:
    field = form.fields[name]
    assert isinstance(field, forms.ChoiceField)
    field.choices = choices


# ---------------------------------------------------------------- filing


class _Filing(forms.Form):
    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=100, required=False)
    applicant_name = forms.CharField(label=_("Applicant's name"), max_length=100)
    phone = forms.CharField(label=_("Phone"), max_length=30,
                            widget=forms.TextInput(attrs={"inputmode": "tel"}),
                            help_text=_("The last four digits let the applicant check progress "
                                        "without signing in."))


class ApplyForm(_Filing):
    """A resident's own application: one file input per material the item asks for."""

    area_code = forms.ChoiceField(label=_("Community"))
    description = forms.CharField(label=_("Your request"), max_length=2000, required=False,
                                  widget=forms.Textarea(attrs={"rows": 3}))
    field_order = ["area_code", "applicant_name", "phone", "description"]

    def __init__(self, *args: Any, communities: list[tuple[str, str]], version: ItemVersion,
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choices(self, "area_code", communities)
        self.materials = list(version.materials)
        for m in self.materials:
            self.fields[f"material_{m['code']}"] = forms.FileField(
                label=m["name"], required=False,
                widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}))

    def uploads(self) -> list[Upload]:
        result: list[Upload] = []
        for m in self.materials:
            f = self.cleaned_data.get(f"material_{m['code']}")
            if f:
                result += to_uploads([f], m["code"])
        return result


class DeskForm(_Filing):
    """Filing at a station desk on a resident's behalf (代办)."""

    item_code = forms.ChoiceField(label=_("Service item"))
    area_code = forms.ChoiceField(label=_("Applicant's community"))
    station_code = forms.ChoiceField(label=_("Station"), required=False)
    id_number = forms.CharField(label=_("Identity number (optional, links the resident record)"),
                                max_length=40, required=False,
                                widget=NoEchoInput(attrs={"autocomplete": "off"}))
    description = forms.CharField(label=_("What is requested"), max_length=2000, required=False,
                                  widget=forms.Textarea(attrs={"rows": 2}))
    agent_name = forms.CharField(
        label=_("Filed on the applicant's behalf by (if not the applicant)"), max_length=100,
        required=False)
    agent_relation = forms.CharField(label=_("Relation to the applicant"), max_length=50,
                                     required=False)
    scans = FilesField(label=_("Scanned materials"))
    confirm_duplicate = forms.BooleanField(
        label=_("Checked: this person files the same item again although a case is open"),
        required=False)
    field_order = ["item_code", "area_code", "station_code", "applicant_name", "phone",
                   "id_number", "agent_name", "agent_relation", "description", "scans",
                   "confirm_duplicate"]

    def __init__(self, *args: Any, items: list[tuple[str, str]],
                 communities: list[tuple[str, str]], stations: list[tuple[str, str]],
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choices(self, "item_code", items)
        _choices(self, "area_code", communities)
        _choices(self, "station_code", [("", "—"), *stations])


class ProgressForm(forms.Form):
    number = forms.CharField(label=_("Case number"), max_length=40,
                             widget=forms.TextInput(attrs={"placeholder": "510104022-2026-000001"}))
    phone_last4 = forms.CharField(
        label=_("Last 4 digits of the phone given"), min_length=4, max_length=4,
        validators=[RegexValidator(r"^\d{4}$", _("Enter the four digits."))],
        widget=NoEchoInput(attrs={"inputmode": "numeric", "autocomplete": "off"}))


# ---------------------------------------------------------------- lists


class WorkFilterForm(forms.Form):
    state = forms.ChoiceField(label=_("State"), required=False,
                              choices=[("", _("All states")), *State.choices])
    sla = forms.ChoiceField(label=_("Time limit"), required=False,
                            choices=[("", _("Any time-limit status")), *Sla.choices])
    street = forms.ChoiceField(label=_("Street"), required=False)
    item = forms.CharField(label=_("Service item"), max_length=40, required=False)
    q = forms.CharField(label=_("Number or applicant"), max_length=100, required=False)

    def __init__(self, *args: Any, streets: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choices(self, "street", [("", _("All streets")), *streets])


class StatsForm(forms.Form):
    by = forms.ChoiceField(label=_("Group by"), required=False, choices=[
        ("street", _("Street")), ("department", _("Department")),
        ("item", _("Service item")), ("month", _("Month"))])
    start = forms.DateField(label=_("Received from"), required=False,
                            widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("to"), required=False,
                          widget=forms.DateInput(attrs={"type": "date"}))


# ---------------------------------------------------------------- the steps of a case


class StepForm(forms.Form):
    """The inputs of one step; ``expected`` is the state the page showed, so a step is
    never taken on a case that moved meanwhile. :meth:`inputs` gives ``services.act``'s
    arguments."""

    expected = forms.CharField(widget=forms.HiddenInput, required=False, max_length=12)

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"expected": case.state})
        super().__init__(*args, **kwargs)
        self.case = case

    def inputs(self) -> dict[str, Any]:
        d = self.cleaned_data
        return {"expected": d.get("expected", ""), "note": d.get("note", "")}


class NoteForm(StepForm):
    note = forms.CharField(label=_("Note"), max_length=2000, required=False,
                           widget=forms.Textarea(attrs={"rows": 1}))


class ReasonsForm(StepForm):
    note = forms.CharField(label=_("Reasons (told to the applicant)"), max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 2}))


class CorrectionForm(StepForm):
    missing = forms.MultipleChoiceField(label=_("Name everything that is missing (one notice)"),
                                        widget=forms.CheckboxSelectMultiple,
                                        error_messages={"required": _(
                                            "Tick every material to be supplied.")})
    note = forms.CharField(label=_("What is wrong with each (told to the applicant)"),
                           max_length=2000, required=False,
                           widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, case=case, **kwargs)
        _choices(self, "missing", [(m["code"], m["name"]) for m in case.version.materials])

    def inputs(self) -> dict[str, Any]:
        return super().inputs() | {"missing": self.cleaned_data["missing"]}


class SupplyForm(StepForm):
    """One file input per material the notice asked for (a file for each is required by
    the service, which names what is missing)."""

    note = forms.CharField(label=_("Note"), max_length=2000, required=False,
                           widget=forms.Textarea(attrs={"rows": 1}))

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, case=case, **kwargs)
        names = case.version.material_names
        by_name = {v: k for k, v in names.items()}
        self.asked = [by_name.get(m, m) for m in case.missing]
        for code in self.asked:
            self.fields[f"material_{code}"] = FilesField(label=names.get(code, code))

    def inputs(self) -> dict[str, Any]:
        uploads: list[Upload] = []
        for code in self.asked:
            uploads += to_uploads(self.cleaned_data.get(f"material_{code}") or [], code)
        return super().inputs() | {"uploads": uploads}


class ExtendForm(StepForm):
    """The officer's request to the head, or the head's approval (days and reason
    prefilled from the request)."""

    days = forms.IntegerField(label=_("Working days"), min_value=1,
                              error_messages={"required": _("Give the number of working days.")})
    note = forms.CharField(label=_("Reason (told to the applicant)"), max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, case: Case, extension_days: int, **kwargs: Any) -> None:
        super().__init__(*args, case=case, **kwargs)
        days = self.fields["days"]
        days.initial = case.extension_requested or None
        days.widget.attrs["max"] = extension_days
        days.validators.append(MaxValueValidator(extension_days))
        self.fields["note"].initial = case.extension_reason

    def inputs(self) -> dict[str, Any]:
        return super().inputs() | {"days": self.cleaned_data["days"]}


class SuspendForm(StepForm):
    pause_kind = forms.ChoiceField(label=_("Excluded period"), choices=PauseKind.choices)
    note = forms.CharField(label=_("Note"), max_length=2000, required=False,
                           widget=forms.Textarea(attrs={"rows": 1}))

    def inputs(self) -> dict[str, Any]:
        return super().inputs() | {"pause_kind": self.cleaned_data["pause_kind"]}


FORMS: dict[str, type[StepForm]] = {
    Action.REQUEST_CORRECTION: CorrectionForm, Action.SUPPLY: SupplyForm,
    Action.ACCEPT: NoteForm, Action.REFUSE: ReasonsForm, Action.EXTEND: ExtendForm,
    Action.REQUEST_EXTENSION: ExtendForm,
    Action.SUSPEND: SuspendForm, Action.RESUME: NoteForm, Action.APPROVE: NoteForm,
    Action.REJECT: ReasonsForm, Action.ISSUE: NoteForm, Action.CLOSE: NoteForm,
    Action.WITHDRAW: NoteForm,
}


def step_form(action: str, case: Case, *, extension_days: int, data: Any = None,
              files: Any = None) -> StepForm | None:
    """The form of ``action`` on ``case`` (``None``: no such step by hand). Irreversible
    steps carry a confirmation box that must be ticked."""
    cls = FORMS.get(action)
    if cls is None:
        return None
    kwargs: dict[str, Any] = {"case": case, "auto_id": f"id_{action}_%s"}
    if cls is ExtendForm:
        kwargs["extension_days"] = extension_days
    form = cls(data, files, **kwargs)
    if action in IRREVERSIBLE:
        form.fields["confirm"] = forms.BooleanField(
            label=_("I confirm this step: it cannot be undone."), required=True,
            error_messages={"required": _("Tick the box to confirm: this step cannot be "
                                          "undone.")})
    return form
