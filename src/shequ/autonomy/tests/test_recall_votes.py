"""Recall votes run by the elections module (ADR 0612, 0513): the petition's vote is set up
through ``elections.facade``, its roll built from the register, each station's sheet typed
twice, counted under 村民委员会组织法 第十六条第二款 (须有登记参加选举的村民过半数投票，并须经
投票的村民过半数通过) and announced; the result comes back from the tally.

Hand-worked examples, a community of 12 registered voters (one station):

* passed: 11 of 12 voted (91.7 % > 1/2), 7 of the 11 ballots approve (> 5.5) → recalled;
* turnout: 6 of 12 voted — exactly half is not "more than half" → invalid, nobody recalled;
* approval: 8 of 12 voted, 4 approve — exactly half of the ballots cast → not recalled.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.utils import timezone

from shequ.audit.models import AuditEntry
from shequ.authz import SYSTEM
from shequ.autonomy import services
from shequ.autonomy.models import Constituency, RecallPetition, Representative
from shequ.autonomy.tests.conftest import AGRI, URBAN
from shequ.core.errors import BusinessError, Conflict
from shequ.elections import facade as elections_facade
from shequ.elections import services as election_services
from shequ.elections.models import Election
from shequ.people.enums import EndReason
from shequ.people.models import Body, Membership

COMPOUND = "510104022009001"  # 锦绣苑, in 督院街社区


@pytest.fixture
def officers(tree: Any, make_user: Any) -> tuple[Any, Any]:
    """The election committee's two clerks (street officers: they may supervise the
    recall and run the vote)."""
    return (make_user("street_officer", "510104022", username="clerk1"),
            make_user("street_officer", "510104022", username="clerk2"))


def _days() -> dict[str, date]:
    start = timezone.localdate() - timedelta(days=40)
    return {"petition": start, "setup": start + timedelta(days=1),
            "voting": start + timedelta(days=30)}


def _member(code: str, kind: str = "residents_committee", name: str = "李委员",
            start: date = date(2024, 1, 1)) -> Membership:
    body = Body.objects.create(kind=kind, name=f"{kind}", area_code=code)
    return Membership.objects.create(body=body, person_name=name, start_date=start)


def _petition(code: str, voters: list[Any], member: Membership | None = None,
              representative: Representative | None = None) -> RecallPetition:
    """A petition at its threshold, started 40 days ago (so its vote can be held since)."""
    p = services.start_recall(actor=SYSTEM, community_code=code,
                              membership_id=member.pk if member else None,
                              representative_id=representative.pk if representative else None,
                              reasons="长期不履行职责", resident_id=voters[0].pk)
    for r in voters[1:p.signatures_needed]:
        services.sign_recall(actor=SYSTEM, petition_id=p.pk, resident_id=r.pk)
    RecallPetition.objects.filter(pk=p.pk).update(
        created_at=timezone.now() - timedelta(days=40))
    p.refresh_from_db()
    assert p.state == RecallPetition.State.SUBMITTED
    return p


def _schedule(p: RecallPetition, actor: Any) -> Election:
    days = _days()
    p = services.schedule_recall_vote(actor=actor, petition_id=p.pk, voting_day=days["voting"],
                                      stations=[{"name": "第一投票站"}], on=days["setup"])
    assert p.state == RecallPetition.State.SCHEDULED and p.vote_id is not None
    return Election.objects.get(pk=p.vote_id)


def _to_counting(e: Election, actor: Any) -> None:
    days = _days()
    election_services.transition(actor=actor, election_id=e.pk, action="publish_roll",
                                 on=days["setup"])
    for action in ("open_polling", "close_polling"):
        election_services.transition(actor=actor, election_id=e.pk, action=action,
                                     on=days["voting"])


def _sheet(e: Election, returned: int, approve: int, against: int, invalid: int = 0,
           abstain: int = 0) -> dict[str, Any]:
    return {"issued": returned, "returned": returned,
            "posts": {"recall": {"invalid": invalid, "votes": {e.recall_subject: {
                "for": approve, "against": against, "abstain": abstain}}}}}


def _vote(e: Election, clerks: tuple[Any, Any], sheet: dict[str, Any]) -> Election:
    station = e.stations.get()
    for clerk in clerks:
        election_services.enter_tally(actor=clerk, election_id=e.pk, station_id=station.pk,
                                      data=sheet)
    election_services.count(actor=clerks[0], election_id=e.pk)
    election_services.announce(actor=clerks[0], election_id=e.pk)
    e.refresh_from_db()
    return e


@pytest.mark.parametrize(("returned", "approve", "against", "outcome", "ended"), [
    (11, 7, 4, "recalled", True),       # 11/12 = 91.7 % voted; 7 > 11/2
    (6, 6, 0, "invalid", False),        # exactly half voted: not more than half
    (8, 4, 4, "not_recalled", False),   # exactly half of the ballots cast approve
], ids=["passed", "turnout-exactly-half", "approval-exactly-half"])
def test_recall_vote_through_the_elections_roll_stations_and_tally(
        people: Any, officers: Any, returned: int, approve: int, against: int, outcome: str,
        ended: bool) -> None:
    voters = people(URBAN, 12)
    member = _member(URBAN)
    p = _petition(URBAN, voters, member)
    e = _schedule(p, officers[0])
    assert e.kind == "recall" and e.recall_subject == "李委员"
    assert e.posts.get().label == "是否罢免李委员"
    assert e.voters.count() == 12  # the roll from the register, not a typed figure
    _to_counting(e, officers[0])
    e = _vote(e, officers, _sheet(e, returned, approve, against))
    p.refresh_from_db()
    assert (p.state, p.outcome) == ("decided", outcome)
    assert (p.registered, p.cast, p.approve) == (12, returned, approve)
    member.refresh_from_db()
    assert (member.end_date is not None) is ended
    if ended:
        assert member.end_reason == EndReason.RECALLED
        assert member.end_date == p.decided_on == timezone.localdate()
    ballot = elections_facade.recall_ballot(e.pk)
    assert ballot is not None and ballot.announced and ballot.outcome == outcome.replace(
        "invalid", "invalid_turnout")
    assert ballot.figures is not None and ballot.figures["registered"] == 12


def test_the_result_cannot_be_typed_in_for_a_new_recall(people: Any, officers: Any) -> None:
    voters = people(URBAN, 12)
    p = _petition(URBAN, voters, _member(URBAN))
    with pytest.raises(Conflict) as exc:
        services.record_recall_result(actor=SYSTEM, petition_id=p.pk, cast=11, approve=7)
    assert exc.value.code == "result_from_vote"
    # a petition that was waiting for its result before the change (migration 0011) still can
    RecallPetition.objects.filter(pk=p.pk).update(legacy_figures=True)
    p = services.record_recall_result(actor=SYSTEM, petition_id=p.pk, cast=11, approve=7)
    assert p.outcome == "recalled"


def test_a_disputed_tally_is_resolved_before_the_count(people: Any, officers: Any) -> None:
    """Clerk 1 types 7 approvals, clerk 2 types 5 (a misread sheet); the officer checks
    the paper: 7. Counted: 7 of 11 → recalled."""
    voters = people(URBAN, 12)
    p = _petition(URBAN, voters, _member(URBAN))
    e = _schedule(p, officers[0])
    _to_counting(e, officers[0])
    station = e.stations.get()
    first = election_services.enter_tally(actor=officers[0], election_id=e.pk,
                                          station_id=station.pk, data=_sheet(e, 11, 7, 4))
    second = election_services.enter_tally(actor=officers[1], election_id=e.pk,
                                           station_id=station.pk, data=_sheet(e, 11, 5, 4))
    assert (first["status"], second["status"]) == ("first_entry", "differs")
    assert [d["field"] for d in second["differences"]] == ["posts.recall.votes.李委员.for"]
    with pytest.raises(BusinessError) as exc:  # not counted while the tally differs
        election_services.count(actor=officers[0], election_id=e.pk)
    assert exc.value.code == "tallies_missing"
    election_services.resolve_tally(actor=officers[0], election_id=e.pk, station_id=station.pk,
                                    fields={"posts.recall.votes.李委员.for": 7},
                                    reason="核对原始计票单：赞成 7 票")
    election_services.count(actor=officers[0], election_id=e.pk)
    election_services.announce(actor=officers[0], election_id=e.pk)
    p.refresh_from_db()
    assert (p.outcome, p.approve) == ("recalled", 7)


def test_a_write_in_on_a_recall_ballot_is_refused(people: Any, officers: Any) -> None:
    voters = people(URBAN, 12)
    e = _schedule(_petition(URBAN, voters, _member(URBAN)), officers[0])
    _to_counting(e, officers[0])
    sheet = _sheet(e, 11, 7, 4)
    sheet["posts"]["recall"]["write_ins"] = {"张三": 1}
    with pytest.raises(BusinessError) as exc:
        election_services.enter_tally(actor=officers[0], election_id=e.pk,
                                      station_id=e.stations.get().pk, data=sheet)
    assert exc.value.code == "tally_malformed"


def test_a_second_recall_after_a_failed_one_is_accepted(people: Any, officers: Any) -> None:
    """The national law sets no waiting period after a failed recall (VCL Art. 16; Zhejiang's
    measures Art. 36 set one year for the same facts and reasons: a provincial value)."""
    voters = people(URBAN, 12)
    member = _member(URBAN)
    p = _petition(URBAN, voters, member)
    e = _schedule(p, officers[0])
    _to_counting(e, officers[0])
    _vote(e, officers, _sheet(e, 8, 4, 4))
    p.refresh_from_db()
    assert p.outcome == "not_recalled"
    again = services.start_recall(actor=SYSTEM, community_code=URBAN, membership_id=member.pk,
                                  reasons="新的事实", resident_id=voters[5].pk)
    assert again.state == RecallPetition.State.COLLECTING and again.membership_id == member.pk


def test_a_party_committee_member_cannot_be_recalled(people: Any) -> None:
    voters = people(URBAN, 12)
    secretary = _member(URBAN, kind="party", name="赵书记")
    with pytest.raises(BusinessError) as exc:
        services.start_recall(actor=SYSTEM, community_code=URBAN, membership_id=secretary.pk,
                              reasons="理由", resident_id=voters[0].pk)
    assert exc.value.code == "not_recallable"
    assert not RecallPetition.objects.exists()


@pytest.mark.parametrize("code", [URBAN, AGRI])
def test_a_supervision_committee_member_can_be_recalled(people: Any, code: str) -> None:
    """居务监督委员会 (urban: local practice, unverified) and 村务监督委员会 (VCL Art. 32 by
    analogy): members are chosen by and answer to the residents' (villagers') meeting."""
    voters = people(code, 10)
    watcher = _member(code, kind="supervision_committee", name="孙监督")
    former = _member(code, kind="supervision_committee", name="周前任")
    Membership.objects.filter(pk=former.pk).update(end_date=date(2025, 1, 1))
    names = [m.person_name for m in services.recallable_members(code)]
    assert "孙监督" in names and "周前任" not in names
    p = services.start_recall(actor=SYSTEM, community_code=code, membership_id=watcher.pk,
                              reasons="理由", resident_id=voters[0].pk)
    assert p.member_name == "孙监督"
    with pytest.raises(BusinessError) as exc:
        services.start_recall(actor=SYSTEM, community_code=code, membership_id=former.pk,
                              reasons="理由", resident_id=voters[0].pk)
    assert exc.value.code == "not_serving"


def test_a_member_who_left_before_voting_day(people: Any, officers: Any) -> None:
    """She resigned after the vote was set up, before voting day: the recall ended, the
    announced vote changes nothing (her membership keeps its own end)."""
    voters = people(URBAN, 12)
    member = _member(URBAN)
    p = _petition(URBAN, voters, member)
    e = _schedule(p, officers[0])
    left = _days()["voting"] - timedelta(days=3)
    Membership.objects.filter(pk=member.pk).update(end_date=left, end_reason="resigned")
    _to_counting(e, officers[0])
    _vote(e, officers, _sheet(e, 11, 7, 4))
    p.refresh_from_db()
    member.refresh_from_db()
    assert p.outcome == "lapsed" and (p.registered, p.approve) == (12, 7)
    assert (member.end_date, member.end_reason) == (left, "resigned")
    # and a member who has already left cannot be put to a vote
    p2 = _petition(URBAN, voters, _member(URBAN, name="王委员"))
    Membership.objects.filter(pk=p2.membership_id).update(end_date=_days()["petition"])
    with pytest.raises(BusinessError) as exc:
        services.schedule_recall_vote(actor=officers[0], petition_id=p2.pk,
                                      voting_day=_days()["voting"], on=_days()["setup"])
    assert exc.value.code == "not_serving"


def test_no_step_of_the_vote_before_its_day(people: Any, officers: Any) -> None:
    """Late results only: polling opens on voting day and a tally only after it closes,
    so a result can never be recorded before the vote; set-up needs the roll's 20 days."""
    voters = people(URBAN, 12)
    p = _petition(URBAN, voters, _member(URBAN))
    with pytest.raises(BusinessError) as exc:  # roll published at least 20 days before
        services.schedule_recall_vote(actor=officers[0], petition_id=p.pk,
                                      voting_day=timezone.localdate() + timedelta(days=5))
    assert exc.value.code == "roll_days_before"
    e = _schedule(p, officers[0])
    election_services.transition(actor=officers[0], election_id=e.pk, action="publish_roll",
                                 on=_days()["setup"])
    with pytest.raises(BusinessError) as exc:
        election_services.transition(actor=officers[0], election_id=e.pk,
                                     action="open_polling",
                                     on=_days()["voting"] - timedelta(days=1))
    assert exc.value.code == "polling_on_voting_day"
    with pytest.raises(BusinessError) as exc:  # no nominations on a recall ballot
        election_services.transition(actor=officers[0], election_id=e.pk,
                                     action="open_nominations", on=_days()["setup"])
    assert exc.value.code == "recall_ballot"
    with pytest.raises(BusinessError) as exc:
        election_services.enter_tally(actor=officers[0], election_id=e.pk,
                                      station_id=e.stations.get().pk, data=_sheet(e, 11, 7, 4))
    assert exc.value.code == "invalid_transition"
    p.refresh_from_db()
    assert p.outcome == "" and p.state == "scheduled"
    with pytest.raises(BusinessError) as exc:
        services.schedule_recall_vote(actor=officers[0], petition_id=p.pk,
                                      voting_day=_days()["voting"], on=_days()["setup"])
    assert exc.value.code == "vote_set_up"


