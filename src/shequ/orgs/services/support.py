"""Support: incubation at the citizen service centre and the foundation's grants (money
in integer fen; a programme's awards never exceed its budget, payments never exceed the
award)."""

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
from shequ.orgs import rules
from shequ.orgs.enums import AuditAction, Code, Perm
from shequ.orgs.lifecycles import GRANT, INCUBATION
from shequ.orgs.models import (
    Category,
    Centre,
    GrantAction,
    GrantApplication,
    GrantPayment,
    GrantState,
    Incubation,
    IncubationAction,
    IncubationState,
    Kind,
    Programme,
    SupportKind,
    Track,
)
from shequ.orgs.services._common import (
    require_live,
    require_operator,
    require_org,
    today,
)
from shequ.orgs.texts import TEXTS

AWARDED_STATES = (GrantState.APPROVED, GrantState.REPORTED, GrantState.CLOSED)

# ---------------------------------------------------------------- the centre and incubation


def save_centre(*, actor: Any, name: str, area_code: str, address: str = "",
                opened_on: date | None = None, places: int = 20) -> Centre:
    authz.check(actor, Perm.SUPPORT, area_code)
    if not name.strip() or places <= 0:
        raise BusinessError(_("A centre has a name and at least one place."),
                            code=Code.NAME_REQUIRED)
    with transaction.atomic():
        centre, created = Centre.objects.update_or_create(
            name=name.strip(), defaults={"area_code": area_code, "address": address.strip(),
                                         "opened_on": opened_on, "places": places})
        record(actor=actor, action=AuditAction.CENTRE_SAVE, obj=centre, area_code=area_code,
               changes={"name": centre.name, "created": created, "places": places})
    return centre


def apply_incubation(*, actor: Any, org_id: int, centre_id: int, plan: str,
                     on: date | None = None) -> Incubation:
    day = today(on)
    org = require_org(org_id)
    authz.check(actor, Perm.APPLY, org.area_code)
    require_operator(actor, org)
    require_live(org)
    centre = Centre.objects.filter(pk=centre_id).first()
    if centre is None:
        raise NotFound(_("No such centre."))
    if not plan.strip():
        raise BusinessError(_("Describe the development plan."), code=Code.REASON_REQUIRED)
    with transaction.atomic():
        if Incubation.objects.filter(org=org, state__in=(IncubationState.APPLIED,
                                                         IncubationState.INCUBATING)).exists():
            raise Conflict(_("%(name)s has applied or is incubating already.")
                           % {"name": org.name}, code=Code.INCUBATING)
        inc = Incubation.objects.create(org=org, centre=centre, area_code=org.area_code,
                                        applied_on=day, plan=plan.strip())
        record(actor=actor, action=AuditAction.INCUBATION_APPLY, obj=inc,
               area_code=org.area_code, changes={"org": org.pk, "centre": centre.pk})
    return inc


def incubation_step(*, actor: Any, incubation_id: int, action: str,
                    supports: Sequence[str] = (), seed_fen: int = 0,
                    on: date | None = None) -> Incubation:
    day = today(on)
    with transaction.atomic():
        inc = Incubation.objects.select_for_update(of=("self",)).select_related("centre", "org").filter(
            pk=incubation_id).first()
        if inc is None:
            raise NotFound()
        INCUBATION.check(actor, inc, action, on=day)
        text = None
        if action == IncubationAction.ADMIT:
            chosen = list(dict.fromkeys(str(s) for s in supports))
            if not chosen or any(s not in SupportKind.values for s in chosen):
                raise BusinessError(_("Choose the support the centre gives."),
                                    code=Code.REASON_REQUIRED)
            if seed_fen < 0 or (seed_fen > 0) != (SupportKind.SEED in chosen):
                raise BusinessError(_("Seed funds have an amount, and an amount needs seed "
                                      "funds."), code=Code.BAD_AMOUNT)
            taken = Incubation.objects.filter(centre=inc.centre,
                                              state=IncubationState.INCUBATING).count()
            if taken >= inc.centre.places:
                raise Conflict(_("All %(n)d places of the centre are taken.")
                               % {"n": inc.centre.places}, code=Code.INCUBATING)
            inc.admitted_on, inc.supports, inc.seed_fen = day, chosen, seed_fen
            text = TEXTS.stored("incubating", centre=inc.centre.name)
        elif action in (IncubationAction.GRADUATE, IncubationAction.LEAVE):
            inc.ended_on = day
            if action == IncubationAction.GRADUATE:
                text = TEXTS.stored("graduated", centre=inc.centre.name)
        elif action == IncubationAction.DECLINE:
            inc.ended_on = day
        INCUBATION.move(actor=actor, obj=inc, action=action, on=day, day=day, text=text,
                        public=True, changes={"supports": inc.supports, "seed_fen": inc.seed_fen})
    return inc


