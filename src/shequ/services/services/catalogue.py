"""The catalogue (审批事项): items are published in versions; a case keeps the version it
was filed under, so a later change never changes the rules of a case already filed.

Publishing checks what the law says about the item (ADR 0407): its kind (only a licence
runs on the Administrative Licensing Law's periods; a benefit, a confirmation or a
registration has the periods its own legal basis sets), how a licence is handled (one
office, unified/joint/centralised handling, a lower office's first review), and who may
act: authorisation only by a law or regulation, entrustment only to an administrative
organ on a law, regulation or rules, and a station, which is not an administrative organ,
only as a front desk (代办) for the office that decides (Arts. 23–24, 42–43)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from shequ import authz
from shequ.areas import facade as areas_facade
from shequ.audit.services import record
from shequ.core.errors import BusinessError
from shequ.rules import Profile
from shequ.services import rules
from shequ.services.enums import AuditAction, Code, Perm
from shequ.services.models import (
    DelegationMode,
    HandlerLevel,
    Handling,
    ItemKind,
    ItemVersion,
    ServiceItem,
    SourceRank,
)

XKXF = rules.XKXF
#: Art. 23: authorisation by law or regulation (法律、法规授权).
AUTHORISING = frozenset({SourceRank.LAW, SourceRank.ADMIN_REGULATION,
                         SourceRank.LOCAL_REGULATION})
#: Art. 24: entrustment under a law, regulation or rules (依照法律、法规、规章的规定).
ENTRUSTING = AUTHORISING | {SourceRank.RULES}
#: Administrative organs among the handler levels (a street office is the district
#: government's dispatched organ; a station is not an organ at all).
ORGANS = frozenset({HandlerLevel.DISTRICT, HandlerLevel.STREET})


def _invalid(message: Any, **details: Any) -> BusinessError:
    return BusinessError(message, code=Code.INVALID_DELEGATION, details=details)


def check_delegation(*, handler_level: str, delegation_mode: str, decided_by: str,
                     delegation_rank: str, delegation_basis: str) -> str:
    """Who may act, under Arts. 23–24; returns the level that decides."""
    if handler_level not in HandlerLevel.values or delegation_mode not in DelegationMode.values:
        raise _invalid(_("Unknown handler level or delegation mode."),
                       handler_level=handler_level, delegation_mode=delegation_mode)
    if handler_level == HandlerLevel.STATION and delegation_mode != DelegationMode.FRONT_DESK:
        raise _invalid(_("A community service station is not an administrative organ: it can "
                         "be neither authorised nor entrusted, only accept at the front desk "
                         "(代办) for the office that decides (%(law)s第二十三条、第二十四条).")
                       % {"law": XKXF},
                       handler_level=handler_level, delegation_mode=delegation_mode)
    if delegation_mode == DelegationMode.FRONT_DESK:
        if decided_by not in ORGANS or decided_by == handler_level:
            raise _invalid(_("A front desk (代办) accepts for another office: say which one "
                             "decides (the street office or the district)."),
                           decided_by=decided_by)
        return decided_by
    if decided_by and decided_by != handler_level:
        raise _invalid(_("Only a front desk (代办) accepts for another office; this item is "
                         "decided where it is handled."), decided_by=decided_by)
    if delegation_mode == DelegationMode.AUTHORISED and (
            delegation_rank not in AUTHORISING or not delegation_basis.strip()):
        raise _invalid(_("Authorisation (授权) needs a law or a regulation that grants it "
                         "(%(law)s第二十三条): give its rank and the text.") % {"law": XKXF},
                       delegation_rank=delegation_rank)
    if delegation_mode == DelegationMode.ENTRUSTED and (
            delegation_rank not in ENTRUSTING or not delegation_basis.strip()):
        raise _invalid(_("Entrustment (委托) rests on a law, a regulation or rules "
                         "(%(law)s第二十四条): give its rank and the text.") % {"law": XKXF},
                       delegation_rank=delegation_rank)
    return handler_level


def periods(*, kind: str, handling: str, statutory_days: int | None,
            extension_days: int | None, period_basis: str, profile: Profile
            ) -> tuple[int, int]:
    """The item's statutory period and extension (ADR 0407). A licence without periods
    of its own takes Arts. 42–43's; another kind has only what its own basis sets."""
    if kind not in ItemKind.values or handling not in Handling.values:
        raise BusinessError(_("Unknown kind of item or handling."), code=Code.INVALID_LIMIT,
                            details={"kind": kind, "handling": handling})
    if kind != ItemKind.LICENCE:
        if handling != Handling.SINGLE:
            raise BusinessError(
                _("Unified, joint or centralised handling and a lower office's first review "
                  "are periods of the Administrative Licensing Law; this item is not a "
                  "licence."), code=Code.INVALID_LIMIT, details={"handling": handling})
        if statutory_days is None or not period_basis.strip():
            raise BusinessError(
                _("This item is not an administrative licence, so the licensing law's 20 days "
                  "do not apply: give the period its own legal basis sets, and that basis."),
                code=Code.PERIOD_BASIS_REQUIRED, details={"kind": kind})
        return statutory_days, extension_days or 0
    law_days = {Handling.SINGLE: profile.number("decision_days"),
                Handling.JOINT: profile.number("joint_decision_days"),
                Handling.FIRST_REVIEW: profile.number("first_review_days")}[Handling(handling)]
    law_ext = {Handling.SINGLE: profile.number("extension_days"),
               Handling.JOINT: profile.number("joint_extension_days"),
               Handling.FIRST_REVIEW: 0}[Handling(handling)]
    days = law_days if statutory_days is None else statutory_days
    if days != law_days and not period_basis.strip():
        raise BusinessError(
            _("The licensing law sets %(n)d working days for this handling; another period "
              "needs the law or regulation that sets it (%(law)s第四十二条: 法律、法规另有规定的, "
              "依照其规定).") % {"n": law_days, "law": XKXF},
            code=Code.PERIOD_BASIS_REQUIRED, details={"law_days": law_days, "days": days})
    ext = law_ext if extension_days is None else extension_days
    if ext > law_ext and not period_basis.strip():
        raise BusinessError(
            _("The licensing law allows an extension of at most %(n)d working days for this "
              "handling.") % {"n": law_ext},
            code=Code.INVALID_LIMIT, details={"max_extension_days": law_ext,
                                              "extension_days": ext})
    return days, ext


