"""The registry: organisations on two tracks (registered legal persons and filed community
organisations), who may act for them, and their public history.

An organisation carries ``area_code`` (the community or street where it is based, so
staff scopes follow it) and ``authority_code`` (who keeps its file: the district's
registration authority for registered organisations, the province for foundations, the
street office for filed ones). Decisions are checked at ``authority_code``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Track(models.TextChoices):
    REGISTERED = "registered", _("Registered (登记)")
    FILED = "filed", _("Filed (备案)")


class Kind(models.TextChoices):
    ASSOCIATION = "association", _("Social association (社会团体)")
    PNE = "pne", _("Private non-enterprise unit (民办非企业单位)")
    FOUNDATION = "foundation", _("Foundation (基金会)")
    LIFE_SERVICE = "life_service", _("Everyday services (生活服务类)")
    COMMUNITY_AFFAIRS = "community_affairs", _("Community affairs (社区事务类)")
    CULTURE_SPORT = "culture_sport", _("Culture and sport (文体活动类)")
    CHARITY = "charity", _("Public welfare and charity (公益慈善类)")


REGISTERED_KINDS = frozenset({Kind.ASSOCIATION, Kind.PNE, Kind.FOUNDATION})
FILED_KINDS = frozenset({Kind.LIFE_SERVICE, Kind.COMMUNITY_AFFAIRS, Kind.CULTURE_SPORT,
                         Kind.CHARITY})
# GB 32100-2015: the organisation-type character of a civil-affairs code
CREDIT_TYPE = {Kind.ASSOCIATION: "1", Kind.PNE: "2", Kind.FOUNDATION: "3"}


def track_of(kind: str) -> str:
    return Track.REGISTERED if kind in REGISTERED_KINDS else Track.FILED


class FoundationType(models.TextChoices):
    LOCAL_PUBLIC = "local_public", _("Local public-fundraising foundation (地方性公募基金会)")
    NON_PUBLIC = "non_public", _("Non-public foundation (非公募基金会)")


class Category(models.TextChoices):
    """What an organisation serves: the directory's filter and linkage's first factor."""

    ELDERLY = "elderly", _("Elderly care")
    CHILDREN = "children", _("Children and youth")
    DISABILITY = "disability", _("Disability support")
    HEALTH = "health", _("Health")
    MEDIATION = "mediation", _("Dispute mediation")
    CULTURE = "culture", _("Culture and sport")
    ENVIRONMENT = "environment", _("Environment")
    AID = "aid", _("Help for families in difficulty")
    EDUCATION = "education", _("Education and training")
    LEGAL = "legal", _("Legal aid")
    VOLUNTEER = "volunteer", _("Volunteer services")
    SAFETY = "safety", _("Safety and patrols")


class Status(models.TextChoices):
    ACTIVE = "active", pgettext_lazy("organisation", "Active")
    SUSPENDED = "suspended", _("Activities suspended (限期停止活动)")
    DEREGISTERED = "deregistered", _("Deregistered (注销)")
    REVOKED = "revoked", _("Registration revoked (撤销)")
    MERGED = "merged", _("Merged into another organisation")


class OrgAction(models.TextChoices):
    SUSPEND = "suspend", _("Activities suspended")
    RESUME = "resume", _("Activities resumed")
    DEREGISTER = "deregister", _("Deregistered")
    REVOKE = "revoke", _("Registration revoked")
    MERGE = "merge", _("Merged into another organisation")
    REINSTATE = "reinstate", _("Reinstated after review")


ENDED_STATUSES = frozenset({Status.DEREGISTERED, Status.REVOKED, Status.MERGED})


class Org(models.Model):
    name = models.CharField(_("name"), max_length=100)
    track = models.CharField(_("track"), max_length=12, choices=Track.choices)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    status = models.CharField(_("status"), max_length=14, choices=Status.choices,
                              default=Status.ACTIVE)
    credit_code = models.CharField(_("unified social credit code"), max_length=18, blank=True)
    filing_number = models.CharField(_("filing number"), max_length=40, blank=True)
    area_code = models.CharField(_("area code"), max_length=15)
    street_code = models.CharField(_("street"), max_length=9)
    authority_code = models.CharField(_("keeps the file"), max_length=15)
    supervising_agency = models.CharField(_("supervising agency (业务主管单位)"), max_length=100,
                                          blank=True)
    person_in_charge = models.CharField(_("legal representative or person in charge"),
                                        max_length=50)
    address = models.CharField(_("premises or place of activity"), max_length=200, blank=True)
    lat_e6 = models.IntegerField(_("latitude (millionths of a degree)"), null=True, blank=True)
    lon_e6 = models.IntegerField(_("longitude (millionths of a degree)"), null=True, blank=True)
    purpose = models.TextField(_("purpose (宗旨)"), blank=True)
    scope = models.TextField(_("business scope (业务范围)"), blank=True)
    individual_members = models.PositiveIntegerField(_("individual members"), default=0)
    unit_members = models.PositiveIntegerField(_("unit members"), default=0)
    staff = models.PositiveIntegerField(_("full-time staff"), default=0)
    funds_fen = models.BigIntegerField(_("funds (fen)"), default=0)
    directors = models.PositiveSmallIntegerField(_("directors"), default=0)
    has_premises = models.BooleanField(_("fixed premises"), default=False)
    has_charter = models.BooleanField(_("charter"), default=False)
    foundation_type = models.CharField(_("foundation type"), max_length=14,
                                       choices=FoundationType.choices, blank=True)
    categories = models.JSONField(_("service categories"), default=list, blank=True,
                                  help_text=_("Category keys, the main one first."))
    capacity = models.PositiveSmallIntegerField(
        _("engagements it can take at once"), default=2)
    charity = models.BooleanField(_("recognised as a charitable organisation"), default=False)
    founded_on = models.DateField(_("registered or filed on"))
    ended_on = models.DateField(_("date it ended"), null=True, blank=True)
    suspended_until = models.DateField(_("suspended until"), null=True, blank=True)
    converted_on = models.DateField(_("moved from filing to registration on"), null=True,
                                    blank=True)
    merged_into = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="absorbed")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("social organisation")
        verbose_name_plural = _("social organisations")
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["credit_code"], condition=~Q(credit_code=""),
                                    name="orgs_credit_code_unique"),
            models.UniqueConstraint(fields=["filing_number"], condition=~Q(filing_number=""),
                                    name="orgs_filing_number_unique"),
            models.CheckConstraint(
                condition=(Q(track="registered", kind__in=["association", "pne", "foundation"])
                           | Q(track="filed", kind__in=["life_service", "community_affairs",
                                                        "culture_sport", "charity"])),
                name="orgs_kind_matches_track"),
            models.CheckConstraint(condition=Q(funds_fen__gte=0), name="orgs_funds_not_negative"),
        ]
        indexes = [
            models.Index(fields=["area_code"], name="orgs_org_area",
                         opclasses=["varchar_pattern_ops"]),
            models.Index(fields=["authority_code"], name="orgs_org_authority",
                         opclasses=["varchar_pattern_ops"]),
            models.Index(fields=["name"], name="orgs_org_name"),
            models.Index(fields=["status", "track"], name="orgs_org_status"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_active(self) -> bool:
        return self.status == Status.ACTIVE

    @property
    def is_legal_person(self) -> bool:
        """Filed community organisations have no legal-person status (LAW.md)."""
        return self.track == Track.REGISTERED

    @property
    def identifier(self) -> str:
        return self.credit_code or self.filing_number


class OrgService(models.Model):
    """One row per organisation and service category, with its place and whether it may
    take work now: the index linkage ranks from (kept by the orgs services)."""

    org = models.ForeignKey(Org, on_delete=models.CASCADE, related_name="services")
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    main = models.BooleanField(_("main category"), default=False)
    lat_e6 = models.IntegerField(null=True, blank=True)
    lon_e6 = models.IntegerField(null=True, blank=True)
    area_code = models.CharField(max_length=15)
    available = models.BooleanField(default=True)
    # what the ranking reads for every candidate, kept here so that it needs no second
    # query over hundreds of organisations: capacity, and the grade while it is valid
    capacity = models.PositiveSmallIntegerField(default=2)
    grade = models.PositiveSmallIntegerField(null=True, blank=True)
    grade_until = models.DateField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["org", "category"],
                                               name="orgs_service_unique")]
        indexes = [
            models.Index(fields=["category", "lat_e6", "lon_e6"], name="orgs_service_near",
                         condition=Q(available=True)),
            models.Index(fields=["category", "area_code"], name="orgs_service_area",
                         condition=Q(available=True), opclasses=["varchar_pattern_ops",
                                                                 "varchar_pattern_ops"]),
        ]

    def __str__(self) -> str:
        return f"{self.org_id}:{self.category}"


class Operator(models.Model):
    """A user who may act for an organisation (apply, report, answer linkage requests)."""

    org = models.ForeignKey(Org, on_delete=models.CASCADE, related_name="operators")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="+")
    added_on = models.DateField(_("since"))

    class Meta:
        constraints = [models.UniqueConstraint(fields=["org", "user"], name="orgs_operator_unique")]
        indexes = [models.Index(fields=["user", "org"], name="orgs_operator_user")]

    def __str__(self) -> str:
        return f"{self.user_id}@{self.org_id}"


class OrgEvent(models.Model):
    """A line of an organisation's history. ``text`` is a stored key with parameters
    (``core.texts``), shown in the reader's language; ``public`` lines appear on the
    public profile (registration, changes, results, penalties), the others only to staff."""

    org = models.ForeignKey(Org, on_delete=models.CASCADE, related_name="events")
    on = models.DateField(_("date"))
    at = models.DateTimeField(auto_now_add=True)
    action = models.CharField(_("event"), max_length=40)
    text = models.JSONField(default=dict)
    actor_name = models.CharField(_("by"), max_length=150, blank=True)
    public = models.BooleanField(default=True)

    class Meta:
        ordering = ["-on", "-id"]
        indexes = [models.Index(fields=["org", "on"], name="orgs_event_org")]

    def __str__(self) -> str:
        return f"{self.org_id} {self.on} {self.action}"
