"""Projects: creation from a catalogue item and a budget line, publication, enquiries,
bids, the evaluation committee and its scores, award, questions (质疑) and cancellation."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from shequ import authz
from shequ.audit.services import record
from shequ.core.calendar import get_calendar
from shequ.core.errors import BusinessError, Conflict, Forbidden, NotFound
from shequ.orgs import facade as orgs
from shequ.procurement import rules
from shequ.procurement.enums import AuditAction, Code, Perm
from shequ.procurement.lifecycles import PROJECT
from shequ.procurement.models import (
    Action,
    Bid,
    BidState,
    CancelReason,
    CatalogueItem,
    Complaint,
    ComplaintState,
    Criterion,
    Enquiry,
    Evaluator,
    EvaluatorKind,
    Method,
    Project,
    ProjectCounter,
    Score,
    State,
)
from shequ.procurement.services._common import (
    bid_of,
    commit,
    eligibility_problems,
    fen,
    locked_line,
    locked_project,
    text,
    today,
)


def _next_number(year: int) -> str:
    counter, _created = ProjectCounter.objects.select_for_update().get_or_create(year=year)
    ProjectCounter.objects.filter(pk=counter.pk).update(last=F("last") + 1)
    counter.refresh_from_db(fields=["last"])
    return f"JJ{year}-{counter.last:04d}"


def create_project(*, actor: Any, budget_line_id: int, item_id: int, title: str, method: str,
                   budget_fen: int, method_reason: str = "", description: str = "",
                   single_supplier_id: int | None = None, legal_person_only: bool = True,
                   min_grade: int | None = None, on: date | None = None) -> Project:
    """A draft project: an item of a published catalogue, bought with money committed from
    one of the buyer's budget lines (no budget, no project). A method other than a public
    tender records its reason (采购法 第四十二条第三款第（三）项); single source names the
    supplier."""
    day = today(on)
    title = text(title, _("the project's title"), 120)
    budget_fen = fen(budget_fen, _("The project's budget"))
    if method not in Method.values:
        raise BusinessError(_("Choose a procurement method."), code=Code.REASON_REQUIRED)
    method_reason = (method_reason or "").strip()
    if method != Method.OPEN and not method_reason:
        raise BusinessError(
            _("A purchase by %(method)s records why a public tender is not used "
              "(《政府采购法》第四十二条第三款第（三）项).") % {"method": Method(method).label},
            code=Code.REASON_REQUIRED)
    if method == Method.SINGLE and not single_supplier_id:
        raise BusinessError(_("A single-source purchase names its supplier."),
                            code=Code.SINGLE_SUPPLIER)
    if min_grade is not None and not 1 <= int(min_grade) <= 5:
        raise BusinessError(_("A grade is 1A to 5A."), code=Code.BAD_AMOUNT)
    item = (CatalogueItem.objects.select_related("category__catalogue")
            .filter(pk=item_id).first())
    if item is None:
        raise NotFound(_("No such catalogue item."), code=Code.UNKNOWN_ITEM)
    published = item.category.catalogue.published_on
    if published is None or published > day:
        raise BusinessError(_("Only services in the published guidance catalogue are bought "
                              "(《政府购买服务管理办法》第十四条, 引用未核实)."),
                            code=Code.ITEM_NOT_IN_CATALOGUE)
    with transaction.atomic():
        line = locked_line(budget_line_id)
        authz.check(actor, Perm.BUY, line.area_code)
        commit(line, budget_fen)
        project = Project.objects.create(
            number=_next_number(line.year), title=title, description=description.strip(),
            buyer=line.buyer, budget_line=line, item=item, area_code=line.area_code,
            year=line.year, method=method, method_reason=method_reason, budget_fen=budget_fen,
            legal_person_only=legal_person_only, min_grade=min_grade,
            single_supplier_id=single_supplier_id if method == Method.SINGLE else None,
            created_on=day, rules_version=rules.profile(line.area_code).version)
        record(actor=actor, action=AuditAction.PROJECT_CREATE, obj=project,
               area_code=project.area_code,
               changes={"number": project.number, "item": item.code, "method": method,
                        "budget_fen": budget_fen, "budget_line": line.pk})
    return project


def set_criteria(*, actor: Any, number: str, criteria: Sequence[tuple[str, int]]) -> Project:
    """The weighted evaluation criteria of a draft project; the weights add up to 100."""
    with transaction.atomic():
        project = locked_project(number)
        authz.check(actor, Perm.BUY, project.area_code)
        if project.state != State.DRAFT:
            raise Conflict(_("The criteria are fixed once the project is published."),
                           code=Code.CRITERIA_FIXED)
        rule = rules.profile(project.area_code).rule("weights_total")
        clean = [(text(name, _("a criterion"), 60), int(weight)) for name, weight in criteria]
        if any(w <= 0 for _n, w in clean):
            raise BusinessError(_("Every criterion has a weight above 0."), code=Code.WEIGHTS)
        total = sum(w for _n, w in clean)
        if total != int(rule.value):
            raise BusinessError(
                _("The weights of the evaluation criteria add up to %(total)s, not %(value)s "
                  "(%(source)s).") % {"total": total, "value": rule.value,
                                      "source": rule.source()},
                code=Code.WEIGHTS, details={"total": total})
        project.criteria.all().delete()
        Criterion.objects.bulk_create(Criterion(project=project, seq=i, name=n, weight=w)
                                      for i, (n, w) in enumerate(clean, 1))
        record(actor=actor, action=AuditAction.CRITERIA_SET, obj=project,
               area_code=project.area_code, changes={"criteria": [list(c) for c in clean]})
    return project


def publish(*, actor: Any, number: str, bid_deadline: date, on: date | None = None) -> Project:
    """Publish the project with its documents; bids are received until ``bid_deadline``."""
    day = today(on)
    with transaction.atomic():
        project = locked_project(number)
        project.bid_deadline, project.published_on = bid_deadline, day
        PROJECT.move(actor=actor, obj=project, action=Action.PUBLISH, on=day,
                     changes={"bid_deadline": bid_deadline})
    return project


# -- enquiries ----------------------------------------------------------------------------


def _acting_org(actor: Any, org_id: int) -> None:
    authz.check(actor, Perm.BID)
    if org_id not in orgs.orgs_of_user(actor) and not isinstance(actor, authz.SystemActor):
        raise Forbidden(_("You do not act for this organisation."), code=Code.NOT_OPERATOR)


def ask(*, actor: Any, number: str, org_id: int, question: str,
        on: date | None = None) -> Enquiry:
    """A supplier's enquiry on the documents, answered within 3 working days (实施条例
    第五十二条)."""
    day = today(on)
    _acting_org(actor, org_id)
    question = text(question, _("the question"), 2000)
    with transaction.atomic():
        project = locked_project(number)
        if project.state != State.TENDERING:
            raise Conflict(_("Enquiries are taken while the project is open for bids."),
                           code=Code.PERIOD_CLOSED)
        days = rules.profile(project.area_code).number("enquiry_days")
        enquiry = Enquiry.objects.create(project=project, org_id=org_id, question=question,
                                         asked_on=day, due_on=get_calendar().add(day, days),
                                         area_code=project.area_code)
        record(actor=actor, action=AuditAction.ENQUIRY_ASK, obj=enquiry,
               area_code=project.area_code, changes={"project": project.number})
    return enquiry


def answer(*, actor: Any, enquiry_id: int, answer: str, on: date | None = None) -> Enquiry:
    day = today(on)
    body = text(answer, _("the answer"), 4000)
    with transaction.atomic():
        enquiry = Enquiry.objects.select_for_update().filter(pk=enquiry_id).first()
        if enquiry is None:
            raise NotFound(_("No such enquiry."), code=Code.UNKNOWN_PROJECT)
        authz.check(actor, Perm.BUY, enquiry.area_code)
        if enquiry.answered_on is not None:
            raise Conflict(_("This enquiry has been answered."), code=Code.ANSWERED)
        enquiry.answer, enquiry.answered_on = body, day
        enquiry.save(update_fields=["answer", "answered_on"])
        record(actor=actor, action=AuditAction.ENQUIRY_ANSWER, obj=enquiry,
               area_code=enquiry.area_code, changes={"late": day > enquiry.due_on})
    return enquiry


# -- bids ------------------------------------------------------------------------------------


def submit_bid(*, actor: Any, number: str, org_id: int, price_fen: int, proposal: str = "",
               on: date | None = None) -> Bid:
    """A bid from an organisation that meets the supplier conditions (采购法 第二十二条)
    and the project's own, at a price within the budget, before the deadline."""
    day = today(on)
    _acting_org(actor, org_id)
    price_fen = fen(price_fen, _("The price"))
    with transaction.atomic():
        project = locked_project(number)
        if project.state != State.TENDERING or (project.bid_deadline and day > project.bid_deadline):
            raise Conflict(_("Bids for %(n)s are no longer received.") % {"n": project.number},
                           code=Code.PERIOD_CLOSED)
        if project.method == Method.SINGLE and org_id != project.single_supplier_id:
            raise BusinessError(_("This single-source purchase takes an offer only from the "
                                  "supplier it names."), code=Code.SINGLE_SUPPLIER)
        if Bid.objects.filter(project=project, org_id=org_id).exists():
            raise Conflict(_("This organisation has already bid on the project."),
                           code=Code.BID_EXISTS)
        profile = rules.profile(project.area_code)
        if price_fen > project.budget_fen and profile.value("bid_within_budget"):
            rule = profile.rule("bid_within_budget")
            raise BusinessError(_("The price is above the project's budget: %(rule)s "
                                  "(%(source)s).") % {"rule": rule.label,
                                                      "source": rule.source()},
                                code=Code.BID_OVER_BUDGET)
        problems, facts = eligibility_problems(org_id, project, day)
        if problems:
            raise BusinessError(
                _("This organisation may not bid: %(why)s.") % {"why": _("; ").join(problems)},
                code=Code.INELIGIBLE, details={"problems": problems})
        bid = Bid.objects.create(project=project, org_id=org_id, price_fen=price_fen,
                                 proposal=proposal.strip(), submitted_on=day,
                                 eligibility=facts, area_code=project.area_code)
        record(actor=actor, action=AuditAction.BID_SUBMIT, obj=bid, area_code=project.area_code,
               changes={"project": project.number, "org": org_id, "price_fen": price_fen})
    return bid


