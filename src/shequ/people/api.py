"""``/api/v1/people``: residents (fields per role, numbers masked), full-number reads
(logged), own record and rights requests, staff and rotation, governance bodies and
coverage. Thin: schema in, service or selector, schema out.

Every list pages by a keyset cursor (``@paginate(Cursor)``: ``{items, next}``; pass
``next`` back as ``cursor``) and takes its filters as a ``FilterSchema``; the schemas,
each named ``People…``, are in ``schemas.py``."""


import tempfile
from typing import Any

from django.db.models import QuerySet
from django.http import FileResponse, HttpRequest
from django.utils import timezone
from ninja import File, Query, Router, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from shequ.core.pagination import Cursor
from shequ.people import access, importer, selectors, services
from shequ.people.models import Body, Membership, RightsRequest, StaffMember
from shequ.people.schemas import (
    PeopleBodyDetailOut,
    PeopleBodyFilter,
    PeopleBodyIn,
    PeopleBodyOut,
    PeopleCorrectIdIn,
    PeopleCoverageOut,
    PeopleDecideIn,
    PeopleDepartmentStaffOut,
    PeopleDissolveIn,
    PeopleElsewhereOut,
    PeopleEndMembershipIn,
    PeopleExportIn,
    PeopleHeadIn,
    PeopleHouseholdOut,
    PeopleImportReportOut,
    PeopleLookupIn,
    PeopleMembershipIn,
    PeopleMembershipOut,
    PeopleMoveOutIn,
    PeoplePostingIn,
    PeoplePostingOut,
    PeopleQualificationIn,
    PeopleResidentFilter,
    PeopleResidentIn,
    PeopleResidentOut,
    PeopleResidentPatch,
    PeopleRevealIn,
    PeopleRevealOut,
    PeopleRightsFilter,
    PeopleRightsIn,
    PeopleRightsOut,
    PeopleRotationFilter,
    PeopleRotationOut,
    PeopleStaffDetailOut,
    PeopleStaffFilter,
    PeopleStaffIn,
    PeopleStaffOut,
    PeopleTrainingIn,
    PeopleTrainingOut,
)

router = Router()
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _out(request: HttpRequest, resident: Any) -> dict[str, Any]:
    return access.present(request.user, resident)


class PresentedCursor(Cursor):
    """The API's one cursor, each resident on the page shown as the caller may see them
    (``access.present``: hidden fields null), never as the model row."""

    def paginate_queryset(self, queryset: Any, pagination: Any, request: HttpRequest,
                          **params: Any) -> dict[str, Any]:
        page = super().paginate_queryset(queryset, pagination, request, **params)
        page["items"] = [access.present(request.user, r) for r in page["items"]]
        return page


# --------------------------------------------------------------------------- residents


@router.get("/residents", response=list[PeopleResidentOut], summary="Residents in your scope")
@paginate(PresentedCursor)
def list_residents(request: HttpRequest, filters: Query[PeopleResidentFilter]
                   ) -> QuerySet[Any]:
    access.can_view.check(request.user)
    return selectors.residents(user=request.user, within=filters.within or "",
                               q=filters.q or "")


@router.post("/residents/lookup", response=PeopleResidentOut,
             summary="Find a resident by identity number (keyed-hash index; nothing decrypted)")
def lookup(request: HttpRequest, payload: PeopleLookupIn) -> dict[str, Any]:
    return _out(request, selectors.resident_by_number(user=request.user, number=payload.number))


@router.post("/residents/import", response=PeopleImportReportOut,
             summary="Import residents and households from .csv or .xlsx (per-row report)")
def import_file(request: HttpRequest, file: UploadedFile = File(...),  # noqa: B008
                dry_run: bool = False, sheet: str | None = None, batch_size: int = 5000
                ) -> dict[str, Any]:
    rows = importer.read_upload(file.name or "", file.file, sheet=sheet or None)  # type: ignore[arg-type]
    report = services.import_residents(actor=request.user, rows=rows, dry_run=dry_run,
                                       batch_size=batch_size)
    return report.as_dict()


