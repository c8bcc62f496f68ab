"""``shequ ocds export [--year YYYY] [--records]``: every purchase project as an OCDS 1.1
release package (or record package) on standard output, streamed in chunks."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from shequ.procurement import ocds


class Command(BaseCommand):
    help = "Open Contracting Data Standard 1.1 export of the purchase projects."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        exp = sub.add_parser("export", help="write a release package to standard output")
        exp.add_argument("--year", type=int, default=None, help="budget year (default: all)")
        exp.add_argument("--records", action="store_true",
                         help="a record package (releases and compiled release per project)")
        exp.add_argument("--base-url", default="http://127.0.0.1:8000",
                         help="where the site is published (package and extension URIs)")
        exp.add_argument("--chunk", type=int, default=ocds.CHUNK,
                         help="projects read per round of queries")

    def handle(self, *args: Any, **opts: Any) -> None:
        year = opts["year"]
        if year is not None and not 2000 <= year <= 2100:
            raise CommandError("--year: give a year between 2000 and 2100")
        if opts["chunk"] < 1:
            raise CommandError("--chunk: at least 1")
        projects = ocds.projects_of_year(year)
        if not projects.exists():
            raise CommandError("no purchase projects" + (f" in {year}" if year else ""))
        for piece in ocds.stream_package(projects, base=opts["base_url"],
                                         published=timezone.now(), records=opts["records"],
                                         size=opts["chunk"]):
            self.stdout.write(piece, ending="")
        self.stdout.write("")
        self.stdout.flush()
