"""``/api/v1/services``: catalogue, cases and their steps, overdue lists, statistics and
the public progress query. Thin: schema in, service or selector, schema out."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.http import HttpRequest
from ninja import Field, File, Form, Router, Schema, Status
from ninja.files import UploadedFile

from shequ.services import selectors, services
from shequ.services.models import Case, ServiceItem

router = Router()


class MaterialOut(Schema):
    code: str
    name: str


class ItemOut(Schema):
    code: str
    version: int
    name: str
    legal_basis: str
    handler_level: str
    delegation_mode: str
    department: str
    department_category: str
    statutory_days: int
    promised_days: int
    fee_fen: int
    materials: list[MaterialOut]
    forms: list[str]

    @staticmethod
    def from_item(item: ServiceItem) -> ItemOut:
        v = item.current
        assert v is not None
        return ItemOut(code=item.code, version=v.version, name=v.name, legal_basis=v.legal_basis,
                       handler_level=v.handler_level, delegation_mode=v.delegation_mode,
                       department=v.department, department_category=v.department_category,
                       statutory_days=v.statutory_days, promised_days=v.promised_days,
                       fee_fen=v.fee_fen, materials=[MaterialOut(**m) for m in v.materials],
                       forms=list(v.forms))


class CaseIn(Schema):
    item_code: str
    area_code: str = Field(..., description="the applicant's community code")
    applicant_name: str
    phone: str = ""
    description: str = ""
    channel: str = Field("online", description="online (the applicant) or desk (代办)")
    station_code: str = ""
    id_number: str = ""
    idempotency_key: str = Field("", description="or the Idempotency-Key header")


class CaseOut(Schema):
    number: str
    item_code: str
    item_version: int
    item_name: str
    channel: str
    area_code: str
    street_code: str
    applicant_name: str
    state: str
    sla: str
    submitted_at: datetime
    accept_by: date
    accepted_on: date | None
    due_on: date | None
    statutory_due_on: date | None
    extension_days: int
    paused_workdays: int
    decided_on: date | None
    issue_due_on: date | None
    workdays_used: int | None
    missing: list[str]

    @staticmethod
    def of(case: Case) -> CaseOut:
        return CaseOut(number=case.number, item_code=case.item.code,
                       item_version=case.version.version, item_name=case.version.name,
                       channel=case.channel, area_code=case.area_code,
                       street_code=case.street_code, applicant_name=case.applicant_name,
                       state=case.state, sla=case.sla, submitted_at=case.submitted_at,
                       accept_by=case.accept_by, accepted_on=case.accepted_on,
                       due_on=case.due_on, statutory_due_on=case.statutory_due_on,
                       extension_days=case.extension_days, paused_workdays=case.paused_workdays,
                       decided_on=case.decided_on, issue_due_on=case.issue_due_on,
                       workdays_used=case.workdays_used,
                       missing=list(case.missing))


class EventOut(Schema):
    at: datetime
    action: str
    from_state: str
    to_state: str
    actor_name: str
    note: str


class CaseDetailOut(CaseOut):
    allowed_actions: list[str]
    events: list[EventOut]


class ActionIn(Schema):
    note: str = ""
    missing: list[str] = Field(default_factory=list, description="request_correction: all of them")
    pause_kind: str = Field("", description="suspend: hearing, inspection, testing, "
                                            "expert_review, tender")
    days: int | None = Field(None, description="extend: working days (default: the legal 10)")


class StatOut(Schema):
    key: str
    label: str
    cases: int
    completed: int
    on_time: int
    late: int
    overdue_open: int
    on_time_rate: float | None
    avg_workdays: float | None


class ProgressOut(Schema):
    number: str
    item: str
    state: str
    state_label: str
    received_on: date
    accepted_on: date | None
    due_on: date | None
    decided_on: date | None
    sla: str
    sla_label: str
    steps: list[tuple[date, str]]
    missing: list[str]


class SweepOut(Schema):
    auto_accepted: int
    updated: int
    warned: int
    escalated: int
    errors: int


@router.get("/items", response=list[ItemOut], auth=None, summary="The catalogue (public)")
def list_items(request: HttpRequest) -> list[ItemOut]:
    return [ItemOut.from_item(i) for i in selectors.items()]


@router.get("/items/{code}", response=ItemOut, auth=None, summary="One catalogue item (public)")
def get_item(request: HttpRequest, code: str) -> ItemOut:
    return ItemOut.from_item(selectors.get_item(code))


@router.post("/cases", response={201: CaseOut}, summary="Submit a case (online or at a desk)")
def submit(request: HttpRequest, payload: CaseIn) -> Status[CaseOut]:
    key = payload.idempotency_key or request.headers.get("Idempotency-Key", "")
    case = services.submit_case(
        actor=request.user, item_code=payload.item_code, area_code=payload.area_code,
        applicant_name=payload.applicant_name, phone=payload.phone,
        description=payload.description, channel=payload.channel,
        station_code=payload.station_code, id_number=payload.id_number, idempotency_key=key)
    return Status(201, CaseOut.of(case))


@router.get("/cases", response=list[CaseOut], summary="Cases in your scope")
def list_cases(request: HttpRequest, state: str = "", sla: str = "", street: str = "",
               item: str = "", limit: int = 100, offset: int = 0) -> list[CaseOut]:
    qs = selectors.cases(user=request.user, state=state, sla=sla, street=street, item=item)
    limit = max(1, min(limit, 1000))
    return [CaseOut.of(c) for c in qs[offset:offset + limit]]


@router.get("/mine", response=list[CaseOut], summary="Your own applications (residents)")
def mine(request: HttpRequest) -> list[CaseOut]:
    return [CaseOut.of(c) for c in selectors.my_cases(user=request.user).select_related("item")[:500]]


class NotificationOut(Schema):
    id: int
    number: str
    kind: str
    text: str
    created_at: datetime
    read_at: datetime | None


@router.get("/notifications", response=list[NotificationOut], summary="Your notifications")
def notifications(request: HttpRequest) -> list[NotificationOut]:
    from shequ.services.notices import render

    return [NotificationOut(id=n.pk, number=n.case.number, kind=n.kind,
                            text=render(n.kind, n.params), created_at=n.created_at,
                            read_at=n.read_at)
            for n in selectors.notifications(user=request.user)]


class ReadIn(Schema):
    ids: list[int]


@router.post("/notifications/read", response=dict[str, int], summary="Mark notifications read")
def notifications_read(request: HttpRequest, payload: ReadIn) -> dict[str, int]:
    return {"marked": services.mark_read(actor=request.user, notification_ids=payload.ids)}


@router.get("/cases/{number}", response=CaseDetailOut, summary="One case with its history")
def get_case(request: HttpRequest, number: str) -> CaseDetailOut:
    case = selectors.get_case(user=request.user, number=number)
    return CaseDetailOut(**CaseOut.of(case).dict(),
                         allowed_actions=selectors.actions_for(user=request.user, case=case),
                         events=[EventOut.from_orm(e) for e in case.events.all()])


class AttachmentOut(Schema):
    id: int
    name: str
    content_type: str
    size: int
    sha256: str
    material_code: str


@router.post("/cases/{number}/attachments", response={201: list[AttachmentOut]},
             summary="Add materials before acceptance (multipart: files, material_code)")
def attach(request: HttpRequest, number: str, files: list[UploadedFile] = File(...),  # noqa: B008
           material_code: str = Form("")) -> Status[list[AttachmentOut]]:
    uploads = [services.Upload(name=f.name or "file", content=f.read(), material_code=material_code)
               for f in files]
    stored = services.attach(actor=request.user, number=number, uploads=uploads)
    return Status(201, [AttachmentOut.from_orm(a) for a in stored])


@router.post("/cases/{number}/{action}", response=CaseOut,
             summary="A step: accept, request_correction, supply, refuse, extend, suspend, "
                     "resume, approve, reject, issue, close, withdraw")
def act(request: HttpRequest, number: str, action: str, payload: ActionIn) -> CaseOut:
    case = services.act(actor=request.user, number=number, action=action, note=payload.note,
                        missing=payload.missing, pause_kind=payload.pause_kind, days=payload.days)
    return CaseOut.of(case)


@router.get("/overdue", response=list[CaseOut], summary="A street's overdue cases")
def overdue(request: HttpRequest, street: str, limit: int = 100) -> list[Any]:
    rows = selectors.overdue(user=request.user, street=street, limit=max(1, min(limit, 1000)))
    full = {c.number: c for c in Case.objects.select_related("item", "version")
            .filter(number__in=[r.number for r in rows])}
    return [CaseOut.of(full[r.number]) for r in rows]


@router.get("/stats", response=list[StatOut], summary="On-time rate, working days used, overdue")
def stats(request: HttpRequest, by: str = "street", start: date | None = None,
          end: date | None = None) -> list[StatOut]:
    rows = selectors.statistics(user=request.user, by=by, start=start, end=end)
    return [StatOut(key=r.key, label=r.label, cases=r.cases, completed=r.completed,
                    on_time=r.on_time, late=r.late, overdue_open=r.overdue_open,
                    on_time_rate=r.on_time_rate, avg_workdays=r.avg_workdays) for r in rows]


@router.get("/progress", response=ProgressOut, auth=None,
            summary="Public progress query: case number and the phone's last 4 digits")
def progress(request: HttpRequest, number: str, phone_last4: str) -> Any:
    return services.query_progress(number=number, phone_last4=phone_last4)


@router.post("/sweep", response=SweepOut, summary="Run the clock sweep now (administrators)")
def sweep(request: HttpRequest) -> dict[str, int]:
    return services.sweep(actor=request.user).as_dict()
