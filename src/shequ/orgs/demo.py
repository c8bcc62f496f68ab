"""Jinjiang's social organisations as demo data: 789 organisations alive today, 60% of them
filed community organisations kept by their street offices, the rest registered by the
district (foundations by the province); the citizen service centre's incubation; the
district's social-organisation development foundation and its grants; review queues at
the streets and the bureau; annual reports, complaints, inspections and penalties.

The registry enters through the real Excel import (one audit entry per organisation).
Past years' annual reports are bulk-inserted with one audit entry per street (ADR 0702,
as ADR 0403 does for cases); everything a visitor acts on (queues, the demo user's own
organisation, grants, incubation, penalties) goes through the services. Idempotent.
"""

from __future__ import annotations

import contextlib
import random
from collections import defaultdict
from datetime import date, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from shequ.areas.models import Area, Level
from shequ.audit.services import record
from shequ.authz import SYSTEM
from shequ.core import ids
from shequ.core.calendar import CalendarYearUnknown
from shequ.core.errors import BusinessError
from shequ.orgs import services
from shequ.orgs.enums import AuditAction
from shequ.orgs.facade import demo_point
from shequ.orgs.models import (
    AnnualReport,
    AppCounter,
    Application,
    Centre,
    Kind,
    Org,
    ReportState,
    Status,
    Track,
)
from shequ.orgs.services._common import short_name
from shequ.orgs.services.importer import COLUMNS

DISTRICT = "510104"
TOTAL = 789  # alive today (the article)
FILED_SHARE = 0.6
NEW_THROUGH_SERVICES = 3  # approved in the demo's own queues this year
ENDED = 20
DEMO_ORG = "锦江社工服务中心"
FOUNDATION = "锦江区社会组织发展基金会"
CENTRE = "锦江区市民服务中心"

FILED_PATTERNS: dict[str, list[tuple[str, list[str]]]] = {
    Kind.CULTURE_SPORT: [("书画队", ["culture"]), ("舞蹈队", ["culture"]), ("合唱团", ["culture"]),
                         ("太极拳队", ["culture", "health"]), ("川剧票友会", ["culture"]),
                         ("乒乓球队", ["culture"]), ("摄影社", ["culture"]), ("腰鼓队", ["culture"])],
    Kind.LIFE_SERVICE: [("邻里互助会", ["elderly", "volunteer"]), ("便民维修队", ["volunteer"]),
                        ("老年助餐服务队", ["elderly"]), ("四点半课堂", ["children", "education"]),
                        ("健康讲堂", ["health", "elderly"])],
    Kind.COMMUNITY_AFFAIRS: [("平安巡逻队", ["safety"]), ("矛盾纠纷调解小组", ["mediation"]),
                             ("环境卫生监督队", ["environment"]), ("物业协商议事会", ["mediation"]),
                             ("心理健康服务队", ["health"])],
    Kind.CHARITY: [("爱心帮扶会", ["aid"]), ("助残服务队", ["disability", "volunteer"]),
                   ("志愿服务队", ["volunteer"]), ("关爱留守儿童小组", ["children", "aid"])],
}
ASSOCIATIONS = ["老年书画协会", "社区体育协会", "志愿者协会", "养老服务协会", "餐饮行业协会",
                "社会工作协会", "楼宇经济促进会", "文化创意产业协会", "商会", "慈善总会",
                "青少年发展促进会", "家庭教育研究会", "社区营造促进会", "消费者协会",
                "园林绿化协会", "健康管理协会", "物业管理协会", "川剧艺术研究会",
                "茶文化研究会", "摄影家协会"]
PNES = ["社会工作服务中心", "养老服务中心", "日间照料中心", "儿童托育中心", "心理咨询服务中心",
        "残疾人康复中心", "职业技能培训学校", "社区发展服务中心", "公益服务中心",
        "家庭综合服务中心", "法律援助服务中心", "社区教育中心"]
