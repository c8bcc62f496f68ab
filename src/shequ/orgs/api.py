"""``/api/v1/orgs``: the directory and profiles (public), applications and their steps,
annual reports, complaints, penalties, support, indicators and eligibility facts. Thin:
schema in, service or selector, schema out."""

from datetime import date
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, FilterSchema, Query, Router, Schema, Status
from ninja.pagination import paginate

from shequ.core.apischemas import Year
from shequ.core.pagination import Cursor
from shequ.orgs import selectors, services
from shequ.orgs.lifecycles import application_lifecycle
from shequ.orgs.models import AnnualReport, Application, Org
from shequ.orgs.models import Status as OrgStatus
from shequ.orgs.texts import TEXTS

router = Router()


class OrgsOrgOut(Schema):
    id: int
    name: str
    track: str
    kind: str
    status: str
    credit_code: str
    filing_number: str
    area_code: str
    authority_code: str
    founded_on: date
    ended_on: date | None
    categories: list[str]

    @staticmethod
    def of(o: Org) -> "OrgsOrgOut":
        return OrgsOrgOut(id=o.pk, name=o.name, track=o.track, kind=o.kind, status=o.status,
                          credit_code=o.credit_code, filing_number=o.filing_number,
                          area_code=o.area_code, authority_code=o.authority_code,
                          founded_on=o.founded_on, ended_on=o.ended_on,
                          categories=list(o.categories))


class OrgsHistoryOut(Schema):
    on: date
    action: str
    text: str


class OrgsProfileOut(OrgsOrgOut):
    person_in_charge: str
    address: str
    supervising_agency: str
    charity: bool
    grade: int | None
    history: list[OrgsHistoryOut]


class OrgsDirectoryFilter(FilterSchema):
    q: str | None = Field(None, description="name (contains), credit code or filing number")
    track: str | None = Field(None, description="registered | filed")
    kind: str | None = None
    area: str | None = Field(None, description="area code prefix")
    category: str | None = None
    status: str | None = Field(OrgStatus.ACTIVE, description="empty: any")


@router.get("", response=list[OrgsOrgOut], auth=None, summary="The public directory")
@paginate(Cursor)
def directory(request: HttpRequest, filters: Query[OrgsDirectoryFilter]) -> Any:
    return selectors.directory(
        q=filters.q or "", track=filters.track or "", kind=filters.kind or "",
        area=filters.area or "", category=filters.category or "", status=filters.status or "")


@router.get("/{int:org_id}", response=OrgsProfileOut, auth=None,
            summary="An organisation's public profile with its status and history")
def profile(request: HttpRequest, org_id: int) -> OrgsProfileOut:
    o = selectors.public_org(org_id)
    grade = selectors.current_grade(o)
    return OrgsProfileOut(
        **OrgsOrgOut.of(o).dict(), person_in_charge=o.person_in_charge, address=o.address,
        supervising_agency=o.supervising_agency, charity=o.charity,
        grade=grade.grade if grade else None,
        history=[OrgsHistoryOut(on=e.on, action=e.action, text=TEXTS.render(e.text))
                 for e in selectors.public_history(o)[:200]])


class OrgsEligibilityOut(Schema):
    org_id: int
    name: str
    track: str
    kind: str
    status: str
    legal_person: bool
    good_standing: bool
    penalties_in_window: int
    window_years: int
    report_year: int | None
    report_due: date | None
    annual_report_filed: bool
    annual_report_missing: bool
    last_report_result: str
    grade: int | None
    charity: bool


@router.get("/{int:org_id}/eligibility", response=OrgsEligibilityOut,
            summary="Facts a buyer checks (staff in scope or the organisation's users)")
def eligibility(request: HttpRequest, org_id: int, years: int | None = None,
                on: date | None = None) -> OrgsEligibilityOut:
    org = selectors.get_org(user=request.user, org_id=org_id)
    e = selectors.eligibility(org.pk, on=on, years=years)
    return OrgsEligibilityOut(
        org_id=e.org_id, name=e.name, track=e.track, kind=e.kind, status=e.status,
        legal_person=e.legal_person, good_standing=e.good_standing,
        penalties_in_window=e.penalties_in_window, window_years=e.window_years,
        report_year=e.report_year, report_due=e.report_due,
        annual_report_filed=e.annual_report_filed, annual_report_missing=e.annual_report_missing,
        last_report_result=e.last_report_result, grade=e.grade, charity=e.charity)


# ---------------------------------------------------------------- applications


