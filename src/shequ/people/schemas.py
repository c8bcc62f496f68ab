"""The schemas of ``/api/v1/people`` (``api.py``): every one named ``People…`` (names are
unique across the API); the filters as ``FilterSchema``s. Apart from the endpoints so
each file stays readable, as autonomy's ``schemas.py``."""

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any

from django.db.models import Q
from ninja import Field, FilterLookup, FilterSchema, Schema

from shequ.people import selectors
from shequ.people.models import Body, Membership, Posting, StaffMember, Training


class PeopleResidentOut(Schema):
    """Fields the caller may not see are null (see ``people.access.FIELDS``). The full
    identity number is never here: use ``POST /residents/{id}/reveal``."""

    id: int
    sensitive: bool = Field(..., description="child under 14: sensitive personal information")
    deidentified: bool
    name: str | None = None
    id_masked: str | None = None
    sex: str | None = None
    birth_date: date | None = None
    age: int | None = None
    household: str | None = None
    is_head: bool | None = None
    area_code: str | None = None
    community_code: str | None = None
    registered_here: bool | None = None
    lives_here: bool | None = None
    residence_since: date | None = None
    moved_out_on: date | None = None
    elderly: bool | None = None
    minor: bool | None = None
    phone: str | None = None
    registered_address: str | None = None
    actual_address: str | None = None
    disability: bool | None = None
    low_income: bool | None = None
    deprived_of_political_rights: bool | None = None


class PeopleResidentIn(Schema):
    name: str = Field(..., max_length=100)
    id_number: str = Field(..., max_length=20)
    community_code: str = Field(..., max_length=12)
    area_code: str | None = Field(None, max_length=15)
    household_number: str = Field("", max_length=40)
    household_address: str = Field("", max_length=200)
    head: bool = False
    phone: str = Field("", max_length=20)
    registered_here: bool = True
    lives_here: bool = True
    residence_since: date | None = None
    disability: bool = False
    low_income: bool = False
    registered_address: str = Field("", max_length=200)
    actual_address: str = Field("", max_length=200)


class PeopleResidentPatch(Schema):
    name: str | None = Field(None, max_length=100)
    phone: str | None = Field(None, max_length=20)
    area_code: str | None = Field(None, max_length=15)
    registered_here: bool | None = None
    lives_here: bool | None = None
    residence_since: date | None = None
    disability: bool | None = None
    low_income: bool | None = None
    deprived_of_political_rights: bool | None = None
    registered_address: str | None = Field(None, max_length=200)
    actual_address: str | None = Field(None, max_length=200)
    id_number: str | None = Field(None, max_length=20, description=(
        "refused (403 id_correction_only): use POST /residents/{id}/correct-id"))


class PeopleCorrectIdIn(Schema):
    id_number: str = Field(..., max_length=20, description="the right identity number")
    reason: str = Field(..., max_length=300, description="why (the document that shows it); "
                                                         "logged")


class PeopleElsewhereOut(Schema):
    """An attempt to record a number held by a record outside the actor's community."""

    id: int
    at: datetime
    actor: str
    kind: str = Field(..., description="register | correct_id | import")
    community_code: str = Field(..., description="where the actor tried to record it")
    elsewhere: list[str] = Field(..., description="where the number is recorded")
    id_masked: list[str]
    lines: list[int] = Field(..., description="file lines, for an import")

    @staticmethod
    def resolve_actor(obj: Any) -> str:
        return str(obj.actor_name)

    @staticmethod
    def resolve_kind(obj: Any) -> str:
        return str(obj.changes.get("kind", ""))

    @staticmethod
    def resolve_community_code(obj: Any) -> str:
        return str(obj.changes.get("community_code", ""))

    @staticmethod
    def resolve_elsewhere(obj: Any) -> list[str]:
        return list(obj.changes.get("elsewhere", []))

    @staticmethod
    def resolve_id_masked(obj: Any) -> list[str]:
        return list(obj.changes.get("id_masked", []))

    @staticmethod
    def resolve_lines(obj: Any) -> list[int]:
        return list(obj.changes.get("lines", []))


