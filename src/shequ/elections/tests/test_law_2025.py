"""The 2025 revision in the ``rcl-2025`` profile (ADR 0609) and dates that make sense
(ADR 0610), each with its hand-worked example."""

from __future__ import annotations

import json
from datetime import date, timedelta
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone

from shequ.audit.models import AuditEntry
from shequ.authz import SYSTEM
from shequ.core.errors import BusinessError
from shequ.elections import rules, services
from shequ.elections.lifecycles import ELECTION
from shequ.elections.models import Basis, Election, Status
from shequ.elections.services.roll import months_before
from shequ.elections.tests.driver import COMMUNITY, load_case, make_voters
from shequ.people.enums import EndReason
from shequ.people.models import Body, BodyKind, Household, Membership, Post, StaffKind, StaffMember
from shequ.people.tests.factories import make_identity_number, make_resident

POSTS = [{"code": "chair", "label": "主任", "seats": 1},
         {"code": "women", "label": "妇女委员", "seats": 1, "women_only": True},
         {"code": "member", "label": "委员", "seats": 3}]
TODAY = timezone.localdate()
START = TODAY - timedelta(days=40)  # set up and roll published; voting day START + 30


def _election(profile: str = "rcl-2025", *, start: date = START) -> Election:
    make_voters(load_case("first_round"))
    e = services.create_election(actor=SYSTEM, community_code=COMMUNITY, profile=profile,
                                 voting_day=start + timedelta(days=30), posts=POSTS,
                                 stations=[{"name": "投票站"}], on=start)
    services.build_roll(actor=SYSTEM, election_id=e.pk)
    return e


def _refusal(call: Any) -> BusinessError:
    with pytest.raises(BusinessError) as err:
        call()
    return err.value


# --------------------------------------------------------------------------- the profile


def test_rcl_2025_differs_from_rcl_2018_where_the_law_changed_with_verified_citations() -> None:
    old, new = rules.base("rcl-2018"), rules.base("rcl-2025")
    changed = {k for k in new.rules if new.value(k) != old.value(k)}
    assert changed == {"residence_months", "workers_may_register", "relatives_leave_committee",
                       "representatives_conference"}
    assert (old.value("residence_months"), new.value("residence_months")) == (0, 6)
    assert new.rule("residence_months").display() == "6 个月"
    for key in ("residence_months", "workers_may_register", "worker_months",
                "representatives_conference"):
        assert new.rule(key).verified, key
    assert new.rule("residence_months").source() == (
        "甘肃省居民委员会选举办法（2025年11月27日通过） 第十六条第一款第二项"
        "（户籍不在本社区但在本社区居住六个月以上的居民）")
    assert new.rule("representatives_conference").source().startswith(
        "城市居民委员会组织法（2025年修订） 第二条第二款")
    # the one change whose national article was not read says so
    assert new.rule("relatives_leave_committee").source().endswith(
        "2025年修订文本的条号未核对（引用未核实）")
    # nothing cites an invented "2025年修订 第八条" any more; the turnout rule cites VCL 15(2)
    for rule in new.rules.values():
        assert "2025年修订） 第八条" not in str(rule.citation)
    assert old.rule("turnout_for_validity").source() == (
        "村民委员会组织法（2018年修正） 第十五条第二款（有登记参加选举的村民过半数投票，选举有效）")
    assert old.rule("residence_months").source() == (
        "城市居民委员会组织法（2018年修正） 第八条第二款（本居住地区居民不分居住期限都有选举权）")


def test_the_profiles_command_shows_the_changed_values_with_their_sources() -> None:
    out = StringIO()
    call_command("elections", "profiles", stdout=out)
    shown = {p["profile"]: {r["key"]: r for r in p["rules"]} for p in json.loads(out.getvalue())}
    assert shown["rcl-2018"]["residence_months"]["display"] == "0 个月"
    assert shown["rcl-2025"]["residence_months"]["display"] == "6 个月"
    assert shown["rcl-2025"]["workers_may_register"]["display"] == "是"
    assert shown["rcl-2018"]["workers_may_register"]["display"] == "否"
    assert "（引用未核实）" not in shown["rcl-2025"]["workers_may_register"]["source"]


