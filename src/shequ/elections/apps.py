from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ElectionsConfig(AppConfig):
    name = "shequ.elections"
    label = "elections"
    verbose_name = _("Elections")

    def ready(self) -> None:
        from shequ.accounts.roles import STAFF_ROLES, Role, allow
        from shequ.core.registry import NavItem, register_console, register_nav
        from shequ.elections import console

        # Election committees work through community workers; streets and the district
        # supervise; station workers help with the count (tally entry).
        allow(STAFF_ROLES, "elections.view")
        allow({Role.DISTRICT_ADMIN, Role.CIVIL_AFFAIRS, Role.STREET_OFFICER, Role.COMMUNITY_WORKER},
              "elections.manage", "elections.tally")
        allow({Role.STATION_WORKER}, "elections.tally")
        # Corrections of announced results: only by an audited re-count at district level.
        allow({Role.DISTRICT_ADMIN, Role.CIVIL_AFFAIRS}, "elections.recount")
        register_nav(
            NavItem(_("Elections"), "elections:index", perm="elections.view", section="staff", order=40),
            NavItem(_("Election announcements"), "elections:public", section="public", order=40),
            NavItem(_("Am I on the roll?"), "elections:check", section="self", order=40),
        )
        register_console(console.items)
