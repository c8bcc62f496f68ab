"""Case search by index (issue 18, ADR 0027), PostgreSQL only: pg_trgm and two GIN
trigram indexes, one on the case number, one on the applicant's name with a space around
every character (so that one or two Chinese characters have trigrams to look up). The
expression must stay the one ``selectors._Spaced`` writes. Built ``CONCURRENTLY`` (the
migration is not atomic): at a province's millions of cases the build takes minutes and
must not stop the desks filing cases meanwhile."""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

SPACED = "(' ' || regexp_replace(applicant_name, '(.)', '\\1 ', 'g'))"
INDEXES = {
    "case_number_trgm": "number",
    "case_name_trgm": SPACED,
}


def statements(concurrently: bool = True) -> list[str]:
    """The indexes' DDL (the tests, built from the models, run it in their transaction)."""
    how = "CONCURRENTLY " if concurrently else ""
    return [f"CREATE INDEX {how}IF NOT EXISTS {name} ON services_case "
            f"USING gin (({expression}) gin_trgm_ops)" for name, expression in INDEXES.items()]


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for sql in statements():
        schema_editor.execute(sql)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {name}")


class Migration(migrations.Migration):

    atomic = False

    dependencies = [("services", "0011_merge_db_defaults_export_columns")]

    operations = [TrigramExtension(), migrations.RunPython(create, drop)]
