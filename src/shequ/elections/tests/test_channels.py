"""The same cases through the API and the pages give the same results as the engine."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from shequ.elections import selectors, tally
from shequ.elections.models import Election
from shequ.elections.tests.driver import (
    CASES,
    COMMUNITY,
    engine_doc,
    load_case,
    set_up,
    station_data,
    stations_of,
)


def _client(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c


@pytest.fixture
def clerks(tree: Any, make_user: Any) -> tuple[Any, Any]:
    return (make_user("community_worker", COMMUNITY, username="clerk1"),
            make_user("station_worker", COMMUNITY, username="clerk2"))


def _api(c: Client, method: str, path: str, body: Any = None) -> Any:
    if method == "get":
        response = c.get(f"/api/v1/elections{path}")
    else:
        response = c.post(f"/api/v1/elections{path}", data=json.dumps(body or {}),
                          content_type="application/json")
    assert response.status_code < 300, response.content.decode()
    return response.json()


@pytest.mark.parametrize("name", CASES)
def test_every_case_through_the_api(name: str, clerks: Any) -> None:
    case = load_case(name)
    e = set_up(case, clerks[0])
    c1, c2 = _client(clerks[0]), _client(clerks[1])
    by_name = stations_of(e)
    for i, rnd in enumerate(case["rounds"]):
        if i == 1:
            _api(c1, "post", f"/{e.pk}/steps/start_supplementary")
            _api(c1, "post", f"/{e.pk}/steps/close_polling")
        for st in rnd["stations"]:
            for c in (c1, c2):
                _api(c, "post", f"/{e.pk}/stations/{by_name[st['station']].pk}/tally", station_data(st))
        counted = _api(c1, "post", f"/{e.pk}/count")
    assert _api(c1, "post", f"/{e.pk}/announce")["status"] == "announced"
    result = _api(c1, "get", f"/{e.pk}/result")
    assert result["announced"] is True
    assert tally.summary(result["result"]) == tally.summary(counted) == case["expected"]
    assert result["result"] == tally.count_election(engine_doc(case))
    # the public endpoint and the engine endpoint agree
    public = Client().get(f"/api/v1/elections/public/{e.pk}").json()
    assert tally.summary(public["result"]) == case["expected"]
    engine = Client().post("/api/v1/elections/tally", data=json.dumps(engine_doc(case)),
                           content_type="application/json").json()
    assert tally.summary(engine) == case["expected"]


def _page_entry(c: Client, e: Election, station: Any, st: dict[str, Any], rnd: int) -> Any:

    e.refresh_from_db()
    form: dict[str, Any] = {"station": station.pk, "issued": st["issued"], "returned": st["returned"]}
    for p in selectors.ballot(e):
        tallied = st.get("posts", {}).get(p["post"], {})
        form[f"i:{p['post']}"] = tallied.get("invalid", 0)
        for i, cand in enumerate(p["candidates"]):
            v = tallied.get("votes", {}).get(cand, 0)
            marks = v if isinstance(v, dict) else {"for": v}
            form[f"v:{p['post']}:{i}"] = marks.get("for", 0)
            form[f"a:{p['post']}:{i}"] = marks.get("against", 0)
            form[f"b:{p['post']}:{i}"] = marks.get("abstain", 0)
        form[f"w:{p['post']}"] = "\n".join(f"{n} {v}" for n, v in tallied.get("write_ins", {}).items())
    return c.post(f"/elections/{e.pk}/tally/", form)


def _confirmed_step(c: Client, e: Election, action: str) -> None:
    """An irreversible step from a page: first a confirmation page that changes nothing,
    then the confirmed step."""
    before = Election.objects.get(pk=e.pk).status
    page = c.post(f"/elections/{e.pk}/steps/{action}/")
    assert page.status_code == 200 and 'id="confirm-step"' in page.content.decode()
    assert Election.objects.get(pk=e.pk).status == before
    assert c.post(f"/elections/{e.pk}/steps/{action}/", {"confirm": "on"}).status_code == 302
    assert Election.objects.get(pk=e.pk).status != before


@pytest.mark.parametrize("name", CASES)
def test_every_case_through_the_pages(name: str, clerks: Any) -> None:
    case = load_case(name)
    e = set_up(case, clerks[0])
    c1, c2 = _client(clerks[0]), _client(clerks[1])
    by_name = stations_of(e)
    for i, rnd in enumerate(case["rounds"]):
        if i == 1:
            assert c1.post(f"/elections/{e.pk}/steps/start_supplementary/").status_code == 302
            _confirmed_step(c1, e, "close_polling")
        for st in rnd["stations"]:
            for c in (c1, c2):
                assert _page_entry(c, e, by_name[st["station"]], st, i + 1).status_code == 302
        page = c1.get(f"/elections/{e.pk}/tally/")
        assert page.content.decode().count('data-status="confirmed"') == len(rnd["stations"])
        assert c1.post(f"/elections/{e.pk}/steps/count/").status_code == 302
    _confirmed_step(c1, e, "announce")
    e.refresh_from_db()
    res = selectors.latest_result(e)
    assert res is not None and res.announced_at is not None
    assert tally.summary(res.result) == case["expected"]
    # every figure, against and abstentions included, equals the engine's own count
    assert res.result == tally.count_election(engine_doc(case))
    html = c1.get(f"/elections/{e.pk}/results/").content.decode()
    for post in case["expected"]["committee"].values():
        for person in post["elected"]:
            assert person in html
    public = Client().get(f"/elections/public/{e.pk}/").content.decode()
    assert e.get_outcome_display() in public
    pdf = Client().get(f"/elections/{e.pk}/announcement.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


def test_refusals_through_the_api_name_the_rule(clerks: Any) -> None:
    case = load_case("first_round")
    e = set_up(case, clerks[0])
    station = stations_of(e)["流动票箱"]
    response = _client(clerks[0]).post(
        f"/api/v1/elections/{e.pk}/stations/{station.pk}/tally",
        data=json.dumps({"issued": 5, "returned": 5, "posts": {"chair": {"votes": {"张建国": 9}}}}),
        content_type="application/json")
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "tally_does_not_add_up"
    assert body["message"] == ("投票站 流动票箱：张建国 的赞成、反对和弃权票合计（9）多于 主任 的有效票"
                               "（5）。")
    assert body["details"]["citation"] == ("省级居（村）民委员会选举办法通行规定"
                                           "（所选人数多于应选人数的选票无效）")
    response = _client(clerks[0]).post(f"/api/v1/elections/{e.pk}/steps/announce")
    assert response.status_code == 409, response.content.decode()
    assert response.json()["message"] == "选举处于“计票中”时不能“公布选举结果”。"


def test_pages_show_refusals_with_their_source(clerks: Any) -> None:
    c = _client(clerks[0])
    form = {"community_code": COMMUNITY, "voting_day": "9999-12-31", "mode": "all_voters",
            "seats_chair": 1, "seats_vice_chair": 1, "seats_women_member": 1, "seats_member": 3}
    html = c.post("/elections/", form, follow=True).content.decode()
    assert ("选举日 9999-12-31 距今超过 365 日；选举在举行当年设立（请核对日期）。"
            "（本系统规则：换届选举按统一部署在当年进行，更远的选举日视为录入错误"
            "（本地规则，由各区设定））") in html
    day = (timezone.localdate() + timedelta(days=40)).isoformat()
    response = c.post("/elections/", {**form, "voting_day": day, "seats_women_member": 0},
                      follow=True)
    html = response.content.decode()
    assert ("至少应设一个妇女职数（妇女委员）。（甘肃省居民委员会选举办法（2025年11月27日通过） 第五条第二款"
            "（居民委员会成员中应当有妇女成员））" in html)
    assert not Election.objects.exists()


def test_voter_can_find_the_station_and_candidates(clerks: Any) -> None:
    from shequ.people.tests.factories import make_identity_number, make_resident

    case = load_case("first_round")
    number = make_identity_number(__import__("datetime").date(1990, 1, 1), serial=777)
    make_resident(COMMUNITY, name="查询人", number=number)
    e = set_up(case, clerks[0])
    html = Client().post("/elections/check/", {"identity_number": number}).content.decode()
    assert e.name in html and "第一投票站" in html
    html = Client().post("/elections/check/", {"identity_number": "110101199003070000"}).content.decode()
    assert 'id="registration"' in html and e.name not in html
    public = Client().get(f"/elections/public/{e.pk}/").content.decode()
    assert "张建国" in public and "妇女委员" in public


def test_committee_pages_render(clerks: Any) -> None:
    case = load_case("supplementary")
    e = set_up(case, clerks[0])
    c = _client(clerks[0])
    for path in ("", f"{e.pk}/", f"{e.pk}/roll/", f"{e.pk}/nominations/", f"{e.pk}/tally/",
                 f"{e.pk}/results/", f"coverage/{COMMUNITY}/", "public/", "check/"):
        assert c.get(f"/elections/{path}").status_code == 200, path
    anonymous = Client().get(f"/elections/{e.pk}/")
    assert anonymous.status_code == 302 and anonymous["Location"].startswith("/login/")


def test_list_pages_query_counts_do_not_grow_with_the_roll(clerks: Any,
                                                         django_assert_max_num_queries: Any) -> None:
    case = load_case("first_round")
    e = set_up(case, clerks[0])
    c = _client(clerks[0])
    for path in (f"/elections/{e.pk}/roll/", f"/elections/{e.pk}/nominations/",
                 f"/elections/{e.pk}/tally/", f"/elections/public/{e.pk}/"):
        with django_assert_max_num_queries(25):
            assert c.get(path).status_code == 200
