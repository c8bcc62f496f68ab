from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PeopleConfig(AppConfig):
    name = "shequ.people"
    label = "people"
    verbose_name = _("People")

    def ready(self) -> None:
        from shequ import authz
        from shequ.core.registry import NavItem, register_console, register_nav
        from shequ.people import access, console, rules, tasks  # noqa: F401  (tasks: the periodic job)
        from shequ.people.enums import Perm

        authz.declare(Perm, {perm: access.roles_of(perm) for perm in Perm})
        rules.register()
        register_nav(
            NavItem(_("Resident register"), "people:residents", perm=Perm.VIEW, order=20),
            NavItem(_("Staff"), "people:staff", perm=Perm.STAFF_VIEW, order=22),
            NavItem(_("Governance bodies"), "people:bodies", perm=Perm.BODIES_VIEW, order=24),
            NavItem(_("Rights requests"), "people:rights", perm=Perm.RIGHTS, order=26),
            NavItem(_("Numbers recorded elsewhere"), "people:elsewhere", perm=Perm.PROBES,
                    order=27),
            NavItem(_("My record"), "people:me", perm=Perm.SELF, section="self", order=20),
        )
        register_console(console.items)
        __import__("shequ.people.indicators", fromlist=["register"]).register()  # ADR 0019
