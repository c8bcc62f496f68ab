"""The rollups count the cases near their deadline too (ADR 0025, 0026 amended): the
console's "warning" card reads them as it reads "overdue"; filled from the cases' current
status, so a site shows them without a rebuild."""

import importlib

from django.db import migrations, models


def count_warning(apps, schema_editor):  # type: ignore[no-untyped-def]
    importlib.import_module("shequ.services.migrations.0015_statrollup_overdue").fill_status(
        apps, "warning")


class Migration(migrations.Migration):

    dependencies = [
        ('services', '0017_case_alert_area'),
    ]

    operations = [
        migrations.AddField(
            model_name='statrollup',
            name='warning',
            field=models.IntegerField(db_default=0, default=0, help_text='Open cases whose status is warning (near their deadline), now.'),
        ),
        migrations.RunPython(count_warning, migrations.RunPython.noop, elidable=True),
    ]
