from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "shequ.audit"
    label = "audit"
    verbose_name = _("Audit")

    def ready(self) -> None:
        from shequ import authz
        from shequ.audit import tasks  # noqa: F401  (registers the daily checkpoint)
        from shequ.audit.enums import Perm
        from shequ.authz import Role

        authz.declare(Perm, {
            Perm.VIEW: {Role.DISTRICT_ADMIN, Role.CIVIL_AFFAIRS, Role.STREET_OFFICER},
            Perm.VERIFY: {Role.DISTRICT_ADMIN},
        })
