"""The re-count page: a district officer corrects an announced result from the tally
page (the confirmed figures filled in); anybody else, or no reason, changes nothing."""

from __future__ import annotations

from typing import Any

import pytest

from shequ.elections import selectors
from shequ.elections.models import Election, Result
from shequ.elections.tests.driver import COMMUNITY, load_case, run_services, set_up, stations_of


@pytest.fixture
def announced(tree: Any, make_user: Any) -> tuple[Election, Any, Any]:
    clerks = (make_user("community_worker", COMMUNITY, username="clerk1"),
              make_user("community_worker", COMMUNITY, username="clerk2"))
    case = load_case("first_round")
    e = run_services(case, clerks, set_up(case, clerks[0]))
    officer = make_user("civil_affairs", "510104", username="minzheng")
    return e, officer, clerks[0]


def _form(e: Election, station_id: int, **changes: int) -> dict[str, Any]:
    """What the page's form posts: the confirmed figures, with ``changes`` by candidate."""
    tally = selectors.current_tally(e, station_id, 1)
    assert tally is not None
    data: dict[str, Any] = {"station": station_id, "what": "recount", "round": 1,
                            "issued": tally["issued"], "returned": tally["returned"]}
    for p in selectors.ballot(e, 1):
        post = tally["posts"].get(p["post"], {})
        data[f"i:{p['post']}"] = post.get("invalid", 0)
        for i, name in enumerate(p["candidates"]):
            v = post.get("votes", {}).get(name, 0)
            data[f"v:{p['post']}:{i}"] = changes.get(name, v if isinstance(v, int) else v["for"])
    return data


def test_officer_recounts_a_station_from_the_page(client: Any, announced: Any) -> None:
    e, officer, _clerk = announced
    station = stations_of(e)["第一投票站"]
    client.force_login(officer)
    page = client.get(f"/elections/{e.pk}/tally/").content.decode()
    assert f'href="?station={station.pk}"' in page and "recount" in page
    form = client.get(f"/elections/{e.pk}/tally/?station={station.pk}").content.decode()
    tally = selectors.current_tally(e, station.pk, 1)
    assert tally is not None and f'value="{tally["issued"]}"' in form
    data = _form(e, station.pk, 周涛=14, 吴刚=8, 郑华=12)
    data["reason"] = "监票人复核发现第一投票站委员票数登记错误"
    response = client.post(f"/elections/{e.pk}/tally/", data)
    assert response.status_code == 302 and response["Location"] == f"/elections/{e.pk}/results/"
    e.refresh_from_db()
    latest = Result.objects.filter(election=e).order_by("-version").first()
    assert e.status == "counted" and latest is not None and latest.version == 2
    assert latest.recount_reason.startswith("监票人复核")
    assert "郑华" in latest.result["committee"][3]["elected"]


@pytest.mark.parametrize("who, reason", [("clerk", "复核"), ("officer", "")])
def test_without_the_right_or_a_reason_nothing_changes(client: Any, announced: Any, who: str,
                                                       reason: str) -> None:
    e, officer, clerk = announced
    station = stations_of(e)["第一投票站"]
    client.force_login(officer if who == "officer" else clerk)
    if who == "clerk":
        page = client.get(f"/elections/{e.pk}/tally/").content.decode()
        assert "recount" not in page
    data = _form(e, station.pk, 周涛=14, 吴刚=8, 郑华=12)
    data["reason"] = reason
    client.post(f"/elections/{e.pk}/tally/", data)
    e.refresh_from_db()
    assert e.status == "announced" and Result.objects.filter(election=e).count() == 1
