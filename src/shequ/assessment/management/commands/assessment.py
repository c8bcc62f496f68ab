"""Street assessment from the command line (acts as the system):

    shequ assessment scheme FILE.json            # a district's scheme (a new version)
    shequ assessment province --area 51 --year 2025
    shequ assessment compute --area 510104 --year 2025 [--kind province]
    shequ assessment due                          # every ended year not yet assessed
    shequ assessment correct SNAPSHOT --reason "…"
    shequ assessment enter --indicator assessment.safety_inspections --area 510104022 \\
        --start 2025-01-01 --end 2025-12-31 --value 12 [--note "…"]
    shequ assessment show SNAPSHOT [--area CODE]
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from shequ.assessment import display, selectors, services
from shequ.assessment.models import Score, Snapshot
from shequ.authz import SYSTEM
from shequ.core.errors import BusinessError


class Command(BaseCommand):
    help = "Street assessment: schemes, snapshots, corrections, figures entered by hand."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sc = sub.add_parser("scheme", help="save a district's scheme from a JSON file")
        sc.add_argument("file", type=Path)
        pr = sub.add_parser("province", help="the province's 2015 targets as a scheme")
        pr.add_argument("--area", default="51")
        pr.add_argument("--year", type=int, required=True)
        co = sub.add_parser("compute", help="compute a closed period's snapshot")
        co.add_argument("--area", required=True)
        co.add_argument("--year", type=int, required=True)
        co.add_argument("--kind", choices=["district", "province"], default="district")
        sub.add_parser("due", help="compute every ended year not yet assessed (idempotent)")
        cr = sub.add_parser("correct", help="a new version of a snapshot, with its reason")
        cr.add_argument("snapshot", type=int)
        cr.add_argument("--reason", required=True)
        en = sub.add_parser("enter", help="a figure that exists only on paper")
        en.add_argument("--indicator", required=True)
        en.add_argument("--area", required=True)
        en.add_argument("--start", required=True)
        en.add_argument("--end", required=True)
        en.add_argument("--value", required=True)
        en.add_argument("--note", default="")
        sh = sub.add_parser("show", help="scores of a snapshot under an area")
        sh.add_argument("snapshot", type=int)
        sh.add_argument("--area", default="")

    def handle(self, *args: Any, **opts: Any) -> None:
        try:
            getattr(self, "_" + opts["action"])(opts)
        except BusinessError as exc:
            raise CommandError(str(exc.message)) from None

    @staticmethod
    def _date(value: str) -> date:
        try:
            return date.fromisoformat(value)
        except ValueError:
            raise CommandError(_("“%(v)s” is not a date (YYYY-MM-DD).") % {"v": value}) from None

    def _scheme(self, opts: dict[str, Any]) -> None:
        path: Path = opts["file"]
        if not path.exists():
            raise CommandError(_("%(p)s: no such file.") % {"p": path})
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except json.JSONDecodeError as exc:
            raise CommandError(f"{path}:{exc.lineno}: {exc.msg}") from None
        scheme = services.save_scheme(actor=SYSTEM, area_code=str(data.get("area_code", "")),
                                      year=int(data.get("year", 0)), name=data.get("name", ""),
                                      sections=data.get("sections", []),
                                      source=data.get("source", ""))
        self.stdout.write(_("Scheme %(id)s saved as version %(v)s.") % {"id": scheme.pk,
                                                                      "v": scheme.version})

    def _province(self, opts: dict[str, Any]) -> None:
        scheme = services.province_scheme(actor=SYSTEM, area_code=opts["area"], year=opts["year"])
        self.stdout.write(_("Scheme %(id)s saved as version %(v)s.") % {"id": scheme.pk,
                                                                      "v": scheme.version})

    def _compute(self, opts: dict[str, Any]) -> None:
        snap = services.compute(actor=SYSTEM, area_code=opts["area"], year=opts["year"],
                                kind=opts["kind"])
        self._done(snap)

    def _due(self, opts: dict[str, Any]) -> None:
        for snap in services.compute_due(actor=SYSTEM):
            self._done(snap)

    def _correct(self, opts: dict[str, Any]) -> None:
        self._done(services.correct(actor=SYSTEM, snapshot_id=opts["snapshot"],
                                    reason=opts["reason"]))

    def _done(self, snap: Snapshot) -> None:
        n = Score.objects.filter(snapshot=snap).count()
        self.stdout.write(_("Snapshot %(id)s (version %(v)s): %(n)s areas.") % {
            "id": snap.pk, "v": snap.version, "n": n})

    def _enter(self, opts: dict[str, Any]) -> None:
        row = services.enter_figure(actor=SYSTEM, indicator=opts["indicator"], area_code=opts["area"],
                                    start=self._date(opts["start"]), end=self._date(opts["end"]),
                                    value=opts["value"], note=opts["note"])
        self.stdout.write(_("Entered figure %(id)s.") % {"id": row.pk})

    def _show(self, opts: dict[str, Any]) -> None:
        b = selectors.board(user=SYSTEM, pk=opts["snapshot"], area=opts["area"])
        for r in [b.row, *b.children]:
            self.stdout.write(f"{r.rank or '-'}\t{r.area_code}\t{r.name}\t"
                              f"{display.points_text(r.total)}\t{r.passed}")
