"""The catalogue (审批事项): items are published in versions; a case keeps the version it
was filed under, so a later change never changes the rules of a case already filed."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from shequ import authz
from shequ.audit.services import record
from shequ.core.errors import BusinessError
from shequ.services import rules
from shequ.services.enums import AuditAction, Code, Perm
from shequ.services.models import ItemVersion, ServiceItem


def publish_item(*, actor: Any, code: str, area_code: str, name: str, legal_basis: str,
                 handler_level: str, delegation_mode: str, department: str,
                 department_category: str, statutory_days: int | None = None,
                 promised_days: int | None = None, materials: list[dict[str, str]] | None = None,
                 fee_fen: int = 0, forms: list[str] | None = None, description: str = ""
                 ) -> ItemVersion:
    """Create an item or publish a new version of it; cases filed earlier keep theirs.
    Without a statutory limit the item takes the law's (行政许可法 Art. 42)."""
    authz.check(actor, Perm.CATALOGUE, area_code)
    statutory = (statutory_days if statutory_days is not None
                 else rules.profile(area_code).number("decision_days"))
    promised = promised_days if promised_days is not None else statutory
    if not 0 < promised <= statutory:
        raise BusinessError(_("The promised limit must be between 1 and the statutory limit."),
                            code=Code.INVALID_LIMIT,
                            details={"statutory_days": statutory, "promised_days": promised})
    with transaction.atomic():
        item, _created = ServiceItem.objects.select_for_update().get_or_create(
            code=code, defaults={"area_code": area_code})
        last = item.versions.order_by("-version").first()
        version = ItemVersion.objects.create(
            item=item, version=(last.version + 1) if last else 1, name=name,
            description=description, legal_basis=legal_basis, handler_level=handler_level,
            delegation_mode=delegation_mode, department=department,
            department_category=department_category, statutory_days=statutory,
            promised_days=promised, materials=list(materials or []), fee_fen=fee_fen,
            forms=list(forms or []))
        item.current = version
        item.save(update_fields=["current"])
        record(actor=actor, action=AuditAction.ITEM_PUBLISH, obj=version, area_code=area_code,
               changes={"code": code, "version": version.version, "name": name,
                        "statutory_days": statutory, "promised_days": promised})
    return version
