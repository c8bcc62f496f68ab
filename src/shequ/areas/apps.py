from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AreasConfig(AppConfig):
    name = "shequ.areas"
    label = "areas"
    verbose_name = _("Areas")

    def ready(self) -> None:
        from shequ import authz
        from shequ.areas.enums import Perm
        from shequ.authz import STAFF_ROLES, Role

        authz.declare(Perm, {Perm.VIEW: list(Role), Perm.FIGURES: STAFF_ROLES,
                             Perm.MANAGE: {Role.DISTRICT_ADMIN, Role.CIVIL_AFFAIRS}})
