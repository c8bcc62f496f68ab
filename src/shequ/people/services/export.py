"""Residents of an area as an .xlsx file in the import template's columns (streamed,
write-only), numbers masked unless full numbers are asked for, with a reason, by someone
who may read them; every full number exported is logged as a read (ADR 0300)."""

from __future__ import annotations

from typing import IO, Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from shequ import authz
from shequ.audit.services import record
from shequ.core.errors import BusinessError
from shequ.people import access
from shequ.people.enums import AuditAction, Code, Perm
from shequ.people.models import IdentityReveal, Resident, RevealChannel
from shequ.people.services._common import actor_name, actor_pk, open_number
from shequ.people.services.privacy import REASON_MAX

EXPORT_HEADERS = ["姓名", "公民身份号码", "性别", "出生日期", "社区代码", "小区代码", "户号", "户主",
                  "联系电话", "户籍在本社区", "实际居住", "居住起始日期", "残疾", "低保", "敏感(未满14周岁)"]


def export_residents(*, actor: Any, area_code: str, out: IO[bytes] | str,
                     full_numbers: bool = False, reason: str = "") -> int:
    """Write the residents of ``area_code`` to an .xlsx file (streamed, write-only mode).

    Numbers are masked unless ``full_numbers`` is asked for by someone holding
    ``people.reveal_id`` there, with a reason; then every full number exported is logged
    as a read. Fields the actor may not see are left empty."""
    from openpyxl import Workbook

    access.can_export.check(actor, area_code)
    reason = reason.strip()
    if full_numbers:
        access.can_reveal_numbers.check(actor, area_code)
        if len(reason) < 2:
            raise BusinessError(_("Say why you need the full numbers."),
                                code=Code.REASON_REQUIRED, details={"field": "reason"})
    qs = (Resident.objects.filter(area_code__startswith=area_code, deidentified_at__isnull=True,
                                  moved_out_on__isnull=True)
          .filter(authz.scope_q(actor, Perm.VIEW))
          .select_related("household").order_by("community_code", "pk"))
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("居民")
    ws.append(EXPORT_HEADERS)
    n = 0
    yes, no = "是", "否"
    with transaction.atomic():
        reveals: list[IdentityReveal] = []
        for res in qs.iterator(chunk_size=2000):
            data = access.present(actor, res)
            number = data.get("id_masked", "")
            if full_numbers:
                number = open_number(res)
                reveals.append(IdentityReveal(resident=res, actor_id=actor_pk(actor),
                                              actor_name=actor_name(actor),
                                              reason=reason[:REASON_MAX],
                                              channel=RevealChannel.EXPORT,
                                              area_code=res.area_code))

            def flag(key: str, d: dict[str, Any] = data) -> str:
                return "" if key not in d else (yes if d[key] else no)

            ws.append([
                data.get("name", ""), number, res.get_sex_display() if "sex" in data else "",
                data.get("birth_date", ""), res.community_code,
                res.area_code if res.area_code != res.community_code else "",
                data.get("household", ""), flag("is_head"), data.get("phone", ""),
                flag("registered_here"), flag("lives_here"), data.get("residence_since") or "",
                flag("disability"), flag("low_income"), yes if res.is_child else no])
            n += 1
            if len(reveals) >= 2000:
                IdentityReveal.objects.bulk_create(reveals)
                reveals = []
        if reveals:
            IdentityReveal.objects.bulk_create(reveals)
        record(actor=actor, action=AuditAction.RESIDENT_EXPORT, object_type="people.resident",
               area_code=area_code, changes={"rows": n, "full_numbers": full_numbers,
                                             "reason": reason[:REASON_MAX]})
    wb.save(out)
    return n
