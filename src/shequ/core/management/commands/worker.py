"""``shequ worker``: run background tasks and, beside them, the periodic scheduler."""

from __future__ import annotations

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from shequ.core.jobs import Scheduler


class Command(BaseCommand):
    help = "Run the task worker with the periodic-job scheduler."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--tick", type=float, default=30.0,
                            help="seconds between checks for due periodic jobs")
        parser.add_argument("--max-tasks", type=int, default=None)

    def handle(self, *args: Any, **opts: Any) -> None:
        scheduler = Scheduler(tick=opts["tick"])
        scheduler.start()
        extra = {"max_tasks": opts["max_tasks"]} if opts["max_tasks"] else {}
        try:
            call_command("db_worker", interval=1.0, no_startup_delay=True, **extra)
        finally:
            scheduler.stopped.set()
