"""The statistics rollups count the open, overdue cases too (ADR 0026): the column, then
its figures from the cases' current status, so a site shows them without a rebuild."""

from django.db import migrations, models
from django.db.models import Count
from django.db.models.functions import TruncMonth
from django.utils import timezone


def fill_status(apps, status: str) -> None:  # type: ignore[no-untyped-def]
    """Set the rollup column named ``status`` to the cases whose status it is (0018 uses
    it for "warning")."""
    Case = apps.get_model("services", "Case")
    StatRollup = apps.get_model("services", "StatRollup")
    rows = (Case.objects.filter(sla=status).order_by()
            .annotate(month=TruncMonth("submitted_at"))
            .values("street_code", "item_id", "department_id", "version__department", "month")
            .annotate(n=Count("id")))
    totals: dict[tuple, int] = {}
    for r in rows.iterator(chunk_size=5000):
        month = r["month"]
        if hasattr(month, "date"):
            month = timezone.localtime(month).date() if timezone.is_aware(month) else month.date()
        dept = (r["department_id"], "") if r["department_id"] else (0, r["version__department"])
        key = (r["street_code"], r["item_id"], *dept, month)
        totals[key] = totals.get(key, 0) + r["n"]
    for (street, item, dept, name, month), n in totals.items():
        updated = StatRollup.objects.filter(street_code=street, item_id=item,
                                            handling_department=dept, department=name,
                                            month=month).update(**{status: n})
        if not updated:  # rollups behind the cases: the row the rebuild would write
            StatRollup.objects.create(street_code=street, item_id=item, handling_department=dept,
                                      department=name, month=month, **{status: n})


def count_overdue(apps, schema_editor):  # type: ignore[no-untyped-def]
    fill_status(apps, "overdue")


class Migration(migrations.Migration):

    dependencies = [
        ('services', '0014_merge_case_search'),
    ]

    operations = [
        migrations.AddField(
            model_name='statrollup',
            name='overdue',
            field=models.IntegerField(db_default=0, default=0, help_text='Open cases whose status is overdue, now.'),
        ),
        migrations.RunPython(count_overdue, migrations.RunPython.noop, elidable=True),
    ]
