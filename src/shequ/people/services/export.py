"""Residents of an area as an .xlsx file in the import template's columns (streamed,
write-only), numbers masked unless full numbers are asked for, with a reason, by someone
who may read them; every full number exported is logged as a read (ADR 0300)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from typing import IO, Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from shequ import authz
from shequ.audit.services import record
from shequ.core import excel
from shequ.core.errors import BusinessError
from shequ.people import access
from shequ.people.enums import AuditAction, Code, Perm
from shequ.people.models import IdentityReveal, Resident, RevealChannel
from shequ.people.services._common import actor_name, actor_pk, open_number
from shequ.people.services.privacy import REASON_MAX

EXPORT_HEADERS = ["姓名", "公民身份号码", "性别", "出生日期", "社区代码", "小区代码", "户号", "户主",
                  "联系电话", "户籍在本社区", "实际居住", "居住起始日期", "残疾", "低保", "敏感(未满14周岁)"]


FORMATS = ("xlsx", "csv")


def export_residents(*, actor: Any, area_code: str, out: IO[bytes] | str,
                     full_numbers: bool = False, reason: str = "", fmt: str = "xlsx") -> int:
    """Write the residents of ``area_code`` to an .xlsx (``core.excel``) or a CSV file
    (UTF-8 with BOM, as Excel opens it), in the import template's columns.

    Numbers are masked unless ``full_numbers`` is asked for by someone holding
    ``people.reveal_id`` there, with a reason; then every full number exported is logged
    as a read. Fields the actor may not see are left empty. Audited."""
    if fmt not in FORMATS:
        raise BusinessError(_("Export as .xlsx or .csv."), code=Code.FILE_TYPE,
                            details={"field": "fmt"})
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
    yes, no = "是", "否"
    counter = [0]
    reveals: list[IdentityReveal] = []

    def rows() -> Iterator[list[Any]]:
        nonlocal reveals
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

            yield [
                data.get("name", ""), number, res.get_sex_display() if "sex" in data else "",
                data.get("birth_date", ""), res.community_code,
                res.area_code if res.area_code != res.community_code else "",
                data.get("household", ""), flag("is_head"), data.get("phone", ""),
                flag("registered_here"), flag("lives_here"), data.get("residence_since") or "",
                flag("disability"), flag("low_income"), yes if res.is_child else no]
            counter[0] += 1
            if len(reveals) >= 2000:
                IdentityReveal.objects.bulk_create(reveals)
                reveals = []

    with transaction.atomic():
        if fmt == "xlsx":
            content = excel.workbook(excel.Sheet("居民", EXPORT_HEADERS, rows()))
        else:
            text = io.StringIO()
            writer = csv.writer(text)
            writer.writerow(EXPORT_HEADERS)
            writer.writerows(rows())
            content = ("\ufeff" + text.getvalue()).encode("utf-8")
        if reveals:
            IdentityReveal.objects.bulk_create(reveals)
        record(actor=actor, action=AuditAction.RESIDENT_EXPORT, object_type="people.resident",
               area_code=area_code, changes={"rows": counter[0], "full_numbers": full_numbers,
                                             "reason": reason[:REASON_MAX], "format": fmt})
    if isinstance(out, str):
        with open(out, "wb") as fh:
            fh.write(content)
    else:
        out.write(content)
    return counter[0]
