"""Helpers shared by the writers of ``procurement``. Nothing here checks permissions; the
use cases that call these do."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from shequ.core.errors import BusinessError, NotFound
from shequ.orgs import facade as orgs
from shequ.procurement import rules
from shequ.procurement.enums import Code
from shequ.procurement.models import Bid, BudgetLine, Contract, Project

MAX_FEN = 10**13  # a hundred billion yuan: anything larger is a typing error


def today(on: date | None = None) -> date:
    return on or timezone.localdate()


def fen(value: Any, what: str) -> int:
    """An amount in integer fen, positive; never a float."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise BusinessError(_("%(what)s must be a whole number of fen.") % {"what": what},
                            code=Code.BAD_AMOUNT)
    if value <= 0 or value > MAX_FEN:
        raise BusinessError(_("%(what)s must be more than 0 and at most 100 billion yuan.")
                            % {"what": what}, code=Code.BAD_AMOUNT)
    return value


def text(value: str, what: str, limit: int, *, required: bool = True) -> str:
    value = (value or "").strip()
    if required and not value:
        raise BusinessError(_("Enter %(what)s.") % {"what": what}, code=Code.TITLE_REQUIRED)
    if len(value) > limit:
        raise BusinessError(_("%(what)s is longer than %(n)s characters.")
                            % {"what": what, "n": limit}, code=Code.TITLE_REQUIRED)
    return value


def locked_project(number: str) -> Project:
    project = (Project.objects.select_for_update().select_related("budget_line", "buyer")
               .filter(number=number).first())
    if project is None:
        raise NotFound(_("No purchase project %(n)s.") % {"n": number},
                       code=Code.UNKNOWN_PROJECT)
    return project


def locked_line(pk: int) -> BudgetLine:
    line = BudgetLine.objects.select_for_update().select_related("buyer").filter(pk=pk).first()
    if line is None:
        raise NotFound(_("No such budget line."), code=Code.UNKNOWN_BUDGET)
    return line


def locked_contract(pk: int) -> Contract:
    contract = (Contract.objects.select_for_update().select_related("project", "org")
                .filter(pk=pk).first())
    if contract is None:
        raise NotFound(_("No such contract."), code=Code.UNKNOWN_CONTRACT)
    return contract


def bid_of(project: Project, bid_id: int) -> Bid:
    bid = Bid.objects.filter(project=project, pk=bid_id).select_related("org").first()
    if bid is None:
        raise NotFound(_("No such bid on this project."), code=Code.UNKNOWN_BID)
    return bid


def commit(line: BudgetLine, delta_fen: int) -> None:
    """Take ``delta_fen`` from a locked budget line (negative gives it back); refuses to go
    beyond the line: no budget, no project (财政部令第102号 第十四条)."""
    if line.committed_fen + delta_fen > line.amount_fen:
        raise BusinessError(
            _("The budget line “%(title)s” has %(left)s yuan left; %(asked)s yuan is more "
              "than that. No budget, no purchase (%(source)s).")
            % {"title": line.title, "left": yuan(line.available_fen), "asked": yuan(delta_fen),
               "source": BUDGET_SOURCE},
            code=Code.BUDGET_EXCEEDED,
            details={"available_fen": line.available_fen, "asked_fen": delta_fen})
    line.committed_fen = max(0, line.committed_fen + delta_fen)
    line.save(update_fields=["committed_fen"])


BUDGET_SOURCE = "《政府购买服务管理办法》（财政部令第102号）第十四条（引用未核实）"


def yuan(amount_fen: int) -> str:
    return f"{amount_fen / 100:,.2f}" if amount_fen % 100 else f"{amount_fen // 100:,}"


def eligibility_problems(org_id: int, project: Project, on: date) -> tuple[list[str], dict[str, Any]]:
    """Why an organisation may not bid on ``project`` (empty when it may), each naming the
    rule; and the facts checked, kept with the bid."""
    profile = rules.profile(project.area_code)
    years = profile.number("violation_years")
    facts = orgs.eligibility(org_id, on=on, years=years)
    problems: list[str] = []
    if facts.status != "active":
        problems.append(_("it is not an active organisation (%(source)s)")
                        % {"source": profile.rule("legal_person").source()})
    if facts.penalties_in_window:
        rule = profile.rule("violation_years")
        problems.append(_("it was penalised in the last %(value)s: %(rule)s (%(source)s)")
                        % {"value": rule.display(), "rule": rule.label, "source": rule.source()})
    if facts.annual_report_missing or facts.last_report_result == "failed":
        problems.append(_("its annual report is missing or failed inspection, so it lacks "
                          "the good standing required (%(source)s)")
                        % {"source": "《政府采购法》第二十二条第一款第（二）项"})
    if project.legal_person_only and not facts.legal_person:
        rule = profile.rule("legal_person")
        problems.append(_("it is not a legal person: %(rule)s (%(source)s)")
                        % {"rule": rule.label, "source": rule.source()})
    if project.min_grade and (facts.grade or 0) < project.min_grade:
        problems.append(_("the project asks for an evaluation grade of at least %(g)sA "
                          "(《政府采购法》第二十二条第二款)") % {"g": project.min_grade})
    snapshot = {"status": facts.status, "legal_person": facts.legal_person,
                "penalties": facts.penalties_in_window, "window_years": facts.window_years,
                "report_missing": facts.annual_report_missing,
                "last_report": facts.last_report_result, "grade": facts.grade,
                "checked_on": on.isoformat(), "rules": profile.version}
    return problems, snapshot
