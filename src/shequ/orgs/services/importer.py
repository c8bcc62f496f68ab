"""Import an existing registry from Excel, and export the registry to Excel.

Every row is checked before anything is written: an invalid credit code, a filing number
used twice, a name already used under the same authority, an unknown area or kind — each
reported as ``file:line: message``; one error and nothing is written (ADR 0701). The
columns are those the export writes, so an export can be imported elsewhere.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import load_workbook

from shequ import authz
from shequ.areas.models import Area
from shequ.audit.services import record
from shequ.core import excel, ids
from shequ.core.errors import BusinessError
from shequ.orgs.enums import AuditAction, Code, Perm
from shequ.orgs.models import (
    CREDIT_TYPE,
    Category,
    Kind,
    Org,
    OrgEvent,
    OrgService,
    Status,
    Track,
    track_of,
)
from shequ.orgs.services._common import STREET, _division, actor_name, authority_for
from shequ.orgs.texts import TEXTS

COLUMNS: list[tuple[str, Any]] = [
    ("name", gettext_lazy("Organisation name")),
    ("kind", gettext_lazy("Kind")),
    ("credit_code", gettext_lazy("Unified social credit code")),
    ("filing_number", gettext_lazy("Filing number")),
    ("area_code", gettext_lazy("Area code")),
    ("supervising_agency", gettext_lazy("Supervising agency")),
    ("person_in_charge", gettext_lazy("Legal representative or person in charge")),
    ("address", gettext_lazy("Premises or place of activity")),
    ("founded_on", gettext_lazy("Registered or filed on")),
    ("individual_members", gettext_lazy("Individual members")),
    ("unit_members", gettext_lazy("Unit members")),
    ("staff", gettext_lazy("Full-time staff")),
    ("funds", gettext_lazy("Funds (yuan)")),
    ("categories", gettext_lazy("Service categories")),
    ("lat", gettext_lazy("Latitude")),
    ("lon", gettext_lazy("Longitude")),
    ("status", gettext_lazy("Status")),
    ("ended_on", gettext_lazy("Ended on")),
]
LANGUAGES = ("zh-hans", "en")


def _words(choices: Any) -> dict[str, str]:
    """Each key and each label in both languages → the key (a file in either language)."""
    out: dict[str, str] = {}
    for value, label in choices.choices:
        out[str(value).lower()] = value
        for lang in LANGUAGES:
            with translation.override(lang):
                out[str(label).strip().lower()] = value
    return out


def _headers() -> dict[str, str]:
    out: dict[str, str] = {}
    for key, label in COLUMNS:
        out[key] = key
        for lang in LANGUAGES:
            with translation.override(lang):
                out[str(label).strip().lower()] = key
    return out


@dataclass
class Row:
    line: int
    values: dict[str, Any]
    org: Org | None = None


@dataclass
class ImportResult:
    rows: int = 0
    created: int = 0
    dry_run: bool = False
    by_track: dict[str, int] = field(default_factory=dict)


class ImportFailed(BusinessError):
    default_code = Code.IMPORT_FAILED
    status = 422


def _rows(content: bytes, source: str) -> Iterator[tuple[int, dict[str, Any]]]:
    try:
        wb = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception:  # any file openpyxl cannot read is the same answer for the user
        raise ImportFailed(_("%(file)s is not an Excel workbook (.xlsx).") % {"file": source},
                           details={"errors": [f"{source}:1: not an .xlsx workbook"]}) from None
    ws = wb.worksheets[0]
    header_map = _headers()
    rows = ws.iter_rows(values_only=True)
    head = next(rows, None)
    if head is None:
        raise ImportFailed(_("%(file)s is empty.") % {"file": source},
                           details={"errors": [f"{source}:1: empty"]})
    keys = [header_map.get(str(h or "").strip().lower(), "") for h in head]
    missing = [str(label) for key, label in COLUMNS[:5] if key not in keys]
    if missing:
        message = _("%(file)s:1: columns missing: %(cols)s.") % {"file": source,
                                                                "cols": "、".join(missing)}
        raise ImportFailed(message, details={"errors": [message]})
    for line, values in enumerate(rows, start=2):
        if values is None or all(v in (None, "") for v in values):
            continue
        yield line, {k: v for k, v in zip(keys, values, strict=False) if k}


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _int(value: Any, what: str) -> int:
    text = _text(value)
    if not text:
        return 0
    try:
        n = int(Decimal(text))
    except InvalidOperation:
        raise ValueError(_("%(what)s “%(v)s” is not a whole number.")
                         % {"what": what, "v": text}) from None
    if n < 0:
        raise ValueError(_("%(what)s is negative.") % {"what": what})
    return n


def _date(value: Any, what: str) -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(_text(value))
    except ValueError:
        raise ValueError(_("%(what)s “%(v)s” is not a date (YYYY-MM-DD).")
                         % {"what": what, "v": _text(value)}) from None


def _fen(value: Any) -> int:
    text = _text(value).replace(",", "")
    if not text:
        return 0
    try:
        amount = Decimal(text)
    except InvalidOperation:
        raise ValueError(_("The funds “%(v)s” are not an amount of money.") % {"v": text}) from None
    if amount < 0 or amount != amount.quantize(Decimal("0.01")):
        raise ValueError(_("An amount is not negative and has at most two decimals."))
    return int(amount * 100)


def _e6(value: Any, low: int, high: int) -> int | None:
    text = _text(value)
    if not text:
        return None
    try:
        n = int((Decimal(text) * 1_000_000).quantize(Decimal(1)))
    except InvalidOperation:
        raise ValueError(_("“%(v)s” is not a coordinate.") % {"v": text}) from None
    if not low <= n <= high:
        raise ValueError(_("The coordinate %(v)s is out of range.") % {"v": text})
    return n


def import_registry(*, actor: Any, content: bytes, source: str = "registry.xlsx",
                    dry_run: bool = False) -> ImportResult:
    """Check every row of a workbook, then (unless ``dry_run``) write them all in one
    transaction."""
    return import_records(actor=actor, records=_rows(content, source), source=source,
                          dry_run=dry_run)


def import_records(*, actor: Any, records: Iterable[tuple[int, dict[str, Any]]],
                   source: str = "registry", dry_run: bool = False) -> ImportResult:
    """The same for rows already read (``(line, {column key: value})``): the demo and other
    loaders skip the workbook but not a single check."""
    kinds, cats, statuses = _words(Kind), _words(Category), _words(Status)
    areas: dict[str, bool] = {}
    errors: list[str] = []
    parsed: list[Row] = []
    for line, raw in records:
        try:
            parsed.append(Row(line, _parse(raw, kinds, cats, statuses, areas, actor)))
        except ValueError as exc:
            errors.append(f"{source}:{line}: {exc}")
    errors += _cross_check(parsed, source)
    if errors:
        raise ImportFailed(_("%(n)d rows have errors; nothing was imported. First: %(first)s")
                           % {"n": len(errors), "first": errors[0]}, details={"errors": errors})
    result = ImportResult(rows=len(parsed), dry_run=dry_run)
    for row in parsed:
        result.by_track[row.values["track"]] = result.by_track.get(row.values["track"], 0) + 1
    if dry_run:
        return result
    with transaction.atomic():
        objs = [Org(**{k: v for k, v in row.values.items() if k in _ORG_KEYS}) for row in parsed]
        Org.objects.bulk_create(objs, batch_size=500)  # keys come back (RETURNING)
        OrgService.objects.bulk_create([
            OrgService(org=o, category=c, main=i == 0, lat_e6=o.lat_e6, lon_e6=o.lon_e6,
                       area_code=o.area_code, available=o.status == Status.ACTIVE,
                       capacity=o.capacity)
            for o in objs for i, c in enumerate(o.categories)], batch_size=1000)
        OrgEvent.objects.bulk_create([
            OrgEvent(org=o, on=o.founded_on, action="imported", text=TEXTS.stored("imported"),
                     actor_name=actor_name(actor), public=False) for o in objs], batch_size=1000)
        for o in objs:
            record(actor=actor, action=AuditAction.ORG_IMPORT, obj=o, area_code=o.area_code,
                   changes={"name": o.name, "track": o.track, "kind": o.kind,
                            "identifier": o.credit_code or o.filing_number, "source": source})
        result.created = len(objs)
    return result


_ORG_KEYS = {"name", "track", "kind", "status", "credit_code", "filing_number", "area_code",
             "street_code", "authority_code", "supervising_agency", "person_in_charge",
             "address", "lat_e6", "lon_e6", "individual_members", "unit_members", "staff",
             "funds_fen", "categories", "founded_on", "ended_on", "has_premises",
             "has_charter"}


def _parse(raw: dict[str, Any], kinds: dict[str, str], cats: dict[str, str],
           statuses: dict[str, str], areas: dict[str, bool], actor: Any) -> dict[str, Any]:
    name = " ".join(_text(raw.get("name")).split())
    if not name:
        raise ValueError(_("the name is empty."))
    kind = kinds.get(_text(raw.get("kind")).lower())
    if kind is None:
        raise ValueError(_("unknown kind “%(k)s”.") % {"k": _text(raw.get("kind"))})
    area_code = _text(raw.get("area_code"))
    if area_code not in areas:
        areas[area_code] = len(area_code) >= STREET and Area.objects.filter(code=area_code).exists()
    if not areas[area_code]:
        raise ValueError(_("unknown area code “%(c)s” (a street or community).") % {"c": area_code})
    if not authz.has_perm(actor, Perm.IMPORT, area_code):
        raise ValueError(_("you may not import organisations of area %(c)s.") % {"c": area_code})
    track = track_of(kind)
    authority = authority_for(kind, area_code)
    values: dict[str, Any] = {
        "name": name, "kind": kind, "track": track, "area_code": area_code,
        "street_code": area_code[:STREET], "authority_code": authority,
        "supervising_agency": _text(raw.get("supervising_agency"))[:100],
        "person_in_charge": _text(raw.get("person_in_charge"))[:50],
        "address": _text(raw.get("address"))[:200],
        "individual_members": _int(raw.get("individual_members"), _("Individual members")),
        "unit_members": _int(raw.get("unit_members"), _("Unit members")),
        "staff": _int(raw.get("staff"), _("Full-time staff")),
        "funds_fen": _fen(raw.get("funds")),
        "lat_e6": _e6(raw.get("lat"), -90_000_000, 90_000_000),
        "lon_e6": _e6(raw.get("lon"), -180_000_000, 180_000_000),
        "credit_code": "", "filing_number": "",
    }
    values["has_premises"] = bool(values["address"])
    values["has_charter"] = True
    if not values["person_in_charge"]:
        raise ValueError(_("the legal representative or person in charge is empty."))
    founded = _date(raw.get("founded_on"), _("Registered or filed on"))
    if founded is None:
        raise ValueError(_("the registration or filing date is empty."))
    values["founded_on"] = founded
    words = [w for w in _text(raw.get("categories")).replace("，", ",").replace("、", ",")
             .split(",") if w.strip()]
    unknown = [w for w in words if w.strip().lower() not in cats]
    if unknown:
        raise ValueError(_("unknown service categories: %(c)s.") % {"c": "、".join(unknown)})
    values["categories"] = list(dict.fromkeys(cats[w.strip().lower()] for w in words))
    status = statuses.get(_text(raw.get("status")).lower(), Status.ACTIVE) \
        if _text(raw.get("status")) else Status.ACTIVE
    if _text(raw.get("status")) and _text(raw.get("status")).lower() not in statuses:
        raise ValueError(_("unknown status “%(s)s”.") % {"s": _text(raw.get("status"))})
    values["status"] = status
    ended = _date(raw.get("ended_on"), _("Ended on"))
    if status in (Status.DEREGISTERED, Status.REVOKED, Status.MERGED) and ended is None:
        raise ValueError(_("an organisation that ended needs the day it ended."))
    values["ended_on"] = ended
    if track == Track.REGISTERED:
        code = _text(raw.get("credit_code"))
        try:
            parsed = ids.parse_credit_code(code)
        except ids.InvalidId as exc:
            raise ValueError(_("unified social credit code %(code)s: %(why)s")
                             % {"code": code or "—", "why": exc.message}) from None
        if not parsed.is_civil_affairs or parsed.org_type != CREDIT_TYPE[Kind(kind)]:
            raise ValueError(_("%(code)s is not a civil-affairs code of a %(kind)s (GB 32100-2015: "
                               "first character 5, second %(type)s).")
                             % {"code": parsed.code, "kind": Kind(kind).label,
                                "type": CREDIT_TYPE[Kind(kind)]})
        if parsed.division_code != _division(authority):
            raise ValueError(_("%(code)s carries division %(div)s, but the organisation is "
                               "registered by %(auth)s (GB 32100-2015: characters 3 to 8).")
                             % {"code": parsed.code, "div": parsed.division_code,
                                "auth": _division(authority)})
        values["credit_code"] = parsed.code
    else:
        number = _text(raw.get("filing_number"))
        if not number:
            raise ValueError(_("a filed organisation needs its filing number."))
        values["filing_number"] = number[:40]
    return values


def _overlap(a: str, b: str) -> bool:
    return a.startswith(b) or b.startswith(a)


def _cross_check(rows: list[Row], source: str) -> list[str]:
    """Duplicates within the file and against the registry."""
    errors: list[str] = []
    codes = {r.values["credit_code"] for r in rows if r.values["credit_code"]}
    numbers = {r.values["filing_number"] for r in rows if r.values["filing_number"]}
    names = {r.values["name"] for r in rows}
    taken_codes = set(Org.objects.filter(credit_code__in=codes).values_list("credit_code",
                                                                           flat=True))
    taken_numbers = set(Org.objects.filter(filing_number__in=numbers)
                        .values_list("filing_number", flat=True))
    live_names: dict[str, list[str]] = {}
    for name, auth in Org.objects.filter(name__in=names, status__in=(
            Status.ACTIVE, Status.SUSPENDED)).values_list("name", "authority_code"):
        live_names.setdefault(name, []).append(auth)
    seen_codes: dict[str, int] = {}
    seen_numbers: dict[str, int] = {}
    seen_names: dict[str, list[tuple[str, int]]] = {}
    for r in rows:
        v = r.values
        at = f"{source}:{r.line}:"
        if v["credit_code"]:
            if v["credit_code"] in taken_codes:
                errors.append(f"{at} " + _("the credit code %(c)s is already registered.")
                              % {"c": v["credit_code"]})
            elif v["credit_code"] in seen_codes:
                errors.append(f"{at} " + _("the credit code %(c)s also appears on line %(l)d.")
                              % {"c": v["credit_code"], "l": seen_codes[v["credit_code"]]})
            seen_codes.setdefault(v["credit_code"], r.line)
        if v["filing_number"]:
            if v["filing_number"] in taken_numbers:
                errors.append(f"{at} " + _("the filing number %(n)s is already used.")
                              % {"n": v["filing_number"]})
            elif v["filing_number"] in seen_numbers:
                errors.append(f"{at} " + _("the filing number %(n)s also appears on line %(l)d.")
                              % {"n": v["filing_number"], "l": seen_numbers[v["filing_number"]]})
            seen_numbers.setdefault(v["filing_number"], r.line)
        if v["status"] not in (Status.ACTIVE, Status.SUSPENDED):
            continue
        if any(_overlap(a, v["authority_code"]) for a in live_names.get(v["name"], [])):
            errors.append(f"{at} " + _("the name “%(n)s” is already used under the same authority "
                                       "(duplicate name in the same area).") % {"n": v["name"]})
        for auth, line in seen_names.get(v["name"], []):
            if _overlap(auth, v["authority_code"]):
                errors.append(f"{at} " + _("the name “%(n)s” is also on line %(l)d under the same "
                                           "authority (duplicate name in the same area).")
                              % {"n": v["name"], "l": line})
                break
        seen_names.setdefault(v["name"], []).append((v["authority_code"], r.line))
    return errors


# ---------------------------------------------------------------- export


def export_registry(*, orgs: Any) -> bytes:
    """The registry as a workbook with the import's columns (streamed, constant memory)."""
    def rows() -> Iterator[list[Any]]:
        for o in orgs.iterator(chunk_size=1000):
            yield [o.name, o.get_kind_display(), o.credit_code, o.filing_number, o.area_code,
                   o.supervising_agency, o.person_in_charge, o.address, o.founded_on,
                   o.individual_members, o.unit_members, o.staff,
                   f"{o.funds_fen // 100}.{o.funds_fen % 100:02d}",
                   "、".join(str(Category(c).label) for c in o.categories),
                   _deg(o.lat_e6), _deg(o.lon_e6), o.get_status_display(), o.ended_on]

    return excel.workbook(excel.Sheet(title=str(_("Social organisations")),
                                      header=[str(label) for _key, label in COLUMNS],
                                      rows=rows(), widths=[30, 16, 22, 24, 16, 20, 14, 30, 14]))


def _deg(e6: int | None) -> str:
    if e6 is None:
        return ""
    return str((Decimal(e6) / 1_000_000).quantize(Decimal("0.000001")))