class OrgsApplicationIn(Schema):
    kind: str = Field(..., description="establish, file, change, merge, convert, deregister, "
                                       "recognise")
    org_kind: str = Field("", description="the kind of organisation (establish, file, convert)")
    area_code: str = Field("", description="community or street (establish, file)")
    name: str = Field("", description="the name (a new name for change or convert)")
    org_id: int | None = None
    partner_id: int | None = Field(None, description="merge: the organisation merging in")
    items: dict[str, Any] = Field(default_factory=dict,
                                  description="person_in_charge, address, supervising_agency, "
                                              "individual_members, unit_members, staff, "
                                              "funds_fen, directors, foundation_type, "
                                              "has_premises, has_charter, purpose, scope, "
                                              "categories, lat_e6, lon_e6, agency_approved_on, "
                                              "liquidation_ended_on")
    materials: list[str] = Field(default_factory=list, description="material keys handed in")


class OrgsApplicationOut(Schema):
    number: str
    kind: str
    org_kind: str
    track: str
    name: str
    area_code: str
    authority_code: str
    org_id: int | None
    state: str
    received_on: date
    notice_by: date
    complete_on: date | None
    limit_days: int
    limit_unit: str
    due_on: date | None
    due_provisional: bool
    decided_on: date | None
    late: bool
    materials: list[str]
    missing: list[str]
    reason: str
    reason_text: str
    flags: list[dict[str, Any]]

    @staticmethod
    def of(a: Application) -> "OrgsApplicationOut":
        return OrgsApplicationOut(
            number=a.number, kind=a.kind, org_kind=a.org_kind, track=a.track, name=a.name,
            area_code=a.area_code, authority_code=a.authority_code, org_id=a.org_id,
            state=a.state, received_on=a.received_on, notice_by=a.notice_by,
            complete_on=a.complete_on, limit_days=a.limit_days, limit_unit=a.limit_unit,
            due_on=a.due_on, due_provisional=a.due_provisional, decided_on=a.decided_on,
            late=a.late, materials=list(a.materials), missing=list(a.missing), reason=a.reason,
            reason_text=a.reason_text, flags=list(a.flags))


class OrgsEventOut(Schema):
    on: date
    action: str
    from_state: str
    to_state: str
    note: str


class OrgsApplicationDetailOut(OrgsApplicationOut):
    allowed_actions: list[str]
    events: list[OrgsEventOut]


@router.post("/applications", response={201: OrgsApplicationOut},
             summary="Apply: registration, filing, change, merger, conversion, deregistration, "
                     "recognition")
def submit(request: HttpRequest, payload: OrgsApplicationIn) -> Status[OrgsApplicationOut]:
    app = services.submit(actor=request.user, kind=payload.kind, org_kind=payload.org_kind,
                          area_code=payload.area_code, name=payload.name, org_id=payload.org_id,
                          partner_id=payload.partner_id, items=payload.items,
                          materials=payload.materials)
    return Status(201, OrgsApplicationOut.of(app))


class OrgsApplicationFilter(FilterSchema):
    state: str | None = None
    kind: str | None = None
    track: str | None = None
    queue: bool = Field(False, description="open applications you decide")
    mine: bool = Field(False, description="your own (an organisation's user)")


@router.get("/applications", response=list[OrgsApplicationOut],
            summary="Applications in your scope, your queue, or your own")
@paginate(Cursor)
def list_applications(request: HttpRequest, filters: Query[OrgsApplicationFilter]) -> Any:
    if filters.mine:
        qs = selectors.my_applications(user=request.user)
    else:
        qs = selectors.applications(user=request.user, state=filters.state or "",
                                    kind=filters.kind or "", track=filters.track or "",
                                    queue=filters.queue)
    return qs


@router.get("/applications/{number}", response=OrgsApplicationDetailOut,
            summary="One application with its steps and history")
def get_application(request: HttpRequest, number: str) -> OrgsApplicationDetailOut:
    app = selectors.get_application(user=request.user, number=number)
    return OrgsApplicationDetailOut(
        **OrgsApplicationOut.of(app).dict(),
        allowed_actions=application_lifecycle(app).allowed(request.user, app),
        events=[OrgsEventOut(on=e.on, action=e.action, from_state=e.from_state,
                             to_state=e.to_state, note=e.note) for e in app.events.all()])