def test_a_recount_corrects_the_recall(people: Any, officers: Any, make_user: Any) -> None:
    """Announced 5 of 11 (not recalled); the district re-counts the station: 7 of 11.
    Announced again, the petition follows the new count and the member's term ends."""
    voters = people(URBAN, 12)
    member = _member(URBAN)
    p = _petition(URBAN, voters, member)
    e = _schedule(p, officers[0])
    _to_counting(e, officers[0])
    _vote(e, officers, _sheet(e, 11, 5, 6))
    p.refresh_from_db()
    assert p.outcome == "not_recalled"
    district = make_user("district_admin", "510104", username="district")
    election_services.recount(actor=district, election_id=e.pk, station_id=e.stations.get().pk,
                              data=_sheet(e, 11, 7, 4), reason="复核原始选票")
    election_services.announce(actor=district, election_id=e.pk)
    p.refresh_from_db()
    member.refresh_from_db()
    assert (p.outcome, p.approve) == ("recalled", 7)
    assert member.end_reason == EndReason.RECALLED
    assert AuditEntry.objects.filter(action="autonomy.recall.corrected").count() == 1
    # a second re-count that changes only the figures changes nothing else
    election_services.recount(actor=district, election_id=e.pk, station_id=e.stations.get().pk,
                              data=_sheet(e, 11, 8, 3), reason="再次复核")
    election_services.announce(actor=district, election_id=e.pk)
    p.refresh_from_db()
    assert (p.outcome, p.approve, p.correction) == ("recalled", 8, "ended")