def incubation_overdue(inc: Incubation, on: date) -> bool:
    """Past the longest incubation the centre's rules allow."""
    if inc.state != IncubationState.INCUBATING or inc.admitted_on is None:
        return False
    months = rules.profile(inc.area_code).number("incubation_months")
    years, month = divmod(inc.admitted_on.month - 1 + months, 12)
    end_year = inc.admitted_on.year + years
    try:
        end = inc.admitted_on.replace(year=end_year, month=month + 1)
    except ValueError:
        end = inc.admitted_on.replace(year=end_year, month=month + 1, day=28)
    return on > end


# ---------------------------------------------------------------- grant programmes


def save_programme(*, actor: Any, funder_id: int, name: str, year: int, budget_fen: int,
                   max_award_fen: int, opens_on: date, closes_on: date, procedure: str,
                   categories: Sequence[str] = ()) -> Programme:
    """A foundation publishes a programme: its kinds of grants and its procedure
    (基金会管理条例 第三十条)."""
    funder = require_org(funder_id)
    authz.check(actor, Perm.SUPPORT, funder.area_code[:6])
    if funder.kind != Kind.FOUNDATION:
        raise BusinessError(_("Grants come from a foundation."), code=Code.KIND_TRACK)
    if not 0 < max_award_fen <= budget_fen:
        raise BusinessError(_("The largest grant is positive and within the budget."),
                            code=Code.BAD_AMOUNT)
    if closes_on < opens_on or not name.strip() or not procedure.strip():
        raise BusinessError(_("A programme has a name, a procedure and a closing day after its "
                              "opening day."), code=Code.BAD_DATE)
    if any(c not in Category.values for c in categories):
        raise BusinessError(_("Unknown service categories."), code=Code.KIND_TRACK)
    with transaction.atomic():
        prog, created = Programme.objects.update_or_create(
            funder=funder, name=name.strip(), year=year,
            defaults={"budget_fen": budget_fen, "max_award_fen": max_award_fen,
                      "opens_on": opens_on, "closes_on": closes_on,
                      "procedure": procedure.strip(), "categories": list(categories)})
        record(actor=actor, action=AuditAction.PROGRAMME_SAVE, obj=prog,
               area_code=funder.area_code, changes={"name": prog.name, "year": year,
                                                    "budget_fen": budget_fen,
                                                    "created": created})
    return prog


def awarded_fen(programme: Programme) -> int:
    return int(GrantApplication.objects.filter(programme=programme, state__in=AWARDED_STATES)
               .aggregate(s=Sum("awarded_fen"))["s"] or 0)


def apply_grant(*, actor: Any, programme_id: int, org_id: int, title: str, category: str,
                summary: str, requested_fen: int, on: date | None = None) -> GrantApplication:
    from shequ.orgs.selectors import eligibility

    day = today(on)
    org = require_org(org_id)
    authz.check(actor, Perm.APPLY, org.area_code)
    require_operator(actor, org)
    require_live(org)
    prog = Programme.objects.select_related("funder").filter(pk=programme_id).first()
    if prog is None:
        raise NotFound(_("No such programme."))
    if not prog.opens_on <= day <= prog.closes_on:
        raise BusinessError(_("The programme takes applications from %(a)s to %(b)s.")
                            % {"a": prog.opens_on, "b": prog.closes_on},
                            code=Code.PROGRAMME_CLOSED)
    if prog.categories and category not in prog.categories:
        raise BusinessError(_("The programme does not fund this category."),
                            code=Code.KIND_TRACK)
    if category not in Category.values or not title.strip() or not summary.strip():
        raise BusinessError(_("Give the project, its category and a summary."),
                            code=Code.REASON_REQUIRED)
    if not 0 < requested_fen <= prog.max_award_fen:
        raise BusinessError(_("Request between 0.01 yuan and the programme's largest grant."),
                            code=Code.BAD_AMOUNT)
    profile = rules.profile(org.area_code)
    if org.track == Track.FILED and requested_fen > profile.number("grant_filed_max_fen"):
        rule = profile.rule("grant_filed_max_fen")
        raise BusinessError(_("%(name)s is a filed community organisation without legal-person "
                              "status: it may ask for at most %(max)s; more requires a "
                              "registered organisation (%(source)s).")
                            % {"name": org.name, "max": rule.display(), "source": rule.source()},
                            code=Code.REGISTRATION_REQUIRED)
    facts = eligibility(org.pk, on=day)
    if facts.annual_report_missing:
        raise BusinessError(_("The annual report on %(year)d is missing; it was due on %(due)s "
                              "(%(source)s).") % {"year": facts.report_year, "due": facts.report_due,
                                                  "source": facts.report_source},
                            code=Code.REPORT_YEAR)
    with transaction.atomic():
        grant = GrantApplication.objects.create(
            programme=prog, org=org, area_code=org.area_code,
            authority_code=prog.funder.area_code[:6], title=title.strip()[:120],
            category=category, summary=summary.strip(), requested_fen=requested_fen,
            submitted_on=day)
        record(actor=actor, action=AuditAction.GRANT_APPLY, obj=grant, area_code=org.area_code,
               changes={"programme": prog.pk, "requested_fen": requested_fen})
    return grant


