"""Linkage over the API and the pages: the ranking with its explanation, invitations, the
organisation's inbox."""

from __future__ import annotations

import json
from typing import Any

from django.test import Client

from shequ.accounts.models import ApiToken


def _auth(user: Any) -> dict[str, str]:
    key = ApiToken.new_key()
    ApiToken.objects.create(user=user, name="t", key_hash=ApiToken.hash_key(key))
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def test_candidates_and_invitation_over_the_api(need: Any, providers: Any,
                                                community_worker: Any) -> None:
    client = Client()
    data = client.get(f"/api/v1/linkage/needs/{need.pk}/candidates",
                      **_auth(community_worker)).json()
    first = data["candidates"][0]
    assert (first["name"], first["total"], first["kind"]) == ("陈静", "84.3", "worker")
    assert [(f["label"], f["figure"], f["points"]) for f in first["factors"]] == [
        ("服务类别", "主营类别", "20.0"), ("距离", "1.11 公里", "22.2"),
        ("空余服务能力", "1 项中空余 1 项", "15.0"), ("服务经历", "已完成 10 次服务", "13.3"),
        ("评价", "10 条评价与先验（中性 3 分）的均值 3.77", "13.8")]
    invited = client.post(f"/api/v1/linkage/needs/{need.pk}/invitations",
                          json.dumps({"kind": "org", "provider_id": providers["A"].pk}),
                          content_type="application/json", **_auth(community_worker))
    assert invited.status_code == 201 and invited.json()["score"] == "82.5"
    again = client.post(f"/api/v1/linkage/needs/{need.pk}/invitations",
                        json.dumps({"kind": "org", "provider_id": providers["A"].pk}),
                        content_type="application/json", **_auth(community_worker))
    assert again.status_code == 409 and again.json()["code"] == "already_invited"


def test_pages_for_the_community_and_the_organisation(need: Any, providers: Any,
                                                      community_worker: Any,
                                                      make_user: Any) -> None:
    from shequ.authz import SYSTEM
    from shequ.orgs import services as orgs

    client = Client()
    client.force_login(community_worker)
    page = client.get(f"/linkage/needs/{need.pk}/").content.decode()
    assert "推荐的服务方" in page and "84.3 分" in page and "88.9% × 25% = 22.2" in page
    client.post(f"/linkage/needs/{need.pk}/invite/", {"kind": "org",
                                                      "provider_id": providers["A"].pk})
    user = make_user("org_user", "510104", username="zuzhi")
    orgs.add_operator(actor=SYSTEM, org_id=providers["A"].pk, user=user)
    inbox = Client()
    inbox.force_login(user)
    page = inbox.get("/linkage/inbox/").content.decode()
    assert "独居老人周末探访" in page and "已邀请" in page and "推荐理由" in page
    e = need.engagements.get()
    inbox.post(f"/linkage/engagements/{e.pk}/act/", {"action": "accept", "from": "inbox"})
    e.refresh_from_db()
    assert e.state == "accepted"
    stranger = Client()
    stranger.force_login(make_user("org_user", "510104"))
    assert stranger.post(f"/linkage/engagements/{e.pk}/act/", {"action": "start"}).status_code == 404
    assert Client().get("/linkage/").status_code == 302
