"""Administrative divisions, keyed by their official codes.

Codes: province (2 digits), city (4), district/county (6, GB/T 2260), street/township (9)
and community/village (12) as in the statistical division codes; a compound (小区院落)
gets its community's code plus 3 digits (15). A code covers every code that starts
with it: that is how scopes work (DESIGN "Shape of the code").

GB/T 2260 does not reassign a retired code to another division, so the code is the
primary key and history is kept with ``valid_from``/``valid_to`` and
:class:`AreaSuccession` (ADR 0005).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Level(models.TextChoices):
    PROVINCE = "province", _("Province")
    CITY = "city", _("City")
    DISTRICT = "district", _("District / county")
    STREET = "street", _("Street / township")
    COMMUNITY = "community", _("Community / village")
    COMPOUND = "compound", _("Residential compound")


LEVEL_BY_LENGTH = {2: Level.PROVINCE, 4: Level.CITY, 6: Level.DISTRICT, 9: Level.STREET,
                   12: Level.COMMUNITY, 15: Level.COMPOUND}
PARENT_LENGTH = {4: 2, 6: 4, 9: 6, 12: 9, 15: 12}


class CommunityKind(models.TextChoices):
    URBAN = "urban", _("Urban community (residents' committee)")
    AGRICULTURAL = "agricultural", _("Agricultural community (涉农社区, with council)")
    VILLAGE = "village", _("Village (villagers' committee)")


class Area(models.Model):
    code = models.CharField(_("code"), max_length=15, primary_key=True)
    name = models.CharField(_("name"), max_length=100)
    level = models.CharField(_("level"), max_length=12, choices=Level.choices)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT,
                               related_name="children", db_constraint=False)
    kind = models.CharField(_("community kind"), max_length=15, choices=CommunityKind.choices,
                            blank=True)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid until"), null=True, blank=True,
                                help_text=_("Last day the division existed; empty while current."))
    population = models.PositiveIntegerField(_("residents"), null=True, blank=True)
    households = models.PositiveIntegerField(_("households"), null=True, blank=True)
    boundary = models.JSONField(_("boundary (GeoJSON)"), null=True, blank=True)
    point = models.JSONField(_("point (GeoJSON)"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("area")
        verbose_name_plural = _("areas")
        ordering = ["code"]
        indexes = [
            models.Index(fields=["code"], name="area_code_prefix",
                         opclasses=["varchar_pattern_ops"]),
            models.Index(fields=["level", "code"], name="area_level_code"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    @property
    def is_current(self) -> bool:
        return self.valid_to is None


class AreaSuccession(models.Model):
    """A division change: ``predecessor`` ended and its territory passed (wholly or in
    part) to ``successor`` on ``effective``."""

    class Kind(models.TextChoices):
        MERGE = "merge", _("Merged into")
        SPLIT = "split", _("Split into")
        RENAME = "rename", _("Renamed / recoded")

    predecessor = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="successions",
                                    db_constraint=False)
    successor = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="predecessions",
                                  db_constraint=False)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    effective = models.DateField(_("effective"))
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("division change")
        verbose_name_plural = _("division changes")
        constraints = [models.UniqueConstraint(fields=["predecessor", "successor"],
                                               name="succession_unique")]

    def __str__(self) -> str:
        return f"{self.predecessor_id} → {self.successor_id} ({self.effective})"


class FunctionalZone(models.Model):
    """A functional zone (功能区) that carries the district's economic work after the
    street reform; it overlaps streets rather than containing them."""

    district = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="zones")
    name = models.CharField(_("name"), max_length=100)
    purpose = models.CharField(_("purpose"), max_length=300, blank=True)
    streets = models.ManyToManyField(Area, related_name="functional_zones", blank=True)
    boundary = models.JSONField(_("boundary (GeoJSON)"), null=True, blank=True)

    class Meta:
        verbose_name = _("functional zone")
        verbose_name_plural = _("functional zones")
        constraints = [models.UniqueConstraint(fields=["district", "name"], name="zone_unique")]

    def __str__(self) -> str:
        return self.name


class ServiceStation(models.Model):
    """A community public service station (社区公共服务站): the front desk where
    residents are served; one station may serve several communities."""

    code = models.CharField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=100)
    community = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="stations",
                                  verbose_name=_("host community"))
    area_code = models.CharField(_("area code"), max_length=15, db_index=True)
    serves = models.ManyToManyField(Area, related_name="served_by", blank=True,
                                    verbose_name=_("communities served"))
    address = models.CharField(_("address"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    opening_hours = models.CharField(_("opening hours"), max_length=100, blank=True)
    point = models.JSONField(_("point (GeoJSON)"), null=True, blank=True)

    class Meta:
        verbose_name = _("service station")
        verbose_name_plural = _("service stations")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


# -- street offices as organisations (issue 17; ADR 1000) ---------------------------------


class DutyKind(models.TextChoices):
    STREET = "street", _("Street office (social management and public service)")
    ECONOMIC = "economic", _("Functional zone management committee (economic work)")


class DutyCode(models.TextChoices):
    """The eight duties the 2008 reform left to street offices, and the economic work it
    moved to the five functional zones' management committees."""

    PARTY_BUILDING = "party_building", _("Grassroots Party building")
    URBAN_MANAGEMENT = "urban_management", _("Urban management")
    PUBLIC_SERVICE = "public_service", _("Public service")
    COMMUNITY_BUILDING = "community_building", _("Community building")
    SAFETY_SUPERVISION = "safety_supervision", _("Safety supervision")
    EMERGENCY_MANAGEMENT = "emergency_management", _("Emergency management")
    SOCIAL_STABILITY = "social_stability", _("Social stability")
    PUBLIC_ORDER = "public_order", _("Comprehensive management of public order")
    DEVELOPMENT_STRATEGY = "development_strategy", _("Development strategy")
    INDUSTRIAL_PLANNING = "industrial_planning", _("Industrial planning")
    INVESTMENT_PROMOTION = "investment_promotion", _("Investment promotion")
    ENTERPRISE_SERVICE = "enterprise_service", _("Enterprise services")


