"""Applications from receipt to decision, and what a decision does to the registry.

Every use case runs in one transaction and checks everything it can before its first
write, so a refusal changes nothing. Clocks (ADR 0700): the registration limit runs in
calendar days from the day *all valid documents* were received; the window for naming
missing materials and the limits of the Administrative Licensing Law in working days.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from shequ import authz
from shequ.accounts.facade import display_name
from shequ.audit.services import record
from shequ.authz import SYSTEM
from shequ.core.calendar import CalendarYearUnknown, WorkdayCalendar, get_calendar
from shequ.core.errors import BusinessError, Conflict, NotFound
from shequ.documents import services as documents
from shequ.orgs import rules
from shequ.orgs.enums import AuditAction, Code, Perm
from shequ.orgs.lifecycles import ORG, application_lifecycle
from shequ.orgs.models import (
    FILED_KINDS,
    REGISTERED_KINDS,
    AppAction,
    AppEvent,
    AppKind,
    Application,
    AppState,
    Kind,
    Operator,
    Org,
    OrgAction,
    RejectReason,
    Track,
    track_of,
)
from shequ.orgs.services._common import (
    ORG_FIELDS,
    actor_name,
    area_name,
    authority_for,
    check_credit_code,
    check_legal_rep,
    check_name_free,
    check_requirements,
    clean_items,
    clean_name,
    history,
    new_credit_code,
    next_serial,
    open_application,
    require_area,
    require_live,
    require_operator,
    require_org,
    require_registered,
    short_name,
    sync_services,
    today,
)
from shequ.rules import Profile, Unit

DAYS, WORKING_DAYS = str(Unit.DAYS), str(Unit.WORKING_DAYS)


def limit_of(kind: str, track: str) -> tuple[str, str]:
    """The rule that sets an application's time limit, and its unit."""
    if kind in (AppKind.ESTABLISH, AppKind.CONVERT):
        return "registration_days", DAYS
    if kind == AppKind.RECOGNISE:
        return "recognition_days", DAYS
    if track == Track.FILED:
        return "filing_days", WORKING_DAYS
    return "decision_days", WORKING_DAYS


def compute_due(app: Application, profile: Profile, cal: WorkdayCalendar) -> None:
    """``due_on`` from ``complete_on``: the period's last day, its first day not counted."""
    assert app.complete_on is not None
    key, unit = limit_of(app.kind, app.track)
    app.limit_days, app.limit_unit = profile.number(key), unit
    span = app.limit_days + app.extension_days
    if unit == DAYS:
        app.due_on, settled = rules.period_end(app.complete_on, span, cal)
        app.due_provisional = not settled
    else:
        app.due_on, app.due_provisional = cal.add(app.complete_on, span), False


def _material_keys(app_kind: str, org_kind: str, track: str, keys: Sequence[str]) -> list[str]:
    known = [k for k, _label in rules.materials_for(app_kind, org_kind, track)["items"]]
    unknown = [k for k in keys if k not in known]
    if unknown:
        raise BusinessError(_("Unknown materials: %(items)s.") % {"items": ", ".join(unknown)},
                            code=Code.MATERIALS_UNKNOWN, details={"known": known})
    return [k for k in known if k in set(keys)]  # the law's order, no repeats


# ---------------------------------------------------------------- submission


