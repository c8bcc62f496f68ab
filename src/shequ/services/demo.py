"""Demo data: a catalogue of delegated items for Jinjiang's streets and stations, and
about a year of cases (on time, late, pending, rejected, withdrawn, overdue). Idempotent.

The catalogue is published through the services (audited). The year of history is
bulk-inserted (about 3,000 cases, numbered gaplessly per street and year like real ones,
one audit entry per street saying so) to keep ``shequ demo`` quick; the demo resident's
own applications go through the services, so every step, notification and audit entry is
real. Then the clock sweep runs once.
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone

from shequ.accounts import facade as accounts
from shequ.areas.models import Area, Level, ServiceStation
from shequ.audit.services import record
from shequ.authz import SYSTEM
from shequ.core import crypto
from shequ.core.calendar import CalendarYearUnknown, WorkdayCalendar, get_calendar
from shequ.core.errors import BusinessError
from shequ.rules import Profile
from shequ.services import rollups, rules, services, sla
from shequ.services.enums import AuditAction
from shequ.services.models import (
    PHONE_CONTEXT,
    Action,
    Case,
    CaseCounter,
    CaseEvent,
    Channel,
    ItemVersion,
    ServiceItem,
    State,
)

DISTRICT = "510104"
SH = ZoneInfo("Asia/Shanghai")
CASES_PER_STREET = 270
SEED = 4_2015

PUBLIC, SOCIAL_MGMT, SOCIAL_SVC, ENFORCE = ("公共服务办公室", "社会管理办公室", "社会事务办公室",
                                            "综合执法办公室")
CATEGORY = {PUBLIC: "public_service", SOCIAL_MGMT: "social_management",
            SOCIAL_SVC: "social_service", ENFORCE: "enforcement"}
# the street duty each office's items belong to: in each street the department holding it
# (of the same category if several do) handles the case (ADR 1003)
DUTY = {PUBLIC: "public_service", SOCIAL_MGMT: "public_order", SOCIAL_SVC: "public_service",
        ENFORCE: "urban_management"}
ID = {"code": "id", "name": "居民身份证"}
HUKOU = {"code": "hukou", "name": "户口簿"}
LOCAL_PERIOD = "锦江区政务服务事项办事指南（本地期限，法定依据未规定期限，未核对原文）"
# (code, name, legal basis, level, mode, department, statutory, promised, materials, fee fen,
#  what the law says about the item: kind, who decides, delegation, periods; ADR 0407)
CATALOGUE: list[tuple[str, str, str, str, str, str, int, int, list[dict[str, str]], int,
                      dict[str, Any]]] = [
    ("JJ-SF-001", "最低生活保障申请", "《社会救助暂行办法》第十一条", "street", "front_desk",
     SOCIAL_SVC, 25, 15, [ID, HUKOU, {"code": "income", "name": "家庭收入情况声明"},
                          {"code": "consent", "name": "家庭经济状况核对授权书"}], 0,
     {"kind": "benefit", "decided_by": "district", "extension_days": 15,
      "period_basis": "《最低生活保障审核确认办法》（民发〔2021〕57号）：自受理之日起25个工作日内"
                      "完成，特殊情况可延长至40个工作日（未核对原文）"}),
    ("JJ-SF-002", "临时救助申请", "《社会救助暂行办法》第四十八条", "street", "entrusted",
     SOCIAL_SVC, 20, 5, [ID, {"code": "proof", "name": "困难情况证明材料"}], 0,
     {"kind": "benefit", "delegation_rank": "admin_regulation",
      "delegation_basis": "《社会救助暂行办法》第四十八条：救助金额较小的，县级人民政府民政部门"
                          "可以委托乡镇人民政府、街道办事处审批", "period_basis": LOCAL_PERIOD}),
    ("JJ-SF-003", "困难残疾人生活补贴和重度残疾人护理补贴申请",
     "《国务院关于全面建立困难残疾人生活补贴和重度残疾人护理补贴制度的意见》(国发〔2015〕52号)",
     "station", "front_desk", SOCIAL_SVC, 20, 10,
     [ID, {"code": "disability", "name": "残疾人证"}], 0,
     {"kind": "benefit", "decided_by": "district", "period_basis": LOCAL_PERIOD}),
    ("JJ-SF-004", "高龄津贴申领", "《四川省老年人权益保障条例》第二十四条", "station",
     "front_desk", SOCIAL_SVC, 20, 10, [ID, HUKOU, {"code": "bank", "name": "银行卡(折)"}], 0,
     {"kind": "benefit", "decided_by": "district", "period_basis": LOCAL_PERIOD}),
    ("JJ-GF-001", "居住证申领", "《居住证暂行条例》第九条、第十条", "station", "front_desk",
     PUBLIC, 15, 7, [ID, {"code": "photo", "name": "近期免冠照片"},
                     {"code": "residence", "name": "居住证明(租赁合同或房产证明)"}], 0,
     {"kind": "confirmation", "decided_by": "district",
      "period_basis": "《居住证暂行条例》第九条：公安机关应当自受理之日起15日内制作发放居住证"}),
    ("JJ-GF-002", "城乡居民基本养老保险参保登记", "《中华人民共和国社会保险法》第二十二条",
     "station", "front_desk", PUBLIC, 20, 5, [ID, HUKOU], 0,
     {"kind": "registration", "decided_by": "district", "period_basis": LOCAL_PERIOD}),
    ("JJ-GF-003", "城乡居民基本医疗保险参保登记", "《中华人民共和国社会保险法》第二十五条",
     "station", "front_desk", PUBLIC, 20, 5, [ID, HUKOU], 0,
     {"kind": "registration", "decided_by": "district", "period_basis": LOCAL_PERIOD}),
    ("JJ-GF-004", "就业困难人员认定", "《中华人民共和国就业促进法》第五十二条", "street",
     "front_desk", PUBLIC, 20, 10, [ID, {"code": "unemployed", "name": "就业失业登记证"}], 0,
     {"kind": "confirmation", "decided_by": "district", "period_basis": LOCAL_PERIOD}),
    ("JJ-GF-005", "生育登记服务", "《四川省人口与计划生育条例》第二十二条", "station",
     "front_desk", PUBLIC, 20, 3, [ID, {"code": "marriage", "name": "结婚证"}], 0,
     {"kind": "registration", "decided_by": "street", "period_basis": LOCAL_PERIOD}),
    ("JJ-SG-001", "犬只登记", "《成都市养犬管理条例》第十五条", "street", "entrusted",
     SOCIAL_MGMT, 20, 10, [ID, {"code": "vaccine", "name": "狂犬病免疫证明"}], 0,
     {"kind": "registration", "delegation_rank": "local_regulation",
      "delegation_basis": "《成都市养犬管理条例》（委托条款未核对原文）",
      "period_basis": LOCAL_PERIOD}),
    ("JJ-ZF-001", "户外广告设施设置许可", "《城市市容和环境卫生管理条例》第十一条",
     "district", "district_online", ENFORCE, 20, 15,
     [{"code": "licence", "name": "营业执照"}, {"code": "design", "name": "设计效果图"},
      {"code": "safety", "name": "安全承诺书"}], 0, {"kind": "licence"}),
    ("JJ-ZF-002", "临时占用城市道路许可", "《城市道路管理条例》第三十一条", "district",
     "district_online", ENFORCE, 20, 10,
     [{"code": "licence", "name": "营业执照或身份证明"}, {"code": "plan", "name": "占道平面示意图"}],
     0, {"kind": "licence"}),
]
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"
GIVEN = ["伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛",
         "明", "超", "秀英", "桂兰", "建华", "志强", "晓燕"]


def load(stdout: Any = None) -> None:
    # the memo of handling departments is one load's: ids remembered from an earlier load
    # in this process (a rolled-back test, another database) may no longer exist
    _DEPARTMENTS.clear()
    _catalogue()
    _heads()
    made = _history()
    if made:  # bulk-loaded history bypasses the writers: count it into the statistics
        rollups.rebuild()
    _demo_resident()
    result = services.sweep(actor=SYSTEM)
    if stdout is not None:
        stdout.write(f"services: {ServiceItem.objects.count()} items, {Case.objects.count()} cases "
                     f"({made} new); sweep {result.as_dict()}")


def _catalogue() -> None:
    for (code, name, basis, level, mode, dept, statutory, promised, materials, fee,
         law) in CATALOGUE:
        if ServiceItem.objects.filter(code=code).exists():
            continue
        services.publish_item(actor=SYSTEM, code=code, area_code=DISTRICT, name=name,
                              legal_basis=basis, handler_level=level, delegation_mode=mode,
                              department=dept, department_category=CATEGORY[dept],
                              handling_duty=DUTY[dept],
                              statutory_days=statutory, promised_days=promised,
                              materials=materials, fee_fen=fee, **law)


def _heads() -> None:
    """The demo street officer is also the street office's deputy head (副主任, one of the
    office's 负责人), so the eight demo users can approve an extension (ADR 0407)."""
    if accounts.User.objects.filter(username="jiedao").exists() and not services.heads_of(
            "510104022"):
        services.designate_head(actor=SYSTEM, username="jiedao", area_code="510104022",
                                title="春熙路街道办事处副主任", since=date(2025, 1, 1))


