"""Browser test of the committee's main flow: two clerks enter the station tallies,
a difference is shown and resolved, the result is counted and announced."""

from __future__ import annotations

from typing import Any

import pytest

from shequ.accounts.tests.factories import PASSWORD
from shequ.elections.tests.driver import COMMUNITY, load_case, set_up, stations_of


def _sign_in(page: Any, url: str, username: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{url}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("#signin")
    page.wait_for_load_state()


def _enter(page: Any, st: dict[str, Any], posts: list[dict[str, Any]], typo: bool = False) -> None:
    page.fill("#issued", str(st["issued"]))
    page.fill("#returned", str(st["returned"]))
    for p in posts:
        tallied = st["posts"].get(p["post"], {})
        page.fill(f"#i-{p['post']}", str(tallied.get("invalid", 0)))
        for i, name in enumerate(p["candidates"]):
            v = tallied.get("votes", {}).get(name, 0)
            v = v["for"] if isinstance(v, dict) else v
            if typo and p["post"] == "chair" and i == 0:
                v -= 1
            page.fill(f"#v-{p['post']}-{i}", str(v))
        page.fill(f"#w-{p['post']}", "\n".join(f"{n} {c}" for n, c in tallied.get("write_ins", {}).items()))
    page.click("#save-tally")
    page.wait_for_load_state()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_committee_enters_tallies_twice_resolves_counts_and_announces(page: Any, live_server: Any,
                                                                       make_user: Any) -> None:
    from shequ.areas.tests.factories import make_tree

    make_tree()
    make_user("community_worker", COMMUNITY, username="jipiao1")
    make_user("community_worker", COMMUNITY, username="jipiao2")
    case = load_case("first_round")
    e = set_up(case)
    stations = stations_of(e)
    url = live_server.url
    for clerk in ("jipiao1", "jipiao2"):
        _sign_in(page, url, clerk)
        for st in case["rounds"][0]["stations"]:
            page.goto(f"{url}/elections/{e.pk}/tally/?station={stations[st['station']].pk}")
            _enter(page, st, case["posts"], typo=clerk == "jipiao2" and st["station"] == "第一投票站")
    # the second clerk mistyped one figure: the difference is shown, not counted
    row = page.locator("tr[data-station='第一投票站']")
    assert row.get_attribute("data-status") == "differs"
    assert page.locator("tr[data-station='流动票箱']").get_attribute("data-status") == "confirmed"
    page.goto(f"{url}/elections/{e.pk}/tally/?station={stations['第一投票站'].pk}")
    differences = page.locator("#differences").inner_text()
    assert "主任：张建国 得票" in differences and "posts." not in differences
    assert page.locator("#count").is_disabled()
    # only the differing figure is typed again, checked against the paper sheet
    assert page.locator("#differences input").count() == 1
    page.locator("#differences input").fill("14")
    page.fill("#settle-reason", "核对原始计票单")
    page.click("#settle")
    page.wait_for_load_state()
    assert page.locator("tr[data-station='第一投票站']").get_attribute("data-status") == "confirmed"
    page.click("#count")
    page.wait_for_url(f"{url}/elections/{e.pk}/results/")
    page.click("#announce")
    page.wait_for_load_state()
    # announcing cannot be undone: the page asks first
    assert "不可撤销" in page.locator("#confirm-step").inner_text()
    page.click("#confirm")
    page.wait_for_url(f"{url}/elections/{e.pk}/results/")
    committee = page.locator("#committee").inner_text()
    for name in ("张建国", "王芳", "刘丽", "周涛", "吴刚"):
        assert name in committee
    assert page.locator("[data-outcome]").get_attribute("data-outcome") == "complete"
    # the public announcement and the set-up page
    page.goto(f"{url}/elections/public/{e.pk}/")
    assert "张建国" in page.locator("#committee").inner_text()
    page.goto(f"{url}/elections/{e.pk}/")
    assert page.locator("h1").inner_text().startswith(e.name)