def submit(*, actor: Any, kind: str, org_kind: str = "", area_code: str = "", name: str = "",
           org_id: int | None = None, partner_id: int | None = None,
           items: Mapping[str, Any] | None = None, materials: Sequence[str] = (),
           applicant_name: str = "", on: date | None = None) -> Application:
    """Receive an application (the clock has not started: materials are checked first)."""
    day = today(on)
    asked_name = name
    if kind not in AppKind.values:
        raise BusinessError(_("Unknown kind of application."), code=Code.KIND_TRACK)
    data = clean_items(items or {})
    flags: list[dict[str, Any]] = []
    org: Org | None = None
    partner: Org | None = None
    if kind in (AppKind.ESTABLISH, AppKind.FILE):
        allowed = REGISTERED_KINDS if kind == AppKind.ESTABLISH else FILED_KINDS
        if org_kind not in allowed:
            raise BusinessError(_("%(kind)s is not a kind of organisation this application "
                                  "creates.") % {"kind": org_kind}, code=Code.KIND_TRACK)
        area = require_area(area_code)
        authz.check(actor, Perm.APPLY, area.code)
        area_code, track = area.code, track_of(org_kind)
        name = clean_name(name, org_kind)
        authority = authority_for(org_kind, area_code)
    else:
        if org_id is None:
            raise NotFound(_("No such organisation."), code=Code.UNKNOWN_ORG)
        org = require_org(org_id)
        authz.check(actor, Perm.APPLY, org.area_code)
        require_operator(actor, org)
        require_live(org)
        area_code, track, authority = org.area_code, org.track, org.authority_code
        if kind == AppKind.CONVERT:
            if org.track != Track.FILED:
                raise BusinessError(_("%(name)s is already registered.") % {"name": org.name},
                                    code=Code.KIND_TRACK)
            if org_kind not in (Kind.ASSOCIATION, Kind.PNE):
                raise BusinessError(_("A filed organisation moves to registration as a social "
                                      "association or a private non-enterprise unit."),
                                    code=Code.KIND_TRACK)
            track, authority = Track.REGISTERED, authority_for(org_kind, org.area_code)
            name = clean_name(name or org.name, org_kind)
        else:
            org_kind = org.kind
            name = org.name
        if kind == AppKind.CHANGE:
            data, name = _change_items(org, data, name_asked=asked_name, day=day, flags=flags,
                                       requested=items or {})
        elif kind == AppKind.MERGE:
            partner = _merge_partner(actor, org, partner_id)
        elif kind == AppKind.DEREGISTER:
            _deregistration_dates(org, data, day, flags)
        elif kind == AppKind.RECOGNISE:
            rule = rules.RULESET.rules["recognition_days"]
            require_registered(org, _("recognition as a charitable organisation"),
                               str(rule.citation))
            if org.charity:
                raise Conflict(_("%(name)s is already recognised as a charitable "
                                 "organisation.") % {"name": org.name}, code=Code.PENDING)
        pending = open_application(org.pk, [kind])
        if pending is not None:
            raise Conflict(_("An application of this kind is already open: %(number)s.")
                           % {"number": pending.number}, code=Code.PENDING,
                           details={"number": pending.number})
    profile = rules.profile(area_code)
    if kind in (AppKind.ESTABLISH, AppKind.FILE, AppKind.CONVERT):
        figures = _figures(org, data)
        check_requirements(org_kind, figures, profile)
        check_name_free(name, authority, org_id=org.pk if org else None)
        check_legal_rep(org_kind, str(figures.get("person_in_charge", "")),
                        org_id=org.pk if org else None)
        data = {k: v for k, v in figures.items() if k in ORG_FIELDS}
    received = _material_keys(kind, org_kind, track, materials)
    key, unit = limit_of(kind, track)
    cal = get_calendar()
    notice_by = cal.add(day, profile.number("notice_days"))
    who = applicant_name.strip()[:100] or (org.name if org else "") or display_name(actor)
    with transaction.atomic():
        seq = next_serial(authority, day.year)
        app = Application.objects.create(
            number=f"{authority}-{day.year}-{seq:05d}", authority_code=authority, year=day.year,
            seq=seq, kind=kind, org_kind=org_kind, track=track, org=org, partner=partner,
            name=name, area_code=area_code, street_code=area_code[:9],
            applicant=actor if getattr(actor, "pk", None) else None, applicant_name=who,
            data=data, materials=received, received_on=day, notice_by=notice_by,
            materials_on=day, limit_days=profile.number(key), limit_unit=unit, flags=flags,
            rules_version=profile.version)
        AppEvent.objects.create(application=app, at=app.created_at, on=day, action="submit",
                                to_state=app.state, actor_name=actor_name(actor),
                                data={"materials": received})
        record(actor=actor, action=AuditAction.APPLICATION_SUBMIT, obj=app,
               area_code=app.area_code, changes={"number": app.number, "kind": kind,
                                                 "org_kind": org_kind, "name": name,
                                                 "materials": received, "flags": flags})
    return app


def _figures(org: Org | None, data: dict[str, Any]) -> dict[str, Any]:
    """What the organisation would be: its current figures overlaid with those applied for."""
    base = {f: getattr(org, f) for f in ORG_FIELDS} if org is not None else {}
    return base | data


