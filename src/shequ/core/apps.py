from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "shequ.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from shequ.core import checks, throttle  # noqa: F401  (registers checks and the sweep)
