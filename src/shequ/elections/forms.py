"""Forms of the election pages: input shapes only (types, lengths, choices); the rules of
law are the services'."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from shequ.elections.models import Basis, Mode, Objection, Relation, Station

# The committee's usual posts: code, label on the ballot (an official title, in Chinese
# like the ballot itself), the form's label, default seats, women only.
STANDARD_POSTS = [("chair", "主任", _("Chair"), 1, False),
                  ("vice_chair", "副主任", _("Vice-chair"), 1, False),
                  ("women_member", "妇女委员", _("Women's member"), 1, True),
                  ("member", "委员", _("Member"), 2, False)]


class NoEchoInput(forms.TextInput):
    """A text input that never writes its value back into the page (identity numbers)."""

    def format_value(self, value: object) -> str | None:
        return None


def identity_field(label: Any, required: bool = True) -> forms.CharField:
    return forms.CharField(label=label, max_length=20, required=required,
                           widget=NoEchoInput(attrs={"autocomplete": "off"}))


class IdListField(forms.Field):
    """Several voter numbers (a multiple select): whole numbers only."""

    widget = forms.SelectMultiple

    def to_python(self, value: Any) -> list[int]:
        out = []
        for item in value or []:
            try:
                out.append(int(str(item)))
            except ValueError:
                raise forms.ValidationError(_("Choose voters from the list.")) from None
        return out


class ElectionForm(forms.Form):
    community_code = forms.CharField(label=_("Community code"), max_length=12)
    name = forms.CharField(label=_("Name (optional)"), max_length=150, required=False)
    voting_day = forms.DateField(label=_("Voting day"),
                                 widget=forms.DateInput(attrs={"type": "date"}))
    mode = forms.ChoiceField(label=_("Election mode"), choices=Mode.choices, initial=Mode.ALL_VOTERS)
    stations = forms.CharField(
        label=_("Polling stations (one per line; a name with 流动 is a mobile ballot box)"),
        widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=2000,
        initial="第一投票站\n流动票箱")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for code, _ballot, label, seats, _women in STANDARD_POSTS:
            self.fields[f"seats_{code}"] = forms.IntegerField(label=label, min_value=0, max_value=9,
                                                              initial=seats)

    def clean_stations(self) -> list[dict[str, str]]:
        out = []
        for line in self.cleaned_data["stations"].splitlines():
            name = line.strip()
            if not name:
                continue
            if len(name) > 100:
                raise forms.ValidationError(_("A station's name has at most 100 characters."))
            out.append({"name": name,
                        "kind": Station.Kind.MOBILE if "流动" in name else Station.Kind.FIXED})
        return out

    def posts(self) -> list[dict[str, Any]]:
        return [{"code": code, "label": ballot, "seats": self.cleaned_data[f"seats_{code}"],
                 "women_only": women}
                for code, ballot, _label, _seats, women in STANDARD_POSTS
                if self.cleaned_data[f"seats_{code}"]]


class StepForm(forms.Form):
    """A lifecycle step from a page: irreversible steps come back confirmed."""

    confirm = forms.BooleanField(required=False)
    next = forms.CharField(required=False, max_length=200)


class StationForm(forms.Form):
    name = forms.CharField(label=_("Station name"), max_length=100)
    kind = forms.ChoiceField(label=_("Kind"), choices=Station.Kind.choices,
                             initial=Station.Kind.FIXED)
    place = forms.CharField(label=_("Place"), max_length=200, required=False)


class VoterForm(forms.Form):
    identity_number = identity_field(_("Identity number"))
    basis = forms.ChoiceField(label=_("Basis"), choices=Basis.choices)
    group = forms.CharField(label=_("Residents' group (for group representatives)"),
                            max_length=50, required=False)
    reason = forms.CharField(label=_("Reason"), max_length=300, required=False)
    confirmed_on = forms.DateField(label=_("Confirmed by the election committee on (community "
                                           "workers)"), required=False)
    confirmation = forms.CharField(label=_("Election committee's confirmation record (community "
                                           "workers)"), max_length=200, required=False)


class ObjectionForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Objection.Kind.choices)
    voter_id = forms.IntegerField(label=_("Voter number on the roll (if on it)"), min_value=1,
                                  required=False)
    identity_number = identity_field(_("Identity number (if missing)"), required=False)
    filed_by = forms.CharField(label=_("Filed by"), max_length=100)
    reason = forms.CharField(label=_("Reason"), max_length=500)


class DecisionForm(forms.Form):
    objection_id = forms.IntegerField(min_value=1)
    decision = forms.ChoiceField(label=_("Decision"),
                                 choices=[(Objection.Decision.UPHELD, Objection.Decision.UPHELD.label),
                                          (Objection.Decision.REJECTED,
                                           Objection.Decision.REJECTED.label)])
    reason = forms.CharField(label=_("Reasons"), max_length=300)


class ProxyForm(forms.Form):
    principal_id = forms.IntegerField(label=_("Voter number of the voter"), min_value=1)
    proxy_id = forms.IntegerField(label=_("Voter number of the proxy"), min_value=1)
    relation = forms.ChoiceField(label=_("Relation"), choices=Relation.choices)


class NominationForm(forms.Form):
    post = forms.CharField(label=_("Post"), max_length=30)
    candidate_id = forms.IntegerField(label=_("Candidate (a voter on the roll)"), min_value=1)
    nominators = IdListField(label=_("Nominators (voters on the roll; several for a joint "
                                     "nomination)"))
    statement = forms.CharField(label=_("Short introduction"), max_length=500, required=False)
    relatives = IdListField(label=_("Members of the election committee who are the candidate's "
                                    "close relatives"), required=False)


class WithdrawForm(forms.Form):
    candidate_id = forms.IntegerField(min_value=1)
    reason = forms.CharField(label=_("Reason"), max_length=300)


class CheckForm(forms.Form):
    identity_number = identity_field(_("Your identity number"))


class TallyForm(forms.Form):
    """One station's tally sheet for the ballot of a round: ``issued``, ``returned``, and
    per post ``i:<post>`` (invalid), ``v|a|b:<post>:<n>`` (for, against, abstain per
    candidate) and ``w:<post>`` (write-ins, one "name votes" per line)."""

    issued = forms.IntegerField(label=_("Ballots issued"), min_value=0)
    returned = forms.IntegerField(label=_("Ballots returned"), min_value=0)
    reason = forms.CharField(max_length=500, required=False)

    def __init__(self, ballot: list[dict[str, Any]], *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.ballot = ballot
        for p in ballot:
            code = p["post"]
            self.fields[f"i:{code}"] = forms.IntegerField(label=p["label"], min_value=0,
                                                          required=False)
            for i, name in enumerate(p["candidates"]):
                for mark in "vab":
                    self.fields[f"{mark}:{code}:{i}"] = forms.IntegerField(
                        label=name, min_value=0, required=False)
            self.fields[f"w:{code}"] = forms.CharField(label=p["label"], required=False,
                                                       max_length=2000,
                                                       widget=forms.Textarea)

    def _write_ins(self, code: str) -> dict[str, int]:
        writes: dict[str, int] = {}
        for line in (self.cleaned_data.get(f"w:{code}") or "").splitlines():
            if not line.strip():
                continue
            parts = line.replace("：", " ").replace(":", " ").split()
            if len(parts) != 2 or not parts[1].isdigit():
                self.add_error(f"w:{code}", _("Write “name votes” on each line, not “%(line)s”.")
                               % {"line": line.strip()})
                continue
            writes[parts[0]] = writes.get(parts[0], 0) + int(parts[1])
        return writes

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        posts: dict[str, Any] = {}
        for p in self.ballot:
            code = p["post"]
            votes: dict[str, Any] = {}
            for i, name in enumerate(p["candidates"]):
                marks = {"for": data.get(f"v:{code}:{i}") or 0,
                         "against": data.get(f"a:{code}:{i}") or 0,
                         "abstain": data.get(f"b:{code}:{i}") or 0}
                votes[name] = marks if marks["against"] or marks["abstain"] else marks["for"]
            posts[code] = {"invalid": data.get(f"i:{code}") or 0, "votes": votes,
                           "write_ins": self._write_ins(code)}
        data["sheet"] = {"issued": data.get("issued"), "returned": data.get("returned"),
                         "posts": posts}
        return data
