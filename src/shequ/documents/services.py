"""Numbering and recording issued documents. A module calls :func:`issue` inside its own
transaction when it prints an official document for one of its objects; printing the same
document again returns the number it already has."""

from __future__ import annotations

import hashlib
from datetime import date
from typing import Any

from django.db import models, transaction

from shequ.documents.enums import AuditAction
from shequ.documents.models import DocumentSeries, IssuedDocument


def issue(*, actor: Any, kind: str, prefix: str, issuer_code: str, obj: models.Model,
          area_code: str, on: date, content: bytes = b"") -> IssuedDocument:
    """The document of ``kind`` for ``obj``: numbered on first issue as
    ``{prefix}〔{year}〕{serial}号`` in the issuer's series for ``on``'s year."""
    from shequ.audit.services import record

    object_type, object_id = obj._meta.label_lower, str(obj.pk)
    with transaction.atomic():
        existing = IssuedDocument.objects.filter(kind=kind, object_type=object_type,
                                                 object_id=object_id).first()
        if existing is not None:
            return existing
        series, _created = DocumentSeries.objects.select_for_update().get_or_create(
            kind=kind, issuer_code=issuer_code, year=on.year)
        series.last += 1
        series.save(update_fields=["last"])
        doc = IssuedDocument.objects.create(
            kind=kind, number=f"{prefix}〔{on.year}〕{series.last}号", issuer_code=issuer_code,
            year=on.year, serial=series.last, object_type=object_type, object_id=object_id,
            area_code=area_code, issued_on=on,
            sha256=hashlib.sha256(content).hexdigest() if content else "")
        record(actor=actor, action=AuditAction.ISSUE, obj=doc, area_code=area_code,
               changes={"kind": kind, "number": doc.number, "object": f"{object_type}:{object_id}"})
    return doc


def issued_for(kind: str, obj: models.Model) -> IssuedDocument | None:
    return IssuedDocument.objects.filter(kind=kind, object_type=obj._meta.label_lower,
                                         object_id=str(obj.pk)).first()
