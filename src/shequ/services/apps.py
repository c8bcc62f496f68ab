from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ServicesConfig(AppConfig):
    name = "shequ.services"
    label = "services"
    verbose_name = _("Services")

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from shequ import authz
        from shequ import rules as shared_rules
        from shequ.authz import STAFF_ROLES, Role
        from shequ.core.registry import (
            NavItem,
            register_badge,
            register_console,
            register_nav,
            register_self_panel,
        )
        from shequ.rules.models import RuleOverride
        from shequ.services import console, rules
        from shequ.services.enums import Perm

        officers = {Role.DISTRICT_ADMIN, Role.STREET_OFFICER}
        authz.declare(Perm, {
            Perm.VIEW: STAFF_ROLES,
            Perm.DESK: {Role.DISTRICT_ADMIN, Role.STREET_OFFICER, Role.STATION_WORKER},
            Perm.HANDLE: officers, Perm.DECIDE: officers, Perm.EXTEND: officers,
            Perm.STATS: {Role.DISTRICT_ADMIN, Role.CIVIL_AFFAIRS, Role.STREET_OFFICER},
            Perm.CATALOGUE: {Role.DISTRICT_ADMIN}, Perm.SUPERVISE: {Role.DISTRICT_ADMIN},
            Perm.SWEEP: {Role.DISTRICT_ADMIN}, Perm.HEADS: {Role.DISTRICT_ADMIN},
            Perm.APPLY: {Role.RESIDENT, Role.REPRESENTATIVE},
        })
        shared_rules.register(rules.NATIONAL)
        # a local value set or cleared in this process takes effect here at once
        post_save.connect(rules.forget, sender=RuleOverride, dispatch_uid="services.rules")
        post_delete.connect(rules.forget, sender=RuleOverride, dispatch_uid="services.rules")
        register_nav(
            NavItem(_("Services"), "services:portal", None, "public", 30),
            NavItem(_("Progress query"), "services:progress", None, "public", 31),
            NavItem(_("My applications"), "services:mine", Perm.APPLY, "self", 30),
            NavItem(_("Front desk"), "services:desk", Perm.DESK, "staff", 30),
            NavItem(_("Case workbench"), "services:work", Perm.VIEW, "staff", 31),
            NavItem(_("Service statistics"), "services:stats", Perm.STATS, "staff", 32),
        )
        from shequ.services import tasks  # noqa: F401  (registers the periodic sweep)
        register_console(console.items)
        from shequ.services import selfpanel

        register_self_panel(selfpanel.panels)
        register_badge("services:mine", selfpanel.unread)
        __import__("shequ.services.indicators", fromlist=["register"]).register()  # ADR 0019
