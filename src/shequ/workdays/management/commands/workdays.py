"""``shequ workdays``: working-day arithmetic on the Chinese calendar, and calendar data.

    shequ workdays add 2025-09-30 20        -> 2025-11-04
    shequ workdays between 2025-09-30 2025-11-04   -> 20
    shequ workdays is 2025-10-11            -> yes (make-up working day)
    shequ workdays enter-year notice-2027.json
    shequ workdays set-day 2026-06-01 holiday --name "本地假日"
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from shequ.authz import SYSTEM
from shequ.core import calendar
from shequ.core.errors import BusinessError
from shequ.workdays import services


def _date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise CommandError(_("Not a date (YYYY-MM-DD): %(v)s") % {"v": value}) from None


class Command(BaseCommand):
    help = "Working-day calendar: add, between, is, enter-year, set-day."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        add = sub.add_parser("add", help="the Nth working day after a date")
        add.add_argument("start")
        add.add_argument("days", type=int)
        between = sub.add_parser("between", help="working days in (A, B]")
        between.add_argument("start")
        between.add_argument("end")
        is_ = sub.add_parser("is", help="is this a working day?")
        is_.add_argument("day")
        enter = sub.add_parser("enter-year", help="enter a year's holiday notice from JSON")
        enter.add_argument("file")
        setday = sub.add_parser("set-day", help="adjust one day locally")
        setday.add_argument("day")
        setday.add_argument("kind", choices=["holiday", "workday"])
        setday.add_argument("--name", default="")
        setday.add_argument("--note", default="")

    def handle(self, *args: Any, **opts: Any) -> None:
        try:
            self._run(opts)
        except BusinessError as exc:
            raise CommandError(str(exc.message)) from None

    def _run(self, opts: dict[str, Any]) -> None:
        action = opts["action"]
        if action == "add":
            self.stdout.write(calendar.add_workdays(_date(opts["start"]), opts["days"]).isoformat())
        elif action == "between":
            self.stdout.write(str(calendar.workdays_between(_date(opts["start"]),
                                                            _date(opts["end"]))))
        elif action == "is":
            yes = calendar.is_workday(_date(opts["day"]))
            self.stdout.write(_("yes") if yes else _("no"))
        elif action == "enter-year":
            self._enter_year(Path(opts["file"]))
        elif action == "set-day":
            services.set_day(actor=SYSTEM, day=_date(opts["day"]), kind=opts["kind"],
                             name=opts["name"], note=opts["note"])
            self.stdout.write(_("Saved."))

    def _enter_year(self, path: Path) -> None:
        """JSON: {"year": 2027, "source": "国办发明电〔2026〕…",
        "holidays": [["2027-01-01", "2027-01-01", "元旦"], ...],
        "workdays": ["2027-02-07", ...]}"""
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            holidays = [(_date(a), _date(b), str(n)) for a, b, n in data["holidays"]]
            workdays = [_date(d) for d in data.get("workdays", [])]
            year, source = int(data["year"]), str(data["source"])
        except (OSError, ValueError, KeyError, TypeError, RecursionError) as exc:
            raise CommandError(_("Cannot read %(f)s: %(e)s") % {"f": path, "e": exc}) from None
        services.enter_year(actor=SYSTEM, year=year, holidays=holidays, workdays=workdays,
                            source=source)
        self.stdout.write(_("Entered %(y)d: %(h)d holiday period(s), %(w)d make-up working day(s).")
                          % {"y": year, "h": len(holidays), "w": len(workdays)})
