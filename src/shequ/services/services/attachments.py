"""Materials: files checked by extension *and* leading bytes, size and count, before
anything is stored; added before acceptance by the applicant or a desk worker."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from shequ import authz
from shequ.audit.services import record
from shequ.core import rows
from shequ.core.errors import BusinessError, Conflict
from shequ.rules import Profile
from shequ.services import rules
from shequ.services.enums import AuditAction, Code, Perm
from shequ.services.lifecycles import actor_name, is_applicant
from shequ.services.models import Attachment, Case, CaseEvent, State
from shequ.services.services.common import locked_case, now_or

# File name extension -> (content type, leading bytes that prove it).
ATTACHMENT_TYPES: dict[str, tuple[str, tuple[bytes, ...]]] = {
    "pdf": ("application/pdf", (b"%PDF-",)),
    "jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
    "jpeg": ("image/jpeg", (b"\xff\xd8\xff",)),
    "png": ("image/png", (b"\x89PNG\r\n\x1a\n",)),
}


class AttachmentRejected(BusinessError):
    default_code = Code.ATTACHMENT_REJECTED
    status = 422


@dataclass(frozen=True)
class Upload:
    """A file as received (page, API or CLI), checked before anything is stored."""

    name: str
    content: bytes
    material_code: str = ""


def check_uploads(uploads: Sequence[Upload], *, profile: Profile, already: int = 0
                  ) -> list[tuple[Upload, str]]:
    """Type (extension and leading bytes) and size of each file; the first bad one
    refuses the whole request."""
    max_bytes = profile.number("attachment_max_bytes")
    max_count = profile.number("attachments_per_case")
    if already + len(uploads) > max_count:
        raise AttachmentRejected(_("At most %(n)d attachments per case.") % {"n": max_count},
                                 details={"max": max_count})
    checked: list[tuple[Upload, str]] = []
    for up in uploads:
        ext = up.name.rsplit(".", 1)[-1].lower() if "." in up.name else ""
        kind = ATTACHMENT_TYPES.get(ext)
        if kind is None or not any(up.content.startswith(magic) for magic in kind[1]):
            raise AttachmentRejected(
                _("“%(name)s” is not an accepted file type (PDF, JPEG or PNG).")
                % {"name": up.name},
                details={"file": up.name, "allowed": sorted(ATTACHMENT_TYPES)})
        if len(up.content) > max_bytes:
            raise AttachmentRejected(
                _("“%(name)s” is larger than %(mb)d MB.")
                % {"name": up.name, "mb": max_bytes // (1024 * 1024)},
                details={"file": up.name, "size": len(up.content), "max": max_bytes})
        if len(up.content) == 0:
            raise AttachmentRejected(_("“%(name)s” is empty.") % {"name": up.name},
                                     details={"file": up.name})
        checked.append((up, kind[0]))
    return checked


def store_uploads(case: Case, checked: list[tuple[Upload, str]]) -> list[Attachment]:
    """Store checked files under a name derived from their content (never the name the
    sender chose, which is kept for display only)."""
    stored = []
    for up, content_type in checked:
        digest = hashlib.sha256(up.content).hexdigest()
        att = Attachment(case=case, material_code=up.material_code, name=up.name[:200],
                         content_type=content_type, size=len(up.content), sha256=digest)
        att.file.save(f"{digest[:16]}.{up.name.rsplit('.', 1)[-1].lower()}",
                      ContentFile(up.content), save=False)
        att.save()
        stored.append(att)
    return stored


def attach(*, actor: Any, number: str, uploads: Sequence[Upload], at: datetime | None = None
           ) -> list[Attachment]:
    """Add materials to a case before acceptance (by the applicant or a desk worker);
    supplying materials after a 补正 notice is the ``supply`` step."""
    now = now_or(at)
    with transaction.atomic():
        case = locked_case(actor, number)
        if not is_applicant(actor, case):
            authz.check(actor, Perm.DESK, case.area_code)
        if case.state not in (State.SUBMITTED, State.CORRECTION):
            raise Conflict(_("Materials can be added only before acceptance."),
                           code=Code.ATTACHMENTS_CLOSED, details={"state": case.state})
        checked = check_uploads(uploads, profile=rules.profile(case.area_code),
                                already=case.attachments.count())
        if not checked:
            raise BusinessError(_("No file was sent."), code=Code.NO_FILE)
        stored = store_uploads(case, checked)
        rows.insert(CaseEvent(case=case, at=now, action="attach", from_state=case.state,
                              to_state=case.state, actor_name=actor_name(actor),
                              details={"files": [a.name for a in stored]}))
        record(actor=actor, action=AuditAction.CASE_ATTACH, obj=case, area_code=case.area_code,
               changes={"files": [[a.name, a.size, a.sha256] for a in stored]})
    return stored