def _change_items(org: Org, data: dict[str, Any], *, name_asked: str, day: date,
                  flags: list[dict[str, Any]], requested: Mapping[str, Any]
                  ) -> tuple[dict[str, Any], str]:
    new_name = org.name
    if requested.get("name") or (name_asked and name_asked != org.name):
        new_name = clean_name(str(requested.get("name") or name_asked), org.kind)
    changes = {k: v for k, v in data.items() if k in ORG_FIELDS and getattr(org, k) != v}
    if new_name != org.name:
        changes["name"] = new_name
        check_name_free(new_name, org.authority_code, org_id=org.pk)
    if not changes:
        raise BusinessError(_("Nothing would change."), code=Code.NOTHING_TO_CHANGE)
    if "person_in_charge" in changes:
        check_legal_rep(org.kind, changes["person_in_charge"], org_id=org.pk)
    if org.track == Track.REGISTERED:
        consent = data.get("agency_approved_on")
        rule = rules.RULESET.rules["change_apply_days"]
        if not consent:
            raise BusinessError(_("Give the day the supervising agency consented to the change "
                                  "(%(source)s).") % {"source": rule.source()},
                                code=Code.BAD_DATE)
        consented = date.fromisoformat(consent)
        if consented > day:
            raise BusinessError(_("The supervising agency's consent cannot be later than the "
                                  "application."), code=Code.BAD_DATE)
        changes["agency_approved_on"] = consent
        if (day - consented).days > rules.profile(org.area_code).number("change_apply_days"):
            flags.append({"flag": "late_change", "days": (day - consented).days})
    return changes, new_name


def _merge_partner(actor: Any, org: Org, partner_id: int | None) -> Org:
    if partner_id is None or partner_id == org.pk:
        raise BusinessError(_("Name the organisation that merges into this one."),
                            code=Code.MERGE_PARTNER)
    partner = require_org(partner_id)
    require_live(partner)
    if partner.track != org.track or partner.authority_code != org.authority_code:
        raise BusinessError(_("Organisations merge under the same authority and on the same "
                              "track."), code=Code.MERGE_PARTNER)
    if open_application(partner.pk, [AppKind.MERGE, AppKind.DEREGISTER]) is not None:
        raise Conflict(_("%(name)s has an open merger or deregistration.")
                       % {"name": partner.name}, code=Code.PENDING)
    return partner


def _deregistration_dates(org: Org, data: dict[str, Any], day: date,
                          flags: list[dict[str, Any]]) -> None:
    if org.track != Track.REGISTERED:
        return
    rule = rules.RULESET.rules["deregister_apply_days"]
    ended = data.get("liquidation_ended_on")
    if not ended:
        raise BusinessError(_("Give the day the liquidation ended (%(source)s).")
                            % {"source": rule.source()}, code=Code.BAD_DATE)
    ended_on = date.fromisoformat(ended)
    if ended_on > day:
        raise BusinessError(_("The liquidation cannot end after the application."),
                            code=Code.BAD_DATE)
    if (day - ended_on).days > rules.profile(org.area_code).number("deregister_apply_days"):
        flags.append({"flag": "late_deregistration", "days": (day - ended_on).days})


# ---------------------------------------------------------------- steps


def _locked(number: str) -> Application:
    app = Application.objects.select_for_update().filter(number=number).first()
    if app is None:
        raise NotFound(_("No such application."), code=Code.UNKNOWN_APPLICATION)
    return app


