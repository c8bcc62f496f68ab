"""``shequ linkage``: needs, the ranked candidates of a need with their explanation.

    shequ linkage needs [--area 510104022009]
    shequ linkage rank 12 [--limit 10]
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from shequ.authz import SYSTEM
from shequ.core.errors import BusinessError
from shequ.linkage import explain, selectors


class Command(BaseCommand):
    help = "Linkage: community needs and the providers proposed for them."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        nd = sub.add_parser("needs", help="needs, newest first")
        nd.add_argument("--area", default="")
        nd.add_argument("--state", default="")
        rk = sub.add_parser("rank", help="the ranked candidates of a need, explained")
        rk.add_argument("need_id", type=int)
        rk.add_argument("--limit", type=int, default=10)

    def handle(self, *args: Any, **opts: Any) -> None:
        try:
            getattr(self, "_" + opts["action"])(opts)
        except BusinessError as exc:
            raise CommandError(str(exc.message)) from None

    def _needs(self, opts: dict[str, Any]) -> None:
        qs = selectors.needs(user=SYSTEM, state=opts["state"])
        if opts["area"]:
            qs = qs.filter(area_code__startswith=opts["area"])
        for n in qs[:200]:
            self.stdout.write(f"{n.pk}\t{n.posted_on}\t{n.get_state_display()}\t"
                              f"{n.get_category_display()}\t{n.area_code}\t{n.title}")

    def _rank(self, opts: dict[str, Any]) -> None:
        need = selectors.get_need(user=SYSTEM, need_id=opts["need_id"])
        ranked, version = selectors.candidates(need, limit=opts["limit"])
        self.stdout.write(f"{need.title} · {version}")
        if not ranked:
            self.stdout.write(_("No provider serves this category within reach."))
        for i, c in enumerate(ranked, start=1):
            self.stdout.write(f"{i}. {c.name} ({c.detail}) {c.ranked.total}")
            for line in explain.lines(c.ranked):
                self.stdout.write(f"     {line['label']}: {line['figure']}  {line['arithmetic']}")
