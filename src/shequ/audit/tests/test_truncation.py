"""The attacks of issue 13 item 3 on the audit log, each caught by ``shequ audit verify``
(ADR 0014): a rewound head, a street's chain removed with its head, the seal or the newest
checkpoints removed or edited, and, with a checkpoint kept outside, the whole log."""

from __future__ import annotations

import json
from datetime import timedelta
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from shequ.audit import tasks
from shequ.audit.models import AuditChain, AuditCheckpoint, AuditEntry, AuditSeal
from shequ.audit.seal import CheckpointRefused, export, take_checkpoint
from shequ.audit.services import record
from shequ.audit.verify import checkpoint_overdue, verify_all
from shequ.authz import SYSTEM
from shequ.core.jobs import PERIODIC

pytestmark = pytest.mark.django_db
STREET, OTHER = "510104022", "510104037"


def _entries(n: int, area: str = STREET + "009") -> None:
    for i in range(n):
        record(actor=SYSTEM, action="test.write", object_type="x", object_id=str(i),
               area_code=area, changes={"i": i})


def _kinds() -> list[tuple[str, int, str]]:
    return [(p.chain, p.seq, p.kind) for p in verify_all()[1]]


def _verify_fails() -> str:
    err = StringIO()
    with pytest.raises(CommandError) as exc:
        call_command("audit", "verify", stdout=StringIO(), stderr=err)
    return err.getvalue() + str(exc.value)


def test_a_clean_log_with_checkpoints_verifies() -> None:
    _entries(3)
    _entries(2, OTHER + "001")
    take_checkpoint()
    _entries(1)
    take_checkpoint()
    assert verify_all() == (6, [])
    seal = AuditSeal.objects.get()
    assert seal.chains == [STREET, OTHER] and seal.checkpoint == 2
    out = StringIO()
    call_command("audit", "verify", stdout=out, stderr=StringIO())
    assert out.getvalue() == "已核验 6 条审计记录,未发现问题。\n"


def test_removed_tail_with_rewound_head_is_caught() -> None:
    _entries(5)
    kept = AuditEntry.objects.get(chain=STREET, seq=3)
    AuditEntry.objects.filter(chain=STREET, seq__gt=3).delete()
    AuditChain.objects.filter(key=STREET).update(last_seq=3, last_hash=kept.hash)
    assert _kinds() == [(STREET, 0, "head_forged")]
    assert "链 510104022:链头被伪造(链头(3 条记录)没有有效签名:它被回退或修改过)" in _verify_fails()


def test_head_rewound_with_an_entry_hash_as_its_signature_is_caught() -> None:
    """An entry's own hash is an HMAC too, but of another kind of content."""
    _entries(4)
    kept = AuditEntry.objects.get(chain=STREET, seq=2)
    AuditEntry.objects.filter(chain=STREET, seq__gt=2).delete()
    AuditChain.objects.filter(key=STREET).update(last_seq=2, last_hash=kept.hash, mac=kept.hash)
    assert _kinds() == [(STREET, 0, "head_forged")]


def test_replayed_old_head_is_caught_by_a_later_checkpoint() -> None:
    _entries(2)
    snapshot = AuditChain.objects.values("last_seq", "last_hash", "mac").get(key=STREET)
    _entries(3)
    take_checkpoint()
    AuditEntry.objects.filter(chain=STREET, seq__gt=2).delete()
    AuditChain.objects.filter(key=STREET).update(**snapshot)  # a valid signature, but old
    assert _kinds() == [(STREET, 3, "truncated"), (STREET, 5, "truncated")]
    assert "链 510104022 #3:被截断(检查点 1 记录了 5 条,链头只有 2 条)" in _verify_fails()


def test_a_streets_chain_removed_with_its_head_is_caught() -> None:
    _entries(3)
    _entries(2, OTHER + "001")
    AuditEntry.objects.filter(chain=OTHER).delete()
    AuditChain.objects.filter(key=OTHER).delete()
    assert _kinds() == [(OTHER, 0, "chain_removed")]
    message = _verify_fails()
    assert "链 510104037:整条链被删除(链头和记录都不见了;封印列有此链)" in message
    assert message.endswith("在 3 条审计记录中发现 1 个问题(510104037)。")


def test_chain_removed_and_struck_from_the_seal_is_caught() -> None:
    _entries(1)
    _entries(2, OTHER + "001")
    AuditEntry.objects.filter(chain=OTHER).delete()
    AuditChain.objects.filter(key=OTHER).delete()
    AuditSeal.objects.update(chains=[STREET])
    assert _kinds() == [("*", 0, "seal_forged")]


def test_seal_removed_too_is_caught() -> None:
    _entries(1)
    _entries(2, OTHER + "001")
    AuditEntry.objects.filter(chain=OTHER).delete()
    AuditChain.objects.filter(key=OTHER).delete()
    AuditSeal.objects.all().delete()
    assert _kinds() == [("*", 0, "seal_missing")]