def act(*, actor: Any, number: str, action: str, on: date | None = None,
        missing: Sequence[str] = (), materials: Sequence[str] = (), reason: str = "",
        reason_text: str = "", note: str = "", credit_code: str = "",
        days: int | None = None) -> Application:
    """Take one step of an application's lifecycle; refusals change nothing."""
    day = today(on)
    with transaction.atomic():
        app = _locked(number)
        cycle = application_lifecycle(app)
        profile = rules.profile(app.area_code)
        cal = get_calendar()
        changes: dict[str, Any] = {}
        inputs: dict[str, Any] = {}
        if action == AppAction.RETURN:
            named = _material_keys(app.kind, app.org_kind, app.track, missing)
            inputs = {"missing": named}
            cycle.check(actor, app, action, on=day, **inputs)
            app.missing, app.notices = named, app.notices + 1
            app.materials = [m for m in app.materials if m not in named]
            changes = {"missing": named}
        elif action == AppAction.SUPPLY:
            cycle.check(actor, app, action, on=day)
            supplied = _material_keys(app.kind, app.org_kind, app.track, materials)
            lacking = [m for m in app.missing if m not in supplied]
            if lacking:
                raise BusinessError(_("Supply everything the notice named; still missing: "
                                      "%(items)s.") % {"items": "、".join(_names(app, lacking))},
                                    code=Code.STILL_MISSING, details={"items": lacking})
            app.materials = [m for m in _all_materials(app) if m in set(app.materials) | set(supplied)]
            app.materials_on = day
            app.notice_by = cal.add(day, profile.number("notice_days"))
            changes = {"supplied": supplied}
        elif action in (AppAction.ACCEPT, AppAction.DEEM):
            cycle.check(actor, app, action, on=day)
            # the clock runs from the day the (last) materials arrived, whenever the
            # acceptance is recorded (行政许可法 第三十二条; 社团条例 第十二条)
            app.complete_on = app.materials_on
            compute_due(app, profile, cal)
            changes = {"complete_on": app.complete_on, "due_on": app.due_on}
        elif action == AppAction.APPROVE:
            cycle.check(actor, app, action, on=day)
            _approve(actor, app, day, profile, credit_code.strip())
            app.decided_on, app.late = day, bool(app.due_on and day > app.due_on)
            changes = {"decided_on": day, "late": app.late, "org": app.org_id}
        elif action == AppAction.REJECT:
            if reason and reason not in RejectReason.values:
                raise BusinessError(_("Unknown grounds."), code=Code.REASON_REQUIRED)
            if reason == RejectReason.OTHER and not reason_text.strip():
                raise BusinessError(_("State the reasons."), code=Code.REASON_REQUIRED)
            inputs = {"reason": reason}
            cycle.check(actor, app, action, on=day, **inputs)
            app.reason, app.reason_text = reason, reason_text.strip()
            app.decided_on, app.late = day, bool(app.due_on and day > app.due_on)
            changes = {"reason": reason, "decided_on": day, "late": app.late}
        elif action == AppAction.EXTEND:
            cycle.check(actor, app, action, on=day)
            days = _extension(app, profile, days)
            if not note.strip():
                raise BusinessError(_("An extension states its reason, which the applicant is "
                                      "told (行政许可法 第四十二条第一款)."), code=Code.REASON_REQUIRED)
            # the step is judged before the extension is recorded (once only)
            cycle.move(actor=actor, obj=app, action=action, on=day,
                       changes={"extension_days": days}, day=day, note=note.strip())
            app.extension_days = days
            app.flags = [*app.flags, {"flag": "extended", "days": days}]
            compute_due(app, profile, cal)
            app.save(update_fields=["extension_days", "flags", "due_on", "due_provisional",
                                    "limit_days", "limit_unit", "updated_at"])
            return app
        else:  # withdraw, or anything the lifecycle will refuse by name
            cycle.check(actor, app, action, on=day)
        cycle.move(actor=actor, obj=app, action=action, on=day, changes=changes, inputs=inputs,
                   day=day, note=note.strip())
    return app


def _all_materials(app: Application) -> list[str]:
    return [k for k, _label in rules.materials_for(app.kind, app.org_kind, app.track)["items"]]


def _names(app: Application, keys: Sequence[str]) -> list[str]:
    labels = dict(rules.materials_for(app.kind, app.org_kind, app.track)["items"])
    return [str(labels.get(k, k)) for k in keys]


def _extension(app: Application, profile: Profile, days: int | None) -> int:
    if app.kind == AppKind.RECOGNISE:
        most = profile.number("recognition_extension_days")
        if days is None or not 0 < days <= most:
            raise BusinessError(_("The extension is at most %(n)s (%(source)s).")
                                % {"n": profile.rule("recognition_extension_days").display(),
                                   "source": profile.rule("recognition_extension_days").source()},
                                code=Code.BAD_DATE)
        return days
    most = profile.number("extension_days")
    if days is not None and not 0 < days <= most:
        raise BusinessError(_("The extension is at most %(n)s (%(source)s).")
                            % {"n": profile.rule("extension_days").display(),
                               "source": profile.rule("extension_days").source()},
                            code=Code.BAD_DATE)
    return days or most


