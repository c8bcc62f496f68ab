from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.test import Client

from shequ.accounts.services import issue_token
from shequ.authz import SYSTEM
from shequ.autonomy.tests.conftest import AGRI, URBAN
from shequ.autonomy.tests.factories import link


def _auth(user: Any) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {issue_token(actor=SYSTEM, user=user, name='t')}"}


def test_rules_are_public_with_citations(world: Any, client: Client) -> None:
    body = client.get(f"/api/v1/autonomy/communities/{AGRI}/rules").json()
    assert body["profile"] == "agricultural"
    quorum = next(r for r in body["rules"] if r["key"] == "quorum")
    assert quorum["value"] == ">=2/3" and "Art. 26" in quorum["citation"]


def test_propose_cosign_review_over_the_api(people: Any, reps: Any, make_user: Any,
                                            client: Client) -> None:
    members = reps(URBAN, 3)
    resident = make_user("resident", URBAN)
    proposer, signer = people(URBAN, 2)
    link(resident, proposer)
    r = client.post("/api/v1/autonomy/proposals", {"community_code": URBAN, "title": "健身器材",
                                                   "body": "在院坝增设健身器材"},
                    content_type="application/json", **_auth(resident))
    assert r.status_code == 201, r.content
    pid = r.json()["id"]
    assert r.json()["state"] == "collecting"
    r = client.post(f"/api/v1/autonomy/proposals/{pid}/cosign", {},
                    content_type="application/json", **_auth(resident))
    assert r.status_code == 409 and r.json()["code"] == "own_proposal"
    staff = make_user("community_worker", URBAN)
    r = client.post(f"/api/v1/autonomy/proposals/{pid}/cosign", {"resident_id": signer.pk},
                    content_type="application/json", **_auth(staff))
    assert r.status_code == 200 and r.json()["cosigner_count"] == 1
    r = client.post(f"/api/v1/autonomy/proposals/{pid}/review",
                    {"admit": True, "reason": "ok"}, content_type="application/json",
                    **_auth(staff))
    assert r.status_code == 409 and r.json()["code"] == "invalid_transition"
    assert "allowed" in r.json()["details"]
    r = client.post(f"/api/v1/autonomy/proposals/{pid}/review",
                    {"admit": True, "reason": "ok"}, content_type="application/json",
                    **_auth(resident))
    assert r.status_code == 403
    detail = client.get(f"/api/v1/autonomy/proposals/{pid}").json()
    assert [e["action"] for e in detail["events"]] == ["submit"]
    roster = client.get(f"/api/v1/autonomy/communities/{URBAN}/representatives").json()
    assert {r["name"] for r in roster[0]["representatives"]} == {m.name for m in members}


def test_meeting_vote_over_the_api(reps: Any, make_user: Any, client: Client) -> None:
    members = reps(URBAN, 3)
    staff = make_user("community_worker", URBAN)
    held = date.today() + timedelta(days=7)
    r = client.post("/api/v1/autonomy/meetings", {"community_code": URBAN, "title": "会议",
                                                  "agenda": "议程", "held_on": str(held)},
                    content_type="application/json", **_auth(staff))
    assert r.status_code == 201, r.content
    mid = r.json()["id"]
    r = client.post(f"/api/v1/autonomy/meetings/{mid}/motions", {"title": "动议"},
                    content_type="application/json", **_auth(staff))
    motion = r.json()["id"]
    client.post(f"/api/v1/autonomy/meetings/{mid}/attendance", {"present_ids": [members[0].pk]},
                content_type="application/json", **_auth(staff))
    rep_user = make_user("representative", URBAN)
    link(rep_user, members[0].resident)
    r = client.post(f"/api/v1/autonomy/motions/{motion}/votes", {"choice": "for"},
                    content_type="application/json", **_auth(rep_user))
    assert r.status_code == 409 and r.json()["code"] == "no_quorum"
    assert "quorum" in r.json()["message"] or "法定人数" in r.json()["message"]


def test_representatives_over_the_api(people: Any, make_user: Any, client: Client) -> None:
    a, b = people(URBAN, 2)
    staff = make_user("community_worker", URBAN)
    r = client.post("/api/v1/autonomy/constituencies",
                    {"community_code": AGRI, "name": "三组", "kind": "group", "households": 31},
                    content_type="application/json", **_auth(staff))
    assert r.status_code == 403  # another street's community
    r = client.post("/api/v1/autonomy/constituencies",
                    {"community_code": URBAN, "name": "一组", "kind": "group", "households": 51},
                    content_type="application/json", **_auth(staff))
    assert r.status_code == 201 and r.json()["seats"] == 2
    cid = r.json()["id"]
    r = client.post("/api/v1/autonomy/representatives",
                    {"constituency_id": cid, "resident_id": a.pk, "term_start": "2026-01-01"},
                    content_type="application/json", **_auth(staff))
    assert r.status_code == 201 and r.json()["term_end"] == "2030-12-31"
    rid = r.json()["id"]
    r = client.post(f"/api/v1/autonomy/representatives/{rid}/by-election",
                    {"resident_id": b.pk, "reason": "病故"}, content_type="application/json",
                    **_auth(staff))
    assert r.status_code == 201 and r.json()["replaces_id"] == rid
    r = client.post(f"/api/v1/autonomy/representatives/{rid}/end", {"reason": "x"},
                    content_type="application/json", **_auth(staff))
    assert r.status_code == 409 and r.json()["code"] == "closed"
