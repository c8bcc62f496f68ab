"""Every official document the system prints gets a number in its own series (per kind,
issuing area and year, like 锦江受〔2026〕第12号) and a record of what was issued, so a
printed copy can be traced back to the case, election or registration it belongs to."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class DocumentSeries(models.Model):
    """The last number used in one series: one row per (kind, issuer, year), locked while
    a number is drawn, so two streets never wait for each other."""

    kind = models.CharField(_("kind"), max_length=40)
    issuer_code = models.CharField(_("issuing area"), max_length=15)
    year = models.PositiveSmallIntegerField(_("year"))
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["kind", "issuer_code", "year"],
                                               name="documents_series_unique")]

    def __str__(self) -> str:
        return f"{self.kind}/{self.issuer_code}/{self.year}: {self.last}"


class IssuedDocument(models.Model):
    kind = models.CharField(_("kind"), max_length=40)
    number = models.CharField(pgettext_lazy("document", "number"), max_length=60)
    issuer_code = models.CharField(_("issuing area"), max_length=15)
    year = models.PositiveSmallIntegerField(_("year"))
    serial = models.PositiveIntegerField(_("serial"))
    object_type = models.CharField(max_length=60)
    object_id = models.CharField(max_length=60)
    area_code = models.CharField(_("area code"), max_length=15)
    issued_on = models.DateField(pgettext_lazy("document", "issued on"))
    issued_at = models.DateTimeField(auto_now_add=True)
    sha256 = models.CharField(max_length=64, blank=True)

    class Meta:
        verbose_name = _("issued document")
        verbose_name_plural = _("issued documents")
        constraints = [
            models.UniqueConstraint(fields=["kind", "issuer_code", "year", "serial"],
                                    name="documents_number_unique"),
            models.UniqueConstraint(fields=["kind", "object_type", "object_id"],
                                    name="documents_one_per_object"),
        ]
        indexes = [models.Index(fields=["object_type", "object_id"], name="documents_object")]

    def __str__(self) -> str:
        return self.number
