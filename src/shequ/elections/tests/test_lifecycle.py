"""The election's lifecycle: declared steps, guards judged on the step's own day, the one
mover, unknown steps, back-dated announcements, and the candidate and objection steps."""

from __future__ import annotations

import json
from datetime import date, timedelta
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.utils import timezone

from shequ.accounts.services import issue_token
from shequ.audit.models import AuditEntry
from shequ.authz import SYSTEM
from shequ.core.errors import BusinessError, Forbidden, InvalidTransition
from shequ.elections import selectors, services
from shequ.elections.lifecycles import CANDIDATE, ELECTION, OBJECTION
from shequ.elections.models import Action, Candidate, Election, Objection, Result, Status
from shequ.elections.tests.driver import (
    COMMUNITY,
    load_case,
    make_voters,
    run_services,
    set_up,
    station_data,
    stations_of,
)
from shequ.people.models import Membership

POSTS = [{"code": "chair", "label": "主任", "seats": 1},
         {"code": "women", "label": "妇女委员", "seats": 1, "women_only": True},
         {"code": "member", "label": "委员", "seats": 3}]


def _bearer(user: Any) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {issue_token(actor=SYSTEM, user=user, name='t')}"}


START = timezone.localdate() - timedelta(days=40)


def _fresh(stations: bool = True, *, past: bool = True) -> Election:
    """An election set up 30 days before voting, with its roll built: by default set up
    40 days ago and entered afterwards step by step on its own days (ADR 0603: no step is
    recorded ahead, ADR 0610); ``past=False``: voting day 30 days ahead."""
    make_voters(load_case("first_round"))
    setup = START if past else timezone.localdate()
    e = services.create_election(actor=SYSTEM, community_code=COMMUNITY,
                                 voting_day=setup + timedelta(days=30), posts=POSTS,
                                 stations=[{"name": "投票站"}] if stations else [], on=setup)
    services.build_roll(actor=SYSTEM, election_id=e.pk)
    e.refresh_from_db()
    return e


def _refusal(call: Any) -> BusinessError:
    with pytest.raises(BusinessError) as err:
        call()
    return err.value


def test_the_declared_steps_are_the_documented_lifecycle() -> None:
    assert sorted(ELECTION.edges()) == sorted([
        ("setup", "publish_roll", "roll_published"),
        ("roll_published", "open_nominations", "nominating"),
        ("nominating", "announce_candidates", "candidates_announced"),
        ("candidates_announced", "open_polling", "polling"),
        ("roll_published", "open_polling", "polling"),  # a recall vote only (ADR 0612)
        ("polling", "close_polling", "counting"),
        ("supplementary", "close_polling", "counting"),
        ("counting", "count", "counted"),
        ("counted", "start_supplementary", "supplementary"),
        ("counted", "announce", "announced"),
        ("announced", "recount", "counted"),
        ("setup", "cancel", "cancelled"),
        ("roll_published", "cancel", "cancelled"),
        ("nominating", "cancel", "cancelled"),
        ("candidates_announced", "cancel", "cancelled"),
    ])
    assert ELECTION.is_final(Status.CANCELLED)


def test_publishing_the_roll_is_judged_on_its_own_day(tree: Any) -> None:
    e = _fresh()
    last = e.voting_day - timedelta(days=20)
    assert ELECTION.allowed(SYSTEM, e, on=last + timedelta(days=1)) == ["cancel"]
    assert ELECTION.allowed(SYSTEM, e, on=last) == ["publish_roll", "cancel"]
    err = _refusal(lambda: services.transition(actor=SYSTEM, election_id=e.pk,
                                               action="publish_roll", on=last + timedelta(days=1)))
    assert err.code == "roll_days_before"
    assert str(err.message) == f"选民名单应在选举日的 20 日以前公布（最迟 {last}）。"
    assert err.details["source"].startswith("村民委员会组织法（2018年修正） 第十四条")
    e.refresh_from_db()
    assert e.status == Status.SETUP and e.roll_published_on is None
    assert not AuditEntry.objects.filter(action="elections.election.publish_roll").exists()
    # entered afterwards, on paper: judged on the day it was published
    services.transition(actor=SYSTEM, election_id=e.pk, action="publish_roll", on=last)
    e.refresh_from_db()
    assert e.status == Status.ROLL_PUBLISHED and e.roll_published_on == last
    entry = AuditEntry.objects.get(action="elections.election.publish_roll")
    assert entry.changes == {"status": ["setup", "roll_published"], "on": last.isoformat()}


