"""``/api/v1/procurement``: published projects and their OCDS records (public), budget
lines, projects and their steps, bids, payments, spending. Thin: schema in, service or
selector, schema out."""

from datetime import date
from typing import Any

from django.http import HttpRequest
from ninja import Field, FilterSchema, Query, Router, Schema, Status
from ninja.pagination import paginate

from shequ import authz
from shequ.core.errors import BusinessError
from shequ.core.pagination import Cursor
from shequ.procurement import ocds, selectors, services
from shequ.procurement.enums import Code, Perm
from shequ.procurement.models import BudgetLine, Contract, Payment, Project

router = Router()


class ProcurementProjectOut(Schema):
    number: str
    ocid: str
    title: str
    buyer: str
    item_code: str
    item: str
    year: int
    method: str
    budget_fen: int
    state: str
    published_on: date | None
    bid_deadline: date | None
    awarded_on: date | None

    @staticmethod
    def resolve_buyer(p: Project) -> str:
        return p.buyer.name

    @staticmethod
    def resolve_item_code(p: Project) -> str:
        return p.item.code

    @staticmethod
    def resolve_item(p: Project) -> str:
        return p.item.name

    @staticmethod
    def of(p: Project) -> "ProcurementProjectOut":
        return ProcurementProjectOut.from_orm(p)


class ProcurementProjectFilter(FilterSchema):
    year: int | None = Field(None, description="budget year")
    state: str | None = Field(None, description="tendering, evaluating, awarded, …")


@router.get("", response=list[ProcurementProjectOut], auth=None,
            summary="Published purchase projects")
@paginate(Cursor)
def projects(request: HttpRequest, filters: Query[ProcurementProjectFilter]) -> Any:
    return selectors.public_projects(year=filters.year, state=filters.state or "")


@router.get("/{number}/ocds", response=dict[str, Any], auth=None,
            summary="The project's OCDS 1.1 record (releases and compiled release)")
def record(request: HttpRequest, number: str) -> Any:
    return ocds.project_record(selectors.public_project(number))


class ProcurementBudgetLineIn(Schema):
    buyer_id: int
    year: int
    title: str
    amount_fen: int


class ProcurementBudgetLineOut(Schema):
    id: int
    buyer: str
    year: int
    title: str
    amount_fen: int
    committed_fen: int

    @staticmethod
    def of(line: BudgetLine) -> "ProcurementBudgetLineOut":
        return ProcurementBudgetLineOut(id=line.pk, buyer=line.buyer.name, year=line.year,
                                        title=line.title, amount_fen=line.amount_fen,
                                        committed_fen=line.committed_fen)


@router.get("/budgets", response=list[ProcurementBudgetLineOut], summary="Budget lines")
@paginate(Cursor)
def budgets(request: HttpRequest, year: int | None = None) -> Any:
    authz.check(request.user, Perm.BUDGET)
    return selectors.budget_lines(user=request.user, year=year)


@router.post("/budgets", response={201: ProcurementBudgetLineOut}, summary="Open a budget line")
def open_budget(request: HttpRequest, payload: ProcurementBudgetLineIn) -> Any:
    line = services.save_budget_line(actor=request.user, **payload.dict())
    return Status(201, ProcurementBudgetLineOut.of(line))


class ProcurementProjectIn(Schema):
    budget_line_id: int
    item_id: int
    title: str
    method: str = "open"
    budget_fen: int
    method_reason: str = ""
    description: str = ""
    single_supplier_id: int | None = None
    legal_person_only: bool = True
    min_grade: int | None = None


@router.post("/projects", response={201: ProcurementProjectOut},
             summary="Create a draft project from a catalogue item and a budget line")
def create(request: HttpRequest, payload: ProcurementProjectIn) -> Any:
    return Status(201, ProcurementProjectOut.of(
        services.create_project(actor=request.user, **payload.dict())))


class ProcurementCriterionIn(Schema):
    name: str
    weight: int


