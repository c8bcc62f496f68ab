"""Staff pages of issue 12 and 11 item 13: nominee pickers with sex and age, the roll as
Excel, coverage against the province's target with the turnout chart and its table."""

from __future__ import annotations

from datetime import date, timedelta
from io import BytesIO
from typing import Any

import pytest
from django.test import Client
from openpyxl import load_workbook

from shequ.authz import SYSTEM
from shequ.elections import selectors, services
from shequ.elections.tests.driver import (
    COMMUNITY,
    load_case,
    run_services,
    set_up,
    timeline,
)
from shequ.people.tests.factories import make_resident


@pytest.fixture
def clerks(tree: Any, make_user: Any) -> tuple[Any, Any]:
    return (make_user("community_worker", COMMUNITY, username="clerk1", display_name="唐静"),
            make_user("community_worker", COMMUNITY, username="clerk2", display_name="李红"))


def _client(user: Any) -> Client:
    c = Client()
    c.force_login(user)
    return c


def test_coverage_is_compared_with_the_provinces_target(clerks: Any, make_user: Any) -> None:
    case = load_case("first_round")
    e = run_services(case, clerks, set_up(case, clerks[0]))
    cov = selectors.coverage("510104022")
    # 1 of the street's 2 communities: 50.0 % < 4/5
    assert (cov["directly_elected"], cov["communities"], cov["target_met"]) == (1, 2, False)
    assert cov["target"]["value"] == ">=4/5" and cov["target"]["display"] == "不少于五分之四"
    assert selectors.coverage(COMMUNITY)["target_met"] is True  # 1 of 1
    officer = make_user("civil_affairs", "510104", username="minzheng")
    html = _client(officer).get("/elections/coverage/510104022/").content.decode()
    assert "50.0%" in html
    assert "全省目标：不少于五分之四。" in html
    assert '<span class="tag bad" id="target-met">未达标</span>' in html
    # the turnout chart with its table beside it: 91.7 %, never 0.9167
    first = case["rounds"][0]["stations"]
    returned = sum(s["returned"] for s in first)
    share = f"{returned * 100 / case['registered']:.1f}%"
    figure = html.split('data-echart="turnout-option"')[1].split("</figure>")[0]
    assert f'<th scope="row">{e.name}</th><td class="n">{share}</td>' in figure
    assert "0.9" not in figure.split("<table>")[1]


def test_the_roll_in_excel_and_the_pickers_with_sex_and_age(clerks: Any, make_user: Any) -> None:
    case = load_case("first_round")
    e = set_up(case, clerks[0])
    c = _client(clerks[0])
    response = c.get(f"/elections/{e.pk}/roll.xlsx")
    assert response.status_code == 200
    ws = load_workbook(BytesIO(response.content)).active
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][:4] == ("编号", "姓名", "性别", "登记依据")
    assert len(rows) == 1 + case["registered"]
    assert ("张建国", "男") in {(r[1], r[2]) for r in rows[1:]}
    days = timeline()
    n = services.create_election(actor=SYSTEM, community_code="510104022011",
                                 voting_day=days["voting"] + timedelta(days=20),
                                 posts=[{"code": "chair", "label": "主任", "seats": 1},
                                        {"code": "women", "label": "妇女委员", "seats": 1,
                                         "women_only": True},
                                        {"code": "member", "label": "委员", "seats": 3}],
                                 on=days["setup"] + timedelta(days=20))
    make_resident("510104022011", name="孙梅", sex="F", birth=date(1980, 5, 1))
    make_resident("510104022011", name="钱进", sex="M", birth=date(1960, 5, 1))
    services.build_roll(actor=SYSTEM, election_id=n.pk)
    services.transition(actor=SYSTEM, election_id=n.pk, action="publish_roll",
                        on=days["setup"] + timedelta(days=20))
    services.transition(actor=SYSTEM, election_id=n.pk, action="open_nominations",
                        on=days["setup"] + timedelta(days=20))
    officer = _client(make_user("street_officer", "510104022"))
    html = officer.get(f"/elections/{n.pk}/nominations/").content.decode()
    women = html.split('data-sex="F"')[1].split("</optgroup>")[0]
    men = html.split('data-sex="M"')[1].split("</optgroup>")[0]
    day = n.voting_day
    age = day.year - 1980 - ((day.month, day.day) < (5, 1))
    assert f"孙梅（女，{age} 岁）" in women and "钱进" not in women
    assert f"钱进（男，{age + 20} 岁）" in men