class PeopleResidentFilter(FilterSchema):
    within: str | None = Field(None, max_length=15, description="area code prefix")
    q: str | None = Field(None, max_length=100, description=(
        "the start of a name; the list is then in name order (a number: use "
        "POST /residents/lookup)"))


class PeopleMoveOutIn(Schema):
    on: date | None = None
    new_head_id: int | None = None


class PeopleRevealIn(Schema):
    reason: str = Field(..., max_length=300, description="why the full number is needed; logged")


class PeopleRevealOut(Schema):
    id: int
    id_number: str
    logged: bool = True


class PeopleLookupIn(Schema):
    number: str = Field(..., max_length=20,
                        description="identity number; sent in the body, never in the URL")


class PeopleHeadIn(Schema):
    resident_id: int


class PeopleHouseholdOut(Schema):
    id: int
    number: str
    community_code: str
    area_code: str
    head_id: int | None
    members: list[PeopleResidentOut]


class PeopleRowErrorOut(Schema):
    line: int
    column: str
    code: str
    message: str


class PeopleImportReportOut(Schema):
    rows: int
    created: int
    updated: int
    rejected_rows: int
    batches: int
    batches_rejected: int
    dry_run: bool
    errors: list[PeopleRowErrorOut]
    errors_left_off: int = Field(0, description="problems beyond the first 1,000: counted, "
                                                "not listed")


class PeopleExportIn(Schema):
    within: str = Field(..., max_length=15)
    format: str = Field("xlsx", description="xlsx | csv")
    full_numbers: bool = False
    reason: str = Field("", max_length=300)


class PeopleRightsIn(Schema):
    kind: str = Field(..., description="access | copy | correct | delete")
    detail: str = Field("", max_length=2000)


class PeopleDecideIn(Schema):
    accept: bool
    outcome: str = Field(..., max_length=2000)


class PeopleRightsOut(Schema):
    id: int
    resident_id: int
    kind: str
    detail: str
    area_code: str
    received_on: date
    due_on: date
    status: str
    outcome: str
    decided_by: str


class PeopleRightsFilter(FilterSchema):
    status: str | None = Field("open", description="open | done | refused; empty: all")

    def filter_status(self, value: str | None) -> Q:
        return Q(status=value) if value else Q()


class PeoplePostingOut(Schema):
    level: str
    area_code: str
    station_code: str | None = None
    department_id: int | None = Field(None, description="the street office's department "
                                      "(科室) of the posting (GET /areas/{code}/departments)")
    department_name: str | None = None
    position: str
    start_date: date
    end_date: date | None
    rotation: bool

    @staticmethod
    def resolve_station_code(obj: Posting) -> str | None:
        return obj.station.code if obj.station_id and obj.station else None

    @staticmethod
    def resolve_department_name(obj: Posting) -> str | None:
        return obj.department.name if obj.department_id and obj.department else None


class PeopleTrainingOut(Schema):
    title: str
    provider: str
    start_date: date
    hours: Decimal


class PeopleStaffOut(Schema):
    id: int
    code: str
    name: str
    kind: str
    qualification: str
    qualified_on: date | None
    area_code: str


class PeopleStaffDetailOut(PeopleStaffOut):
    postings: list[PeoplePostingOut]
    trainings: list[PeopleTrainingOut]

    @staticmethod
    def resolve_postings(obj: StaffMember) -> list[Posting]:
        return selectors.postings_of(obj)

    @staticmethod
    def resolve_trainings(obj: StaffMember) -> list[Training]:
        return selectors.trainings_of(obj)


class PeopleStaffFilter(FilterSchema):
    kind: str | None = Field(None, description="cadre | community_worker | social_worker")
    within: Annotated[str | None, FilterLookup("area_code__startswith")] = Field(
        None, max_length=15)
    q: Annotated[str | None, FilterLookup(["name__contains", "code__startswith"])] = Field(
        None, max_length=100, description="a name fragment or the start of a staff number")


