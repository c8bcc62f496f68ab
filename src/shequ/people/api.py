"""``/api/v1/people``: residents (fields per role, numbers masked), full-number reads
(logged), own record and rights requests, staff and rotation, governance bodies and
coverage. Thin: schema in, service or selector, schema out."""

from __future__ import annotations

import tempfile
from datetime import date
from decimal import Decimal
from typing import Any

from django.http import FileResponse, HttpRequest
from ninja import Field, File, Router, Schema, Status
from ninja.files import UploadedFile

from shequ import authz
from shequ.people import access, importer, selectors, services
from shequ.people.models import Body, Membership, Posting, RightsRequest, StaffMember, Training

router = Router()


class ResidentOut(Schema):
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


class ResidentIn(Schema):
    name: str
    id_number: str
    community_code: str
    area_code: str | None = None
    household_number: str = ""
    household_address: str = ""
    head: bool = False
    phone: str = ""
    registered_here: bool = True
    lives_here: bool = True
    residence_since: date | None = None
    disability: bool = False
    low_income: bool = False
    registered_address: str = ""
    actual_address: str = ""


class ResidentPatch(Schema):
    name: str | None = None
    phone: str | None = None
    area_code: str | None = None
    registered_here: bool | None = None
    lives_here: bool | None = None
    residence_since: date | None = None
    disability: bool | None = None
    low_income: bool | None = None
    deprived_of_political_rights: bool | None = None
    registered_address: str | None = None
    actual_address: str | None = None
    id_number: str | None = None


class MoveOutIn(Schema):
    on: date | None = None
    new_head_id: int | None = None


class RevealIn(Schema):
    reason: str = Field(..., description="why the full number is needed; logged")


class RevealOut(Schema):
    id: int
    id_number: str
    logged: bool = True


class RightsIn(Schema):
    kind: str = Field(..., description="access | copy | correct | delete")
    detail: str = ""


class DecideIn(Schema):
    accept: bool
    outcome: str


class RightsOut(Schema):
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


class PostingOut(Schema):
    level: str
    area_code: str
    station_code: str | None = None
    position: str
    start_date: date
    end_date: date | None
    rotation: bool

    @staticmethod
    def resolve_station_code(obj: Posting) -> str | None:
        return obj.station.code if obj.station_id and obj.station else None


class TrainingOut(Schema):
    title: str
    provider: str
    start_date: date
    hours: Decimal


class StaffOut(Schema):
    id: int
    code: str
    name: str
    kind: str
    qualification: str
    qualified_on: date | None
    area_code: str


class StaffDetailOut(StaffOut):
    postings: list[PostingOut]
    trainings: list[TrainingOut]

    @staticmethod
    def resolve_postings(obj: StaffMember) -> list[Posting]:
        return selectors.postings_of(obj)

    @staticmethod
    def resolve_trainings(obj: StaffMember) -> list[Training]:
        return list(obj.trainings.all())


class StaffIn(Schema):
    code: str
    name: str
    kind: str
    level: str
    area_code: str = ""
    station_code: str | None = None
    position: str = ""
    start_date: date
    qualification: str = ""
    qualified_on: date | None = None


class PostingIn(Schema):
    level: str
    area_code: str = ""
    station_code: str | None = None
    position: str = ""
    start_date: date
    rotation: bool = True


class TrainingIn(Schema):
    title: str
    provider: str = ""
    start_date: date
    hours: Decimal = Decimal(0)


class QualificationIn(Schema):
    qualification: str = Field(..., description="'' | assistant | social_worker | senior")
    qualified_on: date | None = None


class DissolveIn(Schema):
    on: date


class RotationOut(Schema):
    staff: StaffOut
    posting: PostingOut
    years: float


class MembershipOut(Schema):
    id: int
    post: str | None = None
    person_name: str
    start_date: date
    end_date: date | None
    end_reason: str
    source: str

    @staticmethod
    def resolve_post(obj: Membership) -> str | None:
        return obj.post.role if obj.post_id and obj.post else None


class BodyOut(Schema):
    id: int
    kind: str
    name: str
    area_code: str
    founded_on: date | None
    dissolved_on: date | None


class PostOut(Schema):
    role: str
    label: str
    seats: int


