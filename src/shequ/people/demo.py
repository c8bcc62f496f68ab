"""Demo data for ``people`` in Jinjiang: governance bodies for each of the 76
communities, the 128 cadres sent to the service stations, 500 community workers, some
social workers, and a modest number of residents and households (about 30 per community,
so the demo stays quick). Identity numbers are generated with valid check characters and
are fictitious. Safe to run again: every step skips what exists or upserts."""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

from django.contrib.auth import get_user_model

from shequ.areas import facade as areas
from shequ.areas.models import Area, CommunityKind, Level, ServiceStation
from shequ.authz import SYSTEM
from shequ.people import facade, services
from shequ.people.models import Body, BodyKind, Qualification, Resident, StaffKind, StaffMember, UnitLevel

DISTRICT = "510104"
SEED = 510104
CADRES = 128
COMMUNITY_WORKERS = 500
SOCIAL_WORKERS = 60
RESIDENTS_PER_COMMUNITY = 30
SURNAMES = ("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜"
            "叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾")
GIVEN = ["伟", "芳", "娜", "秀英", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛",
         "明", "超", "秀兰", "霞", "平", "刚", "桂英", "建华", "文", "华", "红", "玉兰", "建国", "志强",
         "婷", "雪", "琳", "浩", "宇", "欣怡", "子涵", "梓轩", "雨桐", "一诺", "俊熙", "诗涵", "晨", "蓉"]
COURSES = [("社区工作者岗位培训", "锦江区民政局", 16),
           ("社会工作者职业水平考试辅导", "成都市社会工作协会", 24),
           ("居民自治与议事规则", "锦江区委组织部", 8), ("个人信息保护与数据安全", "锦江区大数据中心", 4),
           ("网上审批与限时办结", "锦江区政务服务中心", 6)]
# the demo user "jumin" (居民 孙丽) gets a record of her own
DEMO_RESIDENT = ("孙丽", "510104022009", date(1986, 9, 12), "F")


def _name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + rng.choice(GIVEN)


def _number(rng: random.Random, born: date, sex: str, used: set[str]) -> str:
    while True:
        number = facade.fake_identity_number(born, sex=sex, address=DISTRICT,
                                             serial=rng.randrange(0, 500))
        if number not in used:
            used.add(number)
            return number


def load(stdout: Any = None) -> None:
    communities = list(Area.objects.filter(code__startswith=DISTRICT, level=Level.COMMUNITY,
                                           valid_to__isnull=True).order_by("code"))
    if not communities:
        return
    rng = random.Random(SEED)
    made_bodies = _bodies(communities, rng)
    made_staff = _staff(communities, rng)
    report = _residents(communities, rng)
    _demo_user_record()
    if stdout is not None:
        stdout.write(f"people: {Resident.objects.count()} residents ({report.created} new), "
                     f"{StaffMember.objects.count()} staff ({made_staff} new), "
                     f"{Body.objects.count()} governance bodies ({made_bodies} new)")


def _bodies(communities: list[Area], rng: random.Random) -> int:
    made = 0
    founded = date(2015, 6, 1)
    term_start = date(2021, 6, 1)
    for c in communities:
        short = c.name.replace("居委会", "").replace("社区社区", "社区")
        if not short.endswith("社区"):
            short += "社区"
        kinds = [(BodyKind.PARTY, f"中共{short}委员会"),
                 (BodyKind.RESIDENTS_COMMITTEE, f"{short}居民委员会"),
                 (BodyKind.CONFERENCE_COMMITTEE, f"{short}居民代表会议常务委员会")]
        if c.kind == CommunityKind.AGRICULTURAL:
            kinds.append((BodyKind.COUNCIL, f"{short}议事会"))
        compound = Area.objects.filter(parent=c, level=Level.COMPOUND).order_by("code").first()
        if compound is not None:
            kinds.append((BodyKind.COMPOUND_GROUP, f"{compound.name}院落自治小组"))
        for kind, name in kinds:
            area = compound.code if kind == BodyKind.COMPOUND_GROUP and compound else c.code
            if Body.objects.filter(kind=kind, area_code=area).exists():
                continue
            body = services.create_body(actor=SYSTEM, kind=kind, name=name, area_code=area,
                                        founded_on=founded)
            made += 1
            posts = list(body.posts.all())
            for post in posts:
                for _seat in range(min(post.seats, 2 if post.role == "member" else 1)):
                    services.add_membership(actor=SYSTEM, body=body, post_role=post.role,
                                            person_name=_name(rng), start_date=term_start,
                                            # members serve until the next election's
                                            # committee is recorded (elections ends these)
                                            end_date=None, source="2021年换届选举")
    return made


