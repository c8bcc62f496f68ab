"""core.rows writes the same row as save() would, and never skips a signal."""

from __future__ import annotations

from typing import Any

import pytest
from django.db.models.signals import post_save

from shequ.accounts.models import User
from shequ.audit.models import AuditEntry
from shequ.core import rows
from shequ.core.models import CalendarYear

pytestmark = pytest.mark.django_db


def _columns(obj: Any) -> dict[str, Any]:
    fields = [f.attname for f in type(obj)._meta.concrete_fields]
    return type(obj).objects.filter(pk=obj.pk).values(*fields).get()


def test_insert_matches_save_including_defaults_json_and_keys() -> None:
    user = User.objects.create(username="wang")
    kwargs = {"chain": "510104022", "seq": 1, "actor_id": user.pk, "actor_name": "王",
              "action": "x.y", "object_type": "t", "object_id": "1", "area_code": "510104022009",
              "changes": {"名字": ["甲", "乙"], "n": 3}, "prev_hash": "", "hash": "h"}
    from django.utils import timezone

    now = timezone.now()
    fast = rows.insert(AuditEntry(at=now, **kwargs))
    kwargs["seq"] = 2
    slow = AuditEntry(at=now, **kwargs)
    slow.save()
    assert fast.pk is not None and fast.pk != slow.pk and not fast._state.adding
    a, b = _columns(fast), _columns(slow)
    a.pop("id"), b.pop("id"), a.pop("seq"), b.pop("seq")
    assert a == b
    assert AuditEntry.objects.get(pk=fast.pk).changes == {"名字": ["甲", "乙"], "n": 3}


def test_insert_with_a_given_key() -> None:
    year = rows.insert(CalendarYear(year=2031, source="test"))
    stored = CalendarYear.objects.get(pk=2031)
    assert stored.entered_at is not None and stored.entered_at == year.entered_at


def test_a_listened_model_goes_through_save_so_signals_run() -> None:
    seen: list[str] = []

    def listener(sender: Any, instance: User, created: bool, **kwargs: Any) -> None:
        seen.append(instance.username)

    post_save.connect(listener, sender=User, dispatch_uid="test_rows")
    try:
        rows.insert(User(username="li"))
    finally:
        post_save.disconnect(sender=User, dispatch_uid="test_rows")
    assert seen == ["li"] and User.objects.filter(username="li").exists()


def test_insert_all_writes_every_row_in_one_statement_on_postgresql() -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    now = timezone.now()
    entries = [AuditEntry(chain="c", seq=n, at=now, action="a", changes={"n": n}, prev_hash="",
                          hash=str(n)) for n in (1, 2, 3)]
    with CaptureQueriesContext(connection) as ctx:
        rows.insert_all([*entries, CalendarYear(year=2032, source="s")])
    assert len(ctx) == (1 if connection.vendor == "postgresql" else 4)
    assert sorted(AuditEntry.objects.values_list("changes", flat=True), key=str) == [
        {"n": 1}, {"n": 2}, {"n": 3}]
    assert CalendarYear.objects.get(pk=2032).entered_at is not None


def test_insert_all_fails_whole() -> None:
    from django.db import IntegrityError, transaction
    from django.utils import timezone

    now = timezone.now()

    def entry(seq: int) -> AuditEntry:
        return AuditEntry(chain="c", seq=seq, at=now, action="a", prev_hash="", hash="h")

    with pytest.raises(IntegrityError), transaction.atomic():
        rows.insert_all([entry(1), entry(1)])  # the chain's sequence is unique
    assert not AuditEntry.objects.exists()


def test_a_model_with_its_own_save_goes_through_it() -> None:
    """elections.Result overrides save() (announced results are immutable)."""
    from shequ.elections.models import Result

    assert not rows._plain(Result)
    with pytest.raises(ValueError):
        rows.insert_sql(Result())
