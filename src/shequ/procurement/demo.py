"""Jinjiang's purchase of services as demo data: the 2011 guidance catalogue (7 categories,
25 items), the district departments and street offices that buy, and about 80 projects
worth a little over 60 million yuan in 2011, continuing at a growing pace every year to
the present.

Past projects (every year before this one, and this year's early contracts) are archive
records, bulk-inserted with one audit entry per buyer and year (ADR 0907, as ADR 0403 and
0702 do for cases and annual reports). The projects a visitor acts on — open tenders the
demo organisation (``zuzhi``) can bid on, an evaluation under way, an award in its
standstill, contracts with milestones to deliver and accept, a finished and evaluated
contract, a draft, a cancelled tender — go through the services. Idempotent.
"""

from __future__ import annotations

import contextlib
import random
from collections import defaultdict
from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from shequ.areas.models import Area, Level
from shequ.audit.services import record
from shequ.authz import SYSTEM
from shequ.core.calendar import get_calendar
from shequ.core.errors import BusinessError
from shequ.orgs import facade as orgs
from shequ.procurement import services
from shequ.procurement.enums import AuditAction
from shequ.procurement.models import (
    Bid,
    BudgetLine,
    Buyer,
    BuyerKind,
    Catalogue,
    CatalogueItem,
    Contract,
    Criterion,
    Method,
    Milestone,
    Payment,
    Performance,
    Project,
    ProjectCounter,
    State,
)

DISTRICT = "510104"
FIRST_YEAR = 2011
PROJECTS_2011 = 80
SPEND_2011_FEN = 6_050_000_000  # "项目资金已达6千万余元"
GROWTH = 1.05  # projects per year
PRICE_GROWTH = 1.03
DEMO_ORG = "锦江社工服务中心"
LINE_TITLE = "政府购买社会组织服务"

CATALOGUE = [
    ("01", "社区养老服务", [("0101", "居家养老上门服务"), ("0102", "老年助餐服务"),
                      ("0103", "日间照料服务"), ("0104", "高龄独居老人关爱")]),
    ("02", "青少年与家庭服务", [("0201", "四点半课堂"), ("0202", "青少年成长辅导"),
                         ("0203", "家庭教育指导"), ("0204", "困境儿童关爱")]),
    ("03", "助残与社会救助服务", [("0301", "残疾人社区康复"), ("0302", "困难群众帮扶"),
                          ("0303", "社会救助对象关爱")]),
    ("04", "社区文化体育服务", [("0401", "社区文化活动组织"), ("0402", "全民健身指导"),
                         ("0403", "社区书屋运营")]),
    ("05", "社区治理与公共事务服务", [("0501", "院落自治辅导"), ("0502", "矛盾纠纷调解"),
                            ("0503", "居民议事与社区营造"), ("0504", "志愿服务组织")]),
    ("06", "公共卫生与健康服务", [("0601", "健康教育"), ("0602", "心理健康服务"),
                          ("0603", "慢性病健康管理")]),
    ("07", "专业支持与能力建设服务", [("0701", "社会组织孵化培育"), ("0702", "社会工作专业督导"),
                            ("0703", "第三方评估"), ("0704", "社区工作者培训")]),
]
DEPARTMENTS = ["锦江区民政局", "锦江区教育局", "锦江区卫生健康局", "锦江区文化体育和旅游局",
               "锦江区司法局"]
CRITERIA = [("服务方案", 50), ("团队与经验", 30), ("报价", 20)]
EVALUATORS = ["张明远", "李慧", "王建华", "刘晓燕", "陈国强"]
THIRD_PARTY = "成都市社会组织评估中心"


def load(stdout: Any = None) -> None:
    today = timezone.localdate()
    rng = random.Random(2011)
    items = _catalogue()
    buyers = _buyers()
    if not Project.objects.filter(year=FIRST_YEAR).exists():
        _history(rng, items, buyers, today)
    _live(items, buyers, today)
    if stdout is not None:
        stdout.write(f"procurement: {Project.objects.count()} projects, "
                     f"{Contract.objects.count()} contracts\n")


# -- catalogue and buyers -------------------------------------------------------------