def withdraw_bid(*, actor: Any, number: str, bid_id: int, on: date | None = None) -> Bid:
    day = today(on)
    with transaction.atomic():
        project = locked_project(number)
        bid = bid_of(project, bid_id)
        _acting_org(actor, bid.org_id)
        if project.state != State.TENDERING or bid.state != BidState.SUBMITTED or (
                project.bid_deadline and day > project.bid_deadline):
            raise Conflict(_("A bid can be withdrawn only before the deadline."),
                           code=Code.PERIOD_CLOSED)
        bid.state = BidState.WITHDRAWN
        bid.save(update_fields=["state"])
        record(actor=actor, action=AuditAction.BID_WITHDRAW, obj=bid,
               area_code=project.area_code, changes={"project": project.number})
    return bid


def close(*, actor: Any, number: str, on: date | None = None) -> Project:
    """Close bidding after the deadline and open the evaluation (at least three qualified
    bids, 采购法 第三十六条)."""
    day = today(on)
    with transaction.atomic():
        project = locked_project(number)
        project.closed_on = day
        PROJECT.check(actor, project, Action.CLOSE, on=day)
        PROJECT.move(actor=actor, obj=project, action=Action.CLOSE, on=day, checked=True)
        if project.method == Method.SINGLE:
            project.bids.filter(state=BidState.SUBMITTED).update(rank=1)
    return project


