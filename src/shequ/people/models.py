"""Residents, households and governance bodies.

Personal data (PIPL): the identity number is stored only encrypted (``id_cipher``) with a
keyed hash beside it (``id_hash``) for look-up and de-duplication, and a masked copy for
display. Reading the full number goes through ``people.services.reveal_identity_number``,
which logs who, when and why. Rows carry ``area_code`` (the compound, or the community
when no compound is known) so tables can be partitioned by division.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shequ.people.enums import EndReason

# contexts authenticated with each sealed value, so a ciphertext cannot be moved to
# another field (ADR 0300)
ID_CONTEXT = "resident.id"
PHONE_CONTEXT = "resident.phone"

CHILD_AGE = 14  # PIPL Art. 28, 31: data of children under 14 is sensitive
ELDERLY_AGE = 60  # 老年人权益保障法 Art. 2: citizens aged 60 and over
ADULT_AGE = 18


def age_on(birth: date, day: date) -> int:
    years = day.year - birth.year
    if (day.month, day.day) < (birth.month, birth.day):
        years -= 1
    return years


def years_before(day: date, years: int) -> date:
    """The same calendar day ``years`` earlier (28 February for 29 February)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return date(day.year - years, 2, 28)


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
    # unique through a constraint, not unique=True: PostgreSQL then has one btree on the
    # hash, without the extra LIKE index Django adds for unique CharFields (ADR 0300)
    id_hash = models.CharField(max_length=64)
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
    registered_address = models.CharField(_("registered address (户籍地址)"), max_length=200,
                                          blank=True)
    actual_address = models.CharField(_("actual address"), max_length=200, blank=True)
    user = models.OneToOneField(settings.AUTH_USER_MODEL, null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="resident_record",
                                verbose_name=_("user account"))
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("resident")
        verbose_name_plural = _("residents")
        indexes = [
            models.Index(fields=["area_code"], name="resident_area",
                         opclasses=["varchar_pattern_ops"]),
            models.Index(fields=["community_code", "birth_date"], name="resident_comm_birth"),
            # the register's order (community, name) and name search (a prefix), current
            # records only; on PostgreSQL both columns collate "C", so a prefix is an
            # exact index range under any plan (issue 18, ADR 0309)
            models.Index(fields=["community_code", "name", "id"], name="resident_register",
                         condition=models.Q(moved_out_on__isnull=True,
                                            deidentified_at__isnull=True)),
            models.Index(fields=["name", "id"], name="resident_name",
                         condition=models.Q(moved_out_on__isnull=True,
                                            deidentified_at__isnull=True)),
        ]
        constraints = [models.UniqueConstraint(fields=["id_hash"], name="resident_id_hash_unique")]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        """The name, or "de-identified" in the reader's language (the row keeps no name)."""
        return str(DEIDENTIFIED_LABEL) if self.deidentified_at is not None else self.name

    def age(self, on: date | None = None) -> int:
        return age_on(self.birth_date, on or timezone.localdate())

    @property
    def is_child(self) -> bool:
        """Under 14: the whole record is sensitive personal information (PIPL Art. 28)."""
        return self.age() < CHILD_AGE

    @property
    def is_minor(self) -> bool:
        return self.age() < ADULT_AGE

    @property
    def is_elderly(self) -> bool:
        return self.age() >= ELDERLY_AGE

    @property
    def is_current(self) -> bool:
        return self.moved_out_on is None and self.deidentified_at is None


DEIDENTIFIED_LABEL = _("De-identified")


class RevealChannel(models.TextChoices):
    PAGE = "page", _("web page")
    API = "api", _("API")
    CLI = "cli", _("command line")
    EXPORT = "export", _("export")
    COPY = "copy", _("copy for the person")


