"""Reads for the dashboards, reports and API: answered from snapshots only (ADR 1002), a
constant number of queries whatever the number of areas."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Max, Q, QuerySet
from django.utils.translation import gettext as _

from shequ import authz
from shequ.areas import facade as areas
from shequ.areas.models import DutyCode
from shequ.assessment.enums import Code, Perm
from shequ.assessment.models import Score, Snapshot
from shequ.core.errors import NotFound
from shequ.core.indicators import INDICATORS


def snapshots(*, user: Any) -> QuerySet[Snapshot]:
    """Snapshots whose area is in the user's scope, or that contain it (a street officer
    reads their street's rows of the district's snapshot)."""
    codes = authz.scope_codes(user, Perm.VIEW)
    qs = Snapshot.objects.select_related("scheme")
    if codes is None:
        return qs
    q = Q(pk__in=[])
    for code in codes:
        q |= Q(area_code__startswith=code)
        q |= Q(area_code__in=[code[:n] for n in (2, 4, 6, 9) if n < len(code)])
    return qs.filter(q)


def current(*, user: Any) -> list[Snapshot]:
    """The latest version of every assessed period in the user's scope, newest first."""
    rows = list(snapshots(user=user).order_by("-end", "scheme__area_code", "-version")[:200])
    seen: set[tuple[str, str, Any, Any]] = set()
    out = []
    for s in rows:
        key = (s.scheme.area_code, s.scheme.kind, s.start, s.end)
        if key not in seen:
            seen.add(key)
            out.append(s)
    return out


def snapshot(*, user: Any, pk: int) -> Snapshot:
    found = snapshots(user=user).filter(pk=pk).first()
    if found is None:
        raise NotFound(_("No such assessment."), code=Code.UNKNOWN_SNAPSHOT)
    return found


def default_area(user: Any, snap: Snapshot) -> str:
    """The snapshot's own area, or the first area of the user's scope inside it."""
    if authz.has_perm(user, Perm.VIEW, snap.area_code):
        return snap.area_code
    for code in authz.scope_codes(user, Perm.VIEW) or []:
        if code.startswith(snap.area_code):
            return code[:12]
    raise NotFound(_("No such assessment."), code=Code.UNKNOWN_SNAPSHOT)


@dataclass(frozen=True)
class Line:
    """One indicator of one area: value, target, points out of the weight."""

    code: str
    name: str
    duty: str
    unit: str
    direction: str
    numerator: Decimal | None
    denominator: Decimal | None
    value: Decimal | None
    target: Decimal
    floor: Decimal | None
    weight: Decimal
    points: Decimal | None
    scoring: str

    @property
    def met(self) -> bool:
        if self.value is None:
            return False
        return self.value >= self.target if self.direction == "higher" else self.value <= self.target

    @property
    def progress(self) -> int:
        """Per cent of the way to the target (for "lower is better", of the way down from
        the floor), 0..100, for the progress bar."""
        if self.value is None:
            return 0
        if self.met:
            return 100
        if self.direction == "higher":
            return int(self.value / self.target * 100) if self.target else 100
        if self.floor is None or self.floor == self.target:
            return 0
        share = (self.floor - self.value) / (self.floor - self.target)
        return max(0, min(100, int(share * 100)))


def _dec(x: str | None) -> Decimal | None:
    return None if x is None else Decimal(x)


def lines(snap: Snapshot, row: Score) -> list[Line]:
    out = []
    for item in snap.inputs.get("items", []):
        code = item["indicator"]
        meta = snap.inputs["indicators"].get(code, {})
        ind = INDICATORS.get(code)
        num, den = row.values.get(code, [None, None])
        n, d = _dec(num), _dec(den)
        value = None if n is None else (n if d is None else (n / d if d else None))
        out.append(Line(code=code, name=str(ind.name) if ind else code, duty=item["duty"],
                        unit=meta.get("unit", ""), direction=meta.get("direction", "higher"),
                        numerator=n, denominator=d, value=value, target=Decimal(item["target"]),
                        floor=_dec(item["floor"]), weight=Decimal(item["weight"]),
                        points=_dec(row.points.get(code)), scoring=item["scoring"]))
    return out


def duty_label(code: str) -> str:
    return str(DutyCode(code).label) if code in DutyCode.values else _("Targets")


def sections(snap: Snapshot, row: Score) -> list[tuple[str, Decimal, Decimal]]:
    """(duty, points, weight) in the scheme's order."""
    weights: dict[str, Decimal] = {}
    for item in snap.inputs.get("items", []):
        weights[item["duty"]] = weights.get(item["duty"], Decimal(0)) + Decimal(item["weight"])
    return [(duty_label(d), Decimal(row.sections.get(d, "0")), w) for d, w in weights.items()]


@dataclass(frozen=True)
class Carrier:
    """A department (科室) carrying a section's duty, with its postings past the rotation
    period at the snapshot's end (the people indicator counted per department)."""

    id: int
    name: str
    category: str
    rotations_overdue: int


def carriers(snap: Snapshot, row: Score) -> dict[str, list[Carrier]]:
    """For a street's row: each section's duty label → the departments of the street
    office holding that duty on the snapshot's last day (ADR 1003), from the same records
    a case's handling department and a cadre's posting point at. Empty for any other
    level. Three queries, whatever the number of sections."""
    if row.level != "street":
        return {}
    from shequ.people import facade as people

    holders = areas.duty_holders(row.area_code, on=snap.end)
    overdue = people.rotations_overdue_by_department(row.area_code, snap.end) if holders else {}
    return {duty_label(code): [Carrier(id=d.pk, name=d.name,
                                       category=str(d.get_category_display()),
                                       rotations_overdue=overdue.get(d.pk, 0)) for d in depts]
            for code, depts in holders.items()}


