from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.test import Client

from shequ.accounts.services import issue_token
from shequ.authz import SYSTEM
from shequ.autonomy import services
from shequ.autonomy.tests.conftest import AGRI, URBAN
from shequ.autonomy.tests.factories import link, meeting_day


def _auth(user: Any) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {issue_token(actor=SYSTEM, user=user, name='t')}"}


def test_rules_are_public_with_citations_and_words(world: Any, client: Client) -> None:
    body = client.get(f"/api/v1/autonomy/communities/{AGRI}/rules").json()
    assert body["profile"] == "agricultural"
    quorum = next(r for r in body["rules"] if r["key"] == "quorum")
    assert (quorum["value"], quorum["display"]) == (">=2/3", "不少于三分之二")
    assert quorum["citation"] == "《村民委员会组织法》（2018年修正）第二十六条"
    assert (quorum["verified"], quorum["local"]) == (True, False)
    cosigners = next(r for r in body["rules"] if r["key"] == "proposal_cosigners")
    assert (cosigners["verified"], cosigners["local"]) == (False, True)
    assert cosigners["source"].endswith("（引用未核实）")


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
    assert (r.json()["state"], r.json()["state_label"]) == ("collecting", "征集联署中")
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
    assert r.json()["message"] == "提案处于“征集联署中”时不能“受理”。"
    assert r.json()["details"]["allowed"] == ["edit", "cosign", "cosigned", "comment", "withdraw"]
    r = client.post(f"/api/v1/autonomy/proposals/{pid}/review",
                    {"admit": True, "reason": "ok"}, content_type="application/json",
                    **_auth(resident))
    assert r.status_code == 403
    assert client.get(f"/api/v1/autonomy/proposals/{pid}").json()["allowed"] == []
    client.force_login(resident)
    detail = client.get(f"/api/v1/autonomy/proposals/{pid}").json()
    assert [e["action"] for e in detail["events"]] == ["submit"]
    assert detail["allowed"] == ["comment", "withdraw"]  # the proposer, after a co-signature
    client.logout()
    roster = client.get(f"/api/v1/autonomy/communities/{URBAN}/representatives").json()
    assert roster["next"] is None
    assert {r["name"] for r in roster["items"][0]["representatives"]} == {m.name for m in members}


def test_lists_are_cursor_pages_with_filters(people: Any, client: Client) -> None:
    residents = people(URBAN, 5)
    for r in residents:
        services.submit_proposal(actor=SYSTEM, community_code=URBAN, title=f"提案{r.pk}",
                                 body="b", resident_id=r.pk)
    url = f"/api/v1/autonomy/communities/{URBAN}/proposals"
    first = client.get(url, {"limit": 2}).json()
    assert len(first["items"]) == 2 and first["next"]
    seen = [p["id"] for p in first["items"]]
    cursor = first["next"]
    while cursor:
        page = client.get(url, {"limit": 2, "cursor": cursor}).json()
        seen += [p["id"] for p in page["items"]]
        cursor = page["next"]
    assert len(seen) == len(set(seen)) == 5
    assert client.get(url, {"state": "submitted"}).json()["items"] == []
    assert len(client.get(url, {"state": "collecting"}).json()["items"]) == 5
    r = client.get(url, {"cursor": "not-a-cursor"})
    assert r.status_code == 400 and r.json()["code"] == "bad_cursor"
    r = client.get(url, {"state": "nonsense"})
    assert r.status_code == 422


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
    r = client.post(f"/api/v1/autonomy/meetings/{mid}/attendance",
                    {"present_ids": [members[0].pk]},
                    content_type="application/json", **_auth(staff))
    assert r.status_code == 400 and r.json()["code"] == "too_early"  # before the day
    meeting_day(mid)
    r = client.post(f"/api/v1/autonomy/meetings/{mid}/attendance",
                    {"present_ids": [members[0].pk]},
                    content_type="application/json", **_auth(staff))
    assert r.status_code == 200 and r.json()["quorate"] is False
    rep_user = make_user("representative", URBAN)
    link(rep_user, members[0].resident)
    r = client.post(f"/api/v1/autonomy/motions/{motion}/votes", {"choice": "for"},
                    content_type="application/json", **_auth(rep_user))
    assert r.status_code == 409 and r.json()["code"] == "no_quorum"
    assert r.json()["message"] == "本次会议未达到法定人数，不能作出任何决定。"
    listed = client.get(f"/api/v1/autonomy/meetings/{mid}/motions").json()
    assert [m["id"] for m in listed["items"]] == [motion]


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
    assert r.status_code == 409 and r.json()["code"] == "invalid_transition"
    assert r.json()["details"]["allowed"] == ["replace", "reinstate"]


