"""The working-day calendar in the console: a deadline calculator for every staff user,
and data entry (a year's holiday notice, single-day adjustments) for administrators."""

from __future__ import annotations

from datetime import date

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from shequ import authz
from shequ.core import calendar
from shequ.core.errors import BusinessError
from shequ.core.models import CalendarDay, CalendarYear, DayKind
from shequ.web.enums import Perm as WebPerm
from shequ.workdays import services
from shequ.workdays.enums import Perm as WorkdaysPerm


class CalculatorForm(forms.Form):
    start = forms.DateField(label=gettext_lazy("Start date"),
                            widget=forms.DateInput(attrs={"type": "date"}))
    days = forms.IntegerField(label=gettext_lazy("Working days"), min_value=-3650, max_value=3650)


class YearForm(forms.Form):
    year = forms.IntegerField(label=gettext_lazy("Year"), min_value=2000, max_value=2100)
    source = forms.CharField(label=gettext_lazy("Source notice"), max_length=300)
    holidays = forms.CharField(
        label=gettext_lazy("Holiday periods"), widget=forms.Textarea(attrs={"rows": 8}),
        help_text=gettext_lazy("One per line: first day, last day, name — e.g. "
                               "2027-01-01,2027-01-03,元旦"))
    workdays = forms.CharField(
        label=gettext_lazy("Make-up working days"), required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("Dates separated by commas or new lines."))

    def clean_holidays(self) -> list[tuple[date, date, str]]:
        periods = []
        for number, line in enumerate(self.cleaned_data["holidays"].splitlines(), start=1):
            if not line.strip():
                continue
            parts = [p.strip() for p in line.replace(",", ",").split(",")]
            try:
                first, last, name = date.fromisoformat(parts[0]), date.fromisoformat(parts[1]), parts[2]
            except (ValueError, IndexError):
                raise forms.ValidationError(
                    _("Line %(n)d is not “first day, last day, name”.") % {"n": number}) from None
            periods.append((first, last, name))
        if not periods:
            raise forms.ValidationError(_("Enter at least one holiday period."))
        return periods

    def clean_workdays(self) -> list[date]:
        text = self.cleaned_data["workdays"].replace(",", ",").replace("\n", ",")
        try:
            return [date.fromisoformat(p.strip()) for p in text.split(",") if p.strip()]
        except ValueError:
            raise forms.ValidationError(_("Use dates like 2027-02-07.")) from None


class DayForm(forms.Form):
    day = forms.DateField(label=gettext_lazy("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), choices=DayKind.choices)
    name = forms.CharField(label=pgettext_lazy("thing", "Name"), max_length=100, required=False)
    note = forms.CharField(label=gettext_lazy("Note"), max_length=300, required=False)


def calendar_page(request: HttpRequest) -> HttpResponse:
    authz.check(request.user, WebPerm.CONSOLE)
    can_manage = authz.has_perm(request.user, WorkdaysPerm.MANAGE)
    result = None
    calc = CalculatorForm(request.GET or None)
    if calc.is_bound and calc.is_valid():
        try:
            cal = calendar.get_calendar()
            result = cal.add(calc.cleaned_data["start"], calc.cleaned_data["days"])
        except BusinessError as exc:
            calc.add_error(None, str(exc.message))
    year_form, day_form = YearForm(prefix="y"), DayForm(prefix="d")
    if request.method == "POST":
        authz.check(request.user, WorkdaysPerm.MANAGE)
        if "y-year" in request.POST:
            year_form = YearForm(request.POST, prefix="y")
            if year_form.is_valid():
                try:
                    d = year_form.cleaned_data
                    services.enter_year(actor=request.user, year=d["year"], source=d["source"],
                                        holidays=d["holidays"], workdays=d["workdays"])
                    messages.success(request, _("The calendar for %(y)d was saved.") % {"y": d["year"]})
                    return redirect("web:calendar")
                except BusinessError as exc:
                    year_form.add_error(None, str(exc.message))
        else:
            day_form = DayForm(request.POST, prefix="d")
            if day_form.is_valid():
                try:
                    services.set_day(actor=request.user, **day_form.cleaned_data)
                    messages.success(request, _("Saved."))
                    return redirect("web:calendar")
                except BusinessError as exc:
                    day_form.add_error(None, str(exc.message))
    cal = calendar.get_calendar()
    return render(request, "web/calendar.html", {
        "calc": calc, "result": result, "can_manage": can_manage,
        "year_form": year_form, "day_form": day_form,
        "package_years": (min(calendar.PACKAGE_YEARS), max(calendar.PACKAGE_YEARS)),
        "entered_years": CalendarYear.objects.all(),
        "days": CalendarDay.objects.filter(date__year__gte=date.today().year - 1)[:200],
        "known_max": max(cal.known_years),
    })
