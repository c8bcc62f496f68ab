from __future__ import annotations

from typing import Any

from django.test import Client

from shequ.accounts.permissions import SYSTEM
from shequ.autonomy import services
from shequ.autonomy.models import Proposal
from shequ.autonomy.tests.conftest import URBAN
from shequ.autonomy.tests.factories import link


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
    assert "提案人" in r.content.decode() or "proposer" in r.content.decode()
    r = client.post(f"/autonomy/proposals/{p.pk}/act/", {"action": "admit", "reason": "x"},
                    follow=True)
    html = r.content.decode()
    assert r.status_code == 200 and ("permission" in html or "无权" in html)  # no review
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
