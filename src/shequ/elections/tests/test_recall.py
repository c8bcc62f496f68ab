"""Recall votes (ADR 0612): the counting engine's rule, hand-worked from 村民委员会组织法
第十六条第二款 (须有登记参加选举的村民过半数投票，并须经投票的村民过半数通过), and the
committee's pages serving a recall vote."""

from __future__ import annotations

import re
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


# ---------------------------------------------------------------- the announcement (ADR 0612)


def _pdf_text(pdf: bytes) -> str:
    from io import BytesIO

    from pypdf import PdfReader

    assert pdf.startswith(b"%PDF")
    return "".join(p.extract_text() for p in PdfReader(BytesIO(pdf)).pages).replace("\n", "")


def _counted_recall(make_user: Any, returned: int, approve: int, against: int,
                    issued: int | None = None) -> tuple[Election, Any]:
    """A recall vote of 李委员 in a community of 12 voters, one station, polled 10 days
    ago, tallied twice and counted."""
    for i in range(12):
        make_resident(COMMUNITY, name=f"居民{i}")
    clerks = (make_user("community_worker", COMMUNITY, username="clerk1"),
              make_user("community_worker", COMMUNITY, username="clerk2"))
    start = timezone.localdate() - timedelta(days=40)
    voting = start + timedelta(days=30)
    eid = facade.create_recall_ballot(actor=clerks[0], community_code=COMMUNITY,
                                      voting_day=voting, subject="李委员",
                                      stations=[{"name": "一站"}], on=start)
    services.transition(actor=clerks[0], election_id=eid, action="publish_roll", on=start)
    for action in ("open_polling", "close_polling"):
        services.transition(actor=clerks[0], election_id=eid, action=action, on=voting)
    e = Election.objects.get(pk=eid)
    sheet = {"issued": issued or returned, "returned": returned,
             "posts": {"recall": {"invalid": returned - approve - against, "votes": {
                 "李委员": {"for": approve, "against": against}}}}}
    for clerk in clerks:
        services.enter_tally(actor=clerk, election_id=eid, station_id=e.stations.get().pk,
                             data=sheet)
    services.count(actor=clerks[0], election_id=eid)
    services.announce(actor=clerks[0], election_id=eid)
    return e, clerks[0]


@pytest.mark.parametrize(("returned", "approve", "against", "lines"), [
    (11, 7, 4, ["登记参加选举的选民12 人", "投票人数（收回选票）11 张，占登记选民的 91.7%",
                "赞成罢免7 票，占投票人数的 63.6%", "反对罢免4 票",
                "适用规则：须有登记参加选举的选民过半数投票，表决方为有效；登记选民 12 人，投票 11 人，"
                "表决有效。",
                "适用规则：罢免须经投票的选民过半数通过，即投票的 11 张选票中须有 6 张及以上赞成；"
                "赞成罢免 7 票。",
                "表决结果：罢免李委员。"]),
    (8, 4, 4, ["即投票的 8 张选票中须有 5 张及以上赞成；赞成罢免 4 票。",
               "表决结果：未罢免李委员（赞成罢免的未超过投票人数的一半）。"]),
    (6, 6, 0, ["登记选民 12 人，投票 6 人，表决无效。",
               "表决结果：表决无效（投票人数未超过登记选民的一半），李委员未被罢免。"]),
], ids=["recalled", "not-recalled", "invalid"])
def test_the_recall_announcement_is_its_own(tree: Any, make_user: Any, client: Client,
                                            returned: int, approve: int, against: int,
                                            lines: list[str]) -> None:
    """罢免表决结果公告: the question, registered voters, ballots cast, approvals, the rule
    applied with its citation and the outcome; nothing of a candidates' election."""
    e, clerk = _counted_recall(make_user, returned, approve, against)
    client.force_login(clerk)
    text = _pdf_text(client.get(f"/elections/{e.pk}/announcement.pdf").content)
    assert text.startswith("罢免表决结果公告") or "罢免表决结果公告" in text[:40]
    assert "选民就是否罢免李委员进行了投票表决。" in text
    flat = text.replace(" ", "")  # a line break may eat a space
    for line in lines:
        assert line.replace(" ", "") in flat, (line, text)
    assert "依据：村民委员会组织法" in text and "第十六条" in text
    for word in ("选举结果公告", "选举于", "候选", "当选", "新一届", "委员会成员："):
        assert word not in text, word
    assert not re.search(r"[A-Za-z]{3,}", text), re.findall(r"[A-Za-z]{3,}", text)
    assert "结果第1版。" in flat


