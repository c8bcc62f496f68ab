"""Contracts: signing with milestones, delivery and acceptance, payments against accepted
milestones, supplementary contracts, termination, completion and the performance
evaluation that goes on the organisation's record."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from shequ import authz
from shequ.audit.services import record
from shequ.core.errors import BusinessError, Conflict, NotFound
from shequ.orgs import facade as orgs
from shequ.procurement import rules
from shequ.procurement.enums import AuditAction, Code, Perm
from shequ.procurement.lifecycles import CONTRACT, MILESTONE, PROJECT, check_term
from shequ.procurement.models import (
    Action,
    BidState,
    ChangeKind,
    Contract,
    ContractAction,
    ContractChange,
    ContractState,
    EvaluatorOf,
    Milestone,
    MilestoneAction,
    Payment,
    Performance,
    grade_of,
)
from shequ.procurement.services._common import (
    commit,
    fen,
    locked_contract,
    locked_line,
    locked_project,
    text,
    today,
    yuan,
)

MilestoneSpec = tuple[str, str, date, int]  # title, deliverable, due on, payment (fen)


def sign_contract(*, actor: Any, number: str, starts_on: date, ends_on: date,
                  milestones: Sequence[MilestoneSpec], term_reason: str = "",
                  no_subcontracting: bool = True, on: date | None = None) -> Contract:
    """Sign the written contract with the winner at its price, after the standstill and
    within 30 days of the award notice (采购法 第四十六条); the term is normally up to a
    year, up to three with a recorded reason. Milestones share out the payments; the part
    of the budget the price leaves unused goes back to the line."""
    day = today(on)
    with transaction.atomic():
        project = locked_project(number)
        PROJECT.check(actor, project, Action.SIGN, on=day, starts_on=starts_on,
                      ends_on=ends_on, reason=term_reason)
        winner = project.bids.filter(state=BidState.WON).first()
        if winner is None:
            raise Conflict(_("The project has no winning bid."), code=Code.UNKNOWN_BID)
        if not milestones:
            raise BusinessError(_("A contract has at least one milestone."),
                                code=Code.UNKNOWN_MILESTONE)
        amounts = [fen(m[3], _("A milestone's payment")) for m in milestones]
        if sum(amounts) > winner.price_fen:
            raise BusinessError(
                _("The milestones' payments add up to %(sum)s yuan, more than the contract's "
                  "%(value)s yuan (《政府采购法实施条例》第五十一条).")
                % {"sum": yuan(sum(amounts)), "value": yuan(winner.price_fen)},
                code=Code.MILESTONES_OVER_VALUE)
        for _t, _d, due, _a in milestones:
            if not starts_on <= due <= ends_on:
                raise BusinessError(_("Every milestone falls within the contract's term."),
                                    code=Code.BAD_DATE)
        contract = Contract.objects.create(
            project=project, org_id=winner.org_id, bid=winner, area_code=project.area_code,
            value_fen=winner.price_fen, original_value_fen=winner.price_fen, signed_on=day,
            starts_on=starts_on, ends_on=ends_on, term_reason=term_reason.strip(),
            no_subcontracting=no_subcontracting)
        Milestone.objects.bulk_create(
            Milestone(contract=contract, seq=i, title=text(t, _("a milestone"), 80),
                      deliverable=text(d, _("the deliverable"), 200), due_on=due, amount_fen=a,
                      area_code=project.area_code)
            for i, (t, d, due, a) in enumerate(milestones, 1))
        line = locked_line(project.budget_line_id)
        commit(line, winner.price_fen - project.budget_fen)
        PROJECT.move(actor=actor, obj=project, action=Action.SIGN, on=day, checked=True,
                     changes={"contract": contract.pk, "value_fen": contract.value_fen,
                              "starts_on": starts_on, "ends_on": ends_on})
    return contract


def _milestone(contract_id: int, milestone_id: int) -> Milestone:
    milestone = (Milestone.objects.select_for_update().select_related("contract")
                 .filter(pk=milestone_id, contract_id=contract_id).first())
    if milestone is None:
        raise NotFound(_("No such milestone on this contract."), code=Code.UNKNOWN_MILESTONE)
    return milestone


def deliver(*, actor: Any, contract_id: int, milestone_id: int, note: str,
            on: date | None = None) -> Milestone:
    """The supplier (or the buyer for it) reports what was delivered."""
    day = today(on)
    body = text(note, _("what was delivered"), 2000)
    with transaction.atomic():
        milestone = _milestone(contract_id, milestone_id)
        milestone.delivered_on, milestone.delivery_note = day, body
        MILESTONE.move(actor=actor, obj=milestone, action=MilestoneAction.DELIVER, on=day)
    return milestone


def accept(*, actor: Any, contract_id: int, milestone_id: int,
           on: date | None = None) -> Milestone:
    """The buyer's acceptance against the contract's standards (实施条例 第四十五条)."""
    day = today(on)
    with transaction.atomic():
        milestone = _milestone(contract_id, milestone_id)
        milestone.accepted_on = day
        MILESTONE.move(actor=actor, obj=milestone, action=MilestoneAction.ACCEPT, on=day)
    return milestone


def pay(*, actor: Any, contract_id: int, milestone_id: int, amount_fen: int,
        on: date | None = None) -> Payment:
    """A payment against an accepted milestone; all payments together never exceed the
    contract's value (实施条例 第五十一条)."""
    day = today(on)
    amount_fen = fen(amount_fen, _("The payment"))
    with transaction.atomic():
        contract = locked_contract(contract_id)
        authz.check(actor, Perm.PAY, contract.area_code)
        rule = rules.profile(contract.area_code).rule("pay_per_contract")
        if contract.state == ContractState.TERMINATED:
            raise Conflict(_("The contract was terminated."), code=Code.CONTRACT_CLOSED)
        if contract.paid_fen + amount_fen > contract.value_fen:
            raise BusinessError(
                _("Paying %(amount)s yuan would bring the payments to %(total)s yuan, beyond "
                  "the contract's value of %(value)s yuan: %(rule)s (%(source)s).")
                % {"amount": yuan(amount_fen), "total": yuan(contract.paid_fen + amount_fen),
                   "value": yuan(contract.value_fen), "rule": rule.label,
                   "source": rule.source()},
                code=Code.PAYMENT_OVER_VALUE,
                details={"paid_fen": contract.paid_fen, "value_fen": contract.value_fen})
        milestone = _milestone(contract.pk, milestone_id)
        if milestone.state != "accepted":
            raise BusinessError(_("“%(m)s” has not been accepted; payment follows acceptance: "
                                  "%(rule)s (%(source)s).")
                                % {"m": milestone.title, "rule": rule.label,
                                   "source": rule.source()},
                                code=Code.MILESTONE_NOT_ACCEPTED)
        paid = milestone.payments.aggregate(s=Sum("amount_fen"))["s"] or 0
        if paid + amount_fen > milestone.amount_fen:
            raise BusinessError(
                _("“%(m)s” is worth %(value)s yuan and %(paid)s yuan has been paid against it.")
                % {"m": milestone.title, "value": yuan(milestone.amount_fen), "paid": yuan(paid)},
                code=Code.PAYMENT_OVER_MILESTONE)
        payment = Payment.objects.create(contract=contract, milestone=milestone,
                                         amount_fen=amount_fen, paid_on=day,
                                         area_code=contract.area_code)
        contract.paid_fen += amount_fen
        contract.save(update_fields=["paid_fen"])
        record(actor=actor, action=AuditAction.PAYMENT_RECORD, obj=payment,
               area_code=contract.area_code,
               changes={"contract": contract.pk, "milestone": milestone.seq,
                        "amount_fen": amount_fen, "paid_fen": contract.paid_fen})
    return payment


