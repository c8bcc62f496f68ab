from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from shequ.audit.models import AuditChain, AuditEntry
from shequ.audit.services import chain_for, record
from shequ.audit.verify import verify_all
from shequ.authz import SYSTEM


def _entries(n: int, area: str = "510104022009") -> None:
    for i in range(n):
        record(actor=SYSTEM, action="test.write", object_type="x", object_id=str(i),
               area_code=area, changes={"i": i})


@pytest.mark.django_db
def test_chain_per_street() -> None:
    assert chain_for("510104022009001") == "510104022"
    assert chain_for("510104") == "510104"
    assert chain_for("") == "global"
    _entries(3)
    _entries(2, area="510104037001")
    assert AuditChain.objects.get(key="510104022").last_seq == 3
    assert AuditChain.objects.get(key="510104037").last_seq == 2
    count, problems = verify_all()
    assert (count, problems) == (5, [])


@pytest.mark.django_db
def test_altered_entry_is_reported() -> None:
    _entries(3)
    AuditEntry.objects.filter(seq=2).update(changes={"i": 99})
    _count, problems = verify_all()
    assert [(p.seq, p.kind) for p in problems] == [(2, "altered")]


@pytest.mark.django_db
def test_removed_entry_is_reported() -> None:
    _entries(4)
    AuditEntry.objects.filter(seq=2).delete()
    _count, problems = verify_all()
    assert ("removed" in {p.kind for p in problems})


@pytest.mark.django_db
def test_removed_tail_is_reported() -> None:
    _entries(4)
    AuditEntry.objects.filter(seq=4).delete()
    _count, problems = verify_all()
    assert [p.kind for p in problems] == ["truncated"]


@pytest.mark.django_db
def test_reordered_entries_are_reported() -> None:
    _entries(3)
    a = AuditEntry.objects.get(seq=1)
    b = AuditEntry.objects.get(seq=2)
    # swap their sequence numbers (and so their order)
    AuditEntry.objects.filter(pk=a.pk).update(seq=-1)
    AuditEntry.objects.filter(pk=b.pk).update(seq=1)
    AuditEntry.objects.filter(pk=a.pk).update(seq=2)
    _count, problems = verify_all()
    assert problems
    assert {p.seq for p in problems} >= {1}


@pytest.mark.django_db
def test_verify_command_exit_codes() -> None:
    _entries(2)
    out = StringIO()
    call_command("audit", "verify", stdout=out)
    assert "2" in out.getvalue()
    AuditEntry.objects.filter(seq=1).update(action="test.forged")
    with pytest.raises(CommandError):
        call_command("audit", "verify", stdout=StringIO(), stderr=StringIO())


@pytest.mark.django_db
def test_failed_use_case_leaves_no_entry() -> None:
    from django.db import transaction

    with pytest.raises(RuntimeError), transaction.atomic():
        record(actor=SYSTEM, action="test.write", area_code="510104")
        raise RuntimeError("use case failed after writing")
    assert not AuditEntry.objects.exists()


@pytest.mark.django_db
def test_deleting_a_user_leaves_their_entries_and_the_chain_intact(make_user: object) -> None:
    user = make_user("street_officer", "510104022")  # type: ignore[operator]
    record(actor=user, action="test.write", area_code="510104022009", changes={})
    user_id = user.pk
    user.delete()
    entry = AuditEntry.objects.get(action="test.write")
    assert entry.actor_id == user_id and entry.actor_name == user.username
    assert verify_all() == (1, [])
