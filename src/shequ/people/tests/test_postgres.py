"""PostgreSQL only: the pipelined import (a writer thread with its own connection) and
the look-up plan."""

from __future__ import annotations

import io
from datetime import date
from typing import Any

import pytest
from django.db import connection

from shequ.audit.models import AuditEntry
from shequ.authz import SYSTEM
from shequ.core import crypto
from shequ.people import importer, services
from shequ.people.enums import AuditAction
from shequ.people.models import Household, Resident
from shequ.people.tests.factories import make_identity_number


def _file(community: str, n: int, bad_line: int | None = None) -> str:
    lines = ["姓名,公民身份号码,社区代码,户号,户主"]
    for i in range(n):
        number = make_identity_number(date(1950 + i % 50, 1 + i % 12, 1 + i % 28), serial=i)
        if bad_line is not None and i + 2 == bad_line:
            number = number[:10] + "13" + number[12:]  # month 13
        lines.append(f"居民{i},{number},{community},P{i // 2},{'是' if i % 2 == 0 else '否'}")
    return "\n".join(lines) + "\n"


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_pipelined_import_outside_a_transaction(tree: Any) -> None:
    assert not connection.in_atomic_block
    text = _file(tree.community.code, 25, bad_line=14)
    rows = importer.read_csv(io.StringIO(text, newline=""))
    report = services.import_residents(actor=SYSTEM, rows=rows, batch_size=5)
    assert report.batches == 5 and report.batches_rejected == 1
    # the writer had written two batches in its transaction: rolled back, nothing kept
    assert report.created == 0 and not Resident.objects.exists()
    assert not Household.objects.exists() and not AuditEntry.objects.filter(
        action=AuditAction.RESIDENT_IMPORT).exists()
    assert [(e.line, e.code) for e in report.errors] == [(14, "ric_birth_date")]
    text = _file(tree.community.code, 25)
    report = services.import_residents(actor=SYSTEM, batch_size=5,
                                       rows=importer.read_csv(io.StringIO(text, newline="")))
    assert (report.created, report.updated) == (25, 0) and Resident.objects.count() == 25
    assert Household.objects.filter(head__isnull=False).count() == 13
    entry = AuditEntry.objects.get(action=AuditAction.RESIDENT_IMPORT)
    assert entry.changes["rows"] == 25 and entry.changes["lines"] == [2, 26]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_pipelined_import_keeps_sensitive_fields_for_a_worker(tree: Any, make_user: Any
                                                              ) -> None:
    text = _file(tree.community.code, 6).replace("户主\n", "户主,低保\n", 1)
    lines = text.splitlines()
    lines = [lines[0]] + [ln + (",是" if i == 0 else ",") for i, ln in enumerate(lines[1:])]
    report = services.import_residents(actor=SYSTEM, batch_size=2,
                                       rows=importer.read_csv(io.StringIO("\n".join(lines))))
    assert report.ok and Resident.objects.filter(low_income=True).count() == 1
    worker = make_user("community_worker", tree.community.code)
    plain = [lines[0]] + [ln.rsplit(",", 1)[0] + "," for ln in lines[1:]]
    report = services.import_residents(actor=worker, batch_size=2,
                                       rows=importer.read_csv(io.StringIO("\n".join(plain))))
    assert report.ok and report.updated == 6
    assert Resident.objects.filter(low_income=True).count() == 1


@pytest.mark.postgres
@pytest.mark.django_db
def test_lookup_uses_the_hash_index(tree: Any) -> None:
    number = make_identity_number(date(1980, 1, 1), serial=999)
    services.register_resident(actor=SYSTEM, name="甲", id_number=number,
                               community_code=tree.community.code)
    with connection.cursor() as cur:
        cur.execute("SET LOCAL enable_seqscan = off")
        cur.execute("EXPLAIN SELECT * FROM people_resident WHERE id_hash = %s",
                    [crypto.lookup_hash(number)])
        plan = " ".join(r[0] for r in cur.fetchall())
    assert "resident_id_hash_unique" in plan


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_pipelined_import_interrupted_writes_nothing(tree: Any) -> None:
    text = _file(tree.community.code, 12)

    def rows() -> Any:
        yield from importer.read_csv(io.StringIO(text, newline=""))
        raise RuntimeError("the upload broke off")

    with pytest.raises(RuntimeError):
        services.import_residents(actor=SYSTEM, rows=rows(), batch_size=3)
    assert not Resident.objects.exists() and not Household.objects.exists()
