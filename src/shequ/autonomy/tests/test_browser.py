"""A proposal from a resident's submission to the published resolution and feedback."""

from __future__ import annotations

from typing import Any

import pytest

from shequ.accounts.tests.factories import PASSWORD

URBAN = "510104022009"


def _sign_in(page: Any, base: str, user: Any, next_url: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{base}/login/?next={next_url}")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.click("#signin")
    page.wait_for_url(f"{base}{next_url}")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_proposal_from_submission_to_resolution_and_feedback(page: Any, live_server: Any,
                                                             make_user: Any) -> None:
    from shequ.areas.tests.factories import make_tree
    from shequ.authz import SYSTEM
    from shequ.autonomy import services
    from shequ.autonomy.models import Meeting, Proposal
    from shequ.autonomy.tests.factories import link, meeting_day, representatives, residents

    make_tree()
    base = live_server.url
    me, neighbour, *others = residents(URBAN, 11)
    reps = representatives(URBAN, 9)
    resident = make_user("resident", URBAN, username="jumin")
    link(resident, me)
    second = make_user("resident", URBAN, username="linju")
    link(second, neighbour)
    staff = make_user("community_worker", URBAN, username="shegong")
    rep_user = make_user("representative", URBAN, username="daibiao")
    link(rep_user, reps[0].resident)

    # a resident proposes
    _sign_in(page, base, resident, f"/autonomy/c/{URBAN}/")
    page.click("#propose")
    page.fill("#id_title", "锦绣苑加装电梯")
    page.fill("#id_body", "3 栋七层无电梯，老人上下楼困难。联系电话 13812345678")
    page.click("#submit")
    page.wait_for_url(f"{base}/autonomy/proposals/*/")
    assert page.locator("#state").inner_text() == "征集联署中"
    assert "138****5678" in page.content() and "13812345678" not in page.content()
    pk = Proposal.objects.get().pk
    url = f"/autonomy/proposals/{pk}/"

    # a neighbour co-signs in the browser, nine more on paper
    _sign_in(page, base, second, url)
    page.click("#cosign")
    assert page.locator("#cosigners").inner_text() == "已附议 1 人，需 10 人"
    for r in others[:9]:
        services.cosign_proposal(actor=SYSTEM, proposal_id=pk, resident_id=r.pk)

    # staff review, convene, schedule, record attendance
    _sign_in(page, base, staff, url)
    assert page.locator("#state").inner_text() == "已提交，待审查"
    page.fill("#reason", "属于院落公共事务，提交居民代表会议审议")
    page.click("#review button[value=admit]")
    assert page.locator("#state").inner_text() == "已受理，待审议"
    page.goto(f"{base}/autonomy/c/{URBAN}/")
    page.fill("#m-title", "第四次居民代表会议")
    page.fill("#m-agenda", "审议加装电梯提案")
    # an empty date says the date is required (not the notice rule); 9999 is refused
    page.fill("#m-held", "")
    page.click("#convene button[type=submit]")
    assert "“会议日期”：这个字段是必填项。" in page.locator(".msg").all_inner_texts()
    page.fill("#m-title", "第四次居民代表会议")
    page.fill("#m-agenda", "审议加装电梯提案")
    page.fill("#m-held", "9999-12-31")
    page.click("#convene button[type=submit]")
    assert any("9999-12-31 不在此范围内。" in m for m in page.locator(".msg").all_inner_texts())
    assert not Meeting.objects.exists()
    page.fill("#m-title", "第四次居民代表会议")
    page.fill("#m-agenda", "审议加装电梯提案")
    page.click("#convene button[type=submit]")
    page.goto(f"{base}{url}")
    page.click("#schedule button[type=submit]")
    assert page.locator("#state").inner_text() == "已列入会议议程"
    meeting_id = Proposal.objects.get().meeting_id
    page.goto(f"{base}/autonomy/meetings/{meeting_id}/")
    # a week before the meeting nobody can record who attends
    assert page.locator("#attendance").count() == 0
    meeting_day(meeting_id)
    page.reload()
    # 6 of the 9 representatives are present: two thirds, the quorum (VCL Art. 26)
    for box in page.locator("#attendance input[name=present]").all()[:6]:
        box.check()
    page.click("#attendance button[type=submit]")
    assert page.locator("#question").inner_text() == \
        "确认登记这份出席名单吗？法定人数据此确定；闭会前可以更正。"
    page.click("#confirm")
    assert page.locator("#meeting-status").inner_text() == "会议进行中"
    assert Meeting.objects.get(pk=meeting_id).present == 6
    # a latecomer: the clerk corrects the attendance (the form keeps who was ticked)
    assert page.locator("#attendance h2").inner_text() == "更正出席情况"
    assert page.locator("#attendance input[name=present]:checked").count() == 6
    page.locator("#attendance input[name=present]").nth(6).check()
    page.click("#attendance button[type=submit]")
    page.click("#confirm")
    assert Meeting.objects.get(pk=meeting_id).present == 7

    # the one representative with an account votes through the site
    _sign_in(page, base, rep_user, f"/autonomy/meetings/{meeting_id}/")
    page.click("button[data-vote=for]")
    assert page.locator("#motions .tag.ok").count() == 1
    motion_id = Proposal.objects.get().motion_id

    # the clerk enters the show of hands of the seven present; bad counts are refused
    _sign_in(page, base, staff, f"/autonomy/meetings/{meeting_id}/")
    form = page.locator(f"form[data-count='{motion_id}']")

    def count(f: int, a: int, s: int) -> list[str]:
        form.locator("input[name=votes_for]").fill(str(f))
        form.locator("input[name=votes_against]").fill(str(a))
        form.locator("input[name=abstentions]").fill(str(s))
        form.locator("button[type=submit]").click()
        return page.locator(".msg").all_inner_texts()

    assert "票数合计 8，多于出席的 7 人。" in count(5, 2, 1)
    assert "已有 1 名代表在网上投了赞成票，赞成票数不能少于此数。" in count(0, 5, 2)
    assert "计票结果已登记。" in count(5, 1, 1)
    assert page.locator("#motions").get_by_text("计票结果由记录员登记").count() == 1

    # staff counts, assigns, reports progress and feedback
    _sign_in(page, base, staff, f"/autonomy/meetings/{meeting_id}/")
    page.click(f"button[data-close-motion='{motion_id}']")
    page.click("#confirm")
    assert page.locator("#motions .tag").first.inner_text() == "已通过"
    # decided on the counts entered (5 of 7 present), not on the one vote online
    row = page.locator("#motions tbody tr").first.locator("td.n")
    assert [row.nth(i).inner_text() for i in range(3)] == ["5", "1", "1"]
    page.goto(f"{base}{url}")
    assert page.locator("#state").inner_text() == "已通过"
    page.fill("#assignee", "督院街社区公共服务站")
    page.click("#assign button[type=submit]")
    page.fill("#note", "已完成住户意见征询")
    page.click("#progress button[type=submit]")
    page.fill("#feedback-text", "电梯已于 9 月投入使用")
    page.click("#complete button[type=submit]")
    assert page.locator("#state").inner_text() == "已办结，待居民评价"

    # the resident rates the result; staff closes
    _sign_in(page, base, resident, url)
    page.select_option("#score", "5")
    page.click("#rate button[type=submit]")
    _sign_in(page, base, staff, url)
    page.click("#close button[type=submit]")
    page.click("#confirm")

    # anyone sees the whole history, the resolution and the feedback
    page.context.clear_cookies()
    page.goto(f"{base}{url}")
    assert page.locator("#state").inner_text() == "已结案"
    number = Proposal.objects.get().motion.resolution_number
    assert number and number in page.locator("#resolution").inner_text()
    assert "电梯已于 9 月投入使用" in page.locator("#feedback").inner_text()
    assert "5" in page.locator("#satisfaction").inner_text()
    assert page.locator("#history li").count() >= 9
    assert me.name not in page.content()