def _representative(voters: list[Any], area_code: str) -> Representative:
    c = Constituency.objects.create(community_code=URBAN, area_code=area_code, kind="compound",
                                    name="锦绣苑", households=40, seats=1)
    return Representative.objects.create(constituency=c, resident=voters[0],
                                         name=voters[0].name, community_code=URBAN,
                                         area_code=area_code, term_start=date(2024, 1, 1),
                                         term_end=date(2028, 12, 31))


def _allow_representative_recall() -> None:
    services.set_rule_override(actor=SYSTEM, profile="urban", key="recall_representatives",
                               area_code="510104", value="是", citation="锦江区居民代表工作规则")


def test_a_representative_is_recalled_by_their_constituency(people: Any, officers: Any) -> None:
    """10 voters live in 锦绣苑 (the constituency), 12 elsewhere in the community: the
    petition needs 1/5 of 10 (2 signatures) and the roll has 10 voters, not 22."""
    _allow_representative_recall()
    inside = people(URBAN, 10, area_code=COMPOUND)
    people(URBAN, 12)
    rep = _representative(inside, COMPOUND)
    p = _petition(URBAN, inside[1:], representative=rep)
    assert (p.voters, p.signatures_needed) == (10, 2)
    e = _schedule(p, officers[0])
    assert e.roll_area_code == COMPOUND and e.voters.count() == 10
    _to_counting(e, officers[0])
    _vote(e, officers, _sheet(e, 9, 6, 3))
    p.refresh_from_db()
    rep.refresh_from_db()
    assert p.outcome == "recalled" and rep.status == Representative.Status.ENDED


