"""Verification of the audit log (ADR 0007, ADR 0014): recompute every entry's hash, check
every head's signature, the seal (which chains exist, which checkpoint is the latest) and
the checkpoints, and compare the chains with the latest checkpoint and, if given, with a
checkpoint exported earlier and kept outside the database."""

from __future__ import annotations

import hmac
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from shequ.audit.models import AuditChain, AuditCheckpoint, AuditEntry, AuditSeal
from shequ.audit.seal import EXPORT_FORMAT, checkpoint_mac, head_mac, seal_mac
from shequ.audit.services import entry_digest

KINDS: dict[str, Promise] = {
    "altered": pgettext_lazy("audit problem", "altered"),
    "removed": pgettext_lazy("audit problem", "removed"),
    "reordered": pgettext_lazy("audit problem", "reordered"),
    "truncated": pgettext_lazy("audit problem", "truncated"),
    "head_forged": pgettext_lazy("audit problem", "head forged"),
    "chain_removed": pgettext_lazy("audit problem", "chain removed"),
    "chain_unlisted": pgettext_lazy("audit problem", "chain not in the seal"),
    "seal_forged": pgettext_lazy("audit problem", "seal forged"),
    "seal_missing": pgettext_lazy("audit problem", "seal missing"),
    "checkpoint_forged": pgettext_lazy("audit problem", "checkpoint forged"),
    "checkpoint_removed": pgettext_lazy("audit problem", "checkpoint removed"),
}
SEAL = "*"  # the "chain" of problems that concern the log as a whole
STALE_AFTER = timedelta(hours=48)


@dataclass(frozen=True)
class Problem:
    chain: str
    seq: int
    kind: str  # a key of KINDS
    detail: str

    def __str__(self) -> str:
        where = _("audit log") if self.chain == SEAL else _("chain %(c)s") % {"c": self.chain}
        if self.seq:
            where = f"{where} #{self.seq}"
        return _("%(where)s: %(kind)s (%(detail)s)") % {
            "where": where, "kind": KINDS[self.kind], "detail": self.detail}


# seq -> (where the expectation comes from, the hash the entry had then)
Expected = dict[int, tuple[str, str]]


def verify_chain(head: AuditChain, expect: Expected | None = None,
                 floor: tuple[str, int] | None = None) -> Iterator[Problem]:
    """Check one chain: its head's signature, every entry, and ``expect``ed hashes.

    ``floor`` is (source, seq): a checkpoint that saw the chain at ``seq``; a head below it
    was rewound."""
    expect = expect or {}
    if not hmac.compare_digest(head.mac, head_mac(head.key, head.last_seq, head.last_hash)):
        yield Problem(head.key, 0, "head_forged",
                      _("the head (%(n)d entries) does not carry a valid signature: it was "
                        "rewound or edited") % {"n": head.last_seq})
    if floor is not None and head.last_seq < floor[1]:
        yield Problem(head.key, head.last_seq + 1, "truncated",
                      _("%(src)s recorded %(n)d entries, the head says %(h)d")
                      % {"src": floor[0], "n": floor[1], "h": head.last_seq})
    expected_seq = 1
    prev_hash = ""
    entries = AuditEntry.objects.filter(chain=head.key).order_by("seq").iterator(chunk_size=2000)
    for e in entries:
        if e.seq != expected_seq:
            yield Problem(head.key, expected_seq, "removed",
                          _("entries %(a)d to %(b)d are missing") % {"a": expected_seq, "b": e.seq - 1})
            expected_seq = e.seq
        recomputed = entry_digest(prev_hash=e.prev_hash, chain=e.chain, seq=e.seq, at=e.at,
                                  actor_id=e.actor_id, actor_name=e.actor_name, action=e.action,
                                  object_type=e.object_type, object_id=e.object_id,
                                  area_code=e.area_code, changes=e.changes)
        if recomputed != e.hash:
            yield Problem(head.key, e.seq, "altered", _("its content does not match its hash"))
        elif e.prev_hash != prev_hash:
            yield Problem(head.key, e.seq, "reordered",
                          _("it does not follow the entry before it in the chain"))
        elif e.seq in expect and expect[e.seq][1] != e.hash:
            yield Problem(head.key, e.seq, "altered",
                          _("it differs from the entry recorded in %(src)s")
                          % {"src": expect[e.seq][0]})
        prev_hash = e.hash
        expected_seq += 1
    found = expected_seq - 1
    if head.last_seq != found or head.last_hash != prev_hash:
        yield Problem(head.key, found + 1, "truncated",
                      _("the head says %(h)d entries, %(n)d found") % {"h": head.last_seq, "n": found})
    for seq, (source, _hash) in sorted(expect.items()):
        if seq > found:
            yield Problem(head.key, seq, "truncated",
                          _("%(src)s recorded entry %(s)d, which is gone") % {"src": source, "s": seq})
            break


