"""Commands run before the database exists (issue 13 item 10): the embedded default sets
itself up; a named database that is missing or unreachable gets one line of advice."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[4]


def _shequ(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items()
             if not k.startswith(("SHEQU_", "DJANGO_")) and k != "DATABASE_URL"}
    return subprocess.run([sys.executable, "-m", "shequ.cli", *args], cwd=REPO,
                          env={**clean, **env}, capture_output=True, text=True, timeout=300,
                          check=False)


def test_first_command_on_the_embedded_default_sets_the_database_up(tmp_path: Path) -> None:
    r = _shequ("workdays", "add", "2025-09-30", "20", SHEQU_DATA_DIR=str(tmp_path))
    assert (r.returncode, r.stdout) == (0, "2025-11-04\n"), r.stderr
    assert r.stderr == f"正在建立数据库 {tmp_path / 'shequ.sqlite3'}(首次运行)……\n"
    r = _shequ("workdays", "add", "2025-09-30", "20", SHEQU_DATA_DIR=str(tmp_path))
    assert (r.returncode, r.stdout, r.stderr) == (0, "2025-11-04\n", "")


def test_a_named_database_without_tables_says_what_to_run(tmp_path: Path) -> None:
    r = _shequ("workdays", "add", "2025-09-30", "20",
               DATABASE_URL=f"sqlite:///{tmp_path}/named.sqlite3")
    assert r.returncode == 1 and "Traceback" not in r.stderr
    assert r.stderr.startswith("CommandError: 数据库尚未建立或不是最新(有 ")
    assert r.stderr.endswith("个迁移待应用):请先运行 `shequ migrate`,再运行此命令。\n")


def test_an_unreachable_database_is_one_line(tmp_path: Path) -> None:
    r = _shequ("audit", "verify", DATABASE_URL="postgres://postgres@127.0.0.1:9/nowhere")
    assert r.returncode == 1 and "Traceback" not in r.stderr
    assert r.stderr.startswith("CommandError: 无法连接数据库(")