def test_a_representative_whose_constituency_the_register_cannot_place(
        people: Any) -> None:
    _allow_representative_recall()
    voters = people(URBAN, 10)
    rep = _representative(voters, URBAN)  # a residents' group recorded as the community
    with pytest.raises(BusinessError) as exc:
        services.start_recall(actor=SYSTEM, community_code=URBAN, membership_id=None,
                              representative_id=rep.pk, reasons="理由",
                              resident_id=voters[1].pk)
    assert exc.value.code == "no_constituency_area"
    assert "不能以全社区" in str(exc.value.message)
    assert not RecallPetition.objects.exists()


def test_the_recall_page_sets_up_the_vote_and_shows_it_in_chinese(people: Any, officers: Any,
                                                                   client: Any) -> None:
    """The election committee sets the vote up on the recall page; once announced the
    page shows the question, the roll, the stations' tallies and the result in Chinese,
    percentages as 91.7%."""
    voters = people(URBAN, 12)
    member = _member(URBAN)
    p = _petition(URBAN, voters, member)
    client.force_login(officers[0])
    url = f"/autonomy/recalls/{p.pk}/"
    html = client.get(url).content.decode()
    assert "设立罢免投票（选举委员会）" in html and 'name="registered"' not in html
    days = _days()
    r = client.post(f"{url}act/", {"action": "schedule", "voting_day": days["voting"].isoformat(),
                                   "station": "第一投票站", "place": "社区活动室",
                                   "on": days["setup"].isoformat()}, follow=True)
    html = r.content.decode()
    assert "罢免投票已设立，选民名单已按居民登记生成。" in html
    p.refresh_from_db()
    e = Election.objects.get(pk=p.vote_id)
    assert "是否罢免李委员" in html and "督院街社区居委会的 12 名选民列入选民名单" in html
    assert "等待录入" in html and "在选举页面组织投票" in html
    _to_counting(e, officers[0])
    _vote(e, officers, _sheet(e, 11, 7, 4))
    pdf = client.get(f"/elections/{e.pk}/announcement.pdf")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    client.logout()  # the result is public
    html = client.get(url).content.decode()
    assert "11 (91.7%)" in html and "7 (63.6%)" in html
    assert "罢免通过：赞成票超过投票人数的一半" in html
    assert "已确认（两次录入一致或差异已核对解决）" in html
    assert "投票的 11 张选票中 7 张赞成罢免；需要：过半数，即 6 张及以上。" in html
    assert "recalled" not in html and "recall_turnout" not in html


