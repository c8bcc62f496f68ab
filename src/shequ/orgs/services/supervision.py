"""Supervision: annual reports and the annual inspection, inspections, complaints,
penalties and evaluation grades."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from shequ import authz
from shequ.audit.services import record
from shequ.core import crypto
from shequ.core.calendar import get_calendar
from shequ.core.errors import BusinessError, Conflict, NotFound
from shequ.documents import services as documents
from shequ.orgs import rules
from shequ.orgs.enums import AuditAction, Code, Perm
from shequ.orgs.lifecycles import COMPLAINT, INSPECTION, ORG, PENALTY, REPORT
from shequ.orgs.models import (
    AnnualReport,
    Complaint,
    ComplaintAction,
    Evaluation,
    Inspection,
    InspectionAction,
    InspectionKind,
    Kind,
    Org,
    OrgAction,
    Penalty,
    PenaltyAction,
    PenaltyKind,
    PenaltyState,
    ReportAction,
    Status,
    Track,
    Violation,
)
from shequ.orgs.selectors import report_dues
from shequ.orgs.services._common import (
    history,
    require_live,
    require_operator,
    require_org,
    require_registered,
    short_name,
    today,
)
from shequ.orgs.texts import TEXTS

# ---------------------------------------------------------------- annual reports


def lodge_report(*, actor: Any, org_id: int, year: int, activities: str, income_fen: int = 0,
                 expenditure_fen: int = 0, staff: int = 0, members: int = 0,
                 agency_submitted_on: date | None = None, agency_approved_on: date | None = None,
                 on: date | None = None) -> AnnualReport:
    """An organisation lodges its work report on ``year`` (a finished year it existed in)."""
    day = today(on)
    org = require_org(org_id)
    authz.check(actor, Perm.APPLY, org.area_code)
    require_operator(actor, org)
    require_live(org)
    if not year < day.year or org.founded_on.year > year:
        raise BusinessError(_("A report covers a finished year in which the organisation "
                              "existed (%(first)d to %(last)d).")
                            % {"first": org.founded_on.year, "last": day.year - 1},
                            code=Code.REPORT_YEAR)
    if not activities.strip():
        raise BusinessError(_("Describe the year's activities."), code=Code.REPORT_YEAR)
    if min(income_fen, expenditure_fen, staff, members) < 0:
        raise BusinessError(_("Figures are not negative."), code=Code.BAD_AMOUNT)
    agency_due, due = report_dues(org, year)
    if org.track == Track.REGISTERED:
        key = "foundation_report_due" if org.kind == Kind.FOUNDATION else "report_agency_due"
        rule = rules.profile(org.area_code).rule(key)
        if agency_approved_on is None or (org.kind != Kind.FOUNDATION
                                          and agency_submitted_on is None):
            raise BusinessError(_("The report goes to the registration authority after the "
                                  "supervising agency's first review: give the day it was sent "
                                  "there and the day the review passed (%(source)s).")
                                % {"source": rule.source()}, code=Code.BAD_DATE)
        if agency_approved_on > day or (agency_submitted_on is not None
                                        and agency_submitted_on > agency_approved_on):
            raise BusinessError(_("The review dates are not in order."), code=Code.BAD_DATE)
    with transaction.atomic():
        if AnnualReport.objects.filter(org=org, year=year).exists():
            raise Conflict(_("The report on %(year)d was already lodged.") % {"year": year},
                           code=Code.REPORT_EXISTS)
        report = AnnualReport.objects.create(
            org=org, year=year, area_code=org.area_code, authority_code=org.authority_code,
            track=org.track, agency_submitted_on=agency_submitted_on,
            agency_approved_on=agency_approved_on, agency_due=agency_due, lodged_on=day,
            due_on=due, late=day > due,
            agency_late=bool(agency_due and agency_submitted_on and agency_submitted_on > agency_due),
            activities=activities.strip(), income_fen=income_fen, expenditure_fen=expenditure_fen,
            staff=staff, members=members, rules_version=rules.profile(org.area_code).version)
        record(actor=actor, action=AuditAction.REPORT_SUBMIT, obj=report, area_code=org.area_code,
               changes={"org": org.pk, "year": year, "late": report.late,
                        "agency_late": report.agency_late})
    return report


_RESULT_TEXT = {ReportAction.PASS: "report_passed", ReportAction.PASS_BASIC: "report_basic",
                ReportAction.FAIL: "report_failed"}


def report_step(*, actor: Any, report_id: int, action: str, remarks: str = "",
                on: date | None = None) -> AnnualReport:
    day = today(on)
    with transaction.atomic():
        report = AnnualReport.objects.select_for_update().filter(pk=report_id).first()
        if report is None:
            raise NotFound(code=Code.UNKNOWN_ORG)
        REPORT.check(actor, report, action, on=day)
        if action in (ReportAction.RETURN, ReportAction.FAIL) and not remarks.strip():
            raise BusinessError(_("Say what is missing or wrong."), code=Code.REASON_REQUIRED)
        report.remarks = remarks.strip()
        text = None
        if action in _RESULT_TEXT:
            report.inspected_on = day
            text = TEXTS.stored(_RESULT_TEXT[ReportAction(action)], year=report.year)
        REPORT.move(actor=actor, obj=report, action=action, on=day,
                    changes={"remarks": report.remarks}, day=day, text=text, public=True)
    return report


# ---------------------------------------------------------------- inspections


def plan_inspection(*, actor: Any, org_id: int, kind: str, planned_on: date) -> Inspection:
    org = require_org(org_id)
    authz.check(actor, Perm.SUPERVISE, org.authority_code)
    if kind not in InspectionKind.values:
        raise BusinessError(_("Unknown kind of inspection."), code=Code.BAD_DATE)
    with transaction.atomic():
        item = Inspection.objects.create(org=org, area_code=org.area_code,
                                         authority_code=org.authority_code, kind=kind,
                                         planned_on=planned_on)
        record(actor=actor, action=AuditAction.INSPECTION_PLAN, obj=item, area_code=org.area_code,
               changes={"org": org.pk, "kind": kind, "planned_on": planned_on})
    return item


def inspection_step(*, actor: Any, inspection_id: int, action: str, findings: str = "",
                    correct_by: date | None = None, on: date | None = None) -> Inspection:
    day = today(on)
    with transaction.atomic():
        item = Inspection.objects.select_for_update().filter(pk=inspection_id).first()
        if item is None:
            raise NotFound()
        INSPECTION.check(actor, item, action, on=day)
        if action in (InspectionAction.CLEAR, InspectionAction.FIND):
            item.done_on, item.findings = day, findings.strip()
        if action == InspectionAction.FIND:
            if not item.findings or correct_by is None or correct_by <= day:
                raise BusinessError(_("Record the problems and a day after today by which they "
                                      "are to be corrected."), code=Code.BAD_DATE)
            item.correct_by = correct_by
        INSPECTION.move(actor=actor, obj=item, action=action, on=day,
                        changes={"findings": item.findings, "correct_by": item.correct_by})
    return item


# ---------------------------------------------------------------- complaints


def file_complaint(*, actor: Any, org_id: int, complainant_name: str, summary: str,
                   phone: str = "", on: date | None = None) -> Complaint:
    day = today(on)
    org = require_org(org_id)
    authz.check(actor, Perm.COMPLAIN, org.area_code)
    if not complainant_name.strip() or not summary.strip():
        raise BusinessError(_("Give your name and what happened."), code=Code.REASON_REQUIRED)
    digits = "".join(c for c in phone if c.isdigit())
    if phone and len(digits) < 7:
        raise BusinessError(_("The phone number looks incomplete."), code=Code.BAD_AMOUNT)
    profile = rules.profile(org.area_code)
    due, _settled = rules.period_end(day, profile.number("complaint_days"), get_calendar())
    with transaction.atomic():
        complaint = Complaint.objects.create(
            org=org, area_code=org.area_code, authority_code=org.authority_code,
            received_on=day, due_on=due, complainant_name=complainant_name.strip()[:50],
            phone_cipher=crypto.seal(digits, context="orgs.phone") if digits else "",
            phone_last4=digits[-4:], summary=summary.strip())
        record(actor=actor, action=AuditAction.COMPLAINT_FILE, obj=complaint,
               area_code=org.area_code, changes={"org": org.pk, "due_on": due})
    return complaint


def complaint_step(*, actor: Any, complaint_id: int, action: str, finding: str = "",
                   on: date | None = None) -> Complaint:
    day = today(on)
    with transaction.atomic():
        complaint = Complaint.objects.select_for_update().filter(pk=complaint_id).first()
        if complaint is None:
            raise NotFound()
        COMPLAINT.check(actor, complaint, action, on=day)
        if action in (ComplaintAction.UPHOLD, ComplaintAction.DISMISS):
            if not finding.strip():
                raise BusinessError(_("Record the finding."), code=Code.REASON_REQUIRED)
            complaint.finding, complaint.decided_on = finding.strip(), day
        COMPLAINT.move(actor=actor, obj=complaint, action=action, on=day,
                       changes={"finding": complaint.finding})
    return complaint


# ---------------------------------------------------------------- penalties

FILED_PENALTIES = frozenset({PenaltyKind.WARNING, PenaltyKind.CORRECT,
                             PenaltyKind.CANCEL_FILING})


def propose_penalty(*, actor: Any, org_id: int, violation: str, kinds: Sequence[str],
                    facts: str, fine_fen: int = 0, suspend_until: date | None = None,
                    complaint_id: int | None = None, inspection_id: int | None = None,
                    on: date | None = None) -> Penalty:
    """The authority proposes a penalty and tells the organisation, which may state its
    case before the decision."""
    day = today(on)
    org = require_org(org_id)
    authz.check(actor, Perm.PENALISE, org.authority_code)
    require_live(org)
    if violation not in Violation.values:
        raise BusinessError(_("Unknown violation."), code=Code.PENALTY_KIND)
    basis = rules.violation_basis(violation, org.kind)
    if not basis:
        raise BusinessError(_("No article punishes this for a %(kind)s.")
                            % {"kind": org.get_kind_display()}, code=Code.PENALTY_KIND)
    chosen = list(dict.fromkeys(str(k) for k in kinds))
    if not chosen or any(k not in PenaltyKind.values for k in chosen):
        raise BusinessError(_("Choose the penalties."), code=Code.PENALTY_KIND)
    if org.track == Track.FILED and not set(chosen) <= FILED_PENALTIES:
        raise BusinessError(_("A filed community organisation is not a legal person: the "
                              "regulations' penalties apply to registered organisations; the "
                              "street may warn, order a correction or cancel the filing."),
                            code=Code.PENALTY_KIND)
    if org.track == Track.REGISTERED and PenaltyKind.CANCEL_FILING in chosen:
        raise BusinessError(_("A registered organisation has no filing to cancel."),
                            code=Code.PENALTY_KIND)
    if (PenaltyKind.FINE in chosen) != (fine_fen > 0):
        raise BusinessError(_("A fine has an amount, and an amount needs a fine."),
                            code=Code.BAD_AMOUNT)
    if PenaltyKind.SUSPEND in chosen:
        if suspend_until is None or suspend_until <= day:
            raise BusinessError(_("A suspension runs until a day after today."), code=Code.BAD_DATE)
        if {PenaltyKind.REVOKE, PenaltyKind.CANCEL_FILING} & set(chosen):
            raise BusinessError(_("A revoked organisation is not also suspended."),
                                code=Code.PENALTY_KIND)
    elif suspend_until is not None:
        raise BusinessError(_("Only a suspension has an end date."), code=Code.BAD_DATE)
    if not facts.strip():
        raise BusinessError(_("State the facts."), code=Code.REASON_REQUIRED)
    with transaction.atomic():
        penalty = Penalty.objects.create(
            org=org, area_code=org.area_code, authority_code=org.authority_code,
            violation=violation, kinds=chosen, fine_fen=fine_fen, suspend_until=suspend_until,
            facts=facts.strip(), complaint_id=complaint_id, inspection_id=inspection_id,
            proposed_on=day)
        record(actor=actor, action=AuditAction.PENALTY_PROPOSE, obj=penalty,
               area_code=org.area_code, changes={"org": org.pk, "violation": violation,
                                                 "kinds": chosen, "fine_fen": fine_fen,
                                                 "basis": basis})
    return penalty


def penalty_step(*, actor: Any, penalty_id: int, action: str, on: date | None = None) -> Penalty:
    """Decide, drop, lift or quash; the organisation's status follows the decision (the
    penalty's history line first, then what it does to the organisation)."""
    day = today(on)
    with transaction.atomic():
        penalty = Penalty.objects.select_for_update().filter(pk=penalty_id).first()
        if penalty is None:
            raise NotFound()
        PENALTY.check(actor, penalty, action, on=day)
        org = require_org(penalty.org_id, lock=True)
        text = None
        if action == PenaltyAction.DECIDE:
            if PenaltyKind.SUSPEND in penalty.kinds and penalty.suspend_until is not None \
                    and penalty.suspend_until <= day:
                raise BusinessError(_("The suspension would already be over."),
                                    code=Code.BAD_DATE)
            require_live(org)
            penalty.decided_on = day
            doc = documents.issue(actor=actor, kind="orgs.penalty",
                                  prefix=f"{short_name(penalty.authority_code)}民社罚",
                                  issuer_code=penalty.authority_code, obj=penalty,
                                  area_code=penalty.area_code, on=day)
            text = TEXTS.stored("penalty_decided", number=doc.number)
        elif action in (PenaltyAction.LIFT, PenaltyAction.QUASH):
            penalty.ended_on = day
            if action == PenaltyAction.QUASH:
                issued = documents.issued_for("orgs.penalty", penalty)
                text = TEXTS.stored("penalty_quashed", number=issued.number if issued else "")
        PENALTY.move(actor=actor, obj=penalty, action=action, on=day, day=day, text=text,
                     public=True, changes={"decided_on": penalty.decided_on,
                                           "ended_on": penalty.ended_on})
        if action == PenaltyAction.DECIDE:
            _consequences(actor, org, penalty, day)
        elif action in (PenaltyAction.LIFT, PenaltyAction.QUASH):
            if org.status == Status.SUSPENDED:
                org.suspended_until = None
                ORG.move(actor=actor, obj=org, action=OrgAction.RESUME, on=day, day=day,
                         text=TEXTS.stored("resumed"))
            elif action == PenaltyAction.QUASH and org.status == Status.REVOKED and (
                    {PenaltyKind.REVOKE, PenaltyKind.CANCEL_FILING} & set(penalty.kinds)):
                org.ended_on = None
                ORG.move(actor=actor, obj=org, action=OrgAction.REINSTATE, on=day, day=day,
                         text=TEXTS.stored("reinstated"))
            _sync(org)
    return penalty