@router.post("/residents/export", response={200: None},
             summary="Residents of an area as .xlsx or .csv (numbers masked unless permitted, "
                     "with a reason)",
             openapi_extra={"responses": {200: {
                 "description": "the .xlsx file", "content": {XLSX: {
                     "schema": {"type": "string", "format": "binary"}}}}}})
def export(request: HttpRequest, payload: PeopleExportIn) -> FileResponse:
    buffer = tempfile.SpooledTemporaryFile(max_size=8 << 20)  # noqa: SIM115 (FileResponse closes it)
    services.export_residents(actor=request.user, area_code=payload.within,
                              out=buffer, full_numbers=payload.full_numbers,  # type: ignore[arg-type]
                              reason=payload.reason, fmt=payload.format)
    buffer.seek(0)
    response = FileResponse(buffer, as_attachment=True,
                            filename=f"residents-{payload.within}.{payload.format}",
                            content_type=XLSX if payload.format == "xlsx" else "text/csv")
    response["Cache-Control"] = "no-store"
    return response


@router.get("/residents/{pk}", response=PeopleResidentOut, summary="One resident")
def get_resident(request: HttpRequest, pk: int) -> dict[str, Any]:
    return _out(request, selectors.get_resident(user=request.user, pk=pk))


@router.post("/residents", response={201: PeopleResidentOut}, summary="Register a resident")
def register(request: HttpRequest, payload: PeopleResidentIn) -> Status[Any]:
    resident = services.register_resident(actor=request.user, **payload.dict())
    return Status(201, _out(request, resident))


@router.patch("/residents/{pk}", response=PeopleResidentOut, summary="Change or correct a resident")
def update(request: HttpRequest, pk: int, payload: PeopleResidentPatch) -> dict[str, Any]:
    resident = selectors.get_resident(user=request.user, pk=pk)
    changes = payload.dict(exclude_unset=True)
    return _out(request, services.update_resident(actor=request.user, resident=resident, **changes))


@router.post("/residents/{pk}/correct-id", response=PeopleResidentOut,
             summary="Correct a recorded identity number (needs people.correct_id; reason; logged)")
def correct_id(request: HttpRequest, pk: int, payload: PeopleCorrectIdIn) -> dict[str, Any]:
    resident = selectors.get_resident(user=request.user, pk=pk)
    return _out(request, services.correct_identity_number(
        actor=request.user, resident=resident, id_number=payload.id_number,
        reason=payload.reason))


@router.get("/elsewhere-attempts", response=list[PeopleElsewhereOut],
            summary="Attempts to record a number held in another community (district review)")
@paginate(Cursor)
def elsewhere_attempts(request: HttpRequest) -> QuerySet[Any]:
    return selectors.elsewhere_attempts(user=request.user)


@router.post("/residents/{pk}/move-out", response=PeopleResidentOut, summary="Record moving away")
def move_out(request: HttpRequest, pk: int, payload: PeopleMoveOutIn) -> dict[str, Any]:
    resident = selectors.get_resident(user=request.user, pk=pk)
    new_head = selectors.get_resident(user=request.user, pk=payload.new_head_id) \
        if payload.new_head_id else None
    return _out(request, services.move_out(actor=request.user, resident=resident, on=payload.on,
                                           new_head=new_head))


@router.post("/residents/{pk}/reveal", response=PeopleRevealOut,
             summary="Read the full identity number (needs people.reveal_id; logged)")
def reveal(request: HttpRequest, pk: int, payload: PeopleRevealIn) -> dict[str, Any]:
    resident = selectors.get_resident(user=request.user, pk=pk)
    number = services.reveal_identity_number(request.user, resident, payload.reason, channel="api")
    return {"id": resident.pk, "id_number": number, "logged": True}