# -- the committee ------------------------------------------------------------------------


def add_evaluator(*, actor: Any, number: str, name: str, kind: str) -> Evaluator:
    with transaction.atomic():
        project = locked_project(number)
        authz.check(actor, Perm.BUY, project.area_code)
        if project.state not in (State.DRAFT, State.TENDERING, State.EVALUATING):
            raise Conflict(_("The committee is fixed once the award is made."),
                           code=Code.COMMITTEE_SIZE)
        if kind not in EvaluatorKind.values:
            raise BusinessError(_("An evaluator is the buyer's representative or an expert."),
                                code=Code.COMMITTEE_EXPERTS)
        member = Evaluator.objects.create(project=project, name=text(name, _("a name"), 50),
                                          kind=kind)
        record(actor=actor, action=AuditAction.MEMBER_ADD, obj=member,
               area_code=project.area_code, changes={"project": project.number, "kind": kind})
    return member


def declare_interest(*, actor: Any, evaluator_id: int, conflicts: Iterable[int] = (),
                     note: str = "", on: date | None = None) -> Evaluator:
    """The member's declaration (实施条例 第九条): the bidders they have an interest in
    (employment, office or control in the last 3 years, close family, other). Declaring
    an interest means standing aside: such a member scores nothing on this project."""
    day = today(on)
    with transaction.atomic():
        member = (Evaluator.objects.select_for_update().select_related("project")
                  .filter(pk=evaluator_id).first())
        if member is None:
            raise NotFound(_("No such evaluator."), code=Code.UNKNOWN_MEMBER)
        authz.check(actor, Perm.BUY, member.project.area_code)
        ids = sorted({int(c) for c in conflicts})
        if ids and not note.strip():
            raise BusinessError(_("Say what the interest is."), code=Code.REASON_REQUIRED)
        if member.scores.exists():
            raise Conflict(_("This member has already scored; the declaration comes first."),
                           code=Code.NOT_DECLARED)
        member.conflicts, member.conflict_note, member.declared_on = ids, note.strip()[:200], day
        member.save(update_fields=["conflicts", "conflict_note", "declared_on"])
        record(actor=actor, action=AuditAction.MEMBER_DECLARE, obj=member,
               area_code=member.project.area_code, changes={"conflicts": ids})
    return member