def test_the_vote_over_the_api(people: Any, officers: Any, client: Any) -> None:
    from shequ.accounts.services import issue_token

    voters = people(URBAN, 12)
    p = _petition(URBAN, voters, _member(URBAN))
    auth = {"HTTP_AUTHORIZATION": "Bearer " + issue_token(actor=SYSTEM, user=officers[0],
                                                          name="t")}
    days = _days()
    r = client.post(f"/api/v1/autonomy/recalls/{p.pk}/vote", {
        "voting_day": days["voting"].isoformat(), "on": days["setup"].isoformat(),
        "stations": [{"name": "第一投票站"}]}, content_type="application/json", **auth)
    assert r.status_code == 200, r.content
    body = r.json()
    assert body["state"] == "scheduled" and body["vote_id"]
    r = client.post(f"/api/v1/autonomy/recalls/{p.pk}/result",
                    {"cast": 11, "approve": 7}, content_type="application/json", **auth)
    assert r.status_code == 409 and r.json()["code"] == "result_from_vote"


def test_the_vote_from_the_command_line(people: Any) -> None:
    from io import StringIO

    from django.core.management import call_command
    from django.core.management.base import CommandError

    voters = people(URBAN, 12)
    p = _petition(URBAN, voters, _member(URBAN))
    out = StringIO()
    days = _days()
    call_command("autonomy", "recall-vote", str(p.pk), "--voting-day",
                 days["voting"].isoformat(), "--station", "第一投票站", "--on",
                 days["setup"].isoformat(), stdout=out)
    p.refresh_from_db()
    assert out.getvalue().strip() == f"李委员: vote {p.vote_id}"
    with pytest.raises(CommandError, match="不能直接填写数字"):
        call_command("autonomy", "recall-result", str(p.pk), "--cast", "11", "--approve", "7")


