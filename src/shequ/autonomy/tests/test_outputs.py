"""Issue 12 outputs of self-governance: the meeting notice printed through
``shequ.documents``, Excel exports of proposals and representatives, the proposals-by-
state chart with its table, and the representative's own page."""

from __future__ import annotations

import io
from datetime import timedelta
from typing import Any

from django.test import Client
from openpyxl import load_workbook
from pypdf import PdfReader

from shequ.authz import SYSTEM
from shequ.autonomy import services
from shequ.autonomy.tests.conftest import URBAN
from shequ.autonomy.tests.factories import link


def _text(pdf: bytes) -> str:
    return "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages).replace("\n", "")


def test_the_meeting_notice_is_numbered_when_convened_and_printed(reps: Any,
                                                                   client: Client) -> None:
    reps(URBAN, 3)
    day = services.today()
    m = services.convene_meeting(actor=SYSTEM, community_code=URBAN, title="第四次居民代表会议",
                                 agenda="1. 审议加装电梯提案\n2. 审议停车收费提案",
                                 held_on=day + timedelta(days=7), location="社区党群服务中心")
    r = client.get(f"/autonomy/meetings/{m.pk}/notice.pdf")
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
    text = _text(r.content)
    number = f"督院街会通〔{day.year}〕1号"
    assert number in text
    assert "关于召开第四次居民代表会议的通知" in text
    held = m.held_on
    assert f"{held.year}年{held.month}月{held.day}日" in text
    assert "社区党群服务中心" in text and "1. 审议加装电梯提案" in text
    assert "2. 审议停车收费提案" in text and "各位居民代表、居委会成员：" in text
    assert "Notice" not in text
    # printing again: the same number; a second meeting: the next one
    assert number in _text(client.get(f"/autonomy/meetings/{m.pk}/notice.pdf").content)
    m2 = services.convene_meeting(actor=SYSTEM, community_code=URBAN, title="第五次居民代表会议",
                                  agenda="议程", held_on=day + timedelta(days=9))
    assert f"督院街会通〔{day.year}〕2号" in _text(
        client.get(f"/autonomy/meetings/{m2.pk}/notice.pdf").content)
    assert 'id="notice-pdf"' in client.get(f"/autonomy/meetings/{m.pk}/").content.decode()


def test_staff_export_proposals_and_representatives(reps: Any, people: Any, make_user: Any,
                                                    client: Client) -> None:
    members = reps(URBAN, 2)
    r = people(URBAN, 1)[0]
    services.submit_proposal(actor=SYSTEM, community_code=URBAN, title="楼道照明", body="b",
                             resident_id=r.pk)
    url = f"/autonomy/c/{URBAN}/proposals.xlsx"
    client.force_login(make_user("resident", URBAN))
    assert client.get(url).status_code == 403
    client.force_login(make_user("community_worker", URBAN))
    resp = client.get(url)
    assert resp.status_code == 200 and resp["Content-Disposition"].endswith('.xlsx"')
    ws = load_workbook(io.BytesIO(resp.content)).active
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][:5] == ("编号", "标题", "提出方式", "提案人", "状态")
    assert rows[1][1] == "楼道照明" and rows[1][4] == "征集联署中" and rows[1][5] == 0
    resp = client.get(f"/autonomy/c/{URBAN}/representatives.xlsx")
    rows = list(load_workbook(io.BytesIO(resp.content)).active.iter_rows(values_only=True))
    assert len(rows) == 3 and {row[0] for row in rows[1:]} == {m.name for m in members}
    assert rows[1][5] == "换届选举" and rows[1][6] == "在任"
    assert client.get(f"/autonomy/c/{URBAN}/").content.decode().count("导出") == 2


def test_proposals_by_state_chart_has_its_table(people: Any, client: Client) -> None:
    rs = people(URBAN, 3)
    for r in rs:
        services.submit_proposal(actor=SYSTEM, community_code=URBAN, title="t", body="b",
                                 resident_id=r.pk)
    html = client.get(f"/autonomy/c/{URBAN}/").content.decode()
    assert 'id="proposals-by-state-title">提案办理情况</figcaption>' in html
    flat = html.replace("\n", "")
    assert '<th scope="row">征集联署中</th><td class="n">3</td>' in flat


