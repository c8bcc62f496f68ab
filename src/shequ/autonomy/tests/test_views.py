from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.test import Client

from shequ.authz import SYSTEM
from shequ.autonomy import services
from shequ.autonomy.models import Proposal
from shequ.autonomy.tests.conftest import URBAN
from shequ.autonomy.tests.factories import link, meeting_day


def test_public_pages_show_no_personal_data(people: Any, reps: Any, client: Client) -> None:
    members = reps(URBAN, 2)
    proposer = people(URBAN, 1)[0]
    p = services.submit_proposal(actor=SYSTEM, community_code=URBAN, title="停车难",
                                 body="电话 13912345678", resident_id=proposer.pk)
    services.disclose_major(actor=SYSTEM, community_code=URBAN, title="改造",
                            body="经办 510104198001011234")
    for url in ("/autonomy/", f"/autonomy/c/{URBAN}/", f"/autonomy/proposals/{p.pk}/"):
        r = client.get(url)
        assert r.status_code == 200, url
        html = r.content.decode()
        assert "13912345678" not in html and "198001011234" not in html
        assert proposer.name not in html  # proposer shown masked
    html = client.get(f"/autonomy/c/{URBAN}/").content.decode()
    assert members[0].name in html  # the roster shows names
    assert members[0].resident.id_masked not in html


def test_resident_proposes_and_refusals_say_why(people: Any, make_user: Any,
                                                client: Client) -> None:
    user = make_user("resident", URBAN)
    me = people(URBAN, 1)[0]
    client.force_login(user)
    r = client.post(f"/autonomy/c/{URBAN}/propose/", {"title": "加装电梯", "body": "理由"},
                    follow=True)
    assert "尚未关联居民信息" in r.content.decode()
    link(user, me)
    r = client.post(f"/autonomy/c/{URBAN}/propose/", {"title": "加装电梯", "body": "理由"})
    p = Proposal.objects.get()
    assert r.status_code == 302 and r["Location"] == f"/autonomy/proposals/{p.pk}/"
    r = client.post(f"/autonomy/proposals/{p.pk}/act/", {"action": "cosign"}, follow=True)
    assert r.status_code == 200
    assert "提案人不能附议自己的提案。" in r.content.decode()
    r = client.post(f"/autonomy/proposals/{p.pk}/act/", {"action": "admit", "reason": "x"},
                    follow=True)
    html = r.content.decode()
    assert r.status_code == 200 and "您无权在此范围内执行该操作。" in html  # no review
    assert Proposal.objects.get().state == "collecting"


def test_staff_desk_and_representative_page(people: Any, reps: Any, make_user: Any,
                                            client: Client) -> None:
    members = reps(URBAN, 2)
    staff = make_user("community_worker", URBAN)
    client.force_login(staff)
    assert client.get("/autonomy/desk/").status_code == 200
    services.plan_disclosures(actor=SYSTEM, community_code=URBAN, year=2026)
    assert client.get("/autonomy/desk/").status_code == 200
    rep = make_user("representative", URBAN)
    link(rep, members[0].resident)
    client.force_login(rep)
    r = client.get("/autonomy/mine/")
    assert r.status_code == 200 and members[0].constituency.name in r.content.decode()


def test_resident_follows_own_and_cosigned_proposals(people: Any, make_user: Any,
                                                     client: Client) -> None:
    a, b = people(URBAN, 2)
    p = services.submit_proposal(actor=SYSTEM, community_code=URBAN, title="图书角", body="b",
                                 resident_id=a.pk)
    services.cosign_proposal(actor=SYSTEM, proposal_id=p.pk, resident_id=b.pk)
    user = make_user("resident", URBAN)
    link(user, b)
    client.force_login(user)
    r = client.get("/autonomy/mine/")
    assert r.status_code == 200 and "图书角" in r.content.decode()


def test_staff_record_representatives_by_identity_number(world: Any, make_user: Any,
                                                         client: Client) -> None:
    from datetime import date

    from shequ.autonomy.models import Constituency, Representative
    from shequ.people.tests.factories import make_identity_number, make_resident

    numbers = [make_identity_number(date(1970, 1, 1 + i), serial=900 + i) for i in range(2)]
    a, b = (make_resident(URBAN, name=n, birth=date(1970, 1, 1 + i), number=numbers[i])
            for i, n in enumerate(["代表甲", "代表乙"]))
    client.force_login(make_user("community_worker", URBAN))
    act = f"/autonomy/c/{URBAN}/act/"
    client.post(act, {"action": "constituency", "name": "锦绣苑", "kind": "compound",
                      "households": "60", "area_code": "510104022009001"})
    c = Constituency.objects.get()
    assert c.seats == 2
    client.post(act, {"action": "appoint", "constituency": c.pk, "id_number": numbers[0],
                      "term_start": "2026-01-01"})
    r = client.post(act, {"action": "appoint", "constituency": c.pk,
                          "id_number": "110101199001011234", "term_start": "2026-01-01"},
                    follow=True)
    assert "本社区没有该身份证号对应的居民。" in r.content.decode()
    rep = Representative.objects.get()
    assert rep.resident == a
    client.post(act, {"action": "by_elect", "representative": rep.pk, "id_number": numbers[1],
                      "reason": "迁出"})
    assert Representative.objects.get(status="active").resident == b
    html = client.get(f"/autonomy/c/{URBAN}/").content.decode()
    assert numbers[0] not in html and "代表乙" in html


