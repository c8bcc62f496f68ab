"""The standing representative's day (daibiao), pages only, in a real browser (issue 12):
signs in to their own page (constituency, proposals to co-sign, meetings, evaluations),
co-signs a neighbour's proposal, opens the coming meeting, rates in the open evaluation —
with the bad inputs on the way."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest

from shequ.accounts.tests.factories import PASSWORD

URBAN = "510104022009"


def sign_in(page: Any, url: str, username: str) -> None:
    page.goto(f"{url}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("#signin")


def messages(page: Any) -> list[str]:
    return page.locator(".msg").all_inner_texts()  # type: ignore[no-any-return]


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_representatives_day(page: Any, live_server: Any, make_user: Any) -> None:
    from shequ.areas.tests.factories import make_tree
    from shequ.authz import SYSTEM
    from shequ.autonomy import services
    from shequ.autonomy.models import CoSignature, EvaluationBallot, Proposal
    from shequ.autonomy.tests.factories import link, representatives, residents
    from shequ.people.models import Body, Membership

    make_tree()
    url = live_server.url
    reps = representatives(URBAN, 3)
    me = reps[0]
    neighbour = residents(URBAN, 1)[0]
    link(make_user("representative", URBAN, username="daibiao"), me.resident)
    body = Body.objects.create(kind="residents_committee", name="督院街社区居民委员会",
                               area_code=URBAN)
    Membership.objects.create(body=body, person_name="王主任", start_date=date(2024, 1, 1))
    proposal = services.submit_proposal(actor=SYSTEM, community_code=URBAN,
                                        title="锦绣苑楼道照明改造", body="楼道灯坏了半年。",
                                        resident_id=neighbour.pk)
    day = services.today()
    meeting = services.convene_meeting(actor=SYSTEM, community_code=URBAN,
                                       title="第四次居民代表会议", agenda="审议楼道照明提案",
                                       held_on=day + timedelta(days=8))
    campaign = services.open_evaluation(actor=SYSTEM, community_code=URBAN, year=day.year,
                                        title=f"{day.year} 年度民主评议",
                                        criteria=["服务态度"], opens_on=day,
                                        closes_on=day + timedelta(days=14))

    # the representative lands on their own page, not on a console that refuses them
    sign_in(page, url, "daibiao")
    page.wait_for_url(f"{url}/me/")
    assert page.locator("h1").inner_text() == "我的"
    cards = page.locator("article.card")
    constituency = cards.filter(has_text="我的选区")
    assert me.constituency.name in constituency.inner_text()
    assert "150 户" in constituency.inner_text()
    to_cosign = cards.filter(has_text="待附议的提案")
    assert "锦绣苑楼道照明改造" in to_cosign.inner_text()
    assert "已附议 0 人，需 10 人" in to_cosign.inner_text()
    assert "第四次居民代表会议" in cards.filter(has_text="会议").last.inner_text()
    assert f"{day.year} 年度民主评议" in cards.filter(has_text="民主评议").inner_text()
    assert "无权访问" not in page.content()

    # co-signs the neighbour's proposal; the button is gone afterwards
    to_cosign.locator("a", has_text="锦绣苑楼道照明改造").click()
    page.wait_for_url(f"{url}/autonomy/proposals/{proposal.pk}/")
    page.click("#cosign")
    assert "感谢附议，已计入。" in messages(page)
    assert page.locator("#cosigners").inner_text() == "已附议 1 人，需 10 人"
    assert page.locator("#cosign").count() == 0
    assert CoSignature.objects.filter(proposal=proposal, resident=me.resident).count() == 1
    page.goto(f"{url}/me/")
    assert "本社区暂无征集附议的提案。" in page.locator("article.card").filter(
        has_text="待附议的提案").inner_text()

    # their own proposal: an empty title is refused, nothing saved
    page.goto(f"{url}/autonomy/c/{URBAN}/propose/")
    page.fill("#id_body", "建议在院坝增设休息座椅。")
    page.locator("#id_title").evaluate("el => el.removeAttribute('required')")
    page.click("#submit")
    assert "这个字段是必填项。" in page.content()
    assert Proposal.objects.filter(proposer=me.resident).count() == 0
    page.fill("#id_title", "院坝增设休息座椅")
    page.fill("#id_body", "建议在院坝增设休息座椅。")
    page.click("#submit")
    page.wait_for_url(f"{url}/autonomy/proposals/*/")
    assert page.locator("#state").inner_text() == "已提交，待审查"  # a representative's

    # the coming meeting: notice and agenda, no vote a week before it
    page.goto(f"{url}/me/")
    page.locator("article.card a", has_text="第四次居民代表会议").click()
    page.wait_for_url(f"{url}/autonomy/meetings/{meeting.pk}/")
    assert page.locator("#meeting-status").inner_text() == "已发通知"
    assert "审议楼道照明提案" in page.content()
    assert page.locator("button[data-vote]").count() == 0
    assert page.locator("#attendance").count() == 0

    # the evaluation: a verdict left out is refused, then the complete rating counts once
    page.goto(f"{url}/me/")
    page.locator("article.card a", has_text="年度民主评议").click()
    page.wait_for_url(f"{url}/autonomy/evaluations/{campaign.pk}/")
    selects = page.locator("#rating select[name^=v]")
    assert selects.count() == 2  # the committee member and the service station
    assert "王主任" in page.locator("#rating").inner_text()
    selects.first.select_option("basically_fit")  # the station left without a verdict
    page.click("#rating button[type=submit]")
    assert "请对每位成员、服务站和科室逐一评价。" in messages(page)
    assert not EvaluationBallot.objects.exists()
    for select in page.locator("#rating select[name^=v]").all():
        select.select_option("fit")
    page.click("#rating button[type=submit]")
    assert "感谢参与，您的评价已匿名计入。" in messages(page)
    assert page.locator("#rating").count() == 0
    assert EvaluationBallot.objects.filter(campaign=campaign, resident=me.resident).count() == 1