# ---------------------------------------------------------------- what a decision does


def _approve(actor: Any, app: Application, day: date, profile: Profile, credit_code: str) -> None:
    kind = app.kind
    if kind in (AppKind.ESTABLISH, AppKind.FILE):
        _create(actor, app, day, profile, credit_code)
        return
    assert app.org_id is not None
    org = require_org(app.org_id, lock=True)
    require_live(org)
    if kind == AppKind.CHANGE:
        _apply_change(actor, app, org, day)
    elif kind == AppKind.CONVERT:
        _convert(actor, app, org, day, profile, credit_code)
    elif kind == AppKind.MERGE:
        assert app.partner_id is not None
        partner = require_org(app.partner_id, lock=True)
        require_live(partner)
        partner.merged_into, partner.ended_on = org, day
        ORG.move(actor=actor, obj=partner, action=OrgAction.MERGE, on=day,
                 changes={"merged_into": org.pk}, day=day,
                 text=_text("merged_into", name=org.name))
        sync_services(partner)
        history(org, "absorbed", day=day, actor=actor, name=partner.name)
    elif kind == AppKind.DEREGISTER:
        org.ended_on = day
        ORG.move(actor=actor, obj=org, action=OrgAction.DEREGISTER, on=day, day=day,
                 text=_text("deregistered" if org.track == Track.REGISTERED else "filing_ended"))
        sync_services(org)
        if org.track == Track.REGISTERED:
            documents.issue(actor=actor, kind="orgs.deregistration",
                            prefix=f"{short_name(app.authority_code)}民社注",
                            issuer_code=app.authority_code, obj=app, area_code=app.area_code,
                            on=day)
    elif kind == AppKind.RECOGNISE:
        org.charity = True
        org.save(update_fields=["charity", "updated_at"])
        history(org, "recognised", day=day, actor=actor)
        record(actor=actor, action=AuditAction.ORG_CHANGE, obj=org, area_code=org.area_code,
               changes={"charity": [False, True], "application": app.number})


def _text(key: str, **params: Any) -> dict[str, Any]:
    from shequ.orgs.texts import TEXTS

    return TEXTS.stored(key, **params)


def _create(actor: Any, app: Application, day: date, profile: Profile, credit_code: str) -> None:
    items = dict(app.data)
    check_requirements(app.org_kind, items, profile)
    check_name_free(app.name, app.authority_code, app_id=app.pk)
    check_legal_rep(app.org_kind, str(items.get("person_in_charge", "")))
    code, filing_number = "", ""
    if app.track == Track.REGISTERED:
        code = (check_credit_code(credit_code, app.org_kind, app.authority_code) if credit_code
                else new_credit_code(app.org_kind, app.authority_code))
    else:
        doc = documents.issue(actor=actor, kind="orgs.filing",
                              prefix=f"{short_name(app.authority_code)}社备",
                              issuer_code=app.authority_code, obj=app, area_code=app.area_code,
                              on=day)
        filing_number = doc.number
    org = Org.objects.create(
        name=app.name, track=app.track, kind=app.org_kind, credit_code=code,
        filing_number=filing_number, area_code=app.area_code, street_code=app.street_code,
        authority_code=app.authority_code, founded_on=day,
        **{k: v for k, v in items.items() if k in ORG_FIELDS})
    app.org = org
    if app.applicant_id is not None:
        Operator.objects.get_or_create(org=org, user_id=app.applicant_id,
                                       defaults={"added_on": day})
    sync_services(org)
    if code:
        history(org, "registered", day=day, actor=actor, code=code)
        documents.issue(actor=actor, kind="orgs.certificate",
                        prefix=f"{short_name(app.authority_code)}民社证",
                        issuer_code=app.authority_code, obj=app, area_code=app.area_code, on=day)
    else:
        history(org, "filed", day=day, actor=actor, street=area_name(app.authority_code),
                number=filing_number)
    record(actor=actor, action=AuditAction.ORG_CREATE, obj=org, area_code=org.area_code,
           changes={"name": org.name, "track": org.track, "kind": org.kind,
                    "credit_code": code, "filing_number": filing_number,
                    "application": app.number})