def test_an_empty_roll_cannot_be_published(tree: Any) -> None:
    e = services.create_election(actor=SYSTEM, community_code=COMMUNITY,
                                 voting_day=timezone.localdate() + timedelta(days=30), posts=POSTS)
    err = _refusal(lambda: services.transition(actor=SYSTEM, election_id=e.pk,
                                               action="publish_roll"))
    assert (err.code, str(err.message)) == ("roll_empty", "选民名单为空。")


def test_the_formal_list_needs_competition_and_its_deadline(tree: Any) -> None:
    e = _fresh()
    services.transition(actor=SYSTEM, election_id=e.pk, action="publish_roll", on=START)
    services.transition(actor=SYSTEM, election_id=e.pk, action="open_nominations", on=START)
    v = {x.name: x for x in e.voters.all()}
    services.nominate(actor=SYSTEM, election_id=e.pk, post="chair", candidate_id=v["张建国"].pk,
                      nominator_ids=[v["居民01"].pk])
    err = _refusal(lambda: services.transition(actor=SYSTEM, election_id=e.pk,
                                               action="announce_candidates"))
    assert err.code == "competitive_list"
    assert str(err.message) == ("每个职位的候选人数应多于应选人数（差额选举）："
                                "主任 1/1、妇女委员 0/1、委员 0/3。")
    for post, names in (("chair", ["李明"]), ("women", ["刘丽", "陈静"]),
                        ("member", ["周涛", "吴刚", "郑华", "王芳"])):
        for name in names:
            services.nominate(actor=SYSTEM, election_id=e.pk, post=post,
                              candidate_id=v[name].pk, nominator_ids=[v["居民01"].pk])
    late = e.voting_day - timedelta(days=4)
    err = _refusal(lambda: services.transition(actor=SYSTEM, election_id=e.pk,
                                               action="announce_candidates", on=late))
    assert (err.code, str(err.message)) == ("candidates_days_before",
                                            "正式候选人名单应在选举日的 5 日以前公布。")
    assert not Candidate.objects.filter(election=e, state=Candidate.State.FORMAL).exists()
    services.transition(actor=SYSTEM, election_id=e.pk, action="announce_candidates",
                        on=late - timedelta(days=1))
    e.refresh_from_db()
    assert e.candidates_announced_on == late - timedelta(days=1)
    assert set(e.candidates.values_list("state", flat=True)) == {Candidate.State.FORMAL}
    assert AuditEntry.objects.filter(action="elections.candidate.make_formal").count() == 8
    # a candidate becomes formal only by the election's step, never on its own
    cand = e.candidates.first()
    assert cand is not None
    refused = CANDIDATE.refusal(SYSTEM, cand, Candidate.Action.MAKE_FORMAL)
    assert isinstance(refused, InvalidTransition)