class BodyDetailOut(BodyOut):
    posts: list[PostOut]
    members: list[MembershipOut]

    @staticmethod
    def resolve_posts(obj: Body) -> list[Any]:
        return list(obj.posts.all())

    @staticmethod
    def resolve_members(obj: Body) -> list[Membership]:
        return list(obj.memberships.select_related("post").order_by("start_date"))


class BodyIn(Schema):
    kind: str
    name: str
    area_code: str
    founded_on: date | None = None


class MembershipIn(Schema):
    post_role: str
    person_name: str
    start_date: date
    end_date: date | None = None
    source: str = ""


class CoverageOut(Schema):
    code: str
    name: str
    communities: int
    with_party: int
    with_committee: int
    party_share: float
    committee_share: float
    meets_target: bool


class RowErrorOut(Schema):
    line: int
    column: str
    code: str
    message: str


class ImportReportOut(Schema):
    rows: int
    created: int
    updated: int
    rejected_rows: int
    batches: int
    batches_rejected: int
    dry_run: bool
    errors: list[RowErrorOut]


class ExportIn(Schema):
    within: str
    full_numbers: bool = False
    reason: str = ""


class HeadIn(Schema):
    resident_id: int


class HouseholdOut(Schema):
    id: int
    number: str
    community_code: str
    area_code: str
    head_id: int | None
    members: list[ResidentOut]


class EndMembershipIn(Schema):
    end_date: date
    reason: str = ""


def _out(request: HttpRequest, resident: Any) -> dict[str, Any]:
    return access.present(request.user, resident)


# --------------------------------------------------------------------------- residents


@router.get("/residents", response=list[ResidentOut], summary="Residents in your scope")
def list_residents(request: HttpRequest, within: str = "", q: str = "", limit: int = 100,
                   offset: int = 0) -> list[dict[str, Any]]:
    authz.check(request.user, access.VIEW)
    qs = selectors.residents(user=request.user, within=within, q=q)
    limit = max(1, min(limit, 1000))
    return [_out(request, r) for r in qs[offset:offset + limit]]


class LookupIn(Schema):
    number: str = Field(..., description="identity number; sent in the body, never in the URL")


@router.post("/residents/lookup", response=ResidentOut,
             summary="Find a resident by identity number (keyed-hash index; nothing decrypted)")
def lookup(request: HttpRequest, payload: LookupIn) -> dict[str, Any]:
    return _out(request, selectors.resident_by_number(user=request.user, number=payload.number))


@router.post("/residents/import", response=ImportReportOut,
             summary="Import residents and households from .csv or .xlsx (per-row report)")
def import_file(request: HttpRequest, file: UploadedFile = File(...),  # noqa: B008
                dry_run: bool = False, sheet: str | None = None, batch_size: int = 5000
                ) -> dict[str, Any]:
    rows = importer.read_upload(file.name or "", file.file, sheet=sheet or None)  # type: ignore[arg-type]
    report = services.import_residents(actor=request.user, rows=rows, dry_run=dry_run,
                                       batch_size=batch_size)
    return report.as_dict()


@router.post("/residents/export", response={200: None},
             summary="Residents of an area as .xlsx (numbers masked unless permitted, with a reason)")
def export(request: HttpRequest, payload: ExportIn) -> FileResponse:
    buffer = tempfile.SpooledTemporaryFile(max_size=8 << 20)  # noqa: SIM115 (FileResponse closes it)
    services.export_residents(actor=request.user, area_code=payload.within,
                              out=buffer, full_numbers=payload.full_numbers,  # type: ignore[arg-type]
                              reason=payload.reason)
    buffer.seek(0)
    response = FileResponse(buffer, as_attachment=True, filename=f"residents-{payload.within}.xlsx",
                            content_type="application/vnd.openxmlformats-officedocument."
                                         "spreadsheetml.sheet")
    response["Cache-Control"] = "no-store"
    return response


@router.get("/residents/{pk}", response=ResidentOut, summary="One resident")
def get_resident(request: HttpRequest, pk: int) -> dict[str, Any]:
    return _out(request, selectors.get_resident(user=request.user, pk=pk))


@router.post("/residents", response={201: ResidentOut}, summary="Register a resident")
def register(request: HttpRequest, payload: ResidentIn) -> Status[Any]:
    resident = services.register_resident(actor=request.user, **payload.dict())
    return Status(201, _out(request, resident))