def change(*, actor: Any, contract_id: int, kind: str, reason: str, value_fen: int | None = None,
           ends_on: date | None = None, on: date | None = None) -> ContractChange:
    """A supplementary contract adding value (all of them together at most 10% of the
    original, 采购法 第四十九条, from the same budget line) or a new end date (within the
    term rules)."""
    day = today(on)
    reason = text(reason, _("the reason"), 2000)
    with transaction.atomic():
        contract = locked_contract(contract_id)
        CONTRACT.check(actor, contract, ContractAction.CHANGE, on=day)
        profile = rules.profile(contract.area_code)
        if kind == ChangeKind.VALUE:
            new = fen(value_fen, _("The new value"))
            rule = profile.rule("supplement_percent")
            limit = contract.original_value_fen * (100 + int(rule.value)) // 100
            if new > limit:
                raise BusinessError(
                    _("The new value %(new)s yuan is more than %(value)s above the original "
                      "%(orig)s yuan: %(rule)s (%(source)s).")
                    % {"new": yuan(new), "value": rule.display(),
                       "orig": yuan(contract.original_value_fen), "rule": rule.label,
                       "source": rule.source()}, code=Code.CHANGE_OVER_LIMIT)
            if new < contract.paid_fen:
                raise BusinessError(_("The new value is below what has been paid."),
                                    code=Code.BAD_AMOUNT)
            line = locked_line(contract.project.budget_line_id)
            commit(line, new - contract.value_fen)
            old, contract.value_fen = str(contract.value_fen), new
            row = ContractChange.objects.create(contract=contract, kind=kind, on=day, old=old,
                                                new=str(new), reason=reason)
        elif kind == ChangeKind.END:
            if ends_on is None:
                raise BusinessError(_("Give the new end date."), code=Code.BAD_DATE)
            problem = check_term(contract.area_code, contract.starts_on, ends_on,
                                 contract.term_reason or reason)
            if problem is not None:
                raise problem
            old, contract.ends_on = contract.ends_on.isoformat(), ends_on
            row = ContractChange.objects.create(contract=contract, kind=kind, on=day, old=old,
                                                new=ends_on.isoformat(), reason=reason)
        else:
            raise BusinessError(_("Choose what changes."), code=Code.BAD_AMOUNT)
        CONTRACT.move(actor=actor, obj=contract, action=ContractAction.CHANGE, on=day,
                      checked=True, changes={"kind": kind, "old": row.old, "new": row.new})
    return row