def _apply_change(actor: Any, app: Application, org: Org, day: date) -> None:
    changes = {k: v for k, v in app.data.items() if k in (*ORG_FIELDS, "name")}
    if "name" in changes:
        check_name_free(changes["name"], org.authority_code, org_id=org.pk)
        history(org, "renamed", day=day, actor=actor, old=org.name, new=changes["name"])
    if "address" in changes:
        history(org, "moved", day=day, actor=actor, address=changes["address"])
    if "person_in_charge" in changes:
        check_legal_rep(org.kind, changes["person_in_charge"], org_id=org.pk)
        history(org, "new_person", day=day, actor=actor, person=changes["person_in_charge"])
    if set(changes) - {"name", "address", "person_in_charge"}:
        history(org, "items_changed", day=day, actor=actor)
    before = {k: getattr(org, k) for k in changes}
    for k, v in changes.items():
        setattr(org, k, v)
    org.save()
    sync_services(org)
    if org.track == Track.REGISTERED:
        documents.issue(actor=actor, kind="orgs.certificate",
                        prefix=f"{short_name(org.authority_code)}民社证",
                        issuer_code=org.authority_code, obj=app, area_code=app.area_code, on=day)
    record(actor=actor, action=AuditAction.ORG_CHANGE, obj=org, area_code=org.area_code,
           changes={k: [before[k], v] for k, v in changes.items()} | {"application": app.number})


def _convert(actor: Any, app: Application, org: Org, day: date, profile: Profile,
             credit_code: str) -> None:
    items = dict(app.data)
    check_requirements(app.org_kind, items, profile)
    if app.name != org.name:
        check_name_free(app.name, app.authority_code, org_id=org.pk)
    code = (check_credit_code(credit_code, app.org_kind, app.authority_code, org_id=org.pk)
            if credit_code else new_credit_code(app.org_kind, app.authority_code))
    before = {"track": org.track, "kind": org.kind, "authority_code": org.authority_code}
    org.name, org.track, org.kind = app.name, Track.REGISTERED, app.org_kind
    org.authority_code, org.credit_code, org.converted_on = app.authority_code, code, day
    for k, v in items.items():
        if k in ORG_FIELDS:
            setattr(org, k, v)
    org.save()
    sync_services(org)
    history(org, "converted", day=day, actor=actor, code=code)
    documents.issue(actor=actor, kind="orgs.certificate",
                    prefix=f"{short_name(app.authority_code)}民社证",
                    issuer_code=app.authority_code, obj=app, area_code=app.area_code, on=day)
    record(actor=actor, action=AuditAction.ORG_CHANGE, obj=org, area_code=org.area_code,
           changes={"converted": before, "credit_code": code, "application": app.number})


# ---------------------------------------------------------------- the clock's sweep


def sweep(*, actor: Any = SYSTEM, on: date | None = None) -> dict[str, int]:
    """Idempotent: applications nobody answered within the notice window count as
    accepted on receipt; provisional deadlines are settled once the calendar knows their
    year; suspensions that ran out end."""
    day = today(on)
    deemed = settled = lifted = 0
    for number in Application.objects.filter(state=AppState.SUBMITTED, notice_by__lt=day
                                             ).order_by("pk").values_list("number", flat=True):
        try:
            act(actor=actor, number=number, action=AppAction.DEEM, on=day)
        except CalendarYearUnknown:
            continue
        deemed += 1
    cal = get_calendar()
    for app in Application.objects.filter(due_provisional=True, state=AppState.IN_REVIEW):
        with transaction.atomic():
            app = Application.objects.select_for_update().get(pk=app.pk)
            compute_due(app, rules.profile(app.area_code), cal)
            if not app.due_provisional:
                app.save(update_fields=["due_on", "due_provisional", "updated_at"])
                settled += 1
    from shequ.orgs.services.supervision import end_suspensions

    lifted = end_suspensions(actor=actor, on=day)
    return {"deemed_accepted": deemed, "deadlines_settled": settled, "suspensions_ended": lifted}