@router.patch("/residents/{pk}", response=ResidentOut, summary="Change or correct a resident")
def update(request: HttpRequest, pk: int, payload: ResidentPatch) -> dict[str, Any]:
    resident = selectors.get_resident(user=request.user, pk=pk)
    changes = payload.dict(exclude_unset=True)
    return _out(request, services.update_resident(actor=request.user, resident=resident, **changes))


@router.post("/residents/{pk}/move-out", response=ResidentOut, summary="Record moving away")
def move_out(request: HttpRequest, pk: int, payload: MoveOutIn) -> dict[str, Any]:
    resident = selectors.get_resident(user=request.user, pk=pk)
    new_head = selectors.get_resident(user=request.user, pk=payload.new_head_id) \
        if payload.new_head_id else None
    return _out(request, services.move_out(actor=request.user, resident=resident, on=payload.on,
                                           new_head=new_head))


@router.post("/residents/{pk}/reveal", response=RevealOut,
             summary="Read the full identity number (needs people.reveal_id; logged)")
def reveal(request: HttpRequest, pk: int, payload: RevealIn) -> dict[str, Any]:
    resident = selectors.get_resident(user=request.user, pk=pk)
    number = services.reveal_identity_number(request.user, resident, payload.reason, channel="api")
    return {"id": resident.pk, "id_number": number, "logged": True}


@router.get("/households/{pk}", response=HouseholdOut, summary="A household and its members")
def household(request: HttpRequest, pk: int) -> dict[str, Any]:
    hh = selectors.get_household(user=request.user, pk=pk)
    return {"id": hh.pk, "number": hh.number, "community_code": hh.community_code,
            "area_code": hh.area_code, "head_id": hh.head_id,
            "members": [_out(request, m) for m in selectors.household_members(hh)]}


@router.post("/households/{pk}/head", response=HouseholdOut, summary="Make a member the head")
def set_head(request: HttpRequest, pk: int, payload: HeadIn) -> dict[str, Any]:
    hh = selectors.get_household(user=request.user, pk=pk)
    resident = selectors.get_resident(user=request.user, pk=payload.resident_id)
    services.set_household_head(actor=request.user, household=hh, resident=resident)
    return household(request, pk)


# --------------------------------------------------------------------------- own record, rights


@router.get("/me", response=ResidentOut, summary="My own record")
def me(request: HttpRequest) -> dict[str, Any]:
    return _out(request, selectors.own_record(user=request.user))


@router.post("/me/requests", response={201: RightsOut}, summary="Ask to see, copy, correct or delete")
def my_request(request: HttpRequest, payload: RightsIn) -> Status[Any]:
    resident = selectors.own_record(user=request.user)
    return Status(201, services.file_rights_request(actor=request.user, resident=resident,
                                                    kind=payload.kind, detail=payload.detail))


@router.get("/me/requests", response=list[RightsOut], summary="My requests")
def my_requests(request: HttpRequest) -> list[RightsRequest]:
    return list(selectors.own_record(user=request.user).rights_requests.all())


@router.get("/rights-requests", response=list[RightsOut], summary="Requests to handle")
def rights_requests(request: HttpRequest, status: str = "open") -> list[RightsRequest]:
    authz.check(request.user, access.RIGHTS)
    return list(selectors.rights_requests(user=request.user, status=status)[:500])


@router.post("/rights-requests/{pk}/decide", response=RightsOut, summary="Answer a request")
def decide(request: HttpRequest, pk: int, payload: DecideIn) -> RightsRequest:
    req = selectors.get_rights_request(user=request.user, pk=pk)
    return services.decide_rights_request(actor=request.user, request=req, accept=payload.accept,
                                          outcome=payload.outcome)


# --------------------------------------------------------------------------- staff


@router.get("/staff", response=list[StaffOut], summary="Cadres, community and social workers")
def list_staff(request: HttpRequest, kind: str = "", within: str = "", q: str = "",
               limit: int = 200, offset: int = 0) -> list[StaffMember]:
    authz.check(request.user, access.STAFF_VIEW)
    qs = selectors.staff(user=request.user, kind=kind, within=within, q=q)
    return list(qs[offset:offset + max(1, min(limit, 1000))])


