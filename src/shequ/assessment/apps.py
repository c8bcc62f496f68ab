from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentConfig(AppConfig):
    name = "shequ.assessment"
    label = "assessment"
    verbose_name = _("Street assessment")

    def ready(self) -> None:
        pass
