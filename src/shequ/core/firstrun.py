"""The ``shequ`` command before the database exists (issue 13 item 10, ADR 0018).

On the embedded default (no ``DATABASE_URL``: a SQLite file under ``SHEQU_DATA_DIR``) the
first command that needs the database creates it (``migrate``), as ``make demo`` would,
so ``shequ workdays add 2025-09-30 20`` works right after installing. A database named by
``DATABASE_URL`` is never changed by surprise: a command that finds it missing, empty or
behind the code answers with what to run instead of a traceback.
"""

from __future__ import annotations

import os
import sqlite3
import sys
from pathlib import Path

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.utils import Error as DatabaseError
from django.utils.translation import gettext as _

# Commands that do not read the application's tables (or set them up themselves).
NO_DATABASE = frozenset({
    "help", "version", "check", "makemigrations", "migrate", "showmigrations", "sqlmigrate",
    "squashmigrations", "openapi", "collectstatic", "compilemessages", "makemessages", "keys",
    "ids", "diffsettings", "test", "dbshell", "startapp", "startproject", "demo"})


def _embedded() -> Path | None:
    db = settings.DATABASES[DEFAULT_DB_ALIAS]
    if "DATABASE_URL" in os.environ or db["ENGINE"] != "django.db.backends.sqlite3":
        return None
    return Path(db["NAME"])


def _has_tables(path: Path) -> bool:
    if not path.exists() or path.stat().st_size == 0:
        return False
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as con:
        return con.execute("SELECT 1 FROM sqlite_master WHERE name = 'django_migrations'"
                           ).fetchone() is not None


def prepare(command: str) -> None:
    """Before ``command`` runs: set up the embedded database if it does not exist yet."""
    if command in NO_DATABASE:
        return
    path = _embedded()
    if path is None or _has_tables(path):
        return
    from django.core.management import call_command

    sys.stderr.write(_("Setting up the database %(p)s (first run)…") % {"p": path} + "\n")
    call_command("migrate", interactive=False, verbosity=0)


def explain(exc: DatabaseError) -> str | None:
    """What to do about a database error a command met, or ``None`` if it is not about a
    database that is missing, unreachable or behind the code."""
    connection = connections[DEFAULT_DB_ALIAS]
    try:
        connection.close()
        connection.ensure_connection()
    except DatabaseError as cause:
        return _("Cannot connect to the database (%(e)s). Check DATABASE_URL and that the "
                 "server is running.") % {"e": str(cause).strip().splitlines()[0]}
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if not pending:
        return None
    return _("The database is not set up or not up to date (%(n)d migration(s) to apply): run "
             "`shequ migrate`, then this command again.") % {"n": len(pending)}