def test_evaluation_results_are_a_filtered_page(people: Any, client: Client) -> None:
    raters = people(URBAN, 2)
    c = services.open_evaluation(actor=SYSTEM, community_code=URBAN, year=2026, title="评议",
                                 criteria=["服务态度"], opens_on=date.today(),
                                 closes_on=date.today(), departments=["街道社区发展科"])
    for r in raters:
        services.submit_rating(actor=SYSTEM, campaign_id=c.pk, resident_id=r.pk, answers={
            t.pk: {"verdict": "fit", "scores": {"服务态度": 5}} for t in c.targets.all()})
    services.close_evaluation(actor=SYSTEM, campaign_id=c.pk)
    body = client.get("/api/v1/autonomy/results", {"within": "510104", "year": 2026}).json()
    dept = next(r for r in body["items"] if r["name"] == "街道社区发展科")
    assert (dept["ratings"], dept["fit"], dept["scores"], dept["community_code"]) == (
        2, 2, {"服务态度": 5.0}, URBAN)
    assert client.get("/api/v1/autonomy/results", {"within": "510104", "year": 2025}
                      ).json()["items"] == []
    assert client.get("/api/v1/autonomy/results", {"year": 2026}).status_code == 422


def test_every_schema_of_the_module_is_named_for_it() -> None:
    from shequ.api.api import api

    schema = api.get_openapi_schema(path_prefix="/api/v1")
    refs: set[str] = set()

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "$ref":
                    refs.add(value.rsplit("/", 1)[-1])
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk({p: o for p, o in schema["paths"].items() if p.startswith("/api/v1/autonomy/")})
    others = {r for r in refs if not r.startswith("Autonomy")}
    assert refs and others <= {"ErrorOut", "PagedAutonomyDisclosureOut", "PagedAutonomyMeetingOut",
                               "PagedAutonomyMotionOut", "PagedAutonomyProposalOut",
                               "PagedAutonomyResultOut", "PagedAutonomyRosterOut"}, sorted(others)
    for name in refs - others:
        assert name in schema["components"]["schemas"]


def test_the_clerks_count_over_the_api(reps: Any, make_user: Any, client: Client) -> None:
    """Issue 12: 6 of 9 present, one voted online; the count entered decides."""
    members = reps(URBAN, 9)
    staff = make_user("community_worker", URBAN)
    held = date.today() + timedelta(days=7)
    r = client.post("/api/v1/autonomy/meetings", {"community_code": URBAN, "title": "会议",
                                                  "agenda": "议程", "held_on": str(held)},
                    content_type="application/json", **_auth(staff))
    mid = r.json()["id"]
    motion = client.post(f"/api/v1/autonomy/meetings/{mid}/motions", {"title": "动议"},
                         content_type="application/json", **_auth(staff)).json()["id"]
    meeting_day(mid)
    r = client.post(f"/api/v1/autonomy/meetings/{mid}/attendance",
                    {"present_ids": [m.pk for m in members[:6]]},
                    content_type="application/json", **_auth(staff))
    assert r.json()["quorate"] is True and r.json()["members"] == 9
    client.post(f"/api/v1/autonomy/motions/{motion}/votes",
                {"choice": "for", "representative_id": members[0].pk},
                content_type="application/json", **_auth(staff))
    r = client.post(f"/api/v1/autonomy/motions/{motion}/count",
                    {"votes_for": 5, "votes_against": 1, "abstentions": 1},
                    content_type="application/json", **_auth(staff))
    assert r.status_code == 400 and r.json()["code"] == "count_exceeds"
    r = client.post(f"/api/v1/autonomy/motions/{motion}/count",
                    {"votes_for": 4, "votes_against": 1, "abstentions": 1},
                    content_type="application/json", **_auth(staff))
    assert r.status_code == 200 and r.json()["counted"] is True
    r = client.post(f"/api/v1/autonomy/motions/{motion}/close", **_auth(staff))
    assert (r.json()["status"], r.json()["votes_for"]) == ("adopted", 4)