@dataclass(frozen=True)
class Board:
    snapshot: Snapshot
    row: Score
    children: list[Score]
    trail: list[Score]
    trend: list[tuple[int, Decimal | None, int | None]]


def board(*, user: Any, pk: int, area: str = "", figures: bool = False) -> Board:
    """One area of a snapshot: its row, its children ranked, the way up to the snapshot's
    area, and its totals in the same scheme's other years (five queries)."""
    snap = snapshot(user=user, pk=pk)
    area = area or default_area(user, snap)
    if not area.startswith(snap.area_code) or not authz.has_perm(user, Perm.VIEW, area):
        raise NotFound(_("No such area in this assessment."), code=Code.UNKNOWN_AREA)
    ups = [area[:n] for n in (2, 6, 9, 12) if len(snap.area_code) <= n <= len(area)]
    found = {r.area_code: r for r in Score.objects.filter(snapshot=snap, area_code__in=ups)}
    row = found.get(area)
    if row is None:
        raise NotFound(_("No such area in this assessment."), code=Code.UNKNOWN_AREA)
    trail = [found[c] for c in ups if c in found and authz.has_perm(user, Perm.VIEW, c)]
    rows = Score.objects.filter(snapshot=snap, parent_code=area).order_by("rank", "area_code")
    if not figures:  # the page lists the children's scores only
        rows = rows.only("area_code", "parent_code", "level", "name", "total", "rank", "passed")
    children = list(rows)
    return Board(snapshot=snap, row=row, children=children, trail=trail,
                 trend=trend(snap, area))


def trend(snap: Snapshot, area: str) -> list[tuple[int, Decimal | None, int | None]]:
    """(year, total, rank) of ``area`` in every period of this scheme's area and kind,
    the latest version of each."""
    latest = (Snapshot.objects.filter(scheme__area_code=snap.scheme.area_code,
                                      scheme__kind=snap.scheme.kind)
              .values("start", "end").annotate(v=Max("version")))
    keys = {(r["start"], r["end"], r["v"]) for r in latest}
    rows = (Score.objects.filter(area_code=area, snapshot__scheme__area_code=snap.scheme.area_code,
                                 snapshot__scheme__kind=snap.scheme.kind)
            .values_list("snapshot__start", "snapshot__end", "snapshot__version", "total", "rank")
            .order_by("snapshot__end"))
    return [(end.year, total, rank) for start, end, v, total, rank in rows
            if (start, end, v) in keys]


def scores(*, user: Any, pk: int, parent: str = "") -> QuerySet[Score]:
    """The rows of a snapshot under ``parent`` (the snapshot's area if empty), for the API."""
    snap = snapshot(user=user, pk=pk)
    parent = parent or default_area(user, snap)
    if not authz.has_perm(user, Perm.VIEW, parent):
        raise NotFound(_("No such area in this assessment."), code=Code.UNKNOWN_AREA)
    return Score.objects.filter(snapshot=snap, parent_code=parent)


def area_names(codes: set[str]) -> dict[str, str]:
    from shequ.areas.models import Area

    return dict(Area.objects.filter(code__in=codes).values_list("code", "name"))


def figures(*, user: Any) -> QuerySet[Any]:
    """Figures entered by hand in the user's scope, newest first (keyset-paged)."""
    from shequ.assessment.models import ManualFigure

    return (ManualFigure.objects.filter(authz.scope_q(user, Perm.ENTER))
            .order_by("-entered_at", "-id"))


def indicator_names() -> dict[str, str]:
    return {code: str(ind.name) for code, ind in INDICATORS.items()}


def schemes(*, user: Any) -> QuerySet[Any]:
    """Scheme versions whose area is in the user's scope or contains it, newest first."""
    from shequ.assessment.models import Scheme

    codes = authz.scope_codes(user, Perm.VIEW)
    qs = Scheme.objects.select_related("created_by")
    if codes is not None:
        q = Q(pk__in=[])
        for code in codes:
            q |= Q(area_code__startswith=code)
            q |= Q(area_code__in=[code[:n] for n in (2, 4, 6, 9) if n < len(code)])
        qs = qs.filter(q)
    return qs.order_by("-id")


def scheme(*, user: Any, pk: int) -> tuple[Any, list[tuple[str, list[dict[str, Any]]]]]:
    """One scheme version with its sections and items, as a reader reads them."""
    from shequ.assessment.display import value_text
    from shequ.assessment.models import Item, Scoring

    found = schemes(user=user).filter(pk=pk).first()
    if found is None:
        raise NotFound(_("No such assessment scheme."), code=Code.NO_SCHEME)
    out: dict[str, list[dict[str, Any]]] = {}
    for it in (Item.objects.filter(section__scheme=found).select_related("section__duty")
               .order_by("section__order", "order")):
        ind = INDICATORS.get(it.indicator)
        unit = ind.unit if ind else ""
        section = str(it.section.duty) if it.section.duty else str(_("Targets"))
        out.setdefault(section, []).append({
            "name": str(ind.name) if ind else it.indicator, "weight": it.weight,
            "scoring": Scoring(it.scoring).label, "target": value_text(it.target, unit),
            "floor": value_text(it.floor, unit) if it.floor is not None else "—",
            "better": _("higher") if ind and ind.direction == "higher" else _("lower"),
            "policy": str(ind.policy) if ind else ""})
    return found, list(out.items())
