"""Snapshots: every indicator of a scheme for every area below it, scored and ranked, in
rows nobody changes afterwards (ADR 1002). A correction is a new version with a reason."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from shequ import authz
from shequ.areas.models import Area, Level
from shequ.assessment import scoring
from shequ.assessment.enums import AuditAction, Code, Perm
from shequ.assessment.models import Item, Scheme, Score, Snapshot
from shequ.assessment.services.schemes import indicator_or_error
from shequ.audit.services import record
from shequ.core.errors import BusinessError, Conflict, NotFound
from shequ.core.indicators import LEVEL_LENGTH, Indicator, Value

LEVELS = ("province", "district", "street", "community")  # the drill-down (cities skipped)


def _levels(area_code: str) -> list[str]:
    return [lv for lv in LEVELS if LEVEL_LENGTH[lv] >= len(area_code)]


def _parent(code: str, top: str) -> str:
    if code == top:
        return ""
    for lv in reversed(LEVELS):
        n = LEVEL_LENGTH[lv]
        if n < len(code) and n >= len(top):
            return code[:n]
    return top


def _closed(start: date, end: date, today: date) -> None:
    if end < start:
        raise BusinessError(_("The period ends (%(e)s) before it starts (%(s)s).")
                            % {"s": start, "e": end}, code=Code.BAD_PERIOD)
    if end >= today:
        raise BusinessError(
            _("The period %(s)s to %(e)s is not closed yet; it can be assessed from the day "
              "after it ends (rule: an assessment is computed only for a closed period).")
            % {"s": start, "e": end}, code=Code.PERIOD_OPEN, details={"end": end.isoformat()})


def _values(ind: Indicator, area: str, levels: list[str], start: date, end: date
            ) -> dict[str, Value]:
    """Every area's value: additive indicators computed at the lowest level they offer
    and added up (one query), the others computed at each level."""
    wanted = [lv for lv in levels if lv in ind.levels or lv == "province"]
    if not ind.additive:
        out: dict[str, Value] = {}
        for lv in wanted:
            out.update(ind.compute(area, lv, start, end))
        return out
    base = next(lv for lv in reversed(LEVELS) if lv in ind.levels)
    found = ind.compute(area, base, start, end)
    lengths = [LEVEL_LENGTH[lv] for lv in wanted]
    sums: dict[str, list[Any]] = {}
    for code, v in found.items():
        num, den = v.numerator, v.denominator
        for n in lengths:
            if n > len(code):
                continue
            bucket = sums.get(code[:n])
            if bucket is None:
                sums[code[:n]] = [num, den]
            else:
                bucket[0] = num if bucket[0] is None else (bucket[0] if num is None
                                                           else bucket[0] + num)
                bucket[1] = den if bucket[1] is None else (bucket[1] if den is None
                                                           else bucket[1] + den)
    return {k: Value(a, b) for k, (a, b) in sums.items()}


def _num(x: Any) -> str | None:
    return None if x is None else str(x)


def _run(actor: Any, scheme: Scheme, start: date, end: date, version: int,
         supersedes: Snapshot | None, reason: str) -> Snapshot:
    items = list(Item.objects.filter(section__scheme=scheme).select_related("section__duty")
                 .order_by("section__order", "order"))
    inds = {it.indicator: indicator_or_error(it.indicator) for it in items}
    area = scheme.area_code
    levels = _levels(area)
    lengths = {LEVEL_LENGTH[lv] for lv in levels}
    areas = list(Area.objects.filter(code__startswith=area, valid_to__isnull=True)
                 .filter(level__in=[Level(lv) for lv in levels])
                 .values_list("code", "name"))
    areas = [(c, n) for c, n in areas if len(c) in lengths]
    values = {code: _values(ind, area, levels, start, end) for code, ind in inds.items()}
    rules = {it.indicator: scoring.Rule(it.weight, it.scoring, it.target, it.floor,
                                        inds[it.indicator].direction) for it in items}
    now = timezone.now()
    snap = Snapshot.objects.create(
        scheme=scheme, area_code=area, start=start, end=end, version=version,
        supersedes=supersedes, reason=reason, computed_at=now,
        computed_by=getattr(actor, "username", "") or str(actor),
        inputs={"scheme": {"id": scheme.pk, "version": scheme.version,
                           "rules_version": scheme.rules_version},
                "indicators": {c: {"module": i.module, "unit": i.unit, "direction": i.direction,
                                   "policy": str(i.policy), "additive": i.additive}
                               for c, i in inds.items()},
                "items": [{"indicator": it.indicator, "duty": it.section.duty.code
                           if it.section.duty else "", "weight": str(it.weight),
                           "scoring": it.scoring, "target": str(it.target),
                           "floor": _num(it.floor)} for it in items]})
    plan = []
    for it in items:
        ind = inds[it.indicator]
        zero = ind.unit == "count" and ind.module != "assessment"
        plan.append((it.indicator, rules[it.indicator], values[it.indicator], ind.direction,
                     it.target, it.weight, it.section.duty.code if it.section.duty else "",
                     set(ind.levels) if zero else set()))
    rows: list[dict[str, Any]] = []
    for code, name in areas:
        level = LEVEL_OF[len(code)]
        vals: dict[str, list[str | None]] = {}
        pts: dict[str, str | None] = {}
        secs: dict[str, Decimal] = {}
        scored: list[tuple[Decimal, Decimal | None]] = []
        passed = 0
        for ind_code, rule, found, direction, target, weight, duty, zero_levels in plan:
            v = found.get(code)
            if v is None and level in zero_levels:
                v = Value(0)  # a count with no rows is zero; a ratio or a figure not entered has no data
            value = v.value if v is not None else None
            p = scoring.points(rule, value)
            vals[ind_code] = [_num(v.numerator), _num(v.denominator)] if v else [None, None]
            pts[ind_code] = _num(p)
            scored.append((weight, p))
            if value is not None and scoring.met(value, target, direction):
                passed += 1
            secs[duty] = secs.get(duty, Decimal(0)) + (p or Decimal(0))
        rows.append({"snapshot_id": snap.pk, "area_code": code, "parent_code": _parent(code, area),
                     "level": level, "name": name, "total": scoring.total(scored), "rank": None,
                     "passed": passed, "values": vals, "points": pts,
                     "sections": {k: str(v) for k, v in secs.items()}})
    by_parent: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        by_parent.setdefault(row["parent_code"], []).append(row)
    for group in by_parent.values():
        ranked = scoring.ranks([(r["area_code"], r["total"]) for r in group])
        for r in group:
            r["rank"] = ranked[r["area_code"]]
    _store_scores(rows)
    return snap


COLUMNS = ("snapshot_id", "area_code", "parent_code", "level", "name", "total", "rank",
           "passed", "values", "points", "sections")


def _store_scores(rows: list[dict[str, Any]]) -> None:
    """Insert the rows: PostgreSQL's COPY at province scale (38,000 rows with three JSON
    columns; an INSERT of that many parameters costs more than the indicators do)."""
    if connection.vendor != "postgresql":
        Score.objects.bulk_create([Score(**r) for r in rows], batch_size=2000)
        return
    table = Score._meta.db_table
    cols = ", ".join(f'"{c}"' for c in COLUMNS)
    with connection.cursor() as cur, cur.copy(f"COPY {table} ({cols}) FROM STDIN") as copy:
        for r in rows:
            copy.write_row([json.dumps(r[c]) if c in JSON_COLUMNS else r[c] for c in COLUMNS])


JSON_COLUMNS = {"values", "points", "sections"}
LEVEL_OF = {n: lv for lv, n in LEVEL_LENGTH.items()}


def _scheme(area_code: str, year: int, kind: str) -> Scheme:
    scheme = (Scheme.objects.filter(area_code=area_code, year=year, kind=kind)
              .order_by("-version").first())
    if scheme is None:
        raise NotFound(_("No assessment scheme for %(a)s in %(y)s.") % {"a": area_code, "y": year},
                       code=Code.NO_SCHEME)
    return scheme


def compute(*, actor: Any, area_code: str, year: int, kind: str = "district",
            start: date | None = None, end: date | None = None, today: date | None = None
            ) -> Snapshot:
    """The first snapshot of the scheme in force (its latest version) for a closed period
    (the scheme's year unless given)."""
    scheme = _scheme(area_code, year, kind)
    authz.check(actor, Perm.COMPUTE, scheme.area_code)
    start = start or date(scheme.year, 1, 1)
    end = end or date(scheme.year, 12, 31)
    _closed(start, end, today or timezone.localdate())
    with transaction.atomic():
        Scheme.objects.select_for_update().filter(pk=scheme.pk).first()
        if Snapshot.objects.filter(scheme__area_code=scheme.area_code, scheme__kind=scheme.kind,
                                   start=start, end=end).exists():
            raise Conflict(_("This period is already assessed; a change is a correction with a "
                             "reason."), code=Code.ALREADY_COMPUTED)
        snap = _run(actor, scheme, start, end, 1, None, "")
        record(actor=actor, action=AuditAction.SNAPSHOT_COMPUTE, obj=snap, area_code=scheme.area_code,
               changes={"scheme": scheme.pk, "scheme_version": scheme.version,
                        "start": start.isoformat(), "end": end.isoformat()})
    return snap


def correct(*, actor: Any, snapshot_id: int, reason: str, today: date | None = None) -> Snapshot:
    """A new version of a snapshot, computed again from the data as it is now with the
    scheme's latest version; the earlier version stays as it was for whoever cites it."""
    old = Snapshot.objects.select_related("scheme").filter(pk=snapshot_id).first()
    if old is None or not authz.has_perm(actor, Perm.VIEW, old.area_code):
        raise NotFound(_("No such assessment."), code=Code.UNKNOWN_SNAPSHOT)
    authz.check(actor, Perm.COMPUTE, old.area_code)
    reason = (reason or "").strip()
    if not reason:
        raise BusinessError(_("A correction needs its reason."), code=Code.REASON_REQUIRED)
    _closed(old.start, old.end, today or timezone.localdate())
    scheme = _scheme(old.scheme.area_code, old.scheme.year, old.scheme.kind)
    with transaction.atomic():
        last = (Snapshot.objects.select_for_update()
                .filter(scheme__area_code=scheme.area_code, scheme__kind=scheme.kind,
                        start=old.start, end=old.end).aggregate(v=Max("version"))["v"]) or 0
        latest = (Snapshot.objects.filter(scheme__area_code=scheme.area_code,
                                          scheme__kind=scheme.kind, start=old.start,
                                          end=old.end, version=last).first())
        snap = _run(actor, scheme, old.start, old.end, last + 1, latest, reason)
        record(actor=actor, action=AuditAction.SNAPSHOT_CORRECT, obj=snap, area_code=scheme.area_code,
               changes={"supersedes": latest.pk if latest else None, "version": snap.version,
                        "scheme_version": scheme.version, "reason": reason})
    return snap


def compute_due(*, actor: Any, today: date | None = None) -> list[Snapshot]:
    """The periodic job: every scheme whose year has ended and has no snapshot yet
    (idempotent: a period already assessed is left alone)."""
    today = today or timezone.localdate()
    done = []
    latest: dict[tuple[str, int, str], Scheme] = {}
    for s in Scheme.objects.filter(year__lt=today.year).order_by("version"):
        latest[(s.area_code, s.year, s.kind)] = s
    for (area, year, kind), _s in sorted(latest.items()):
        if Snapshot.objects.filter(scheme__area_code=area, scheme__kind=kind,
                                   start=date(year, 1, 1), end=date(year, 12, 31)).exists():
            continue
        done.append(compute(actor=actor, area_code=area, year=year, kind=kind, today=today))
    return done