@router.get("/households/{pk}", response=PeopleHouseholdOut, summary="A household and its members")
def household(request: HttpRequest, pk: int) -> dict[str, Any]:
    hh = selectors.get_household(user=request.user, pk=pk)
    return {"id": hh.pk, "number": hh.number, "community_code": hh.community_code,
            "area_code": hh.area_code, "head_id": hh.head_id,
            "members": [_out(request, m) for m in selectors.household_members(hh)]}


@router.post("/households/{pk}/head", response=PeopleHouseholdOut, summary="Make a member the head")
def set_head(request: HttpRequest, pk: int, payload: PeopleHeadIn) -> dict[str, Any]:
    hh = selectors.get_household(user=request.user, pk=pk)
    resident = selectors.get_resident(user=request.user, pk=payload.resident_id)
    services.set_household_head(actor=request.user, household=hh, resident=resident)
    return household(request, pk)


# --------------------------------------------------------------------------- own record, rights


@router.get("/me", response=PeopleResidentOut, summary="My own record")
def me(request: HttpRequest) -> dict[str, Any]:
    return _out(request, selectors.own_record(user=request.user))


@router.post("/me/requests", response={201: PeopleRightsOut},
             summary="Ask to see, copy, correct or delete")
def my_request(request: HttpRequest, payload: PeopleRightsIn) -> Status[Any]:
    resident = selectors.own_record(user=request.user)
    return Status(201, services.file_rights_request(actor=request.user, resident=resident,
                                                    kind=payload.kind, detail=payload.detail))


@router.get("/me/requests", response=list[PeopleRightsOut], summary="My requests")
@paginate(Cursor)
def my_requests(request: HttpRequest) -> QuerySet[RightsRequest]:
    return selectors.requests_of(selectors.own_record(user=request.user))


@router.get("/rights-requests", response=list[PeopleRightsOut], summary="Requests to handle")
@paginate(Cursor)
def rights_requests(request: HttpRequest, filters: Query[PeopleRightsFilter]
                    ) -> QuerySet[RightsRequest]:
    access.can_handle_rights.check(request.user)
    return filters.filter(selectors.rights_requests(user=request.user))


@router.post("/rights-requests/{pk}/decide", response=PeopleRightsOut, summary="Answer a request")
def decide(request: HttpRequest, pk: int, payload: PeopleDecideIn) -> RightsRequest:
    req = selectors.get_rights_request(user=request.user, pk=pk)
    return services.decide_rights_request(actor=request.user, request=req, accept=payload.accept,
                                          outcome=payload.outcome)


# --------------------------------------------------------------------------- staff


@router.get("/staff", response=list[PeopleStaffOut], summary="Cadres, community and social workers")
@paginate(Cursor)
def list_staff(request: HttpRequest, filters: Query[PeopleStaffFilter]) -> QuerySet[StaffMember]:
    access.can_view_staff.check(request.user)
    return filters.filter(selectors.staff(user=request.user))


@router.get("/staff/rotation-due", response=list[PeopleRotationOut],
            summary="Who is due for rotation (交流轮岗) under the rule in force at each area")
@paginate(Cursor)
def rotation_due(request: HttpRequest, filters: Query[PeopleRotationFilter]) -> list[Any]:
    access.can_view_staff.check(request.user)
    return selectors.rotation_due(user=request.user, on=filters.on, within=filters.within)


@router.get("/staff/{pk}", response=PeopleStaffDetailOut, summary="One staff member")
def get_staff(request: HttpRequest, pk: int) -> StaffMember:
    return selectors.get_staff(user=request.user, pk=pk)


@router.get("/departments/{pk}", response=PeopleDepartmentStaffOut,
            summary="A street office's department and the staff posted to it now")
def department(request: HttpRequest, pk: int) -> dict[str, Any]:
    found = selectors.department_staff(user=request.user, pk=pk)
    dept = found.department
    today = timezone.localdate()
    return {"id": dept.pk, "name": dept.name, "area_code": dept.area_code,
            "category": dept.category, "duties": [d.code for d in dept.duties.all()],
            "staff": [{"staff": p.staff, "posting": p,
                       "years": round((today - p.start_date).days / 365.25, 1),
                       "rule_years": found.rule_years[p.pk]} for p in found.postings]}