def _committee_problem(project: Project, members: list[Evaluator]) -> BusinessError | None:
    profile = rules.profile(project.area_code)
    key = "tender_committee_min" if project.method in (Method.OPEN, Method.INVITED) \
        else "committee_min"
    rule = profile.rule(key)
    sitting = [m for m in members if not m.conflicts]
    if len(sitting) < int(rule.value) or len(sitting) % 2 == 0:
        return BusinessError(
            _("The committee has %(n)s members without an interest: %(rule)s %(value)s "
              "(%(source)s).") % {"n": len(sitting), "rule": rule.label,
                                  "value": rule.display(), "source": rule.source()},
            code=Code.COMMITTEE_SIZE)
    share = profile.rule("experts_share")
    experts = sum(1 for m in sitting if m.kind == EvaluatorKind.EXPERT)
    if not profile.met("experts_share", experts, len(sitting)):
        return BusinessError(
            _("%(e)s of %(n)s members are experts: %(rule)s %(value)s (%(source)s).")
            % {"e": experts, "n": len(sitting), "rule": share.label, "value": share.display(),
               "source": share.source()}, code=Code.COMMITTEE_EXPERTS)
    return None


def enter_scores(*, actor: Any, number: str, evaluator_id: int, bid_id: int,
                 points: Mapping[int, int]) -> list[Score]:
    """One member's points (0–100) for one bid on every criterion. A member who has not
    declared, or who declared an interest, is refused (实施条例 第九条)."""
    with transaction.atomic():
        project = locked_project(number)
        authz.check(actor, Perm.BUY, project.area_code)
        if project.state != State.EVALUATING:
            raise Conflict(_("Scores are entered while the project is under evaluation."),
                           code=Code.PERIOD_OPEN)
        member = Evaluator.objects.filter(pk=evaluator_id, project=project).first()
        if member is None:
            raise NotFound(_("No such evaluator on this project."), code=Code.UNKNOWN_MEMBER)
        bid = bid_of(project, bid_id)
        rule = rules.profile(project.area_code).rule("declare_interest")
        if member.declared_on is None:
            raise BusinessError(_("%(name)s has not declared their interests yet: %(rule)s "
                                  "(%(source)s).") % {"name": member.name, "rule": rule.label,
                                                      "source": rule.source()},
                                code=Code.NOT_DECLARED)
        if member.conflicts:
            raise BusinessError(_("%(name)s declared an interest in a bidder and stands aside; "
                                  "their score is not taken: %(rule)s (%(source)s).")
                                % {"name": member.name, "rule": rule.label,
                                   "source": rule.source()}, code=Code.CONFLICTED)
        if bid.state != BidState.SUBMITTED:
            raise Conflict(_("This bid is not under evaluation."), code=Code.UNKNOWN_BID)
        criteria = list(project.criteria.all())
        given = {int(k): v for k, v in points.items()}
        if set(given) != {c.pk for c in criteria}:
            raise BusinessError(_("Give points on every criterion of the project."),
                                code=Code.BAD_SCORE)
        for value in given.values():
            if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 100:
                raise BusinessError(_("Points are whole numbers from 0 to 100."),
                                    code=Code.BAD_SCORE)
        Score.objects.filter(evaluator=member, bid=bid).delete()
        scores = Score.objects.bulk_create(
            Score(evaluator=member, bid=bid, criterion=c, points=given[c.pk]) for c in criteria)
        _rank(project)
        record(actor=actor, action=AuditAction.SCORE_ENTER, obj=bid, area_code=project.area_code,
               changes={"evaluator": member.pk, "points": {str(k): v for k, v in given.items()}})
    return scores


