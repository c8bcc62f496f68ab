from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ServicesConfig(AppConfig):
    name = "shequ.services"
    label = "services"
    verbose_name = _("Services")

    def ready(self) -> None:
        from shequ.accounts.roles import Role, allow
        from shequ.core.registry import NavItem, register_console, register_nav
        from shequ.services import console

        officers = {Role.DISTRICT_ADMIN, Role.STREET_OFFICER}
        allow({Role.DISTRICT_ADMIN, Role.CIVIL_AFFAIRS, Role.STREET_OFFICER, Role.STATION_WORKER,
               Role.COMMUNITY_WORKER}, "services.view")
        allow({Role.DISTRICT_ADMIN, Role.STREET_OFFICER, Role.STATION_WORKER}, "services.desk")
        allow(officers, "services.handle", "services.decide", "services.extend")
        allow({Role.DISTRICT_ADMIN, Role.CIVIL_AFFAIRS, Role.STREET_OFFICER}, "services.stats")
        allow({Role.DISTRICT_ADMIN}, "services.catalogue", "services.supervise", "services.sweep")
        allow({Role.RESIDENT, Role.REPRESENTATIVE}, "services.apply")
        register_nav(
            NavItem(_("Services"), "services:portal", None, "public", 30),
            NavItem(_("Progress query"), "services:progress", None, "public", 31),
            NavItem(_("My applications"), "services:mine", "services.apply", "self", 30),
            NavItem(_("Front desk"), "services:desk", "services.desk", "staff", 30),
            NavItem(_("Case workbench"), "services:work", "services.view", "staff", 31),
            NavItem(_("Service statistics"), "services:stats", "services.stats", "staff", 32),
        )
        from shequ.services import tasks  # noqa: F401  (registers the periodic sweep)
        register_console(console.items)
