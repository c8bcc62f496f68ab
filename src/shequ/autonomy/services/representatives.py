"""Constituencies and standing representatives (居民代表常任制): seats from households,
terms from the profile, replacement through by-elections for the rest of the term."""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from shequ import authz
from shequ.audit.services import record
from shequ.autonomy import rules as law
from shequ.autonomy.enums import AuditAction, Code, Perm
from shequ.autonomy.lifecycles import REPRESENTATIVE
from shequ.autonomy.models import Constituency, Representative
from shequ.autonomy.services.common import (
    community_area,
    get,
    in_range,
    locked,
    require_voter,
    resident,
    text,
    today,
)
from shequ.core.errors import BusinessError, Conflict

if TYPE_CHECKING:
    from shequ.people.models import Resident


def create_constituency(*, actor: Any, community_code: str, name: str, kind: str,
                        households: int, area_code: str = "") -> Constituency:
    """Create or update a constituency (a compound or a residents' group); its seats
    follow from its households and the profile."""
    community = community_area(community_code)
    authz.check(actor, Perm.MANAGE, community.code)
    if kind not in Constituency.Kind.values:
        raise BusinessError(_("Unknown constituency kind."), code=Code.BAD_KIND)
    if households < 0:
        raise BusinessError(_("Households cannot be negative."), code=Code.NEGATIVE)
    area_code = area_code or community.code
    if not area_code.startswith(community.code):
        raise BusinessError(_("The constituency must lie in the community."),
                            code=Code.BAD_AREA)
    name = text(name, "name", _("name"), maxlen=100)
    profile = law.profile_for(community.code)
    with transaction.atomic():
        obj, _created = Constituency.objects.update_or_create(
            community_code=community.code, name=name,
            defaults={"kind": kind, "households": households, "area_code": area_code,
                      "seats": law.representatives_for(profile, households),
                      "profile_version": profile.version})
        record(actor=actor, action=AuditAction.CONSTITUENCY_SAVE, obj=obj, area_code=area_code,
               changes={"households": households, "seats": obj.seats,
                        "profile_version": profile.version})
    return obj


def _appoint(constituency: Constituency, person: Resident, *, term_start: date,
             term_end: date, duties: str, source: str,
             replaces: Representative | None) -> Representative:
    require_voter(person, constituency.community_code)
    active = constituency.representatives.filter(status=Representative.Status.ACTIVE)
    if active.count() >= constituency.seats:
        raise Conflict(_("All %(n)d seats of %(c)s are filled.")
                       % {"n": constituency.seats, "c": constituency.name},
                       code=Code.SEATS_FULL, details={"seats": constituency.seats})
    try:
        with transaction.atomic():
            return Representative.objects.create(
                constituency=constituency, resident=person, name=person.name,
                community_code=constituency.community_code, area_code=constituency.area_code,
                term_start=term_start, term_end=term_end, duties=duties, source=source,
                replaces=replaces)
    except IntegrityError:
        raise Conflict(_("This resident is already a serving representative."),
                       code=Code.ALREADY_REPRESENTATIVE) from None


TERM_YEARS_BACK = 5  # a term recorded late is at most one term old


def _step_day(on: date | None) -> date:
    """The day a term ends or a by-election takes effect: today by default, within a
    year either side of it."""
    day = today()
    return in_range(on or day, "on", _("date"), earliest=day - timedelta(days=366),
                    latest=day + timedelta(days=366))


def appoint_representative(*, actor: Any, constituency_id: int, resident_id: int,
                           term_start: date, duties: str = "") -> Representative:
    """Record someone elected in a general election, for the profile's term."""
    constituency = get(Constituency, constituency_id, _("Constituency"))
    authz.check(actor, Perm.MANAGE, constituency.area_code)
    day = today()
    term_start = in_range(term_start, "term_start", _("term from"),
                          earliest=date(day.year - TERM_YEARS_BACK, 1, 1),
                          latest=day + timedelta(days=366))
    person = resident(resident_id)
    profile = law.profile_for(constituency.community_code)
    term_end = law.term_end(profile, term_start)
    with transaction.atomic():
        constituency = locked(Constituency, constituency.pk, _("Constituency"))
        rep = _appoint(constituency, person, term_start=term_start, term_end=term_end,
                       duties=duties, source=Representative.Source.ELECTION, replaces=None)
        record(actor=actor, action=AuditAction.REPRESENTATIVE_APPOINT, obj=rep,
               area_code=rep.area_code,
               changes={"resident": person.pk, "term_start": term_start, "term_end": term_end,
                        "source": rep.source, "profile_version": profile.version})
    return rep


def end_representative(*, actor: Any, representative_id: int, reason: str,
                       on: date | None = None) -> Representative:
    """End a term early (resignation, moving away, death); the reason is published."""
    rep = get(Representative, representative_id, _("Representative"))
    authz.check(actor, Perm.MANAGE, rep.area_code)
    on = _step_day(on)
    reason = text(reason, "reason", _("reason"), maxlen=200)
    with transaction.atomic():
        rep = locked(Representative, representative_id, _("Representative"))
        rep.ended_on, rep.end_reason = on, reason
        REPRESENTATIVE.move(actor=actor, obj=rep, action=Representative.Action.END, on=on,
                            update_fields=["ended_on", "end_reason"],
                            changes={"reason": reason, "on": on})
    return rep


def by_elect(*, actor: Any, representative_id: int, resident_id: int, reason: str = "",
             on: date | None = None) -> Representative:
    """Replace a representative (ending their term if still serving) by someone elected
    in a by-election, for the rest of the term (村民委员会组织法 Art. 19)."""
    old = get(Representative, representative_id, _("Representative"))
    authz.check(actor, Perm.MANAGE, old.area_code)
    person = resident(resident_id)
    on = _step_day(on)
    with transaction.atomic():
        constituency = locked(Constituency, old.constituency_id, _("Constituency"))
        old = locked(Representative, representative_id, _("Representative"))
        fields: list[str] = []
        if old.status == Representative.Status.ACTIVE:
            old.ended_on = on
            old.end_reason = text(reason, "reason", _("reason"), maxlen=200)
            fields = ["ended_on", "end_reason"]
        REPRESENTATIVE.move(actor=actor, obj=old, action=Representative.Action.REPLACE, on=on,
                            update_fields=fields, changes={"on": on, "reason": old.end_reason})
        new = _appoint(constituency, person, term_start=on, term_end=old.term_end,
                       duties=old.duties, source=Representative.Source.BY_ELECTION,
                       replaces=old)
        record(actor=actor, action=AuditAction.REPRESENTATIVE_APPOINT, obj=new,
               area_code=new.area_code,
               changes={"replaces": old.pk, "resident": person.pk, "term_start": on,
                        "term_end": new.term_end, "source": new.source})
    return new
