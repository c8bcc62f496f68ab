"""The district civil-affairs officer's day (minzheng), pages only, in a real browser
(issue 12): the elections overview, a far-future voting day refused, an election's roll
and its printed 选民榜, the second entry of the tally sheets with a typing error, the
difference resolved on the differing field (a figure that does not add up refused first),
the count, the announcement (confirmed first) and its PDF, and the coverage against the
province's target."""

from __future__ import annotations

from io import BytesIO
from typing import Any

import pytest
from django.utils import timezone
from pypdf import PdfReader

from shequ.accounts.tests.factories import PASSWORD


def sign_in(page: Any, url: str, username: str) -> None:
    page.goto(f"{url}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("#signin")
    page.wait_for_load_state()


def enter_sheet(page: Any, st: dict[str, Any], posts: list[dict[str, Any]],
                typo: bool = False) -> None:
    """Type one station's paper tally sheet into the tally form."""
    page.fill("#issued", str(st["issued"]))
    page.fill("#returned", str(st["returned"]))
    for p in posts:
        tallied = st["posts"].get(p["post"], {})
        page.fill(f"#i-{p['post']}", str(tallied.get("invalid", 0)))
        for i, name in enumerate(p["candidates"]):
            raw = tallied.get("votes", {}).get(name, 0)
            marks = raw if isinstance(raw, dict) else {"for": raw}
            v = marks.get("for", 0) - (1 if typo and p["post"] == "chair" and i == 0 else 0)
            page.fill(f"#v-{p['post']}-{i}", str(v))
            page.fill(f"#a-{p['post']}-{i}", str(marks.get("against", 0)))
            page.fill(f"#b-{p['post']}-{i}", str(marks.get("abstain", 0)))
        page.fill(f"#w-{p['post']}",
                  "\n".join(f"{n} {c}" for n, c in tallied.get("write_ins", {}).items()))
    page.click("#save-tally")
    page.wait_for_load_state()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_civil_affairs_officers_day(page: Any, live_server: Any, make_user: Any) -> None:
    from shequ.areas.tests.factories import make_tree
    from shequ.elections import services
    from shequ.elections.tests.driver import COMMUNITY, load_case, set_up, station_data, stations_of

    make_tree()
    clerk = make_user("community_worker", COMMUNITY, username="jipiao1", display_name="唐静")
    make_user("civil_affairs", "510104", username="minzheng", display_name="区民政局 李强")
    case = load_case("first_round")
    e = set_up(case, clerk)
    stations = stations_of(e)
    for st in case["rounds"][0]["stations"]:  # the community's clerk typed the sheets first
        services.enter_tally(actor=clerk, election_id=e.pk, station_id=stations[st["station"]].pk,
                             data=station_data(st))
    url = live_server.url
    sign_in(page, url, "minzheng")

    # the elections overview; a voting day in the year 9999 is refused, nothing saved
    page.goto(f"{url}/elections/")
    assert page.locator("h1").inner_text() == "居民委员会选举"
    assert e.name in page.locator("table").first.inner_text()
    page.fill("#community_code", "510104022011")
    page.fill("#voting_day", "9999-12-31")
    page.click("#new-election button[type=submit]")
    page.wait_for_load_state()
    assert page.locator(".messages .msg.error").inner_text() == (
        "选举日 9999-12-31 距今超过 365 日；选举在举行当年设立（请核对日期）。（本系统规则：换届选举按"
        "统一部署在当年进行，更远的选举日视为录入错误（本地规则，由各区设定））")
    assert e.__class__.objects.count() == 1

    # the roll, and the public roll printed for the notice board
    page.goto(f"{url}/elections/{e.pk}/roll/")
    assert page.locator("h2:has-text('名单')").inner_text() == f"名单 ({case['registered']})"
    assert "张建国" in page.locator("#roll").inner_text()
    pdf = page.request.get(f"{url}/elections/{e.pk}/roll.pdf").body()
    text = "".join(p.extract_text() for p in PdfReader(BytesIO(pdf)).pages).replace("\n", "")
    year = timezone.localdate().year
    assert f"居选榜〔{year}〕1号" in text and f"以下 {case['registered']} 名居民登记为选民" in text

    # the second entry of each sheet; one figure mistyped at the first station
    for st in case["rounds"][0]["stations"]:
        page.goto(f"{url}/elections/{e.pk}/tally/?station={stations[st['station']].pk}")
        enter_sheet(page, st, case["posts"], typo=st["station"] == "第一投票站")
    assert page.locator("tr[data-station='流动票箱']").get_attribute("data-status") == "confirmed"
    assert page.locator("tr[data-station='第一投票站']").get_attribute("data-status") == "differs"
    assert page.locator("tr[data-station='第一投票站'] td").nth(2).inner_text() == "唐静、区民政局 李强"

    # resolved on the differing field only; a figure that does not add up is refused first
    page.goto(f"{url}/elections/{e.pk}/tally/?station={stations['第一投票站'].pk}")
    row = page.locator("#differences tbody tr")
    assert row.count() == 1
    assert row.locator("td").nth(0).inner_text() == "主任：张建国 得票"
    assert [row.locator("td").nth(i).inner_text() for i in (1, 2)] == ["14", "13"]
    assert page.locator("#count").is_disabled()
    row.locator("input").fill("40")
    page.fill("#settle-reason", "核对原始计票单")
    page.click("#settle")
    page.wait_for_load_state()
    refused = page.locator(".messages .msg.error").inner_text()
    assert refused == ("投票站 第一投票站：张建国 的赞成、反对和弃权票合计（40）多于 主任 的有效票（19）。"
                       "（省级居（村）民委员会选举办法通行规定（所选人数多于应选人数的选票无效））")
    assert page.locator("tr[data-station='第一投票站']").get_attribute("data-status") == "differs"
    page.locator("#differences tbody tr input").fill("14")
    page.fill("#settle-reason", "核对原始计票单")
    page.click("#settle")
    page.wait_for_load_state()
    assert page.locator(".messages .msg").inner_text() == "差异已核定，计票结果已确认。"
    assert page.locator("tr[data-station='第一投票站']").get_attribute("data-status") == "confirmed"

    # count, then announce: the page asks first, since it cannot be undone
    page.click("#count")
    page.wait_for_url(f"{url}/elections/{e.pk}/results/")
    page.click("#announce")
    page.wait_for_load_state()
    assert "不可撤销" in page.locator("#confirm-step").inner_text()
    page.click("#confirm")
    page.wait_for_url(f"{url}/elections/{e.pk}/results/")
    assert page.locator("[data-outcome]").get_attribute("data-outcome") == "complete"
    pdf = page.request.get(f"{url}/elections/{e.pk}/announcement.pdf").body()
    text = "".join(p.extract_text() for p in PdfReader(BytesIO(pdf)).pages).replace("\n", "")
    assert f"居选公〔{year}〕1号" in text and f"{e.name}选举结果公告" in text.replace(" ", "")
    assert "Results" not in text and "ballots" not in text

    # the district's direct-election coverage against the province's target
    page.goto(f"{url}/elections/coverage/510104/")
    summary = page.locator("#coverage-summary").inner_text()
    assert "全省目标：不少于五分之四。" in summary
    assert page.locator("#target-met").inner_text() == "未达标"
