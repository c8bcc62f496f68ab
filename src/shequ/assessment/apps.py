from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentConfig(AppConfig):
    name = "shequ.assessment"
    label = "assessment"
    verbose_name = _("Street assessment")

    def ready(self) -> None:
        from shequ import authz
        from shequ.assessment import console, indicators
        from shequ.assessment.enums import Perm
        from shequ.authz import Role
        from shequ.core.registry import NavItem, register_console, register_nav

        authz.declare(Perm, {
            Perm.VIEW: {Role.DISTRICT_ADMIN, Role.CIVIL_AFFAIRS, Role.STREET_OFFICER},
            Perm.SCHEME: {Role.DISTRICT_ADMIN, Role.CIVIL_AFFAIRS},
            Perm.COMPUTE: {Role.DISTRICT_ADMIN, Role.CIVIL_AFFAIRS},
            Perm.ENTER: {Role.DISTRICT_ADMIN, Role.STREET_OFFICER},
        })
        indicators.register()
        register_nav(
            NavItem(_("Street assessment"), "assessment:index", Perm.VIEW, "staff", 70),
            NavItem(_("Figures on paper"), "assessment:figures", Perm.ENTER, "staff", 71),
        )
        register_console(console.items)
        from shequ.assessment import tasks  # noqa: F401  (registers the periodic job)
