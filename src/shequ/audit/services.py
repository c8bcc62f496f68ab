"""Appending to the audit log. Every service calls :func:`record` inside its own
transaction, so the entry exists exactly when the change does."""

from __future__ import annotations

import hashlib
import hmac
import json
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone

from shequ.audit.models import AuditChain, AuditEntry

GLOBAL_CHAIN = "global"
STREET_CODE_LENGTH = 9


def chain_for(area_code: str) -> str:
    """Entries for a street and everything below it share one chain; district, city and
    province entries have their own. Chains partition contention, not visibility."""
    if not area_code:
        return GLOBAL_CHAIN
    return area_code[:STREET_CODE_LENGTH]


def _json_default(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, models.Model):
        return str(value.pk)
    return str(value)


def canonical(value: Any) -> Any:
    """JSON-clean ``changes`` so what is hashed is exactly what is stored."""
    return json.loads(json.dumps(value, default=_json_default, sort_keys=True, ensure_ascii=False))


def entry_digest(*, prev_hash: str, chain: str, seq: int, at: datetime, actor_id: int | None,
                 actor_name: str, action: str, object_type: str, object_id: str,
                 area_code: str, changes: Any) -> str:
    payload = json.dumps(
        [prev_hash, chain, seq, at.astimezone(UTC).isoformat(), actor_id, actor_name,
         action, object_type, object_id, area_code, changes],
        sort_keys=True, ensure_ascii=False, separators=(",", ":"),
    )
    key = settings.SHEQU_AUDIT_KEY.encode()
    return hmac.new(key, payload.encode(), hashlib.sha256).hexdigest()


def record(*, actor: Any, action: str, obj: models.Model | None = None, object_type: str = "",
           object_id: str = "", area_code: str = "", changes: dict[str, Any] | None = None
           ) -> AuditEntry:
    """Append one entry to the chain of ``area_code``; must run inside the caller's
    transaction (the use case's), which it joins."""
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
    chain = chain_for(area_code)
    clean = canonical(changes or {})
    actor_id = getattr(actor, "pk", None) if actor is not None else None
    actor_name = (getattr(actor, "username", "") or str(actor)) if actor is not None else "system"
    # No savepoint: the entry belongs to the caller's transaction and fails with it. The
    # common path is three statements: lock the head, insert the entry, move the head.
    with transaction.atomic(savepoint=False):
        head = AuditChain.objects.select_for_update().filter(key=chain).first()
        if head is None:
            AuditChain.objects.bulk_create([AuditChain(key=chain)], ignore_conflicts=True)
            head = AuditChain.objects.select_for_update().get(key=chain)
        seq = head.last_seq + 1
        at = timezone.now()
        digest = entry_digest(prev_hash=head.last_hash, chain=chain, seq=seq, at=at,
                              actor_id=actor_id, actor_name=actor_name, action=action,
                              object_type=object_type, object_id=object_id, area_code=area_code,
                              changes=clean)
        entry = AuditEntry.objects.create(
            chain=chain, seq=seq, at=at, actor_id=actor_id, actor_name=actor_name, action=action,
            object_type=object_type, object_id=object_id, area_code=area_code, changes=clean,
            prev_hash=head.last_hash, hash=digest)
        AuditChain.objects.filter(key=chain).update(last_seq=seq, last_hash=digest)
    return entry


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, Any]:
    """``{field: [old, new]}`` for the fields that changed: what an entry's ``changes`` holds."""
    return {k: [before.get(k), v] for k, v in after.items() if before.get(k) != v}