def _at(day: date, rng: random.Random) -> datetime:
    return datetime.combine(day, time(rng.randint(9, 16), rng.randint(0, 59)), tzinfo=SH)


def _history() -> int:
    if Case.objects.filter(idempotency_scope="demo").exists():
        return 0
    rng = random.Random(SEED)
    cal = get_calendar()
    profile = rules.profile(DISTRICT)
    today = timezone.localdate()
    items = list(ServiceItem.objects.select_related("current", "current__handling_duty")
                 .order_by("code"))
    streets = list(Area.objects.filter(code__startswith=DISTRICT, level=Level.STREET,
                                       valid_to__isnull=True).order_by("code"))
    made = 0
    for street in streets:
        communities = list(Area.objects.filter(parent=street, level=Level.COMMUNITY,
                                               valid_to__isnull=True).values_list("code", flat=True))
        stations = list(ServiceStation.objects.filter(area_code__startswith=street.code))
        if not communities:
            continue
        planned = []
        for n in range(CASES_PER_STREET):
            received = today - timedelta(days=rng.randint(0, 365))
            while not cal.is_workday(received):
                received -= timedelta(days=1)
            planned.append((received, n))
        planned.sort()
        with transaction.atomic():
            cases, events = [], []
            counters: dict[int, int] = {}
            for received, n in planned:
                case, case_events = _one(rng, cal, profile, today, street.code, communities,
                                         stations, items, received, n)
                year = received.year
                if year not in counters:
                    counter, _c = CaseCounter.objects.get_or_create(street_code=street.code,
                                                                    year=year)
                    counters[year] = counter.last
                counters[year] += 1
                case.year, case.seq = year, counters[year]
                case.number = f"{street.code}-{year}-{case.seq:06d}"
                cases.append(case)
                events.append(case_events)
            Case.objects.bulk_create(cases)
            saved = {c.idempotency_key: c for c in Case.objects.filter(
                street_code=street.code, idempotency_key__startswith="demo-")}
            batch = []
            for case, case_events in zip(cases, events, strict=True):
                real = saved[case.idempotency_key]
                for ev in case_events:
                    ev.case = real
                    batch.append(ev)
            CaseEvent.objects.bulk_create(batch)
            for year, last in counters.items():
                CaseCounter.objects.filter(street_code=street.code, year=year).update(last=last)
            record(actor=SYSTEM, action=AuditAction.DEMO_LOAD, area_code=street.code,
                   object_type="services.case", changes={"cases": len(cases)})
            made += len(cases)
    return made