def test_the_recall_announcement_after_a_recount(tree: Any, make_user: Any,
                                                 client: Client) -> None:
    """Re-counted (7 → 5 approvals of 11) and announced again: the announcement gives the
    corrected figures and outcome, and says it was corrected by a re-count and why."""
    e, _clerk = _counted_recall(make_user, 11, 7, 4)
    district = make_user("district_admin", "510104", username="district")
    services.recount(actor=district, election_id=e.pk, station_id=e.stations.get().pk,
                     data={"issued": 11, "returned": 11, "posts": {"recall": {
                         "invalid": 0, "votes": {"李委员": {"for": 5, "against": 6}}}}},
                     reason="复核原始选票")
    services.announce(actor=district, election_id=e.pk)
    client.force_login(district)
    text = _pdf_text(client.get(f"/elections/{e.pk}/announcement.pdf").content)
    assert "表决结果：未罢免李委员（赞成罢免的未超过投票人数的一半）。" in text
    flat = text.replace(" ", "")
    assert "赞成罢免5票" in flat and "结果第2版，经重新计票更正：复核原始选票。" in flat


# ---------------------------------------------------------------- not an election (ADR 0612)


def _other_community() -> str:
    from shequ.areas.models import Area, Level

    return str(Area.objects.filter(level=Level.COMMUNITY, valid_to__isnull=True,
                                   code__startswith=COMMUNITY[:9]).exclude(code=COMMUNITY)
               .order_by("code").values_list("code", flat=True).first())


def _recall_in(code: str, make_user: Any, announce: bool = True) -> tuple[Election, str]:
    """A recall vote of 王委员 in ``code`` (12 voters, one of them with a known identity
    number), announced (11 voted, 7 approve) unless ``announce`` is False."""
    from shequ.people.tests.factories import make_identity_number

    number = make_identity_number(timezone.localdate().replace(year=1970), sex="F")
    make_resident(code, name="赵选民", number=number, sex="F")
    for i in range(11):
        make_resident(code, name=f"居民{i}")
    clerks = (make_user("community_worker", code, username=f"r{code}1"),
              make_user("community_worker", code, username=f"r{code}2"))
    start = timezone.localdate() - timedelta(days=40)
    voting = start + timedelta(days=30)
    eid = facade.create_recall_ballot(actor=clerks[0], community_code=code, voting_day=voting,
                                      subject="王委员", stations=[{"name": "一站"}], on=start)
    e = Election.objects.get(pk=eid)
    if announce:
        services.transition(actor=clerks[0], election_id=eid, action="publish_roll", on=start)
        for action in ("open_polling", "close_polling"):
            services.transition(actor=clerks[0], election_id=eid, action=action, on=voting)
        sheet = {"issued": 11, "returned": 11, "posts": {"recall": {"invalid": 0, "votes": {
            "王委员": {"for": 7, "against": 4}}}}}
        for clerk in clerks:
            services.enter_tally(actor=clerk, election_id=eid, station_id=e.stations.get().pk,
                                 data=sheet)
        services.count(actor=clerks[0], election_id=eid)
        services.announce(actor=clerks[0], election_id=eid)
        e.refresh_from_db()
    return e, number


def test_a_recall_vote_is_not_listed_or_counted_as_an_election(tree: Any, make_user: Any,
                                                               client: Client) -> None:
    """An announced election in 督院街社区, an announced recall vote in the street's other
    community: the public list, the public page, the API, coverage (page, selector,
    assessment indicator) and the turnout chart know only the election; the committee's
    staff list shows both, the recall labelled."""
    from shequ.elections import indicators, selectors
    from shequ.elections.tests.driver import load_case, run_services, set_up

    clerks = (make_user("community_worker", COMMUNITY, username="clerk1"),
              make_user("community_worker", COMMUNITY, username="clerk2"))
    case = load_case("first_round")
    general = run_services(case, clerks, set_up(case, clerks[0]))
    recall, _number = _recall_in(_other_community(), make_user)
    assert recall.status == "announced" and recall.outcome == "recalled"

    html = client.get("/elections/public/").content.decode()
    assert general.name in html and recall.name not in html
    assert client.get(f"/elections/public/{recall.pk}/").status_code == 404
    assert list(selectors.public_elections()) == [general]
    api = client.get("/api/v1/elections/public/").json()
    assert [item["id"] for item in api["items"]] == [general.pk]
    assert client.get(f"/api/v1/elections/public/{recall.pk}").status_code == 404

    street = COMMUNITY[:9]
    cov = selectors.coverage(street)
    assert (cov["communities"], cov["directly_elected"]) == (2, 1)
    assert selectors.directly_elected() == {COMMUNITY}
    value = indicators.direct_election_coverage(street, "street", timezone.localdate(),
                                                timezone.localdate())[street]
    assert (value.numerator, value.denominator) == (1, 2)
    assert [name for name, _share in selectors.turnouts(street)] == [general.name]
    officer = make_user("civil_affairs", "510104", username="minzheng")
    client.force_login(officer)
    page = client.get(f"/elections/coverage/{street}/").content.decode()
    assert general.name in page and recall.name not in page
    staff = client.get("/elections/").content.decode()
    assert general.name in staff
    row = staff.split(recall.name)[1].split("</tr>")[0]
    assert '<span class="tag">罢免投票</span>' in row


