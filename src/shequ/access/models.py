"""Walking networks (versioned per area), community facilities with their floor area,
coverage analyses with their per-compound and per-area results, and siting runs.

Every result row names the network version and the date of the facility list it was
computed from, so a figure can always be traced to its inputs.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class NetworkSource(models.TextChoices):
    OSM = "osm", _("OpenStreetMap extract")
    GENERATED = "generated", _("Generated street grid (not real streets)")


class NetworkState(models.TextChoices):
    PENDING = "pending", _("Importing")
    READY = "ready", _("In use")
    FAILED = "failed", _("Import failed")
    RETIRED = "retired", _("Retired")


class NetworkAction(models.TextChoices):
    COMPLETE = "complete", _("Import completed")
    FAIL = "fail", _("Import failed")
    RETIRE = "retire", _("Retire")


class Network(models.Model):
    area_code = models.CharField(_("area code"), max_length=15)
    version = models.PositiveIntegerField(_("version"))
    source = models.CharField(_("source"), max_length=12, choices=NetworkSource.choices)
    state = models.CharField(_("state"), max_length=10, choices=NetworkState.choices,
                             default=NetworkState.PENDING)
    file_name = models.CharField(_("file"), max_length=200, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    nodes = models.PositiveIntegerField(default=0)
    edges = models.PositiveIntegerField(default=0)
    islands = models.PositiveIntegerField(_("islands"), default=0)
    island_nodes = models.PositiveIntegerField(default=0)
    bbox = models.JSONField(null=True, blank=True)
    # the arrays as a compressed .npz (engine.network.WalkNetwork.to_bytes)
    data = models.BinaryField(null=True, blank=True, editable=False)
    # {"islands": [...], "problem": stored text, "stats": {...}}
    report = models.JSONField(default=dict, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("walking network")
        verbose_name_plural = _("walking networks")
        ordering = ["area_code", "-version"]
        constraints = [models.UniqueConstraint(fields=["area_code", "version"],
                                               name="access_network_version")]
        indexes = [models.Index(fields=["area_code"], name="access_network_area",
                                opclasses=["varchar_pattern_ops"])]

    def __str__(self) -> str:
        return f"{self.area_code} v{self.version}"


class FacilityKind(models.TextChoices):
    STATION = "station", _("Community public service station")
    ACTIVITY = "activity", _("Community activity room")
    ELDERLY = "elderly", _("Elderly-care point")
    HEALTH = "health", _("Community health point")
    SCHOOL = "school", _("School")
    CLINIC = "clinic", _("Clinic")


# The kinds that make up a community's comprehensive service facilities (社区综合服务设施),
# whose floor area is measured against the standard per 100 households.
SERVICE_KINDS = (FacilityKind.STATION, FacilityKind.ACTIVITY, FacilityKind.ELDERLY,
                 FacilityKind.HEALTH)


class Facility(models.Model):
    """A place residents walk to. ``area_code`` is the community hosting it; a station
    names its ``ServiceStation`` and serves the communities that station serves."""

    kind = models.CharField(_("kind"), max_length=10, choices=FacilityKind.choices)
    name = models.CharField(_("name"), max_length=100)
    area_code = models.CharField(_("community code"), max_length=15)
    station = models.ForeignKey("areas.ServiceStation", null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="+")
    lon = models.FloatField(_("longitude"))
    lat = models.FloatField(_("latitude"))
    floor_area = models.PositiveIntegerField(_("floor area (m²)"), default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("facility")
        verbose_name_plural = _("facilities")
        ordering = ["area_code", "kind", "name", "id"]
        constraints = [models.UniqueConstraint(fields=["area_code", "kind", "name"],
                                               name="access_facility_unique")]
        indexes = [models.Index(fields=["area_code"], name="access_facility_area",
                                opclasses=["varchar_pattern_ops"])]

    def __str__(self) -> str:
        return self.name


class RunState(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", pgettext_lazy("run", "Done")
    FAILED = "failed", _("Failed")


class RunAction(models.TextChoices):
    START = "start", _("Start")
    FINISH = "finish", _("Finish")
    FAIL = "fail", _("Fail")


class Analysis(models.Model):
    """One coverage analysis of an area on one network version and one facility list."""

    area_code = models.CharField(_("area code"), max_length=15)
    network = models.ForeignKey(Network, on_delete=models.PROTECT, related_name="analyses")
    state = models.CharField(_("state"), max_length=10, choices=RunState.choices,
                             default=RunState.QUEUED)
    speed = models.PositiveIntegerField(_("walking metres per minute"))
    bands = models.JSONField(_("minute bands"))
    snap_distance = models.PositiveIntegerField(_("snapping distance (m)"))
    profile_version = models.CharField(max_length=60)
    facilities_on = models.DateField(_("facility list of"), null=True, blank=True)
    facilities = models.PositiveIntegerField(default=0)
    summary = models.JSONField(default=dict, blank=True)
    problems = models.JSONField(default=list, blank=True)  # stored texts (core.texts)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("coverage analysis")
        verbose_name_plural = _("coverage analyses")
        ordering = ["-id"]
        indexes = [models.Index(fields=["area_code"], name="access_analysis_area",
                                opclasses=["varchar_pattern_ops"])]

    def __str__(self) -> str:
        return f"{self.area_code} #{self.pk}"


class CompoundAccess(models.Model):
    """A compound's walking times in one analysis (``None``: no path)."""

    analysis = models.ForeignKey(Analysis, on_delete=models.CASCADE, related_name="compounds")
    area_code = models.CharField(max_length=15)  # the compound's code
    name = models.CharField(max_length=100)
    population = models.PositiveIntegerField(default=0)
    lon = models.FloatField(null=True)
    lat = models.FloatField(null=True)
    snapped = models.BooleanField(default=False)
    snap_metres = models.FloatField(null=True)
    station_minutes = models.FloatField(null=True)
    station_name = models.CharField(max_length=100, blank=True)
    minutes = models.JSONField(default=dict)   # {kind: minutes}
    nearest = models.JSONField(default=dict)   # {kind: facility name}

    class Meta:
        ordering = ["analysis", "area_code"]
        constraints = [models.UniqueConstraint(fields=["analysis", "area_code"],
                                               name="access_compound_once")]

    def __str__(self) -> str:
        return self.name