_DEPARTMENTS: dict[tuple[int, str], int | None] = {}


def _department(version: ItemVersion, street: str) -> int | None:
    """The handling department of a demo case, as a submission resolves it (memoised)."""
    key = (version.pk, street)
    if key not in _DEPARTMENTS:
        _DEPARTMENTS[key] = services.handling_department_id(version, street)
    return _DEPARTMENTS[key]


def _one(rng: random.Random, cal: WorkdayCalendar, profile: Profile, today: date, street: str,
         communities: list[str], stations: list[ServiceStation], items: list[ServiceItem],
         received: date, n: int) -> tuple[Case, list[CaseEvent]]:
    item = rng.choice(items)
    v = item.current
    assert v is not None
    desk = rng.random() < 0.6 and bool(stations)
    phone = f"13{rng.randint(0, 9)}{rng.randint(10_000_000, 99_999_999)}"
    case = Case(street_code=street, area_code=rng.choice(communities), item=item, version=v,
                department_id=_department(v, street), channel=Channel.DESK if desk else Channel.ONLINE,
                station=rng.choice(stations) if desk else None,
                applicant_name=rng.choice(SURNAMES) + rng.choice(GIVEN),
                phone_cipher=crypto.seal(phone, context=PHONE_CONTEXT), phone_last4=phone[-4:],
                idempotency_scope="demo", idempotency_key=f"demo-{street}-{n}",
                submitted_at=_at(received, rng), received_on=received,
                accept_by=cal.add(received, profile.number("correction_notice_days")),
                limit_days=v.promised_days, statutory_days=v.statutory_days)
    events = [CaseEvent(at=case.submitted_at, action="submit", to_state=State.SUBMITTED,
                        actor_name="system")]
    age = cal.between(received, today) if received < today else 0
    if age < 2:
        return case, events  # just received
    if rng.random() < 0.03:
        case.state, case.closed_on = State.WITHDRAWN, received + timedelta(days=1)
        events.append(CaseEvent(at=_at(case.closed_on, rng), action=Action.WITHDRAW,
                                from_state=State.SUBMITTED, to_state=State.WITHDRAWN,
                                actor_name="system"))
        return case, events
    accepted = cal.add(received, rng.choice([0, 0, 1, 1, 2]))
    if accepted > today:
        return case, events
    try:
        case.accepted_on = accepted
        case.due_on = sla.due_date(cal, accepted, case.limit_days)
        case.statutory_due_on = sla.due_date(cal, accepted, case.statutory_days)
    except CalendarYearUnknown:
        case.accepted_on = case.due_on = case.statutory_due_on = None
        return case, events
    case.state = State.IN_REVIEW
    events.append(CaseEvent(at=_at(accepted, rng), action=Action.ACCEPT, from_state=State.SUBMITTED,
                            to_state=State.IN_REVIEW, actor_name="system"))
    if rng.random() < 0.06 and v.extension_days:
        extra = services.extension_limit(case, profile)
        try:
            due = sla.due_date(cal, accepted, case.limit_days, extra)
            statutory = sla.due_date(cal, accepted, case.statutory_days, extra)
        except CalendarYearUnknown:
            pass
        else:
            case.extension_days, case.due_on, case.statutory_due_on = extra, due, statutory
            case.extension_reason = "需实地核查,经负责人批准延长"
            events.append(CaseEvent(  # the history counts extensions (one allowed)
                at=_at(min(cal.add(accepted, 1), today), rng), action=Action.EXTEND,
                from_state=State.IN_REVIEW, to_state=State.IN_REVIEW, actor_name="system",
                note=case.extension_reason))
    if rng.random() < 0.02:
        return case, events  # forgotten in review: overdue, escalated by the sweep
    roll = rng.random()
    # mostly on time; some late; 5 % rejected
    used = (rng.randint(1, case.limit_days + case.extension_days) if roll < 0.88
            else case.limit_days + case.extension_days + rng.randint(1, 6))
    try:
        decided = cal.add(accepted, used)
    except CalendarYearUnknown:
        return case, events
    if decided > today:
        return case, events  # still under review (some of them overdue)
    reject = rng.random() < 0.05
    case.decided_on, case.workdays_used = decided, used
    case.state = State.REJECTED if reject else State.APPROVED
    if reject:
        case.decision_reasons = "申请人不符合条件"
    events.append(CaseEvent(at=_at(decided, rng), action=Action.REJECT if reject else Action.APPROVE,
                            from_state=State.IN_REVIEW, to_state=case.state, actor_name="system"))
    try:  # Art. 44: the result is issued within 10 working days of the decision
        case.issue_due_on = cal.add(decided, profile.number("issue_days"))
        # a few results go out late (or are still waiting): the console's "to issue" list
        lag = rng.randint(0, 3) if rng.random() < 0.96 else rng.randint(11, 40)
        issued = cal.add(decided, lag)
    except CalendarYearUnknown:  # decided in late December, next year not entered yet
        issued = today + timedelta(days=1)
    if issued <= today:
        case.issued_on, case.state = issued, State.ISSUED
        events.append(CaseEvent(at=_at(issued, rng), action=Action.ISSUE, from_state=events[-1].to_state,
                                to_state=State.ISSUED, actor_name="system"))
        if issued < today - timedelta(days=14):
            case.closed_on, case.state = issued, State.CLOSED
            events.append(CaseEvent(at=_at(issued, rng), action=Action.CLOSE,
                                    from_state=State.ISSUED, to_state=State.CLOSED,
                                    actor_name="system"))
    case.sla = "done_on_time" if decided <= (case.due_on or decided) else "done_late"
    return case, events


