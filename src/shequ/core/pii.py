"""Personal data shown in part: one place for every masking rule (PIPL Art. 51), so a
page, a document and an export mask the same way."""

from __future__ import annotations

import re

from shequ.core.ids import mask_resident_id

__all__ = ["mask_name", "mask_phone", "mask_resident_id", "mask_text"]

ID_RE = re.compile(r"(?<!\d)(\d{6})\d{8}(\d{3}[\dXx])(?![\dXx])")
PHONE_RE = re.compile(r"(?<!\d)(1[3-9]\d)\d{4}(\d{4})(?!\d)")


def mask_name(name: str) -> str:
    """张三 → 张*, 欧阳修文 → 欧***: residents' names in anything public."""
    name = name.strip()
    return name[:1] + "*" * max(len(name) - 1, 1) if name else ""


def mask_phone(phone: str) -> str:
    """13980001234 → 139****1234."""
    digits = "".join(c for c in phone if c.isdigit())
    if len(digits) < 7:
        return "*" * len(digits)
    return f"{digits[:3]}{'*' * (len(digits) - 7)}{digits[-4:]}"


def mask_text(text: str) -> str:
    """Mask identity numbers and mobile numbers in text that will be published."""
    text = ID_RE.sub(lambda m: m.group(1) + "********" + m.group(2), text)
    return PHONE_RE.sub(lambda m: f"{m.group(1)}****{m.group(2)}", text)