class IdentityReveal(models.Model):
    """One read of a full identity number: who, when, why (PIPL Art. 51 access control).

    Written by ``services.reveal_identity_number`` (and by exports with full numbers) in
    the same transaction as the audit entry; never edited."""

    resident = models.ForeignKey(Resident, on_delete=models.CASCADE, related_name="reveals")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="+")
    actor_name = models.CharField(_("who"), max_length=150)
    at = models.DateTimeField(_("when"), auto_now_add=True)
    reason = models.CharField(_("why"), max_length=300)
    channel = models.CharField(_("channel"), max_length=20, choices=RevealChannel.choices,
                               default=RevealChannel.PAGE)
    area_code = models.CharField(_("area code"), max_length=15)

    class Meta:
        verbose_name = _("identity-number read")
        verbose_name_plural = _("identity-number reads")
        ordering = ["-at"]
        indexes = [models.Index(fields=["area_code"], name="reveal_area",
                                opclasses=["varchar_pattern_ops"])]

    def __str__(self) -> str:
        return f"{self.actor_name} {self.at:%Y-%m-%d %H:%M} {self.resident_id}"

    @property
    def why(self) -> str:
        """The reason as a reader sees it: a person's copy of their own data stores no
        words of its own (its reason is the law), so it is said in the reader's language."""
        if self.channel == RevealChannel.COPY and not self.reason:
            return str(OWN_COPY_REASON)
        return self.reason


OWN_COPY_REASON = _("Copy of one's own data (PIPL Art. 45)")


class RightsKind(models.TextChoices):
    ACCESS = "access", _("See my data")
    COPY = "copy", _("Get a copy of my data")
    CORRECT = "correct", _("Correct my data")
    DELETE = "delete", _("Delete my data")


class RightsStatus(models.TextChoices):
    OPEN = "open", _("Pending")
    DONE = "done", _("Done")
    REFUSED = "refused", _("Refused")


class RightsAction(models.TextChoices):
    """The steps of a rights request (``lifecycles.RIGHTS``)."""

    ACCEPT = "accept", _("Accept")
    REFUSE = "refuse", _("Refuse")