def test_list_pages_do_not_query_per_row(people: Any, reps: Any, make_user: Any,
                                         client: Client) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    reps(URBAN, 3)
    residents = people(URBAN, 12)

    def count(url: str) -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx)

    def add(n: int) -> None:
        for r in residents[:n]:
            services.submit_proposal(actor=SYSTEM, community_code=URBAN, title="t", body="b",
                                     resident_id=r.pk)

    client.force_login(make_user("community_worker", URBAN))
    add(2)
    count(f"/autonomy/c/{URBAN}/")  # the process loads the user's grants once
    few = (count(f"/autonomy/c/{URBAN}/"), count("/autonomy/desk/"))
    add(10)
    many = (count(f"/autonomy/c/{URBAN}/"), count("/autonomy/desk/"))
    assert many == few


def test_the_district_desk_makes_a_constant_number_of_queries(world: Any, make_user: Any,
                                                              client: Client) -> None:
    """Issue 18: the desk resolved the rule profile community by community (162 queries
    at district scale); now its query count does not grow with the communities or rows
    in scope."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from shequ.areas.models import Area, CommunityKind
    from shequ.areas.tests.factories import area
    from shequ.autonomy.tests.factories import residents

    street = Area.objects.get(code="510104022")
    for n in range(20, 24):
        area(f"510104022{n:03d}", f"第{n}社区", street, kind=CommunityKind.URBAN)
    codes = list(Area.objects.filter(level="community", code__startswith="510104")
                 .order_by("code").values_list("code", flat=True))
    assert len(codes) == 7
    client.force_login(make_user("civil_affairs", "510104"))

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/autonomy/desk/").status_code == 200
        return len(ctx)

    def fill(some: list[str]) -> None:
        for code in some:
            r = residents(code, 2)
            services.submit_proposal(actor=SYSTEM, community_code=code, title="t", body="b",
                                     resident_id=r[0].pk)
            services.start_request(actor=SYSTEM, community_code=code,
                                   kind="residents_meeting", via="residents", subject="s",
                                   resident_id=r[1].pk)
            services.convene_meeting(actor=SYSTEM, community_code=code, title="会",
                                     agenda="议", held_on=services.today() + timedelta(days=10))

    fill(codes[:2])
    count()  # the process loads the user's grants once
    few = count()
    fill(codes[2:6])
    many = count()
    assert many == few


def test_bad_input_names_the_field_and_saves_nothing(reps: Any, make_user: Any,
                                                     client: Client) -> None:
    from shequ.autonomy.models import Meeting

    reps(URBAN, 2)
    client.force_login(make_user("community_worker", URBAN))
    r = client.post(f"/autonomy/c/{URBAN}/act/", {"action": "convene", "title": "会议",
                                                  "agenda": "议程", "held_on": "明天"},
                    follow=True)
    assert "“会议日期”：输入一个有效的日期。" in r.content.decode()
    r = client.post(f"/autonomy/c/{URBAN}/act/", {"action": "nonsense"}, follow=True)
    assert "未知操作。" in r.content.decode()
    r = client.post(f"/autonomy/c/{URBAN}/act/", {"action": "convene", "title": "会议",
                                                  "agenda": "议程", "held_on": "2026-01-02"},
                    follow=True)
    assert "会议通知和议程应当至少提前 7 天发出" in r.content.decode()
    assert not Meeting.objects.exists()


def test_irreversible_steps_ask_for_confirmation_first(reps: Any, make_user: Any,
                                                       client: Client) -> None:
    from datetime import date, timedelta

    from shequ.autonomy.models import Meeting

    members = reps(URBAN, 3)
    m = services.convene_meeting(actor=SYSTEM, community_code=URBAN, title="会", agenda="议程",
                                 held_on=date.today() + timedelta(days=7))
    client.force_login(make_user("community_worker", URBAN))
    url = f"/autonomy/meetings/{m.pk}/act/"
    data = {"action": "attendance", "present": [str(members[0].pk), str(members[1].pk)]}
    r = client.post(url, data)
    html = r.content.decode()
    assert r.status_code == 200 and 'id="confirm"' in html
    assert "确认登记这份出席名单吗？法定人数据此确定；闭会前可以更正。" in html
    assert html.count('name="present"') == 2
    m.refresh_from_db()
    assert m.status == Meeting.Status.NOTIFIED  # nothing recorded yet
    r = client.post(url, {**data, "confirmed": "1"}, follow=True)
    m.refresh_from_db()
    assert m.status == Meeting.Status.NOTIFIED  # a week before the meeting: refused
    day = m.held_on.isoformat()
    assert f"出席情况只能在会议当天（{day}）或之后登记：谁出席要到开会时才知道。" in r.content.decode()
    meeting_day(m)
    r = client.post(url, {**data, "confirmed": "1"}, follow=True)
    m.refresh_from_db()
    assert (m.status, m.present) == (Meeting.Status.OPEN, 2)  # 2 of 3: two thirds
    assert "出席情况已登记。" in r.content.decode()


def test_buttons_are_the_steps_the_services_accept(people: Any, reps: Any, make_user: Any,
                                                   client: Client) -> None:
    members = reps(URBAN, 2)
    (other,) = people(URBAN, 1)
    p = services.submit_proposal(actor=SYSTEM, community_code=URBAN, title="路灯", body="b",
                                 resident_id=members[0].resident_id)
    url = f"/autonomy/proposals/{p.pk}/"
    html = client.get(url).content.decode()
    assert 'id="review"' not in html and 'id="cosign"' not in html  # anonymous: nothing
    staff = make_user("community_worker", URBAN)
    client.force_login(staff)
    html = client.get(url).content.decode()
    assert 'id="review"' in html and 'id="withdraw"' not in html
    owner = make_user("representative", URBAN)
    link(owner, members[0].resident)
    client.force_login(owner)
    html = client.get(url).content.decode()
    assert 'id="withdraw"' in html and 'id="review"' not in html
    assert 'id="cosign"' not in html  # submitted: not collecting co-signatures
    neighbour = make_user("resident", URBAN)
    link(neighbour, other)
    client.force_login(neighbour)
    html = client.get(url).content.decode()
    assert 'id="withdraw"' not in html and 'name="text"' in html  # may comment, not withdraw


def test_stored_words_are_shown_in_the_readers_language(people: Any, make_user: Any,
                                                        client: Client) -> None:
    from django.conf import settings

    a = people(URBAN, 1)[0]
    p = services.submit_proposal(actor=SYSTEM, community_code=URBAN, title="图书角", body="b",
                                 resident_id=a.pk)
    services.comment_on_proposal(actor=SYSTEM, proposal_id=p.pk, text="支持")
    html = client.get(f"/autonomy/proposals/{p.pk}/").content.decode()
    assert "· 系统<br>支持" in html and "system" not in html
    assert "城市社区（居民委员会） 2026.3/c8921fb1" in html and "urban" not in html
    services.plan_disclosures(actor=SYSTEM, community_code=URBAN, year=2026)
    client.force_login(make_user("community_worker", URBAN))
    html = client.get("/autonomy/desk/").content.decode()
    assert "财务收支 2026-01–2026-01" in html
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get("/autonomy/desk/").content.decode()
    assert "Finances 2026-01–2026-01" in html and "财务收支" not in html


def test_rating_through_the_evaluation_page(people: Any, make_user: Any, client: Client) -> None:
    from datetime import date, timedelta

    from shequ.autonomy.models import EvaluationAnswer, EvaluationBallot

    me = people(URBAN, 1)[0]
    c = services.open_evaluation(actor=SYSTEM, community_code=URBAN, year=2026, title="评议",
                                 criteria=["服务态度", "办事效率"], opens_on=date.today(),
                                 closes_on=date.today() + timedelta(days=5),
                                 departments=["街道社区发展科"])
    targets = list(c.targets.all())
    user = make_user("resident", URBAN)
    link(user, me)
    client.force_login(user)
    assert 'id="rating"' in client.get(f"/autonomy/evaluations/{c.pk}/").content.decode()
    url = f"/autonomy/evaluations/{c.pk}/act/"
    r = client.post(url, {"action": "rate", f"v{targets[0].pk}": "fit"}, follow=True)
    assert "请对每位成员、服务站和科室逐一评价。" in r.content.decode()
    data = {"action": "rate", **{f"v{t.pk}": "basically_fit" for t in targets},
            **{f"s{t.pk}_0": "4" for t in targets}, f"s{targets[0].pk}_1": "9"}
    r = client.post(url, data, follow=True)
    assert "选择一个有效的选项。 9 不在可用的选项中。" in r.content.decode()
    del data[f"s{targets[0].pk}_1"]
    r = client.post(url, data, follow=True)
    assert "感谢参与，您的评价已匿名计入。" in r.content.decode()
    assert EvaluationBallot.objects.filter(campaign=c).count() == 1
    assert [a.scores for a in EvaluationAnswer.objects.all()] == [{"服务态度": 4}] * len(targets)
    assert 'id="rating"' not in client.get(f"/autonomy/evaluations/{c.pk}/").content.decode()