class OrgsStepIn(Schema):
    missing: list[str] = Field(default_factory=list, description="return: every missing material")
    materials: list[str] = Field(default_factory=list, description="supply: materials supplied")
    reason: str = Field("", description="reject: the grounds")
    reason_text: str = ""
    note: str = ""
    credit_code: str = Field("", description="approve (registration): a code to use")
    days: int | None = Field(None, description="extend: days")
    on: date | None = Field(None, description="the day of the step (default today)")


@router.post("/applications/{number}/steps/{action}", response=OrgsApplicationOut,
             summary="A step: accept, return, supply, approve, reject, extend, withdraw, deem")
def step(request: HttpRequest, number: str, action: str, payload: OrgsStepIn) -> OrgsApplicationOut:
    selectors.get_application(user=request.user, number=number)
    app = services.act(actor=request.user, number=number, action=action, on=payload.on,
                       missing=payload.missing, materials=payload.materials,
                       reason=payload.reason, reason_text=payload.reason_text,
                       note=payload.note, credit_code=payload.credit_code, days=payload.days)
    return OrgsApplicationOut.of(app)


# ---------------------------------------------------------------- reports, supervision


class OrgsReportIn(Schema):
    year: Year
    activities: str
    income_fen: int = 0
    expenditure_fen: int = 0
    staff: int = 0
    members: int = 0
    agency_submitted_on: date | None = None
    agency_approved_on: date | None = None


class OrgsReportOut(Schema):
    id: int
    org_id: int
    year: int
    lodged_on: date
    due_on: date
    late: bool
    agency_late: bool
    state: str
    remarks: str

    @staticmethod
    def of(r: AnnualReport) -> "OrgsReportOut":
        return OrgsReportOut(id=r.pk, org_id=r.org_id, year=r.year, lodged_on=r.lodged_on,
                             due_on=r.due_on, late=r.late, agency_late=r.agency_late,
                             state=r.state, remarks=r.remarks)


@router.post("/{int:org_id}/reports", response={201: OrgsReportOut},
             summary="Lodge the annual report (the organisation's users)")
def lodge(request: HttpRequest, org_id: int, payload: OrgsReportIn) -> Status[OrgsReportOut]:
    r = services.lodge_report(actor=request.user, org_id=org_id, **payload.dict())
    return Status(201, OrgsReportOut.of(r))


class OrgsRemarksIn(Schema):
    remarks: str = ""
    finding: str = ""
    correct_by: date | None = None


@router.post("/reports/{int:report_id}/steps/{action}", response=OrgsReportOut,
             summary="Inspect a report: pass, pass_basic, fail, return; resubmit")
def report_step(request: HttpRequest, report_id: int, action: str,
                payload: OrgsRemarksIn) -> OrgsReportOut:
    return OrgsReportOut.of(services.report_step(actor=request.user, report_id=report_id,
                                                 action=action, remarks=payload.remarks))


class OrgsOverdueOut(Schema):
    org_id: int
    name: str
    kind: str
    due_on: date
    rule: str
    source: str


@router.get("/reports/overdue", response=list[OrgsOverdueOut],
            summary="Organisations whose report on a year is past due (your scope)")
@paginate(Cursor)
def overdue(request: HttpRequest, year: Year, on: date | None = None) -> Any:
    on = on or timezone.localdate()
    dues = selectors.due_dates(year)
    out = []
    for o in selectors.overdue_reports(user=request.user, year=year, on=on)[:2000]:
        rule = selectors.report_rule(o)
        due = dues["filed"] if o.track == "filed" else (
            dues["foundation"] if o.kind == "foundation" else dues["registered"])
        out.append(OrgsOverdueOut(org_id=o.pk, name=o.name, kind=o.kind, due_on=due,
                                  rule=str(rule.label), source=rule.source()))
    return out


class OrgsComplaintIn(Schema):
    complainant_name: str
    summary: str
    phone: str = ""


class OrgsIdOut(Schema):
    id: int
    state: str


@router.post("/{int:org_id}/complaints", response={201: OrgsIdOut}, summary="Complain")
def complain(request: HttpRequest, org_id: int, payload: OrgsComplaintIn) -> Status[OrgsIdOut]:
    c = services.file_complaint(actor=request.user, org_id=org_id, **payload.dict())
    return Status(201, OrgsIdOut(id=c.pk, state=c.state))


@router.post("/complaints/{int:complaint_id}/steps/{action}", response=OrgsIdOut,
             summary="investigate, uphold, dismiss")
def complaint_step(request: HttpRequest, complaint_id: int, action: str,
                   payload: OrgsRemarksIn) -> OrgsIdOut:
    c = services.complaint_step(actor=request.user, complaint_id=complaint_id, action=action,
                                finding=payload.finding or payload.remarks)
    return OrgsIdOut(id=c.pk, state=c.state)


