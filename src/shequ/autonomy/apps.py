from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AutonomyConfig(AppConfig):
    name = "shequ.autonomy"
    label = "autonomy"
    verbose_name = _("Autonomy")

    def ready(self) -> None:
        from shequ.accounts.roles import STAFF_ROLES, Role, allow
        from shequ.autonomy import console
        from shequ.core.registry import NavItem, register_console, register_nav

        allow(list(Role), "autonomy.view")
        allow({Role.RESIDENT, Role.REPRESENTATIVE}, "autonomy.participate")
        allow({Role.REPRESENTATIVE}, "autonomy.vote")
        allow(STAFF_ROLES, "autonomy.manage")
        allow({Role.STREET_OFFICER, Role.CIVIL_AFFAIRS, Role.DISTRICT_ADMIN},
              "autonomy.supervise")
        allow({Role.CIVIL_AFFAIRS, Role.DISTRICT_ADMIN}, "autonomy.rules")
        register_nav(
            NavItem(_("Self-governance"), "autonomy:index", None, "public", 40),
            NavItem(_("My proposals and representative work"), "autonomy:mine",
                    "autonomy.participate", "self", 41),
            NavItem(_("Self-governance desk"), "autonomy:desk", "autonomy.manage", "staff", 42),
        )
        from shequ.autonomy import tasks  # noqa: F401  (registers the periodic job)
        register_console(console.items)