def test_a_cancelled_vote_may_be_set_up_again(people: Any, officers: Any) -> None:
    voters = people(URBAN, 12)
    p = _petition(URBAN, voters, _member(URBAN))
    e = _schedule(p, officers[0])
    election_services.transition(actor=officers[0], election_id=e.pk, action="cancel",
                                 on=_days()["setup"])
    p = services.schedule_recall_vote(actor=officers[0], petition_id=p.pk,
                                      voting_day=_days()["voting"], on=_days()["setup"],
                                      stations=[{"name": "第二投票站"}])
    assert p.vote_id != e.pk and p.state == RecallPetition.State.SCHEDULED
    assert Election.objects.get(pk=p.vote_id).voters.count() == 12  # the old roll is closed


# ---------------------------------------------------------------- re-counts (ADR 0513)


def _recount(e: Election, make_user: Any, sheet: dict[str, Any]) -> None:
    district = make_user("district_admin", "510104", username="district")
    election_services.recount(actor=district, election_id=e.pk, station_id=e.stations.get().pk,
                              data=sheet, reason="复核原始选票")
    election_services.announce(actor=district, election_id=e.pk)


@pytest.mark.parametrize(("sheet", "outcome"), [
    ((11, 5, 6), "not_recalled"),             # 5 of 11 approve: not more than half
    ((11, 5, 3, 3), "not_recalled"),          # 5 approve, 3 invalid ballots: 5 of 11
], ids=["five-approve", "five-approve-three-invalid"])
def test_a_recount_that_overturns_the_recall_reinstates_the_member(
        people: Any, officers: Any, make_user: Any, sheet: tuple[int, ...],
        outcome: str) -> None:
    """Hand case, 12 registered: first count 11 cast, 7 approve (7 > 5.5) → recalled, her
    term ends on the announcement. A re-count of the station finds 5 approvals (5 < 5.5)
    → not recalled. The corrected result stands from the start: the term she held is
    reinstated, as if it had not ended, and the petition keeps its first day."""
    voters = people(URBAN, 12)
    member = _member(URBAN)
    p = _petition(URBAN, voters, member)
    e = _schedule(p, officers[0])
    _to_counting(e, officers[0])
    _vote(e, officers, _sheet(e, 11, 7, 4))
    member.refresh_from_db()
    p.refresh_from_db()
    first_day = p.decided_on
    assert (p.outcome, member.end_reason, member.end_date) == ("recalled", "recalled", first_day)
    _recount(e, make_user, _sheet(e, *sheet))
    p.refresh_from_db()
    member.refresh_from_db()
    assert (p.outcome, p.cast, p.approve) == (outcome, 11, 5)
    assert (member.end_date, member.end_reason) == (None, "")
    assert (p.correction, p.corrected_on, p.decided_on) == ("reinstated", timezone.localdate(),
                                                           first_day)
    entry = AuditEntry.objects.get(action="people.membership.reinstate")
    assert entry.changes["reason"] == ["recalled", ""]
    corrected = AuditEntry.objects.get(action="autonomy.recall.corrected")
    assert corrected.changes["outcome"] == ["recalled", outcome]
    assert corrected.changes["correction"] == "reinstated"
    assert member in services.recallable_members(URBAN)  # serving again
    from django.test import Client

    body = Client().get(f"/api/v1/autonomy/recalls/{p.pk}").json()
    assert (body["correction"], body["corrected_on"], body["outcome"]) == (
        "reinstated", timezone.localdate().isoformat(), outcome)


def test_a_recount_that_finds_the_vote_invalid_reinstates_the_member(
        people: Any, officers: Any, make_user: Any) -> None:
    """7 ballots issued and returned, all 7 approving: 7 of 12 voted, recalled. The
    re-count finds only 6 ballots in the box (6 of 12 is exactly half, not more) → the
    vote is invalid and the recall never happened."""
    voters = people(URBAN, 12)
    member = _member(URBAN)
    p = _petition(URBAN, voters, member)
    e = _schedule(p, officers[0])
    _to_counting(e, officers[0])
    _vote(e, officers, _sheet(e, 7, 7, 0))
    p.refresh_from_db()
    assert p.outcome == "recalled"
    _recount(e, make_user, {**_sheet(e, 6, 6, 0), "issued": 7})
    p.refresh_from_db()
    member.refresh_from_db()
    assert (p.outcome, p.correction, member.end_date) == ("invalid", "reinstated", None)


