from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkdaysConfig(AppConfig):
    """Entering the working-day calendar (a year's holiday notice, local adjustments).

    The calendar arithmetic stays in ``core.calendar`` so every layer can count working
    days; entering data checks permissions and writes audit entries, so it lives here,
    above ``accounts`` (ADR 0011)."""

    name = "shequ.workdays"
    label = "workdays"
    verbose_name = _("Working-day calendar")

    def ready(self) -> None:
        from shequ import authz
        from shequ.authz import Role
        from shequ.workdays.enums import Perm

        authz.declare(Perm, {Perm.MANAGE: {Role.DISTRICT_ADMIN}})
