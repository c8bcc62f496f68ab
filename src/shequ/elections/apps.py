from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ElectionsConfig(AppConfig):
    name = "shequ.elections"
    label = "elections"
    verbose_name = _("Elections")

    def ready(self) -> None:
        from shequ import authz, rules
        from shequ.authz import STAFF_ROLES, Role
        from shequ.core.registry import NavItem, register_console, register_nav
        from shequ.elections import console
        from shequ.elections.enums import Perm
        from shequ.elections.rules import RULESETS

        # Election committees work through community workers; streets and the district
        # supervise; station workers help with the count (tally entry). Corrections of
        # announced results: only by an audited re-count at district level.
        managers = {Role.DISTRICT_ADMIN, Role.CIVIL_AFFAIRS, Role.STREET_OFFICER,
                    Role.COMMUNITY_WORKER}
        authz.declare(Perm, {
            Perm.VIEW: STAFF_ROLES,
            Perm.MANAGE: managers,
            Perm.TALLY: managers | {Role.STATION_WORKER},
            Perm.RECOUNT: {Role.DISTRICT_ADMIN, Role.CIVIL_AFFAIRS},
        })
        rules.register(*RULESETS.values())
        register_nav(
            NavItem(_("Elections"), "elections:index", perm=Perm.VIEW, section="staff", order=40),
            NavItem(_("Election announcements"), "elections:public", section="public", order=40),
            NavItem(_("Am I on the roll?"), "elections:check", section="self", order=40),
        )
        register_console(console.items)
        __import__("shequ.elections.indicators", fromlist=["register"]).register()  # ADR 0019
