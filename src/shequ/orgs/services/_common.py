"""Helpers shared by the writers of ``orgs``: areas and authorities, names, credit codes,
filing numbers, the service index and history lines. Nothing here checks permissions;
the use cases that call these do."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from shequ.areas.models import Area
from shequ.authz import SystemActor
from shequ.core import ids
from shequ.core.errors import BusinessError, Conflict, NotFound
from shequ.orgs import rules
from shequ.orgs.access import operates
from shequ.orgs.enums import Code
from shequ.orgs.models import (
    CREDIT_TYPE,
    OPEN_APP_STATES,
    AppCounter,
    AppKind,
    Application,
    Category,
    FoundationType,
    Kind,
    Org,
    OrgEvent,
    OrgService,
    Status,
    Track,
)
from shequ.orgs.texts import TEXTS

STREET = 9
DISTRICT = 6
LIVE_STATUSES = (Status.ACTIVE, Status.SUSPENDED)


def today(on: date | None = None) -> date:
    return on or timezone.localdate()


def actor_name(actor: Any) -> str:
    return str(getattr(actor, "username", "") or actor)


# -- areas and authorities -----------------------------------------------------------


def require_area(code: str) -> Area:
    """A current street or community (an organisation is based somewhere concrete)."""
    area = Area.objects.filter(code=code).first()
    if area is None or len(code) < STREET:
        raise NotFound(_("Unknown area code: %(c)s. Give the street or community where the "
                         "organisation is based.") % {"c": code}, code=Code.UNKNOWN_AREA,
                       details={"area_code": code})
    return area


def authority_for(kind: str, area_code: str) -> str:
    """Who keeps the file: the street office for filed organisations (Sichuan's measures),
    the county-level civil-affairs bureau for local associations and private
    non-enterprise units (社团条例 第六条、第七条; 民非条例 第五条), the province for
    foundations (基金会条例 第六条第三款)."""
    if kind == Kind.FOUNDATION:
        return area_code[:2]
    if kind in (Kind.ASSOCIATION, Kind.PNE):
        return area_code[:DISTRICT]
    return area_code[:STREET]


def short_name(code: str) -> str:
    """锦江区 → 锦江, 春熙路街道 → 春熙路: the prefix of a document number."""
    name = Area.objects.filter(code=code).values_list("name", flat=True).first() or code
    return re.sub(r"(街道办事处|街道|社区居委会|居委会|社区|区|县|市|省)$", "", name) or name


def area_name(code: str) -> str:
    return Area.objects.filter(code=code).values_list("name", flat=True).first() or code


# -- names ---------------------------------------------------------------------------

FORBIDDEN_PREFIXES = ("中国", "全国", "中华")


def clean_name(name: str, kind: str) -> str:
    name = " ".join((name or "").split())
    if not name:
        raise BusinessError(_("The organisation's name is required."), code=Code.NAME_REQUIRED)
    if len(name) > 100:
        raise BusinessError(_("The organisation's name is longer than 100 characters."),
                            code=Code.NAME_REQUIRED)
    if kind != Kind.FOUNDATION and name.startswith(FORBIDDEN_PREFIXES):
        rule = rules.RULESET.rules["local_name_prefix"]
        raise BusinessError(_("A local organisation's name may not begin with 中国, 全国 or 中华 "
                              "(%(source)s).") % {"source": rule.source()},
                            code=Code.NAME_PREFIX, details={"name": name})
    return name


def _overlaps(a: str, b: str) -> bool:
    return a.startswith(b) or b.startswith(a)


def check_name_free(name: str, authority_code: str, *, org_id: int | None = None,
                    app_id: int | None = None) -> None:
    """No live organisation and no open application of the same name under an authority
    that contains this one or is contained in it (a filing in a street meets the
    district's registered organisations, not the filings of other streets)."""
    taken = any(_overlaps(code, authority_code) for code in Org.objects.filter(
        name=name, status__in=LIVE_STATUSES).exclude(pk=org_id or 0)
        .values_list("authority_code", flat=True))
    if not taken:
        pending = Application.objects.filter(name=name, state__in=OPEN_APP_STATES).exclude(
            pk=app_id or 0)
        if org_id:
            pending = pending.exclude(org_id=org_id)
        taken = any(_overlaps(code, authority_code)
                    for code in pending.values_list("authority_code", flat=True))
    if taken:
        rule = rules.RULESET.rules["unique_name"]
        raise Conflict(_("The name “%(name)s” is already used by an organisation or an open "
                         "application under the same authority (%(source)s).")
                       % {"name": name, "source": rule.source()}, code=Code.NAME_TAKEN,
                       details={"name": name})


# -- unified social credit codes (GB 32100-2015) -------------------------------------------


def _division(authority_code: str) -> str:
    return authority_code[:DISTRICT].ljust(DISTRICT, "0")


def check_credit_code(code: str, kind: str, authority_code: str, *,
                      org_id: int | None = None) -> str:
    """A code given by hand or in an import: valid (check character), a civil-affairs
    code (department 5) of the organisation's type, of the registering authority's
    division, and not used by another organisation."""
    try:
        parsed = ids.parse_credit_code(code)
    except ids.InvalidId as exc:
        raise BusinessError(exc.message, code=Code.BAD_CREDIT_CODE,
                            details={"credit_code": code, "reason": exc.code}) from None
    expected_type = CREDIT_TYPE.get(Kind(kind))
    if not parsed.is_civil_affairs or parsed.org_type != expected_type:
        raise BusinessError(
            _("%(code)s is not a civil-affairs code of a %(kind)s (GB 32100-2015: first "
              "character 5, second %(type)s).")
            % {"code": parsed.code, "kind": Kind(kind).label, "type": expected_type},
            code=Code.CREDIT_CODE_MISMATCH, details={"credit_code": parsed.code})
    if parsed.division_code != _division(authority_code):
        raise BusinessError(
            _("%(code)s carries division %(div)s, but the organisation is registered by "
              "%(auth)s (GB 32100-2015: characters 3 to 8).")
            % {"code": parsed.code, "div": parsed.division_code,
               "auth": _division(authority_code)},
            code=Code.CREDIT_CODE_MISMATCH, details={"credit_code": parsed.code})
    if Org.objects.filter(credit_code=parsed.code).exclude(pk=org_id or 0).exists():
        raise Conflict(_("The credit code %(code)s is already registered.") % {"code": parsed.code},
                       code=Code.CREDIT_CODE_TAKEN, details={"credit_code": parsed.code})
    return parsed.code


def new_credit_code(kind: str, authority_code: str) -> str:
    """The next code of the authority's series: ``5`` + type + division + ``MJ`` + seven
    digits + check character (civil affairs gives its organisations ``MJ`` codes)."""
    division = _division(authority_code)
    counter = next_serial(f"uscc:{division}", 0)
    while True:
        first17 = f"5{CREDIT_TYPE[Kind(kind)]}{division}MJ{counter:07d}"
        code = first17 + ids.uscc_check_char(first17)
        if not Org.objects.filter(credit_code=code).exists():
            return code
        counter = next_serial(f"uscc:{division}", 0)


def next_serial(key: str, year: int) -> int:
    """The next number of a series (applications per authority and year; credit codes
    per division). Locks one counter row inside the caller's transaction."""
    try:
        with transaction.atomic():
            counter, _created = AppCounter.objects.select_for_update().get_or_create(
                authority_code=key, year=year)
    except IntegrityError:  # created meanwhile by another request
        counter = AppCounter.objects.select_for_update().get(authority_code=key, year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return counter.last


# -- items applied for -----------------------------------------------------------------

INT_FIELDS = ("individual_members", "unit_members", "staff", "directors", "capacity")
TEXT_FIELDS = {"person_in_charge": 50, "address": 200, "supervising_agency": 100,
               "purpose": 2000, "scope": 2000}
BOOL_FIELDS = ("has_premises", "has_charter")
DATE_FIELDS = ("agency_approved_on", "liquidation_ended_on")
ORG_FIELDS = (*INT_FIELDS, *TEXT_FIELDS, *BOOL_FIELDS, "funds_fen", "foundation_type",
              "categories", "lat_e6", "lon_e6")


def _bad(field: str, message: str) -> BusinessError:
    return BusinessError(message, code="invalid_item", details={"field": field})


def yuan_to_fen(value: Any, field: str = "funds") -> int:
    """Money as entered (yuan, at most two decimals) to integer fen; never a float."""
    try:
        amount = Decimal(str(value).replace(",", "").strip())
    except InvalidOperation:
        raise _bad(field, _("“%(v)s” is not an amount of money.") % {"v": value}) from None
    if amount < 0 or amount != amount.quantize(Decimal("0.01")):
        raise _bad(field, _("An amount is not negative and has at most two decimals."))
    return int(amount * 100)


def clean_items(raw: Mapping[str, Any]) -> dict[str, Any]:
    """Check the shape of the items an application states; keep only known ones."""
    out: dict[str, Any] = {}
    for field in INT_FIELDS:
        if field in raw and raw[field] not in (None, ""):
            try:
                value = int(raw[field])
            except (TypeError, ValueError):
                raise _bad(field, _("%(f)s must be a whole number.") % {"f": field}) from None
            if value < 0 or value > 1_000_000:
                raise _bad(field, _("%(f)s is out of range.") % {"f": field})
            out[field] = value
    for field, length in TEXT_FIELDS.items():
        if field in raw and raw[field] is not None:
            text = str(raw[field]).strip()
            if len(text) > length:
                raise _bad(field, _("%(f)s is longer than %(n)d characters.")
                           % {"f": field, "n": length})
            out[field] = text
    for field in BOOL_FIELDS:
        if field in raw:
            out[field] = raw[field] in (True, "true", "1", 1, "on", "yes")
    if raw.get("funds_fen") not in (None, ""):
        try:
            fen = int(raw["funds_fen"])
        except (TypeError, ValueError):
            raise _bad("funds_fen", _("The funds must be a whole number of fen.")) from None
        if fen < 0:
            raise _bad("funds_fen", _("An amount is not negative and has at most two decimals."))
        out["funds_fen"] = fen
    elif raw.get("funds_yuan") not in (None, ""):
        out["funds_fen"] = yuan_to_fen(raw["funds_yuan"])
    if raw.get("foundation_type"):
        if raw["foundation_type"] not in FoundationType.values:
            raise _bad("foundation_type", _("Unknown foundation type."))
        out["foundation_type"] = raw["foundation_type"]
    if "categories" in raw and raw["categories"] is not None:
        cats = [str(c) for c in raw["categories"]]
        unknown = [c for c in cats if c not in Category.values]
        if unknown:
            raise _bad("categories", _("Unknown service categories: %(c)s.")
                       % {"c": ", ".join(unknown)})
        out["categories"] = list(dict.fromkeys(cats))
    for field, low, high in (("lat_e6", -90_000_000, 90_000_000),
                             ("lon_e6", -180_000_000, 180_000_000)):
        if raw.get(field) not in (None, ""):
            try:
                value = int(raw[field])
            except (TypeError, ValueError):
                raise _bad(field, _("Coordinates are whole millionths of a degree.")) from None
            if not low <= value <= high:
                raise _bad(field, _("Coordinates are out of range."))
            out[field] = value
    for field in DATE_FIELDS:
        if raw.get(field):
            try:
                out[field] = date.fromisoformat(str(raw[field])).isoformat()
            except ValueError:
                raise _bad(field, _("“%(v)s” is not a date (YYYY-MM-DD).")
                           % {"v": raw[field]}) from None
    return out


def requirements(kind: str, items: Mapping[str, Any], profile: Any) -> list[str]:
    """The conditions of ``kind`` that ``items`` do not meet, each naming its article
    (empty when all are met)."""
    unmet: list[str] = []
    rule = profile.rule

    def need(ok: bool, key: str, message: str, **params: Any) -> None:
        if not ok:
            unmet.append(_("%(what)s (%(source)s)") % {"what": message % params,
                                                       "source": rule(key).source()})

    ind, unit = int(items.get("individual_members", 0)), int(items.get("unit_members", 0))
    funds, staff = int(items.get("funds_fen", 0)), int(items.get("staff", 0))
    if kind in (Kind.ASSOCIATION, Kind.PNE, Kind.FOUNDATION):
        need(bool(items.get("supervising_agency")), "agency_approval",
             _("the supervising agency's approval is required"))
        need(bool(items.get("has_premises")), "premises", _("fixed premises are required"))
        need(bool(items.get("person_in_charge")), "legal_rep",
             _("the legal representative must be named"))
    if kind == Kind.ASSOCIATION:
        if ind and unit:
            need(ind + unit >= profile.number("association_mixed_members"),
                 "association_mixed_members",
                 _("%(n)d members in all; a mixed membership needs at least %(min)d"),
                 n=ind + unit, min=profile.number("association_mixed_members"))
        else:
            need(ind >= profile.number("association_individual_members")
                 or unit >= profile.number("association_unit_members"),
                 "association_individual_members",
                 _("%(ind)d individual and %(unit)d unit members; at least %(a)d individual "
                   "or %(b)d unit members are required"), ind=ind, unit=unit,
                 a=profile.number("association_individual_members"),
                 b=profile.number("association_unit_members"))
        need(funds >= profile.number("association_funds_fen"), "association_funds_fen",
             _("activity funds of %(have)s; at least %(need)s"), have=_yuan(funds),
             need=rule("association_funds_fen").display())
        need(staff >= profile.number("association_staff"), "association_staff",
             _("full-time staff are required"))
    elif kind == Kind.PNE:
        need(funds >= profile.number("pne_funds_fen"), "pne_funds_fen",
             _("starting funds of %(have)s; at least %(need)s"), have=_yuan(funds),
             need=rule("pne_funds_fen").display())
        need(staff >= profile.number("pne_staff"), "pne_staff", _("staff are required"))
    elif kind == Kind.FOUNDATION:
        key = ("foundation_local_public_fen"
               if items.get("foundation_type") == FoundationType.LOCAL_PUBLIC
               else "foundation_non_public_fen")
        need(funds >= profile.number(key), key,
             _("an original fund of %(have)s; at least %(need)s"), have=_yuan(funds),
             need=rule(key).display())
        directors = int(items.get("directors", 0))
        low, high = (profile.number("foundation_directors_min"),
                     profile.number("foundation_directors_max"))
        need(low <= directors <= high, "foundation_directors_min",
             _("%(n)d directors; a board has %(low)d to %(high)d"), n=directors, low=low,
             high=high)
        need(staff >= profile.number("foundation_staff"), "foundation_staff",
             _("full-time staff are required"))
    else:  # filed: the lighter filing content
        need(bool(items.get("person_in_charge")), "filed_content",
             _("the person in charge must be named"))
        need(bool(items.get("address")), "filed_content",
             _("the place of activity must be given"))
        need(bool(items.get("has_charter")), "filed_content", _("a charter is required"))
        need(ind >= profile.number("filed_members"), "filed_members",
             _("%(n)d members; at least %(min)d"), n=ind, min=profile.number("filed_members"))
    return unmet


def _yuan(fen: int) -> str:
    return _("%(yuan)s yuan") % {"yuan": f"{Decimal(fen) / 100:,.2f}"}


def check_requirements(kind: str, items: Mapping[str, Any], profile: Any) -> None:
    unmet = requirements(kind, items, profile)
    if unmet:
        raise BusinessError(_("The conditions for this kind of organisation are not met: "
                              "%(items)s.") % {"items": "；".join(unmet)},
                            code=Code.REQUIREMENTS, details={"unmet": unmet})


def check_legal_rep(kind: str, person: str, *, org_id: int | None = None) -> None:
    """A social association's (or foundation's) legal representative represents no other
    association (foundation) at the same time (社团条例 第十二条第三款; 基金会条例 第二十三条)."""
    if kind not in (Kind.ASSOCIATION, Kind.FOUNDATION) or not person:
        return
    if Org.objects.filter(kind=kind, person_in_charge=person, status__in=LIVE_STATUSES
                          ).exclude(pk=org_id or 0).exists():
        rule = rules.RULESET.rules["one_legal_rep"]
        raise Conflict(_("%(person)s is already the legal representative of another "
                         "organisation of this kind (%(source)s).")
                       % {"person": person, "source": rule.source()},
                       code=Code.LEGAL_REP_TAKEN)


# -- acting for an organisation ---------------------------------------------------------


def require_org(org_id: int, *, lock: bool = False) -> Org:
    qs = Org.objects.select_for_update() if lock else Org.objects
    org = qs.filter(pk=org_id).first()
    if org is None:
        raise NotFound(_("No such organisation."), code=Code.UNKNOWN_ORG)
    return org


def require_operator(actor: Any, org: Org) -> None:
    if isinstance(actor, SystemActor) or operates(actor, org.pk):
        return
    raise BusinessError(_("Only the organisation's own users may do this."),
                        code=Code.NOT_OPERATOR, status=403)


def require_live(org: Org) -> None:
    if org.status not in LIVE_STATUSES:
        raise BusinessError(_("%(name)s is %(status)s.") % {"name": org.name,
                                                             "status": org.get_status_display()},
                            code=Code.NOT_ACTIVE)


def require_registered(org: Org, what: str, source: str) -> None:
    """A filed organisation trying to act where registration is required."""
    if org.track != Track.REGISTERED:
        raise BusinessError(_("%(name)s is a filed community organisation without legal-person "
                              "status; %(what)s requires a registered organisation (%(source)s).")
                            % {"name": org.name, "what": what, "source": source},
                            code=Code.REGISTRATION_REQUIRED)


# -- the service index and history ----------------------------------------------------------


def sync_services(org: Org) -> None:
    """Refresh the rows linkage ranks from after any change of categories, place, status,
    capacity or grade."""
    from shequ.orgs.models import Evaluation

    latest = Evaluation.objects.filter(org=org).order_by("-assessed_on", "-id").first()
    OrgService.objects.filter(org=org).delete()
    OrgService.objects.bulk_create([
        OrgService(org=org, category=c, main=i == 0, lat_e6=org.lat_e6, lon_e6=org.lon_e6,
                   area_code=org.area_code, available=org.status == Status.ACTIVE,
                   capacity=org.capacity, grade=latest.grade if latest else None,
                   grade_until=latest.valid_until if latest else None)
        for i, c in enumerate(org.categories)])


def history(org: Org, key: str, *, day: date, actor: Any, public: bool = True,
            action: str = "", **params: Any) -> None:
    OrgEvent.objects.create(org=org, on=day, action=action or key,
                            text=TEXTS.stored(key, **params), public=public,
                            actor_name=actor_name(actor))


def open_application(org_id: int, kinds: Iterable[str]) -> Application | None:
    return Application.objects.filter(org_id=org_id, kind__in=list(kinds),
                                      state__in=OPEN_APP_STATES).first()


def live_orgs() -> Q:
    return Q(status__in=LIVE_STATUSES)


APPLICATION_KINDS = AppKind
