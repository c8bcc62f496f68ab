from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "shequ.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from shequ import authz
        from shequ.accounts import signals, tasks  # noqa: F401  (receivers, periodic jobs)
        from shequ.accounts.enums import Perm
        from shequ.authz import Role

        authz.declare(Perm, {Perm.MANAGE: {Role.DISTRICT_ADMIN}})