def test_an_old_snapshot_reads_its_residence_years_as_months() -> None:
    snap = rules.snapshot(rules.base("rcl-2025"))
    old_rule = dict(snap["rules"].pop("residence_months"), value=1, unit="years")
    snap["rules"]["residence_years"] = old_rule
    for key in rules.ADDED_IN_4:
        snap["rules"].pop(key)
    prof = rules.from_snapshot(snap)
    assert rules.rule_in(prof, "residence_months").value == 12
    assert rules.rule_in(prof, "polling_on_voting_day").value is True
    assert str(prof.rule("residence_years").label) == "户籍不在本社区的选民须居住满"


@pytest.mark.parametrize(("day", "months", "expected"), [
    (date(2026, 3, 31), 6, date(2025, 9, 30)),   # September has 30 days
    (date(2026, 8, 31), 6, date(2026, 2, 28)),
    (date(2028, 8, 31), 6, date(2028, 2, 29)),   # leap year
    (date(2026, 1, 15), 6, date(2025, 7, 15)),
    (date(2026, 1, 15), 0, date(2026, 1, 15)),
])
def test_months_before(day: date, months: int, expected: date) -> None:
    assert months_before(day, months) == expected


# --------------------------------------------------------------------------- the roll


def test_a_resident_without_registration_here_votes_after_six_months(tree: Any) -> None:
    e = _election()
    limit = months_before(e.voting_day, 6)
    on_time = make_resident(COMMUNITY, name="居住满六月", registered_here=False,
                            residence_since=limit)
    late = make_resident(COMMUNITY, name="居住未满", registered_here=False,
                         residence_since=limit + timedelta(days=1))
    voter = services.add_voter(actor=SYSTEM, election_id=e.pk, resident_id=on_time.pk,
                               basis=Basis.RESIDENT_ONE_YEAR, reason="本人申请")
    assert voter.basis == "resident_one_year"
    err = _refusal(lambda: services.add_voter(actor=SYSTEM, election_id=e.pk, resident_id=late.pk,
                                              basis=Basis.RESIDENT_ONE_YEAR, reason="本人申请"))
    assert err.code == "residence_months"
    assert str(err.message) == (f"户籍不在本社区的居民须在本社区居住满 6 个月（最迟自 {limit} 起）"
                                "方可登记参加选举。")
    assert err.details["source"].startswith("甘肃省居民委员会选举办法（2025年11月27日通过） 第十六条")


def test_under_the_2018_law_residence_has_no_period(tree: Any) -> None:
    e = _election("rcl-2018")
    newcomer = make_resident(COMMUNITY, name="新近迁入", registered_here=False,
                             residence_since=e.voting_day - timedelta(days=3))
    services.add_voter(actor=SYSTEM, election_id=e.pk, resident_id=newcomer.pk,
                       basis=Basis.RESIDENT_ONE_YEAR, reason="本人申请")
    away = make_resident(COMMUNITY, name="不住本社区", registered_here=False, lives_here=False)
    err = _refusal(lambda: services.add_voter(actor=SYSTEM, election_id=e.pk, resident_id=away.pk,
                                              basis=Basis.RESIDENT_ONE_YEAR, reason="本人申请"))
    assert (err.code, str(err.message)) == ("residence_months", "不住本社区 不在本社区居住。")


def _worker(name: str, since: date, serial: int) -> str:
    """A community worker of COMMUNITY registered and living in another community; returns
    the identity number (the desk finds people registered elsewhere by it)."""
    number = make_identity_number(date(1990, 4, 1), sex="F", serial=serial)
    person = make_resident("510104022002", name=name, sex="F", number=number)
    StaffMember.objects.create(code=f"SG-{serial}", name=name, kind=StaffKind.COMMUNITY_WORKER,
                               area_code=COMMUNITY, joined_on=since, resident=person)
    return number


