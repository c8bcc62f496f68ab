"""Appending to the audit log. Every service calls :func:`record` inside its own
transaction, so the entry exists exactly when the change does."""

from __future__ import annotations

import functools
import hashlib
import hmac
import json
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import connection, models, transaction
from django.utils import timezone

from shequ.audit.models import AuditChain, AuditEntry
from shequ.audit.seal import head_mac, open_chain
from shequ.core import rows

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


@functools.cache
def _head_sql() -> tuple[str, str]:
    """Lock a chain's head (``FOR UPDATE`` where the database has row locks; SQLite's
    writer lock, taken at BEGIN IMMEDIATE, already serialises appends), and move it."""
    qn = connection.ops.quote_name
    table = qn(AuditChain._meta.db_table)
    # names come from the model, values are parameters
    lock = f"SELECT {qn('last_seq')}, {qn('last_hash')} FROM {table} WHERE {qn('key')} = %s"  # noqa: S608
    if connection.features.has_select_for_update:
        lock += " FOR UPDATE"
    move = (f"UPDATE {table} SET {qn('last_seq')} = %s, {qn('last_hash')} = %s, "  # noqa: S608
            f"{qn('mac')} = %s WHERE {qn('key')} = %s")
    return lock, move


def record(*, actor: Any, action: str, obj: models.Model | None = None, object_type: str = "",
           object_id: str = "", area_code: str = "", changes: dict[str, Any] | None = None
           ) -> None:
    """Append one entry to the chain of ``area_code``; must run inside the caller's
    transaction (the use case's), which it joins."""
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
    chain = chain_for(area_code)
    clean = canonical(changes or {})
    actor_id = getattr(actor, "pk", None) if actor is not None else None
    actor_name = (getattr(actor, "username", "") or str(actor)) if actor is not None else "system"
    lock_sql, move_sql = _head_sql()
    # No savepoint: the entry belongs to the caller's transaction and fails with it. The
    # common path is two statements on PostgreSQL (lock the head; insert the entry and
    # move the head), three elsewhere; hand-written, with the insert built once
    # (core.rows), because every write of every use case passes here. The entry's own
    # key is not read back.
    with transaction.atomic(savepoint=False), connection.cursor() as cur:
        cur.execute(lock_sql, [chain])
        head = cur.fetchone()
        if head is None:  # the chain's first entry: open it (once per street, ever)
            open_chain(chain)
            cur.execute(lock_sql, [chain])
            head = cur.fetchone()
        last_seq, last_hash = head
        seq = last_seq + 1
        at = timezone.now()
        digest = entry_digest(prev_hash=last_hash, chain=chain, seq=seq, at=at,
                              actor_id=actor_id, actor_name=actor_name, action=action,
                              object_type=object_type, object_id=object_id, area_code=area_code,
                              changes=clean)
        entry = AuditEntry(
            chain=chain, seq=seq, at=at, actor_id=actor_id, actor_name=actor_name, action=action,
            object_type=object_type, object_id=object_id, area_code=area_code, changes=clean,
            prev_hash=last_hash, hash=digest)
        signed = [seq, digest, head_mac(chain, seq, digest), chain]
        if rows.joinable():  # the entry and the head's move in one statement
            insert_sql, params = rows.insert_sql(entry)
            cur.execute(f"WITH e AS ({insert_sql}) {move_sql}", [*params, *signed])
        else:
            rows.insert(entry)
            cur.execute(move_sql, signed)


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, Any]:
    """``{field: [old, new]}`` for the fields that changed: what an entry's ``changes`` holds."""
    return {k: [before.get(k), v] for k, v in after.items() if before.get(k) != v}
