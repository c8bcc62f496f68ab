"""Demo elections in Jinjiang: three completed general elections (one of them with a
supplementary round) and one in progress (nominations open). Idempotent: nothing is
done when the demo elections exist. Residents are registered (through people's own
service) only where the register of a community has too few adults (the people demo may
or may not have made them). Everything goes through the services, as the system actor
and, for the second tally entry, a second user who may enter tallies there."""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from shequ.accounts import facade as accounts
from shequ.areas.models import Area, Level
from shequ.authz import SYSTEM
from shequ.elections import selectors, services
from shequ.elections.enums import Perm
from shequ.elections.models import Action, Election, Kind, Outcome, Status
from shequ.people import facade

DISTRICT = "510104"
IN_PROGRESS = "510104022009"  # 督院街社区: where the demo community worker works
POSTS = [{"code": "chair", "label": "主任", "seats": 1},
         {"code": "vice_chair", "label": "副主任", "seats": 1},
         {"code": "women_member", "label": "妇女委员", "seats": 1, "women_only": True},
         {"code": "member", "label": "委员", "seats": 2}]
MIN_VOTERS = 60
SURNAMES = ("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐"
            "许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢")
GIVEN_M = ["建国", "志强", "伟", "磊", "军", "勇", "涛", "明", "超", "刚", "平", "辉", "鹏", "华", "飞", "斌"]
GIVEN_F = ["芳", "娜", "敏", "静", "丽", "艳", "娟", "霞", "秀英", "玲", "桂英", "婷", "雪", "慧", "红",
           "萍"]


class _Clerk:
    """A named operator for the second tally entry when the demo users are missing."""

    pk = None
    id = None
    is_authenticated = True
    is_active = True
    is_superuser = True
    is_staff = True

    def __init__(self, username: str) -> None:
        self.username = username

    def __str__(self) -> str:
        return self.username


def _clerks(area_code: str) -> tuple[Any, Any]:
    """Two different people who may enter tallies in the community (demo users when the
    accounts demo made them), else the system and a named clerk."""
    users = accounts.holders(Perm.TALLY, area_code)
    if len(users) >= 2:
        return users[0], users[1]
    return (users[0] if users else SYSTEM), _Clerk("demo-clerk")


def load(stdout: Any = None) -> None:
    communities = list(Area.objects.filter(code__startswith=DISTRICT, level=Level.COMMUNITY,
                                           valid_to__isnull=True).exclude(code=IN_PROGRESS)
                       .order_by("code")[:3])
    communities += list(Area.objects.filter(code=IN_PROGRESS))
    elections = Election.objects.filter(area_code__startswith=DISTRICT).exclude(kind=Kind.RECALL)
    if len(communities) < 4 or elections.exists():
        return
    today = timezone.localdate()
    rng = random.Random(2026)
    plans = [(communities[0], today - timedelta(days=200), "complete"),
             (communities[1], today - timedelta(days=180), "supplementary"),
             (communities[2], today - timedelta(days=150), "complete"),
             (communities[3], today + timedelta(days=35), "in_progress")]
    for area, day, plan in plans:
        with transaction.atomic():
            _ensure_residents(area.code, day, rng)
            _run(area, day, plan, rng)
    if stdout is not None:
        done = elections.filter(status=Status.ANNOUNCED).count()
        stdout.write(f"elections: {done} announced, 1 in progress")


def _ensure_residents(code: str, day: date, rng: random.Random) -> None:
    have = facade.eligible_voters(code, day).filter(registered_here=True, lives_here=True).count()
    for i in range(max(0, MIN_VOTERS - have)):
        sex = "F" if i % 2 else "M"
        name = rng.choice(SURNAMES) + rng.choice(GIVEN_F if sex == "F" else GIVEN_M)
        birth = date(1950 + rng.randrange(50), rng.randrange(1, 13), rng.randrange(1, 28))
        facade.register_made_up_resident(actor=SYSTEM, community_code=code, name=name,
                                         birth=birth, sex=sex, serial=1 + i)