def test_a_community_worker_registers_on_request_with_the_committees_confirmation(tree: Any) -> None:
    e = _election()
    limit = months_before(e.voting_day, 6)
    worker = _worker("社工甲", limit, 701)
    newcomer = _worker("社工乙", limit + timedelta(days=1), 702)
    confirmed = START + timedelta(days=1)

    def add(number: str, **kw: Any) -> Any:
        return services.add_voter(actor=SYSTEM, election_id=e.pk, identity_number=number,
                                  basis=Basis.COMMUNITY_WORKER, reason="本人书面申请", **kw)

    err = _refusal(lambda: add(worker))
    assert (err.code, str(err.message)) == ("confirmation_required",
                                            "社区工作者登记须经选举委员会确认：请填写确认日期和确认记录。")
    err = _refusal(lambda: add(worker, confirmed_on=TODAY + timedelta(days=1),
                               confirmation="选举委员会第2次会议纪要"))
    assert err.code == "date_in_future"
    err = _refusal(lambda: add(newcomer, confirmed_on=confirmed, confirmation="第2次会议纪要"))
    assert err.code == "worker_months"
    assert str(err.message) == (f"社区工作者须在本社区工作满 6 个月（最迟自 {limit} 起）方可登记；"
                                f"社工乙 自 {limit + timedelta(days=1)} 起在本社区工作。")
    voter = add(worker, confirmed_on=confirmed, confirmation="选举委员会第2次会议纪要")
    assert (voter.basis, voter.confirmed_on, voter.confirmation) == (
        "community_worker", confirmed, "选举委员会第2次会议纪要")
    assert voter.get_basis_display() == "在本社区工作的社区工作者，本人申请，经选举委员会确认"
    entry = AuditEntry.objects.get(action="elections.voter.add", object_id=str(voter.pk))
    assert entry.changes["confirmation"] == "选举委员会第2次会议纪要"
    # someone who is not a community worker here cannot use this basis
    stranger = make_identity_number(date(1985, 1, 1), sex="M", serial=703)
    make_resident("510104022002", name="路人", number=stranger)
    err = _refusal(lambda: add(stranger, confirmed_on=confirmed, confirmation="纪要"))
    assert (err.code, str(err.message)) == ("worker_months", "路人 不是本社区在岗的社区工作者。")


def test_under_the_2018_law_community_workers_from_elsewhere_do_not_register(tree: Any) -> None:
    e = _election("rcl-2018")
    worker = _worker("社工丙", START - timedelta(days=800), 704)
    err = _refusal(lambda: services.add_voter(
        actor=SYSTEM, election_id=e.pk, identity_number=worker, basis=Basis.COMMUNITY_WORKER,
        reason="本人书面申请", confirmed_on=START, confirmation="纪要"))
    assert (err.code, str(err.message)) == ("workers_may_register",
                                            "本次选举适用的规则不允许外社区的社区工作者登记参加选举。")


def test_a_relative_of_a_candidate_leaves_the_election_committee(tree: Any) -> None:
    home = Household.objects.create(number="H-1", area_code=COMMUNITY, community_code=COMMUNITY)
    same = ("候选人妻", "同户丈夫")
    people = {n: make_resident(COMMUNITY, name=n, sex="F", household=home if n in same else None)
              for n in ("候选人妻", "同户丈夫", "远亲", "无关委员")}
    body = Body.objects.create(kind=BodyKind.ELECTION_COMMITTEE, name="选举委员会", area_code=COMMUNITY)
    post = Post.objects.create(body=body, role="member", label="委员", seats=5)
    members = {n: Membership.objects.create(body=body, post=post, resident=people[n], person_name=n,
                                            start_date=START - timedelta(days=5))
               for n in ("同户丈夫", "远亲", "无关委员")}
    e = _election()
    services.transition(actor=SYSTEM, election_id=e.pk, action="publish_roll", on=START)
    services.transition(actor=SYSTEM, election_id=e.pk, action="open_nominations", on=START)
    v = {x.name: x for x in e.voters.all()}
    services.nominate(actor=SYSTEM, election_id=e.pk, post="women", candidate_id=v["候选人妻"].pk,
                      nominator_ids=[v["居民01"].pk], relative_ids=[people["远亲"].pk])
    for m in members.values():
        m.refresh_from_db()
    assert members["同户丈夫"].end_date == TODAY and members["同户丈夫"].end_reason == EndReason.OTHER
    assert members["远亲"].end_date == TODAY
    assert members["无关委员"].end_date is None
    entry = AuditEntry.objects.get(action="elections.candidate.nominate")
    assert sorted(entry.changes["relatives_left_election_committee"]) == sorted(
        [members["同户丈夫"].pk, members["远亲"].pk])