def test_a_recount_restores_the_end_the_recall_brought_forward(
        people: Any, officers: Any, make_user: Any) -> None:
    """She had resigned with effect 60 days after the voting day when the recall ended
    her term on the announcement. The re-count overturns the recall: her term runs on to
    the resignation she had given, not without end, and not from the recall's day."""
    voters = people(URBAN, 12)
    member = _member(URBAN)
    planned = _days()["voting"] + timedelta(days=60)
    Membership.objects.filter(pk=member.pk).update(end_date=planned, end_reason="resigned")
    p = _petition(URBAN, voters, member)
    e = _schedule(p, officers[0])
    _to_counting(e, officers[0])
    _vote(e, officers, _sheet(e, 11, 7, 4))
    member.refresh_from_db()
    p.refresh_from_db()
    assert (member.end_date, member.end_reason) == (p.decided_on, "recalled")
    assert (member.replaced_end_date, member.replaced_end_reason) == (planned, "resigned")
    _recount(e, make_user, _sheet(e, 11, 5, 6))
    p.refresh_from_db()
    member.refresh_from_db()
    assert (p.outcome, p.correction) == ("not_recalled", "reinstated")
    assert (member.end_date, member.end_reason) == (planned, "resigned")
    assert (member.replaced_end_date, member.replaced_end_reason) == (None, "")
    entry = AuditEntry.objects.get(action="people.membership.reinstate")
    assert entry.changes["reason"] == ["recalled", "resigned"]


def test_a_recount_does_not_reinstate_a_member_who_left_otherwise(
        people: Any, officers: Any, make_user: Any) -> None:
    """After the recall, her end was recorded by hand as a resignation: the recall that a
    re-count overturns did not end that term any more, so nothing is taken back."""
    voters = people(URBAN, 12)
    member = _member(URBAN)
    p = _petition(URBAN, voters, member)
    e = _schedule(p, officers[0])
    _to_counting(e, officers[0])
    _vote(e, officers, _sheet(e, 11, 7, 4))
    Membership.objects.filter(pk=member.pk).update(end_reason="resigned")
    _recount(e, make_user, _sheet(e, 11, 5, 6))
    p.refresh_from_db()
    member.refresh_from_db()
    assert (p.outcome, p.correction) == ("not_recalled", "ended_otherwise")
    assert member.end_reason == "resigned" and member.end_date is not None
    assert not AuditEntry.objects.filter(action="people.membership.reinstate").exists()


def _recalled_then_succeeded_then_overturned(people: Any, officers: Any, make_user: Any
                                             ) -> tuple[Any, Any, Election]:
    """A member with a one-seat post is recalled (11 cast, 7 for), 王补选 takes the seat,
    then a re-count (5 for) overturns the recall: the member, her petition, the vote."""
    from shequ.people.models import Post

    voters = people(URBAN, 12)
    member = _member(URBAN)
    post = Post.objects.create(body=member.body, role="member", label="委员", seats=1)
    Membership.objects.filter(pk=member.pk).update(post=post)
    p = _petition(URBAN, voters, member)
    e = _schedule(p, officers[0])
    _to_counting(e, officers[0])
    _vote(e, officers, _sheet(e, 11, 7, 4))
    Membership.objects.create(body=member.body, post=post, person_name="王补选",
                              start_date=timezone.localdate())
    _recount(e, make_user, _sheet(e, 11, 5, 6))
    return member, p, e


def test_a_recount_does_not_reinstate_over_a_successor(people: Any, officers: Any,
                                                     make_user: Any, client: Any) -> None:
    """Someone else was chosen for her post after the recall: the seat is taken and the
    system cannot judge which term stands. She is not reinstated; the petition says so
    and the committee's record is left to be settled by hand."""
    member, p, _e = _recalled_then_succeeded_then_overturned(people, officers, make_user)
    p.refresh_from_db()
    member.refresh_from_db()
    assert (p.outcome, p.correction) == ("not_recalled", "succeeded")
    assert member.end_reason == "recalled"
    html = client.get(f"/autonomy/recalls/{p.pk}/").content.decode()
    assert (f"经{timezone.localdate().isoformat()}公布的重新计票更正：重新计票推翻了罢免，但此后已有他人"
            "接任该职位（或已选出新一届委员会）：未恢复其职务，委员会成员记录须人工处理") in html


