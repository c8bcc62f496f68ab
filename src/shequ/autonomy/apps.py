from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AutonomyConfig(AppConfig):
    name = "shequ.autonomy"
    label = "autonomy"
    verbose_name = _("Autonomy")

    def ready(self) -> None:
        from shequ import authz, rules
        from shequ.authz import STAFF_ROLES, Role
        from shequ.autonomy import console
        from shequ.autonomy.enums import Perm
        from shequ.autonomy.rules import RULESETS
        from shequ.core.registry import (
            NavItem,
            register_console,
            register_nav,
            register_self_panel,
        )

        supervisors = {Role.STREET_OFFICER, Role.CIVIL_AFFAIRS, Role.DISTRICT_ADMIN}
        authz.declare(Perm, {
            Perm.VIEW: list(Role),
            Perm.PARTICIPATE: {Role.RESIDENT, Role.REPRESENTATIVE},
            Perm.VOTE: {Role.REPRESENTATIVE},
            Perm.MANAGE: STAFF_ROLES,
            Perm.SUPERVISE: supervisors,
            Perm.RULES: {Role.CIVIL_AFFAIRS, Role.DISTRICT_ADMIN},
        })
        rules.register(*RULESETS)
        register_nav(
            NavItem(_("Self-governance"), "autonomy:index", None, "public", 40),
            NavItem(_("My proposals and representative work"), "autonomy:mine",
                    Perm.PARTICIPATE, "self", 41),
            NavItem(_("Self-governance desk"), "autonomy:desk", Perm.MANAGE, "staff", 42),
        )
        from shequ.autonomy import tasks  # noqa: F401  (registers the periodic job)
        register_console(console.items)
        from shequ.autonomy.panels import panels

        register_self_panel(panels)
        # a recall vote's announced result comes back from elections (ADR 0513)
        from shequ.autonomy.services.recall import on_recall_announced
        from shequ.elections.facade import recall_announced

        recall_announced.connect(on_recall_announced, dispatch_uid="autonomy.recall_result")
        __import__("shequ.autonomy.indicators", fromlist=["register"]).register()  # ADR 0019