def _staff(communities: list[Area], rng: random.Random) -> int:
    if StaffMember.objects.filter(code__startswith="JJ-").exists():
        return 0
    stations = list(ServiceStation.objects.filter(area_code__startswith=DISTRICT).order_by("code"))
    made = 0
    streets = sorted({c.code[:9] for c in communities})
    # 128 cadres sent from the street offices to the stations (the street reform)
    for i in range(CADRES):
        station = stations[i % len(stations)] if stations else None
        start = date(2015, 3, 1) + timedelta(days=rng.randrange(0, 5 * 365))
        first_level, first_area = UnitLevel.STREET, station.area_code[:9] if station else streets[0]
        # a cadre served in one of the street office's departments (科室) before being sent
        # to a station, where the department for community building manages them (ADR 1003)
        offices = areas.departments_of(first_area)
        s = services.create_staff(
            actor=SYSTEM, code=f"JJ-GB-{i + 1:03d}", name=_name(rng), kind=StaffKind.CADRE,
            level=first_level, area_code=first_area, position="街道干部",
            department_id=rng.choice(offices).pk if offices else None,
            start_date=start - timedelta(days=rng.randrange(365, 3000)),
            sex=rng.choice("MF"), birth_year=rng.randrange(1968, 1992))
        if station is not None:
            manager = areas.handling_department(station.area_code[:9], "community_building")
            services.post_staff(actor=SYSTEM, staff=s, level=UnitLevel.STATION, area_code="",
                                station_code=station.code, position="下沉服务站干部",
                                start_date=start, rotation=True,
                                department_id=manager.pk if manager else None)
        made += 1
    # 500 recruited community workers, a third with a social-work qualification
    for i in range(COMMUNITY_WORKERS):
        c = communities[i % len(communities)]
        q = rng.choices([Qualification.NONE, Qualification.ASSISTANT, Qualification.SOCIAL_WORKER],
                        weights=[60, 30, 10])[0]
        start = date(2012, 1, 1) + timedelta(days=rng.randrange(0, 13 * 365))
        services.create_staff(
            actor=SYSTEM, code=f"JJ-SQ-{i + 1:04d}", name=_name(rng),
            kind=StaffKind.COMMUNITY_WORKER, level=UnitLevel.COMMUNITY, area_code=c.code,
            position=rng.choice(["社区专职工作者", "网格员", "社区服务站窗口"]), start_date=start,
            qualification=q, qualified_on=start + timedelta(days=400) if q else None,
            sex=rng.choice("MF"), birth_year=rng.randrange(1970, 2001))
        made += 1
    for i in range(SOCIAL_WORKERS):
        c = communities[(i * 7) % len(communities)]
        q = rng.choices([Qualification.ASSISTANT, Qualification.SOCIAL_WORKER, Qualification.SENIOR],
                        weights=[55, 40, 5])[0]
        start = date(2016, 1, 1) + timedelta(days=rng.randrange(0, 9 * 365))
        services.create_staff(
            actor=SYSTEM, code=f"JJ-SW-{i + 1:03d}", name=_name(rng), kind=StaffKind.SOCIAL_WORKER,
            level=UnitLevel.COMMUNITY, area_code=c.code, position="驻社区社会工作者",
            start_date=start, qualification=q, qualified_on=start - timedelta(days=200),
            sex=rng.choice("MF"), birth_year=rng.randrange(1975, 2000))
        made += 1
    for s in StaffMember.objects.filter(code__startswith="JJ-").order_by("code")[::3]:
        title, provider, hours = rng.choice(COURSES)
        services.add_training(actor=SYSTEM, staff=s, title=title, provider=provider,
                              start_date=date(2024, 1, 1) + timedelta(days=rng.randrange(0, 600)),
                              hours=hours)
    return made


def _residents(communities: list[Area], rng: random.Random) -> services.ImportReport:
    used: set[str] = set()
    today = date.today()
    compounds: dict[str, list[str]] = {}
    for code, parent in Area.objects.filter(code__startswith=DISTRICT, level=Level.COMPOUND
                                            ).values_list("code", "parent_id"):
        compounds.setdefault(parent, []).append(code)

    def rows() -> Any:
        line = 1
        for c in communities:
            n, h = 0, 0
            while n < RESIDENTS_PER_COMMUNITY:
                h += 1
                size = rng.choice([1, 2, 2, 3, 3, 3, 4])
                surname = rng.choice(SURNAMES)
                head_born = date(rng.randrange(1940, 1995), rng.randrange(1, 13), rng.randrange(1, 29))
                compound = rng.choice(compounds.get(c.code, [""]))
                for k in range(size):
                    if k == 0:
                        born = head_born
                    elif k == 1:
                        born = head_born + timedelta(days=rng.randrange(-1500, 1500))
                    else:
                        born = date(min(head_born.year + rng.randrange(22, 38), today.year - 1),
                                    rng.randrange(1, 13), rng.randrange(1, 29))
                    sex = "M" if (k == 0) == (h % 2 == 0) else "F"
                    line += 1
                    yield line, {
                        "name": surname + rng.choice(GIVEN) if k != 1 else _name(rng),
                        "id_number": _number(rng, born, sex, used), "community_code": c.code,
                        "compound_code": compound, "household": f"{c.code[-6:]}-{h:04d}",
                        "head": "是" if k == 0 else "否",
                        "phone": f"13{rng.randrange(0, 10)}{rng.randrange(10**7, 10**8)}" if k < 2 else "",
                        "registered_here": "是" if rng.random() < 0.8 else "否",
                        "lives_here": "是" if rng.random() < 0.9 else "否",
                        "residence_since": max(born, date(rng.randrange(1995, 2025), 3, 15)
                                               ).isoformat(),
                        "disability": "是" if rng.random() < 0.03 else "否",
                        "low_income": "是" if rng.random() < 0.04 else "否",
                    }
                    n += 1

    return services.import_residents(actor=SYSTEM, rows=rows(), batch_size=2000)


def _demo_user_record() -> None:
    name, community, born, sex = DEMO_RESIDENT
    number = facade.fake_identity_number(born, sex=sex, address=DISTRICT, serial=1)
    resident = facade.resident_by_identity(number)
    if resident is None:
        if not Area.objects.filter(code=community).exists():
            return
        resident = services.register_resident(
            actor=SYSTEM, name=name, id_number=number, community_code=community,
            household_number="022009-D001", head=True, phone="13980001234",
            residence_since=date(2012, 3, 1), actual_address="锦江区督院街 12 号 3 单元 502")
    user = get_user_model().objects.filter(username="jumin").first()
    if user is not None and resident.user_id != user.pk:
        services.link_user(actor=SYSTEM, resident=resident, user=user)
