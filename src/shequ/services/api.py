"""``/api/v1/services``: catalogue, cases and their steps, overdue lists, statistics and
the public progress query. Thin: schema in, service or selector, schema out; every list
pages by cursor (``@paginate(Cursor)``), filters with a ``FilterSchema``."""

# No ``from __future__ import annotations`` here: ``@paginate`` wraps a route, and ninja
# reads the wrapper's parameter annotations in its own module, where a name such as
# ``date`` written as a string would not resolve.
from datetime import date, datetime
from typing import Annotated, Any

from django.db.models import Q, QuerySet, Subquery
from django.http import HttpRequest
from ninja import Field, File, FilterSchema, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.filter_schema import FilterLookup
from ninja.pagination import paginate

from shequ.core.apischemas import Id
from shequ.core.pagination import Cursor
from shequ.services import notices, selectors, services
from shequ.services.lifecycles import CASE
from shequ.services.models import Case, Channel, Notification, ServiceItem

router = Router()


class ServicesMaterialOut(Schema):
    code: str
    name: str


class ServicesItemOut(Schema):
    code: str
    version: int
    name: str
    legal_basis: str
    handler_level: str
    delegation_mode: str
    department: str
    department_category: str
    handling_duty: str = Field("", description="the street duty (areas.DutyCode) whose "
                               "department handles its cases in each street; '' for none")
    statutory_days: int
    promised_days: int
    kind: str = Field(..., description="licence, benefit, confirmation, registration, service")
    handling: str = Field(..., description="single, joint (Art. 42(2)), first_review (Art. 43)")
    extension_days: int = Field(..., description="the item's own extension; 0: none")
    decided_by: str = Field(..., description="the level that decides (district or street)")
    period_basis: str
    fee_fen: int
    materials: list[ServicesMaterialOut]
    forms: list[str]

    @staticmethod
    def of(item: ServiceItem) -> "ServicesItemOut":
        v = item.current
        assert v is not None
        return ServicesItemOut(
            code=item.code, version=v.version, name=v.name, legal_basis=v.legal_basis,
            handler_level=v.handler_level, delegation_mode=v.delegation_mode,
            department=v.department, department_category=v.department_category,
            handling_duty=v.handling_duty.code if v.handling_duty_id and v.handling_duty else "",
            statutory_days=v.statutory_days, promised_days=v.promised_days, kind=v.kind,
            handling=v.handling, extension_days=v.extension_days,
            decided_by=v.decided_by or v.handler_level, period_basis=v.period_basis,
            fee_fen=v.fee_fen,
            materials=[ServicesMaterialOut(**m) for m in v.materials], forms=list(v.forms))


class ServicesCaseIn(Schema):
    item_code: str
    area_code: str = Field(..., description="the applicant's community code")
    applicant_name: str = Field("", description="a resident applying online: empty or her "
                                                "own record's name")
    phone: str = ""
    description: str = ""
    channel: str = Field(Channel.ONLINE, description="online (the applicant) or desk (代办)")
    station_code: str = ""
    id_number: str = ""
    idempotency_key: str = Field("", description="or the Idempotency-Key header")
    agent_name: str = Field("", description="desk: the person who came for the applicant")
    agent_relation: str = ""
    confirm_duplicate: bool = Field(False, description="desk: file although the same person "
                                                       "has an open case of the same item")


class ServicesCaseOut(Schema):
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
    department_id: int | None = Field(None, description="the handling department (办理科室, "
                                      "GET /areas/{code}/departments), fixed on receipt")

    @staticmethod
    def resolve_item_code(case: Case) -> str:
        return case.item.code

    @staticmethod
    def resolve_item_version(case: Case) -> int:
        return case.version.version

    @staticmethod
    def resolve_item_name(case: Case) -> str:
        return case.version.name


class ServicesEventOut(Schema):
    at: datetime
    action: str
    text: str = Field(description="the step in the reader's language")
    from_state: str
    to_state: str
    actor_name: str
    note: str

    @staticmethod
    def resolve_text(event: Any) -> str:
        return notices.event_label(event.action)


