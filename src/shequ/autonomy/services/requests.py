"""Requests to convene (ADR 0511): adult residents or representatives jointly ask the
committee to convene a residents' meeting or the representatives' conference; reaching
the statutory share obliges the committee to convene it (RCL 2018 Art. 10: 五分之一以上的
十八周岁以上的居民; VCL Art. 21: 十分之一以上的村民或者三分之一以上的村民代表; VCL Art. 26:
五分之一以上的村民代表), within the profile's days (no statute sets them)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from shequ import authz
from shequ.audit.services import record
from shequ.autonomy import rules as law
from shequ.autonomy import selectors
from shequ.autonomy.enums import AuditAction, Code, Perm
from shequ.autonomy.lifecycles import CONVENE_REQUEST, may_sign_request
from shequ.autonomy.models import ConveneRequest, ConveneSignature, Meeting
from shequ.autonomy.services.common import (
    community_area,
    get,
    in_range,
    locked,
    person_for,
    text,
    today,
)
from shequ.core.errors import BusinessError, Conflict
from shequ.core.pii import mask_text
from shequ.lifecycle import Ctx
from shequ.people import facade

K, V, S, A = (ConveneRequest.Kind, ConveneRequest.Via, ConveneRequest.State,
              ConveneRequest.Action)

# which rule gives the share for each (meeting requested, who asks)
SHARE_RULE: dict[tuple[str, str], str] = {
    (K.RESIDENTS_MEETING, V.RESIDENTS): "request_residents_meeting",
    (K.RESIDENTS_MEETING, V.REPRESENTATIVES): "request_meeting_representatives",
    (K.CONFERENCE, V.REPRESENTATIVES): "request_conference",
}


def _base(community_code: str, via: str, on: date) -> int:
    if via == V.REPRESENTATIVES:
        return selectors.serving(community_code).count()
    return facade.adults_of(community_code, on).count()


def start_request(*, actor: Any, community_code: str, kind: str, via: str, subject: str,
                  resident_id: int | None = None) -> ConveneRequest:
    """Start a request; the initiator signs first and the threshold is fixed now."""
    community = community_area(community_code)
    person = person_for(actor, community.code, resident_id)
    key = SHARE_RULE.get((kind, via))
    if key is None:
        raise BusinessError(_("The law lets adult residents or representatives request a "
                              "residents' meeting, and representatives request the "
                              "conference; this combination has no such right."),
                            code=Code.BAD_KIND, details={"kind": kind, "via": via})
    subject = mask_text(text(subject, "subject", _("matters to discuss")))
    profile = law.profile_for(community.code)
    day = today()
    base = _base(community.code, via, day)
    needed = law.request_needed(profile, key, base)
    req = ConveneRequest(community_code=community.code, area_code=community.code, kind=kind,
                         via=via, subject=subject, initiator=person, base=base,
                         signatures_needed=needed, signature_count=1,
                         profile_version=profile.version)
    refused = may_sign_request(actor, req, Ctx(on=day, inputs={"resident": person}))
    if refused is not None:
        raise refused
    with transaction.atomic():
        req.save()
        ConveneSignature.objects.create(request=req, resident=person)
        record(actor=actor, action=AuditAction.CONVENE_REQUEST_START, obj=req,
               area_code=community.code,
               changes={"kind": kind, "via": via, "base": base, "needed": needed,
                        "rule": key, "profile_version": profile.version})
        _maybe_submit(actor, req, profile)
    return req


def _maybe_submit(actor: Any, req: ConveneRequest, profile: Any) -> None:
    if req.signature_count >= req.signatures_needed:
        day = today()
        req.submitted_on = day
        req.due_on = day + timedelta(days=profile.number("convene_within_days"))
        CONVENE_REQUEST.move(actor=actor, obj=req, action=A.THRESHOLD,
                             update_fields=["submitted_on", "due_on"],
                             changes={"count": req.signature_count, "due_on": req.due_on})


def sign_request(*, actor: Any, request_id: int,
                 resident_id: int | None = None) -> ConveneRequest:
    """Sign once, only if entitled; signing stops at the threshold."""
    req = get(ConveneRequest, request_id, _("Request to convene"))
    person = person_for(actor, req.community_code, resident_id)
    profile = law.profile_for(req.community_code)
    with transaction.atomic():
        req = locked(ConveneRequest, request_id, _("Request to convene"))
        if req.state != S.COLLECTING:
            raise Conflict(_("This request is not collecting signatures any more."),
                           code=Code.SIGNING_CLOSED, details={"state": req.state})
        try:
            with transaction.atomic():
                ConveneSignature.objects.create(request=req, resident=person)
        except IntegrityError:
            raise Conflict(_("You have already signed this request."),
                           code=Code.ALREADY_SIGNED) from None
        req.signature_count = req.signatures.count()
        CONVENE_REQUEST.move(actor=actor, obj=req, action=A.SIGN, inputs={"resident": person},
                             update_fields=["signature_count"],
                             changes={"resident": person.pk, "count": req.signature_count})
        _maybe_submit(actor, req, profile)
    return req


def settle_request(actor: Any, request_id: int, meeting: Meeting) -> ConveneRequest:
    """A conference convened for a request settles it (inside convene_meeting's
    transaction)."""
    req = locked(ConveneRequest, request_id, _("Request to convene"))
    if req.community_code != meeting.community_code or req.kind != K.CONFERENCE:
        raise BusinessError(_("This meeting does not answer that request: the request asks "
                              "for another meeting or comes from another community."),
                            code=Code.OTHER_COMMUNITY)
    req.meeting, req.notice_on, req.held_on = meeting, meeting.notice_on, meeting.held_on
    CONVENE_REQUEST.move(actor=actor, obj=req, action=A.CONVENE,
                         inputs={"notice_on": meeting.notice_on},
                         update_fields=["meeting", "notice_on", "held_on"],
                         changes={"meeting": meeting.pk, "held_on": meeting.held_on})
    return req


def record_residents_meeting(*, actor: Any, request_id: int, notice_on: date | None,
                             held_on: date | None) -> ConveneRequest:
    """The committee records that it convened the requested residents' meeting: the day
    the notice went out (not before the request reached its threshold, not in the future)
    and the meeting's date (the notice period before it, VCL Art. 21 for villagers)."""
    req = get(ConveneRequest, request_id, _("Request to convene"))
    authz.check(actor, Perm.MANAGE, req.area_code)
    if req.kind != K.RESIDENTS_MEETING:
        raise BusinessError(_("A requested conference is answered by convening it on the "
                              "meetings page."), code=Code.BAD_KIND)
    day = today()
    notice_on = in_range(notice_on, "notice_on", _("notice sent on"),
                         earliest=date(day.year - 1, 1, 1), latest=day)
    held_on = in_range(held_on, "held_on", _("meeting date"), earliest=notice_on,
                       latest=day + timedelta(days=366))
    from shequ.autonomy.lifecycles import notice_refusal

    refused = notice_refusal(law.profile_for(req.community_code), notice_on, held_on)
    if refused is not None:
        raise refused
    with transaction.atomic():
        req = locked(ConveneRequest, request_id, _("Request to convene"))
        req.notice_on, req.held_on = notice_on, held_on
        CONVENE_REQUEST.move(actor=actor, obj=req, action=A.CONVENE,
                             inputs={"notice_on": notice_on},
                             update_fields=["notice_on", "held_on"],
                             changes={"notice_on": notice_on, "held_on": held_on})
    return req

