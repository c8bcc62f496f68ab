from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebConfig(AppConfig):
    name = "shequ.web"
    label = "web"
    verbose_name = _("Web")

    def ready(self) -> None:
        from shequ import authz
        from shequ.accounts.enums import Perm as AccountsPerm
        from shequ.audit.enums import Perm as AuditPerm
        from shequ.authz import STAFF_ROLES
        from shequ.core.registry import NavItem, register_nav
        from shequ.web.enums import Perm

        authz.declare(Perm, {Perm.CONSOLE: STAFF_ROLES})

        register_nav(
            NavItem(_("Home"), "web:home", section="public", order=0),
            NavItem(_("Console"), "web:console", perm=Perm.CONSOLE, order=0),
            NavItem(_("Calendar"), "web:calendar", perm=Perm.CONSOLE, order=800),
            NavItem(_("Audit log"), "web:audit", perm=AuditPerm.VIEW, order=850),
            NavItem(_("Users"), "web:users", perm=AccountsPerm.MANAGE, order=860),
            NavItem(_("API"), "api:openapi-view", perm=Perm.CONSOLE, order=900),
        )
