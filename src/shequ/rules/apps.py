from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RulesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "shequ.rules"
    label = "rules"
    verbose_name = _("Rules from law")

    def ready(self) -> None:
        from shequ import authz
        from shequ.authz import Role
        from shequ.core.registry import NavItem, register_nav
        from shequ.rules.enums import Perm

        authz.declare(Perm, {Perm.MANAGE: {Role.DISTRICT_ADMIN, Role.CIVIL_AFFAIRS}})
        register_nav(NavItem(_("Rules from law"), "rules:index", None, "public", 90))
        from shequ.rules import registry
        from shequ.rules.targets import SICHUAN_2015

        registry.register(SICHUAN_2015)
