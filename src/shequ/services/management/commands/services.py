"""``shequ services``: the clock sweep, statistics, overdue lists, cases and the catalogue.

    shequ services sweep [--at 2025-10-31T09:00+08:00]
    shequ services stats [--by street|department|item|month] [--xlsx out.xlsx]
    shequ services overdue --street 510104022
    shequ services show 510104022-2025-000001
    shequ services items
    shequ services deadline 2025-09-30 20
    shequ services lifecycle          # the case lifecycle as a Markdown table (docs)
    shequ services head add zhuren 510104022 [--title 主任] [--since 2026-01-01]
    shequ services head end zhuren 510104022 [--until 2026-06-30]
    shequ services head list 510104022
    shequ services rollups rebuild    # recompute the statistics rollups from the cases
    shequ services rollups check      # compare the rollups with the cases (exit 1 if not)
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from shequ.authz import SYSTEM
from shequ.core.calendar import get_calendar
from shequ.core.errors import BusinessError
from shequ.services import export, rollups, selectors, services
from shequ.services.lifecycles import table


class Command(BaseCommand):
    help = "Services: sweep the clock, statistics, overdue cases, one case, the catalogue."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sw = sub.add_parser("sweep", help="accept unchecked applications, refresh time-limit "
                                          "status, warn and escalate (idempotent)")
        sw.add_argument("--at", default=None, help="pretend it is this moment (ISO 8601)")
        st = sub.add_parser("stats", help="on-time rate and working days used")
        st.add_argument("--by", default="street", choices=list(selectors.GROUPS))
        st.add_argument("--on", default=None, help="count overdue as of this date")
        st.add_argument("--xlsx", type=Path, default=None, help="write an Excel workbook")
        ov = sub.add_parser("overdue", help="a street's overdue cases")
        ov.add_argument("--street", required=True)
        ov.add_argument("--on", default=None)
        ov.add_argument("--limit", type=int, default=100)
        show = sub.add_parser("show", help="one case and its history")
        show.add_argument("number")
        sub.add_parser("items", help="the catalogue")
        dl = sub.add_parser("deadline", help="the N-th working day after a date")
        dl.add_argument("start")
        dl.add_argument("days", type=int)
        sub.add_parser("lifecycle", help="the case lifecycle as a Markdown table")
        hd = sub.add_parser("head", help="heads of office who approve extensions (Art. 42)")
        hd.add_argument("what", choices=["add", "end", "list"])
        hd.add_argument("username", nargs="?", default="")
        hd.add_argument("area_code", nargs="?", default="")
        hd.add_argument("--title", default="")
        hd.add_argument("--since", default=None)
        hd.add_argument("--until", default=None)
        ru = sub.add_parser("rollups", help="the statistics rollups (ADR 0026)")
        ru.add_argument("what", choices=["rebuild", "check"])

    def handle(self, *args: Any, **opts: Any) -> None:
        try:
            getattr(self, "_" + opts["action"])(opts)
        except BusinessError as exc:
            raise CommandError(str(exc.message)) from None

    @staticmethod
    def _date(value: str | None) -> date | None:
        return date.fromisoformat(value) if value else None

    def _head(self, opts: dict[str, Any]) -> None:
        try:
            since, until = self._date(opts["since"]), self._date(opts["until"])
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        if opts["what"] == "list":
            office = opts["username"] or opts["area_code"]
            for h in services.heads_of(office):
                self.stdout.write(f"{h.user.username}\t{h.area_code}\t{h.title}\t{h.since}")
            return
        if not opts["username"] or not opts["area_code"]:
            raise CommandError(_("Give the user name and the office's area code."))
        if opts["what"] == "add":
            head = services.designate_head(actor=SYSTEM, username=opts["username"],
                                           area_code=opts["area_code"], title=opts["title"],
                                           since=since)
            self.stdout.write(f"{opts['username']}\t{head.area_code}\t{head.since}")
        else:
            n = services.end_head(actor=SYSTEM, username=opts["username"],
                                  area_code=opts["area_code"], until=until)
            self.stdout.write(str(n))

    def _sweep(self, opts: dict[str, Any]) -> None:
        at: datetime | None = parse_datetime(opts["at"]) if opts["at"] else None
        result = services.sweep(actor=SYSTEM, at=at)
        self.stdout.write(" ".join(f"{k}={v}" for k, v in result.as_dict().items()))

    def _stats(self, opts: dict[str, Any]) -> None:
        on = self._date(opts["on"])
        if opts["xlsx"]:
            data, _n = export.workbook(user=SYSTEM, on=on)
            opts["xlsx"].write_bytes(data)
            self.stdout.write(_("Wrote %(p)s") % {"p": opts["xlsx"]})
            return
        rows = selectors.statistics(user=SYSTEM, by=opts["by"], on=on)
        self.stdout.write("\t".join(["key", "label", "cases", "completed", "on_time", "late",
                                     "on_time_rate", "avg_workdays", "overdue_open"]))
        for r in [*rows, selectors.total(rows)]:
            rate = f"{r.on_time_rate:.3f}" if r.on_time_rate is not None else "-"
            self.stdout.write("\t".join(str(x) for x in (
                r.key, r.label, r.cases, r.completed, r.on_time, r.late, rate,
                r.avg_workdays if r.avg_workdays is not None else "-", r.overdue_open)))

    def _overdue(self, opts: dict[str, Any]) -> None:
        for c in selectors.overdue(user=SYSTEM, street=opts["street"], on=self._date(opts["on"]),
                                   limit=opts["limit"]):
            self.stdout.write(f"{c.number}\t{c.area_code}\t{c.accepted_on}\t{c.due_on}")

    def _show(self, opts: dict[str, Any]) -> None:
        c = selectors.get_case(user=SYSTEM, number=opts["number"])
        self.stdout.write(f"{c.number}\t{c.version.name} v{c.version.version}\t{c.state}\t{c.sla}")
        self.stdout.write(f"accepted_on={c.accepted_on} due_on={c.due_on} "
                          f"extension={c.extension_days} excluded={c.paused_workdays} "
                          f"decided_on={c.decided_on} used={c.workdays_used}")
        for e in c.events.all():
            self.stdout.write(f"  {e.at:%Y-%m-%d %H:%M}\t{e.action}\t{e.from_state}->{e.to_state}"
                              f"\t{e.actor_name}\t{e.note}")

    def _items(self, opts: dict[str, Any]) -> None:
        for item in selectors.items(active_only=False):
            v = item.current
            assert v is not None
            self.stdout.write(f"{item.code}\tv{v.version}\t{v.name}\t{v.handler_level}\t"
                              f"{v.delegation_mode}\t{v.department}\t{v.promised_days}/"
                              f"{v.statutory_days}")

    def _deadline(self, opts: dict[str, Any]) -> None:
        start = date.fromisoformat(opts["start"])
        self.stdout.write(get_calendar().add(start, opts["days"]).isoformat())

    def _lifecycle(self, opts: dict[str, Any]) -> None:
        self.stdout.write(table())

    def _rollups(self, opts: dict[str, Any]) -> None:
        if opts["what"] == "rebuild":
            n = rollups.rebuild()
            self.stdout.write(_("Rebuilt %(n)d rollup rows from the cases.") % {"n": n})
            return
        kept = rollups.snapshot()
        fresh = {(r["street_code"], r["item_id"], r["handling_department"], r["department"],
                  r["month"]):
                 tuple(r[name] for name in rollups.COUNTED) for r in rollups.computed()}
        differ = sorted(str(k) for k in set(kept) | set(fresh) if kept.get(k) != fresh.get(k))
        if differ:
            raise CommandError(_("%(n)d rollup rows differ from the cases, e.g. %(k)s; run "
                                 "“shequ services rollups rebuild”.")
                               % {"n": len(differ), "k": differ[0]})
        self.stdout.write(_("The rollups agree with the cases (%(n)d rows).") % {"n": len(kept)})
