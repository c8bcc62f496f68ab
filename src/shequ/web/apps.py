from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebConfig(AppConfig):
    name = "shequ.web"
    label = "web"
    verbose_name = _("Web")

    def ready(self) -> None:
        from shequ.core.registry import NavItem, register_nav

        register_nav(
            NavItem(_("Home"), "web:home", section="public", order=0),
            NavItem(_("Console"), "web:console", perm="console.view", order=0),
            NavItem(_("Calendar"), "web:calendar", perm="console.view", order=800),
            NavItem(_("Audit log"), "web:audit", perm="audit.view", order=850),
            NavItem(_("Users"), "web:users", perm="accounts.manage", order=860),
            NavItem(_("API"), "api:openapi-view", perm="console.view", order=900),
        )
