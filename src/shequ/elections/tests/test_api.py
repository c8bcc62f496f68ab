"""The API's lists page by cursor and filter by area; every answer has its schema; the
detail names only the steps the caller may take."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.test import Client
from django.utils import timezone

from shequ.accounts.services import issue_token
from shequ.authz import SYSTEM
from shequ.elections import services
from shequ.elections.tests.driver import COMMUNITY, load_case, make_voters

POSTS = [{"code": "chair", "label": "主任", "seats": 1},
         {"code": "women", "label": "妇女委员", "seats": 1, "women_only": True},
         {"code": "member", "label": "委员", "seats": 3}]
COMMUNITIES = ("510104022009", "510104022011", "510104037001")


def _bearer(user: Any) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {issue_token(actor=SYSTEM, user=user, name='t')}"}


def _elections() -> list[Any]:
    day = timezone.localdate() + timedelta(days=30)
    return [services.create_election(actor=SYSTEM, community_code=code, voting_day=day, posts=POSTS)
            for code in COMMUNITIES]


def test_lists_page_by_cursor_and_filter_by_area(tree: Any, make_user: Any) -> None:
    _elections()
    auth = _bearer(make_user("civil_affairs", "510104"))
    c = Client()
    first = c.get("/api/v1/elections/?limit=2", **auth).json()
    assert [e["area_code"] for e in first["items"]] == ["510104022009", "510104022011"]
    rest = c.get(f"/api/v1/elections/?limit=2&cursor={first['next']}", **auth).json()
    assert [e["area_code"] for e in rest["items"]] == ["510104037001"] and rest["next"] is None
    within = c.get("/api/v1/elections/?within=510104037", **auth).json()
    assert [e["area_code"] for e in within["items"]] == ["510104037001"]
    # a street officer sees only the street's elections
    street = _bearer(make_user("street_officer", "510104022"))
    assert len(c.get("/api/v1/elections/", **street).json()["items"]) == 2
    bad = c.get("/api/v1/elections/?cursor=zzz", **auth)
    assert bad.status_code == 400 and bad.json()["code"] == "bad_cursor"
    too_many = c.get("/api/v1/elections/?limit=500", **auth)
    assert too_many.status_code == 422 and too_many.json()["code"] == "invalid_input"


def test_the_roll_and_candidates_page_too(tree: Any, make_user: Any) -> None:
    make_voters(load_case("first_round"))
    e = _elections()[0]
    services.build_roll(actor=SYSTEM, election_id=e.pk)
    auth = _bearer(make_user("community_worker", COMMUNITY))
    c = Client()
    page = c.get(f"/api/v1/elections/{e.pk}/roll?limit=20", **auth).json()
    assert len(page["items"]) == 20 and page["next"]
    rest = c.get(f"/api/v1/elections/{e.pk}/roll?limit=20&cursor={page['next']}", **auth).json()
    assert len(rest["items"]) == 10 and rest["next"] is None
    names = [v["name"] for v in page["items"] + rest["items"]]
    assert names == sorted(names) and len(set(names)) == 30
    assert c.get(f"/api/v1/elections/{e.pk}/candidates", **auth).json() == {"items": [],
                                                                           "next": None}


def test_the_detail_names_the_steps_this_caller_may_take(tree: Any, make_user: Any) -> None:
    make_voters(load_case("first_round"))
    e = _elections()[0]
    services.build_roll(actor=SYSTEM, election_id=e.pk)
    c = Client()
    manager = c.get(f"/api/v1/elections/{e.pk}", **_bearer(make_user("community_worker",
                                                                        COMMUNITY))).json()
    assert manager["allowed_actions"] == ["publish_roll", "cancel"]
    assert manager["profile"]["version"] == e.profile["version"]
    assert manager["timeline"]["publish_roll_by"] == (e.voting_day - timedelta(days=20)).isoformat()
    helper = c.get(f"/api/v1/elections/{e.pk}", **_bearer(make_user("station_worker",
                                                                       COMMUNITY))).json()
    assert helper["allowed_actions"] == []
    outside = c.get(f"/api/v1/elections/{e.pk}", **_bearer(make_user("community_worker",
                                                                        "510104037001")))
    assert outside.status_code == 404 and outside.json()["code"] == "election_not_found"


def test_coverage_answers_with_its_schema(tree: Any, make_user: Any) -> None:
    auth = _bearer(make_user("civil_affairs", "510104"))
    body = Client().get("/api/v1/elections/coverage/510104", **auth).json()
    assert body["communities"] == 3 and body["share"] == "0.0000"
    assert [s["code"] for s in body["streets"]] == ["510104022", "510104037"]


def test_a_difference_is_resolved_through_the_api_on_its_field(tree: Any, make_user: Any) -> None:
    from shequ.elections.models import StationTally
    from shequ.elections.tests.driver import set_up, station_data, stations_of

    clerks = (make_user("community_worker", COMMUNITY, username="c1"),
              make_user("community_worker", COMMUNITY, username="c2"))
    case = load_case("first_round")
    e = set_up(case, clerks[0])
    st = case["rounds"][0]["stations"][0]
    station = stations_of(e)[st["station"]]
    good = station_data(st)
    typo = {**good, "posts": {**good["posts"], "chair": {"invalid": 1,
                                                         "votes": {"张建国": 13, "李明": 5}}}}
    services.enter_tally(actor=clerks[0], election_id=e.pk, station_id=station.pk, data=good)
    services.enter_tally(actor=clerks[1], election_id=e.pk, station_id=station.pk, data=typo)
    url = f"/api/v1/elections/{e.pk}/stations/{station.pk}/resolve"
    api = Client()
    wrong = api.post(url, {"reason": "核对", "fields": {"issued": 20}},
                     content_type="application/json", **_bearer(clerks[0]))
    assert wrong.status_code == 400 and wrong.json()["code"] == "tally_malformed"
    assert wrong.json()["details"] == {"missing": ["posts.chair.votes.张建国"],
                                       "not_differing": ["issued"]}
    neither = api.post(url, {"reason": "核对"}, content_type="application/json",
                       **_bearer(clerks[0]))
    assert neither.status_code == 400
    assert neither.json()["message"] == "请给出各不一致项目核对后的数字，或整张计票单。"
    done = api.post(url, {"reason": "核对原始计票单", "fields": {"posts.chair.votes.张建国": 14}},
                    content_type="application/json", **_bearer(clerks[0]))
    assert done.status_code == 200, done.content.decode()
    assert StationTally.objects.get(station=station, current=True).data == \
        services.normalise_tally(good)
