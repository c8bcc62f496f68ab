"""Stored words become keys (ADR 0011, ADR 0306).

* ``Membership.end_reason`` held free text (English literals from elections, the
  clicking user's translated "Recalled" from autonomy, whatever was typed by hand): it
  now holds an ``EndReason`` key. Known texts map to their key, anything else to
  ``other``; an empty reason stays empty.
* A de-identified resident's name held the Chinese word 已去标识化: it is now empty, and
  pages say "de-identified" in the reader's language.
* A person's copy of their own data logged its read with a Chinese sentence as the
  reason: it is now empty, and ``IdentityReveal.why`` says it in the reader's language.

Reversing keeps the keys (they are valid values of the old free-text column).
"""

from __future__ import annotations

from typing import Any

from django.db import migrations

KEYS = {"term_ended", "corrected", "recalled", "unfit", "resigned", "transferred",
        "candidate", "dissolved", "other"}
LEGACY = {
    "term ended: new committee": "term_ended",
    "term ended": "term_ended",
    "换届": "term_ended",
    "corrected by re-count": "corrected",
    "recalled": "recalled",
    "罢免": "recalled",
    "罢免通过": "recalled",
    "被罢免": "recalled",
    "辞职": "resigned",
    "调任": "transferred",
    "调动": "transferred",
    "became a candidate": "candidate",
    "body dissolved": "dissolved",
    "撤销": "dissolved",
}


def key_of(text: str) -> str:
    text = (text or "").strip()
    if not text or text in KEYS:
        return text
    return LEGACY.get(text.lower(), LEGACY.get(text, "other"))


def forwards(apps: Any, schema_editor: Any) -> None:
    Membership = apps.get_model("people", "Membership")
    Resident = apps.get_model("people", "Resident")
    IdentityReveal = apps.get_model("people", "IdentityReveal")
    texts = (Membership.objects.exclude(end_reason="").values_list("end_reason", flat=True)
             .distinct())
    for text in list(texts):
        key = key_of(text)
        if key != text:
            Membership.objects.filter(end_reason=text).update(end_reason=key)
    Resident.objects.filter(deidentified_at__isnull=False).exclude(name="").update(name="")
    IdentityReveal.objects.filter(channel="copy", reason="个人信息副本 (PIPL Art. 45)").update(
        reason="")


class Migration(migrations.Migration):

    dependencies = [
        ("people", "0005_reveal_channel_choices"),
    ]

    operations = [
        migrations.RunPython(forwards, migrations.RunPython.noop),
    ]