def _sync(org: Org) -> None:
    from shequ.orgs.services._common import sync_services

    sync_services(org)


def _consequences(actor: Any, org: Org, penalty: Penalty, day: date) -> None:
    kinds = set(penalty.kinds)
    if PenaltyKind.SUSPEND in kinds and org.status == Status.ACTIVE:
        org.suspended_until = penalty.suspend_until
        ORG.move(actor=actor, obj=org, action=OrgAction.SUSPEND, on=day, day=day,
                 text=TEXTS.stored("suspended", until=str(penalty.suspend_until)))
    if {PenaltyKind.REVOKE, PenaltyKind.CANCEL_FILING} & kinds:
        org.ended_on = day
        ORG.move(actor=actor, obj=org, action=OrgAction.REVOKE, on=day, day=day,
                 text=TEXTS.stored("revoked" if org.track == Track.REGISTERED
                                   else "filing_cancelled"))
    _sync(org)


def end_suspensions(*, actor: Any, on: date) -> int:
    """Suspensions whose last day has passed end (the periodic sweep)."""
    ended = 0
    for pk in Penalty.objects.filter(state=PenaltyState.DECIDED, suspend_until__lt=on
                                     ).values_list("pk", flat=True):
        penalty_step(actor=actor, penalty_id=pk, action=PenaltyAction.LIFT, on=on)
        ended += 1
    return ended


# ---------------------------------------------------------------- evaluation grades


def record_evaluation(*, actor: Any, org_id: int, grade: int, assessed_on: date | None = None,
                      note: str = "") -> Evaluation:
    day = today(assessed_on)
    org = require_org(org_id)
    authz.check(actor, Perm.EVALUATE, org.authority_code)
    profile = rules.profile(org.area_code)
    require_registered(org, _("an evaluation grade"), profile.rule("grade_valid_years").source())
    if not 1 <= int(grade) <= 5:
        raise BusinessError(_("A grade is 1A to 5A."), code=Code.GRADE)
    years = profile.number("grade_valid_years")
    try:
        until = day.replace(year=day.year + years)
    except ValueError:  # 29 February
        until = day.replace(year=day.year + years, day=28)
    with transaction.atomic():
        ev = Evaluation.objects.create(org=org, grade=int(grade), assessed_on=day,
                                       valid_until=until, note=note.strip()[:200])
        history(org, "graded", day=day, actor=actor, grade=int(grade), until=str(until))
        _sync(org)
        record(actor=actor, action=AuditAction.EVALUATION_RECORD, obj=ev, area_code=org.area_code,
               changes={"org": org.pk, "grade": int(grade), "valid_until": until})
    return ev
