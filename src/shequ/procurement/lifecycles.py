"""The lifecycles of ``procurement``: project, contract, milestone. Every date the law ties
a step to is a guard here (ADR 0901)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.utils.translation import gettext_lazy as _

from shequ.core.calendar import get_calendar
from shequ.core.errors import BusinessError
from shequ.lifecycle import Ctx, Lifecycle, Step, refuse
from shequ.procurement import rules
from shequ.procurement.enums import Code, Perm
from shequ.procurement.models import (
    TENDERS,
    Action,
    BidState,
    ComplaintState,
    Contract,
    ContractAction,
    ContractState,
    Method,
    Milestone,
    MilestoneAction,
    MilestoneState,
    Project,
    State,
)


def _rule(obj: Any, key: str) -> rules.Rule:
    return rules.profile(obj.area_code).rule(key)


# -- publishing -------------------------------------------------------------------------


def period_long_enough(actor: Any, project: Project, ctx: Ctx) -> BusinessError | None:
    """Tender: at least 20 days from issuing the documents to the bid deadline (采购法
    第三十五条; the first day not counted, ADR 0901). Single source: the supplier is
    announced at least 5 working days before (实施条例 第三十八条). Negotiation and
    quotation: 3 working days (unverified)."""
    deadline = project.bid_deadline
    if deadline is None:  # asked before the deadline is given: the button shows
        return None
    if project.method in TENDERS:
        rule = _rule(project, "tender_days")
        earliest = ctx.on + timedelta(days=int(rule.value))
    else:
        key = ("single_source_notice_days" if project.method == Method.SINGLE
               else "negotiation_days")
        rule = _rule(project, key)
        earliest = get_calendar().add(ctx.on, int(rule.value))
    if deadline < earliest:
        code = Code.NOTICE_PERIOD if project.method == Method.SINGLE else Code.TENDER_PERIOD
        return refuse(_("The deadline %(deadline)s is too early: %(rule)s is %(value)s, so "
                        "the earliest deadline is %(earliest)s (%(source)s).")
                      % {"deadline": deadline, "rule": rule.label, "value": rule.display(),
                         "earliest": earliest, "source": rule.source()},
                      code, earliest=earliest.isoformat())
    return None


def has_criteria(actor: Any, project: Project, ctx: Ctx) -> BusinessError | None:
    if project.method == Method.SINGLE:
        return None
    total = sum(project.criteria.values_list("weight", flat=True))
    rule = _rule(project, "weights_total")
    if total != int(rule.value):
        return refuse(_("The weights of the evaluation criteria add up to %(total)s, not "
                        "%(value)s (%(source)s).")
                      % {"total": total, "value": rule.value, "source": rule.source()},
                      Code.WEIGHTS, total=total)
    return None


# -- closing ----------------------------------------------------------------------------


def deadline_passed(actor: Any, project: Project, ctx: Ctx) -> BusinessError | None:
    if project.bid_deadline is not None and ctx.on <= project.bid_deadline:
        return refuse(_("Bids are open until %(deadline)s; bidding closes after that day.")
                      % {"deadline": project.bid_deadline}, Code.PERIOD_OPEN)
    return None


def enough_bids(actor: Any, project: Project, ctx: Ctx) -> BusinessError | None:
    count = project.bids.filter(state=BidState.SUBMITTED).count()
    if project.method == Method.SINGLE:
        needed = 1
        rule = None
    else:
        rule = _rule(project, "min_bidders")
        needed = int(rule.value)
    if count < needed:
        if rule is None:
            return refuse(_("The single supplier has not submitted its offer."),
                          Code.TOO_FEW_BIDS)
        return refuse(_("Only %(n)s qualified bids: %(rule)s is %(value)s (%(source)s). "
                        "Cancel the project and tender again.")
                      % {"n": count, "rule": rule.label, "value": rule.display(),
                         "source": rule.source()}, Code.TOO_FEW_BIDS, bids=count)
    return None


# -- award --------------------------------------------------------------------------------


def award_in_time(actor: Any, project: Project, ctx: Ctx) -> BusinessError | None:
    if project.closed_on is None:
        return None
    rule = _rule(project, "award_days")
    last = get_calendar().add(project.closed_on, int(rule.value))
    if ctx.on > last:
        return refuse(_("The award was due by %(last)s: %(rule)s %(value)s (%(source)s).")
                      % {"last": last, "rule": rule.label, "value": rule.display(),
                         "source": rule.source()}, Code.AWARD_LATE, last=last.isoformat())
    return None


def evaluation_complete(actor: Any, project: Project, ctx: Ctx) -> BusinessError | None:
    """Every bid ranked (the services rank once every score is in)."""
    if project.method == Method.SINGLE:
        return None
    if project.bids.filter(state=BidState.SUBMITTED, rank__isnull=True).exists():
        return refuse(_("Some scores are missing: every member without an interest scores "
                        "every bid on every criterion before the award."), Code.SCORES_MISSING)
    return None


# -- signing ----------------------------------------------------------------------------


def standstill_over(actor: Any, project: Project, ctx: Ctx) -> BusinessError | None:
    if project.standstill_until is not None and ctx.on <= project.standstill_until:
        rule = _rule(project, "question_days")
        return refuse(_("Suppliers may question the award until %(until)s (%(rule)s "
                        "%(value)s, %(source)s); sign after that day.")
                      % {"until": project.standstill_until, "rule": rule.label,
                         "value": rule.display(), "source": rule.source()}, Code.STANDSTILL)
    return None


def no_open_complaint(actor: Any, project: Project, ctx: Ctx) -> BusinessError | None:
    if project.complaints.filter(state=ComplaintState.OPEN).exists():
        rule = _rule(project, "open_question_stops_signing")
        return refuse(_("A written question is still unanswered: %(rule)s (%(source)s).")
                      % {"rule": rule.label, "source": rule.source()}, Code.COMPLAINT_OPEN)
    return None


def sign_in_time(actor: Any, project: Project, ctx: Ctx) -> BusinessError | None:
    if project.awarded_on is None:
        return None
    rule = _rule(project, "sign_days")
    last = project.awarded_on + timedelta(days=int(rule.value))
    if ctx.on > last:
        return refuse(_("The contract had to be signed by %(last)s: %(rule)s %(value)s "
                        "(%(source)s).") % {"last": last, "rule": rule.label,
                                            "value": rule.display(), "source": rule.source()},
                      Code.SIGN_LATE, last=last.isoformat())
    return None


def term_allowed(actor: Any, project: Project, ctx: Ctx) -> BusinessError | None:
    """Normally one year; up to three with a recorded reason (财政部令第102号 第二十四条)."""
    starts, ends = ctx.inputs.get("starts_on"), ctx.inputs.get("ends_on")
    if not isinstance(starts, date) or not isinstance(ends, date):
        return None
    return check_term(project.area_code, starts, ends, str(ctx.inputs.get("reason") or ""))


def check_term(area_code: str, starts: date, ends: date, reason: str) -> BusinessError | None:
    profile = rules.profile(area_code)
    if ends < starts:
        return refuse(_("The contract cannot end before it starts."), Code.BAD_DATE)
    months = rules.months_between(starts, ends)
    normal, longest = profile.rule("term_months"), profile.rule("term_max_months")
    if months > int(longest.value):
        return refuse(_("A term of %(n)s months is longer than %(rule)s %(value)s "
                        "(%(source)s).") % {"n": months, "rule": longest.label,
                                            "value": longest.display(),
                                            "source": longest.source()},
                      Code.TERM_TOO_LONG, months=months)
    if months > int(normal.value) and not reason.strip():
        return refuse(_("A term of %(n)s months is longer than %(rule)s %(value)s: record "
                        "why (a stable, continuing service with a secured budget) "
                        "(%(source)s).") % {"n": months, "rule": normal.label,
                                            "value": normal.display(),
                                            "source": normal.source()},
                      Code.TERM_REASON, months=months)
    return None


def contract_finished(actor: Any, project: Project, ctx: Ctx) -> BusinessError | None:
    contract = Contract.objects.filter(project=project).first()
    if contract is None or contract.state == ContractState.ACTIVE:
        return refuse(_("The contract is still in force."), Code.CONTRACT_CLOSED)
    return None


PROJECT: Lifecycle[Project] = Lifecycle(
    "procurement.project", noun=_("purchase project"), states=State, actions=Action,
    steps=[
        Step(Action.PUBLISH, (State.DRAFT,), State.TENDERING, perm=Perm.BUY,
             guards=(has_criteria, period_long_enough)),
        Step(Action.CLOSE, (State.TENDERING,), State.EVALUATING, perm=Perm.BUY,
             guards=(deadline_passed, enough_bids)),
        Step(Action.AWARD, (State.EVALUATING,), State.AWARDED, perm=Perm.BUY,
             guards=(evaluation_complete, award_in_time)),
        Step(Action.SIGN, (State.AWARDED,), State.CONTRACTED, perm=Perm.BUY,
             guards=(standstill_over, no_open_complaint, sign_in_time, term_allowed)),
        Step(Action.COMPLETE, (State.CONTRACTED,), State.COMPLETED, perm=Perm.BUY,
             guards=(contract_finished,)),
        Step(Action.CANCEL, (State.DRAFT, State.TENDERING, State.EVALUATING, State.AWARDED),
             State.CANCELLED, perm=Perm.BUY),
    ])


# -- contracts ----------------------------------------------------------------------------


def all_milestones_accepted(actor: Any, contract: Contract, ctx: Ctx) -> BusinessError | None:
    if contract.milestones.exclude(state=MilestoneState.ACCEPTED).exists():
        return refuse(_("Some milestones have not been accepted yet."), Code.MILESTONE_NOT_ACCEPTED)
    return None


def reason_given(actor: Any, contract: Contract, ctx: Ctx) -> BusinessError | None:
    if not str(ctx.inputs.get("reason") or "").strip():
        return refuse(_("Give the reason for terminating the contract (采购法第五十条)."),
                      Code.REASON_REQUIRED)
    return None


CONTRACT: Lifecycle[Contract] = Lifecycle(
    "procurement.contract", noun=_("contract"), states=ContractState, actions=ContractAction,
    steps=[
        Step(ContractAction.CHANGE, (ContractState.ACTIVE,), None, perm=Perm.BUY),
        Step(ContractAction.COMPLETE, (ContractState.ACTIVE,), ContractState.COMPLETED,
             perm=Perm.BUY, guards=(all_milestones_accepted,)),
        Step(ContractAction.TERMINATE, (ContractState.ACTIVE,), ContractState.TERMINATED,
             perm=Perm.BUY, guards=(reason_given,)),
    ])


def _supplier(actor: Any, milestone: Milestone) -> bool:
    from shequ.orgs import facade as orgs

    return milestone.contract.org_id in orgs.orgs_of_user(actor)


def contract_active(actor: Any, milestone: Milestone, ctx: Ctx) -> BusinessError | None:
    if milestone.contract.state != ContractState.ACTIVE:
        return refuse(_("The contract is no longer in force."), Code.CONTRACT_CLOSED)
    return None


MILESTONE: Lifecycle[Milestone] = Lifecycle(
    "procurement.milestone", noun=_("milestone"), states=MilestoneState,
    actions=MilestoneAction,
    steps=[
        Step(MilestoneAction.DELIVER, (MilestoneState.PENDING,), MilestoneState.DELIVERED,
             perm=Perm.BUY, also=_supplier, guards=(contract_active,)),
        Step(MilestoneAction.ACCEPT, (MilestoneState.DELIVERED,), MilestoneState.ACCEPTED,
             perm=Perm.BUY, guards=(contract_active,)),
    ])
