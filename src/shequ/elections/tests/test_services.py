"""Complete elections through the services: every outcome the law allows, and the
refusals (each naming its rule and source)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.utils import timezone

from shequ.audit.models import AuditEntry
from shequ.authz import SYSTEM
from shequ.core.errors import BusinessError, Conflict, Forbidden
from shequ.elections import selectors, services, tally
from shequ.elections.models import Election, Result, Status, Voter
from shequ.elections.tests.driver import (
    CASES,
    COMMUNITY,
    engine_doc,
    load_case,
    run_services,
    set_up,
    station_data,
    stations_of,
)
from shequ.people.enums import EndReason
from shequ.people.models import Membership
from shequ.people.tests.factories import make_resident


@pytest.fixture
def clerks(tree: Any, make_user: Any) -> tuple[Any, Any]:
    return (make_user("community_worker", COMMUNITY, username="clerk1"),
            make_user("community_worker", COMMUNITY, username="clerk2"))


def _summary(e: Election) -> dict[str, Any]:
    result = selectors.latest_result(e)
    assert result is not None
    return tally.summary(result.result)


@pytest.mark.parametrize("name", CASES)
def test_every_case_gives_the_same_result_through_the_services(name: str, clerks: Any) -> None:
    case = load_case(name)
    e = run_services(case, clerks, set_up(case, clerks[0]))
    assert _summary(e) == case["expected"]
    res = selectors.latest_result(e)
    assert res is not None and res.result == tally.count_election(engine_doc(case))
    assert e.status == Status.ANNOUNCED and e.outcome == case["expected"]["outcome"]
    members = Membership.objects.filter(source=f"elections:{e.pk}")
    elected = sorted(n for p in case["expected"]["committee"].values() for n in p["elected"])
    assert sorted(members.values_list("person_name", flat=True)) == elected
    assert all(m.resident_id for m in members)
    assert not Voter.objects.filter(election=e, active=True).exists()  # the roll is closed
    # recorded by people itself: one audit entry per membership, naming the clerk
    added = AuditEntry.objects.filter(action="people.membership.add")
    assert sorted(a.changes["name"] for a in added) == elected
    assert {a.actor_name for a in added} <= {"clerk1"}
    assert AuditEntry.objects.filter(action="people.body.create").count() == (1 if elected else 0)


def test_announced_results_are_immutable_and_only_a_recount_corrects_them(clerks: Any,
                                                                          make_user: Any) -> None:
    case = load_case("first_round")
    e = run_services(case, clerks, set_up(case, clerks[0]))
    res = selectors.latest_result(e)
    assert res is not None and res.announced_at is not None
    res.outcome = "void"
    with pytest.raises(Conflict):
        res.save()
    with pytest.raises(Conflict):
        res.delete()
    station = stations_of(e)["第一投票站"]
    data = station_data(case["rounds"][0]["stations"][0])
    data["posts"]["member"] = {"votes": {"周涛": 14, "吴刚": 8, "郑华": 12}}
    with pytest.raises(Forbidden):
        services.recount(actor=clerks[0], election_id=e.pk, station_id=station.pk, data=data,
                         reason="复核")
    officer = make_user("civil_affairs", "510104", username="minzheng")
    new = services.recount(actor=officer, election_id=e.pk, station_id=station.pk, data=data,
                           reason="监票人复核发现第一投票站委员票数登记错误")
    assert new.version == 2 and Result.objects.get(pk=res.pk).outcome == "complete"
    assert new.result["committee"][3]["elected"] == ["周涛", "郑华"]
    assert AuditEntry.objects.filter(action="elections.election.recount").count() == 1
    services.announce(actor=officer, election_id=e.pk)
    current = Membership.objects.filter(source=f"elections:{e.pk}", end_date__isnull=True)
    assert "郑华" in current.values_list("person_name", flat=True)
    assert "吴刚" not in current.values_list("person_name", flat=True)
    # the first announcement's memberships end as corrected: a key, with people's audit entry
    corrected = Membership.objects.filter(source=f"elections:{e.pk}", end_date__isnull=False)
    assert corrected.count() == 5
    assert set(corrected.values_list("end_reason", flat=True)) == {EndReason.CORRECTED}
    ends = AuditEntry.objects.filter(action="people.membership.end")
    assert ends.count() == 5 and {a.actor_name for a in ends} == {"minzheng"}
    assert {a.changes["reason"] for a in ends} == {"corrected"}


def test_a_tally_that_does_not_add_up_cannot_be_confirmed(clerks: Any) -> None:
    case = load_case("first_round")
    e = set_up(case, clerks[0])
    station = stations_of(e)["流动票箱"]
    bad = {"issued": 5, "returned": 5, "posts": {"chair": {"votes": {"张建国": 6}}}}
    with pytest.raises(BusinessError) as err:
        services.enter_tally(actor=clerks[0], election_id=e.pk, station_id=station.pk, data=bad)
    assert err.value.code == "tally_does_not_add_up"
    assert str(err.value.message) == ("投票站 流动票箱：张建国 的赞成、反对和弃权票合计（6）多于 主任 "
                                      "的有效票（5）。")
    assert err.value.details["citation"] == ("省级居（村）民委员会选举办法通行规定"
                                             "（所选人数多于应选人数的选票无效）")
    assert not station.tallies.exists()


def test_double_entry_needs_two_people_and_differences_are_resolved(clerks: Any) -> None:
    case = load_case("first_round")
    e = set_up(case, clerks[0])
    station = stations_of(e)["流动票箱"]
    good = station_data(case["rounds"][0]["stations"][1])
    services.enter_tally(actor=clerks[0], election_id=e.pk, station_id=station.pk, data=good)
    with pytest.raises(BusinessError) as err:
        services.enter_tally(actor=clerks[0], election_id=e.pk, station_id=station.pk, data=good)
    assert err.value.details["rule"] == "double_entry"
    assert str(err.value.message) == "第二次录入必须由另一人完成。"
    typo = {**good, "posts": {**good["posts"], "chair": {"votes": {"张建国": 3, "李明": 1}}}}
    out = services.enter_tally(actor=clerks[1], election_id=e.pk, station_id=station.pk, data=typo)
    assert out["status"] == "differs"
    assert out["differences"] == [{"field": "posts.chair.votes.张建国", "first": 4, "second": 3}]
    with pytest.raises(BusinessError):  # not counted until resolved
        services.count(actor=clerks[0], election_id=e.pk)
    services.resolve_tally(actor=clerks[0], election_id=e.pk, station_id=station.pk, data=good,
                           reason="核对原始计票单：4票")
    assert station.tallies.get().method == "resolved"


def test_nobody_on_two_rolls_anywhere(tree: Any) -> None:
    person = make_resident(COMMUNITY, name="两地人")
    for _ in range(4):
        make_resident(COMMUNITY)
    make_resident("510104022011")
    posts = [{"code": "chair", "label": "主任", "seats": 1},
             {"code": "women", "label": "妇女委员", "seats": 1, "women_only": True},
             {"code": "member", "label": "委员", "seats": 3}]
    day = date.today() + timedelta(days=40)
    e1 = services.create_election(actor=SYSTEM, community_code=COMMUNITY, voting_day=day, posts=posts)
    e2 = services.create_election(actor=SYSTEM, community_code="510104022011", voting_day=day,
                                  posts=posts)
    services.build_roll(actor=SYSTEM, election_id=e1.pk)
    with pytest.raises(BusinessError) as err:
        services.add_resident(SYSTEM, e2, person, "registered_away", "申请在盐市口参选")
    assert err.value.details["rule"] == "one_roll_only"
    assert str(err.value.message) == "两地人 登记在其他社区。"
    # the database itself refuses a second open roll entry
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Voter.objects.create(election=e2, area_code=COMMUNITY, resident=person, id_hash=person.id_hash,
                             name=person.name, basis="registered_resident")


def test_set_up_refusals_name_the_rule(tree: Any) -> None:
    today = date.today()
    posts = [{"code": "chair", "label": "主任", "seats": 1}, {"code": "member", "label": "委员", "seats": 4}]
    with pytest.raises(BusinessError) as err:
        services.create_election(actor=SYSTEM, community_code=COMMUNITY,
                                 voting_day=today + timedelta(days=40), posts=posts)
    assert err.value.details["rule"] == "women_seat"
    assert str(err.value.message) == "至少应设一个妇女职数（妇女委员）。"
    assert err.value.details["source"] == ("甘肃省居民委员会选举办法（2025年11月27日通过） 第五条第二款"
                                           "（居民委员会成员中应当有妇女成员）")
    posts.append({"code": "women", "label": "妇女委员", "seats": 1, "women_only": True})
    with pytest.raises(BusinessError) as err:
        services.create_election(actor=SYSTEM, community_code=COMMUNITY,
                                 voting_day=today + timedelta(days=10), posts=posts)
    assert err.value.details["rule"] == "roll_days_before"
    assert str(err.value.message) == (f"选举日 {today + timedelta(days=10)} 距今不足 20 日，"
                                      "无法在选举日前依法公布选民名单。")
    posts.append({"code": "member2", "label": "委员", "seats": 4})
    with pytest.raises(BusinessError) as err:
        services.create_election(actor=SYSTEM, community_code=COMMUNITY,
                                 voting_day=today + timedelta(days=40), posts=posts)
    assert err.value.details["rule"] == "members_min"
    assert str(err.value.message) == "居民委员会由 5 至 9 人组成；所设职位共 10 个职数。"


def test_roll_objections_proxies_and_competitive_list(tree: Any) -> None:
    young = make_resident(COMMUNITY, name="少年", birth=date.today().replace(year=date.today().year - 17))
    deprived = make_resident(COMMUNITY, name="被剥夺者", deprived_of_political_rights=True)
    away = make_resident(COMMUNITY, name="外出者", lives_here=False)
    newcomer = make_resident(COMMUNITY, name="新居民", registered_here=False,
                             residence_since=date.today() - timedelta(days=800))
    people = [make_resident(COMMUNITY, name=f"选民{i}", sex="F" if i % 2 else "M") for i in range(8)]
    posts = [{"code": "chair", "label": "主任", "seats": 1},
             {"code": "women", "label": "妇女委员", "seats": 1, "women_only": True},
             {"code": "member", "label": "委员", "seats": 3}]
    start = timezone.localdate() - timedelta(days=40)  # entered afterwards, day by day
    e = services.create_election(actor=SYSTEM, community_code=COMMUNITY,
                                 voting_day=start + timedelta(days=30), posts=posts,
                                 stations=[{"name": "投票站"}], on=start)
    assert services.build_roll(actor=SYSTEM, election_id=e.pk)["added"] == 8
    with pytest.raises(BusinessError) as err:
        services.add_voter(actor=SYSTEM, election_id=e.pk, resident_id=young.pk, basis="objection",
                           reason="补登")
    assert err.value.details["rule"] == "voting_age"
    with pytest.raises(BusinessError):
        services.add_voter(actor=SYSTEM, election_id=e.pk, resident_id=deprived.pk, basis="objection",
                           reason="补登")
    services.add_voter(actor=SYSTEM, election_id=e.pk, resident_id=away.pk, basis="registered_away",
                       reason="本人书面申请参加选举")
    services.add_voter(actor=SYSTEM, election_id=e.pk, resident_id=newcomer.pk, basis="resident_one_year",
                       reason="居住满六个月，本人申请")
    services.transition(actor=SYSTEM, election_id=e.pk, action="publish_roll", on=start)
    wrong = e.voters.get(name="外出者")
    obj = services.file_objection(actor=SYSTEM, election_id=e.pk, kind="wrongful", filed_by="选民0",
                                  reason="已迁出", voter_id=wrong.pk, on=start)
    late = start + timedelta(days=6)
    with pytest.raises(BusinessError) as err:
        services.file_objection(actor=SYSTEM, election_id=e.pk, kind="wrongful", filed_by="选民0",
                                reason="x", voter_id=wrong.pk, on=late)
    assert err.value.details["rule"] == "objection_days"
    services.decide_objection(actor=SYSTEM, objection_id=obj.pk, decision="rejected",
                              reason="户籍仍在本社区，本人申请参选", on=start + timedelta(days=4))
    obj.refresh_from_db()
    assert obj.decided_late is True
    v = {x.name: x for x in e.voters.all()}
    with pytest.raises(BusinessError) as err:
        services.register_proxy(actor=SYSTEM, election_id=e.pk, principal_id=v["选民1"].pk,
                                proxy_id=v["选民2"].pk, relation="neighbour")
    assert err.value.details["rule"] == "proxy_relatives"
    for i in range(3):
        services.register_proxy(actor=SYSTEM, election_id=e.pk, principal_id=v[f"选民{i + 1}"].pk,
                                proxy_id=v["选民0"].pk, relation="child")
    with pytest.raises(BusinessError) as err:
        services.register_proxy(actor=SYSTEM, election_id=e.pk, principal_id=v["选民4"].pk,
                                proxy_id=v["选民0"].pk, relation="spouse")
    assert err.value.details["rule"] == "proxies_per_voter_max"
    services.transition(actor=SYSTEM, election_id=e.pk, action="open_nominations")
    with pytest.raises(BusinessError) as err:
        services.nominate(actor=SYSTEM, election_id=e.pk, post="women", candidate_id=v["选民0"].pk,
                          nominator_ids=[v["选民3"].pk])
    assert err.value.details["rule"] == "women_seat"
    services.nominate(actor=SYSTEM, election_id=e.pk, post="chair", candidate_id=v["选民0"].pk,
                      nominator_ids=[v["选民3"].pk])
    joint = services.nominate(actor=SYSTEM, election_id=e.pk, post="chair", candidate_id=v["选民0"].pk,
                              nominator_ids=[v["选民4"].pk, v["选民5"].pk])
    assert joint.nominators.count() == 3
    with pytest.raises(BusinessError) as err:
        services.transition(actor=SYSTEM, election_id=e.pk, action="announce_candidates")
    assert err.value.details["rule"] == "competitive_list"
    assert "差额" in err.value.details["citation"]
    e.refresh_from_db()
    assert e.status == Status.NOMINATING
    with pytest.raises(BusinessError) as err:
        services.transition(actor=SYSTEM, election_id=e.pk, action="announce")
    assert err.value.code == "invalid_transition"
    assert str(err.value.message) == "选举处于“提名中”时不能“公布选举结果”。"
    assert sorted(v) == sorted([p.name for p in people] + ["外出者", "新居民"])


def test_coverage_per_street_district_province(clerks: Any) -> None:
    case = load_case("first_round")
    run_services(case, clerks, set_up(case, clerks[0]))
    cov = selectors.coverage("510104")
    assert cov["communities"] == 3 and cov["directly_elected"] == 1 and cov["share"] == "0.3333"
    street = {r["code"]: r for r in cov["streets"]}
    assert street["510104022"]["share"] == "0.5000" and street["510104037"]["share"] == "0.0000"
    assert selectors.coverage("51")["provinces"][0]["directly_elected"] == 1


def test_invalid_election_does_not_count_as_directly_elected(clerks: Any) -> None:
    case = load_case("low_turnout")
    run_services(case, clerks, set_up(case, clerks[0]))
    assert selectors.coverage("510104")["directly_elected"] == 0


def test_by_election_fills_a_vacancy(clerks: Any) -> None:
    case = load_case("floor")
    e = run_services(case, clerks, set_up(case, clerks[0]))
    by = services.create_election(actor=clerks[0], community_code=COMMUNITY, kind="by_election",
                                  replaces_id=e.pk, voting_day=date.today() + timedelta(days=30),
                                  posts=[{"code": "member", "label": "委员", "seats": 1}])
    assert by.kind == "by_election" and by.replaces_id == e.pk
    assert services.build_roll(actor=clerks[0], election_id=by.pk)["added"] == 30


def test_election_night_batch_count_gives_the_same_results(clerks: Any, make_user: Any) -> None:
    from shequ.elections.tests.driver import station_data as data_of

    other = "510104022011"
    officer = make_user("street_officer", "510104022", username="jiedao")
    second = make_user("street_officer", "510104022", username="jiedao2")
    cases = {COMMUNITY: load_case("first_round"), other: load_case("low_turnout")}
    elections = {}
    for code, case in cases.items():
        e = set_up(case, officer, community=code)
        by_name = stations_of(e)
        for st in case["rounds"][0]["stations"]:
            for clerk in (officer, second):
                services.enter_tally(actor=clerk, election_id=e.pk, station_id=by_name[st["station"]].pk,
                                     data=data_of(st))
        elections[code] = e
    assert services.count_many(actor=officer, within="510104022") == {"complete": 1, "invalid_turnout": 1}
    for code, e in elections.items():
        e.refresh_from_db()
        assert e.status == Status.COUNTED and e.registered == 30
        res = selectors.latest_result(e)
        assert res is not None
        assert res.result == tally.count_election(selectors.election_document(e))
        assert tally.summary(res.result)["outcome"] == cases[code]["expected"]["outcome"]
    assert AuditEntry.objects.filter(action="elections.election.count_batch",
                                     area_code="510104022").count() == 1


def test_election_committee_member_who_becomes_a_candidate_leaves_it(tree: Any) -> None:
    from shequ.people.models import Body, BodyKind, Post

    people = [make_resident(COMMUNITY, name=f"委员候选{i}", sex="F") for i in range(6)]
    body = Body.objects.create(kind=BodyKind.ELECTION_COMMITTEE, name="督院街社区选举委员会",
                               area_code=COMMUNITY)
    post = Post.objects.create(body=body, role="member", label="委员", seats=5)
    m = Membership.objects.create(body=body, post=post, resident=people[0], person_name=people[0].name,
                                  start_date=date.today() - timedelta(days=10))
    posts = [{"code": "chair", "label": "主任", "seats": 1},
             {"code": "women", "label": "妇女委员", "seats": 1, "women_only": True},
             {"code": "member", "label": "委员", "seats": 3}]
    e = services.create_election(actor=SYSTEM, community_code=COMMUNITY,
                                 voting_day=date.today() + timedelta(days=30), posts=posts)
    services.build_roll(actor=SYSTEM, election_id=e.pk)
    services.transition(actor=SYSTEM, election_id=e.pk, action="publish_roll")
    services.transition(actor=SYSTEM, election_id=e.pk, action="open_nominations")
    v = {x.name: x for x in e.voters.all()}
    services.nominate(actor=SYSTEM, election_id=e.pk, post="chair", candidate_id=v["委员候选0"].pk,
                      nominator_ids=[v["委员候选1"].pk])
    m.refresh_from_db()
    assert m.end_date == timezone.localdate() and m.end_reason == EndReason.CANDIDATE
    entry = AuditEntry.objects.filter(action="elections.candidate.nominate").get()
    assert entry.changes["left_election_committee"] == [m.pk]
    # people records the end with its own audit entry, naming the real actor
    ended = AuditEntry.objects.get(action="people.membership.end")
    assert ended.object_id == str(m.pk) and ended.actor_name == "system"


def test_recount_from_the_command_line(clerks: Any, tmp_path: Any) -> None:
    import json
    from io import StringIO

    from django.core.management import call_command
    from django.core.management.base import CommandError

    case = load_case("first_round")
    e = run_services(case, clerks, set_up(case, clerks[0]))
    station = stations_of(e)["第一投票站"]
    data = station_data(case["rounds"][0]["stations"][0])
    data["posts"]["member"] = {"votes": {"周涛": 14, "吴刚": 8, "郑华": 12}}
    path = tmp_path / "recount.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(CommandError):  # a re-count needs a reason
        call_command("elections", "recount", str(e.pk), str(station.pk), str(path), "--reason", " ",
                     stdout=StringIO())
    out = StringIO()
    call_command("elections", "recount", str(e.pk), str(station.pk), str(path), "--reason", "复核",
                 stdout=out)
    assert "result version 2" in out.getvalue()
    assert AuditEntry.objects.filter(action="elections.election.recount").count() == 1


def test_by_election_elects_only_into_vacant_seats(clerks: Any) -> None:
    """The "floor" case leaves one of two member seats empty; every other post is filled."""
    from shequ.people.models import Membership

    case = load_case("floor")
    e = run_services(case, clerks, set_up(case, clerks[0]))
    day = date.today() + timedelta(days=30)
    assert selectors.vacancies(COMMUNITY, day) == {"chair": 0, "vice_chair": 0,
                                                  "women_member": 0, "member": 1}
    for posts in ([{"code": "member", "label": "委员", "seats": 2}],
                  [{"code": "chair", "label": "主任", "seats": 1}],
                  [{"code": "treasurer", "label": "会计", "seats": 1}]):
        with pytest.raises(BusinessError) as err:
            services.create_election(actor=clerks[0], community_code=COMMUNITY,
                                     kind="by_election", replaces_id=e.pk, voting_day=day,
                                     posts=posts)
        assert err.value.code == "no_such_vacancy"
    assert not Election.objects.filter(kind="by_election").exists()
    # the chair resigns (recorded in people): the chair's seat may now be filled
    Membership.objects.filter(post__role="chair").update(end_date=date.today(),
                                                         end_reason="resigned")
    by = services.create_election(actor=clerks[0], community_code=COMMUNITY, kind="by_election",
                                  replaces_id=e.pk, voting_day=day,
                                  posts=[{"code": "chair", "label": "主任", "seats": 1},
                                         {"code": "member", "label": "委员", "seats": 1}])
    assert sorted(by.posts.values_list("code", "seats")) == [("chair", 1), ("member", 1)]
