from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccessConfig(AppConfig):
    name = "shequ.access"
    label = "access"
    verbose_name = _("15-minute service circle")

    def ready(self) -> None:
        from shequ import authz, rules
        from shequ.access import console, tasks  # noqa: F401  (registers the tasks)
        from shequ.access.enums import Perm
        from shequ.access.rules import RULESETS
        from shequ.authz import STAFF_ROLES, Role
        from shequ.core.registry import NavItem, register_console, register_nav

        authz.declare(Perm, {
            Perm.VIEW: STAFF_ROLES,
            Perm.ANALYSE: {Role.DISTRICT_ADMIN, Role.CIVIL_AFFAIRS, Role.STREET_OFFICER},
            Perm.MANAGE: {Role.DISTRICT_ADMIN, Role.CIVIL_AFFAIRS},
        })
        rules.register(*RULESETS)
        register_nav(NavItem(_("15-minute circle"), "access:index", Perm.VIEW, "staff", 60))
        register_console(console.items)
        __import__("shequ.access.indicators", fromlist=["register"]).register()  # ADR 0019