def publish_item(*, actor: Any, code: str, area_code: str, name: str, legal_basis: str,
                 handler_level: str, delegation_mode: str, department: str,
                 department_category: str, statutory_days: int | None = None,
                 promised_days: int | None = None, materials: list[dict[str, str]] | None = None,
                 fee_fen: int = 0, forms: list[str] | None = None, description: str = "",
                 kind: str = ItemKind.LICENCE, handling: str = Handling.SINGLE,
                 extension_days: int | None = None, period_basis: str = "",
                 decided_by: str = "", delegation_rank: str = "", delegation_basis: str = "",
                 handling_duty: str = "") -> ItemVersion:
    """Create an item or publish a new version of it; cases filed earlier keep theirs.
    ``handling_duty``: the street-office duty whose department handles its cases in each
    street (ADR 1003)."""
    authz.check(actor, Perm.CATALOGUE, area_code)
    duty = _handling_duty(handling_duty)
    profile = rules.profile(area_code)
    statutory, extension = periods(kind=kind, handling=handling, statutory_days=statutory_days,
                                   extension_days=extension_days, period_basis=period_basis,
                                   profile=profile)
    decider = check_delegation(handler_level=handler_level, delegation_mode=delegation_mode,
                               decided_by=decided_by, delegation_rank=delegation_rank,
                               delegation_basis=delegation_basis)
    promised = promised_days if promised_days is not None else statutory
    if not 0 < promised <= statutory:
        raise BusinessError(_("The promised limit must be between 1 and the statutory limit."),
                            code=Code.INVALID_LIMIT,
                            details={"statutory_days": statutory, "promised_days": promised})
    with transaction.atomic():
        item, _created = ServiceItem.objects.select_for_update().get_or_create(
            code=code, defaults={"area_code": area_code})
        last = item.versions.order_by("-version").first()
        version = ItemVersion.objects.create(
            item=item, version=(last.version + 1) if last else 1, name=name,
            description=description, legal_basis=legal_basis, handler_level=handler_level,
            delegation_mode=delegation_mode, department=department,
            department_category=department_category, handling_duty=duty, statutory_days=statutory,
            promised_days=promised, kind=kind, handling=handling, extension_days=extension,
            period_basis=period_basis.strip(), decided_by=decider,
            delegation_rank=delegation_rank, delegation_basis=delegation_basis.strip(),
            materials=list(materials or []), fee_fen=fee_fen, forms=list(forms or []))
        item.current = version
        item.save(update_fields=["current"])
        record(actor=actor, action=AuditAction.ITEM_PUBLISH, obj=version, area_code=area_code,
               changes={"code": code, "version": version.version, "name": name, "kind": kind,
                        "handling": handling, "statutory_days": statutory,
                        "promised_days": promised, "extension_days": extension,
                        "decided_by": decider, "rules": profile.version,
                        "handling_duty": handling_duty})
    return version


def _handling_duty(code: str) -> areas_facade.Duty | None:
    """One of the eight street duties, or none; economic work is the functional zones'
    (ADR 1000), so no street department handles a case by it."""
    if not code:
        return None
    duty = areas_facade.duty(code)
    if duty is None:
        raise BusinessError(_("Unknown duty: %(d)s.") % {"d": code}, code=Code.UNKNOWN_DUTY,
                            details={"field": "handling_duty"})
    if duty.code not in areas_facade.STREET_DUTIES:
        raise BusinessError(_("The handling duty must be one of the eight duties of a street "
                              "office: %(d)s is economic work of the functional zones.")
                            % {"d": duty}, code=Code.UNKNOWN_DUTY,
                            details={"field": "handling_duty"})
    return duty