class OrgsPenaltyIn(Schema):
    violation: str
    kinds: list[str]
    facts: str
    fine_fen: int = 0
    suspend_until: date | None = None
    complaint_id: int | None = None
    inspection_id: int | None = None


@router.post("/{int:org_id}/penalties", response={201: OrgsIdOut}, summary="Propose a penalty")
def propose(request: HttpRequest, org_id: int, payload: OrgsPenaltyIn) -> Status[OrgsIdOut]:
    p = services.propose_penalty(actor=request.user, org_id=org_id, **payload.dict())
    return Status(201, OrgsIdOut(id=p.pk, state=p.state))


@router.post("/penalties/{int:penalty_id}/steps/{action}", response=OrgsIdOut,
             summary="decide, drop, lift, quash")
def penalty_step(request: HttpRequest, penalty_id: int, action: str) -> OrgsIdOut:
    p = services.penalty_step(actor=request.user, penalty_id=penalty_id, action=action)
    return OrgsIdOut(id=p.pk, state=p.state)


# ---------------------------------------------------------------- support


class OrgsGrantIn(Schema):
    programme_id: int
    org_id: int
    title: str
    category: str
    summary: str
    requested_fen: int


class OrgsGrantOut(Schema):
    id: int
    org_id: int
    title: str
    requested_fen: int
    awarded_fen: int
    paid_fen: int
    spent_fen: int
    state: str


def _grant(g: Any) -> OrgsGrantOut:
    return OrgsGrantOut(id=g.pk, org_id=g.org_id, title=g.title, requested_fen=g.requested_fen,
                        awarded_fen=g.awarded_fen, paid_fen=g.paid_fen, spent_fen=g.spent_fen,
                        state=g.state)


@router.post("/grants", response={201: OrgsGrantOut}, summary="Apply for a grant")
def apply_grant(request: HttpRequest, payload: OrgsGrantIn) -> Status[OrgsGrantOut]:
    return Status(201, _grant(services.apply_grant(actor=request.user, **payload.dict())))


class OrgsGrantStepIn(Schema):
    awarded_fen: int | None = None
    reasons: str = ""
    report: str = ""
    spent_fen: int | None = None


@router.post("/grants/{int:grant_id}/steps/{action}", response=OrgsGrantOut,
             summary="approve, reject, withdraw, report, close")
def grant_step(request: HttpRequest, grant_id: int, action: str,
               payload: OrgsGrantStepIn) -> OrgsGrantOut:
    return _grant(services.grant_step(actor=request.user, grant_id=grant_id, action=action,
                                      **payload.dict()))


class OrgsPaymentIn(Schema):
    amount_fen: int
    paid_on: date | None = None
    note: str = ""


@router.post("/grants/{int:grant_id}/payments", response={201: OrgsGrantOut},
             summary="Record a payment (fen)")
def pay(request: HttpRequest, grant_id: int, payload: OrgsPaymentIn) -> Status[OrgsGrantOut]:
    pay = services.pay_grant(actor=request.user, grant_id=grant_id, **payload.dict())
    return Status(201, _grant(pay.grant))


# ---------------------------------------------------------------- indicators


class OrgsIndicatorOut(Schema):
    area_code: str
    name: str
    year: int
    on: date
    population: int | None
    orgs: int
    filed: int
    registered: int
    founded: int
    ended: int
    per_10k: Decimal | None
    filed_share: Decimal | None


def _indicator(i: Any) -> OrgsIndicatorOut:
    return OrgsIndicatorOut(area_code=i.area_code, name=i.name, year=i.year, on=i.on,
                            population=i.population, orgs=i.orgs, filed=i.filed,
                            registered=i.registered, founded=i.founded, ended=i.ended,
                            per_10k=i.per_10k, filed_share=i.filed_share)


class OrgsIndicatorsOut(OrgsIndicatorOut):
    parts: list[OrgsIndicatorOut]


@router.get("/indicators", response=OrgsIndicatorsOut, auth=None,
            summary="Organisations per 10,000 residents and the share filed, by area and year")
def indicators(request: HttpRequest, area: str, year: Year | None = None) -> OrgsIndicatorsOut:
    year = year or timezone.localdate().year
    total = selectors.indicators(area, year)
    return OrgsIndicatorsOut(**_indicator(total).dict(),
                             parts=[_indicator(p) for p in
                                    selectors.indicators_by_part(area, year)])

