"""Recall votes (ADR 0612): the counting engine's rule, hand-worked from 村民委员会组织法
第十六条第二款 (须有登记参加选举的村民过半数投票，并须经投票的村民过半数通过), and the
committee's pages serving a recall vote."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from shequ.authz import SYSTEM
from shequ.elections import facade, services, tally
from shequ.elections.models import Election
from shequ.elections.tests.driver import COMMUNITY
from shequ.people.tests.factories import make_resident


def _doc(registered: int, issued: int, returned: int, approve: int, against: int,
         invalid: int = 0) -> dict[str, Any]:
    return {"kind": "recall", "profile": "rcl-2018", "registered": registered,
            "posts": [{"post": "recall", "label": "是否罢免李委员", "seats": 1,
                       "candidates": ["李委员"]}],
            "rounds": [{"stations": [{"station": "一站", "issued": issued, "returned": returned,
                                      "posts": {"recall": {"invalid": invalid, "votes": {
                                          "李委员": {"for": approve, "against": against}}}}}]}]}


@pytest.mark.parametrize(("registered", "returned", "approve", "invalid", "outcome"), [
    (12, 11, 7, 0, "recalled"),        # 11 > 6 voted; 7 > 5.5
    (12, 6, 6, 0, "invalid_turnout"),  # exactly half voted
    (12, 7, 4, 0, "recalled"),         # 7 > 6 voted; 4 > 3.5
    (12, 8, 4, 0, "not_recalled"),     # exactly half of the ballots approve
    (12, 9, 4, 1, "not_recalled"),     # invalid ballots count as cast: 4 of 9 is not > 4.5
    (12, 9, 5, 1, "recalled"),
])
def test_the_recall_rule_of_article_16(registered: int, returned: int, approve: int,
                                       invalid: int, outcome: str) -> None:
    out = tally.count_election(_doc(registered, returned, returned, approve,
                                    returned - invalid - approve, invalid))
    assert out["outcome"] == outcome and out["kind"] == "recall"
    assert out["recall"]["approve"] == approve and out["recall"]["registered"] == registered
    rules = [f["rule"] for f in out["rounds"][0]["findings"]]
    assert "recall_turnout" in rules
    assert ("recall_approval" in rules) is (outcome != "invalid_turnout")
    assert tally.summary(out)["outcome"] == outcome


def test_more_returned_than_issued_voids_a_recall_vote() -> None:
    assert tally.count_election(_doc(12, 10, 11, 8, 3))["outcome"] == "void"


def test_a_recall_sheet_that_does_not_add_up_is_refused() -> None:
    with pytest.raises(tally.TallyError):
        tally.count_election(_doc(12, 11, 11, 9, 4))  # 13 marks on 11 ballots


def test_a_recall_vote_through_the_committees_pages(tree: Any, make_user: Any,
                                                    client: Client) -> None:
    """Set up through the facade; the committee's pages (detail, roll, tally) serve it in
    Chinese, offer no nominations, and open polling from the published roll."""
    for i in range(5):
        make_resident(COMMUNITY, name=f"居民{i}")
    clerk = make_user("community_worker", COMMUNITY, username="clerk1")
    start = timezone.localdate() - timedelta(days=40)
    eid = facade.create_recall_ballot(actor=clerk, community_code=COMMUNITY,
                                      voting_day=start + timedelta(days=30), subject="李委员",
                                      stations=[{"name": "一站"}], on=start)
    e = Election.objects.get(pk=eid)
    assert (e.kind, e.voters.count(), e.posts.get().label) == ("recall", 5, "是否罢免李委员")
    services.transition(actor=clerk, election_id=eid, action="publish_roll", on=start)
    client.force_login(clerk)
    for path in (f"/elections/{eid}/", f"/elections/{eid}/roll/", f"/elections/{eid}/tally/"):
        assert client.get(path).status_code == 200, path
    html = client.get(f"/elections/{eid}/").content.decode()
    assert "open_nominations" not in html
    ballot = facade.recall_ballot(eid)
    assert ballot is not None and ballot.question == "是否罢免李委员" and ballot.roll_count == 5
    assert ballot.figures is None and not ballot.announced
    assert facade.recall_ballot(None) is None
    with pytest.raises(Exception) as exc:  # one open roll: no second vote meanwhile
        facade.create_recall_ballot(actor=SYSTEM, community_code=COMMUNITY,
                                    voting_day=start + timedelta(days=30), subject="王委员",
                                    on=start)
    assert getattr(exc.value, "code", "") == "election_in_progress"
