"""Stored words are keys: the data migration that turns old free-text end reasons, the
de-identified name and the own-copy reason into keys (or nothing), and the pages that
say them in the reader's language."""

from __future__ import annotations

from datetime import date
from importlib import import_module
from typing import Any

import pytest
from django.apps import apps
from django.test import Client
from django.utils import translation

from shequ.authz import SYSTEM
from shequ.people import services
from shequ.people.models import Body, IdentityReveal, Membership, Post, RevealChannel
from shequ.people.tests.factories import make_identity_number, make_resident

pytestmark = pytest.mark.django_db
migration = import_module("shequ.people.migrations.0006_stored_words_to_keys")


@pytest.mark.parametrize(("text", "key"), [
    ("term ended: new committee", "term_ended"),
    ("corrected by re-count", "corrected"),
    ("became a candidate", "candidate"),
    ("body dissolved", "dissolved"),
    ("罢免通过", "recalled"),
    ("Recalled", "recalled"),
    ("调任", "transferred"),
    ("resigned", "resigned"),
    ("家里有事", "other"),
    ("", ""),
])
def test_old_texts_map_to_keys(text: str, key: str) -> None:
    assert migration.key_of(text) == key


def test_the_data_migration_rewrites_rows(tree: Any) -> None:
    body = Body.objects.create(kind="party", name="党委", area_code=tree.community.code)
    post = Post.objects.create(body=body, role="member", label="委员", seats=9)
    for text in ("body dissolved", "罢免通过", "家里有事", "", "resigned"):
        Membership.objects.create(body=body, post=post, person_name=text or "无", end_reason=text,
                                  start_date=date(2021, 1, 1))
    gone = make_resident(tree.community.code, name="已去标识化")
    services.deidentify(actor=SYSTEM, resident=gone, reason="测试")
    type(gone).objects.filter(pk=gone.pk).update(name="已去标识化")  # as the old code left it
    person = make_resident(tree.community.code, name="副本人")
    IdentityReveal.objects.create(resident=person, actor_name="jumin", channel="copy",
                                  reason="个人信息副本 (PIPL Art. 45)", area_code=person.area_code)
    migration.forwards(apps, None)
    assert sorted(Membership.objects.values_list("end_reason", flat=True)) == [
        "", "dissolved", "other", "recalled", "resigned"]
    gone.refresh_from_db()
    assert gone.name == "" and str(gone) == "已去标识化"
    assert IdentityReveal.objects.get().reason == ""
    migration.forwards(apps, None)  # idempotent
    assert Membership.objects.filter(end_reason="other").count() == 1


def test_an_own_copy_read_is_explained_in_the_readers_language(tree: Any, make_user: Any) -> None:
    user = make_user("resident", tree.community.code)
    resident = services.register_resident(
        actor=SYSTEM, name="副本人", id_number=make_identity_number(date(1981, 1, 1), serial=361),
        community_code=tree.community.code)
    services.link_user(actor=SYSTEM, resident=resident, user=user)
    services.copy_of_own_data(actor=user, resident=resident)
    read = IdentityReveal.objects.get()
    assert (read.channel, read.reason) == (RevealChannel.COPY, "")
    assert read.why == "本人信息副本（个人信息保护法第四十五条）"
    with translation.override("en"):
        assert read.why == "Copy of one's own data (PIPL Art. 45)"
    officer = Client()
    officer.force_login(make_user("civil_affairs", tree.district.code))
    page = officer.get(f"/people/residents/{resident.pk}/").content.decode()
    assert "本人信息副本（个人信息保护法第四十五条）" in page


def test_a_de_identified_record_is_named_in_the_readers_language(tree: Any, make_user: Any) -> None:
    resident = make_resident(tree.community.code, name="将删除")
    services.deidentify(actor=SYSTEM, resident=resident, reason="本人申请删除")
    resident.refresh_from_db()
    assert resident.name == ""
    c = Client()
    c.force_login(make_user("civil_affairs", tree.district.code))
    assert "<h1>已去标识化" in c.get(f"/people/residents/{resident.pk}/").content.decode()
    with translation.override("en"):
        assert str(resident) == "De-identified"