@router.post("/staff", response={201: PeopleStaffDetailOut}, summary="New staff member and posting")
def create_staff(request: HttpRequest, payload: PeopleStaffIn) -> Status[Any]:
    return Status(201, services.create_staff(actor=request.user, **payload.dict()))


@router.post("/staff/{pk}/postings", response={201: PeoplePostingOut},
             summary="Post elsewhere / rotate")
def post_staff(request: HttpRequest, pk: int, payload: PeoplePostingIn) -> Status[Any]:
    member = selectors.get_staff(user=request.user, pk=pk)
    return Status(201, services.post_staff(actor=request.user, staff=member, **payload.dict()))


@router.post("/staff/{pk}/trainings", response={201: PeopleTrainingOut}, summary="Record training")
def add_training(request: HttpRequest, pk: int, payload: PeopleTrainingIn) -> Status[Any]:
    member = selectors.get_staff(user=request.user, pk=pk)
    return Status(201, services.add_training(actor=request.user, staff=member, **payload.dict()))


@router.post("/staff/{pk}/qualification", response=PeopleStaffDetailOut,
             summary="Record a social-work qualification")
def qualify(request: HttpRequest, pk: int, payload: PeopleQualificationIn) -> StaffMember:
    member = selectors.get_staff(user=request.user, pk=pk)
    return services.set_qualification(actor=request.user, staff=member, **payload.dict())


# --------------------------------------------------------------------------- bodies


@router.get("/bodies", response=list[PeopleBodyOut], summary="Governance bodies")
@paginate(Cursor)
def list_bodies(request: HttpRequest, filters: Query[PeopleBodyFilter]) -> QuerySet[Body]:
    access.can_view_bodies.check(request.user)
    return filters.filter(selectors.bodies(user=request.user))


@router.get("/bodies/coverage", response=list[PeopleCoverageOut],
            summary="Share of communities with a party organisation and a residents' committee")
@paginate(Cursor)
def coverage(request: HttpRequest, code: str = Query(..., max_length=15)) -> list[dict[str, Any]]:
    return [{"code": c.code, "name": c.name, "communities": c.communities,
             "with_party": c.with_party, "with_committee": c.with_committee,
             "party_share": c.party_share, "committee_share": c.committee_share,
             "target": c.target, "meets_target": c.meets_target}
            for c in selectors.coverage(user=request.user, code=code)]


@router.get("/bodies/{pk}", response=PeopleBodyDetailOut, summary="A body, its posts and members")
def get_body(request: HttpRequest, pk: int) -> Body:
    return selectors.get_body(user=request.user, pk=pk)


@router.post("/bodies", response={201: PeopleBodyDetailOut}, summary="New governance body")
def create_body(request: HttpRequest, payload: PeopleBodyIn) -> Status[Any]:
    return Status(201, services.create_body(actor=request.user, **payload.dict()))


@router.post("/bodies/{pk}/dissolve", response=PeopleBodyOut,
             summary="Dissolve a body (ends its terms)")
def dissolve(request: HttpRequest, pk: int, payload: PeopleDissolveIn) -> Body:
    body = selectors.get_body(user=request.user, pk=pk)
    return services.dissolve_body(actor=request.user, body=body, on=payload.on)


@router.post("/memberships/{pk}/end", response=PeopleMembershipOut, summary="End a membership")
def end_membership(request: HttpRequest, pk: int, payload: PeopleEndMembershipIn) -> Membership:
    membership = selectors.get_membership(user=request.user, pk=pk)
    return services.end_membership(actor=request.user, membership=membership,
                                   end_date=payload.end_date, reason=payload.reason)


@router.post("/bodies/{pk}/memberships", response={201: PeopleMembershipOut}, summary="Add a member")
def add_member(request: HttpRequest, pk: int, payload: PeopleMembershipIn) -> Status[Any]:
    body = selectors.get_body(user=request.user, pk=pk)
    return Status(201, services.add_membership(actor=request.user, body=body, **payload.dict()))
