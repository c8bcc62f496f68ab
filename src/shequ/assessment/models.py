"""Assessment schemes (versioned), figures entered by hand, and immutable snapshots.

A :class:`Scheme` is one version of a district's yearly scheme (or of the province's
2015 targets): sections by street duty, each with indicators, weights summing to 100 %,
a target and a floor. A :class:`Snapshot` is everything one computation found for one
scheme version and one period, row by row (:class:`Score`, one per area), and is never
changed: a correction is a new snapshot version with its reason (ADR 1002).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class SchemeKind(models.TextChoices):
    DISTRICT = "district", _("District assessment of street offices")
    PROVINCE = "province", _("Province's 2015 community targets")


class Scoring(models.TextChoices):
    LINEAR = "linear", _("Linear between floor and target, capped at the weight")
    PASS_FAIL = "pass_fail", _("Full weight when the target is met, none otherwise")


class Scheme(models.Model):
    area_code = models.CharField(_("area code"), max_length=15)
    year = models.PositiveSmallIntegerField(_("year"))
    kind = models.CharField(_("kind"), max_length=10, choices=SchemeKind.choices)
    version = models.PositiveIntegerField(_("version"))
    name = models.CharField(_("name"), max_length=200)
    source = models.CharField(_("source"), max_length=500, blank=True)
    rules_version = models.CharField(max_length=60, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("assessment scheme")
        verbose_name_plural = _("assessment schemes")
        ordering = ["-year", "area_code", "-version"]
        constraints = [models.UniqueConstraint(fields=["area_code", "year", "kind", "version"],
                                               name="assessment_scheme_version")]

    def __str__(self) -> str:
        return f"{self.area_code} {self.year} v{self.version}"

    def title(self, area_name: str) -> str:
        """The name given, or one made in the reader's language (stored words are keys)."""
        if self.name:
            return self.name
        if self.kind == SchemeKind.PROVINCE:
            from shequ.rules.targets import SICHUAN_2015

            return f"{area_name} · {SICHUAN_2015.label}"
        return str(_("%(area)s street assessment %(year)s") % {"area": area_name, "year": self.year})


class Section(models.Model):
    scheme = models.ForeignKey(Scheme, on_delete=models.CASCADE, related_name="sections")
    duty = models.ForeignKey("areas.Duty", null=True, blank=True, on_delete=models.PROTECT,
                             related_name="+", verbose_name=_("duty"))
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["scheme", "order"]

    def __str__(self) -> str:
        return str(self.duty) if self.duty else str(_("Targets"))


class Item(models.Model):
    """One indicator in a section: its weight (per cent of the whole score), target and,
    for linear scoring, the floor below which (above which, for "lower is better") it
    scores nothing. Values are in the indicator's unit (a share as a fraction)."""

    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="items")
    indicator = models.CharField(_("indicator"), max_length=60)
    weight = models.DecimalField(_("weight (%)"), max_digits=5, decimal_places=2)
    scoring = models.CharField(_("scoring"), max_length=10, choices=Scoring.choices)
    floor = models.DecimalField(_("floor"), max_digits=14, decimal_places=4, null=True,
                                blank=True)
    target = models.DecimalField(_("target"), max_digits=14, decimal_places=4)
    rule_key = models.CharField(max_length=60, blank=True)  # the province's target rule
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["section", "order"]

    def __str__(self) -> str:
        return self.indicator


class ManualFigure(models.Model):
    """A figure that exists only on paper (a safety inspection count), entered by hand:
    who entered it and when; a new entry for the same area and period replaces the old
    one for later computations (both stay, and the audit log has both)."""

    indicator = models.CharField(_("indicator"), max_length=60)
    area_code = models.CharField(_("area code"), max_length=15)
    start = models.DateField(_("from"))
    end = models.DateField(_("until"))
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=4)
    note = models.CharField(_("source document"), max_length=300, blank=True)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    entered_by_name = models.CharField(max_length=150)
    entered_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("figure entered by hand")
        verbose_name_plural = _("figures entered by hand")
        ordering = ["indicator", "area_code", "-entered_at", "-id"]
        indexes = [models.Index(fields=["indicator", "area_code"], name="assessment_manual",
                                opclasses=["varchar_pattern_ops", "varchar_pattern_ops"])]

    def __str__(self) -> str:
        return f"{self.indicator} {self.area_code}"


class Immutable(models.Model):
    """Rows written once: saving an existing row or deleting one is a programming error."""

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None and not self._state.adding:
            raise RuntimeError(f"{self._meta.label} rows are immutable")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise RuntimeError(f"{self._meta.label} rows are immutable")


class Snapshot(Immutable):
    scheme = models.ForeignKey(Scheme, on_delete=models.PROTECT, related_name="snapshots")
    area_code = models.CharField(_("area code"), max_length=15)
    start = models.DateField(_("from"))
    end = models.DateField(_("until"))
    version = models.PositiveIntegerField(_("version"))
    supersedes = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    reason = models.TextField(_("reason for the correction"), blank=True)
    inputs = models.JSONField(default=dict)  # indicators, their sources, manual figures used
    computed_at = models.DateTimeField()
    computed_by = models.CharField(max_length=150)

    class Meta:
        verbose_name = _("assessment snapshot")
        verbose_name_plural = _("assessment snapshots")
        ordering = ["-end", "area_code", "-version"]
        constraints = [models.UniqueConstraint(fields=["scheme", "start", "end", "version"],
                                               name="assessment_snapshot_version")]
        indexes = [models.Index(fields=["area_code", "end"], name="assessment_snapshot_area")]

    def __str__(self) -> str:
        return f"{self.scheme} {self.start}–{self.end} #{self.version}"


class Score(Immutable):
    """One area's figures and score in a snapshot: ``values`` {indicator: [numerator,
    denominator]}, ``points`` {indicator: points}, ``sections`` {duty: points}; ``rank``
    among the areas of the same level under the same parent."""

    snapshot = models.ForeignKey(Snapshot, on_delete=models.PROTECT, related_name="scores")
    area_code = models.CharField(max_length=15)
    parent_code = models.CharField(max_length=15)
    level = models.CharField(max_length=12)
    name = models.CharField(max_length=100)
    total = models.DecimalField(max_digits=7, decimal_places=2, null=True)
    rank = models.PositiveIntegerField(null=True)
    passed = models.PositiveSmallIntegerField(default=0)  # targets met
    values = models.JSONField(default=dict)
    points = models.JSONField(default=dict)
    sections = models.JSONField(default=dict)

    class Meta:
        ordering = ["snapshot", "parent_code", "rank", "area_code"]
        constraints = [models.UniqueConstraint(fields=["snapshot", "area_code"],
                                               name="assessment_score_once")]
        indexes = [models.Index(fields=["snapshot", "parent_code", "rank"],
                                name="assessment_score_parent")]

    def __str__(self) -> str:
        return f"{self.area_code} {self.total}"