def test_under_the_2018_law_relatives_stay_on_the_election_committee(tree: Any) -> None:
    home = Household.objects.create(number="H-2", area_code=COMMUNITY, community_code=COMMUNITY)
    wife = make_resident(COMMUNITY, name="候选人", sex="F", household=home)
    husband = make_resident(COMMUNITY, name="丈夫", household=home)
    body = Body.objects.create(kind=BodyKind.ELECTION_COMMITTEE, name="选举委员会", area_code=COMMUNITY)
    post = Post.objects.create(body=body, role="member", label="委员", seats=5)
    m = Membership.objects.create(body=body, post=post, resident=husband, person_name="丈夫",
                                  start_date=START - timedelta(days=5))
    e = _election("rcl-2018")
    services.transition(actor=SYSTEM, election_id=e.pk, action="publish_roll", on=START)
    services.transition(actor=SYSTEM, election_id=e.pk, action="open_nominations", on=START)
    v = {x.name: x for x in e.voters.all()}
    services.nominate(actor=SYSTEM, election_id=e.pk, post="women", candidate_id=v[wife.name].pk,
                      nominator_ids=[v["居民01"].pk])
    m.refresh_from_db()
    assert m.end_date is None


# --------------------------------------------------------------------------- dates (ADR 0610)


def test_voting_day_must_be_within_a_year_and_a_far_future_one_blocks_nothing(tree: Any) -> None:
    make_voters(load_case("first_round"))
    err = _refusal(lambda: services.create_election(
        actor=SYSTEM, community_code=COMMUNITY, voting_day=date(9999, 12, 31), posts=POSTS))
    assert err.code == "setup_days_before_max"
    assert str(err.message) == "选举日 9999-12-31 距今超过 365 日；选举在举行当年设立（请核对日期）。"
    err = _refusal(lambda: services.create_election(
        actor=SYSTEM, community_code=COMMUNITY, voting_day=TODAY + timedelta(days=366),
        posts=POSTS))
    assert err.code == "setup_days_before_max"
    assert not Election.objects.exists()
    # the community's real election can be set up
    services.create_election(actor=SYSTEM, community_code=COMMUNITY,
                             voting_day=TODAY + timedelta(days=365), posts=POSTS)


def test_no_step_is_recorded_ahead_of_its_day(tree: Any) -> None:
    e = _election(start=TODAY)
    err = _refusal(lambda: services.transition(actor=SYSTEM, election_id=e.pk,
                                               action="publish_roll",
                                               on=TODAY + timedelta(days=1)))
    assert err.code == "date_in_future"
    assert str(err.message) == (f"日期 {TODAY + timedelta(days=1)} 晚于今天（{TODAY}）："
                                "各步骤按实际发生之日登记，不得提前登记。")
    e.refresh_from_db()
    assert e.status == Status.SETUP


def test_candidates_wait_for_the_objection_window_and_polling_for_voting_day(tree: Any) -> None:
    e = _election()
    services.transition(actor=SYSTEM, election_id=e.pk, action="publish_roll", on=START)
    services.transition(actor=SYSTEM, election_id=e.pk, action="open_nominations", on=START)
    v = {x.name: x for x in e.voters.all()}
    for post, names in (("chair", ["张建国", "李明"]), ("women", ["刘丽", "陈静"]),
                        ("member", ["周涛", "吴刚", "郑华", "王芳"])):
        for name in names:
            services.nominate(actor=SYSTEM, election_id=e.pk, post=post,
                              candidate_id=v[name].pk, nominator_ids=[v["居民01"].pk])
    last = START + timedelta(days=5)  # published START: objections until START + 5
    err = _refusal(lambda: services.transition(actor=SYSTEM, election_id=e.pk,
                                               action="announce_candidates", on=last))
    assert err.code == "objection_days"
    assert str(err.message) == (f"对选民名单的申诉期至 {last} 止：正式候选人名单自 "
                                f"{last + timedelta(days=1)} 起方可公布。")
    assert err.details["source"].startswith("村民委员会组织法（2018年修正） 第十四条")
    e.refresh_from_db()
    assert ELECTION.allowed(SYSTEM, e, on=last) == ["cancel"]
    services.transition(actor=SYSTEM, election_id=e.pk, action="announce_candidates",
                        on=last + timedelta(days=1))
    eve = e.voting_day - timedelta(days=1)
    err = _refusal(lambda: services.transition(actor=SYSTEM, election_id=e.pk,
                                               action="open_polling", on=eve))
    assert err.code == "polling_on_voting_day"
    assert str(err.message) == f"投票在选举日 {e.voting_day} 进行，不得在选举日之前开始或结束投票。"
    services.transition(actor=SYSTEM, election_id=e.pk, action="open_polling", on=e.voting_day)
    e.refresh_from_db()
    assert e.status == Status.POLLING


