"""Residents, households and governance bodies.

Personal data (PIPL): the identity number is stored only encrypted (``id_cipher``) with a
keyed hash beside it (``id_hash``) for look-up and de-duplication, and a masked copy for
display. Reading the full number goes through ``people.services.reveal_identity_number``,
which logs who, when and why. Rows carry ``area_code`` (the compound, or the community
when no compound is known) so tables can be partitioned by division.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Sex(models.TextChoices):
    MALE = "M", _("Male")
    FEMALE = "F", _("Female")


class Household(models.Model):
    number = models.CharField(_("household number"), max_length=40)
    area_code = models.CharField(_("area code"), max_length=15)
    community_code = models.CharField(_("community code"), max_length=12)
    address = models.CharField(_("address"), max_length=200, blank=True)
    head = models.OneToOneField("Resident", null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="headed_household", verbose_name=_("head"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("household")
        verbose_name_plural = _("households")
        constraints = [models.UniqueConstraint(fields=["community_code", "number"],
                                               name="household_number_unique")]
        indexes = [models.Index(fields=["area_code"], name="household_area",
                                opclasses=["varchar_pattern_ops"])]

    def __str__(self) -> str:
        return self.number


class Resident(models.Model):
    name = models.CharField(_("name"), max_length=100)
    id_hash = models.CharField(max_length=64, unique=True)
    id_cipher = models.TextField()
    id_masked = models.CharField(_("identity number"), max_length=18)
    birth_date = models.DateField(_("birth date"))
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices)
    phone_cipher = models.TextField(blank=True)
    phone_last4 = models.CharField(max_length=4, blank=True)
    household = models.ForeignKey(Household, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="members", verbose_name=_("household"))
    area_code = models.CharField(_("area code"), max_length=15)
    community_code = models.CharField(_("community code"), max_length=12)
    registered_here = models.BooleanField(_("household registration (户籍) here"), default=True)
    lives_here = models.BooleanField(_("actually lives here"), default=True)
    residence_since = models.DateField(_("living here since"), null=True, blank=True)
    disability = models.BooleanField(_("disability"), default=False)
    low_income = models.BooleanField(_("low income (低保)"), default=False)
    deprived_of_political_rights = models.BooleanField(
        _("deprived of political rights"), default=False,
        help_text=_("Excludes the person from voter rolls (组织法 Art. 8)."))
    moved_out_on = models.DateField(_("moved away on"), null=True, blank=True)
    deidentified_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("resident")
        verbose_name_plural = _("residents")
        indexes = [
            models.Index(fields=["area_code"], name="resident_area",
                         opclasses=["varchar_pattern_ops"]),
            models.Index(fields=["community_code", "birth_date"], name="resident_comm_birth"),
        ]

    def __str__(self) -> str:
        return self.name


class BodyKind(models.TextChoices):
    PARTY = "party", _("Party organisation")
    RESIDENTS_COMMITTEE = "residents_committee", _("Residents' committee")
    REPRESENTATIVE_CONFERENCE = "rep_conference", _("Residents' representative conference")
    CONFERENCE_COMMITTEE = "conference_committee", _("Working committee of the representative conference")
    COUNCIL = "council", _("Deliberative council (议事会)")
    COMPOUND_GROUP = "compound_group", _("Compound self-governance group (院落自治)")
    OWNERS_COMMITTEE = "owners_committee", _("Owners' committee")
    ELECTION_COMMITTEE = "election_committee", _("Election committee")


class Body(models.Model):
    """A governance body (Popolo "organization")."""

    kind = models.CharField(_("kind"), max_length=30, choices=BodyKind.choices)
    name = models.CharField(_("name"), max_length=150)
    area_code = models.CharField(_("area code"), max_length=15)
    founded_on = models.DateField(_("founded on"), null=True, blank=True)
    dissolved_on = models.DateField(_("dissolved on"), null=True, blank=True)

    class Meta:
        verbose_name = _("governance body")
        verbose_name_plural = _("governance bodies")
        indexes = [models.Index(fields=["area_code"], name="body_area",
                                opclasses=["varchar_pattern_ops"])]

    def __str__(self) -> str:
        return self.name


class Post(models.Model):
    """A position in a body (Popolo "post"): chair, vice-chair, member …"""

    body = models.ForeignKey(Body, on_delete=models.CASCADE, related_name="posts")
    role = models.CharField(_("role"), max_length=30)
    label = models.CharField(_("label"), max_length=100)
    seats = models.PositiveSmallIntegerField(_("seats"), default=1)

    class Meta:
        verbose_name = _("post")
        verbose_name_plural = _("posts")
        constraints = [models.UniqueConstraint(fields=["body", "role"], name="post_role_unique")]

    def __str__(self) -> str:
        return f"{self.body}: {self.label}"


class Membership(models.Model):
    """A person holding a post (Popolo "membership"), with its term."""

    body = models.ForeignKey(Body, on_delete=models.CASCADE, related_name="memberships")
    post = models.ForeignKey(Post, null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="memberships")
    resident = models.ForeignKey(Resident, null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="memberships")
    person_name = models.CharField(_("name"), max_length=100)
    start_date = models.DateField(_("from"))
    end_date = models.DateField(_("until"), null=True, blank=True)
    end_reason = models.CharField(_("end reason"), max_length=100, blank=True)
    source = models.CharField(_("source"), max_length=100, blank=True,
                              help_text=_("e.g. the election that produced this membership"))

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")

    def __str__(self) -> str:
        return f"{self.person_name} @ {self.body}"
