"""The use cases end to end, and every refusal: the rule named, nothing half-saved."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from shequ.audit.models import AuditEntry
from shequ.authz import SYSTEM
from shequ.core.errors import BusinessError, Forbidden
from shequ.procurement import services
from shequ.procurement.models import (
    Bid,
    BudgetLine,
    Contract,
    Criterion,
    Payment,
    Project,
    Score,
)
from shequ.procurement.tests.conftest import (
    CLOSED,
    CREATED,
    MILESTONES,
    PUBLISHED,
    World,
    awarded,
    bids_in,
    committee,
    contracted,
    evaluated,
    new_project,
    open_project,
)

pytestmark = pytest.mark.django_db


def committed(w: World) -> int:
    return BudgetLine.objects.get(pk=w.line.pk).committed_fen


# -- budgets and projects --------------------------------------------------------------------


def test_a_project_commits_its_budget_and_no_budget_means_no_project(world: World) -> None:
    project = new_project(world, budget_fen=60_000_000)
    assert project.number == "JJ2025-0001"
    assert committed(world) == 60_000_000
    with pytest.raises(BusinessError) as exc:
        new_project(world, budget_fen=40_000_001)
    assert exc.value.code == "budget_exceeded"
    assert "预算" in str(exc.value.message) and "第十四条" in str(exc.value.message)
    assert committed(world) == 60_000_000
    assert Project.objects.count() == 1


def test_the_amount_of_a_line_never_falls_below_what_is_committed(world: World) -> None:
    new_project(world, budget_fen=60_000_000)
    with pytest.raises(BusinessError) as exc:
        services.save_budget_line(actor=world.officer, buyer_id=world.buyer.pk, year=2025,
                                  title="社区服务购买", amount_fen=50_000_000,
                                  line_id=world.line.pk)
    assert exc.value.code == "budget_below_committed"
    assert BudgetLine.objects.get(pk=world.line.pk).amount_fen == 100_000_000


def test_a_street_officer_buys_only_for_their_own_street(world: World, make_user: Any) -> None:
    other = make_user("street_officer", "510104037", username="sansheng")
    with pytest.raises(Forbidden):
        services.create_project(actor=other, budget_line_id=world.line.pk, item_id=world.item.pk,
                                title="越权项目", method="open", budget_fen=1_000_000, on=CREATED)
    assert committed(world) == 0


def test_methods_other_than_public_tender_record_a_reason(world: World) -> None:
    with pytest.raises(BusinessError) as exc:
        new_project(world, method="single", single_supplier_id=world.orgs[0].pk)
    assert exc.value.code == "reason_required"
    assert "单一来源" in str(exc.value.message)
    with pytest.raises(BusinessError) as exc:
        new_project(world, method="single", method_reason="唯一供应商")
    assert exc.value.code == "single_source_supplier"
    assert committed(world) == 0


def test_money_is_whole_fen(world: World) -> None:
    with pytest.raises(BusinessError) as exc:
        new_project(world, budget_fen=1.5)  # type: ignore[arg-type]
    assert exc.value.code == "bad_amount"


def test_weights_must_add_up_to_100_and_nothing_is_saved(world: World) -> None:
    project = new_project(world)
    with pytest.raises(BusinessError) as exc:
        services.set_criteria(actor=world.officer, number=project.number,
                              criteria=[("服务方案", 60), ("报价", 30)])
    assert exc.value.code == "weights_not_100"
    assert str(exc.value.message) == \
        "评审因素的权重合计为 90，而不是 100（区评审办法（本地规则，由各区设定））。"
    assert list(Criterion.objects.filter(project=project).values_list("weight", flat=True)) == \
        [50, 30, 20]


def test_the_tender_period_is_at_least_20_days(world: World) -> None:
    project = new_project(world)
    with pytest.raises(BusinessError) as exc:
        services.publish(actor=world.officer, number=project.number,
                         bid_deadline=date(2025, 6, 23), on=PUBLISHED)
    assert exc.value.code == "tender_period_too_short"
    assert "《政府采购法》第三十五条" in str(exc.value.message)
    assert "2025-06-24" in str(exc.value.message)
    project.refresh_from_db()
    assert project.state == "draft" and project.bid_deadline is None
    services.publish(actor=world.officer, number=project.number, bid_deadline=date(2025, 6, 24),
                     on=PUBLISHED)


def test_single_source_is_announced_five_working_days_ahead(world: World) -> None:
    project = new_project(world, method="single", method_reason="只能从唯一供应商处采购",
                          single_supplier_id=world.orgs[0].pk)
    with pytest.raises(BusinessError) as exc:
        # published Wednesday 4 June 2025: five working days later is Wednesday 11 June
        services.publish(actor=world.officer, number=project.number,
                         bid_deadline=date(2025, 6, 10), on=PUBLISHED)
    assert exc.value.code == "single_source_notice_too_short"
    assert "《政府采购法实施条例》第三十八条" in str(exc.value.message)
    services.publish(actor=world.officer, number=project.number, bid_deadline=date(2025, 6, 11),
                     on=PUBLISHED)
    with pytest.raises(BusinessError) as exc:
        services.submit_bid(actor=SYSTEM, number=project.number, org_id=world.orgs[1].pk,
                            price_fen=1_000_000, on=date(2025, 6, 5))
    assert exc.value.code == "single_source_supplier"


# -- bids ---------------------------------------------------------------------------------------


def test_an_ineligible_organisation_is_refused_naming_the_rule(world: World) -> None:
    from shequ.orgs.tests.conftest import filed_org

    filed = filed_org(SYSTEM, on=date(2025, 3, 3))
    project = open_project(world)
    with pytest.raises(BusinessError) as exc:
        services.submit_bid(actor=SYSTEM, number=project.number, org_id=filed.pk,
                            price_fen=20_000_000, on=date(2025, 6, 10))
    assert exc.value.code == "ineligible_supplier"
    assert str(exc.value.message) == (
        "该组织不能投标：不是法人：投标人须能独立承担民事责任（《政府采购法》第二十二条第一款第（一）项）。")
    assert not Bid.objects.exists()
    assert not AuditEntry.objects.filter(action="procurement.bid.submit").exists()


def test_a_project_may_admit_filed_organisations(world: World) -> None:
    from shequ.orgs.tests.conftest import filed_org

    filed = filed_org(SYSTEM, on=date(2025, 3, 3))
    project = open_project(world, legal_person_only=False)
    bid = services.submit_bid(actor=SYSTEM, number=project.number, org_id=filed.pk,
                              price_fen=20_000_000, on=date(2025, 6, 10))
    assert bid.eligibility["legal_person"] is False


def test_the_org_user_bids_for_its_own_organisation_only(world: World) -> None:
    project = open_project(world)
    with pytest.raises(Forbidden):
        services.submit_bid(actor=world.org_user, number=project.number,
                            org_id=world.orgs[1].pk, price_fen=1_000_000, on=date(2025, 6, 10))
    bid = services.submit_bid(actor=world.org_user, number=project.number,
                              org_id=world.orgs[0].pk, price_fen=1_000_000, on=date(2025, 6, 10))
    assert bid.state == "submitted"


def test_a_price_above_the_budget_and_a_late_bid_are_refused(world: World) -> None:
    project = open_project(world)
    with pytest.raises(BusinessError) as exc:
        services.submit_bid(actor=SYSTEM, number=project.number, org_id=world.orgs[0].pk,
                            price_fen=30_000_001, on=date(2025, 6, 10))
    assert exc.value.code == "bid_over_budget"
    with pytest.raises(BusinessError) as exc:
        services.submit_bid(actor=SYSTEM, number=project.number, org_id=world.orgs[0].pk,
                            price_fen=1_000, on=date(2025, 7, 1))
    assert exc.value.code == "period_closed"


def test_bidding_closes_after_the_deadline_with_three_bids(world: World) -> None:
    project = open_project(world)
    bids_in(world, project, prices=(28_000_000, 29_000_000))
    with pytest.raises(BusinessError) as exc:
        services.close(actor=world.officer, number=project.number, on=date(2025, 6, 30))
    assert exc.value.code == "period_still_open"
    with pytest.raises(BusinessError) as exc:
        services.close(actor=world.officer, number=project.number, on=CLOSED)
    assert exc.value.code == "too_few_bids"
    assert "《政府采购法》第三十六条第一款第（一）项" in str(exc.value.message)
    services.cancel(actor=world.officer, number=project.number, reason="too_few", on=CLOSED)
    assert committed(world) == 0
    assert set(Bid.objects.values_list("state", flat=True)) == {"lost"}


def test_enquiries_are_answered_within_three_working_days(world: World) -> None:
    project = open_project(world)
    enquiry = services.ask(actor=world.org_user, number=project.number, org_id=world.orgs[0].pk,
                           question="服务对象名单何时提供？", on=date(2025, 6, 6))  # a Friday
    assert enquiry.due_on == date(2025, 6, 11)
    services.answer(actor=world.officer, enquiry_id=enquiry.pk, answer="签订合同后提供。",
                    on=date(2025, 6, 9))


# -- evaluation ------------------------------------------------------------------------------


def test_scores_aggregate_by_weight_and_rank_the_bids(world: World) -> None:
    project, bids, _members = evaluated(world)
    ranked = {b.pk: (b.rank, b.score) for b in Bid.objects.filter(project=project)}
    assert ranked[bids[0].pk] == (1, Decimal("90.000"))
    assert ranked[bids[2].pk] == (3, Decimal("70.000"))


def test_a_conflicted_evaluator_is_refused(world: World) -> None:
    project = open_project(world)
    bids = bids_in(world, project)
    services.close(actor=world.officer, number=project.number, on=CLOSED)
    members = committee(world, project, n=6, experts=5)
    services.declare_interest(actor=world.officer, evaluator_id=members[5].pk,
                              conflicts=[world.orgs[1].pk], note="三年内曾在该组织任职", on=CLOSED)
    criteria = {c.pk: 80 for c in project.criteria.all()}
    with pytest.raises(BusinessError) as exc:
        services.enter_scores(actor=world.officer, number=project.number,
                              evaluator_id=members[5].pk, bid_id=bids[0].pk, points=criteria)
    assert exc.value.code == "conflicted_evaluator"
    assert str(exc.value.message) == (
        "赵敏申报了与投标人的利害关系，应当回避，其评分不予采用：评审人员与供应商有利害关系的应当回避"
        "（《政府采购法实施条例》第九条）。")
    assert not Score.objects.exists()


def test_an_undeclared_evaluator_is_refused(world: World) -> None:
    project = open_project(world)
    bids = bids_in(world, project)
    services.close(actor=world.officer, number=project.number, on=CLOSED)
    member = services.add_evaluator(actor=world.officer, number=project.number, name="张明",
                                    kind="expert")
    with pytest.raises(BusinessError) as exc:
        services.enter_scores(actor=world.officer, number=project.number, evaluator_id=member.pk,
                              bid_id=bids[0].pk,
                              points={c.pk: 80 for c in project.criteria.all()})
    assert exc.value.code == "conflict_not_declared"


def test_the_committee_is_five_with_two_thirds_experts_for_a_tender(world: World) -> None:
    project = open_project(world)
    bids = bids_in(world, project)
    services.close(actor=world.officer, number=project.number, on=CLOSED)
    members = committee(world, project, n=3, experts=2)
    for m in members:
        for b in bids:
            services.enter_scores(actor=world.officer, number=project.number, evaluator_id=m.pk,
                                  bid_id=b.pk, points={c.pk: 80 for c in project.criteria.all()})
    with pytest.raises(BusinessError) as exc:
        services.award(actor=world.officer, number=project.number, on=date(2025, 7, 3))
    assert exc.value.code == "committee_size"


def test_the_award_goes_to_the_first_ranked_within_seven_working_days(world: World) -> None:
    project, bids, _m = evaluated(world)
    with pytest.raises(BusinessError) as exc:
        services.award(actor=world.officer, number=project.number, bid_id=bids[1].pk,
                       on=date(2025, 7, 3))
    assert exc.value.code == "not_top_ranked"
    with pytest.raises(BusinessError) as exc:
        services.award(actor=world.officer, number=project.number, on=date(2025, 7, 11))
    assert exc.value.code == "award_late"
    services.award(actor=world.officer, number=project.number, on=date(2025, 7, 3))
    project.refresh_from_db()
    assert project.state == "awarded"
    assert project.standstill_until == date(2025, 7, 14)
    assert dict(Bid.objects.values_list("org_id", "state")) == {
        world.orgs[0].pk: "won", world.orgs[1].pk: "lost", world.orgs[2].pk: "lost"}


# -- standstill, questions, signing ----------------------------------------------------


def test_no_contract_during_the_standstill_or_while_a_question_is_open(world: World) -> None:
    project, _bids = awarded(world)
    sign = dict(starts_on=date(2025, 8, 1), ends_on=date(2026, 7, 31), milestones=MILESTONES)
    with pytest.raises(BusinessError) as exc:
        services.sign_contract(actor=world.officer, number=project.number,
                               on=date(2025, 7, 14), **sign)
    assert exc.value.code == "standstill_running"
    complaint = services.file_complaint(actor=SYSTEM, number=project.number,
                                        org_id=world.orgs[1].pk, text_="评分不公。",
                                        on=date(2025, 7, 14))
    with pytest.raises(BusinessError) as exc:
        services.file_complaint(actor=SYSTEM, number=project.number, org_id=world.orgs[2].pk,
                                text_="太迟了。", on=date(2025, 7, 15))
    assert exc.value.code == "complaint_late"
    with pytest.raises(BusinessError) as exc:
        services.sign_contract(actor=world.officer, number=project.number,
                               on=date(2025, 7, 20), **sign)
    assert exc.value.code == "complaint_open"
    assert "《政府采购法实施条例》第五十四条" in str(exc.value.message)
    services.answer_complaint(actor=world.officer, complaint_id=complaint.pk,
                              answer_="评审程序合法，评分有据。", upheld=False, on=date(2025, 7, 18))
    with pytest.raises(BusinessError) as exc:
        services.sign_contract(actor=world.officer, number=project.number,
                               on=date(2025, 8, 3), **sign)
    assert exc.value.code == "contract_signing_late"
    assert not Contract.objects.exists()
    contract = services.sign_contract(actor=world.officer, number=project.number,
                                      on=date(2025, 8, 2), **sign)
    assert contract.value_fen == 28_000_000 and contract.no_subcontracting
    # the budget keeps the price, not the estimate
    assert committed(world) == 28_000_000


def test_a_contract_longer_than_a_year_needs_a_reason_and_three_years_at_most(
        world: World) -> None:
    project, _bids = awarded(world)
    long_term = dict(starts_on=date(2025, 8, 1), ends_on=date(2027, 7, 31),
                     milestones=MILESTONES, on=date(2025, 7, 20))
    with pytest.raises(BusinessError) as exc:
        services.sign_contract(actor=world.officer, number=project.number, **long_term)
    assert exc.value.code == "contract_term_reason_required"
    assert str(exc.value.message) == (
        "合同期限 24 个月，超过规定（合同履行期限一般不超过 12 个月）："
        "请记录理由（服务内容固定、连续性强、经费来源稳定）"
        "（《政府购买服务管理办法》（财政部令第102号）第二十四条（引用未核实））。")
    assert not Contract.objects.exists()
    project.refresh_from_db()
    assert project.state == "awarded"
    with pytest.raises(BusinessError) as exc:
        services.sign_contract(actor=world.officer, number=project.number,
                               **{**long_term, "ends_on": date(2028, 8, 31)},
                               term_reason="连续性服务")
    assert exc.value.code == "contract_term_too_long"
    contract = services.sign_contract(actor=world.officer, number=project.number,
                                      term_reason="居家养老服务连续性强，经费纳入三年滚动预算", **long_term)
    assert contract.ends_on == date(2027, 7, 31)


# -- delivery and payment -------------------------------------------------------------


def test_payments_follow_acceptance_and_never_exceed_the_contract(world: World) -> None:
    contract = contracted(world)
    first, _second = list(contract.milestones.all())
    with pytest.raises(BusinessError) as exc:
        services.pay(actor=world.officer, contract_id=contract.pk, milestone_id=first.pk,
                     amount_fen=14_000_000, on=date(2025, 12, 1))
    assert exc.value.code == "milestone_not_accepted"
    services.deliver(actor=world.org_user, contract_id=contract.pk, milestone_id=first.pk,
                     note="服务老人 120 户，上门 2,400 人次。", on=date(2025, 12, 20))
    services.accept(actor=world.officer, contract_id=contract.pk, milestone_id=first.pk,
                    on=date(2025, 12, 25))
    services.pay(actor=world.officer, contract_id=contract.pk, milestone_id=first.pk,
                 amount_fen=14_000_000, on=date(2025, 12, 30))
    with pytest.raises(BusinessError) as exc:
        services.pay(actor=world.officer, contract_id=contract.pk, milestone_id=first.pk,
                     amount_fen=14_000_001, on=date(2025, 12, 31))
    assert exc.value.code == "payment_over_contract_value"
    assert str(exc.value.message) == (
        "支付 140,000.01 元将使累计支付达到 280,000.01 元，超过合同金额 280,000 元：按合同约定、验收后支付"
        "（《政府采购法实施条例》第四十五条、第五十一条）。")
    assert Payment.objects.count() == 1
    assert Contract.objects.get(pk=contract.pk).paid_fen == 14_000_000


def test_supplementary_contracts_stay_within_ten_per_cent(world: World) -> None:
    contract = contracted(world)
    with pytest.raises(BusinessError) as exc:
        services.change(actor=world.officer, contract_id=contract.pk, kind="value",
                        value_fen=30_800_001, reason="增加服务对象", on=date(2025, 10, 1))
    assert exc.value.code == "change_over_limit"
    assert "《政府采购法》第四十九条" in str(exc.value.message)
    services.change(actor=world.officer, contract_id=contract.pk, kind="value",
                    value_fen=30_800_000, reason="增加服务对象", on=date(2025, 10, 1))
    assert committed(world) == 30_800_000


def test_a_finished_contract_is_evaluated_and_goes_on_the_organisation_record(
        world: World) -> None:
    from shequ.orgs.models import OrgEvent
    from shequ.orgs.texts import TEXTS

    contract = contracted(world)
    for m in contract.milestones.all():
        services.deliver(actor=world.org_user, contract_id=contract.pk, milestone_id=m.pk,
                         note="按期交付。", on=m.due_on)
        services.accept(actor=world.officer, contract_id=contract.pk, milestone_id=m.pk,
                        on=m.due_on)
        services.pay(actor=world.officer, contract_id=contract.pk, milestone_id=m.pk,
                     amount_fen=m.amount_fen, on=m.due_on)
    with pytest.raises(BusinessError) as exc:
        services.evaluate_performance(actor=world.officer, contract_id=contract.pk, score=92,
                                      evaluated_by="third_party", evaluator_name="成都社会工作评估中心",
                                      on=date(2026, 7, 1))
    assert exc.value.code == "contract_closed"
    services.complete(actor=world.officer, contract_id=contract.pk, on=date(2026, 7, 31))
    perf = services.evaluate_performance(actor=world.officer, contract_id=contract.pk, score=92,
                                         evaluated_by="third_party",
                                         evaluator_name="成都社会工作评估中心", on=date(2026, 8, 15))
    assert perf.grade == "excellent"
    assert Project.objects.get(pk=contract.project_id).state == "completed"
    event = OrgEvent.objects.filter(org_id=contract.org_id, action="performance").get()
    assert TEXTS.render(event.text) == "购买服务项目“春熙路街道居家养老上门服务”：第三方绩效评价 92 分。"


def test_termination_gives_the_unpaid_money_back(world: World) -> None:
    contract = contracted(world)
    with pytest.raises(BusinessError) as exc:
        services.terminate(actor=world.officer, contract_id=contract.pk, reason=" ",
                           on=date(2025, 9, 1))
    assert exc.value.code == "reason_required"
    services.terminate(actor=world.officer, contract_id=contract.pk, reason="服务对象整体搬迁",
                       on=date(2025, 9, 1))
    assert committed(world) == 0
    assert Project.objects.get(pk=contract.project_id).state == "completed"


def test_every_step_is_audited(world: World) -> None:
    contracted(world)
    actions = set(AuditEntry.objects.filter(action__startswith="procurement.")
                  .values_list("action", flat=True))
    assert {"procurement.project.create", "procurement.project.publish",
            "procurement.bid.submit", "procurement.project.close", "procurement.score.enter",
            "procurement.project.award", "procurement.project.sign"} <= actions


def test_a_bid_is_withdrawn_only_before_the_deadline(world: World) -> None:
    project = open_project(world)
    bid = services.submit_bid(actor=world.org_user, number=project.number,
                              org_id=world.orgs[0].pk, price_fen=1_000_000, on=date(2025, 6, 10))
    with pytest.raises(BusinessError) as exc:
        services.withdraw_bid(actor=world.org_user, number=project.number, bid_id=bid.pk,
                              on=date(2025, 7, 1))
    assert exc.value.code == "period_closed"
    services.withdraw_bid(actor=world.org_user, number=project.number, bid_id=bid.pk,
                          on=date(2025, 6, 11))
    assert Bid.objects.get(pk=bid.pk).state == "withdrawn"
    with pytest.raises(BusinessError) as exc:
        services.submit_bid(actor=world.org_user, number=project.number,
                            org_id=world.orgs[0].pk, price_fen=900_000, on=date(2025, 6, 12))
    assert exc.value.code == "bid_exists"