def test_the_representatives_own_page(reps: Any, people: Any, make_user: Any,
                                      client: Client) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    me = reps(URBAN, 2)[0]
    user = make_user("representative", URBAN)
    link(user, me.resident)
    client.force_login(user)
    others = people(URBAN, 6)

    def page() -> tuple[str, int]:
        with CaptureQueriesContext(connection) as ctx:
            html = client.get("/me/").content.decode()
        return html, len(ctx)

    page()
    html, few = page()
    assert "我的选区" in html and me.constituency.name in html
    assert "本社区暂无征集附议的提案。" in html
    for r in others:
        services.submit_proposal(actor=SYSTEM, community_code=URBAN, title=f"提案{r.pk}",
                                 body="b", resident_id=r.pk)
    html, many = page()
    assert many == few  # a constant number of queries
    assert html.count("已附议 0 人，需 10 人") == 5  # the first five, then "see all"


def test_a_request_to_convene_through_the_pages(people: Any, make_user: Any,
                                                client: Client) -> None:
    """Two adult residents of ten ask for a residents' meeting (RCL 2018 Art. 10: one
    fifth); the committee records it convened; each page says it in Chinese."""
    from shequ.autonomy.models import ConveneRequest

    adults = people(URBAN, 10)
    first, second = make_user("resident", URBAN), make_user("resident", URBAN)
    link(first, adults[0])
    link(second, adults[1])
    client.force_login(first)
    html = client.get(f"/autonomy/c/{URBAN}/").content.decode()
    assert ("十八周岁以上居民不少于五分之一或居民代表不少于三分之一提议的，居委会应当召集居民会议；"
            "居民代表不少于五分之一提议的，应当召集居民代表会议。") in html
    r = client.post(f"/autonomy/c/{URBAN}/act/", {"action": "request",
                                                   "kind": "residents_meeting", "subject": ""},
                    follow=True)
    assert "“提请讨论的事项”：这个字段是必填项。" in r.content.decode()
    assert not ConveneRequest.objects.exists()
    r = client.post(f"/autonomy/c/{URBAN}/act/", {"action": "request",
                                                   "kind": "residents_meeting",
                                                   "subject": "讨论院落停车收费"}, follow=True)
    assert "提议已发起，您是第一位签名人。" in r.content.decode()
    q = ConveneRequest.objects.get()
    url = f"/autonomy/requests/{q.pk}/"
    html = client.get(url).content.decode()
    assert "提议召集：居民会议" in html and 'id="sign-request"' not in html  # signed already
    client.force_login(second)
    r = client.post(f"{url}act/", {"action": "sign"}, follow=True)
    html = r.content.decode()
    assert "您的签名已计入。" in html and "签名已达法定数，待召集" in html
    due = (services.today() + timedelta(days=30)).isoformat()
    assert f"居委会应于 {due} 前召集会议。" in html
    client.force_login(make_user("community_worker", URBAN))
    day = services.today()
    data = {"action": "convened", "notice_on": day.isoformat(),
            "held_on": (day + timedelta(days=3)).isoformat()}
    r = client.post(f"{url}act/", {**data, "confirmed": "1"}, follow=True)
    assert ("会议通知和议程应当至少提前 7 天发出（地方做法（本地规则，由各区设定）（引用未核实））。"
            in r.content.decode())
    q.refresh_from_db()
    assert q.state == "submitted"  # 3 days' notice is short of the 7-day notice rule
    data["held_on"] = (day + timedelta(days=7)).isoformat()
    r = client.post(f"{url}act/", data)
    assert "确认登记居民会议已召集吗？登记后该提议即告办结。" in r.content.decode()
    r = client.post(f"{url}act/", {**data, "confirmed": "1"}, follow=True)
    assert "会议已登记。" in r.content.decode()
    q.refresh_from_db()
    assert q.state == "convened"


