"""Signatures over the audit log's state, beyond each entry's own hash (ADR 0014).

* every chain's **head** carries an HMAC over (chain, seq, hash): a rewound head, hiding
  removed entries at the end of a chain, no longer matches its signature;
* the **seal** (one row) lists every chain that was ever opened and the latest checkpoint,
  signed: a street's chain removed with its head, or the newest checkpoints removed, no
  longer match it. It is written when a chain opens (once per street) and when a
  checkpoint is taken (daily), never on an ordinary append;
* a **checkpoint** (daily) signs every head at one moment and links to the checkpoint
  before it; exported to a file kept outside the database, it proves what existed then.

Each signature is an HMAC-SHA256 under ``SHEQU_AUDIT_KEY`` over a JSON array whose first
element names what is signed, so no signature can stand in for another kind (an entry's
own hash is not a valid head signature).
"""

from __future__ import annotations

import hashlib
import hmac
import json
from datetime import UTC, datetime
from typing import Any

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from shequ.audit.models import AuditChain, AuditCheckpoint, AuditSeal

EXPORT_FORMAT = "shequ-audit-checkpoint/1"


def _mac(*parts: Any) -> str:
    payload = json.dumps(list(parts), sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    key = settings.SHEQU_AUDIT_KEY.encode()
    return hmac.new(key, payload.encode(), hashlib.sha256).hexdigest()


def head_mac(chain: str, seq: int, last_hash: str) -> str:
    return _mac("head", chain, seq, last_hash)


def seal_mac(chains: list[str], checkpoint: int, checkpoint_mac: str) -> str:
    return _mac("seal", sorted(chains), checkpoint, checkpoint_mac)


def checkpoint_mac(number: int, at: datetime, heads: dict[str, Any], prev_mac: str) -> str:
    return _mac("checkpoint", number, at.astimezone(UTC).isoformat(), heads, prev_mac)


def _locked_seal() -> AuditSeal:
    AuditSeal.objects.bulk_create([AuditSeal(id=1, mac=seal_mac([], 0, ""))],
                                  ignore_conflicts=True)
    return AuditSeal.objects.select_for_update().get(id=1)


def _save_seal(seal: AuditSeal) -> None:
    seal.chains = sorted(set(seal.chains))
    seal.mac = seal_mac(seal.chains, seal.checkpoint, seal.checkpoint_mac)
    seal.save()


def open_chain(chain: str) -> None:
    """Create the head of a new chain and list it in the seal, in the caller's transaction.

    Runs once per chain, ever; only then are appends of different streets serialised
    (on the seal's row lock). Two transactions opening the same chain: the second's
    insert waits for the first and inserts nothing, so the chain is listed once.
    """
    qn = connection.ops.quote_name
    table = qn(AuditChain._meta.db_table)
    with connection.cursor() as cur:
        cur.execute(  # names from the model, values as parameters
            f"INSERT INTO {table} ({qn('key')}, {qn('last_seq')}, {qn('last_hash')}, {qn('mac')}) "  # noqa: S608
            f"VALUES (%s, 0, '', %s) ON CONFLICT ({qn('key')}) DO NOTHING",
            [chain, head_mac(chain, 0, "")])
        inserted = cur.rowcount == 1
    if inserted:
        seal = _locked_seal()
        seal.chains = [*seal.chains, chain]
        _save_seal(seal)


class CheckpointRefused(Exception):
    """A head does not carry a valid signature: signing it would bless a forgery."""


def take_checkpoint(*, at: datetime | None = None, force: bool = False) -> AuditCheckpoint | None:
    """Sign every head as it is now, linked to the previous checkpoint, and record the new
    checkpoint in the seal. Returns ``None`` when nothing was appended since the last one
    (unless ``force``), so running the daily job twice is harmless."""
    with transaction.atomic():
        seal = _locked_seal()  # one checkpoint at a time; chain openings wait a moment
        last = AuditCheckpoint.objects.order_by("-number").first()
        heads: dict[str, list[Any]] = {}
        for key, seq, last_hash, mac in AuditChain.objects.order_by("key").values_list(
                "key", "last_seq", "last_hash", "mac"):
            if not hmac.compare_digest(mac, head_mac(key, seq, last_hash)):
                raise CheckpointRefused(key)
            heads[key] = [seq, last_hash]
        if last is not None and last.heads == heads and not force:
            return None
        number = (last.number + 1) if last else 1
        prev = last.mac if last else ""
        when = at or timezone.now()
        cp = AuditCheckpoint(number=number, at=when, heads=heads, prev_mac=prev,
                             mac=checkpoint_mac(number, when, heads, prev))
        try:
            with transaction.atomic():
                cp.save(force_insert=True)
        except IntegrityError:  # another worker took this number first
            return None
        seal.checkpoint, seal.checkpoint_mac = number, cp.mac
        _save_seal(seal)
    return cp


def export(cp: AuditCheckpoint) -> dict[str, Any]:
    """The checkpoint as a self-describing document to keep outside the database.

    ``digest`` (SHA-256 of the signed content) lets anyone compare two copies without the
    key; ``mac`` lets the key's holder prove the copy came from this site.
    """
    body = {"format": EXPORT_FORMAT, "number": cp.number,
            "at": cp.at.astimezone(UTC).isoformat(), "heads": cp.heads,
            "prev_mac": cp.prev_mac, "mac": cp.mac,
            "chains": len(cp.heads), "entries": sum(int(h[0]) for h in cp.heads.values())}
    signed = json.dumps([cp.number, body["at"], cp.heads, cp.prev_mac], sort_keys=True,
                        ensure_ascii=False, separators=(",", ":"))
    body["digest"] = hashlib.sha256(signed.encode()).hexdigest()
    return body
