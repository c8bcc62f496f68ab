"""``shequ areas``: import divisions, resolve old codes, show an area.

    shequ areas import                          # the shipped Sichuan set
    shequ areas import --source ../shared/reference/divisions/2023   # all of China
    shequ areas import --within 510104          # one district (and its ancestors)
    shequ areas resolve 510104024               # 合江亭街道 -> 锦官驿街道
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from tqdm import tqdm

from shequ.areas import selectors, services
from shequ.areas.importer import DivisionFileError
from shequ.authz import SYSTEM
from shequ.core.errors import BusinessError


class Command(BaseCommand):
    help = "Division data: import, resolve, show."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        imp = sub.add_parser("import", help="import statistical division CSV files")
        imp.add_argument("--source", type=Path, default=None,
                         help="folder with provinces/cities/areas/streets/villages CSV files")
        imp.add_argument("--within", default="", help="only this code and what lies below it")
        imp.add_argument("--no-progress", action="store_true")
        res = sub.add_parser("resolve", help="the current area(s) an old code stands for")
        res.add_argument("code")
        res.add_argument("--on", default=None)
        show = sub.add_parser("show", help="one area and its children")
        show.add_argument("code")

    def handle(self, *args: Any, **opts: Any) -> None:
        try:
            getattr(self, "_" + opts["action"])(opts)
        except DivisionFileError as exc:
            for err in exc.errors:
                self.stderr.write(f"{err.file}:{err.line}: {err.reason}")
            raise CommandError(str(exc.message)) from None
        except BusinessError as exc:
            raise CommandError(str(exc.message)) from None

    def _import(self, opts: dict[str, Any]) -> None:
        bar = tqdm(total=0, unit=" areas", disable=opts["no_progress"], file=self.stderr._out)

        def on_total(n: int) -> None:
            bar.total = n
            bar.refresh()

        counts = services.import_divisions(actor=SYSTEM, source=opts["source"],
                                           within=opts["within"], progress=bar.update,
                                           on_total=on_total)
        bar.close()
        self.stdout.write(_("Imported %(rows)d areas: %(created)d new, %(updated)d updated.")
                          % counts)

    def _resolve(self, opts: dict[str, Any]) -> None:
        on = date.fromisoformat(opts["on"]) if opts["on"] else None
        for area in selectors.resolve(opts["code"], on):
            self.stdout.write(f"{area.code}\t{area.name}")

    def _show(self, opts: dict[str, Any]) -> None:
        area = selectors.require(opts["code"])
        self.stdout.write(f"{area.code}\t{area.name}\t{area.get_level_display()}")
        for child in area.children.filter(valid_to__isnull=True).order_by("code"):
            self.stdout.write(f"  {child.code}\t{child.name}")