class PeopleStaffIn(Schema):
    code: str = Field(..., max_length=30)
    name: str = Field(..., max_length=100)
    kind: str
    level: str
    area_code: str = Field("", max_length=15)
    station_code: str | None = Field(None, max_length=20)
    position: str = Field("", max_length=100)
    department_id: int | None = Field(None, description="a department of the posting's street "
                                      "office (GET /areas/{code}/departments)")
    start_date: date
    qualification: str = ""
    qualified_on: date | None = None


class PeoplePostingIn(Schema):
    level: str
    area_code: str = Field("", max_length=15)
    station_code: str | None = Field(None, max_length=20)
    position: str = Field("", max_length=100)
    department_id: int | None = Field(None, description="a department of the posting's street "
                                      "office (GET /areas/{code}/departments)")
    start_date: date
    rotation: bool = True


class PeopleTrainingIn(Schema):
    title: str = Field(..., max_length=200)
    provider: str = Field("", max_length=200)
    start_date: date
    hours: Decimal = Decimal(0)


class PeopleQualificationIn(Schema):
    qualification: str = Field(..., description="'' | assistant | social_worker | senior")
    qualified_on: date | None = None


class PeopleRotationOut(Schema):
    staff: PeopleStaffOut
    posting: PeoplePostingOut
    years: float
    rule_years: int = Field(..., description="the rotation period in force at the posting's area")


class PeopleRotationFilter(FilterSchema):
    on: date | None = Field(None, description="the day to judge on; default today")
    within: str = Field("", max_length=15)


class PeopleMembershipOut(Schema):
    id: int
    post: str | None = None
    person_name: str
    start_date: date
    end_date: date | None
    end_reason: str = Field(..., description="a key: term_ended | corrected | recalled | unfit "
                                             "| resigned | transferred | candidate | dissolved "
                                             "| other; empty if none given")
    source: str

    @staticmethod
    def resolve_post(obj: Membership) -> str | None:
        return obj.post.role if obj.post_id and obj.post else None


class PeopleBodyOut(Schema):
    id: int
    kind: str
    name: str
    area_code: str
    founded_on: date | None
    dissolved_on: date | None


class PeoplePostOut(Schema):
    role: str
    label: str
    seats: int


class PeopleBodyDetailOut(PeopleBodyOut):
    posts: list[PeoplePostOut]
    members: list[PeopleMembershipOut]

    @staticmethod
    def resolve_posts(obj: Body) -> list[Any]:
        return selectors.posts_of(obj)

    @staticmethod
    def resolve_members(obj: Body) -> list[Membership]:
        return list(obj.memberships.select_related("post").order_by("start_date", "pk"))


class PeopleBodyFilter(FilterSchema):
    within: Annotated[str | None, FilterLookup("area_code__startswith")] = Field(
        None, max_length=15)
    kind: str | None = None


class PeopleBodyIn(Schema):
    kind: str
    name: str = Field(..., max_length=150)
    area_code: str = Field(..., max_length=15)
    founded_on: date | None = None


class PeopleMembershipIn(Schema):
    post_role: str = Field(..., max_length=30)
    person_name: str = Field(..., max_length=100)
    start_date: date
    end_date: date | None = None
    source: str = Field("", max_length=100)


class PeopleEndMembershipIn(Schema):
    end_date: date
    reason: str = Field("", description="an end-reason key (see PeopleMembershipOut); empty: "
                                        "none given")


class PeopleDissolveIn(Schema):
    on: date


class PeopleCoverageOut(Schema):
    code: str
    name: str
    communities: int
    with_party: int
    with_committee: int
    party_share: float
    committee_share: float
    target: int = Field(..., description="per cent, the value in force at this area")
    meets_target: bool


class PeopleDepartmentStaffOut(Schema):
    id: int
    name: str
    area_code: str
    category: str
    duties: list[str]
    staff: list[PeopleRotationOut] = Field(..., description="staff posted to it now; years "
                                           "served and the rotation period in force")
