"""``shequ demo``: create the database, load Jinjiang, print the demo users, then serve
on 127.0.0.1:8000 with a task worker beside the site. Running it twice is safe."""

from __future__ import annotations

import signal
import subprocess
import sys
from importlib import import_module
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext as _


def demo_loaders() -> list[Any]:
    """Each module's ``demo.load``, in INSTALLED_APPS order (lower layers first)."""
    loaders = []
    for config in apps.get_app_configs():
        if not config.name.startswith("shequ."):
            continue
        try:
            module = import_module(f"{config.name}.demo")
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.demo":
                raise
            continue
        loaders.append(module.load)
    return loaders


class Command(BaseCommand):
    help = "Set up and serve the Jinjiang demo site."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--no-serve", action="store_true", help="load data and stop")
        parser.add_argument("--no-worker", action="store_true")
        parser.add_argument("--addr", default="127.0.0.1:8000")

    def handle(self, *args: Any, **opts: Any) -> None:
        settings.DATA_DIR.mkdir(parents=True, exist_ok=True)
        call_command("migrate", interactive=False, verbosity=0)
        for load in demo_loaders():
            load(stdout=self.stdout)
        from shequ.accounts.demo import DEMO_PASSWORD, DEMO_USERS

        self.stdout.write(_("Demo users (password: %(p)s):") % {"p": DEMO_PASSWORD})
        for username, display, role, code in DEMO_USERS:
            self.stdout.write(f"  {username:<10} {role.label!s:<20} {code:<14} {display}")
        if opts["no_serve"]:
            return
        # Stopping the demo (Ctrl-C or SIGTERM) stops its worker too.
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
        worker = None
        if not opts["no_worker"]:
            worker = subprocess.Popen([sys.executable, "-m", "shequ.cli", "worker"])
        self.stdout.write(_("Serving on http://%(a)s/ (Ctrl-C to stop)") % {"a": opts["addr"]})
        try:
            call_command("runserver", opts["addr"], use_reloader=False, insecure_serving=True)
        finally:
            if worker is not None:
                worker.terminate()
                worker.wait(timeout=10)
