"""``shequ serve``: the production web server (ADR 0015, docs/deploy.md).

    shequ serve                                   # 127.0.0.1:8000, 2 x cores + 1 workers
    shequ serve --bind 0.0.0.0:8000 --workers 9   # or SHEQU_BIND, SHEQU_WORKERS

Runs the system checks (production refuses public keys, ADR 0013), collects static files
into ``STATIC_ROOT`` (served by WhiteNoise from there), then replaces itself with gunicorn
on ``shequ.wsgi:application``: sync workers sized to the cores, an access log on stdout
(JSON lines in production), recycled workers. Run ``shequ migrate`` once per release
before starting the servers, and ``shequ worker`` beside them for background jobs.
"""

from __future__ import annotations

import os
import sys
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser


def default_workers() -> int:
    """gunicorn's rule of thumb: two per core plus one (requests wait on the database)."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return 2 * (cores or 1) + 1


class Command(BaseCommand):
    help = "Serve the site with gunicorn (static files collected first)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--bind", default=os.environ.get("SHEQU_BIND", "127.0.0.1:8000"),
                            help="address:port (default SHEQU_BIND or 127.0.0.1:8000)")
        parser.add_argument("--workers", type=int,
                            default=int(os.environ.get("SHEQU_WORKERS", "0")) or default_workers(),
                            help="worker processes (default SHEQU_WORKERS or 2 x cores + 1)")
        parser.add_argument("--timeout", type=int, default=60,
                            help="seconds before a silent worker is restarted")
        parser.add_argument("--no-collectstatic", action="store_true",
                            help="static files were collected at build time")
        parser.add_argument("--dry-run", action="store_true",
                            help="print the gunicorn command instead of running it")

    def handle(self, *args: Any, **opts: Any) -> None:
        if not opts["no_collectstatic"]:
            call_command("collectstatic", interactive=False, verbosity=0)
        argv = [sys.executable, "-m", "gunicorn", "shequ.wsgi:application",
                "--bind", opts["bind"], "--workers", str(opts["workers"]),
                "--timeout", str(opts["timeout"]), "--graceful-timeout", "30",
                # a worker is replaced after about a thousand requests: a slow leak in any
                # library never grows for ever
                "--max-requests", "1000", "--max-requests-jitter", "100",
                "--access-logfile", "-", "--error-logfile", "-"]
        if settings.LOG_FORMAT == "json":
            argv += ["--logger-class", "shequ.core.gunicorn.JsonLogger"]
        if opts["dry_run"]:
            self.stdout.write(" ".join(argv[1:]))
            return
        sys.stdout.flush()
        sys.stderr.flush()
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shequ.settings")
        os.execv(sys.executable, argv)  # noqa: S606  (our own interpreter, fixed arguments)