class ServicesCaseDetailOut(ServicesCaseOut):
    allowed_actions: list[str] = Field(description="the steps you may take now")
    events: list[ServicesEventOut]
    department_name: str | None = Field(None, description="the handling department's name")

    @staticmethod
    def resolve_department_name(case: Case) -> str | None:
        return case.department.name if case.department_id and case.department else None

    @staticmethod
    def resolve_allowed_actions(case: Case, context: dict[str, Any]) -> list[str]:
        return CASE.allowed(context["request"].user, case)

    @staticmethod
    def resolve_events(case: Case) -> list[Any]:
        return list(case.events.all())


class ServicesActionIn(Schema):
    note: str = Field("", description="reasons for refuse/reject, the reason for extend")
    missing: list[str] = Field(default_factory=list, description="request_correction: all of them")
    pause_kind: str = Field("", description="suspend: hearing, inspection, testing, "
                                            "expert_review, tender")
    days: int | None = Field(None, description="extend: working days (default: the legal 10)")
    expected: str = Field("", description="the state you last saw; 409 case_moved if it "
                                          "changed meanwhile")


class ServicesCaseFilter(FilterSchema):
    state: Annotated[str | None, FilterLookup("state")] = None
    sla: Annotated[str | None, FilterLookup("sla")] = None
    street: Annotated[str | None, FilterLookup("street_code")] = Field(
        None, description="a street code")
    item: str | None = Field(None, description="a service item code")
    channel: Annotated[str | None, FilterLookup("channel")] = None
    q: str | None = Field(None, description="part of the number or the applicant's name")

    def filter_item(self, value: str | None) -> Q:
        """By the item's id (a scalar subquery), not a join before the page's LIMIT."""
        if not value:
            return Q()
        return Q(item_id=Subquery(ServiceItem.objects.filter(code=value).values("id")[:1]))

    def filter_q(self, value: str | None) -> Q:
        """The work list's search (``selectors.search``: the trigram indexes, ADR 0027)."""
        return selectors.search(value) if value else Q()


class ServicesStatOut(Schema):
    key: str
    label: str
    cases: int
    completed: int
    on_time: int
    late: int
    overdue_open: int
    on_time_rate: float | None
    avg_workdays: float | None


class ServicesProgressOut(Schema):
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


class ServicesSweepOut(Schema):
    auto_accepted: int
    updated: int
    warned: int
    escalated: int
    errors: int


class ServicesNotificationOut(Schema):
    id: int
    number: str
    kind: str
    text: str = Field(description="in the reader's language")
    created_at: datetime
    read_at: datetime | None

    @staticmethod
    def resolve_number(n: Notification) -> str:
        return n.case.number

    @staticmethod
    def resolve_text(n: Notification) -> str:
        return notices.notice(n)


class ServicesReadIn(Schema):
    ids: list[Id]


class ServicesReadOut(Schema):
    marked: int


class ServicesAttachmentOut(Schema):
    id: int
    name: str
    content_type: str
    size: int
    sha256: str
    material_code: str


@router.get("/items", response=list[ServicesItemOut], auth=None,
            summary="The catalogue (public)")
@paginate(Cursor)
def list_items(request: HttpRequest) -> list[ServicesItemOut]:
    return [ServicesItemOut.of(i) for i in selectors.items().order_by("code")]


@router.get("/items/{code}", response=ServicesItemOut, auth=None,
            summary="One catalogue item (public)")
def get_item(request: HttpRequest, code: str) -> ServicesItemOut:
    return ServicesItemOut.of(selectors.get_item(code))


@router.post("/cases", response={201: ServicesCaseOut},
             summary="Submit a case (online or at a desk)")
def submit(request: HttpRequest, payload: ServicesCaseIn) -> Status[Case]:
    key = payload.idempotency_key or request.headers.get("Idempotency-Key", "")
    case = services.submit_case(
        actor=request.user, item_code=payload.item_code, area_code=payload.area_code,
        applicant_name=payload.applicant_name, phone=payload.phone,
        description=payload.description, channel=payload.channel,
        station_code=payload.station_code, id_number=payload.id_number, idempotency_key=key,
        agent_name=payload.agent_name, agent_relation=payload.agent_relation,
        confirm_duplicate=payload.confirm_duplicate)
    return Status(201, case)