def terminate(*, actor: Any, contract_id: int, reason: str, on: date | None = None) -> Contract:
    """End the contract early (采购法 第五十条); what was not paid goes back to the line."""
    day = today(on)
    with transaction.atomic():
        contract = locked_contract(contract_id)
        CONTRACT.check(actor, contract, ContractAction.TERMINATE, on=day, reason=reason)
        contract.ended_on, contract.termination_reason = day, reason.strip()
        line = locked_line(contract.project.budget_line_id)
        commit(line, contract.paid_fen - contract.value_fen)
        contract.value_fen = contract.paid_fen
        CONTRACT.move(actor=actor, obj=contract, action=ContractAction.TERMINATE, on=day,
                      checked=True, changes={"reason": contract.termination_reason})
        project = locked_project(contract.project.number)
        project.closed_on = project.closed_on or day
        PROJECT.move(actor=actor, obj=project, action=Action.COMPLETE, on=day)
    return contract


def complete(*, actor: Any, contract_id: int, on: date | None = None) -> Contract:
    """Every milestone accepted: the contract and the project are complete."""
    day = today(on)
    with transaction.atomic():
        contract = locked_contract(contract_id)
        contract.ended_on = day
        CONTRACT.move(actor=actor, obj=contract, action=ContractAction.COMPLETE, on=day)
        project = locked_project(contract.project.number)
        PROJECT.move(actor=actor, obj=project, action=Action.COMPLETE, on=day)
    return contract


def evaluate_performance(*, actor: Any, contract_id: int, score: int, evaluated_by: str,
                         evaluator_name: str, summary: str = "",
                         on: date | None = None) -> Performance:
    """The performance evaluation of an ended contract, by the buyer or a third party
    (财政部令第102号 第二十九条); it goes on the organisation's record."""
    day = today(on)
    if evaluated_by not in EvaluatorOf.values:
        raise BusinessError(_("Say who evaluated: the buyer or a third party."),
                            code=Code.REASON_REQUIRED)
    if isinstance(score, bool) or not isinstance(score, int) or not 0 <= score <= 100:
        raise BusinessError(_("A score is a whole number from 0 to 100."), code=Code.BAD_SCORE)
    name = text(evaluator_name, _("the evaluator"), 80)
    with transaction.atomic():
        contract = locked_contract(contract_id)
        authz.check(actor, Perm.EVALUATE, contract.area_code)
        if contract.state == ContractState.ACTIVE:
            raise Conflict(_("The performance is evaluated once the contract has ended."),
                           code=Code.CONTRACT_CLOSED)
        if Performance.objects.filter(contract=contract).exists():
            raise Conflict(_("This contract's performance has been evaluated."),
                           code=Code.EVALUATED)
        perf = Performance.objects.create(contract=contract, evaluated_by=evaluated_by,
                                          evaluator_name=name, score=score, on=day,
                                          summary=summary.strip(), area_code=contract.area_code)
        orgs.record_performance(contract.org_id, on=day, title=contract.project.title,
                                score=score, grade=grade_of(score),
                                third_party=evaluated_by == EvaluatorOf.THIRD_PARTY,
                                actor=actor)
        record(actor=actor, action=AuditAction.PERFORMANCE_RECORD, obj=perf,
               area_code=contract.area_code,
               changes={"contract": contract.pk, "score": score, "by": evaluated_by})
    return perf
