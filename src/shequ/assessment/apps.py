from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentConfig(AppConfig):
    name = "shequ.assessment"
    label = "assessment"
    verbose_name = _("Street assessment")

    def ready(self) -> None:
        from shequ import authz
        from shequ.assessment import indicators
        from shequ.assessment.enums import Perm
        from shequ.authz import Role

        authz.declare(Perm, {
            Perm.VIEW: {Role.DISTRICT_ADMIN, Role.CIVIL_AFFAIRS, Role.STREET_OFFICER},
            Perm.SCHEME: {Role.DISTRICT_ADMIN, Role.CIVIL_AFFAIRS},
            Perm.COMPUTE: {Role.DISTRICT_ADMIN, Role.CIVIL_AFFAIRS},
            Perm.ENTER: {Role.DISTRICT_ADMIN, Role.STREET_OFFICER},
        })
        indicators.register()
        from shequ.assessment import tasks  # noqa: F401  (registers the periodic job)