class RightsRequest(models.Model):
    """An individual's request under PIPL Art. 44–47 with its time limit and outcome."""

    resident = models.ForeignKey(Resident, on_delete=models.CASCADE,
                                 related_name="rights_requests")
    kind = models.CharField(_("request"), max_length=10, choices=RightsKind.choices)
    detail = models.TextField(_("details"), blank=True)
    area_code = models.CharField(_("area code"), max_length=15)
    received_on = models.DateField(_("received on"))
    due_on = models.DateField(_("answer due by"))
    status = models.CharField(_("status"), max_length=10, choices=RightsStatus.choices,
                              default=RightsStatus.OPEN)
    outcome = models.TextField(_("outcome"), blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.CharField(_("decided by"), max_length=150, blank=True)

    class Meta:
        verbose_name = _("rights request")
        verbose_name_plural = _("rights requests")
        ordering = ["-received_on", "-pk"]
        indexes = [models.Index(fields=["area_code"], name="rights_area",
                                opclasses=["varchar_pattern_ops"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"

    @property
    def overdue(self) -> bool:
        """Still open after the day the answer was due."""
        return self.status == RightsStatus.OPEN and timezone.localdate() > self.due_on


class StaffKind(models.TextChoices):
    CADRE = "cadre", _("Cadre")
    COMMUNITY_WORKER = "community_worker", _("Community worker")
    SOCIAL_WORKER = "social_worker", _("Social worker")


class Qualification(models.TextChoices):
    NONE = "", _("None")
    ASSISTANT = "assistant", _("Assistant social worker (助理社会工作师)")
    SOCIAL_WORKER = "social_worker", _("Social worker (社会工作师)")
    SENIOR = "senior", _("Senior social worker (高级社会工作师)")


class UnitLevel(models.TextChoices):
    DISTRICT = "district", _("District")
    STREET = "street", _("Street")
    STATION = "station", _("Service station")
    COMMUNITY = "community", _("Community")


class StaffMember(models.Model):
    """A cadre, community worker or social worker. ``area_code`` is where the current
    posting is (so scoping follows the posting)."""

    code = models.CharField(_("staff number"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=20, choices=StaffKind.choices)
    qualification = models.CharField(_("qualification"), max_length=20,
                                     choices=Qualification.choices, blank=True, default="")
    qualified_on = models.DateField(_("qualified on"), null=True, blank=True)
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices, blank=True)
    birth_year = models.PositiveSmallIntegerField(_("birth year"), null=True, blank=True)
    area_code = models.CharField(_("area code"), max_length=15, blank=True)
    joined_on = models.DateField(_("joined on"), null=True, blank=True)
    left_on = models.DateField(_("left on"), null=True, blank=True)
    resident = models.ForeignKey(Resident, null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="staff_records")

    class Meta:
        verbose_name = _("staff member")
        verbose_name_plural = _("staff")
        ordering = ["code"]
        indexes = [models.Index(fields=["area_code"], name="staff_area",
                                opclasses=["varchar_pattern_ops"])]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class Posting(models.Model):
    """A staff member posted to a district, street, station or community for a period;
    ``rotation`` marks a move under 交流轮岗."""

    staff = models.ForeignKey(StaffMember, on_delete=models.CASCADE, related_name="postings")
    level = models.CharField(_("unit level"), max_length=10, choices=UnitLevel.choices)
    area_code = models.CharField(_("area code"), max_length=15)
    station = models.ForeignKey("areas.ServiceStation", null=True, blank=True,
                                on_delete=models.PROTECT, related_name="+",
                                verbose_name=_("service station"))
    # the street office's department (科室) the posting is in, if any: one of the
    # departments of the street the posting's area sits under (ADR 1003)
    department = models.ForeignKey("areas.Department", null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("department (科室)"))
    position = models.CharField(_("position"), max_length=100, blank=True)
    start_date = models.DateField(_("from"))
    end_date = models.DateField(_("until"), null=True, blank=True)
    rotation = models.BooleanField(_("rotation (交流轮岗)"), default=False)

    class Meta:
        verbose_name = _("posting")
        verbose_name_plural = _("postings")
        ordering = ["staff", "-start_date"]
        indexes = [models.Index(fields=["area_code"], name="posting_area",
                                opclasses=["varchar_pattern_ops"])]

    def __str__(self) -> str:
        return f"{self.staff} @ {self.area_code} {self.start_date}"


class Training(models.Model):
    staff = models.ForeignKey(StaffMember, on_delete=models.CASCADE, related_name="trainings")
    title = models.CharField(_("course"), max_length=200)
    provider = models.CharField(_("provider"), max_length=200, blank=True)
    start_date = models.DateField(_("date"))
    hours = models.DecimalField(_("hours"), max_digits=6, decimal_places=1, default=0)

    class Meta:
        verbose_name = _("training")
        verbose_name_plural = _("trainings")
        ordering = ["-start_date"]

    def __str__(self) -> str:
        return self.title


class BodyKind(models.TextChoices):
    PARTY = "party", _("Party organisation")
    RESIDENTS_COMMITTEE = "residents_committee", _("Residents' committee")
    REPRESENTATIVE_CONFERENCE = "rep_conference", _("Residents' representative conference")
    CONFERENCE_COMMITTEE = "conference_committee", _("Working committee of the representative conference")
    COUNCIL = "council", _("Deliberative council (议事会)")
    COMPOUND_GROUP = "compound_group", _("Compound self-governance group (院落自治)")
    OWNERS_COMMITTEE = "owners_committee", _("Owners' committee")
    ELECTION_COMMITTEE = "election_committee", _("Election committee")
    # 居务监督委员会: chosen by and answering to the residents' meeting, as the 村务监督委员会
    # of VCL Art. 32 to the villagers' (ADR 0513)
    SUPERVISION_COMMITTEE = "supervision_committee", _("Residents' affairs supervision "
                                                       "committee (居务监督委员会)")


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
    end_reason = models.CharField(_("end reason"), max_length=20, blank=True,
                                  choices=EndReason.choices)
    # the end a later decision replaced (a planned resignation a recall brought forward):
    # what taking that decision back restores (people.facade.reinstate_membership)
    replaced_end_date = models.DateField(null=True, blank=True, editable=False)
    replaced_end_reason = models.CharField(max_length=20, blank=True, editable=False,
                                           choices=EndReason.choices)
    source = models.CharField(_("source"), max_length=100, blank=True,
                              help_text=_("e.g. the election that produced this membership"))

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")

    def __str__(self) -> str:
        return f"{self.person_name} @ {self.body}"