STREET_DUTIES = (DutyCode.PARTY_BUILDING, DutyCode.URBAN_MANAGEMENT, DutyCode.PUBLIC_SERVICE,
                 DutyCode.COMMUNITY_BUILDING, DutyCode.SAFETY_SUPERVISION,
                 DutyCode.EMERGENCY_MANAGEMENT, DutyCode.SOCIAL_STABILITY, DutyCode.PUBLIC_ORDER)
ECONOMIC_DUTIES = (DutyCode.DEVELOPMENT_STRATEGY, DutyCode.INDUSTRIAL_PLANNING,
                   DutyCode.INVESTMENT_PROMOTION, DutyCode.ENTERPRISE_SERVICE)


class Duty(models.Model):
    """One duty as data (rows made by the migration), so departments, assessment sections
    and case handling point at the same record."""

    code = models.CharField(_("duty"), max_length=30, unique=True, choices=DutyCode.choices)
    kind = models.CharField(_("held by"), max_length=10, choices=DutyKind.choices)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("duty")
        verbose_name_plural = _("duties")
        ordering = ["order"]

    def __str__(self) -> str:
        return str(self.get_code_display())


class DepartmentCategory(models.TextChoices):
    """The four kinds of street-office department (科室) after the reform; the same keys as
    ``services.models.DepartmentCategory``."""

    PUBLIC_SERVICE = "public_service", pgettext_lazy("department category", "Public service")
    SOCIAL_MANAGEMENT = "social_management", pgettext_lazy("department category",
                                                            "Social management")
    SOCIAL_SERVICE = "social_service", pgettext_lazy("department category", "Social service")
    ENFORCEMENT = "enforcement", pgettext_lazy("department category",
                                               "Administrative enforcement")


class Department(models.Model):
    """An internal department (科室) of a street office, or a department of a functional
    zone's management committee (``zone`` set, economic duties only). ``area_code`` is
    the street's code, or the district's for a zone."""

    street = models.ForeignKey(Area, null=True, blank=True, on_delete=models.PROTECT,
                               related_name="departments", verbose_name=_("street office"))
    zone = models.ForeignKey(FunctionalZone, null=True, blank=True, on_delete=models.PROTECT,
                             related_name="departments", verbose_name=_("functional zone"))
    area_code = models.CharField(_("area code"), max_length=15)
    name = models.CharField(_("name"), max_length=100)
    category = models.CharField(_("category"), max_length=20, choices=DepartmentCategory.choices,
                                blank=True)
    duties = models.ManyToManyField(Duty, related_name="departments", blank=True)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid until"), null=True, blank=True)

    class Meta:
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        ordering = ["area_code", "name"]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(street__isnull=False, zone__isnull=True)
                           | models.Q(street__isnull=True, zone__isnull=False)),
                name="department_street_or_zone"),
            models.UniqueConstraint(fields=["area_code", "name"], name="department_name_unique",
                                    condition=models.Q(valid_to__isnull=True)),
        ]
        indexes = [models.Index(fields=["area_code"], name="department_area",
                                opclasses=["varchar_pattern_ops"])]

    def __str__(self) -> str:
        return self.name
