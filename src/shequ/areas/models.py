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