@router.get("/staff/rotation-due", response=list[RotationOut],
            summary="Who is due for rotation (交流轮岗) under the configured rule")
def rotation_due(request: HttpRequest, on: date | None = None, within: str = "") -> list[Any]:
    authz.check(request.user, access.STAFF_VIEW)
    return list(selectors.rotation_due(user=request.user, on=on, within=within))


@router.get("/staff/{pk}", response=StaffDetailOut, summary="One staff member")
def get_staff(request: HttpRequest, pk: int) -> StaffMember:
    return selectors.get_staff(user=request.user, pk=pk)


@router.post("/staff", response={201: StaffDetailOut}, summary="New staff member and posting")
def create_staff(request: HttpRequest, payload: StaffIn) -> Status[Any]:
    return Status(201, services.create_staff(actor=request.user, **payload.dict()))


@router.post("/staff/{pk}/postings", response={201: PostingOut}, summary="Post elsewhere / rotate")
def post_staff(request: HttpRequest, pk: int, payload: PostingIn) -> Status[Any]:
    member = selectors.get_staff(user=request.user, pk=pk)
    return Status(201, services.post_staff(actor=request.user, staff=member, **payload.dict()))


@router.post("/staff/{pk}/trainings", response={201: TrainingOut}, summary="Record training")
def add_training(request: HttpRequest, pk: int, payload: TrainingIn) -> Status[Any]:
    member = selectors.get_staff(user=request.user, pk=pk)
    return Status(201, services.add_training(actor=request.user, staff=member, **payload.dict()))


@router.post("/staff/{pk}/qualification", response=StaffDetailOut,
             summary="Record a social-work qualification")
def qualify(request: HttpRequest, pk: int, payload: QualificationIn) -> StaffMember:
    member = selectors.get_staff(user=request.user, pk=pk)
    return services.set_qualification(actor=request.user, staff=member, **payload.dict())


# --------------------------------------------------------------------------- bodies


@router.get("/bodies", response=list[BodyOut], summary="Governance bodies")
def list_bodies(request: HttpRequest, within: str = "", kind: str = "") -> list[Body]:
    authz.check(request.user, access.BODIES_VIEW)
    return list(selectors.bodies(user=request.user, within=within, kind=kind)[:2000])


@router.get("/bodies/coverage", response=list[CoverageOut],
            summary="Share of communities with a party organisation and a residents' committee")
def coverage(request: HttpRequest, code: str) -> list[dict[str, Any]]:
    return [{"code": c.code, "name": c.name, "communities": c.communities,
             "with_party": c.with_party, "with_committee": c.with_committee,
             "party_share": c.party_share, "committee_share": c.committee_share,
             "meets_target": c.meets_target}
            for c in selectors.coverage(user=request.user, code=code)]


@router.get("/bodies/{pk}", response=BodyDetailOut, summary="A body, its posts and members")
def get_body(request: HttpRequest, pk: int) -> Body:
    return selectors.get_body(user=request.user, pk=pk)


@router.post("/bodies", response={201: BodyDetailOut}, summary="New governance body")
def create_body(request: HttpRequest, payload: BodyIn) -> Status[Any]:
    return Status(201, services.create_body(actor=request.user, **payload.dict()))


@router.post("/bodies/{pk}/dissolve", response=BodyOut, summary="Dissolve a body (ends its terms)")
def dissolve(request: HttpRequest, pk: int, payload: DissolveIn) -> Body:
    body = selectors.get_body(user=request.user, pk=pk)
    return services.dissolve_body(actor=request.user, body=body, on=payload.on)


@router.post("/memberships/{pk}/end", response=MembershipOut, summary="End a membership")
def end_membership(request: HttpRequest, pk: int, payload: EndMembershipIn) -> Membership:
    membership = selectors.get_membership(user=request.user, pk=pk)
    return services.end_membership(actor=request.user, membership=membership,
                                   end_date=payload.end_date, reason=payload.reason)


@router.post("/bodies/{pk}/memberships", response={201: MembershipOut}, summary="Add a member")
def add_member(request: HttpRequest, pk: int, payload: MembershipIn) -> Status[Any]:
    body = selectors.get_body(user=request.user, pk=pk)
    return Status(201, services.add_membership(actor=request.user, body=body, **payload.dict()))