def test_polling_opens_only_with_every_objection_decided_and_a_station(tree: Any) -> None:
    e = _fresh(stations=False)
    services.transition(actor=SYSTEM, election_id=e.pk, action="publish_roll", on=START)
    v = {x.name: x for x in e.voters.all()}
    obj = services.file_objection(actor=SYSTEM, election_id=e.pk, kind="wrongful",
                                  filed_by="居民02", reason="已迁出", voter_id=v["居民03"].pk,
                                  on=START + timedelta(days=1))
    services.transition(actor=SYSTEM, election_id=e.pk, action="open_nominations",
                        on=START + timedelta(days=1))
    for post, names in (("chair", ["张建国", "李明"]), ("women", ["刘丽", "陈静"]),
                        ("member", ["周涛", "吴刚", "郑华", "王芳"])):
        for name in names:
            services.nominate(actor=SYSTEM, election_id=e.pk, post=post,
                              candidate_id=v[name].pk, nominator_ids=[v["居民01"].pk])
    services.transition(actor=SYSTEM, election_id=e.pk, action="announce_candidates",
                        on=START + timedelta(days=6))
    err = _refusal(lambda: services.transition(actor=SYSTEM, election_id=e.pk,
                                               action="open_polling"))
    assert (err.code, str(err.message)) == ("decision_days", "还有 1 项对选民名单的异议未作出处理决定。")
    # a decision dated before the objection is refused; the lifecycle says why
    err = _refusal(lambda: services.decide_objection(
        actor=SYSTEM, objection_id=obj.pk, decision="upheld", reason="已核实迁出",
        on=obj.filed_on - timedelta(days=1)))
    assert (err.code, str(err.message)) == ("decision_date", "处理决定不能早于异议提出日期。")
    services.decide_objection(actor=SYSTEM, objection_id=obj.pk, decision="upheld",
                              reason="已核实迁出", on=START + timedelta(days=2))
    obj.refresh_from_db()
    assert obj.decision == Objection.Decision.UPHELD and obj.decided_late is False
    assert e.voters.get(pk=v["居民03"].pk).removed is True
    assert AuditEntry.objects.filter(action="elections.objection.uphold").count() == 1
    err = _refusal(lambda: services.decide_objection(actor=SYSTEM, objection_id=obj.pk,
                                                     decision="rejected", reason="再议"))
    assert err.code == "objection_decided"
    err = _refusal(lambda: services.transition(actor=SYSTEM, election_id=e.pk,
                                               action="open_polling"))
    assert (err.code, str(err.message)) == ("no_station", "请至少设立一个投票站。")
    services.add_station(actor=SYSTEM, election_id=e.pk, name="第一投票站")
    services.transition(actor=SYSTEM, election_id=e.pk, action="open_polling")
    e.refresh_from_db()
    assert e.status == Status.POLLING and e.registered == 29  # the roll is frozen
    # once polling is open, nobody withdraws and no objection is decided
    cand = e.candidates.first()
    assert cand is not None
    err = _refusal(lambda: services.withdraw(actor=SYSTEM, candidate_id=cand.pk, reason="身体原因"))
    assert str(err.message) == "选举处于“投票中”状态时不能进行：退出。"


def test_counting_needs_every_tally_and_the_page_says_why(tree: Any, make_user: Any) -> None:
    clerks = (make_user("community_worker", COMMUNITY, username="clerk1"),
              make_user("community_worker", COMMUNITY, username="clerk2"))
    case = load_case("first_round")
    e = set_up(case, clerks[0])
    station = stations_of(e)["第一投票站"]
    for clerk in clerks:
        services.enter_tally(actor=clerk, election_id=e.pk, station_id=station.pk,
                             data=station_data(case["rounds"][0]["stations"][0]))
    refused = ELECTION.refusal(clerks[0], e, Action.COUNT)
    assert refused is not None and refused.code == "tallies_missing"
    assert str(refused.message) == "以下投票站计票结果尚未确认：流动票箱。"
    client = Client()
    client.force_login(clerks[0])
    html = client.get(f"/elections/{e.pk}/tally/").content.decode()
    assert 'id="count" disabled title="以下投票站计票结果尚未确认：流动票箱。"' in html
    err = _refusal(lambda: services.count(actor=clerks[0], election_id=e.pk))
    assert err.code == "tallies_missing" and not Result.objects.filter(election=e).exists()


