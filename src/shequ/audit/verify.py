"""Verification of the audit chains: recompute every hash and compare with the heads."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from shequ.audit.models import AuditChain, AuditEntry
from shequ.audit.services import entry_digest


@dataclass(frozen=True)
class Problem:
    chain: str
    seq: int
    kind: str  # altered | removed | reordered | truncated
    detail: str

    def __str__(self) -> str:
        return f"{self.chain}#{self.seq}: {self.kind} ({self.detail})"


def verify_chain(head: AuditChain) -> Iterator[Problem]:
    expected_seq = 1
    prev_hash = ""
    entries = AuditEntry.objects.filter(chain=head.key).order_by("seq").iterator(chunk_size=2000)
    for e in entries:
        if e.seq != expected_seq:
            yield Problem(head.key, expected_seq, "removed",
                          f"entries {expected_seq}..{e.seq - 1} are missing")
            expected_seq = e.seq
        recomputed = entry_digest(prev_hash=e.prev_hash, chain=e.chain, seq=e.seq, at=e.at,
                                  actor_id=e.actor_id, actor_name=e.actor_name, action=e.action,
                                  object_type=e.object_type, object_id=e.object_id,
                                  area_code=e.area_code, changes=e.changes)
        if recomputed != e.hash:
            yield Problem(head.key, e.seq, "altered", "content does not match its hash")
        elif e.prev_hash != prev_hash:
            yield Problem(head.key, e.seq, "reordered",
                          "does not follow the entry before it in the chain")
        prev_hash = e.hash
        expected_seq += 1
    if head.last_seq != expected_seq - 1 or head.last_hash != prev_hash:
        yield Problem(head.key, expected_seq, "truncated",
                      f"chain head says {head.last_seq} entries, {expected_seq - 1} found")


def verify_all() -> tuple[int, list[Problem]]:
    """Return the number of entries checked and the problems found, over every chain."""
    problems: list[Problem] = []
    for head in AuditChain.objects.order_by("key"):
        problems.extend(verify_chain(head))
    return AuditEntry.objects.count(), problems
