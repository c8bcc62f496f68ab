"""The export row serves the case work list too (issue 12): ``kind`` says which workbook."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('services', '0011_merge_db_defaults_export_columns'),
    ]

    operations = [
        migrations.AddField(
            model_name='statexport',
            name='kind',
            field=models.CharField(choices=[('statistics', 'Statistics'), ('cases', 'Case list')],
                                   default='statistics', max_length=10),
        ),
    ]