def _demo_resident() -> None:
    """The demo resident ``jumin`` gets three applications through the real services."""
    user = accounts.User.objects.filter(username="jumin").first()
    officer = accounts.User.objects.filter(username="jiedao").first()
    if user is None or officer is None or Case.objects.filter(applicant_user=user).exists():
        return
    area = user.grants.values_list("area_code", flat=True).first() or ""
    if len(area) < 12 or not Area.objects.filter(code=area).exists():
        return
    try:
        a = services.submit_case(actor=user, item_code="JJ-GF-001", area_code=area,
                                 applicant_name="孙丽", phone="13912345678",
                                 description="新租住房屋,申领居住证", idempotency_key="demo-jumin-1")
        services.request_correction(actor=officer, number=a.number, missing=["residence"])
        # she applies for herself; for her mother the station desk would file (代办)
        b = services.submit_case(actor=user, item_code="JJ-GF-003", area_code=area,
                                 applicant_name="孙丽", phone="13912345678",
                                 description="本人参加城乡居民医疗保险",
                                 idempotency_key="demo-jumin-2")
        services.accept(actor=officer, number=b.number)
        services.submit_case(actor=user, item_code="JJ-SG-001", area_code=area,
                             applicant_name="孙丽", phone="13912345678",
                             idempotency_key="demo-jumin-3")
    except BusinessError:
        return  # e.g. a deadline in a year the calendar does not know yet


__all__ = ["load"]
