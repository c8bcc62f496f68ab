"""Evaluation, disclosure, recall and rule overrides."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest

from shequ.audit.models import AuditEntry
from shequ.authz import SYSTEM
from shequ.autonomy import selectors, services
from shequ.autonomy.models import Disclosure, EvaluationAnswer, RecallPetition
from shequ.autonomy.rules import profile_for
from shequ.autonomy.tests.conftest import AGRI, URBAN
from shequ.autonomy.tests.factories import meeting_day
from shequ.core.errors import BusinessError, Conflict, Forbidden, InvalidTransition
from shequ.people.enums import EndReason
from shequ.people.models import Body, Membership


def _committee(code: str, names: list[str]) -> list[Membership]:
    body = Body.objects.create(kind="residents_committee", name="居委会", area_code=code)
    return [Membership.objects.create(body=body, person_name=n, start_date=date(2024, 1, 1))
            for n in names]


def _campaign(code: str, year: int) -> Any:
    return services.open_evaluation(
        actor=SYSTEM, community_code=code, year=year, title=f"{year} 年度评议",
        criteria=["服务态度", "办事效率"], opens_on=date.today() - timedelta(days=1),
        closes_on=date.today() + timedelta(days=10), departments=["街道社区发展科"])


def _rate_all(campaign: Any, raters: list[Any], unfit_name: str, unfit_votes: int) -> None:
    targets = list(campaign.targets.all())
    for i, r in enumerate(raters):
        answers = {t.pk: {"verdict": "unfit" if (t.name == unfit_name and i < unfit_votes)
                          else "fit", "scores": {"服务态度": 4}} for t in targets}
        services.submit_rating(actor=SYSTEM, campaign_id=campaign.pk, answers=answers,
                               resident_id=r.pk)


@pytest.mark.parametrize("offset", [-1, 0, 1], ids=["below", "at", "above"])
@pytest.mark.parametrize("code", [URBAN, AGRI])
def test_unfit_share_and_twice_in_a_row(people: Any, code: str, offset: int) -> None:
    _committee(code, ["王主任", "李委员"])
    raters = people(code, 10)
    first = _campaign(code, 2025)
    _rate_all(first, raters, "王主任", 6)  # > 1/2 of 10
    first = services.close_evaluation(actor=SYSTEM, campaign_id=first.pk)
    wang = first.targets.get(name="王主任")
    assert wang.rated_unfit and not wang.flagged and wang.unfit == 6
    second = _campaign(code, 2026)
    _rate_all(second, raters, "王主任", 6 + offset)  # 5 below, 6 at, 7 above
    second = services.close_evaluation(actor=SYSTEM, campaign_id=second.pk)
    wang2 = second.targets.get(name="王主任")
    assert wang2.rated_unfit is (offset >= 0)
    assert wang2.flagged is (offset >= 0)
    assert [t.name for t in selectors.flagged_members(SYSTEM)] == (["王主任"] if offset >= 0
                                                                   else [])
    assert second.profile_version == profile_for(code).version


def test_ratings_are_anonymous_and_once(people: Any) -> None:
    _committee(URBAN, ["王主任"])
    raters = people(URBAN, 2)
    c = _campaign(URBAN, 2026)
    kinds = sorted(c.targets.values_list("kind", flat=True))
    assert kinds == ["department", "member", "station"]
    _rate_all(c, raters[:1], "", 0)
    with pytest.raises(Conflict):
        _rate_all(c, raters[:1], "", 0)
    with pytest.raises(BusinessError) as exc:
        services.submit_rating(actor=SYSTEM, campaign_id=c.pk, answers={},
                               resident_id=raters[1].pk)
    assert exc.value.code == "incomplete"
    assert not any(f.name in ("resident", "rater") for f in EvaluationAnswer._meta.fields)
    services.close_evaluation(actor=SYSTEM, campaign_id=c.pk)
    with pytest.raises(Conflict):
        _rate_all(c, raters[1:], "", 0)
    rows = selectors.evaluation_results("510104", 2026)
    assert {r["name"] for r in rows} >= {"王主任", "街道社区发展科"}


@pytest.mark.parametrize(("code", "finance", "affairs"), [(URBAN, 12, 4), (AGRI, 4, 4)])
def test_disclosure_calendar_and_overdue_flags(world: Any, make_user: Any, code: str,
                                               finance: int, affairs: int) -> None:
    assert services.plan_disclosures(actor=SYSTEM, community_code=code, year=2026) \
        == finance + affairs
    assert services.plan_disclosures(actor=SYSTEM, community_code=code, year=2026) == 0
    first = Disclosure.objects.filter(community_code=code, category="finance").first()
    assert first is not None
    grace = profile_for(code).value("disclosure_grace_days")
    assert first.due_on == first.period_end + timedelta(days=grace)
    same_day = Disclosure.objects.filter(due_on=first.due_on).count()  # agri: both quarterly
    for offset, flagged in ((-1, 0), (0, 0), (1, same_day)):
        n = services.flag_overdue_disclosures(actor=SYSTEM, on=first.due_on
                                              + timedelta(days=offset))
        assert n == flagged
    assert services.flag_overdue_disclosures(actor=SYSTEM, on=first.due_on
                                             + timedelta(days=1)) == 0  # idempotent
    street = make_user("street_officer", code[:9])
    other = make_user("street_officer", "510104023")
    assert first in selectors.overdue_for(street)
    assert list(selectors.overdue_for(other)) == []
    published = services.publish_disclosure(
        actor=SYSTEM, disclosure_id=first.pk,
        body="收入 12000 元；经手人 张三 510104198001011234 电话 13912345678")
    assert "198001011234" not in published.body and "139****5678" in published.body
    assert first not in selectors.overdue_for(street)
    with pytest.raises(Conflict):
        services.publish_disclosure(actor=SYSTEM, disclosure_id=first.pk, body="again")


def test_question_answered_publicly(people: Any) -> None:
    asker = people(URBAN, 1)[0]
    d = services.disclose_major(actor=SYSTEM, community_code=URBAN, title="院落改造招标",
                                body="中标单位……")
    q = services.ask_question(actor=SYSTEM, disclosure_id=d.pk, text="预算多少？",
                              resident_id=asker.pk)
    assert q.asker_masked == asker.name[0] + "*" * (len(asker.name) - 1)
    services.answer_question(actor=SYSTEM, question_id=q.pk, answer="预算 30 万元")
    with pytest.raises(Conflict):
        services.answer_question(actor=SYSTEM, question_id=q.pk, answer="again")
    stranger = people("510104022011", 1)[0]
    with pytest.raises(Forbidden):
        services.ask_question(actor=SYSTEM, disclosure_id=d.pk, text="?", resident_id=stranger.pk)


# 10 eligible voters: recall needs ≥ 1/5 → 2 signatures
@pytest.mark.parametrize("code", [URBAN, AGRI])
@pytest.mark.parametrize("offset", [-1, 0, 1], ids=["below", "at", "above"])
def test_recall_signatures(people: Any, code: str, offset: int) -> None:
    voters = people(code, 10)
    (member,) = _committee(code, ["王主任"])
    p = services.start_recall(actor=SYSTEM, community_code=code, membership_id=member.pk,
                              reasons="长期不履职", resident_id=voters[0].pk)
    assert (p.voters, p.signatures_needed, p.signature_count) == (10, 2, 1)
    assert p.member_name == "王主任"
    for i, r in enumerate(voters[1: 2 + offset]):
        if i == 1:
            with pytest.raises(Conflict):
                services.sign_recall(actor=SYSTEM, petition_id=p.pk, resident_id=r.pk)
        else:
            services.sign_recall(actor=SYSTEM, petition_id=p.pk, resident_id=r.pk)
    p.refresh_from_db()
    assert p.state == (RecallPetition.State.SUBMITTED if offset >= 0
                       else RecallPetition.State.COLLECTING)
    assert p.signature_count == min(2 + offset, 2)


def _legacy(p: RecallPetition) -> RecallPetition:
    """A petition that was waiting for its result before recall votes ran in elections
    (migration autonomy 0011): the only kind whose paper result may be typed in (ADR
    0513; new recalls: ``test_recall_votes``)."""
    RecallPetition.objects.filter(pk=p.pk).update(legacy_figures=True)
    p.legacy_figures = True
    return p


def _submitted_recall(code: str, voters: list[Any]) -> tuple[RecallPetition, Membership]:
    (member,) = _committee(code, ["李委员"])
    p = _legacy(services.start_recall(actor=SYSTEM, community_code=code,
                                      membership_id=member.pk, reasons="理由",
                                      resident_id=voters[0].pk))
    services.sign_recall(actor=SYSTEM, petition_id=p.pk, resident_id=voters[1].pk)
    return p, member


# the register counts 100 voters: valid when > 50 vote; recalled when > half of ballots approve
@pytest.mark.parametrize("code", [URBAN, AGRI])
@pytest.mark.parametrize(("cast", "approve", "outcome"), [
    (50, 50, "invalid"), (51, 26, "recalled"), (52, 27, "recalled"),
    (51, 25, "not_recalled"), (52, 26, "not_recalled"), (100, 51, "recalled"),
])
def test_recall_vote_result(people: Any, code: str, cast: int, approve: int,
                            outcome: str) -> None:
    voters = people(code, 100)
    (member,) = _committee(code, ["李委员"])
    p = _legacy(services.start_recall(actor=SYSTEM, community_code=code,
                                      membership_id=member.pk, reasons="理由",
                                      resident_id=voters[0].pk))
    # 100 voters: 1/5 → 20 signatures; below them no result
    with pytest.raises(InvalidTransition):
        services.record_recall_result(actor=SYSTEM, petition_id=p.pk, cast=cast,
                                      approve=approve)
    for r in voters[1:20]:
        services.sign_recall(actor=SYSTEM, petition_id=p.pk, resident_id=r.pk)
    services.record_recall_reply(actor=SYSTEM, petition_id=p.pk, reply="我的书面答复")
    p = services.record_recall_result(actor=SYSTEM, petition_id=p.pk, registered=100,
                                      cast=cast, approve=approve)
    assert p.outcome == outcome and p.registered == 100
    assert p.profile_version == profile_for(code).version
    with pytest.raises(InvalidTransition):
        services.record_recall_result(actor=SYSTEM, petition_id=p.pk, cast=cast,
                                      approve=approve)


@pytest.mark.parametrize(("approve", "ended"), [(40, True), (20, False)],
                         ids=["recalled", "not-recalled"])
def test_a_passed_recall_ends_the_members_term(people: Any, approve: int, ended: bool) -> None:
    voters = people(URBAN, 70)
    p, member = _submitted_recall(URBAN, voters)
    for r in voters[2:14]:
        services.sign_recall(actor=SYSTEM, petition_id=p.pk, resident_id=r.pk)
    services.record_recall_result(actor=SYSTEM, petition_id=p.pk, cast=60, approve=approve)
    member.refresh_from_db()
    if ended:
        assert member.end_date == services.today() and member.end_reason == EndReason.RECALLED
        entry = AuditEntry.objects.get(action="people.membership.end")
        assert entry.changes["reason"] == "recalled"
    else:
        assert member.end_date is None


def test_the_recall_base_comes_from_the_register_not_from_typed_figures(people: Any) -> None:
    """Issue 11 §2: registered 10 or 900 in a community whose register counts 70 is
    refused, nothing is saved; the base is counted on the day of the vote."""
    voters = people(URBAN, 70)
    p, _member = _submitted_recall(URBAN, voters)
    for r in voters[2:14]:
        services.sign_recall(actor=SYSTEM, petition_id=p.pk, resident_id=r.pk)
    for typed in (10, 900):
        with pytest.raises(BusinessError) as exc:
            services.record_recall_result(actor=SYSTEM, petition_id=p.pk, registered=typed,
                                          cast=6, approve=4)
        assert exc.value.code == "base_mismatch"
        assert str(exc.value.message) == (
            f"{services.today().isoformat()} 本社区选民名单共有 70 名选民；填写的登记选民数 "
            f"{typed} 与名单不符。")
    p.refresh_from_db()
    assert p.outcome == "" and p.registered is None
    # 6 of 70 cast: the vote is invalid whatever the approvals (> 1/2 of 70 must vote)
    p = services.record_recall_result(actor=SYSTEM, petition_id=p.pk, cast=6, approve=4)
    assert (p.registered, p.outcome) == (70, "invalid")


def test_recall_result_dates(people: Any) -> None:
    voters = people(URBAN, 10)
    p, _member = _submitted_recall(URBAN, voters)
    with pytest.raises(BusinessError) as exc:
        services.record_recall_result(actor=SYSTEM, petition_id=p.pk, cast=6, approve=4,
                                      voted_on=services.today() + timedelta(days=1))
    assert exc.value.code == "too_early"
    with pytest.raises(BusinessError) as exc:
        services.record_recall_result(actor=SYSTEM, petition_id=p.pk, cast=6, approve=4,
                                      voted_on=date(9999, 12, 31))
    assert exc.value.code == "too_early"
    with pytest.raises(BusinessError) as exc:
        services.record_recall_result(actor=SYSTEM, petition_id=p.pk, cast=6, approve=4,
                                      voted_on=services.today() - timedelta(days=400))
    assert exc.value.code == "bad_dates"


def test_bad_recall_figures_are_refused(people: Any) -> None:
    voters = people(URBAN, 10)
    p, _member = _submitted_recall(URBAN, voters)
    with pytest.raises(BusinessError) as exc:
        services.record_recall_result(actor=SYSTEM, petition_id=p.pk, cast=11, approve=1)
    assert exc.value.code == "bad_figures"


def test_recall_only_of_current_residents_committee_members(people: Any) -> None:
    """Issue 11 §1: never a party committee member, never a typed name, never a former
    member or one of another community; each refusal says why and saves nothing."""
    voters = people(URBAN, 10)
    party = Body.objects.create(kind="party", name="社区党委", area_code=URBAN)
    secretary = Membership.objects.create(body=party, person_name="赵书记",
                                          start_date=date(2024, 1, 1))
    (former,) = _committee(URBAN, ["钱前委员"])
    former.end_date = services.today() - timedelta(days=1)
    former.save()
    other = Body.objects.create(kind="residents_committee", name="居委会",
                                area_code="510104022011")
    elsewhere = Membership.objects.create(body=other, person_name="孙委员",
                                          start_date=date(2024, 1, 1))

    def refused(membership_id: int | None) -> BusinessError:
        with pytest.raises(BusinessError) as exc:
            services.start_recall(actor=SYSTEM, community_code=URBAN,
                                  membership_id=membership_id, reasons="理由",
                                  resident_id=voters[0].pk)
        return exc.value

    e = refused(secretary.pk)
    assert e.code == "not_recallable"
    assert str(e.message) == ("居民只能罢免居民委员会成员（《村民委员会组织法》第十六条；"
                              "《城市居民委员会组织法》（2018年修正）第十条），“党组织”的成员"
                              "不能由居民罢免。")
    e = refused(None)
    assert e.code == "required"
    assert str(e.message) == "请从居委会现任成员中选择被罢免人。"
    assert refused(999999).code == "not_found"
    e = refused(former.pk)
    assert e.code == "not_serving" and str(e.message) == "钱前委员 不是现任成员；只能罢免在任成员。"
    assert refused(elsewhere.pk).code == "other_community"
    assert not RecallPetition.objects.exists()
    # the page offers exactly the current committee members
    assert [m.person_name for m in services.recallable_members(URBAN)] == []
    (serving,) = _committee(URBAN, ["王主任"])
    assert [m.pk for m in services.recallable_members(URBAN)] == [serving.pk]


def test_a_district_may_let_residents_recall_the_conference_committee(people: Any) -> None:
    voters = people(URBAN, 10)
    body = Body.objects.create(kind="conference_committee", name="居民代表会议工作委员会",
                               area_code=URBAN)
    m = Membership.objects.create(body=body, person_name="周委员", start_date=date(2024, 1, 1))
    with pytest.raises(BusinessError) as exc:
        services.start_recall(actor=SYSTEM, community_code=URBAN, membership_id=m.pk,
                              reasons="理由", resident_id=voters[0].pk)
    assert exc.value.code == "not_recallable"
    services.set_rule_override(actor=SYSTEM, profile="urban", key="recall_other_bodies",
                               area_code="510104", value="是", citation="锦江区规定")
    p = services.start_recall(actor=SYSTEM, community_code=URBAN, membership_id=m.pk,
                              reasons="理由", resident_id=voters[0].pk)
    assert p.member_name == "周委员"


def test_district_override_changes_the_rule_and_the_version(reps: Any, make_user: Any) -> None:
    before = profile_for(URBAN)
    with pytest.raises(Forbidden):
        services.set_rule_override(actor=make_user("street_officer", "510104022"),
                                   profile="urban", key="quorum", area_code="510104",
                                   value=">=2/3", citation="x")
    with pytest.raises(BusinessError):
        services.set_rule_override(actor=SYSTEM, profile="urban", key="quorum",
                                   area_code="510104", value="2/3", citation="x")
    services.set_rule_override(actor=SYSTEM, profile="urban", key="quorum", area_code="51",
                               value=">=3/5", citation="四川省实施办法")
    services.set_rule_override(actor=SYSTEM, profile="urban", key="quorum", area_code="510104",
                               value=">1/2", citation="锦江区居民代表会议规则")
    after = profile_for(URBAN)
    assert after.value("quorum") == ">1/2" and "510104" in str(after.rules["quorum"].citation)
    assert after.version != before.version and after.overridden == ("quorum",)
    assert profile_for(AGRI).version == profile_for(AGRI).version  # agricultural unchanged
    members = reps(URBAN, 3)
    m = services.convene_meeting(actor=SYSTEM, community_code=URBAN, title="会", agenda="议程",
                                 notice_on=services.today() - timedelta(days=8),
                                 held_on=services.today())
    m = services.record_attendance(actor=SYSTEM, meeting_id=meeting_day(m),
                                   present_ids=[members[0].pk, members[1].pk])
    assert m.quorate and m.profile_version == after.version
    assert AuditEntry.objects.filter(action="autonomy.meeting.open").exists()
    override = AuditEntry.objects.filter(action="rules.override.set").latest("pk")
    assert override.changes["module"] == "autonomy" and override.changes["value"] == ">1/2"


def test_overdue_job_is_periodic_and_idempotent(world: Any) -> None:
    from shequ.autonomy.tasks import flag_overdue_disclosures
    from shequ.core.jobs import PERIODIC

    assert "autonomy.flag_overdue_disclosures" in PERIODIC
    services.plan_disclosures(actor=SYSTEM, community_code=URBAN, year=2025)
    first = flag_overdue_disclosures.enqueue()
    second = flag_overdue_disclosures.enqueue()
    assert first.return_value == 16 and second.return_value == 0


@pytest.mark.parametrize("code", [URBAN, AGRI])
@pytest.mark.parametrize("offset", [-1, 0, 1], ids=["below", "at", "above"])
def test_resolution_disclosure_deadline(world: Any, code: str, offset: int) -> None:
    """A resolution's disclosure is due within ``disclosure_major_days``; unpublished
    after that it is flagged, on the day after and not before."""
    from shequ.autonomy.services import today
    from shequ.autonomy.tests.factories import representatives

    members = representatives(code, 3)
    days = profile_for(code).value("disclosure_major_days")
    m = services.convene_meeting(actor=SYSTEM, community_code=code, title="会", agenda="议程",
                                 notice_on=services.today() - timedelta(days=31),
                                 held_on=services.today())
    motion = services.add_motion(actor=SYSTEM, meeting_id=m.pk, title="动议")
    services.record_attendance(actor=SYSTEM, meeting_id=meeting_day(m),
                               present_ids=[r.pk for r in members])
    for r in members:
        services.cast_vote(actor=SYSTEM, motion_id=motion.pk, choice="for", representative_id=r.pk)
    services.close_motion(actor=SYSTEM, motion_id=motion.pk)
    d = Disclosure.objects.get(category="resolution")
    assert d.due_on == today() + timedelta(days=days)
    n = services.flag_overdue_disclosures(actor=SYSTEM, on=d.due_on + timedelta(days=offset))
    assert n == (1 if offset > 0 else 0)


@pytest.mark.parametrize(("code", "years"), [(URBAN, 5), (AGRI, 5)])
def test_representative_term_follows_the_profile(people: Any, code: str, years: int) -> None:
    from shequ.autonomy.models import Constituency

    c = services.create_constituency(actor=SYSTEM, community_code=code, name="一组",
                                     kind=Constituency.Kind.GROUP, households=10)
    r = services.appoint_representative(actor=SYSTEM, constituency_id=c.pk,
                                        resident_id=people(code, 1)[0].pk,
                                        term_start=date(2026, 1, 1))
    assert r.term_end == date(2026 + years, 1, 1) - timedelta(days=1)


def test_desk_lists_communities_whose_evaluation_is_due(world: Any, make_user: Any) -> None:
    from shequ.autonomy.models import EvaluationCampaign

    street = make_user("street_officer", "510104022")
    codes = {e["area"].code for e in selectors.evaluations_due(street, date(2026, 6, 1)).items}
    assert codes == {URBAN, "510104022011"}
    EvaluationCampaign.objects.create(community_code=URBAN, area_code=URBAN, year=2025,
                                      title="t", opens_on=date(2025, 6, 1),
                                      closes_on=date(2025, 6, 2), status="closed",
                                      profile_version="x")
    for day, due in ((date(2026, 6, 1), False), (date(2026, 6, 2), True)):
        codes = {e["area"].code for e in selectors.evaluations_due(street, day).items}
        assert (URBAN in codes) is due


# 9 serving representatives: ≥ 1/3 → 3 may start a recall
@pytest.mark.parametrize("code", [URBAN, AGRI])
@pytest.mark.parametrize("offset", [-1, 0, 1], ids=["below", "at", "above"])
def test_recall_by_representatives(reps: Any, people: Any, code: str, offset: int) -> None:
    members = reps(code, 9)
    (member,) = _committee(code, ["李委员"])
    p = services.start_recall(actor=SYSTEM, community_code=code, membership_id=member.pk,
                              reasons="理由", resident_id=members[0].resident_id,
                              via="representatives")
    assert (p.voters, p.signatures_needed) == (9, 3)
    outsider = people(code, 1)[0]
    with pytest.raises(Forbidden) as exc:
        services.sign_recall(actor=SYSTEM, petition_id=p.pk, resident_id=outsider.pk)
    assert exc.value.code == "not_representative"
    for i, r in enumerate(members[1: 3 + offset]):
        if i == 2:
            with pytest.raises(Conflict):
                services.sign_recall(actor=SYSTEM, petition_id=p.pk, resident_id=r.resident_id)
        else:
            services.sign_recall(actor=SYSTEM, petition_id=p.pk, resident_id=r.resident_id)
    p.refresh_from_db()
    assert p.state == (RecallPetition.State.SUBMITTED if offset >= 0
                       else RecallPetition.State.COLLECTING)


def test_a_standing_representative_only_where_the_profile_provides(reps: Any,
                                                                   people: Any) -> None:
    """ADR 0509: no statute lets residents recall a standing representative by petition;
    a district may provide it (local flag), and a passed recall ends the term."""
    members = reps(URBAN, 3)
    voters = people(URBAN, 10)
    with pytest.raises(BusinessError) as exc:
        services.start_recall(actor=SYSTEM, community_code=URBAN, membership_id=None,
                              representative_id=members[0].pk, reasons="理由",
                              resident_id=voters[0].pk)
    assert exc.value.code == "not_recallable"
    assert str(exc.value.message).startswith("此处不能以罢免要求罢免常任居民代表")
    assert services.recallable_representatives(URBAN) == []
    services.set_rule_override(actor=SYSTEM, profile="urban", key="recall_representatives",
                               area_code="510104", value="是", citation="锦江区居民代表工作规则")
    assert {r.pk for r in services.recallable_representatives(URBAN)} == {m.pk for m in members}
    # ADR 0513: their constituency here is recorded as the whole community, which is not
    # the households that chose them: refused, not counted on the whole community (the
    # recall by a constituency the register places: test_recall_votes)
    with pytest.raises(BusinessError) as exc:
        services.start_recall(actor=SYSTEM, community_code=URBAN, membership_id=None,
                              representative_id=members[0].pk, reasons="长期不联系居民",
                              resident_id=voters[0].pk)
    assert exc.value.code == "no_constituency_area"
    assert not RecallPetition.objects.exists()
