"""Residents and households: registration, duplicates, heads, moving out, PII at rest."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.utils import timezone

from shequ.audit.models import AuditEntry
from shequ.authz import SYSTEM
from shequ.core import crypto, ids
from shequ.core.errors import BusinessError, Conflict, Forbidden
from shequ.people import access, facade, services
from shequ.people.enums import AuditAction
from shequ.people.models import IdentityReveal, Resident
from shequ.people.tests.factories import make_identity_number

pytestmark = pytest.mark.django_db


def register(tree: Any, number: str | None = None, **kw: Any) -> Resident:
    args: dict[str, Any] = {"name": "张三", "id_number": number or make_identity_number(date(1980, 1, 2)),
                            "community_code": tree.community.code}
    args.update(kw)
    return services.register_resident(actor=SYSTEM, **args)


def test_register_stores_number_encrypted_hashed_and_masked(tree: Any) -> None:
    number = make_identity_number(date(1985, 3, 9), sex="F")
    res = register(tree, number, phone="13800001234")
    res.refresh_from_db()
    assert number not in res.id_cipher and number not in res.id_hash
    assert res.id_masked == ids.mask_resident_id(number) == number[:6] + "*" * 8 + number[-4:]
    assert crypto.open_sealed(res.id_cipher, context="resident.id") == number
    assert res.birth_date == date(1985, 3, 9) and res.sex == "F"
    assert "13800001234" not in res.phone_cipher and res.phone_last4 == "1234"
    assert facade.resident_by_identity(number.lower()) == res
    entry = AuditEntry.objects.get(action=AuditAction.RESIDENT_REGISTER, object_id=str(res.pk))
    assert entry.action == "people.resident.register" and number not in str(entry.changes)
    assert entry.changes["id_masked"] == res.id_masked


@pytest.mark.parametrize("bad,code", [
    ("51010419800102001", "ric_length"),
    ("510104198013020011", "ric_birth_date"),  # month 13
    ("510104198002300011", "ric_birth_date"),  # 30 February
    ("510104198001020010", "ric_check"),
])
def test_invalid_numbers_are_refused(tree: Any, bad: str, code: str) -> None:
    if code == "ric_check":
        good = make_identity_number(date(1980, 1, 2))
        bad = good[:17] + ("0" if good[17] != "0" else "1")
    with pytest.raises(ids.InvalidId) as exc:
        register(tree, bad)
    assert exc.value.code == code
    assert not Resident.objects.exists()


def test_birth_date_in_the_future_is_impossible(tree: Any) -> None:
    tomorrow = timezone.localdate() + timedelta(days=1)
    with pytest.raises(ids.InvalidId) as exc:
        register(tree, make_identity_number(tomorrow))
    assert exc.value.code == "ric_birth_date"


def test_person_registered_in_another_community_is_refused(tree: Any) -> None:
    number = make_identity_number(date(1970, 6, 1))
    register(tree, number)
    with pytest.raises(Conflict) as exc:
        register(tree, number, community_code=tree.community2.code)
    assert exc.value.code == "registered_elsewhere"
    with pytest.raises(Conflict) as exc:
        register(tree, number)
    assert exc.value.code == "already_registered"
    assert str(exc.value.message) == "此人已在本社区登记。"
    assert Resident.objects.count() == 1


def test_moved_away_person_can_register_elsewhere_without_a_duplicate(tree: Any) -> None:
    number = make_identity_number(date(1970, 6, 1))
    res = register(tree, number)
    services.move_out(actor=SYSTEM, resident=res)
    again = register(tree, number, community_code=tree.community2.code)
    assert again.pk == res.pk and again.moved_out_on is None
    assert again.community_code == tree.community2.code
    assert Resident.objects.count() == 1


def test_household_has_one_head(tree: Any) -> None:
    head = register(tree, household_number="H1", head=True)
    with pytest.raises(Conflict) as exc:
        register(tree, make_identity_number(date(1982, 1, 1)), household_number="H1", head=True)
    assert exc.value.code == "household_has_head"
    member = register(tree, make_identity_number(date(2015, 1, 1)), name="张小", household_number="H1")
    head.household.refresh_from_db()
    assert head.household.head == head and member.household == head.household
    # the head moving away must name a new head while others stay
    with pytest.raises(Conflict) as exc:
        services.move_out(actor=SYSTEM, resident=head)
    assert exc.value.code == "household_head_leaving"
    assert str(exc.value.message) == "户主迁出:请先指定新户主。"
    other = register(tree, make_identity_number(date(1983, 1, 1)), name="李四", household_number="H1")
    services.move_out(actor=SYSTEM, resident=head, new_head=other)
    other.household.refresh_from_db()
    assert other.household.head == other


def test_children_under_14_are_sensitive(tree: Any) -> None:
    today = timezone.localdate()
    child = register(tree, make_identity_number(date(today.year - 5, 1, 1)))
    adult = register(tree, make_identity_number(date(today.year - 30, 1, 1)))
    assert child.is_child and child.is_minor and not adult.is_child


def test_reveal_is_logged_with_who_when_why(tree: Any, make_user: Any) -> None:
    number = make_identity_number(date(1990, 2, 2))
    res = register(tree, number)
    officer = make_user("station_worker", tree.community.code)
    assert services.reveal_identity_number(officer, res, "办理低保申请核验") == number
    log = IdentityReveal.objects.get()
    assert (log.actor, log.reason, log.resident) == (officer, "办理低保申请核验", res)
    assert log.at is not None
    audit = AuditEntry.objects.get(action="people.resident.reveal_id")
    assert audit.actor == officer and audit.changes["reason"] == "办理低保申请核验"
    assert number not in str(audit.changes)


def test_reveal_needs_permission_and_a_reason(tree: Any, make_user: Any) -> None:
    res = register(tree)
    worker = make_user("community_worker", tree.community.code)
    with pytest.raises(Forbidden):
        services.reveal_identity_number(worker, res, "好奇")
    elsewhere = make_user("station_worker", tree.community2.code)
    with pytest.raises(Forbidden):
        services.reveal_identity_number(elsewhere, res, "核验")
    officer = make_user("station_worker", tree.community.code)
    with pytest.raises(BusinessError) as exc:
        services.reveal_identity_number(officer, res, " ")
    assert exc.value.code == "reason_required"
    assert str(exc.value.message) == "请说明需要查看完整号码的理由。"
    # the page asks the same question the service enforces
    assert not access.can_reveal(worker, res) and not access.can_reveal(elsewhere, res)
    assert access.can_reveal(officer, res)
    assert not IdentityReveal.objects.exists()


def test_correction_changes_number_and_keeps_hash_consistent(tree: Any) -> None:
    res = register(tree)
    new = make_identity_number(date(1981, 1, 2))
    services.update_resident(actor=SYSTEM, resident=res, name="张叁", low_income=True)
    services.correct_identity_number(actor=SYSTEM, resident=res, id_number=new,
                                     reason="户口簿核对")
    res.refresh_from_db()
    assert facade.resident_by_identity(new) == res and res.name == "张叁" and res.low_income
    assert res.birth_date == date(1981, 1, 2)


def test_reseal_is_for_operators_only(tree: Any, make_user: Any) -> None:
    with pytest.raises(Forbidden):
        services.reseal_all(actor=make_user("district_admin", "510104"))


def test_key_rotation_reseals_and_old_values_still_open(tree: Any, settings: Any) -> None:
    number = make_identity_number(date(1990, 2, 2))
    res = register(tree, number, phone="13912345678")
    old_key = settings.SHEQU_PII_KEYS
    settings.SHEQU_PII_KEYS = "k2:bmV3LWtleS0yMDI2LXJvdGF0aW9uLXRlc3Q=," + old_key
    res.refresh_from_db()
    assert crypto.needs_reseal(res.id_cipher)
    counts = services.reseal_all(actor=SYSTEM)
    assert counts == {"checked": 1, "resealed": 1}
    res.refresh_from_db()
    assert res.id_cipher.startswith("k2:") and res.phone_cipher.startswith("k2:")
    assert crypto.open_sealed(res.id_cipher, context="resident.id") == number
    assert services.reseal_all(actor=SYSTEM)["resealed"] == 0
    assert facade.resident_by_identity(number) == res  # the hash does not change


def test_retention_deidentifies_moved_away_after_the_period(tree: Any) -> None:
    today = timezone.localdate()
    number = make_identity_number(date(1950, 2, 2))
    old = register(tree, number, phone="13912345678")
    recent = register(tree, make_identity_number(date(1951, 2, 2)))
    services.move_out(actor=SYSTEM, resident=old, on=today - timedelta(days=4 * 366))
    services.move_out(actor=SYSTEM, resident=recent, on=today - timedelta(days=30))
    assert services.run_retention(actor=SYSTEM, dry_run=True) == 1
    from shequ.people.tasks import retention

    retention.enqueue()  # immediate backend in tests: runs now
    old.refresh_from_db()
    recent.refresh_from_db()
    assert old.deidentified_at is not None and recent.deidentified_at is None
    assert old.name == "" and not old.id_cipher and not old.phone_cipher
    assert str(old) == "已去标识化" and access.present(SYSTEM, old)["name"] == "已去标识化"
    assert old.birth_date == date(1950, 1, 1)
    assert facade.resident_by_identity(number) is None
    assert services.run_retention(actor=SYSTEM) == 0  # idempotent
    assert AuditEntry.objects.filter(action="people.resident.retention").count() == 1


def test_facade_functions_still_work(tree: Any) -> None:
    on = timezone.localdate()
    adult = register(tree, make_identity_number(date(1980, 1, 1)))
    register(tree, make_identity_number(date(on.year - 10, 1, 1)))
    assert list(facade.eligible_voters(tree.community.code, on)) == [adult]
    assert facade.residents_of(tree.community.code).count() == 2