def test_a_recount_that_passes_the_recall_ends_the_term_from_the_first_announcement(
        people: Any, officers: Any, make_user: Any, client: Any) -> None:
    """Announced 5 of 11 (not recalled); the re-count finds 7 of 11: recalled. The
    corrected result stands from the start: the term ends on the first announcement's
    day, and the page says what the correction did, in Chinese."""
    voters = people(URBAN, 12)
    member = _member(URBAN)
    p = _petition(URBAN, voters, member)
    e = _schedule(p, officers[0])
    _to_counting(e, officers[0])
    _vote(e, officers, _sheet(e, 11, 5, 6))
    p.refresh_from_db()
    first_day = p.decided_on
    _recount(e, make_user, _sheet(e, 11, 7, 4))
    p.refresh_from_db()
    member.refresh_from_db()
    assert (p.outcome, p.correction, p.decided_on) == ("recalled", "ended", first_day)
    assert (member.end_date, member.end_reason) == (first_day, "recalled")
    html = client.get(f"/autonomy/recalls/{p.pk}/").content.decode()
    assert "重新计票使罢免获得通过：任期于结果首次公布之日终止" in html
    assert "ended" not in html.split('id="recall-correction"')[1].split("</p>")[0]


def test_a_recount_reinstates_a_recalled_representative(people: Any, officers: Any,
                                                        make_user: Any) -> None:
    _allow_representative_recall()
    inside = people(URBAN, 10, area_code=COMPOUND)
    rep = _representative(inside, COMPOUND)
    p = _petition(URBAN, inside[1:], representative=rep)
    e = _schedule(p, officers[0])
    _to_counting(e, officers[0])
    _vote(e, officers, _sheet(e, 9, 6, 3))
    rep.refresh_from_db()
    assert rep.status == Representative.Status.ENDED
    _recount(e, make_user, _sheet(e, 9, 4, 5))
    rep.refresh_from_db()
    p.refresh_from_db()
    assert (p.outcome, p.correction) == ("not_recalled", "reinstated")
    assert (rep.status, rep.ended_on, rep.end_reason) == ("active", None, "")
    assert AuditEntry.objects.filter(action="autonomy.representative.reinstate").exists()


def test_a_recount_that_passes_the_recall_leaves_a_member_who_left_meanwhile(
        people: Any, officers: Any, make_user: Any) -> None:
    """Not recalled (5 of 11); she resigns the next week; the re-count finds 7 of 11.
    The recall passes, but her own end is not rewritten: nothing is ended."""
    voters = people(URBAN, 12)
    member = _member(URBAN)
    p = _petition(URBAN, voters, member)
    e = _schedule(p, officers[0])
    _to_counting(e, officers[0])
    _vote(e, officers, _sheet(e, 11, 5, 6))
    left = timezone.localdate() + timedelta(days=7)
    Membership.objects.filter(pk=member.pk).update(end_date=left, end_reason="resigned")
    _recount(e, make_user, _sheet(e, 11, 7, 4))
    p.refresh_from_db()
    member.refresh_from_db()
    assert (p.outcome, p.correction) == ("recalled", "already_left")
    assert (member.end_date, member.end_reason) == (left, "resigned")


def test_recounted_back_and_forth_over_a_successor(people: Any, officers: Any,
                                                   make_user: Any) -> None:
    """Recalled; a successor takes the post; a re-count overturns the recall (not
    reinstated: succeeded); a second re-count restores it: her term is still the one the
    recall ended on the first day (ended), nothing else is written."""
    member, p, e = _recalled_then_succeeded_then_overturned(people, officers, make_user)
    district = make_user("district_admin", "510104", username="district2")
    election_services.recount(actor=district, election_id=e.pk, station_id=e.stations.get().pk,
                              data=_sheet(e, 11, 7, 4), reason="第二次复核")
    election_services.announce(actor=district, election_id=e.pk)
    p.refresh_from_db()
    member.refresh_from_db()
    assert (p.outcome, p.correction) == ("recalled", "ended")
    assert (member.end_date, member.end_reason) == (p.decided_on, "recalled")
    assert AuditEntry.objects.filter(action="people.membership.end",
                                     object_id=str(member.pk)).count() == 1
