"""Linkage demo data: social workers' profiles (from the people demo), needs posted by
Jinjiang's communities over the last half year, and engagements at every stage with
their explanations and feedback; the demo organisation user's inbox is full. Everything
goes through the services (the ranking included). Idempotent."""

from __future__ import annotations

import contextlib
import random
from datetime import date, timedelta
from typing import Any

from django.utils import timezone

from shequ.areas.models import Area, Level
from shequ.authz import SYSTEM
from shequ.core.errors import BusinessError
from shequ.linkage import selectors, services
from shequ.linkage.models import Need, WorkerProfile
from shequ.orgs import facade as orgs
from shequ.people import facade as people

DISTRICT = "510104"
DEMO_ORG = "锦江社工服务中心"
NEEDS = [
    ("elderly", "独居老人周末探访", "为辖区独居老人提供每周上门探访与陪伴聊天。", 40),
    ("children", "暑期四点半课堂", "为双职工家庭儿童提供课后看护与作业辅导。", 60),
    ("aid", "困难家庭节日慰问", "为低保、困难家庭送去慰问物资并了解需求。", 25),
    ("mediation", "小区停车纠纷调解", "调解小区业主之间的停车位纠纷。", 120),
    ("culture", "社区迎新春文艺汇演", "组织居民文艺节目排练与演出。", 300),
    ("disability", "残疾人康复陪护", "为居家残疾人提供康复训练陪护。", 15),
    ("health", "老年人健康讲座", "开展慢病防治和健康生活方式讲座。", 80),
    ("environment", "垃圾分类宣传督导", "在小区开展垃圾分类宣传与桶边督导。", 500),
    ("volunteer", "社区志愿者培训", "为新招募的社区志愿者开展服务技能培训。", 50),
    ("legal", "居民法律咨询日", "每月一次为居民提供免费法律咨询。", 100),
    ("education", "老年智能手机课堂", "教老年人使用智能手机和线上办事。", 45),
    ("safety", "夜间巡逻志愿队组建", "组建楼栋夜间安全巡逻志愿队。", 200),
]


def load(stdout: Any = None) -> None:
    today = timezone.localdate()
    if not Area.objects.filter(code=DISTRICT).exists():
        return
    rng = random.Random(3)
    _workers(rng)
    if not Need.objects.filter(area_code__startswith=DISTRICT).exists():
        _needs(rng, today)
    if stdout is not None:
        stdout.write(f"linkage: {WorkerProfile.objects.count()} social workers, "
                     f"{Need.objects.count()} needs")


def _workers(rng: random.Random) -> None:
    if WorkerProfile.objects.exists():
        return
    categories = list(orgs.CATEGORIES.values)
    for i, sw in enumerate(people.social_workers(area_prefix=DISTRICT, qualified_only=True)[:60]):
        if not sw.area_code:
            continue
        lat, lon = orgs.demo_point(sw.area_code[:12] if len(sw.area_code) >= 12 else sw.area_code)
        cats = rng.sample(categories, 2)
        services.save_worker(actor=SYSTEM, staff_id=sw.staff_id, categories=cats,
                             capacity=rng.choice([1, 2, 2, 3]),
                             lat_e6=lat + rng.randint(-2000, 2000),
                             lon_e6=lon + rng.randint(-2000, 2000), available=i % 17 != 0)


def _step(e_id: int, action: str, on: date, **kw: Any) -> None:
    services.engagement_step(actor=SYSTEM, engagement_id=e_id, action=action, on=on, **kw)


def _needs(rng: random.Random, today: date) -> None:
    communities = list(Area.objects.filter(code__startswith=DISTRICT, level=Level.COMMUNITY,
                                           valid_to__isnull=True).order_by("code"))
    home = [c for c in communities if c.code.startswith("510104022")] or communities
    demo_org = orgs.org_named(DEMO_ORG)
    for i in range(24):
        category, title, text, people_n = NEEDS[i % len(NEEDS)]
        community = home[i % len(home)] if i < 12 else communities[(i * 5) % len(communities)]
        lat, lon = orgs.demo_point(community.code)
        past = i >= 14  # the older needs are done: they give providers a track record
        posted = today - timedelta(days=(200 - (i - 14) * 12) if past else (i % 12) + 1)
        short = community.name.replace("社区居委会", "")
        budget = None if i % 3 == 0 else rng.randint(5, 60) * 100_000
        try:
            need = services.post_need(
                actor=SYSTEM, area_code=community.code, category=category,
                title=f"{short}{title}", description=text, address=f"{community.name}党群服务中心",
                beneficiaries=people_n, wanted_from=posted + timedelta(days=7),
                wanted_to=posted + timedelta(days=90), budget_fen=budget,
                volunteer_only=budget is None, lat_e6=lat, lon_e6=lon, on=posted)
        except BusinessError:
            continue
        ranked, _version = selectors.candidates(need, limit=5)
        chosen = [(c.ranked.kind, c.ranked.id) for c in ranked[:2]]
        if demo_org and i < 12 and category in ("elderly", "children", "aid") and \
                ("org", demo_org) not in chosen:
            chosen.insert(0, ("org", demo_org))
        for rank_i, (kind, pid) in enumerate(chosen):
            try:
                e = services.invite(actor=SYSTEM, need_id=need.pk, kind=kind, provider_id=pid,
                                    on=posted + timedelta(days=1))
            except BusinessError:
                continue
            answered = posted + timedelta(days=2)
            is_demo = kind == "org" and pid == demo_org
            if not past and (i % 4 == 0 or (is_demo and i < 4)):
                continue  # still waiting for an answer
            if rank_i == 1 and not past:
                _step(e.pk, "decline", answered, note="本月人手已满")
                continue
            _step(e.pk, "accept", answered)
            _step(e.pk, "start", posted + timedelta(days=7))
            if past or i % 5 == 1:
                done = posted + timedelta(days=40)
                if done >= today:
                    continue
                _step(e.pk, "complete", done, hours=rng.randint(8, 120),
                      served=rng.randint(10, people_n))
                _step(e.pk, "feedback", done + timedelta(days=3), rating=rng.choice([5, 5, 4, 4, 3]),
                      feedback="服务认真，居民满意。")
        if past:
            need.refresh_from_db()
            if need.state == "matched":
                with contextlib.suppress(BusinessError):  # an engagement still under way
                    services.need_step(actor=SYSTEM, need_id=need.pk, action="close",
                                       on=posted + timedelta(days=50))