def test_the_detail_page_says_from_when_candidates_may_be_announced(tree: Any,
                                                                     make_user: Any) -> None:
    from django.test import Client

    e = _election()
    services.transition(actor=SYSTEM, election_id=e.pk, action="publish_roll", on=START)
    c = Client()
    c.force_login(make_user("community_worker", COMMUNITY))
    html = c.get(f"/elections/{e.pk}/").content.decode()
    first = START + timedelta(days=6)
    last = e.voting_day - timedelta(days=5)
    assert f"{first.year}年{first.month}月{first.day}日 起，{last.year}年{last.month}月{last.day}日" in html


def test_the_roll_page_registers_a_community_worker_only_with_the_confirmation(
        tree: Any, make_user: Any) -> None:
    from django.test import Client

    e = _election(start=TODAY - timedelta(days=1))
    worker = _worker("社工丁", months_before(e.voting_day, 7), 705)
    c = Client()
    c.force_login(make_user("community_worker", COMMUNITY))
    url = f"/elections/{e.pk}/roll/"
    form = {"what": "add", "identity_number": worker, "basis": "community_worker",
            "reason": "本人书面申请", "group": ""}
    html = c.post(url, form, follow=True).content.decode()
    assert "社区工作者登记须经选举委员会确认：请填写确认日期和确认记录。" in html
    assert not e.voters.filter(basis="community_worker").exists()
    html = c.post(url, {**form, "confirmed_on": TODAY.isoformat(),
                        "confirmation": "选举委员会第1次会议纪要"}, follow=True).content.decode()
    assert '<li class="msg success">选民已补登。</li>' in html
    voter = e.voters.get(basis="community_worker")
    assert (voter.name, voter.confirmed_on) == ("社工丁", TODAY)


def test_the_nomination_page_declares_relatives_and_says_who_left(tree: Any,
                                                                  make_user: Any) -> None:
    from django.test import Client

    brother = make_resident(COMMUNITY, name="委员兄长")
    body = Body.objects.create(kind=BodyKind.ELECTION_COMMITTEE, name="选举委员会", area_code=COMMUNITY)
    post = Post.objects.create(body=body, role="member", label="委员", seats=5)
    m = Membership.objects.create(body=body, post=post, resident=brother, person_name="委员兄长",
                                  start_date=START - timedelta(days=5))
    e = _election()
    services.transition(actor=SYSTEM, election_id=e.pk, action="publish_roll", on=START)
    services.transition(actor=SYSTEM, election_id=e.pk, action="open_nominations", on=START)
    v = {x.name: x for x in e.voters.all()}
    c = Client()
    c.force_login(make_user("community_worker", COMMUNITY))
    url = f"/elections/{e.pk}/nominations/"
    page = c.get(url).content.decode()
    assert f'<option value="{brother.pk}">委员兄长</option>' in page
    html = c.post(url, {"what": "nominate", "post": "chair", "candidate_id": v["张建国"].pk,
                        "nominators": [v["居民01"].pk], "statement": "",
                        "relatives": [brother.pk]}, follow=True).content.decode()
    assert "近亲属回避：委员兄长 已退出选举委员会。" in html
    m.refresh_from_db()
    assert m.end_date == TODAY