PNE_CATEGORIES = {"社会工作服务中心": ["aid", "elderly", "children"], "养老服务中心": ["elderly"],
                  "日间照料中心": ["elderly", "health"], "儿童托育中心": ["children"],
                  "心理咨询服务中心": ["health"], "残疾人康复中心": ["disability", "health"],
                  "职业技能培训学校": ["education"], "社区发展服务中心": ["volunteer", "mediation"],
                  "公益服务中心": ["aid", "volunteer"], "家庭综合服务中心": ["children", "aid"],
                  "法律援助服务中心": ["legal", "mediation"], "社区教育中心": ["education"]}
ASSOCIATION_CATEGORIES = ["culture", "volunteer", "elderly", "education", "health", "aid"]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜"
GIVEN = "建国秀英志强丽华文杰海燕红梅晓东玉兰德明淑芬国庆小平春花永刚桂英立新晓燕"


def _person(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + rng.choice(GIVEN) + (rng.choice(GIVEN) if rng.random() < .6 else "")


def load(stdout: Any = None) -> None:
    today = timezone.localdate()
    if not Area.objects.filter(code=DISTRICT).exists():
        return
    rng = random.Random(789)
    created = _registry(rng, today)
    _demo_user_org(today)
    _report_history(rng, today)
    _support(rng, today)
    _supervision(rng, today)
    _queues(rng, today)
    if stdout is not None:
        alive = Org.objects.filter(area_code__startswith=DISTRICT,
                                   status__in=(Status.ACTIVE, Status.SUSPENDED))
        filed = alive.filter(track=Track.FILED).count()
        stdout.write(f"orgs: {alive.count()} organisations ({filed} filed), {created} imported, "
                     f"{Application.objects.filter(area_code__startswith=DISTRICT).count()} "
                     f"applications, {AnnualReport.objects.count()} annual reports")


# ---------------------------------------------------------------- the registry


def _communities() -> list[Area]:
    return list(Area.objects.filter(code__startswith=DISTRICT, level=Level.COMMUNITY,
                                    valid_to__isnull=True).select_related("parent").order_by("code"))


def _founded(rng: random.Random) -> date:
    year = rng.choices(range(2009, 2026), weights=[3 + i for i in range(17)])[0]
    return date(year, rng.randint(1, 12), rng.randint(1, 28))


_POINTS: dict[str, tuple[int, int]] = {}


def _place(area_code: str, rng: random.Random) -> tuple[str, str]:
    if area_code not in _POINTS:
        _POINTS[area_code] = demo_point(area_code)
    lat, lon = _POINTS[area_code]
    lat += rng.randint(-3000, 3000)
    lon += rng.randint(-3000, 3000)
    return f"{lat / 1_000_000:.6f}", f"{lon / 1_000_000:.6f}"


def _registry(rng: random.Random, today: date) -> int:
    if Org.objects.filter(area_code__startswith=DISTRICT).exists():
        return 0
    communities = _communities()
    alive_imported = TOTAL - NEW_THROUGH_SERVICES
    filed_n = round(TOTAL * FILED_SHARE) - 2  # two filings come through the street queues
    registered_n = alive_imported - filed_n
    rows: list[list[Any]] = []
    names: set[str] = set()
    per_street_year: dict[tuple[str, int], int] = defaultdict(int)
    # filed community organisations: about six per community, kept by its street
    for i in range(filed_n):
        c = communities[i % len(communities)]
        kind = rng.choice(list(FILED_PATTERNS))
        suffix, cats = rng.choice(FILED_PATTERNS[kind])
        short = c.name.replace("社区居委会", "").replace("社区", "")
        name = f"{short}社区{suffix}"
        n = 2
        while name in names:
            name, n = f"{short}社区{suffix}（{n}）", n + 1
        names.add(name)
        founded = _founded(rng)
        street = c.code[:9]
        per_street_year[(street, founded.year)] += 1
        number = f"{short_name(street)}社备〔{founded.year}〕{per_street_year[(street, founded.year)]}号"
        lat, lon = _place(c.code, rng)
        rows.append([name, kind, "", number, c.code, "", _person(rng), f"{c.name}活动室",
                     founded, rng.randint(10, 60), 0, 0, f"{rng.randint(5, 80) * 100}",
                     ",".join(cats), lat, lon, Status.ACTIVE, None])
    serial = {"1": 0, "2": 0, "3": 0}

    def code(type_char: str, division: str = DISTRICT) -> str:
        serial[type_char] += 1
        first17 = f"5{type_char}{division}MJ{len(rows) + 1:07d}"
        return first17 + ids.uscc_check_char(first17)

    # registered: associations and private non-enterprise units, two foundations
    for i in range(registered_n):
        c = communities[(i * 7) % len(communities)]
        lat, lon = _place(c.code, rng)
        founded = _founded(rng)
        if i == 0:
            rows.append([FOUNDATION, Kind.FOUNDATION, code("3", "510000"), "", c.code,
                         "锦江区民政局", "赵明远", "锦江区红星路三段16号", date(2010, 6, 1), 0, 0,
                         6, "4000000", "aid,volunteer", lat, lon, Status.ACTIVE, None])
            continue
        if i == 1:
            rows.append(["锦江区扶老助残公益基金会", Kind.FOUNDATION, code("3", "510000"), "",
                         c.code, "锦江区民政局", "钱慧敏", "锦江区东大街89号", date(2015, 9, 9), 0,
                         0, 3, "2000000", "elderly,disability", lat, lon, Status.ACTIVE, None])
            continue
        if i == 2:
            rows.append([DEMO_ORG, Kind.PNE, code("2"), "", "510104022009", "锦江区民政局",
                         "周洋", "锦江区督院街28号", date(2012, 5, 18), 0, 0, 12, "100000",
                         "aid,elderly,children", *_place("510104022009", rng), Status.ACTIVE,
                         None])
            names.add(DEMO_ORG)
            continue
        if rng.random() < 0.55:
            base = rng.choice(ASSOCIATIONS)
            kind, type_char = Kind.ASSOCIATION, "1"
            cats = rng.sample(ASSOCIATION_CATEGORIES, 2)
            members = (rng.randint(50, 400), 0)
            funds = rng.randint(30, 200) * 1000
        else:
            base = rng.choice(PNES)
            kind, type_char = Kind.PNE, "2"
            cats = PNE_CATEGORIES[base]
            members = (0, 0)
            funds = rng.randint(30, 300) * 1000
        short = c.name.replace("社区居委会", "").replace("社区", "")
        name = f"锦江区{base}" if f"锦江区{base}" not in names else f"锦江区{short}{base}"
        n = 2
        while name in names:
            name, n = f"锦江区{short}{base}（{n}）", n + 1
        names.add(name)
        rows.append([name, kind, code(type_char), "", c.code, _agency(base), _person(rng),
                     f"锦江区{short}路{rng.randint(1, 300)}号", founded, members[0], members[1],
                     rng.randint(1, 15), str(funds), ",".join(cats), lat, lon, Status.ACTIVE, None])
    # history: organisations that have ended
    for i in range(ENDED):
        c = communities[(i * 11) % len(communities)]
        founded = date(2009 + i % 8, 3, 1 + i)
        ended = founded + timedelta(days=365 * (2 + i % 6))
        short = c.name.replace("社区居委会", "").replace("社区", "")
        lat, lon = _place(c.code, rng)
        status = Status.REVOKED if i % 5 == 0 else Status.DEREGISTERED
        if i % 2:
            street = c.code[:9]
            per_street_year[(street, founded.year)] += 1
            rows.append([f"{short}社区原秧歌队{i}", Kind.CULTURE_SPORT, "",
                         f"{short_name(street)}社备〔{founded.year}〕"
                         f"{per_street_year[(street, founded.year)]}号", c.code, "", _person(rng),
                         f"{c.name}广场", founded, 20, 0, 0, "500", "culture", lat, lon, status,
                         ended])
        else:
            rows.append([f"锦江区原{short}互助协会{i}", Kind.ASSOCIATION, code("1"), "", c.code,
                         "锦江区民政局", _person(rng), f"锦江区{short}街{i}号", founded, 60, 0, 1,
                         "30000", "aid", lat, lon, status, ended])
    keys = [k for k, _label in COLUMNS]
    result = services.import_records(
        actor=SYSTEM, source="jinjiang-registry",
        records=[(line, dict(zip(keys, row, strict=True))) for line, row in
                 enumerate(rows, start=2)])
    # the district's code series continues after the imported codes
    AppCounter.objects.update_or_create(authority_code=f"uscc:{DISTRICT}", year=0,
                                        defaults={"last": len(rows)})
    return result.created


def _agency(base: str) -> str:
    if "学校" in base or "教育" in base or "托育" in base:
        return "锦江区教育局"
    if "康复" in base or "健康" in base or "心理" in base:
        return "锦江区卫生健康局"
    if "体育" in base:
        return "锦江区文化体育和旅游局"
    if "商会" in base or "行业" in base or "经济" in base:
        return "锦江区商务局"
    return "锦江区民政局"


def _demo_user_org(today: date) -> None:
    from shequ.accounts import facade as accounts

    org = Org.objects.filter(name=DEMO_ORG).first()
    user = accounts.user_by_username("zuzhi")
    if org is None or user is None:
        return
    services.add_operator(actor=SYSTEM, org_id=org.pk, user=user, on=date(2012, 5, 20))
    if not org.evaluations.exists():
        services.record_evaluation(actor=SYSTEM, org_id=org.pk, grade=4,
                                   assessed_on=date(today.year - 1, 11, 20),
                                   note="2025年度社会组织等级评估")


# ---------------------------------------------------------------- annual reports (history)


def _report_history(rng: random.Random, today: date) -> None:
    """Reports on the last two finished years, bulk-inserted (ADR 0702): most passed, a few
    basically passed or failed, last year's partly still awaiting inspection, and some
    organisations that lodged nothing (the overdue list)."""
    if AnnualReport.objects.filter(area_code__startswith=DISTRICT).exists():
        return
    from shequ.orgs import rules
    from shequ.orgs.selectors import report_dues

    profile = rules.profile(DISTRICT)
    orgs = list(Org.objects.filter(area_code__startswith=DISTRICT,
                                   status__in=(Status.ACTIVE, Status.SUSPENDED)).order_by("pk"))
    rows: list[AnnualReport] = []
    per_street: dict[str, int] = defaultdict(int)
    for year in (today.year - 2, today.year - 1):
        for org in orgs:
            if org.founded_on.year > year:
                continue
            agency_due, due = report_dues(org, year, profile)
            if today <= due:
                continue  # not due yet
            last_year = year == today.year - 1
            if last_year and rng.random() < 0.035 and org.name != DEMO_ORG:
                continue  # missing: shows on the overdue list
            late = rng.random() < 0.06
            lodged = due + timedelta(days=rng.randint(1, 40)) if late else \
                due - timedelta(days=rng.randint(0, 50))
            agency_submitted = agency_approved = None
            if org.track == Track.REGISTERED:
                agency_approved = lodged - timedelta(days=rng.randint(1, 10))
                agency_submitted = agency_approved - timedelta(days=rng.randint(3, 20))
            pending = last_year and (rng.random() < 0.05 or org.name == DEMO_ORG)
            roll = rng.random()
            state = (ReportState.LODGED if pending else ReportState.FAILED if roll < 0.02
                     else ReportState.BASIC if roll < 0.1 else ReportState.PASSED)
            members = org.individual_members + org.unit_members
            income = rng.randint(2, 400) * 1000 * (10 if org.track == Track.REGISTERED else 1)
            rows.append(AnnualReport(
                org=org, year=year, area_code=org.area_code, authority_code=org.authority_code,
                track=org.track, agency_submitted_on=agency_submitted,
                agency_approved_on=agency_approved, agency_due=agency_due, lodged_on=lodged,
                due_on=due, late=lodged > due,
                agency_late=bool(agency_due and agency_submitted and agency_submitted > agency_due),
                activities=f"{year}年开展活动{rng.randint(4, 60)}次，服务居民{rng.randint(50, 3000)}人次。",
                income_fen=income, expenditure_fen=int(income * rng.uniform(0.6, 1.0)),
                staff=org.staff, members=members, state=state,
                inspected_on=None if pending else lodged + timedelta(days=rng.randint(10, 60)),
                remarks="" if state in (ReportState.PASSED, ReportState.LODGED)
                else "财务制度不健全，需整改。"))
            per_street[org.area_code[:9]] += 1
    with transaction.atomic():
        AnnualReport.objects.bulk_create(rows, batch_size=1000)
        for street, n in sorted(per_street.items()):
            record(actor=SYSTEM, action=AuditAction.DEMO_LOAD, area_code=street,
                   changes={"annual_reports": n})


# ---------------------------------------------------------------- support


def _support(rng: random.Random, today: date) -> None:
    if Centre.objects.filter(name=CENTRE).exists():
        return
    centre = services.save_centre(actor=SYSTEM, name=CENTRE, area_code=DISTRICT,
                                  address="锦江区东大街下东大街段199号", opened_on=date(2010, 4, 28),
                                  places=20)
    demo = Org.objects.filter(name=DEMO_ORG).first()
    if demo is not None:
        inc = services.apply_incubation(actor=SYSTEM, org_id=demo.pk, centre_id=centre.pk,
                                        plan="建立专业社工团队，承接社区养老与青少年服务。",
                                        on=date(2012, 6, 1))
        services.incubation_step(actor=SYSTEM, incubation_id=inc.pk, action="admit",
                                 supports=["space", "training", "mentoring"], on=date(2012, 6, 15))
        services.incubation_step(actor=SYSTEM, incubation_id=inc.pk, action="graduate",
                                 on=date(2014, 6, 15))
    young = list(Org.objects.filter(area_code__startswith=DISTRICT, status=Status.ACTIVE,
                                    founded_on__year__gte=today.year - 2)
                 .exclude(name=DEMO_ORG).order_by("pk")[:24])
    for i, org in enumerate(young):
        applied = today - timedelta(days=400 - i * 15)
        inc = services.apply_incubation(actor=SYSTEM, org_id=org.pk, centre_id=centre.pk,
                                        plan="完善章程与财务制度，培养骨干，扩大服务覆盖。",
                                        on=applied)
        if i < 18:
            supports = ["space", "training"] + (["seed"] if i % 3 == 0 else [])
            services.incubation_step(actor=SYSTEM, incubation_id=inc.pk, action="admit",
                                     supports=supports, seed_fen=500_000 if i % 3 == 0 else 0,
                                     on=applied + timedelta(days=14))
            if i < 4:
                services.incubation_step(actor=SYSTEM, incubation_id=inc.pk, action="graduate",
                                         on=applied + timedelta(days=300))
        elif i < 20:
            services.incubation_step(actor=SYSTEM, incubation_id=inc.pk, action="decline",
                                     on=applied + timedelta(days=10))
    foundation = Org.objects.filter(name=FOUNDATION).first()
    if foundation is None:
        return
    prog = services.save_programme(
        actor=SYSTEM, funder_id=foundation.pk, name="社区微公益创投", year=today.year,
        budget_fen=200_000_000, max_award_fen=5_000_000, opens_on=date(today.year, 3, 1),
        closes_on=date(today.year, 12, 31),
        procedure="社会组织在线申报，基金会组织专家评审，理事会审定后公示，分两期拨付。",
        categories=["elderly", "children", "disability", "aid", "volunteer", "culture",
                    "mediation", "environment"])
    services.save_programme(
        actor=SYSTEM, funder_id=foundation.pk, name="社区微公益创投", year=today.year - 1,
        budget_fen=150_000_000, max_award_fen=5_000_000, opens_on=date(today.year - 1, 3, 1),
        closes_on=date(today.year - 1, 10, 31), procedure="同上年度。")
    applicants = list(Org.objects.filter(area_code__startswith=DISTRICT, status=Status.ACTIVE,
                                         founded_on__year__lt=today.year - 1)
                      .exclude(name__in=[FOUNDATION, "锦江区扶老助残公益基金会"]).order_by("pk")[::29])
    if demo is not None:
        applicants = [demo, *[o for o in applicants if o.pk != demo.pk]]
    for i, org in enumerate(applicants[:26]):
        cat = org.categories[0] if org.categories and org.categories[0] in prog.categories \
            else "volunteer"
        amount = (rng.randint(10, 50) * 100_000) if org.track == Track.REGISTERED \
            else rng.randint(5, 40) * 100_000
        try:
            grant = services.apply_grant(
                actor=SYSTEM, programme_id=prog.pk, org_id=org.pk,
                title=f"{org.name[:20]}“{['邻里守望', '银龄关爱', '童心课堂', '绿色家园'][i % 4]}”项目",
                category=cat, summary="面向社区居民开展常态化服务，预计受益300人次。",
                requested_fen=amount, on=date(today.year, 4, 1) + timedelta(days=i * 3))
        except BusinessError:
            continue  # e.g. a missing annual report: the rule refuses, as it should
        day = date(today.year, 5, 20) + timedelta(days=i)
        if i % 6 == 5:
            services.grant_step(actor=SYSTEM, grant_id=grant.pk, action="reject",
                                reasons="项目预算与服务内容不匹配。", on=day)
        elif i % 6 != 4:
            services.grant_step(actor=SYSTEM, grant_id=grant.pk, action="approve",
                                awarded_fen=amount - (amount // 10 if i % 3 else 0), on=day)
            grant.refresh_from_db()
            services.pay_grant(actor=SYSTEM, grant_id=grant.pk, amount_fen=grant.awarded_fen // 2,
                               paid_on=day + timedelta(days=20), note="首期拨付")
            if i % 4 == 0:
                services.pay_grant(actor=SYSTEM, grant_id=grant.pk,
                                   amount_fen=grant.awarded_fen - grant.awarded_fen // 2,
                                   paid_on=day + timedelta(days=120), note="二期拨付")
                services.grant_step(actor=SYSTEM, grant_id=grant.pk, action="report",
                                    report="项目按计划完成，服务居民412人次。",
                                    spent_fen=grant.awarded_fen, on=day + timedelta(days=150))


# ---------------------------------------------------------------- supervision


def _supervision(rng: random.Random, today: date) -> None:
    from shequ.orgs.models import Complaint, Evaluation

    if Complaint.objects.filter(area_code__startswith=DISTRICT).exists():
        return
    registered = list(Org.objects.filter(area_code__startswith=DISTRICT, status=Status.ACTIVE,
                                         track=Track.REGISTERED).exclude(name=DEMO_ORG)
                      .order_by("pk"))
    if not Evaluation.objects.filter(org__in=registered).exists():
        for i, org in enumerate(registered[::5]):
            services.record_evaluation(actor=SYSTEM, org_id=org.pk, grade=[3, 4, 2, 5, 3][i % 5],
                                       assessed_on=date(today.year - 1 - i % 4, 11, 10))
    filed = list(Org.objects.filter(area_code__startswith="510104022", status=Status.ACTIVE,
                                    track=Track.FILED).order_by("pk"))
    targets = [registered[3], registered[10], filed[2], filed[5], registered[20]]
    summaries = ["以协会名义向会员摊派费用。", "活动场所长期关闭，联系不上负责人。",
                 "夜间排练噪音扰民。", "收取培训费用未开具票据。", "超出章程业务范围开展营利性培训。"]
    complaints = []
    for i, (org, text) in enumerate(zip(targets, summaries, strict=True)):
        complaints.append(services.file_complaint(
            actor=SYSTEM, org_id=org.pk, complainant_name=_person(rng), summary=text,
            phone=f"139{rng.randint(10000000, 99999999)}", on=today - timedelta(days=40 - i * 8)))
    services.complaint_step(actor=SYSTEM, complaint_id=complaints[0].pk, action="investigate",
                            on=today - timedelta(days=35))
    services.complaint_step(actor=SYSTEM, complaint_id=complaints[0].pk, action="uphold",
                            finding="经查属实，协会违规收费。", on=today - timedelta(days=20))
    services.complaint_step(actor=SYSTEM, complaint_id=complaints[2].pk, action="investigate",
                            on=today - timedelta(days=20))
    warning = services.propose_penalty(
        actor=SYSTEM, org_id=targets[0].pk, violation="fees", kinds=["warning", "correct"],
        facts="2026年以协会名义向会员摊派活动费用。", complaint_id=complaints[0].pk,
        on=today - timedelta(days=18))
    services.penalty_step(actor=SYSTEM, penalty_id=warning.pk, action="decide",
                          on=today - timedelta(days=10))
    services.propose_penalty(actor=SYSTEM, org_id=targets[4].pk, violation="beyond_scope",
                             kinds=["warning"], facts="超出章程规定的业务范围开展营利性培训。",
                             on=today - timedelta(days=3))
    suspended = registered[30]
    p = services.propose_penalty(actor=SYSTEM, org_id=suspended.pk, violation="refused_supervision",
                                 kinds=["warning", "suspend"], facts="拒不接受年度检查。",
                                 suspend_until=today + timedelta(days=60),
                                 on=today - timedelta(days=30))
    services.penalty_step(actor=SYSTEM, penalty_id=p.pk, action="decide",
                          on=today - timedelta(days=20))
    for i, org in enumerate([registered[40], registered[41], filed[8], filed[9]]):
        insp = services.plan_inspection(actor=SYSTEM, org_id=org.pk,
                                        kind=["spot", "on_site", "spot", "special"][i],
                                        planned_on=today + timedelta(days=i * 5 - 10))
        if i == 0:
            services.inspection_step(actor=SYSTEM, inspection_id=insp.pk, action="find",
                                     findings="会员名册未及时更新；财务凭证不全。",
                                     correct_by=today + timedelta(days=30),
                                     on=today - timedelta(days=9))
        elif i == 2:
            services.inspection_step(actor=SYSTEM, inspection_id=insp.pk, action="clear",
                                     on=today)


# ---------------------------------------------------------------- review queues

BUREAU_ITEMS = {"supervising_agency": "锦江区民政局", "address": "锦江区红星路二段70号",
                "individual_members": 80, "staff": 2, "funds_fen": 5_000_000,
                "has_premises": True, "has_charter": True, "purpose": "服务社区居民",
                "scope": "社区服务、志愿服务"}
FILED_ITEMS = {"address": "社区活动室", "individual_members": 18, "funds_fen": 300_000,
               "has_charter": True}
ALL = {"association": ["application", "agency_approval", "funds_and_premises", "persons",
                       "charter"],
       "pne": ["application", "agency_approval", "premises", "capital", "persons", "charter"],
       "filed": ["application", "person", "place", "charter", "members", "funds"]}


def _step(number: str, action: str, on: date, **kw: Any) -> None:
    services.act(actor=SYSTEM, number=number, action=action, on=on, **kw)


def _queues(rng: random.Random, today: date) -> None:
    if Application.objects.filter(area_code__startswith=DISTRICT).exists():
        return
    from shequ.accounts import facade as accounts

    def new(kind: str, org_kind: str, area: str, name: str, on: date, cats: list[str],
            materials: list[str] | None = None, **items: Any) -> Application:
        base = FILED_ITEMS if kind == "file" else BUREAU_ITEMS
        group = "filed" if kind == "file" else org_kind
        return services.submit(actor=SYSTEM, kind=kind, org_kind=org_kind, area_code=area,
                               name=name, on=on, applicant_name=_person(rng),
                               materials=ALL[group] if materials is None else materials,
                               items={**base, "person_in_charge": _person(rng),
                                      "categories": cats, **items})

    def quietly(fn: Any) -> None:
        # late in a year whose successor's calendar is not entered yet, some steps wait
        with contextlib.suppress(CalendarYearUnknown):
            fn()

    y = today.year
    # approved earlier this year: one registration and two filings (the 789 include them)
    a = new("establish", "association", "510104022011", "锦江区老年大学校友会", date(y, 6, 2),
            ["education", "elderly"])
    _step(a.number, "accept", date(y, 6, 3))
    _step(a.number, "approve", date(y, 7, 20))
    for area, name, day in (("510104022009", "督院街社区银发志愿服务队", date(y, 3, 3)),
                            ("510104017001" if Area.objects.filter(code="510104017001").exists()
                             else "510104022011", "锦官驿社区非遗手工坊", date(y, 4, 7))):
        f = new("file", "charity", area, name, day, ["volunteer", "elderly"])
        _step(f.number, "accept", day + timedelta(days=1))
        _step(f.number, "approve", day + timedelta(days=6))
    # the bureau's queue
    quietly(lambda: new("establish", "association", "510104022009", "锦江区社区营造志愿者协会",
                        today - timedelta(days=2), ["volunteer"]))

    def returned() -> None:
        r = new("establish", "pne", "510104022011", "锦江区盐市口社区养老服务中心",
                today - timedelta(days=5), ["elderly"], materials=["application", "persons",
                                                                    "charter"])
        _step(r.number, "return", today - timedelta(days=3),
              missing=["agency_approval", "premises", "capital"])
    quietly(returned)

    def overdue() -> None:
        r = new("establish", "association", "510104022009", "锦江区青年创业促进会",
                today - timedelta(days=80), ["education"])
        _step(r.number, "accept", today - timedelta(days=78))
    quietly(overdue)

    def in_review() -> None:
        r = new("establish", "pne", "510104022011", "锦江区东风社区托育中心",
                today - timedelta(days=30), ["children"])
        _step(r.number, "accept", today - timedelta(days=29))
    quietly(in_review)

    def rejected() -> None:
        r = new("establish", "association", "510104022009", "锦江区棋牌娱乐协会",
                date(y, 8, 4), ["culture"])
        _step(r.number, "accept", date(y, 8, 5))
        _step(r.number, "reject", date(y, 9, 1), reason="duplicate",
              reason_text="区内已有社区体育协会开展同类活动。")
    quietly(rejected)
    demo = Org.objects.filter(name=DEMO_ORG).first()
    user = accounts.user_by_username("zuzhi")
    if demo is not None and user is not None:
        def change() -> None:
            c = services.submit(actor=user, kind="change", org_id=demo.pk, on=today - timedelta(days=6),
                                items={"address": "锦江区督院街36号二楼",
                                       "agency_approved_on": (today - timedelta(days=12)).isoformat()},
                                materials=["application", "agency_approval", "evidence"])
            _step(c.number, "accept", today - timedelta(days=5))
        quietly(change)
    registered = list(Org.objects.filter(area_code__startswith=DISTRICT, status=Status.ACTIVE,
                                         kind=Kind.ASSOCIATION).exclude(name=DEMO_ORG)
                      .order_by("pk"))

    def deregister() -> None:
        d = services.submit(actor=SYSTEM, kind="deregister", org_id=registered[50].pk,
                            on=today - timedelta(days=15),
                            items={"liquidation_ended_on": (today - timedelta(days=40)).isoformat()},
                            materials=["application", "agency_review", "liquidation"])
        _step(d.number, "accept", today - timedelta(days=14))
    quietly(deregister)
    filed = list(Org.objects.filter(area_code__startswith="510104022", status=Status.ACTIVE,
                                    track=Track.FILED).order_by("pk"))

    def convert() -> None:
        org = filed[12]
        c = services.submit(actor=SYSTEM, kind="convert", org_kind="association", org_id=org.pk,
                            on=today - timedelta(days=20),
                            items={**BUREAU_ITEMS, "person_in_charge": org.person_in_charge,
                                   "categories": org.categories, "individual_members": 62},
                            materials=ALL["association"])
        _step(c.number, "accept", today - timedelta(days=19))
    quietly(convert)
    # 春熙路街道's queue (the demo street officer)
    quietly(lambda: new("file", "culture_sport", "510104022009", "督院街社区银龄合唱团",
                        today - timedelta(days=1), ["culture"]))

    def street_returned() -> None:
        r = new("file", "life_service", "510104022011", "盐市口社区邻里守望队",
                today - timedelta(days=6), ["volunteer", "safety"],
                materials=["application", "person", "place"])
        _step(r.number, "return", today - timedelta(days=4),
              missing=["charter", "members", "funds"])
    quietly(street_returned)

    def street_overdue() -> None:
        r = new("file", "culture_sport", "510104022009", "督院街社区亲子阅读会",
                today - timedelta(days=21), ["children", "education"])
        _step(r.number, "accept", today - timedelta(days=20))
    quietly(street_overdue)

    def street_change() -> None:
        org = filed[3]
        c = services.submit(actor=SYSTEM, kind="change", org_id=org.pk,
                            on=today - timedelta(days=3), items={"person_in_charge": _person(rng)},
                            materials=["application", "evidence"])
        _step(c.number, "accept", today - timedelta(days=2))
    quietly(street_change)