def _catalogue() -> list[CatalogueItem]:
    if not Catalogue.objects.filter(version="2011").exists():
        services.publish_catalogue(
            actor=SYSTEM, version="2011", title="锦江区政府向社会组织购买服务指导性目录",
            categories=[(c, n, [(i, name, "") for i, name in its]) for c, n, its in CATALOGUE],
            area_code=DISTRICT, on=date(2011, 1, 10))
    return list(CatalogueItem.objects.filter(category__catalogue__version="2011")
                .order_by("code"))


def _buyers() -> list[Buyer]:
    for name in DEPARTMENTS:
        services.save_buyer(actor=SYSTEM, name=name, kind=BuyerKind.DEPARTMENT,
                            area_code=DISTRICT)
    for street in Area.objects.filter(level=Level.STREET, code__startswith=DISTRICT,
                                      valid_to__isnull=True).order_by("code"):
        services.save_buyer(actor=SYSTEM, name=f"{street.name}办事处", kind=BuyerKind.STREET,
                            area_code=street.code)
    return list(Buyer.objects.order_by("pk"))


# -- history (archive records) --------------------------------------------------------


def _count(year: int) -> int:
    return round(PROJECTS_2011 * GROWTH ** (year - FIRST_YEAR))


def _history(rng: random.Random, items: list[CatalogueItem], buyers: list[Buyer],
             today: date) -> None:
    """Every year from 2011 to this one: projects awarded, contracted and paid; finished
    ones evaluated. This year's are under contract."""
    cal = get_calendar()
    for year in range(FIRST_YEAR, today.year + 1):
        n = _count(year)
        if year == today.year:
            n = max(0, n * (today.timetuple().tm_yday - 60) // 365)
        budgets = [rng.lognormvariate(0, 0.6) for _ in range(n)]
        target = SPEND_2011_FEN * (n / PROJECTS_2011) * PRICE_GROWTH ** (year - FIRST_YEAR)
        scale = target / (sum(budgets) * 0.95) if budgets else 0
        plan = []
        for weight in budgets:
            budget = max(10_000_000, min(300_000_000, round(weight * scale / 100_000) * 100_000))
            plan.append((rng.choice(buyers), rng.choice(items), budget))
        _insert_year(rng, cal, year, plan, today)


def _insert_year(rng: random.Random, cal: Any, year: int,
                 plan: list[tuple[Buyer, CatalogueItem, int]], today: date) -> None:
    with transaction.atomic():
        lines: dict[int, BudgetLine] = {}
        spend: dict[int, int] = defaultdict(int)
        for buyer, _item, budget in plan:
            spend[buyer.pk] += budget
        for buyer_id, total in spend.items():
            buyer = next(b for b, _i, _b in plan if b.pk == buyer_id)
            lines[buyer_id] = BudgetLine.objects.create(
                buyer=buyer, year=year, title=LINE_TITLE, area_code=buyer.area_code,
                amount_fen=-(-total * 11 // 10 // 1_000_000) * 1_000_000)
        counter, _c = ProjectCounter.objects.get_or_create(year=year)
        committed: dict[int, int] = defaultdict(int)
        per_buyer: dict[int, int] = defaultdict(int)
        for buyer, item, budget in plan:
            counter.last += 1
            per_buyer[buyer.pk] += 1
            price = _one(rng, cal, year, counter.last, buyer, item, budget, lines[buyer.pk], today)
            committed[buyer.pk] += price
        counter.save(update_fields=["last"])
        for buyer_id, line in lines.items():
            line.committed_fen = committed[buyer_id]
            line.save(update_fields=["committed_fen"])
            record(actor=SYSTEM, action=AuditAction.DEMO_LOAD, obj=line, area_code=line.area_code,
                   changes={"year": year, "projects": per_buyer[buyer_id],
                            "archive": True, "committed_fen": line.committed_fen})


def _one(rng: random.Random, cal: Any, year: int, seq: int, buyer: Buyer, item: CatalogueItem,
         budget: int, line: BudgetLine, today: date) -> int:
    created = date(year, 1, 5) + timedelta(days=rng.randint(0, 120))
    pool = orgs.legal_persons(founded_by=created - timedelta(days=365))
    method = rng.choices([Method.OPEN, Method.NEGOTIATION, Method.SINGLE, Method.INQUIRY],
                         [60, 25, 10, 5])[0]
    if len(pool) < 3:
        method = Method.SINGLE
    reason = {Method.OPEN: "", Method.NEGOTIATION: "服务需求难以事先确定详细规格",
              Method.SINGLE: "须保证原有服务项目的一致性和服务配套",
              Method.INQUIRY: "服务标准统一、价格变化幅度小"}[method]
    published = created + timedelta(days=3)
    deadline = published + timedelta(days=rng.randint(21, 30)) if method == Method.OPEN \
        else cal.add(published, 6)
    closed = deadline + timedelta(days=1)
    awarded = cal.add(closed, 2)
    standstill = cal.add(awarded, 7)
    signed = standstill + timedelta(days=rng.randint(1, 10))
    starts = signed + timedelta(days=5)
    ends = date(starts.year + 1, starts.month, 1) - timedelta(days=1)
    bidders = rng.sample(pool, 1 if method == Method.SINGLE else min(len(pool), rng.choice((3, 3, 4))))
    title = f"{buyer.name.removeprefix('锦江区')}{item.name}项目（{year}年）"
    project = Project.objects.create(
        number=f"JJ{year}-{seq:04d}", title=title, buyer=buyer, budget_line=line, item=item,
        area_code=buyer.area_code, year=year, method=method, method_reason=reason,
        budget_fen=budget, created_on=created, published_on=published, bid_deadline=deadline,
        closed_on=closed, awarded_on=awarded, standstill_until=standstill,
        state=State.CONTRACTED, single_supplier_id=bidders[0] if method == Method.SINGLE else None,
        description=f"{item.category.name}：{item.name}。")
    if method != Method.SINGLE:
        Criterion.objects.bulk_create(Criterion(project=project, seq=i, name=n, weight=w)
                                      for i, (n, w) in enumerate(CRITERIA, 1))
    bids = []
    for rank, org_id in enumerate(bidders, 1):
        price = budget * rng.randint(90, 99) // 100 // 100 * 100
        score = Decimal(rng.randint(850, 950) - rank * 60) / 10
        bids.append(Bid(project=project, org_id=org_id, price_fen=price, submitted_on=deadline
                        - timedelta(days=rng.randint(1, 6)), state="won" if rank == 1 else "lost",
                        eligibility={"source": "archive"}, score=score, rank=rank,
                        area_code=buyer.area_code))
    Bid.objects.bulk_create(bids)
    won = bids[0]
    contract = Contract.objects.create(
        project=project, org_id=won.org_id, bid=won, area_code=buyer.area_code,
        value_fen=won.price_fen, original_value_fen=won.price_fen, signed_on=signed,
        starts_on=starts, ends_on=ends)
    half = won.price_fen // 2
    mid = starts + timedelta(days=182)
    milestones = Milestone.objects.bulk_create([
        Milestone(contract=contract, seq=1, title="中期", deliverable="服务台账与中期报告",
                  due_on=mid, amount_fen=half, area_code=buyer.area_code),
        Milestone(contract=contract, seq=2, title="结项", deliverable="服务台账与结项报告",
                  due_on=ends, amount_fen=won.price_fen - half, area_code=buyer.area_code)])
    paid = 0
    for m in milestones:
        pay_on = m.due_on + timedelta(days=10)
        if pay_on > today:
            continue
        Milestone.objects.filter(pk=m.pk).update(state="accepted", delivered_on=m.due_on,
                                                  accepted_on=m.due_on + timedelta(days=5),
                                                  delivery_note="按合同交付。")
        Payment.objects.create(contract=contract, milestone=m, amount_fen=m.amount_fen,
                               paid_on=pay_on, area_code=buyer.area_code)
        paid += m.amount_fen
    if ends + timedelta(days=40) <= today and paid == won.price_fen:
        Contract.objects.filter(pk=contract.pk).update(state="completed", ended_on=ends,
                                                       paid_fen=paid)
        Project.objects.filter(pk=project.pk).update(state=State.COMPLETED)
        third = rng.random() < 0.6
        Performance.objects.create(
            contract=contract, evaluated_by="third_party" if third else "buyer",
            evaluator_name=THIRD_PARTY if third else buyer.name,
            score=rng.choices([rng.randint(90, 98), rng.randint(80, 89), rng.randint(62, 79)],
                              [35, 50, 15])[0],
            on=ends + timedelta(days=30), area_code=buyer.area_code)
    else:
        Contract.objects.filter(pk=contract.pk).update(paid_fen=paid)
    return won.price_fen


# -- live projects, through the services ------------------------------------------------


def _quietly(step: Callable[[], Any]) -> None:
    """A live scenario that cannot run today (e.g. a calendar year nobody entered) stops
    at the first refusal; each service is its own transaction, so what was done before
    stays consistent (a project left open for bids, say)."""
    with contextlib.suppress(BusinessError):
        step()


def _eligible(today: date) -> list[int]:
    pool = orgs.legal_persons(founded_by=today - timedelta(days=400))
    facts = orgs.eligibility_many(pool, on=today, years=3)
    return [i for i in pool if facts[i].good_standing]


def _live(items: list[CatalogueItem], buyers: list[Buyer], today: date) -> None:
    street = next((b for b in buyers if b.area_code == "510104022"), buyers[-1])
    bureau = next(b for b in buyers if b.name == "锦江区民政局")
    if Project.objects.filter(year=today.year, title__startswith="【示范】").exists():
        return
    eligible = _eligible(today)
    demo_org = orgs.org_named(DEMO_ORG)
    others = [i for i in eligible if i != demo_org]
    if len(others) < 4:
        return
    by_code = {i.code: i for i in items}
    lines = {b.pk: _line(b, today.year) for b in (street, bureau)}
    cal = get_calendar()

    def project(buyer: Buyer, code: str, title: str, budget: int, created: date,
                method: str = Method.OPEN, **kw: Any) -> Project:
        p = services.create_project(actor=SYSTEM, budget_line_id=lines[buyer.pk].pk,
                                    item_id=by_code[code].pk, title=f"【示范】{title}",
                                    method=method, budget_fen=budget, on=created,
                                    description=f"{by_code[code].category.name}：{by_code[code].name}。",
                                    **kw)
        if method != Method.SINGLE:
            services.set_criteria(actor=SYSTEM, number=p.number, criteria=CRITERIA)
        return p

    def tender(p: Project, published: date, deadline: date, bidders: list[int]) -> None:
        services.publish(actor=SYSTEM, number=p.number, bid_deadline=deadline, on=published)
        for i, org_id in enumerate(bidders):
            services.submit_bid(actor=SYSTEM, number=p.number, org_id=org_id,
                                price_fen=p.budget_fen * (96 - 2 * i) // 100,
                                proposal="按采购需求提供服务，配备专职社工。",
                                on=published + timedelta(days=1 + i))

    def evaluate(p: Project, closed: date, complete: bool = True) -> None:
        services.close(actor=SYSTEM, number=p.number, on=closed)
        if p.method == Method.SINGLE:
            return
        members = [services.add_evaluator(actor=SYSTEM, number=p.number, name=n,
                                          kind="buyer" if i == 4 else "expert")
                   for i, n in enumerate(EVALUATORS)]
        for m in members:
            services.declare_interest(actor=SYSTEM, evaluator_id=m.pk, on=closed)
        criteria = list(p.criteria.all())
        bids = list(p.bids.order_by("pk"))
        for k, m in enumerate(members if complete else members[:3]):
            for j, bid in enumerate(bids):
                services.enter_scores(actor=SYSTEM, number=p.number, evaluator_id=m.pk,
                                      bid_id=bid.pk,
                                      points={c.pk: 92 - 6 * j - k for c in criteria})

    def contract(p: Project, awarded: date, starts: date, ends: date) -> Contract:
        services.award(actor=SYSTEM, number=p.number, on=awarded)
        p.refresh_from_db()
        assert p.standstill_until is not None
        price = p.bids.get(state="won").price_fen
        half = price // 2
        mid = starts + (ends - starts) // 2
        return services.sign_contract(
            actor=SYSTEM, number=p.number, starts_on=starts, ends_on=ends,
            on=p.standstill_until + timedelta(days=1),
            milestones=[("中期", "服务台账与中期报告", mid, half),
                        ("结项", "服务台账、结项报告与服务对象满意度调查", ends, price - half)])

    mine = [demo_org] if demo_org in eligible else []

    def finished() -> None:
        created = today - timedelta(days=330)
        p = project(bureau, "0702", "社区社会工作专业督导", 48_000_000, created)
        tender(p, created + timedelta(days=2), created + timedelta(days=26), others[:3])
        evaluate(p, created + timedelta(days=27))
        c = contract(p, cal.add(created + timedelta(days=27), 2), created + timedelta(days=50),
                     today - timedelta(days=45))
        for m in c.milestones.all():
            services.deliver(actor=SYSTEM, contract_id=c.pk, milestone_id=m.pk,
                             note="督导 24 次，覆盖社区 12 个。", on=m.due_on)
            services.accept(actor=SYSTEM, contract_id=c.pk, milestone_id=m.pk,
                            on=m.due_on + timedelta(days=3))
            services.pay(actor=SYSTEM, contract_id=c.pk, milestone_id=m.pk,
                         amount_fen=m.amount_fen, on=m.due_on + timedelta(days=8))
        services.complete(actor=SYSTEM, contract_id=c.pk, on=today - timedelta(days=30))
        services.evaluate_performance(actor=SYSTEM, contract_id=c.pk, score=91,
                                      evaluated_by="third_party", evaluator_name=THIRD_PARTY,
                                      summary="服务目标全部完成，服务对象满意度 96%。",
                                      on=today - timedelta(days=10))

    def delivering() -> None:
        created = today - timedelta(days=200)
        p = project(street, "0101", "春熙路街道居家养老上门服务", 36_000_000, created)
        tender(p, created + timedelta(days=2), created + timedelta(days=25), mine + others[3:5])
        evaluate(p, created + timedelta(days=26))
        c = contract(p, cal.add(created + timedelta(days=26), 2), created + timedelta(days=45),
                     created + timedelta(days=45 + 364))
        first = c.milestones.get(seq=1)
        if first.due_on <= today:
            services.deliver(actor=SYSTEM, contract_id=c.pk, milestone_id=first.pk,
                             note="上门服务老人 186 户，累计 3,920 人次。", on=first.due_on)

    def awarded() -> None:
        created = today - timedelta(days=40)
        p = project(street, "0201", "春熙路街道四点半课堂", 12_000_000, created)
        tender(p, created + timedelta(days=1), created + timedelta(days=22), others[5:8])
        closed = created + timedelta(days=23)
        evaluate(p, closed)
        services.award(actor=SYSTEM, number=p.number, on=min(today, cal.add(closed, 5)))

    def evaluating() -> None:
        created = today - timedelta(days=30)
        p = project(bureau, "0602", "社区心理健康服务", 20_000_000, created,
                    method=Method.NEGOTIATION, method_reason="服务需求难以事先确定详细规格")
        tender(p, created + timedelta(days=1), cal.add(created + timedelta(days=1), 5),
               others[8:11])
        evaluate(p, cal.add(created + timedelta(days=1), 5) + timedelta(days=1), complete=False)

    def open_tenders() -> None:
        p = project(street, "0503", "春熙路街道居民议事与社区营造", 18_000_000,
                    today - timedelta(days=9))
        tender(p, today - timedelta(days=8), today + timedelta(days=20), others[11:13])
        services.ask(actor=SYSTEM, number=p.number, org_id=others[11],
                     question="服务范围是否包括商业楼宇？", on=today - timedelta(days=6))
        p2 = project(bureau, "0103", "社区日间照料服务", 26_000_000, today - timedelta(days=4))
        tender(p2, today - timedelta(days=3), today + timedelta(days=25), [])

    def cancelled() -> None:
        created = today - timedelta(days=70)
        p = project(street, "0402", "春熙路街道全民健身指导", 6_000_000, created)
        tender(p, created + timedelta(days=1), created + timedelta(days=22), others[13:15])
        services.cancel(actor=SYSTEM, number=p.number, reason="too_few",
                        on=created + timedelta(days=23))

    def draft() -> None:
        project(street, "0504", "春熙路街道志愿服务组织", 8_000_000, today - timedelta(days=1))

    for scenario in (finished, delivering, awarded, evaluating, open_tenders, cancelled, draft):
        _quietly(scenario)


def _line(buyer: Buyer, year: int) -> BudgetLine:
    line = BudgetLine.objects.filter(buyer=buyer, year=year, title=LINE_TITLE).first()
    extra = 200_000_000
    if line is None:
        return services.save_budget_line(actor=SYSTEM, buyer_id=buyer.pk, year=year,
                                         title=LINE_TITLE, amount_fen=extra)
    return services.save_budget_line(actor=SYSTEM, buyer_id=buyer.pk, year=year,
                                     title=LINE_TITLE, amount_fen=line.amount_fen + extra,
                                     line_id=line.pk)
