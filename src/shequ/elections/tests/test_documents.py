"""The printed documents (ADR 0611): text read back from the PDF, numbered and dated, in
Chinese only, with the election's own figures."""

from __future__ import annotations

import re
from io import BytesIO
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from pypdf import PdfReader

from shequ.elections.tests.driver import COMMUNITY, load_case, run_services, set_up

YEAR = timezone.localdate().year


def _text(pdf: bytes) -> str:
    assert pdf.startswith(b"%PDF")
    return "".join(page.extract_text() for page in PdfReader(BytesIO(pdf)).pages).replace("\n", "")


@pytest.fixture
def clerks(tree: Any, make_user: Any) -> tuple[Any, Any]:
    return (make_user("community_worker", COMMUNITY, username="clerk1", display_name="唐静"),
            make_user("community_worker", COMMUNITY, username="clerk2", display_name="李红"))


def _client(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c


def test_the_announcement_is_numbered_dated_and_chinese_only(clerks: Any) -> None:
    case = load_case("supplementary")
    e = run_services(case, clerks, set_up(case, clerks[0]))
    c = _client(clerks[0])
    response = c.get(f"/elections/{e.pk}/announcement.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = _text(response.content)
    assert f"居选公〔{YEAR}〕1号" in text
    first = case["rounds"][0]["stations"]
    returned = sum(s["returned"] for s in first)
    assert f"收回选票 {returned} 张" in text
    assert "Results announcement" not in text and "ballots returned" not in text
    assert not re.search(r"[A-Za-z]{3,}", text), re.findall(r"[A-Za-z]{3,}", text)
    assert "0." not in text.replace("0.5", "")  # shares as per cent, not 0.9167
    today = timezone.localdate()
    assert f"{today.year}年{today.month}月{today.day}日" in text
    # printed again: the same number
    assert f"居选公〔{YEAR}〕1号" in _text(c.get(f"/elections/{e.pk}/announcement.pdf").content)


def test_the_roll_and_a_voters_card(clerks: Any) -> None:
    case = load_case("first_round")
    e = set_up(case, clerks[0])
    c = _client(clerks[0])
    text = _text(c.get(f"/elections/{e.pk}/roll.pdf").content)
    assert f"居选榜〔{YEAR}〕1号" in text and "选民榜" in text
    assert f"以下 {case['registered']} 名居民登记为选民" in text
    assert "张建国" in text and not re.search(r"[A-Za-z]{3,}", text)
    assert "5101" not in text  # no identity numbers on the wall
    voter = e.voters.get(name="张建国")
    card = _text(c.get(f"/elections/{e.pk}/voters/{voter.pk}/card.pdf").content)
    assert f"居选证〔{YEAR}〕1号" in card and "选民证" in card
    assert f"张建国（男）是{e.name}的登记选民。" in card
    assert voter.station is not None and voter.station.name in card
    other = e.voters.get(name="李明")
    assert f"居选证〔{YEAR}〕2号" in _text(
        c.get(f"/elections/{e.pk}/voters/{other.pk}/card.pdf").content)
    # a resident may not print the roll
    assert Client().get(f"/elections/{e.pk}/roll.pdf").status_code in (302, 401, 403)


def test_a_difference_is_resolved_on_the_differing_field_only(clerks: Any) -> None:
    from shequ.elections.tests.driver import station_data, stations_of

    case = load_case("first_round")
    e = set_up(case, clerks[0])
    st = case["rounds"][0]["stations"][0]
    station = stations_of(e)[st["station"]]
    good = station_data(st)
    typo = {**good, "posts": {**good["posts"], "chair": {"invalid": 1,
                                                         "votes": {"张建国": 13, "李明": 5}}}}
    from shequ.elections import services

    services.enter_tally(actor=clerks[0], election_id=e.pk, station_id=station.pk, data=good)
    services.enter_tally(actor=clerks[1], election_id=e.pk, station_id=station.pk, data=typo)
    c = _client(clerks[0])
    html = c.get(f"/elections/{e.pk}/tally/?station={station.pk}").content.decode()
    assert '<tr data-field="主任：张建国 得票"><td>主任：张建国 得票</td><td>14</td><td>13</td>' in html
    assert "posts.chair" not in html.replace('name="f:posts.chair.votes.张建国"', "")
    # real names of who entered, not user names
    stations_table = html.split('id="stations"')[1].split("</table>")[0]
    assert "唐静、李红" in stations_table and "clerk1" not in stations_table
    url = f"/elections/{e.pk}/tally/?station={station.pk}"
    bad = c.post(url, {"station": station.pk, "what": "settle", "reason": "核对原始计票单",
                       "f:posts.chair.votes.张建国": "-3"}, follow=True).content.decode()
    assert "请将每个不一致项目核对后的数字填写为 0 至 9,999,999 之间的整数。" in bad
    nothing = c.post(url, {"station": station.pk, "what": "settle", "reason": "核对原始计票单"},
                     follow=True).content.decode()
    assert "请只填写各个不一致项目核对后的数字（共 1 项）。" in nothing
    done = c.post(url, {"station": station.pk, "what": "settle", "reason": "核对原始计票单",
                        "f:posts.chair.votes.张建国": "14"}, follow=True).content.decode()
    assert "差异已核定，计票结果已确认。" in done
    from shequ.elections.models import StationTally

    confirmed = StationTally.objects.get(station=station, current=True)
    assert confirmed.method == "resolved" and confirmed.data["posts"]["chair"]["votes"]["张建国"] == 14
    assert confirmed.data == services.normalise_tally(good)