def test_the_staff_page_of_a_recall_vote_asks_its_question(tree: Any, make_user: Any,
                                                           client: Client) -> None:
    """The set-up page of a recall vote says what is put to the vote; it has no
    candidates' deadline, no posts and seats, no nominations tab."""
    recall, _number = _recall_in(COMMUNITY, make_user, announce=False)
    client.force_login(make_user("community_worker", COMMUNITY, username="clerk9"))
    page = client.get(f"/elections/{recall.pk}/").content.decode()
    assert "罢免投票 · 表决事项：是否罢免王委员" in page
    main = page[page.index("<main"):]
    for words in ("正式候选人", "职位和名额", "提名", "选举方式"):
        assert words not in main, words
    # the rules it applies, with their sources: turnout and approval (VCL Art. 16)
    assert main.count("<tr><td>") == 3 and "第十六条" in main


def test_the_console_counts_recall_votes_apart(tree: Any, make_user: Any) -> None:
    from shequ.elections import console

    _recall_in(_other_community(), make_user, announce=False)
    officer = make_user("civil_affairs", "510104", username="minzheng")
    assert [(str(i.label), i.value) for i in console.items(officer)] == [
        ("进行中的选举", 0), ("进行中的罢免投票", 1)]


def test_a_voter_on_a_recall_roll_is_told_it_is_a_recall_vote(tree: Any, make_user: Any,
                                                             client: Client) -> None:
    e, number = _recall_in(_other_community(), make_user, announce=False)
    html = client.post("/elections/check/", {"identity_number": number}).content.decode()
    assert e.name in html
    assert "这是罢免投票：选票上的问题是是否罢免王委员。" in html
    assert "候选人" not in html and f"/elections/public/{e.pk}/" not in html


def test_a_recount_reaches_the_module_that_asked_when_announced_again(
        tree: Any, make_user: Any) -> None:
    """The re-count itself announces nothing; announcing its result again sends
    ``recall_announced`` with the new outcome inside the announcement's transaction, so
    a receiver that fails undoes the re-announcement (ADR 0612, 0513 §1a)."""
    from shequ.elections.signals import recall_announced

    e, _clerk = _counted_recall(make_user, 11, 7, 4)
    district = make_user("district_admin", "510104", username="district")
    heard: list[str] = []

    def listen(sender: Any, *, outcome: str, **kwargs: Any) -> None:
        heard.append(outcome)

    def refuse(sender: Any, **kwargs: Any) -> None:
        raise RuntimeError("receiver failed")

    recall_announced.connect(listen, weak=False)
    try:
        services.recount(actor=district, election_id=e.pk, station_id=e.stations.get().pk,
                         data={"issued": 11, "returned": 11, "posts": {"recall": {
                             "invalid": 0, "votes": {"李委员": {"for": 5, "against": 6}}}}},
                         reason="复核原始选票")
        assert heard == []
        recall_announced.connect(refuse, weak=False)
        with pytest.raises(RuntimeError):
            services.announce(actor=district, election_id=e.pk)
        e.refresh_from_db()
        assert e.status == "counted" and heard == ["not_recalled"]  # rolled back
        recall_announced.disconnect(refuse)
        services.announce(actor=district, election_id=e.pk)
        e.refresh_from_db()
        assert (e.status, e.outcome) == ("announced", "not_recalled")
        assert heard == ["not_recalled", "not_recalled"]
    finally:
        recall_announced.disconnect(listen)
        recall_announced.disconnect(refuse)
