"""Local values: a province, city, district, street or community sets a rule's value for
the areas below it. The longest matching code wins."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class RuleOverride(models.Model):
    module = models.CharField(_("module"), max_length=30)
    profile = models.CharField(_("profile"), max_length=30)
    key = models.CharField(_("rule"), max_length=60)
    area_code = models.CharField(_("area code"), max_length=15)
    value = models.CharField(_("value"), max_length=60)
    citation = models.CharField(_("citation"), max_length=300)
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                               on_delete=models.SET_NULL, related_name="+")
    set_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("local rule value")
        verbose_name_plural = _("local rule values")
        constraints = [models.UniqueConstraint(fields=["module", "profile", "key", "area_code"],
                                               name="rules_override_unique")]
        indexes = [models.Index(fields=["module", "profile", "area_code"],
                                name="rules_override_lookup")]

    def __str__(self) -> str:
        return f"{self.module}/{self.profile}.{self.key}@{self.area_code}={self.value}"