def _checkpoint_label(number: int) -> str:
    return _("checkpoint %(n)d") % {"n": number}


def _check_checkpoints(seal: AuditSeal | None) -> Iterator[Problem | AuditCheckpoint]:
    """Each checkpoint's signature and link to the one before; numbers without gaps and up
    to the seal's; heads that never move back. Yields the latest valid checkpoint last."""
    prev: AuditCheckpoint | None = None
    latest: AuditCheckpoint | None = None
    for cp in AuditCheckpoint.objects.order_by("number").iterator(chunk_size=50):
        label = _checkpoint_label(cp.number)
        if not hmac.compare_digest(cp.mac, checkpoint_mac(cp.number, cp.at, cp.heads, cp.prev_mac)):
            yield Problem(SEAL, 0, "checkpoint_forged",
                          _("%(cp)s does not carry a valid signature") % {"cp": label})
            prev = cp
            continue
        expected_number = prev.number + 1 if prev else 1
        if cp.number != expected_number or cp.prev_mac != (prev.mac if prev else ""):
            yield Problem(SEAL, 0, "checkpoint_removed",
                          _("%(cp)s does not follow the checkpoint before it") % {"cp": label})
        elif prev is not None:
            for chain, (seq, _hash) in prev.heads.items():
                now = cp.heads.get(chain)
                if now is None or now[0] < seq:
                    yield Problem(chain, 0, "truncated",
                                  _("%(cp)s has fewer entries than the checkpoint before it")
                                  % {"cp": label})
        prev = latest = cp
    if seal is not None and (prev.number if prev else 0) != seal.checkpoint:
        yield Problem(SEAL, 0, "checkpoint_removed",
                      _("the seal names checkpoint %(s)d, the latest found is %(n)d")
                      % {"s": seal.checkpoint, "n": prev.number if prev else 0})
    elif seal is not None and prev is not None and prev.mac != seal.checkpoint_mac:
        yield Problem(SEAL, 0, "checkpoint_forged",
                      _("%(cp)s is not the one the seal names") % {"cp": _checkpoint_label(prev.number)})
    if latest is not None:
        yield latest


