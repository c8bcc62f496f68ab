"""The worker command runs queued tasks from the database backend (the demo's and a small
deployment's set-up), and the SQLite default runs in WAL mode."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from datetime import timedelta
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


@pytest.mark.django_db(transaction=True)
def test_worker_runs_a_queued_task() -> None:
    from shequ.accounts.models import LoginFailure
    from shequ.accounts.tasks import prune_login_failures

    old = LoginFailure.objects.create(name_key="x")
    LoginFailure.objects.filter(pk=old.pk).update(at=timezone.now() - timedelta(days=2))
    with override_settings(TASKS=DB_TASKS):
        result = prune_login_failures.enqueue()
        assert LoginFailure.objects.exists()  # queued, not run yet
        call_command("worker", "--max-tasks", "1", "--tick", "3600", stdout=StringIO(),
                     stderr=StringIO())
        result.refresh()
        assert result.status == "SUCCESSFUL"
    assert not LoginFailure.objects.exists()


def test_default_sqlite_database_uses_wal(tmp_path: Path) -> None:
    env: dict[str, Any] = {"SHEQU_DATA_DIR": str(tmp_path), "PATH": "/usr/bin:/bin",
                           "DJANGO_SETTINGS_MODULE": "shequ.settings"}
    code = ("import django; django.setup(); from django.db import connection; "
            "connection.cursor().execute('select 1')")
    subprocess.run([sys.executable, "-c", code], env=env, check=True, cwd=tmp_path)
    db = tmp_path / "shequ.sqlite3"
    assert db.exists()
    assert sqlite3.connect(db).execute("PRAGMA journal_mode").fetchone()[0] == "wal"