def test_chain_removed_with_an_old_seal_replayed_is_caught_by_the_checkpoint() -> None:
    _entries(1)
    old_seal = AuditSeal.objects.values("chains", "checkpoint", "checkpoint_mac", "mac").get()
    _entries(2, OTHER + "001")
    take_checkpoint()
    AuditEntry.objects.filter(chain=OTHER).delete()
    AuditChain.objects.filter(key=OTHER).delete()
    AuditSeal.objects.update(**old_seal)  # genuinely signed, but from before the chain
    assert _kinds() == [("*", 0, "checkpoint_removed"), (OTHER, 0, "chain_removed")]
    # Removing the checkpoints as well leaves a log that is consistent in itself: only a
    # checkpoint exported and kept outside the database tells (ADR 0014).
    AuditCheckpoint.objects.all().delete()
    assert _kinds() == []


def test_newest_checkpoint_removed_is_caught() -> None:
    _entries(2)
    take_checkpoint()
    _entries(1)
    take_checkpoint()
    AuditCheckpoint.objects.filter(number=2).delete()
    assert _kinds() == [("*", 0, "checkpoint_removed")]


def test_edited_checkpoint_is_caught() -> None:
    _entries(2)
    cp = take_checkpoint()
    assert cp is not None
    AuditCheckpoint.objects.filter(number=1).update(heads={STREET: [1, cp.heads[STREET][1]]})
    assert ("*", 0, "checkpoint_forged") in _kinds()


def test_a_forged_head_is_never_signed_by_a_checkpoint() -> None:
    _entries(2)
    AuditChain.objects.filter(key=STREET).update(last_seq=1)
    with pytest.raises(CheckpointRefused):
        take_checkpoint()
    assert not AuditCheckpoint.objects.exists()
    with pytest.raises(CommandError, match="链 510104022 的链头没有有效签名"):
        call_command("audit", "checkpoint", "create", stdout=StringIO())


def test_whole_log_removed_is_caught_against_an_exported_checkpoint(tmp_path: Path) -> None:
    _entries(3)
    _entries(2, OTHER + "001")
    call_command("audit", "checkpoint", "create", stdout=StringIO())
    copy = tmp_path / "cp.json"
    call_command("audit", "checkpoint", "export", "--output", str(copy), stdout=StringIO())
    doc = json.loads(copy.read_text(encoding="utf-8"))
    assert (doc["format"], doc["number"], doc["chains"], doc["entries"]) == (
        "shequ-audit-checkpoint/1", 1, 2, 5)
    call_command("audit", "verify", "--against", str(copy), stdout=StringIO(), stderr=StringIO())
    for model in (AuditEntry, AuditChain, AuditSeal, AuditCheckpoint):
        model.objects.all().delete()
    assert verify_all() == (0, [])  # the database alone cannot tell
    _count, problems = verify_all(against=doc)
    assert [(p.chain, p.kind) for p in problems] == [
        ("*", "checkpoint_removed"), (STREET, "chain_removed"), (OTHER, "chain_removed")]
    err = StringIO()
    with pytest.raises(CommandError):
        call_command("audit", "verify", "--against", str(copy), stdout=StringIO(), stderr=err)
    assert "链 510104022:整条链被删除(链头和记录都不见了;导出的检查点 1 记录了其中 3 条)" \
        in err.getvalue()


def test_an_export_not_signed_with_this_key_is_refused(tmp_path: Path,
                                                       settings: Any) -> None:
    _entries(1)
    cp = take_checkpoint()
    assert cp is not None
    doc = export(cp)
    settings.SHEQU_AUDIT_KEY = "another-site-key-another-site-key!!"
    assert ("*", 0, "checkpoint_forged") in [(p.chain, p.seq, p.kind)
                                             for p in verify_all(against=doc)[1]]


def test_the_daily_job_is_registered_and_idempotent() -> None:
    assert PERIODIC["audit.checkpoint"].every == timedelta(days=1)
    _entries(2)
    assert tasks.checkpoint.call() == 1
    assert tasks.checkpoint.call() == 0  # nothing appended since
    _entries(1)
    assert tasks.checkpoint.call() == 2
    assert AuditCheckpoint.objects.get(number=2).prev_mac == AuditCheckpoint.objects.get(
        number=1).mac


def test_an_overdue_checkpoint_is_a_warning() -> None:
    assert checkpoint_overdue() is False
    _entries(1)
    assert checkpoint_overdue() is True
    take_checkpoint(at=timezone.now() - timedelta(days=3))
    _entries(1)
    overdue = checkpoint_overdue()
    assert isinstance(overdue, AuditCheckpoint) and overdue.number == 1
    err = StringIO()
    call_command("audit", "verify", stdout=StringIO(), stderr=err)
    assert err.getvalue() == "警告:最近的检查点(1)已超过两天;`shequ worker` 是否在运行?\n"
