"""``shequ rules``: the rules from law in force, with their sources, and local values.

    shequ rules list [--module M]                      # every profile of every module
    shequ rules show MODULE PROFILE [--area CODE]      # values in force at an area
    shequ rules set MODULE PROFILE KEY CODE VALUE --citation TEXT [--reason TEXT]
    shequ rules clear MODULE PROFILE KEY CODE

Acts as the ``system`` actor.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from shequ.authz import SYSTEM
from shequ.core.errors import BusinessError
from shequ.rules import registry, services


class Command(BaseCommand):
    help = "Rules from law: list profiles, show values in force at an area, set local values."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        ls = sub.add_parser("list", help="profiles of every module")
        ls.add_argument("--module", default=None)
        show = sub.add_parser("show", help="the values in force")
        show.add_argument("module")
        show.add_argument("profile")
        show.add_argument("--area", default="")
        st = sub.add_parser("set", help="set a local value for the areas below CODE")
        for name in ("module", "profile", "key", "code", "value"):
            st.add_argument(name)
        st.add_argument("--citation", required=True)
        st.add_argument("--reason", default="")
        cl = sub.add_parser("clear", help="remove a local value")
        for name in ("module", "profile", "key", "code"):
            cl.add_argument(name)

    def handle(self, *args: Any, **opts: Any) -> None:
        try:
            getattr(self, f"do_{opts['action']}")(opts)
        except BusinessError as exc:
            raise CommandError(str(exc.message)) from None

    def do_list(self, opts: dict[str, Any]) -> None:
        for rs in registry.rulesets(opts["module"]):
            self.stdout.write(f"{rs.module}\t{rs.profile}\t{rs.version}\t{rs.label}")

    def do_show(self, opts: dict[str, Any]) -> None:
        profile = (registry.resolve(opts["module"], opts["profile"], opts["area"])
                   if opts["area"] else registry.base(opts["module"], opts["profile"]))
        self.stdout.write(_("Profile %(version)s") % {"version": profile.version})
        for key, rule in profile.rules.items():
            mark = " *" if key in profile.overridden else ""
            self.stdout.write(f"{key}\t{rule.label}\t{rule.display()}{mark}\t{rule.source()}")

    def do_set(self, opts: dict[str, Any]) -> None:
        row = services.set_override(actor=SYSTEM, module=opts["module"], profile=opts["profile"],
                                    key=opts["key"], area_code=opts["code"], value=opts["value"],
                                    citation=opts["citation"], reason=opts["reason"])
        self.stdout.write(str(row))

    def do_clear(self, opts: dict[str, Any]) -> None:
        services.clear_override(actor=SYSTEM, module=opts["module"], profile=opts["profile"],
                                key=opts["key"], area_code=opts["code"])
