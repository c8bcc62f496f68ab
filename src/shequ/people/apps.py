from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PeopleConfig(AppConfig):
    name = "shequ.people"
    label = "people"
    verbose_name = _("People")

    def ready(self) -> None:
        from shequ import authz
        from shequ.core.registry import NavItem, register_console, register_nav
        from shequ.people import access, console, tasks  # noqa: F401  (registers the periodic job)

        authz.declare(access.Perm, {perm: {role for role, held in access.GRANTS.items()
                                           if perm in held} for perm in access.Perm})
        register_nav(
            NavItem(_("Resident register"), "people:residents", perm=access.VIEW, order=20),
            NavItem(_("Staff"), "people:staff", perm=access.STAFF_VIEW, order=22),
            NavItem(_("Governance bodies"), "people:bodies", perm=access.BODIES_VIEW, order=24),
            NavItem(_("Rights requests"), "people:rights", perm=access.RIGHTS, order=26),
            NavItem(_("My record"), "people:me", perm=access.SELF, section="self", order=20),
        )
        register_console(console.items)
