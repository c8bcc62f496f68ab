"""The lifecycles of ``orgs``: applications (one per deciding authority: the street that
keeps filings, the registration authority), organisations, annual reports, inspections,
complaints, penalties, incubations and grants.

Permissions are checked at the object's ``authority_code`` (who keeps the file), so a
street officer decides the filings of their street and never a registration. Steps an
organisation takes itself (supply materials, withdraw, resubmit, report) need no staff
permission but the ``operates`` guard: the actor acts for that organisation. Organisation
moves (suspend, deregister…) have no permission of their own: they are consequences of a
decision whose step already checked one (an approved deregistration, a decided penalty).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shequ.authz import SystemActor
from shequ.lifecycle import Ctx, Lifecycle, Step, refuse
from shequ.orgs import rules
from shequ.orgs.access import operates
from shequ.orgs.enums import Code, Perm
from shequ.orgs.models import (
    AnnualReport,
    AppAction,
    AppEvent,
    Application,
    AppState,
    Complaint,
    ComplaintAction,
    ComplaintState,
    GrantAction,
    GrantApplication,
    GrantState,
    Incubation,
    IncubationAction,
    IncubationState,
    Inspection,
    InspectionAction,
    InspectionState,
    Org,
    OrgAction,
    OrgEvent,
    Penalty,
    PenaltyAction,
    PenaltyKind,
    PenaltyState,
    ReportAction,
    ReportState,
    Status,
    Track,
)

# -- guards: look, never write ---------------------------------------------------------


def _acts_for_applicant(actor: Any, app: Application, ctx: Ctx) -> Any:
    if isinstance(actor, SystemActor):
        return None
    if app.applicant_id is not None and app.applicant_id == getattr(actor, "pk", None):
        return None
    if app.org_id is not None and operates(actor, app.org_id):
        return None
    return refuse(_("Only the applicant or the organisation's own users may do this."),
                  Code.NOT_OPERATOR)


def _within_notice_window(actor: Any, app: Application, ctx: Ctx) -> Any:
    if ctx.on > app.notice_by:
        return refuse(_("The window for naming missing materials ended on %(day)s: an "
                        "application not told within five working days counts as accepted on "
                        "receipt (行政许可法 第三十二条第一款第（四）项). Accept it instead.")
                      % {"day": app.notice_by.isoformat()}, Code.NOTICE_WINDOW,
                      notice_by=app.notice_by.isoformat())
    return None


def _one_notice(actor: Any, app: Application, ctx: Ctx) -> Any:
    """All missing materials are named in one notice; a later return may only repeat items
    of that notice that are still missing or not valid (ADR 0700)."""
    named = [str(m) for m in ctx.inputs.get("missing", [])]
    if "missing" in ctx.inputs and not named:
        return refuse(_("Name the missing materials."), Code.MISSING_REQUIRED)
    if app.notices and named and not set(named) <= set(app.missing):
        extra = sorted(set(named) - set(app.missing))
        return refuse(_("All missing materials must be named at once in the first notice "
                        "(行政许可法 第三十二条第一款第（四）项); these were not named then: "
                        "%(items)s.") % {"items": "、".join(_material_names(app, extra))},
                      Code.ONE_NOTICE, items=extra)
    return None


def _material_names(app: Application, keys: list[str]) -> list[str]:
    names = dict(rules.materials_for(app.kind, app.org_kind, app.track)["items"])
    return [str(names.get(k, k)) for k in keys]


def _materials_complete(actor: Any, app: Application, ctx: Ctx) -> Any:
    needed = [k for k, _label in rules.materials_for(app.kind, app.org_kind, app.track)["items"]]
    missing = [k for k in needed if k not in app.materials]
    if missing:
        return refuse(_("Materials are still missing: %(items)s. Return the application naming "
                        "them all, or wait for them.")
                      % {"items": "、".join(_material_names(app, missing))},
                      Code.STILL_MISSING, items=missing)
    return None


def _window_passed(actor: Any, app: Application, ctx: Ctx) -> Any:
    if ctx.on <= app.notice_by:
        return refuse(_("The window for naming missing materials is still open."),
                      Code.NOTICE_WINDOW)
    return None


def _reason_given(actor: Any, app: Application, ctx: Ctx) -> Any:
    if "reason" in ctx.inputs and not ctx.inputs.get("reason"):
        return refuse(_("A refusal states its grounds (社会团体登记管理条例 第十二条第一款: "
                        "不予登记的，应当向发起人说明理由)."), Code.REASON_REQUIRED)
    return None


def _may_extend(actor: Any, app: Application, ctx: Ctx) -> Any:
    if app.kind in ("establish", "convert", "file"):
        return refuse(_("The registration regulations set 60 days with no extension; the "
                        "filing limit is the district's promise."), Code.BAD_DATE)
    if any(f.get("flag") == "extended" for f in app.flags):
        return refuse(_("The time limit may be extended once only (行政许可法 第四十二条第一款)."),
                      Code.BAD_DATE)
    return None


def _app_event(app: Application, *, action: str, source: str, target: str, actor: Any,
               at: Any, day: Any = None, note: str = "", **data: Any) -> None:
    AppEvent.objects.create(application=app, at=at, on=day or timezone.localdate(),
                            action=action, from_state=source, to_state=target,
                            actor_name=str(getattr(actor, "username", "") or actor),
                            note=note, data=data)


def _application(name: str, perm: str) -> Lifecycle[Application]:
    return Lifecycle(
        name, noun=_("application"), states=AppState, actions=AppAction, event=_app_event,
        area=lambda app: app.authority_code, steps=[
            Step(AppAction.ACCEPT, (AppState.SUBMITTED,), AppState.IN_REVIEW, perm=perm,
                 guards=(_materials_complete,)),
            Step(AppAction.RETURN, (AppState.SUBMITTED,), AppState.RETURNED, perm=perm,
                 guards=(_within_notice_window, _one_notice)),
            Step(AppAction.DEEM, (AppState.SUBMITTED,), AppState.IN_REVIEW, perm=perm,
                 guards=(_window_passed,)),
            Step(AppAction.SUPPLY, (AppState.RETURNED,), AppState.SUBMITTED,
                 guards=(_acts_for_applicant,)),
            Step(AppAction.APPROVE, (AppState.IN_REVIEW,), AppState.APPROVED, perm=perm),
            Step(AppAction.REJECT, (AppState.IN_REVIEW,), AppState.REJECTED, perm=perm,
                 guards=(_reason_given,)),
            Step(AppAction.EXTEND, (AppState.IN_REVIEW,), None, perm=perm,
                 guards=(_may_extend,)),
            Step(AppAction.WITHDRAW, (AppState.SUBMITTED, AppState.RETURNED, AppState.IN_REVIEW),
                 AppState.WITHDRAWN, guards=(_acts_for_applicant,)),
        ])


FILING: Lifecycle[Application] = _application("orgs.filing", Perm.FILING_DECIDE)
REGISTRATION: Lifecycle[Application] = _application("orgs.registration",
                                                     Perm.REGISTRATION_DECIDE)


def application_lifecycle(app: Application) -> Lifecycle[Application]:
    """The street decides filings (and changes or ends of filed organisations); the
    registration authority everything else."""
    return FILING if app.track == Track.FILED else REGISTRATION


# -- organisations --------------------------------------------------------------------


def _org_event(org: Org, *, action: str, source: str, target: str, actor: Any, at: Any,
               day: Any = None, text: dict[str, Any] | None = None, public: bool = True,
               **data: Any) -> None:
    OrgEvent.objects.create(org=org, on=day or timezone.localdate(), action=action,
                            text=text or {}, public=public,
                            actor_name=str(getattr(actor, "username", "") or actor))


ORG: Lifecycle[Org] = Lifecycle(
    "orgs.org", noun=_("organisation"), states=Status, actions=OrgAction, field="status",
    event=_org_event, area=lambda org: org.authority_code, steps=[
        Step(OrgAction.SUSPEND, (Status.ACTIVE,), Status.SUSPENDED),
        Step(OrgAction.RESUME, (Status.SUSPENDED,), Status.ACTIVE),
        Step(OrgAction.DEREGISTER, (Status.ACTIVE, Status.SUSPENDED), Status.DEREGISTERED),
        Step(OrgAction.REVOKE, (Status.ACTIVE, Status.SUSPENDED), Status.REVOKED),
        Step(OrgAction.MERGE, (Status.ACTIVE,), Status.MERGED),
        Step(OrgAction.REINSTATE, (Status.REVOKED,), Status.ACTIVE),
    ])


def _obj_org_event(obj: Model, *, action: str, source: str, target: str, actor: Any, at: Any,
                   day: Any = None, text: dict[str, Any] | None = None, public: bool = False,
                   **data: Any) -> None:
    """History lines of an organisation for steps of its reports, penalties, grants…:
    written only when the step says what to write (``text``)."""
    if text:
        OrgEvent.objects.create(org_id=obj.org_id, on=day or timezone.localdate(),  # type: ignore[attr-defined]
                                action=action, text=text, public=public,
                                actor_name=str(getattr(actor, "username", "") or actor))


def _operator_of_org(actor: Any, obj: Any, ctx: Ctx) -> Any:
    if operates(actor, obj.org_id):
        return None
    return refuse(_("Only the organisation's own users may do this."), Code.NOT_OPERATOR)


REPORT: Lifecycle[AnnualReport] = Lifecycle(
    "orgs.report", noun=_("annual report"), states=ReportState, actions=ReportAction,
    event=_obj_org_event, area=lambda r: r.authority_code, steps=[
        Step(ReportAction.RETURN, (ReportState.LODGED,), ReportState.RETURNED,
             perm=Perm.SUPERVISE),
        Step(ReportAction.RESUBMIT, (ReportState.RETURNED,), ReportState.LODGED,
             guards=(_operator_of_org,)),
        Step(ReportAction.PASS, (ReportState.LODGED,), ReportState.PASSED, perm=Perm.SUPERVISE),
        Step(ReportAction.PASS_BASIC, (ReportState.LODGED,), ReportState.BASIC,
             perm=Perm.SUPERVISE),
        Step(ReportAction.FAIL, (ReportState.LODGED,), ReportState.FAILED, perm=Perm.SUPERVISE),
    ])

INSPECTION: Lifecycle[Inspection] = Lifecycle(
    "orgs.inspection", noun=_("inspection"), states=InspectionState, actions=InspectionAction,
    event=_obj_org_event, area=lambda i: i.authority_code, steps=[
        Step(InspectionAction.CLEAR, (InspectionState.PLANNED,), InspectionState.CLEAR,
             perm=Perm.SUPERVISE),
        Step(InspectionAction.FIND, (InspectionState.PLANNED,), InspectionState.RECTIFY,
             perm=Perm.SUPERVISE),
        Step(InspectionAction.CONFIRM, (InspectionState.RECTIFY,), InspectionState.RECTIFIED,
             perm=Perm.SUPERVISE),
        Step(InspectionAction.REFER, (InspectionState.RECTIFY,), InspectionState.REFERRED,
             perm=Perm.SUPERVISE),
    ])

COMPLAINT: Lifecycle[Complaint] = Lifecycle(
    "orgs.complaint", noun=_("complaint"), states=ComplaintState, actions=ComplaintAction,
    area=lambda c: c.authority_code, steps=[
        Step(ComplaintAction.INVESTIGATE, (ComplaintState.RECEIVED,),
             ComplaintState.INVESTIGATING, perm=Perm.SUPERVISE),
        Step(ComplaintAction.UPHOLD, (ComplaintState.INVESTIGATING,), ComplaintState.UPHELD,
             perm=Perm.SUPERVISE),
        Step(ComplaintAction.DISMISS, (ComplaintState.INVESTIGATING,), ComplaintState.DISMISSED,
             perm=Perm.SUPERVISE),
    ])


def _suspension(actor: Any, p: Penalty, ctx: Ctx) -> Any:
    if PenaltyKind.SUSPEND not in p.kinds:
        return refuse(_("This penalty suspends nothing."), Code.PENALTY_KIND)
    return None


PENALTY: Lifecycle[Penalty] = Lifecycle(
    "orgs.penalty", noun=_("penalty"), states=PenaltyState, actions=PenaltyAction,
    event=_obj_org_event, area=lambda p: p.authority_code, steps=[
        Step(PenaltyAction.DECIDE, (PenaltyState.PROPOSED,), PenaltyState.DECIDED,
             perm=Perm.PENALISE),
        Step(PenaltyAction.DROP, (PenaltyState.PROPOSED,), PenaltyState.DROPPED,
             perm=Perm.PENALISE),
        Step(PenaltyAction.LIFT, (PenaltyState.DECIDED,), PenaltyState.LIFTED,
             perm=Perm.PENALISE, guards=(_suspension,)),
        Step(PenaltyAction.QUASH, (PenaltyState.DECIDED,), PenaltyState.QUASHED,
             perm=Perm.PENALISE),
    ])

INCUBATION: Lifecycle[Incubation] = Lifecycle(
    "orgs.incubation", noun=_("incubation"), states=IncubationState, actions=IncubationAction,
    event=_obj_org_event, area=lambda i: i.centre.area_code, steps=[
        Step(IncubationAction.ADMIT, (IncubationState.APPLIED,), IncubationState.INCUBATING,
             perm=Perm.SUPPORT),
        Step(IncubationAction.DECLINE, (IncubationState.APPLIED,), IncubationState.DECLINED,
             perm=Perm.SUPPORT),
        Step(IncubationAction.GRADUATE, (IncubationState.INCUBATING,),
             IncubationState.GRADUATED, perm=Perm.SUPPORT),
        Step(IncubationAction.LEAVE, (IncubationState.INCUBATING,), IncubationState.LEFT,
             perm=Perm.SUPPORT),
    ])

GRANT: Lifecycle[GrantApplication] = Lifecycle(
    "orgs.grant", noun=_("grant application"), states=GrantState, actions=GrantAction,
    event=_obj_org_event, area=lambda g: g.authority_code, steps=[
        Step(GrantAction.APPROVE, (GrantState.SUBMITTED,), GrantState.APPROVED,
             perm=Perm.SUPPORT),
        Step(GrantAction.REJECT, (GrantState.SUBMITTED,), GrantState.REJECTED,
             perm=Perm.SUPPORT),
        Step(GrantAction.WITHDRAW, (GrantState.SUBMITTED,), GrantState.WITHDRAWN,
             guards=(_operator_of_org,)),
        Step(GrantAction.REPORT, (GrantState.APPROVED,), GrantState.REPORTED,
             guards=(_operator_of_org,)),
        Step(GrantAction.CLOSE, (GrantState.REPORTED,), GrantState.CLOSED, perm=Perm.SUPPORT),
    ])
