from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProcurementConfig(AppConfig):
    name = "shequ.procurement"
    label = "procurement"
    verbose_name = _("Purchase of services")

    def ready(self) -> None:
        from shequ import authz
        from shequ import rules as shequ_rules
        from shequ.authz import STAFF_ROLES, Role
        from shequ.procurement import rules
        from shequ.procurement.enums import Perm

        buyers = {Role.DISTRICT_ADMIN, Role.CIVIL_AFFAIRS, Role.STREET_OFFICER}
        authz.declare(Perm, {
            Perm.VIEW: STAFF_ROLES,
            Perm.CATALOGUE: {Role.DISTRICT_ADMIN, Role.CIVIL_AFFAIRS},
            Perm.BUDGET: buyers,
            Perm.BUY: buyers,
            Perm.PAY: buyers,
            Perm.EVALUATE: buyers,
            Perm.BID: {Role.ORG_USER},
            Perm.STATS: STAFF_ROLES,
        })
        shequ_rules.register(rules.RULESET)
        from shequ.core.registry import (
            NavItem,
            register_console,
            register_nav,
            register_self_panel,
        )
        from shequ.procurement import console

        register_nav(
            NavItem(_("Purchased services"), "procurement:public", None, "public", 55),
            NavItem(_("Open tenders"), "procurement:portal", Perm.BID, "self", 55),
            NavItem(_("Purchase projects"), "procurement:projects", Perm.VIEW, "staff", 55),
            NavItem(_("Purchase budgets"), "procurement:budgets", Perm.BUDGET, "staff", 56),
            NavItem(_("Purchase dashboard"), "procurement:dashboard", Perm.STATS, "staff", 57),
        )
        register_console(console.items)
        register_self_panel(console.self_panels)