@pytest.mark.parametrize(("name", "allowed", "refused", "message"), [
    ("supplementary", ["start_supplementary"], "announce",
     "仍有职位未选满：请先进行另行选举再公布结果。"),
    ("first_round", ["announce"], "start_supplementary",
     "只有在有效的第一次投票后仍有职位未选满时，才进行另行选举。"),
])
def test_after_counting_the_outcome_decides_the_next_step(name: str, allowed: list[str],
                                                         refused: str, message: str,
                                                         tree: Any, make_user: Any) -> None:
    clerks = (make_user("community_worker", COMMUNITY, username="clerk1"),
              make_user("community_worker", COMMUNITY, username="clerk2"))
    case = load_case(name)
    e = set_up(case, clerks[0])
    by_name = stations_of(e)
    for st in case["rounds"][0]["stations"]:
        for clerk in clerks:
            services.enter_tally(actor=clerk, election_id=e.pk, station_id=by_name[st["station"]].pk,
                                 data=station_data(st))
    services.count(actor=clerks[0], election_id=e.pk)
    e.refresh_from_db()
    assert ELECTION.allowed(clerks[0], e) == allowed
    assert ELECTION.allowed(make_user("station_worker", COMMUNITY), e) == []
    err = _refusal(lambda: services.transition(actor=clerks[0], election_id=e.pk, action=refused))
    assert (err.code, str(err.message)) == ("supplementary_floor", message)


def test_recount_only_from_an_announced_result_and_only_at_district_level(tree: Any,
                                                                         make_user: Any) -> None:
    clerks = (make_user("community_worker", COMMUNITY, username="clerk1"),
              make_user("community_worker", COMMUNITY, username="clerk2"))
    officer = make_user("civil_affairs", "510104", username="minzheng")
    case = load_case("first_round")
    e = run_services(case, clerks, set_up(case, clerks[0]))
    assert ELECTION.allowed(officer, e) == ["recount"]
    assert ELECTION.allowed(clerks[0], e) == []
    assert isinstance(ELECTION.refusal(clerks[0], e, Action.RECOUNT), Forbidden)
    err = _refusal(lambda: services.transition(actor=officer, election_id=e.pk, action="recount"))
    assert err.code == "step_needs_input"
    assert str(err.message) == "重新计票须填写该投票站重新清点的票数和理由：请使用重新计票表单。"


def test_cancelling_closes_the_roll_for_good(tree: Any) -> None:
    e = _fresh(past=False)
    services.transition(actor=SYSTEM, election_id=e.pk, action="publish_roll")
    services.transition(actor=SYSTEM, election_id=e.pk, action="cancel")
    e.refresh_from_db()
    assert e.status == Status.CANCELLED and ELECTION.allowed(SYSTEM, e) == []
    assert not e.voters.filter(active=True).exists()
    err = _refusal(lambda: services.transition(actor=SYSTEM, election_id=e.pk,
                                               action="open_nominations"))
    assert isinstance(err, InvalidTransition)
    assert str(err.message) == "选举处于“已取消”时不能“开始提名”。"
    assert err.details["allowed"] == []
    # the same people may stand on the roll of the next election
    again = services.create_election(actor=SYSTEM, community_code=COMMUNITY,
                                     voting_day=e.voting_day, posts=POSTS)
    assert services.build_roll(actor=SYSTEM, election_id=again.pk)["added"] == 30


def test_polling_cannot_be_cancelled(tree: Any, make_user: Any) -> None:
    e = set_up(load_case("first_round"))
    Election.objects.filter(pk=e.pk).update(status=Status.POLLING)  # the state before closing
    err = _refusal(lambda: services.transition(actor=SYSTEM, election_id=e.pk, action="cancel"))
    assert str(err.message) == "选举处于“投票中”时不能“取消选举”。"