@router.put("/projects/{number}/criteria", response=ProcurementProjectOut,
            summary="The weighted evaluation criteria (adding up to 100)")
def criteria(request: HttpRequest, number: str,
             payload: list[ProcurementCriterionIn]) -> Any:
    return ProcurementProjectOut.of(services.set_criteria(
        actor=request.user, number=number, criteria=[(c.name, c.weight) for c in payload]))


class ProcurementStepIn(Schema):
    bid_deadline: date | None = Field(None, description="publish: the bid deadline")
    reason: str = Field("", description="cancel: too_few, irregular, over_budget, withdrawn")


@router.post("/projects/{number}/steps/{action}", response=ProcurementProjectOut,
             summary="publish, close, award or cancel")
def step(request: HttpRequest, number: str, action: str, payload: ProcurementStepIn) -> Any:
    user = request.user
    if action == "publish":
        if payload.bid_deadline is None:
            raise BusinessError("bid_deadline is required", code=Code.BAD_DATE)
        project = services.publish(actor=user, number=number, bid_deadline=payload.bid_deadline)
    elif action == "close":
        project = services.close(actor=user, number=number)
    elif action == "award":
        project = services.award(actor=user, number=number)
    elif action == "cancel":
        project = services.cancel(actor=user, number=number, reason=payload.reason)
    else:
        raise BusinessError("unknown step", code="unknown_action", status=404)
    return ProcurementProjectOut.of(selectors.project(user=user, number=project.number))


class ProcurementBidIn(Schema):
    org_id: int
    price_fen: int
    proposal: str = ""


class ProcurementBidOut(Schema):
    id: int
    project: str
    org_id: int
    price_fen: int
    state: str
    submitted_on: date


@router.post("/{number}/bids", response={201: ProcurementBidOut},
             summary="An organisation's bid (its own user)")
def bid(request: HttpRequest, number: str, payload: ProcurementBidIn) -> Any:
    b = services.submit_bid(actor=request.user, number=number, **payload.dict())
    return Status(201, ProcurementBidOut(id=b.pk, project=number, org_id=b.org_id,
                                         price_fen=b.price_fen, state=b.state,
                                         submitted_on=b.submitted_on))


class ProcurementPaymentIn(Schema):
    milestone_id: int
    amount_fen: int


class ProcurementPaymentOut(Schema):
    id: int
    contract_id: int
    amount_fen: int
    paid_on: date
    paid_fen: int


@router.post("/contracts/{int:contract_id}/payments", response={201: ProcurementPaymentOut},
             summary="A payment against an accepted milestone")
def pay(request: HttpRequest, contract_id: int, payload: ProcurementPaymentIn) -> Any:
    p: Payment = services.pay(actor=request.user, contract_id=contract_id, **payload.dict())
    paid = Contract.objects.values_list("paid_fen", flat=True).get(pk=contract_id)
    return Status(201, ProcurementPaymentOut(id=p.pk, contract_id=contract_id,
                                             amount_fen=p.amount_fen, paid_on=p.paid_on,
                                             paid_fen=paid))


class ProcurementSpendingOut(Schema):
    key: str
    label: str
    contracts: int
    value_fen: int
    paid_fen: int


@router.get("/spending", response=list[ProcurementSpendingOut],
            summary="Contract value by year, category, buyer or supplier")
def spending(request: HttpRequest, by: str = "year", year: int | None = None) -> Any:
    authz.check(request.user, Perm.STATS)
    if by not in ("year", "category", "buyer", "supplier"):
        raise BusinessError("by: year, category, buyer or supplier", code="bad_dimension")
    return [ProcurementSpendingOut(**f.__dict__)
            for f in selectors.spending(by=by, user=request.user, year=year)]


@router.get("/{number}", response=ProcurementProjectOut, auth=None,
            summary="A published project")
def detail(request: HttpRequest, number: str) -> Any:
    return ProcurementProjectOut.of(selectors.public_project(number))