def grant_step(*, actor: Any, grant_id: int, action: str, awarded_fen: int | None = None,
               reasons: str = "", report: str = "", spent_fen: int | None = None,
               on: date | None = None) -> GrantApplication:
    day = today(on)
    with transaction.atomic():
        grant = GrantApplication.objects.select_for_update().filter(pk=grant_id).first()
        if grant is None:
            raise NotFound()
        GRANT.check(actor, grant, action, on=day)
        text = None
        if action == GrantAction.APPROVE:
            prog = Programme.objects.select_for_update(of=("self",)).select_related("funder").get(
                pk=grant.programme_id)
            amount = grant.requested_fen if awarded_fen is None else awarded_fen
            if not 0 < amount <= min(grant.requested_fen, prog.max_award_fen):
                raise BusinessError(_("Award between 0.01 yuan and the amount requested."),
                                    code=Code.BAD_AMOUNT)
            left = prog.budget_fen - _awarded(prog)
            if amount > left:
                raise BusinessError(_("The programme has %(left)s yuan left; this award needs "
                                      "%(need)s yuan.") % {"left": _yuan(left),
                                                           "need": _yuan(amount)},
                                    code=Code.GRANT_BUDGET)
            grant.awarded_fen, grant.decided_on, grant.reasons = amount, day, reasons.strip()
            text = TEXTS.stored("grant", yuan=_yuan(amount), title=grant.title,
                                funder=prog.funder.name)
        elif action == GrantAction.REJECT:
            if not reasons.strip():
                raise BusinessError(_("State the reasons."), code=Code.REASON_REQUIRED)
            grant.decided_on, grant.reasons = day, reasons.strip()
        elif action == GrantAction.REPORT:
            if not report.strip() or spent_fen is None or not 0 <= spent_fen <= grant.awarded_fen:
                raise BusinessError(_("The final report says what was done and what was spent "
                                      "(at most the award)."), code=Code.BAD_AMOUNT)
            grant.report, grant.spent_fen, grant.reported_on = report.strip(), spent_fen, day
        GRANT.move(actor=actor, obj=grant, action=action, on=day, day=day, text=text,
                   public=True, changes={"awarded_fen": grant.awarded_fen,
                                         "spent_fen": grant.spent_fen})
    return grant


def _awarded(prog: Programme) -> int:
    return awarded_fen(prog)


def _yuan(fen: int) -> str:
    """Fen as yuan with two decimals (integer arithmetic, never a float)."""
    return f"{fen // 100:,}.{fen % 100:02d}"


def pay_grant(*, actor: Any, grant_id: int, amount_fen: int, paid_on: date | None = None,
              note: str = "") -> GrantPayment:
    day = today(paid_on)
    with transaction.atomic():
        grant = GrantApplication.objects.select_for_update().filter(pk=grant_id).first()
        if grant is None:
            raise NotFound()
        authz.check(actor, Perm.SUPPORT, grant.authority_code)
        if grant.state not in (GrantState.APPROVED, GrantState.REPORTED):
            raise BusinessError(_("Only an approved grant is paid."), code=Code.GRANT_OVERPAID)
        if amount_fen <= 0 or grant.paid_fen + amount_fen > grant.awarded_fen:
            raise BusinessError(_("Payments may not exceed the award: %(paid)s of %(award)s yuan "
                                  "paid so far.") % {"paid": _yuan(grant.paid_fen),
                                                     "award": _yuan(grant.awarded_fen)},
                                code=Code.GRANT_OVERPAID)
        pay = GrantPayment.objects.create(grant=grant, amount_fen=amount_fen, paid_on=day,
                                          note=note.strip()[:200])
        grant.paid_fen += amount_fen
        grant.save(update_fields=["paid_fen"])
        record(actor=actor, action=AuditAction.GRANT_PAY, obj=pay, area_code=grant.area_code,
               changes={"grant": grant.pk, "amount_fen": amount_fen, "paid_fen": grant.paid_fen})
    return pay

