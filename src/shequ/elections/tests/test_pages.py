"""The pages: forms give the input's shape (bad input is a clear error, nothing saved),
buttons come from the lifecycle, irreversible steps ask first, results read in words."""

from __future__ import annotations

import copy
from datetime import timedelta
from typing import Any

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.utils import timezone

from shequ.authz import SYSTEM
from shequ.elections import selectors, services
from shequ.elections.models import Election, Status, TallyEntry
from shequ.elections.tests.driver import COMMUNITY, load_case, make_voters, run_services, set_up

POSTS = [{"code": "chair", "label": "主任", "seats": 1},
         {"code": "women", "label": "妇女委员", "seats": 1, "women_only": True},
         {"code": "member", "label": "委员", "seats": 3}]


@pytest.fixture
def worker(tree: Any, make_user: Any) -> Any:
    return make_user("community_worker", COMMUNITY, username="clerk1")


def _client(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c


def _messages(response: Any) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_a_set_up_form_with_a_bad_date_says_so_and_saves_nothing(worker: Any) -> None:
    response = _client(worker).post("/elections/", {
        "community_code": COMMUNITY, "voting_day": "明年", "mode": "all_voters",
        "seats_chair": 1, "seats_vice_chair": 1, "seats_women_member": 1, "seats_member": "两"})
    assert response.status_code == 302
    assert _messages(response) == ["选举日：输入一个有效的日期。", "委员：请填写整数。"]
    assert not Election.objects.exists()


def test_irreversible_steps_ask_first_and_next_stays_on_the_site(worker: Any) -> None:
    make_voters(load_case("first_round"))
    e = services.create_election(actor=SYSTEM, community_code=COMMUNITY,
                                 voting_day=timezone.localdate() + timedelta(days=30), posts=POSTS)
    c = _client(worker)
    page = c.post(f"/elections/{e.pk}/steps/cancel/", {"next": "https://example.com/"})
    html = page.content.decode()
    assert page.status_code == 200
    assert "取消后选举即告终止：选民名单关闭，选举不能恢复，须重新组织选举。" in html
    assert f'name="next" value="/elections/{e.pk}/"' in html  # not the foreign address
    e.refresh_from_db()
    assert e.status == Status.SETUP
    done = c.post(f"/elections/{e.pk}/steps/cancel/", {"confirm": "on",
                                                       "next": "https://example.com/"})
    assert done.status_code == 302 and done["Location"] == f"/elections/{e.pk}/"
    e.refresh_from_db()
    assert e.status == Status.CANCELLED


def test_step_buttons_are_the_ones_the_service_accepts(worker: Any, make_user: Any) -> None:
    make_voters(load_case("first_round"))
    published = timezone.localdate() - timedelta(days=8)  # the objection window has closed
    e = services.create_election(actor=SYSTEM, community_code=COMMUNITY,
                                 voting_day=published + timedelta(days=30), posts=POSTS,
                                 on=published)
    services.build_roll(actor=SYSTEM, election_id=e.pk)
    services.transition(actor=SYSTEM, election_id=e.pk, action="publish_roll", on=published)
    services.transition(actor=SYSTEM, election_id=e.pk, action="open_nominations", on=published)
    c = _client(worker)
    html = c.get(f"/elections/{e.pk}/").content.decode()
    assert 'data-action="cancel"' in html
    assert 'data-action="announce_candidates"' not in html  # no competitive list yet
    v = {x.name: x for x in e.voters.all()}
    for post, names in (("chair", ["张建国", "李明"]), ("women", ["刘丽", "陈静"]),
                        ("member", ["周涛", "吴刚", "郑华", "王芳"])):
        for name in names:
            services.nominate(actor=SYSTEM, election_id=e.pk, post=post,
                              candidate_id=v[name].pk, nominator_ids=[v["居民01"].pk])
    assert 'data-action="announce_candidates"' in c.get(f"/elections/{e.pk}/").content.decode()
    # a station worker may enter tallies but take no step and nominate nobody
    helper = _client(make_user("station_worker", COMMUNITY))
    assert "data-action=" not in helper.get(f"/elections/{e.pk}/").content.decode()
    nominations = helper.get(f"/elections/{e.pk}/nominations/").content.decode()
    assert 'value="nominate"' not in nominations and 'value="withdraw"' not in nominations


def test_a_tally_sheet_that_cannot_be_read_is_refused_before_the_service(worker: Any) -> None:
    case = load_case("first_round")
    e = set_up(case, worker)
    station = e.stations.get(name="流动票箱")
    form: dict[str, Any] = {"station": station.pk, "issued": 5, "returned": "-1",
                            "w:member": "孙伟两票"}
    response = _client(worker).post(f"/elections/{e.pk}/tally/", form)
    assert response.status_code == 302
    assert _messages(response) == ["收回选票：确保该值大于或等于0。",
                                   "委员：每行填写“姓名 票数”，不能是“孙伟两票”。"]
    assert not TallyEntry.objects.exists()


def test_results_read_in_words_with_their_sources(worker: Any, make_user: Any) -> None:
    clerks = (worker, make_user("community_worker", COMMUNITY, username="clerk2"))
    case = load_case("first_round")
    e = run_services(case, clerks, set_up(case, worker))
    html = _client(worker).get(f"/elections/{e.pk}/results/").content.decode()
    assert "选举有效所需的投票人数（占登记选民）：登记选民 30 人，参加投票 25 人；要求：过半数。" in html
    assert ("当选所需票数（占参加投票的选票）：当选须在参加投票的 25 张选票中获得过半数，"
            "即至少 13 票。") in html
    assert "收回选票 25 张，发出 25 张：收回未多于发出。" in html
    assert "（引用未核实）" in html
    public = Client().get(f"/elections/public/{e.pk}/").content.decode()
    assert "登记选民 30 人，参加投票 25 人；要求：过半数。" in public
    for key in ("turnout_for_validity", "majority_to_win", "returned 25", "1/2"):
        assert key not in html and key not in public


def test_results_counted_before_findings_were_keys_read_the_same(worker: Any,
                                                                 make_user: Any) -> None:
    clerks = (worker, make_user("community_worker", COMMUNITY, username="clerk2"))
    case = load_case("first_round")
    e = run_services(case, clerks, set_up(case, worker))
    res = selectors.latest_result(e)
    assert res is not None
    old = copy.deepcopy(res.result)
    for rnd in old["rounds"]:  # the English sentences results used to carry
        for f in rnd["findings"]:
            f.pop("text"), f.pop("params"), f.pop("verified")
            f["detail"] = "returned 25 <= issued 25"
    shown = selectors.result_in_words(old, e)["rounds"][0]["findings"]
    assert [f["text"] for f in shown] == [
        "收回选票 25 张，发出 25 张：收回未多于发出。",
        "登记选民 30 人，参加投票 25 人；要求：过半数。",
        "当选须在参加投票的 25 张选票中获得过半数，即至少 13 票。"]
    now = selectors.result_in_words(res.result, e)["rounds"][0]["findings"]
    assert [(f["label"], f["text"], f["source"]) for f in shown] == [
        (f["label"], f["text"], f["source"]) for f in now]


def test_the_roll_page_pages_by_cursor(worker: Any) -> None:
    make_voters(load_case("first_round"))
    e = services.create_election(actor=SYSTEM, community_code=COMMUNITY,
                                 voting_day=timezone.localdate() + timedelta(days=30), posts=POSTS)
    services.build_roll(actor=SYSTEM, election_id=e.pk)
    c = _client(worker)
    first = c.get(f"/elections/{e.pk}/roll/")
    assert first.context["page"].next is None and len(first.context["page"].items) == 30
    bad = c.get(f"/elections/{e.pk}/roll/?cursor=zzz")
    assert bad.status_code == 400 and "此分页链接已失效，请从第一页开始。" in bad.content.decode()
