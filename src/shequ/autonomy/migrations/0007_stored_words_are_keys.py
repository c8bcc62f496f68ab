"""Stored words become keys (ADR 0011): text that a page once wrote in the clicking user's
language is replaced by what it stood for, where that can be told for certain.

- A calendar disclosure's title was "<community> <category label> <YYYY-MM>–<YYYY-MM>" in
  the language of whoever planned it; it is emptied (the heading is now made from category
  and period when shown).
- A membership ended by a passed recall had the end reason "Recalled" or "罢免通过"; it
  becomes the key ``recalled`` (``people.enums.EndReason``).
"""

from django.db import migrations

CATEGORY_WORDS = {"finance": ("Finances", "财务收支"), "affairs": ("Community affairs", "居务事项")}
RECALLED_WORDS = ("Recalled", "罢免通过")


def _period(row):
    return f"{row.period_start:%Y-%m}–{row.period_end:%Y-%m}"


def forward(apps, schema_editor):
    Disclosure = apps.get_model("autonomy", "Disclosure")
    RecallPetition = apps.get_model("autonomy", "RecallPetition")
    Membership = apps.get_model("people", "Membership")
    clear = []
    for row in Disclosure.objects.filter(category__in=list(CATEGORY_WORDS)).exclude(title=""):
        if any(row.title.endswith(f" {word} {_period(row)}") for word in CATEGORY_WORDS[row.category]):
            clear.append(row.pk)
    for start in range(0, len(clear), 500):
        Disclosure.objects.filter(pk__in=clear[start:start + 500]).update(title="")
    recalled = RecallPetition.objects.filter(outcome="recalled", membership__isnull=False
                                             ).values_list("membership_id", flat=True)
    Membership.objects.filter(pk__in=list(recalled), end_reason__in=RECALLED_WORDS
                              ).update(end_reason="recalled")


def backward(apps, schema_editor):
    Disclosure = apps.get_model("autonomy", "Disclosure")
    RecallPetition = apps.get_model("autonomy", "RecallPetition")
    Membership = apps.get_model("people", "Membership")
    Area = apps.get_model("areas", "Area")
    names = {}
    for row in Disclosure.objects.filter(category__in=list(CATEGORY_WORDS), title=""):
        if row.community_code not in names:
            names[row.community_code] = (Area.objects.filter(code=row.community_code)
                                         .values_list("name", flat=True).first() or "")
        row.title = f"{names[row.community_code]} {CATEGORY_WORDS[row.category][1]} {_period(row)}"
        row.save(update_fields=["title"])
    recalled = RecallPetition.objects.filter(outcome="recalled", membership__isnull=False
                                             ).values_list("membership_id", flat=True)
    Membership.objects.filter(pk__in=list(recalled), end_reason="recalled"
                              ).update(end_reason=RECALLED_WORDS[1])


class Migration(migrations.Migration):

    dependencies = [
        ("autonomy", "0006_lifecycle_states"),
        ("people", "0005_reveal_channel_choices"),
        ("areas", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(forward, backward),
    ]