def verify_all(*, against: dict[str, Any] | None = None) -> tuple[int, list[Problem]]:
    """Return the number of entries checked and the problems found, over the whole log.

    ``against``: a checkpoint exported earlier (``shequ audit checkpoint export``) and
    kept outside the database; every chain and entry it recorded must still be there."""
    problems: list[Problem] = []
    heads = {h.key: h for h in AuditChain.objects.order_by("key")}
    seal = AuditSeal.objects.filter(id=1).first()
    listed: set[str] = set()
    if seal is None:
        if heads:
            problems.append(Problem(SEAL, 0, "seal_missing",
                                    _("%(n)d chains exist but the seal listing them is gone")
                                    % {"n": len(heads)}))
    elif not hmac.compare_digest(seal.mac, seal_mac(seal.chains, seal.checkpoint,
                                                     seal.checkpoint_mac)):
        problems.append(Problem(SEAL, 0, "seal_forged",
                                _("the list of chains does not carry a valid signature")))
    else:
        listed = set(seal.chains)
    latest: AuditCheckpoint | None = None
    for item in _check_checkpoints(seal):
        if isinstance(item, Problem):
            problems.append(item)
        else:
            latest = item
    sources: list[tuple[str, dict[str, Any]]] = []
    if latest is not None:
        sources.append((_checkpoint_label(latest.number), latest.heads))
    if against is not None:
        problems.extend(_check_export(against, latest))
        sources.append((_("the exported checkpoint %(n)s") % {"n": against.get("number")},
                        against.get("heads") or {}))
    expect: dict[str, Expected] = {}
    floors: dict[str, tuple[str, int]] = {}
    missing: dict[str, str] = {}
    for source, recorded in sources:
        for chain, (seq, digest) in recorded.items():
            if chain not in heads:
                missing.setdefault(chain, _("%(src)s recorded %(n)d entries in it")
                                   % {"src": source, "n": seq})
                continue
            if seq:
                expect.setdefault(chain, {})[int(seq)] = (source, str(digest))
            if seq > floors.get(chain, ("", -1))[1]:
                floors[chain] = (source, int(seq))
    for chain in sorted(listed - heads.keys()):
        missing.setdefault(chain, _("the seal lists it"))
    for chain, why in sorted(missing.items()):
        problems.append(Problem(chain, 0, "chain_removed",
                                _("its head and entries are gone; %(why)s") % {"why": why}))
    if seal is not None and listed:
        for chain in sorted(heads.keys() - listed):
            problems.append(Problem(chain, 0, "chain_unlisted",
                                    _("the chain exists but the signed list of chains "
                                      "does not name it")))
    for chain in sorted(set(AuditEntry.objects.values_list("chain", flat=True).distinct())
                        - heads.keys() - missing.keys()):
        problems.append(Problem(chain, 0, "chain_removed",
                                _("its entries remain but its head is gone")))
    for key, head in heads.items():
        problems.extend(verify_chain(head, expect.get(key), floors.get(key)))
    return AuditEntry.objects.count(), problems


def _check_export(doc: dict[str, Any], latest: AuditCheckpoint | None) -> Iterator[Problem]:
    number = doc.get("number")
    if doc.get("format") != EXPORT_FORMAT or not isinstance(number, int) \
            or not isinstance(doc.get("heads"), dict):
        yield Problem(SEAL, 0, "checkpoint_forged", _("the file is not an exported checkpoint"))
        return
    at = datetime.fromisoformat(str(doc.get("at")))
    if not hmac.compare_digest(str(doc.get("mac", "")), checkpoint_mac(
            number, at, doc["heads"], str(doc.get("prev_mac", "")))):
        yield Problem(SEAL, 0, "checkpoint_forged",
                      _("the exported checkpoint %(n)d was not signed with this site's audit key")
                      % {"n": number})
        return
    stored = AuditCheckpoint.objects.filter(number=number).first()
    if stored is None or stored.mac != doc["mac"]:
        yield Problem(SEAL, 0, "checkpoint_removed",
                      _("the exported checkpoint %(n)d is not in the database (latest: %(l)s)")
                      % {"n": number, "l": latest.number if latest else 0})


def checkpoint_overdue(now: datetime | None = None) -> AuditCheckpoint | bool | None:
    """The latest checkpoint if it is older than two days while entries were written since
    (the daily job is not running, or recent checkpoints were removed); ``True`` when
    entries exist and no checkpoint was ever taken; else ``False``."""
    now = now or timezone.now()
    latest = AuditCheckpoint.objects.order_by("-number").first()
    if latest is None:
        return AuditEntry.objects.exists()
    if now - latest.at > STALE_AFTER and AuditEntry.objects.filter(at__gt=latest.at).exists():
        return latest
    return False