def aggregate(project: Project) -> dict[int, Decimal] | None:
    """Each bid's aggregate: Σ weight × (mean points of the members without an interest)
    ÷ 100, to three decimals; ``None`` while any score is missing."""
    criteria = {c.pk: c.weight for c in project.criteria.all()}
    members = [m.pk for m in project.evaluators.all() if m.declared_on and not m.conflicts]
    bids = list(project.bids.filter(state=BidState.SUBMITTED).values_list("pk", flat=True))
    if not criteria or not members or not bids:
        return None
    table: dict[tuple[int, int], list[int]] = defaultdict(list)
    for bid_id, crit, pts in Score.objects.filter(
            bid_id__in=bids, evaluator_id__in=members).values_list("bid_id", "criterion_id",
                                                                  "points"):
        table[(bid_id, crit)].append(pts)
    out: dict[int, Decimal] = {}
    for bid_id in bids:
        total = Decimal(0)
        for crit, weight in criteria.items():
            got = table.get((bid_id, crit), [])
            if len(got) != len(members):
                return None
            total += Decimal(weight) * Decimal(sum(got)) / Decimal(len(got)) / 100
        out[bid_id] = total.quantize(Decimal("0.001"))
    return out


def _rank(project: Project) -> None:
    totals = aggregate(project)
    bids = list(project.bids.filter(state=BidState.SUBMITTED))
    if totals is None:
        Bid.objects.filter(pk__in=[b.pk for b in bids]).update(score=None, rank=None)
        return
    order = sorted(bids, key=lambda b: (-totals[b.pk], b.price_fen, b.submitted_on, b.pk))
    for i, bid in enumerate(order, 1):
        bid.score, bid.rank = totals[bid.pk], i
    Bid.objects.bulk_update(order, ["score", "rank"])


def award(*, actor: Any, number: str, bid_id: int | None = None,
          on: date | None = None) -> Project:
    """Award to the bid the committee ranks first (实施条例 第四十三条) and issue the
    notice; suppliers may question the award for 7 working days, during which no contract
    is signed (ADR 0903)."""
    day = today(on)
    with transaction.atomic():
        project = locked_project(number)
        PROJECT.check(actor, project, Action.AWARD, on=day)
        if project.method != Method.SINGLE:
            problem = _committee_problem(project, list(project.evaluators.all()))
            if problem is not None:
                raise problem
        top = project.bids.filter(state=BidState.SUBMITTED, rank=1).first()
        if top is None:
            raise BusinessError(_("No bid is ranked first."), code=Code.SCORES_MISSING)
        if bid_id is not None and bid_id != top.pk:
            raise BusinessError(_("The award goes to the bid the committee ranks first "
                                  "(《政府采购法实施条例》第四十三条第一款)."),
                                code=Code.NOT_TOP_RANKED)
        days = rules.profile(project.area_code).number("question_days")
        project.awarded_on, project.standstill_until = day, get_calendar().add(day, days)
        top.state = BidState.WON
        top.save(update_fields=["state"])
        project.bids.filter(state=BidState.SUBMITTED).exclude(pk=top.pk).update(
            state=BidState.LOST)
        PROJECT.move(actor=actor, obj=project, action=Action.AWARD, on=day, checked=True,
                     changes={"bid": top.pk, "org": top.org_id, "price_fen": top.price_fen,
                              "standstill_until": project.standstill_until})
    return project


