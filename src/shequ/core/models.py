"""Calendar data entered by administrators: days that differ from the published
calendar (a year the ``chinese-calendar`` package does not cover, or a local adjustment),
and the years whose official notice has been entered completely."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class DayKind(models.TextChoices):
    HOLIDAY = "holiday", _("Holiday (no work)")
    WORKDAY = "workday", _("Make-up working day (调休)")


class CalendarYear(models.Model):
    """A year whose State Council holiday notice has been entered as data.

    Only years known here or covered by ``chinese-calendar`` can be used for deadlines:
    anything else is an error, never a guess (ADR 0003).
    """

    year = models.PositiveIntegerField(_("year"), primary_key=True)
    source = models.CharField(_("source notice"), max_length=300)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    entered_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("calendar year")
        verbose_name_plural = _("calendar years")
        ordering = ["year"]

    def __str__(self) -> str:
        return str(self.year)


class CalendarDay(models.Model):
    """One day whose status differs from the default (weekends off, weekdays on), or
    from the published calendar for a local adjustment."""

    date = models.DateField(_("date"), unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=DayKind.choices)
    name = models.CharField(_("name"), max_length=100, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("calendar day")
        verbose_name_plural = _("calendar days")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date} {self.kind}"


from shequ.core.models_jobs import JobRun  # noqa: E402
from shequ.core.models_throttle import ThrottleCount  # noqa: E402

__all__ = ["CalendarDay", "CalendarYear", "DayKind", "JobRun", "ThrottleCount"]
