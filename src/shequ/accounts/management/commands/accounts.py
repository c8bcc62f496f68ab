"""``shequ accounts``: users, role grants and API tokens from the command line.

    shequ accounts create-user li --role street_officer --area 510104022 [--password …]
    shequ accounts grant li community_worker 510104022009
    shequ accounts revoke li community_worker 510104022009
    shequ accounts token li --name "data sync"
    shequ accounts list [--area 510104022]
"""

from __future__ import annotations

import getpass
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from shequ.accounts import services
from shequ.accounts.models import Grant, User
from shequ.authz import SYSTEM, Role
from shequ.core.errors import BusinessError


def _user(username: str) -> User:
    user = User.objects.filter(username=username).first()
    if user is None:
        raise CommandError(_("No user named %(u)s.") % {"u": username})
    return user


class Command(BaseCommand):
    help = "Users, role grants and API tokens."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create-user")
        create.add_argument("username")
        create.add_argument("--role", choices=[r.value for r in Role], required=True)
        create.add_argument("--area", required=True)
        create.add_argument("--display-name", default="")
        create.add_argument("--password", default=None, help="asked for when omitted")
        for name in ("grant", "revoke"):
            p = sub.add_parser(name)
            p.add_argument("username")
            p.add_argument("role", choices=[r.value for r in Role])
            p.add_argument("area")
        token = sub.add_parser("token")
        token.add_argument("username")
        token.add_argument("--name", default="cli")
        lst = sub.add_parser("list")
        lst.add_argument("--area", default="")

    def handle(self, *args: Any, **o: Any) -> None:
        try:
            self._run(o)
        except BusinessError as exc:
            raise CommandError(str(exc.message)) from None

    def _run(self, o: dict[str, Any]) -> None:
        action = o["action"]
        if action == "create-user":
            password = o["password"] or getpass.getpass(_("Password: "))
            user = services.create_user(actor=SYSTEM, username=o["username"], password=password,
                                        display_name=o["display_name"],
                                        grants=[(o["role"], o["area"])])
            self.stdout.write(_("Created %(u)s.") % {"u": user.username})
        elif action == "grant":
            services.grant_role(actor=SYSTEM, user=_user(o["username"]), role=o["role"],
                                area_code=o["area"])
            self.stdout.write(_("Saved."))
        elif action == "revoke":
            services.revoke_role(actor=SYSTEM, user=_user(o["username"]), role=o["role"],
                                 area_code=o["area"])
            self.stdout.write(_("Saved."))
        elif action == "token":
            key = services.issue_token(actor=SYSTEM, user=_user(o["username"]), name=o["name"])
            self.stdout.write(key)
            self.stderr.write(_("Shown once; store it now."))
        else:
            grants = Grant.objects.select_related("user").order_by("area_code", "user__username")
            if o["area"]:
                grants = grants.filter(area_code__startswith=o["area"])
            for g in grants:
                self.stdout.write(f"{g.user.username}\t{g.role}\t{g.area_code}\t{g.user}")
