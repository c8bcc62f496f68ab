"""The input shape of every POST on the self-governance pages: types, lengths, required
fields, choices. The rules (who may, when, the law's thresholds) are the services'."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from shequ.autonomy.models import (
    Choice,
    Constituency,
    ConveneRequest,
    EvaluationCampaign,
    RecallPetition,
    Verdict,
)


class Empty(forms.Form):
    """A button without input (co-sign, withdraw, close…)."""


class IdListField(forms.Field):
    """Several ids ticked in a list of checkboxes (``present``)."""

    widget = forms.CheckboxSelectMultiple
    default_error_messages = {"invalid": _("Enter whole numbers only.")}

    def to_python(self, value: Any) -> list[int]:
        if not value:
            return []
        try:
            return sorted({int(v) for v in value})
        except (TypeError, ValueError):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None


class ProposeForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    body = forms.CharField(label=_("What should be done, and why"), max_length=10000,
                           widget=forms.Textarea(attrs={"rows": 8}))


class CommentForm(forms.Form):
    text = forms.CharField(label=_("Your comment"), max_length=2000)


class RateForm(forms.Form):
    score = forms.TypedChoiceField(label=_("Satisfaction"), coerce=int,
                                   choices=[(n, str(n)) for n in range(5, 0, -1)])


class ReviewForm(forms.Form):
    reason = forms.CharField(label=_("Reasons (published)"), max_length=2000)


class ScheduleForm(forms.Form):
    meeting = forms.IntegerField(label=_("Meeting"), min_value=1)


class AssignForm(forms.Form):
    assignee = forms.CharField(label=_("Implemented by"), max_length=150)
    deadline = forms.DateField(label=_("Deadline"))


class ProgressForm(forms.Form):
    note = forms.CharField(label=_("Progress update"), max_length=2000)


class CompleteForm(forms.Form):
    feedback = forms.CharField(label=_("Feedback to residents"), max_length=5000)


class AttendanceForm(forms.Form):
    present = IdListField(label=_("Present"), required=False)
    committee = IdListField(label=_("Committee members present"), required=False)


class CountForm(forms.Form):
    motion = forms.IntegerField(label=_("Motion"), min_value=1)
    votes_for = forms.IntegerField(label=_("For"), min_value=0)
    votes_against = forms.IntegerField(label=_("Against"), min_value=0)
    abstentions = forms.IntegerField(label=_("Abstain"), min_value=0)


class MotionForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    text = forms.CharField(label=_("Text"), max_length=10000, required=False)
    personnel = forms.BooleanField(label=_("Personnel matter"), required=False)


class VoteForm(forms.Form):
    motion = forms.IntegerField(label=_("Motion"), min_value=1)
    choice = forms.ChoiceField(label=_("Vote"), choices=Choice.choices)


class MotionRefForm(forms.Form):
    motion = forms.IntegerField(label=_("Motion"), min_value=1)


class MinutesForm(forms.Form):
    minutes = forms.CharField(label=_("Minutes"), max_length=10000)


class ConveneForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    agenda = forms.CharField(label=_("Agenda"), max_length=10000)
    held_on = forms.DateField(label=_("Meeting date"))
    location = forms.CharField(label=_("Location"), max_length=200, required=False)
    request_id = forms.IntegerField(label=_("Answers the request"), min_value=1,
                                    required=False)


class RequestForm(forms.Form):
    kind = forms.ChoiceField(label=_("Meeting requested"),
                             choices=ConveneRequest.Kind.choices)
    via = forms.ChoiceField(label=_("Requested by"), choices=ConveneRequest.Via.choices,
                            required=False)
    subject = forms.CharField(label=_("Matters to discuss"), max_length=10000)


class ConvenedForm(forms.Form):
    notice_on = forms.DateField(label=_("Notice sent on"))
    held_on = forms.DateField(label=_("Meeting date"))


class PlanForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)


class MajorForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    body = forms.CharField(label=_("Content"), max_length=10000)


class RecallForm(forms.Form):
    membership = forms.IntegerField(label=_("Member to recall"), min_value=1, required=False)
    representative = forms.IntegerField(label=_("Standing representative to recall"),
                                        min_value=1, required=False)
    reasons = forms.CharField(label=_("Reasons"), max_length=10000)
    via = forms.ChoiceField(label=_("Started by"), choices=RecallPetition.Via.choices,
                            required=False)


class ConstituencyForm(forms.Form):
    name = forms.CharField(label=_("Constituency name"), max_length=100)
    kind = forms.ChoiceField(label=_("Kind"), choices=Constituency.Kind.choices)
    households = forms.IntegerField(label=_("Households"), min_value=0)
    area_code = forms.CharField(label=_("Compound code (optional)"), max_length=15,
                                required=False)


class AppointForm(forms.Form):
    constituency = forms.IntegerField(label=_("Constituency"), min_value=1)
    id_number = forms.CharField(label=_("Identity number"), max_length=18)
    term_start = forms.DateField(label=_("Term from"))
    duties = forms.CharField(label=_("Duties"), max_length=2000, required=False)


class ByElectForm(forms.Form):
    representative = forms.IntegerField(label=_("Seat of"), min_value=1)
    id_number = forms.CharField(label=_("Identity number of the person elected"),
                                max_length=18)
    reason = forms.CharField(label=_("Why the seat became vacant"), max_length=200)


class EvaluationForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    criteria = forms.CharField(label=_("Criteria (one per line)"), max_length=2000)
    departments = forms.CharField(label=_("Street departments (one per line)"),
                                  max_length=2000, required=False)
    closes_on = forms.DateField(label=_("Closes on"))


class PublishForm(forms.Form):
    body = forms.CharField(label=_("Content"), max_length=10000)
    title = forms.CharField(label=_("Title"), max_length=200, required=False)


class AskForm(forms.Form):
    text = forms.CharField(label=_("Ask a question"), max_length=2000)


class AnswerForm(forms.Form):
    question = forms.IntegerField(label=_("Question"), min_value=1)
    answer = forms.CharField(label=_("Answer"), max_length=5000)


class ReplyForm(forms.Form):
    reply = forms.CharField(label=_("Member's written reply"), max_length=10000)


class RecallVoteForm(forms.Form):
    """The recall vote set up in elections: voting day, one polling station (more are
    added on the election's page), and the day of set-up when entered afterwards."""

    voting_day = forms.DateField(label=_("Day of the recall vote"))
    station = forms.CharField(label=_("Polling station"), max_length=100)
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    on = forms.DateField(label=_("Set up on"), required=False)


class RecallResultForm(forms.Form):
    voted_on = forms.DateField(label=_("Day of the vote"))
    registered = forms.IntegerField(label=_("Registered voters"), min_value=0, required=False)
    cast = forms.IntegerField(label=_("Ballots cast"), min_value=0)
    approve = forms.IntegerField(label=_("Ballots approving the recall"), min_value=0)


class RatingForm(forms.Form):
    """One verdict and a score per published criterion for every target of a campaign
    (fields ``v<target>`` and ``s<target>_<criterion index>``)."""

    def __init__(self, *args: Any, campaign: EvaluationCampaign, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.targets = list(campaign.targets.all())
        self.criteria = list(campaign.criteria)
        for t in self.targets:
            self.fields[f"v{t.pk}"] = forms.ChoiceField(label=t.name, choices=Verdict.choices,
                                                        required=False)
            for i, crit in enumerate(self.criteria):
                self.fields[f"s{t.pk}_{i}"] = forms.TypedChoiceField(
                    label=f"{t.name} · {crit}", coerce=int, required=False, empty_value=None,
                    choices=[(n, str(n)) for n in range(1, 6)])

    def answers(self) -> dict[int, dict[str, Any]]:
        """The service's shape; targets left without a verdict are left out (the service
        says which are missing)."""
        out: dict[int, dict[str, Any]] = {}
        for t in self.targets:
            verdict = self.cleaned_data.get(f"v{t.pk}")
            if verdict:
                scores = {crit: self.cleaned_data[f"s{t.pk}_{i}"]
                          for i, crit in enumerate(self.criteria)
                          if self.cleaned_data.get(f"s{t.pk}_{i}") is not None}
                out[t.pk] = {"verdict": verdict, "scores": scores}
        return out


def errors_text(form: forms.Form) -> str:
    """A form's errors as one message naming each field: “标题”：这个字段是必填项。"""
    parts = []
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else ""
        text = " ".join(str(e) for e in errors)
        parts.append(_("“%(field)s”: %(error)s") % {"field": label, "error": text}
                     if label else text)
    return " ".join(str(p) for p in parts)