def test_an_unknown_step_is_refused_without_a_server_error(tree: Any, make_user: Any) -> None:
    e = _fresh()
    worker = make_user("community_worker", COMMUNITY)
    resident = make_user("resident", COMMUNITY)
    for user in (worker, resident):
        for election_id in (e.pk, 999_999):
            response = Client().post(f"/api/v1/elections/{election_id}/steps/zzz", **_bearer(user))
            assert response.status_code == 409, response.content.decode()
            body = response.json()
            assert body["code"] == "unknown_action"
            assert body["message"] == "选举没有“zzz”这一步骤。"
            assert "publish_roll" in body["details"]["steps"]
    # a real step needs the permission
    response = Client().post(f"/api/v1/elections/{e.pk}/steps/publish_roll", **_bearer(resident))
    assert response.status_code == 403
    with pytest.raises(CommandError, match="选举没有“zzz”这一步骤。"):
        call_command("elections", "step", str(e.pk), "zzz")
    client = Client()
    client.force_login(worker)
    page = client.post(f"/elections/{e.pk}/steps/zzz/", follow=True)
    assert "选举没有“zzz”这一步骤。" in page.content.decode()
    e.refresh_from_db()
    assert e.status == Status.SETUP


def test_an_announcement_made_on_paper_is_back_dated_through_the_api(tree: Any,
                                                                    make_user: Any) -> None:
    """ADR 0603: ``POST /steps/announce?on=…`` records the day it was announced."""
    clerks = (make_user("community_worker", COMMUNITY, username="clerk1"),
              make_user("community_worker", COMMUNITY, username="clerk2"))
    case = load_case("first_round")
    e = set_up(case, clerks[0])
    by_name = stations_of(e)
    for st in case["rounds"][0]["stations"]:
        for clerk in clerks:
            services.enter_tally(actor=clerk, election_id=e.pk, station_id=by_name[st["station"]].pk,
                                 data=station_data(st))
    api = Client()
    assert api.post(f"/api/v1/elections/{e.pk}/steps/count", **_bearer(clerks[0])).status_code == 200
    day = e.voting_day  # announced on the spot, entered later
    assert day != timezone.localdate()
    response = api.post(f"/api/v1/elections/{e.pk}/steps/announce?on={day.isoformat()}",
                        **_bearer(clerks[0]))
    assert response.status_code == 200, response.content.decode()
    assert response.json()["status"] == "announced"
    e.refresh_from_db()
    assert e.announced_at is not None and timezone.localtime(e.announced_at).date() == day
    result = selectors.announced_result(e)
    assert result is not None and result.announced_at == e.announced_at
    members = Membership.objects.filter(source=f"elections:{e.pk}")
    assert members.count() == 5 and set(members.values_list("start_date", flat=True)) == {day}
    entry = AuditEntry.objects.get(action="elections.election.announce")
    assert entry.changes["announced_on"] == day.isoformat()
    assert json.loads(json.dumps(entry.changes["members"])) == ["张建国", "王芳", "刘丽", "周涛", "吴刚"]


def test_a_decision_after_three_days_is_recorded_as_late(tree: Any) -> None:
    e = _fresh()
    published = START
    services.transition(actor=SYSTEM, election_id=e.pk, action="publish_roll", on=published)
    v = {x.name: x for x in e.voters.all()}
    obj = services.file_objection(actor=SYSTEM, election_id=e.pk, kind="wrongful",
                                  filed_by="居民02", reason="已迁出", voter_id=v["居民03"].pk,
                                  on=published + timedelta(days=5))
    late = obj.filed_on + timedelta(days=4)
    services.decide_objection(actor=SYSTEM, objection_id=obj.pk, decision="rejected",
                              reason="户籍仍在本社区", on=late)
    obj.refresh_from_db()
    assert (obj.decision, obj.decided_on, obj.decided_late) == ("rejected", late, True)
    entry = AuditEntry.objects.get(action="elections.objection.reject")
    assert entry.changes["decision"] == ["", "rejected"] and entry.changes["late"] is True
    assert OBJECTION.allowed(SYSTEM, obj) == []


def test_date_of_a_step_defaults_to_today(tree: Any) -> None:
    e = _fresh(past=False)
    services.transition(actor=SYSTEM, election_id=e.pk, action="publish_roll")
    e.refresh_from_db()
    assert e.roll_published_on == timezone.localdate() and isinstance(e.roll_published_on, date)
