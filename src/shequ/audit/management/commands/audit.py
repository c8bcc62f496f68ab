"""``shequ audit verify``: recompute the audit hash chains and report tampering."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from shequ.audit.verify import verify_all


class Command(BaseCommand):
    help = "Audit log tools: 'verify' checks every hash chain."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["verify"])

    def handle(self, *args: Any, **options: Any) -> None:
        count, problems = verify_all()
        for problem in problems:
            self.stderr.write(str(problem))
        if problems:
            raise CommandError(_("%(n)d problem(s) found in %(c)d audit entries.")
                               % {"n": len(problems), "c": count})
        self.stdout.write(_("%(c)d audit entries verified; no problem found.") % {"c": count})