def _run(area: Area, day: date, plan: str, rng: random.Random) -> None:
    a, b = _clerks(area.code)
    start = min(day, timezone.localdate()) - timedelta(days=40)
    e = services.create_election(actor=SYSTEM, community_code=area.code, voting_day=day, posts=POSTS,
                                 on=start, stations=[
                                     {"name": "第一投票站", "kind": "fixed", "place": "社区党群服务中心"},
                                     {"name": "第二投票站", "kind": "fixed", "place": "社区活动室"},
                                     {"name": "流动票箱", "kind": "mobile", "place": "行动不便的选民家中"}])
    services.build_roll(actor=SYSTEM, election_id=e.pk)
    voters = list(e.voters.order_by("pk"))
    stations = list(e.stations.order_by("pk"))
    shares: dict[int, list[int]] = {st.pk: [] for st in stations}
    for i, v in enumerate(voters):  # share the roll out among the stations
        shares[stations[0 if i % 5 < 3 else 1 if i % 5 < 4 else 2].pk].append(v.pk)
    for station_id, voter_ids in shares.items():
        services.assign_station(actor=SYSTEM, election_id=e.pk, station_id=station_id,
                                voter_ids=voter_ids)
    services.transition(actor=SYSTEM, election_id=e.pk, action=Action.PUBLISH_ROLL,
                        on=start + timedelta(days=2))
    services.transition(actor=SYSTEM, election_id=e.pk, action=Action.OPEN_NOMINATIONS,
                        on=start + timedelta(days=10))
    used: set[str] = set()
    pool = list(voters)
    rng.shuffle(pool)
    nominators = pool[-10:]
    for post in POSTS:
        wanted = int(str(post["seats"])) + 1
        for v in pool[:-10]:
            if wanted == 0:
                break
            if v.name in used or (post.get("women_only") and v.sex != "F"):
                continue
            services.nominate(actor=SYSTEM, election_id=e.pk, post=str(post["code"]), candidate_id=v.pk,
                              nominator_ids=[n.pk for n in rng.sample(nominators, 3)],
                              statement="热心社区公共事务")
            used.add(v.name)
            wanted -= 1
    if plan == "in_progress":
        return
    services.transition(actor=SYSTEM, election_id=e.pk, action=Action.ANNOUNCE_CANDIDATES,
                        on=day - timedelta(days=7))
    services.transition(actor=SYSTEM, election_id=e.pk, action=Action.OPEN_POLLING, on=day)
    services.transition(actor=SYSTEM, election_id=e.pk, action=Action.CLOSE_POLLING, on=day)
    e.refresh_from_db()
    _enter_round(e, stations, rng, weak_member=plan == "supplementary", clerks=(a, b))
    services.count(actor=SYSTEM, election_id=e.pk, on=day)
    e.refresh_from_db()
    if e.outcome == Outcome.SUPPLEMENTARY_NEEDED:
        services.transition(actor=SYSTEM, election_id=e.pk, action=Action.START_SUPPLEMENTARY,
                            on=day)
        services.transition(actor=SYSTEM, election_id=e.pk, action=Action.CLOSE_POLLING, on=day)
        e.refresh_from_db()
        _enter_round(e, stations, rng, weak_member=False, clerks=(a, b))
        services.count(actor=SYSTEM, election_id=e.pk, on=day)
    services.announce(actor=SYSTEM, election_id=e.pk, on=day)


def _enter_round(e: Election, stations: list[Any], rng: random.Random, *, weak_member: bool,
                 clerks: tuple[Any, Any]) -> None:
    ballot = selectors.ballot(e)
    for st in stations:
        voters = st.voters.filter(removed=False).count()
        issued = int(voters * rng.uniform(0.82, 0.95))
        returned = issued
        posts: dict[str, Any] = {}
        for p in ballot:
            invalid = rng.randrange(0, 3) if returned > 10 else 0
            valid = returned - invalid
            room = valid * p["seats"]
            votes = {}
            for i, name in enumerate(p["candidates"]):
                strong = i < p["seats"] and not (weak_member and p["post"] == "member" and i >= 1)
                share = rng.uniform(0.6, 0.8) if strong else rng.uniform(0.15, 0.35)
                n = min(int(valid * share), room, valid)
                votes[name] = n
                room -= n
            posts[p["post"]] = {"invalid": invalid, "votes": votes}
        data = {"issued": issued, "returned": returned, "posts": posts}
        for clerk in clerks:
            services.enter_tally(actor=clerk, election_id=e.pk, station_id=st.pk, data=data)