def test_requests_over_the_api(reps: Any, make_user: Any, client: Client) -> None:
    members = reps(URBAN, 10)
    staff = make_user("community_worker", URBAN)
    client.force_login(staff)
    r = client.post("/api/v1/autonomy/requests", {
        "community_code": URBAN, "kind": "conference", "via": "representatives",
        "subject": "审议物业选聘", "resident_id": members[0].resident_id},
        content_type="application/json")
    assert r.status_code == 201, r.content
    body = r.json()
    assert (body["base"], body["signatures_needed"], body["state"]) == (10, 2, "collecting")
    r = client.post(f"/api/v1/autonomy/requests/{body['id']}/signatures",
                    {"resident_id": members[1].resident_id}, content_type="application/json")
    assert r.json()["state"] == "submitted"
    r = client.post(f"/api/v1/autonomy/requests/{body['id']}/convened",
                    {"notice_on": str(services.today())}, content_type="application/json")
    assert r.status_code == 400 and r.json()["code"] == "bad_kind"
    r = client.post("/api/v1/autonomy/meetings", {
        "community_code": URBAN, "title": "临时会议", "agenda": "议程",
        "held_on": str(services.today() + timedelta(days=7)), "request_id": body["id"]},
        content_type="application/json")
    assert r.status_code == 201, r.content
    assert client.get(f"/api/v1/autonomy/requests/{body['id']}").json()["state"] == "convened"
    r = client.post("/api/v1/autonomy/meetings", {
        "community_code": URBAN, "title": "会议", "agenda": "议程"},
        content_type="application/json")
    assert r.status_code == 400 and r.json()["code"] == "required"


def test_a_recall_through_the_pages(people: Any, make_user: Any, client: Client) -> None:
    """The petition names a member picked from the current committee (the party
    secretary is not offered, a typed id of one is refused); the result form counts the
    register on the day of the vote and refuses a registered figure that does not match."""
    from datetime import date

    from shequ.autonomy.models import RecallPetition
    from shequ.people.models import Body, Membership

    voters = people(URBAN, 10)
    committee = Body.objects.create(kind="residents_committee", name="居委会", area_code=URBAN)
    member = Membership.objects.create(body=committee, person_name="王委员",
                                       start_date=date(2024, 1, 1))
    party = Body.objects.create(kind="party", name="社区党委", area_code=URBAN)
    secretary = Membership.objects.create(body=party, person_name="赵书记",
                                          start_date=date(2024, 1, 1))
    user = make_user("resident", URBAN)
    link(user, voters[0])
    client.force_login(user)
    html = client.get(f"/autonomy/c/{URBAN}/").content.decode()
    assert f'<option value="{member.pk}">王委员</option>' in html and "赵书记" not in html
    r = client.post(f"/autonomy/c/{URBAN}/act/", {"action": "recall", "membership":
                                                   str(secretary.pk), "reasons": "理由"},
                    follow=True)
    assert "“党组织”的成员不能由居民罢免" in r.content.decode()
    assert not RecallPetition.objects.exists()
    r = client.post(f"/autonomy/c/{URBAN}/act/", {"action": "recall", "membership":
                                                   str(member.pk), "reasons": "长期不履职"},
                    follow=True)
    assert "罢免要求已发起，您是第一位签名人。" in r.content.decode()
    p = RecallPetition.objects.get()
    services.sign_recall(actor=SYSTEM, petition_id=p.pk, resident_id=voters[1].pk)
    client.force_login(make_user("street_officer", URBAN[:9]))
    url = f"/autonomy/recalls/{p.pk}/"
    html = client.get(url).content.decode()
    # ADR 0513: a new recall sets up its vote in elections; no figures are typed in
    assert "设立罢免投票（选举委员会）" in html and 'value="result"' not in html
    RecallPetition.objects.filter(pk=p.pk).update(legacy_figures=True)  # waiting since before
    assert "选民名单今天共有 10 名选民" in client.get(url).content.decode()
    day = services.today().isoformat()
    data = {"action": "result", "voted_on": day, "registered": "900", "cast": "6",
            "approve": "4", "confirmed": "1"}
    html = client.post(f"{url}act/", data, follow=True).content.decode()
    assert f"{day} 本社区选民名单共有 10 名选民；填写的登记选民数 900 与名单不符。" in html
    p.refresh_from_db()
    assert p.state == "submitted"
    data["registered"] = ""
    html = client.post(f"{url}act/", data, follow=True).content.decode()
    assert "结果已录入。" in html
    p.refresh_from_db()
    member.refresh_from_db()
    assert (p.registered, p.outcome) == (10, "recalled") and member.end_reason == "recalled"
