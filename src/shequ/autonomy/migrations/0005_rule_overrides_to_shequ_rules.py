"""Local rule values move to the one rule store, ``shequ.rules`` (ADR 0011, ADR 0505):
each ``autonomy.RuleOverride`` row becomes a ``rules.RuleOverride`` row of module
``autonomy``, then the autonomy table goes."""

from django.db import migrations


def copy_to_rules(apps, schema_editor):
    Old = apps.get_model("autonomy", "RuleOverride")
    New = apps.get_model("rules", "RuleOverride")
    for row in Old.objects.all().order_by("pk"):
        New.objects.update_or_create(
            module="autonomy", profile=row.profile, key=row.key, area_code=row.area_code,
            defaults={"value": row.value, "citation": row.citation,
                      "reason": "autonomy.RuleOverride"})


def copy_back(apps, schema_editor):
    Old = apps.get_model("autonomy", "RuleOverride")
    New = apps.get_model("rules", "RuleOverride")
    for row in New.objects.filter(module="autonomy").order_by("pk"):
        Old.objects.update_or_create(
            profile=row.profile, key=row.key, area_code=row.area_code,
            defaults={"value": row.value[:30], "citation": row.citation})


class Migration(migrations.Migration):

    dependencies = [
        ("autonomy", "0004_recallpetition_via_alter_recallpetition_voters"),
        ("rules", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(copy_to_rules, copy_back),
        migrations.DeleteModel(name="RuleOverride"),
    ]