@router.get("/cases", response=list[ServicesCaseOut], summary="Cases in your scope, newest first")
@paginate(Cursor)
def list_cases(request: HttpRequest, filters: Query[ServicesCaseFilter]) -> QuerySet[Case]:
    return filters.filter(selectors.cases(user=request.user))


@router.get("/mine", response=list[ServicesCaseOut],
            summary="Your own applications (residents), newest first")
@paginate(Cursor)
def mine(request: HttpRequest) -> QuerySet[Case]:
    return selectors.my_cases(user=request.user)


@router.get("/notifications", response=list[ServicesNotificationOut],
            summary="Your notifications, newest first")
@paginate(Cursor)
def notifications(request: HttpRequest) -> QuerySet[Notification]:
    return selectors.notifications(user=request.user)


@router.post("/notifications/read", response=ServicesReadOut, summary="Mark notifications read")
def notifications_read(request: HttpRequest, payload: ServicesReadIn) -> ServicesReadOut:
    return ServicesReadOut(marked=services.mark_read(actor=request.user,
                                                     notification_ids=payload.ids))


@router.get("/cases/{number}", response=ServicesCaseDetailOut,
            summary="One case with its history and the steps you may take")
def get_case(request: HttpRequest, number: str) -> Case:
    return selectors.get_case(user=request.user, number=number)


@router.post("/cases/{number}/attachments", response={201: list[ServicesAttachmentOut]},
             summary="Add materials before acceptance (multipart: files, material_code)")
def attach(request: HttpRequest, number: str, files: list[UploadedFile] = File(...),  # noqa: B008
           material_code: str = Form("")) -> Status[list[Any]]:
    uploads = [services.Upload(name=f.name or "file", content=f.read(), material_code=material_code)
               for f in files]
    return Status(201, services.attach(actor=request.user, number=number, uploads=uploads))


@router.post("/cases/{number}/{action}", response=ServicesCaseOut,
             summary="A step: request_correction, supply, accept, refuse, extend, suspend, "
                     "resume, approve, reject, issue, close, withdraw (409 unknown_action "
                     "for any other name)")
def act(request: HttpRequest, number: str, action: str, payload: ServicesActionIn) -> Case:
    return services.act(actor=request.user, number=number, action=action, note=payload.note,
                        missing=payload.missing, pause_kind=payload.pause_kind,
                        days=payload.days, expected=payload.expected)


@router.get("/overdue", response=list[ServicesCaseOut],
            summary="A street's overdue cases, most overdue first")
@paginate(Cursor)
def overdue(request: HttpRequest, street: str) -> QuerySet[Case]:
    return (selectors.street_overdue(user=request.user, street=street)
            .select_related("item", "version"))


@router.get("/stats", response=list[ServicesStatOut],
            summary="On-time rate, working days used, overdue")
@paginate(Cursor)
def stats(request: HttpRequest, by: str = "street", start: date | None = None,
          end: date | None = None) -> list[ServicesStatOut]:
    rows = selectors.statistics(user=request.user, by=by, start=start, end=end)
    return [ServicesStatOut(key=r.key, label=r.label, cases=r.cases, completed=r.completed,
                            on_time=r.on_time, late=r.late, overdue_open=r.overdue_open,
                            on_time_rate=r.on_time_rate, avg_workdays=r.avg_workdays)
            for r in rows]


@router.get("/progress", response=ServicesProgressOut, auth=None,
            summary="Public progress query: case number and the phone's last 4 digits")
def progress(request: HttpRequest, number: str, phone_last4: str) -> Any:
    return services.query_progress(number=number, phone_last4=phone_last4)


@router.post("/sweep", response=ServicesSweepOut,
             summary="Run the clock sweep now (administrators)")
def sweep(request: HttpRequest) -> dict[str, int]:
    return services.sweep(actor=request.user).as_dict()