# -- questions (质疑) ------------------------------------------------------------------------


def file_complaint(*, actor: Any, number: str, org_id: int, text_: str,
                   on: date | None = None) -> Complaint:
    """A bidder's written question on the documents, the process or the award, within 7
    working days (采购法 第五十二条; after the award notice, 实施条例 第五十三条)."""
    day = today(on)
    _acting_org(actor, org_id)
    body = text(text_, _("the question"), 4000)
    with transaction.atomic():
        project = locked_project(number)
        if project.state not in (State.TENDERING, State.EVALUATING, State.AWARDED):
            raise Conflict(_("This project takes no more questions."), code=Code.COMPLAINT_LATE)
        profile = rules.profile(project.area_code)
        if project.state == State.AWARDED and project.standstill_until and \
                day > project.standstill_until:
            rule = profile.rule("question_days")
            raise BusinessError(_("Questions on the award were due by %(until)s: %(rule)s "
                                  "%(value)s (%(source)s).")
                                % {"until": project.standstill_until, "rule": rule.label,
                                   "value": rule.display(), "source": rule.source()},
                                code=Code.COMPLAINT_LATE)
        if project.state != State.TENDERING and not project.bids.filter(org_id=org_id).exists():
            raise Forbidden(_("Only a bidder may question the evaluation or the award."),
                            code=Code.NOT_OPERATOR)
        due = get_calendar().add(day, profile.number("question_answer_days"))
        complaint = Complaint.objects.create(project=project, org_id=org_id, text=body,
                                             filed_on=day, due_on=due,
                                             area_code=project.area_code)
        record(actor=actor, action=AuditAction.COMPLAINT_FILE, obj=complaint,
               area_code=project.area_code, changes={"project": project.number, "due_on": due})
    return complaint


def answer_complaint(*, actor: Any, complaint_id: int, answer_: str, upheld: bool,
                     on: date | None = None) -> Complaint:
    day = today(on)
    body = text(answer_, _("the answer"), 4000)
    with transaction.atomic():
        complaint = Complaint.objects.select_for_update().filter(pk=complaint_id).first()
        if complaint is None:
            raise NotFound(_("No such question."), code=Code.UNKNOWN_PROJECT)
        authz.check(actor, Perm.BUY, complaint.area_code)
        if complaint.state != ComplaintState.OPEN:
            raise Conflict(_("This question has been answered."), code=Code.ANSWERED)
        complaint.state = ComplaintState.UPHELD if upheld else ComplaintState.DISMISSED
        complaint.answer, complaint.answered_on = body, day
        complaint.save(update_fields=["state", "answer", "answered_on"])
        record(actor=actor, action=AuditAction.COMPLAINT_ANSWER, obj=complaint,
               area_code=complaint.area_code,
               changes={"state": complaint.state, "late": day > complaint.due_on})
    return complaint


def cancel(*, actor: Any, number: str, reason: str, on: date | None = None) -> Project:
    """Cancel (废标) for one of the reasons of 采购法 第三十六条; the budget is given back
    and every bidder told."""
    day = today(on)
    if reason not in CancelReason.values:
        raise BusinessError(_("Choose the reason for cancelling (《政府采购法》第三十六条)."),
                            code=Code.REASON_REQUIRED)
    with transaction.atomic():
        project = locked_project(number)
        line = locked_line(project.budget_line_id)
        project.cancelled_on, project.cancel_reason = day, reason
        PROJECT.check(actor, project, Action.CANCEL, on=day)
        commit(line, -project.budget_fen)
        project.bids.filter(state__in=(BidState.SUBMITTED, BidState.WON)).update(
            state=BidState.LOST)
        PROJECT.move(actor=actor, obj=project, action=Action.CANCEL, on=day, checked=True,
                     changes={"reason": reason})
    return project