class AreaCoverage(models.Model):
    """Residents within each band and the facility figures of one community, street or
    district in one analysis."""

    analysis = models.ForeignKey(Analysis, on_delete=models.CASCADE, related_name="areas")
    area_code = models.CharField(max_length=15)
    level = models.CharField(max_length=12)
    name = models.CharField(max_length=100)
    population = models.PositiveIntegerField(default=0)
    households = models.PositiveIntegerField(default=0)
    within_1 = models.PositiveIntegerField(default=0)
    within_2 = models.PositiveIntegerField(default=0)
    within_3 = models.PositiveIntegerField(default=0)
    compounds = models.PositiveIntegerField(default=0)
    outside = models.PositiveIntegerField(default=0)  # compounds beyond the last band
    communities = models.PositiveIntegerField(default=0)
    with_facility = models.PositiveIntegerField(default=0)
    area_ok = models.PositiveIntegerField(default=0)
    floor_area = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["analysis", "area_code"]
        constraints = [models.UniqueConstraint(fields=["analysis", "area_code"],
                                               name="access_area_once")]

    def __str__(self) -> str:
        return self.name

    def share(self, band: int) -> float | None:
        if not self.population:
            return None
        return getattr(self, f"within_{band}") / self.population

    @property
    def share_1(self) -> float | None:
        return self.share(1)

    @property
    def share_2(self) -> float | None:
        return self.share(2)

    @property
    def share_3(self) -> float | None:
        return self.share(3)

    @property
    def facility_rate(self) -> float | None:
        return self.with_facility / self.communities if self.communities else None

    @property
    def area_rate(self) -> float | None:
        return self.area_ok / self.communities if self.communities else None

    @property
    def per_100(self) -> float | None:
        """Floor area per 100 households."""
        return self.floor_area / self.households * 100 if self.households else None


class SitingKind(models.TextChoices):
    MAX_COVER = "max_cover", _("Cover the most residents with k new stations")
    SET_COVER = "set_cover", _("The fewest new stations that cover everyone")


class SitingOutcome(models.TextChoices):
    OPTIMAL = "optimal", _("Proven optimal")
    NOT_PROVEN = "not_proven", _("Not proven optimal (stopped at the time limit)")
    NO_SOLUTION = "no_solution", _("No solver answer in time (greedy answer shown)")
    INFEASIBLE = "infeasible", _("Infeasible")


class SitingRun(models.Model):
    analysis = models.ForeignKey(Analysis, on_delete=models.PROTECT, related_name="sitings")
    area_code = models.CharField(max_length=15)
    kind = models.CharField(_("siting question"), max_length=10, choices=SitingKind.choices)
    k = models.PositiveIntegerField(null=True, blank=True)
    band = models.PositiveIntegerField(_("walking minutes"))
    time_limit = models.PositiveIntegerField(_("time limit (s)"))
    state = models.CharField(max_length=10, choices=RunState.choices, default=RunState.QUEUED)
    outcome = models.CharField(max_length=12, choices=SitingOutcome.choices, blank=True)
    candidates = models.PositiveIntegerField(default=0)
    objective = models.FloatField(null=True)
    greedy_objective = models.FloatField(null=True)
    bound = models.FloatField(null=True)
    gap = models.FloatField(null=True)
    build_seconds = models.FloatField(null=True)
    solve_seconds = models.FloatField(null=True)
    chosen = models.JSONField(default=list)       # [{lon, lat, population, compounds: [...]}]
    greedy = models.JSONField(default=list)
    uncoverable = models.JSONField(default=list)  # [{code, name, population}]
    problems = models.JSONField(default=list)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("siting run")
        verbose_name_plural = _("siting runs")
        ordering = ["-id"]
        indexes = [models.Index(fields=["area_code"], name="access_siting_area",
                                opclasses=["varchar_pattern_ops"])]

    def __str__(self) -> str:
        return f"{self.area_code} #{self.pk}"
