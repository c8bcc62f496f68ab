"""``shequ orgs``: import and export the registry, one organisation, the sweep, overdue
annual reports, indicators, eligibility facts and deadlines.

    shequ orgs import registry.xlsx [--dry-run]
    shequ orgs export registry.xlsx [--area 510104022]
    shequ orgs show 51510104MJ0000001X
    shequ orgs sweep [--on 2026-04-01]
    shequ orgs overdue --year 2025 [--on 2026-06-01]
    shequ orgs indicators --area 510104 [--year 2026]
    shequ orgs eligibility 12 [--years 3]
    shequ orgs deadline 2025-08-02 60 --unit days
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from shequ.authz import SYSTEM
from shequ.core.calendar import get_calendar
from shequ.core.errors import BusinessError
from shequ.orgs import rules, selectors, services
from shequ.orgs.models import Org
from shequ.orgs.texts import TEXTS


class Command(BaseCommand):
    help = "Social organisations: import, export, show, sweep, overdue reports, indicators."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        imp = sub.add_parser("import", help="import an existing registry (.xlsx); one error "
                                            "and nothing is written")
        imp.add_argument("file", type=Path)
        imp.add_argument("--dry-run", action="store_true", help="check every row, write nothing")
        exp = sub.add_parser("export", help="write the registry to an .xlsx workbook")
        exp.add_argument("file", type=Path)
        exp.add_argument("--area", default="", help="area code prefix")
        show = sub.add_parser("show", help="one organisation: by id, credit code or filing number")
        show.add_argument("key")
        sw = sub.add_parser("sweep", help="deem unanswered applications accepted, settle "
                                          "provisional deadlines, end suspensions (idempotent)")
        sw.add_argument("--on", default=None)
        ov = sub.add_parser("overdue", help="organisations whose annual report is past due")
        ov.add_argument("--year", type=int, required=True)
        ov.add_argument("--on", default=None)
        ind = sub.add_parser("indicators", help="organisations per 10,000 residents, share filed")
        ind.add_argument("--area", default="510104")
        ind.add_argument("--year", type=int, default=None)
        el = sub.add_parser("eligibility", help="facts a buyer checks")
        el.add_argument("org_id", type=int)
        el.add_argument("--years", type=int, default=None)
        dl = sub.add_parser("deadline", help="the last day of a period")
        dl.add_argument("start")
        dl.add_argument("days", type=int)
        dl.add_argument("--unit", choices=["days", "working_days"], default="days")

    def handle(self, *args: Any, **opts: Any) -> None:
        try:
            getattr(self, "_" + opts["action"])(opts)
        except services.ImportFailed as exc:
            for line in exc.details.get("errors", []):
                self.stderr.write(line)
            raise CommandError(str(exc.message)) from None
        except BusinessError as exc:
            raise CommandError(str(exc.message)) from None

    @staticmethod
    def _date(value: str | None) -> date | None:
        try:
            return date.fromisoformat(value) if value else None
        except ValueError:
            raise CommandError(_("“%(v)s” is not a date (YYYY-MM-DD).") % {"v": value}) from None

    def _import(self, opts: dict[str, Any]) -> None:
        path: Path = opts["file"]
        if not path.exists():
            raise CommandError(_("%(p)s: no such file.") % {"p": path})
        result = services.import_registry(actor=SYSTEM, content=path.read_bytes(),
                                          source=path.name, dry_run=opts["dry_run"])
        if result.dry_run:
            self.stdout.write(_("%(n)d rows checked; no errors. Nothing was written.")
                              % {"n": result.rows})
        else:
            self.stdout.write(_("%(n)d organisations imported.") % {"n": result.created})

    def _export(self, opts: dict[str, Any]) -> None:
        qs = selectors.orgs(user=SYSTEM, area=opts["area"])
        opts["file"].write_bytes(services.export_registry(orgs=qs))
        self.stdout.write(_("Wrote %(p)s") % {"p": opts["file"]})

    def _show(self, opts: dict[str, Any]) -> None:
        key = opts["key"].strip()
        q = Q(credit_code=key.upper()) | Q(filing_number=key)
        if key.isdigit():
            q |= Q(pk=int(key))
        org = Org.objects.filter(q).first()
        if org is None:
            raise CommandError(_("No such organisation."))
        self.stdout.write(f"{org.name}\t{org.get_track_display()}\t{org.get_kind_display()}\t"
                          f"{org.identifier}\t{org.get_status_display()}\t{org.area_code}")
        for e in org.events.order_by("on", "id"):
            self.stdout.write(f"  {e.on}  {TEXTS.render(e.text)}")

    def _sweep(self, opts: dict[str, Any]) -> None:
        result = services.sweep(actor=SYSTEM, on=self._date(opts["on"]))
        self.stdout.write(" ".join(f"{k}={v}" for k, v in result.items()))

    def _overdue(self, opts: dict[str, Any]) -> None:
        on = self._date(opts["on"]) or timezone.localdate()
        for org in selectors.overdue_reports(user=SYSTEM, year=opts["year"], on=on):
            rule = selectors.report_rule(org)
            self.stdout.write(f"{org.pk}\t{org.name}\t{org.identifier}\t{rule.label} "
                              f"{rule.display()}\t{rule.source()}")

    def _indicators(self, opts: dict[str, Any]) -> None:
        year = opts["year"] or timezone.localdate().year
        rows = [selectors.indicators(opts["area"], year),
                *selectors.indicators_by_part(opts["area"], year)]
        self.stdout.write("\t".join(["area", "name", "orgs", "filed", "registered", "population",
                                     "per_10k", "filed_share"]))
        for r in rows:
            self.stdout.write("\t".join(str(x) for x in (
                r.area_code, r.name, r.orgs, r.filed, r.registered, r.population or "-",
                r.per_10k if r.per_10k is not None else "-",
                r.filed_share if r.filed_share is not None else "-")))

    def _eligibility(self, opts: dict[str, Any]) -> None:
        e = selectors.eligibility(opts["org_id"], years=opts["years"])
        for key in ("name", "track", "kind", "status", "legal_person", "good_standing",
                    "penalties_in_window", "window_years", "report_year", "report_due",
                    "annual_report_filed", "annual_report_missing", "last_report_result",
                    "grade"):
            self.stdout.write(f"{key}\t{getattr(e, key)}")

    def _deadline(self, opts: dict[str, Any]) -> None:
        start = self._date(opts["start"])
        assert start is not None
        cal = get_calendar()
        if opts["unit"] == "days":
            end, settled = rules.period_end(start, opts["days"], cal)
            self.stdout.write(end.isoformat() + ("" if settled else " " + _("(provisional)")))
        else:
            self.stdout.write(cal.add(start, opts["days"]).isoformat())
