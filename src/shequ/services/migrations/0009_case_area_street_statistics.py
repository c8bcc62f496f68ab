"""Extended statistics: a case's street is a function of its area (the first 9 digits),
so PostgreSQL must not multiply the two selectivities. Without this a community's list
(``street_code = … AND area_code = …``) is estimated at 1/80 of its rows and planned as a
bitmap scan plus a sort instead of the ordered ``case_area_recent`` (85 ms → 4 ms at
5 million cases; ADR 0025). PostgreSQL only."""

from django.db import migrations


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("CREATE STATISTICS IF NOT EXISTS case_area_street (dependencies) "
                              "ON area_code, street_code FROM services_case")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP STATISTICS IF EXISTS case_area_street")


class Migration(migrations.Migration):

    dependencies = [("services", "0008_merge_0006_issue11_law_0007_open_street_index")]

    operations = [migrations.RunPython(create, drop)]
