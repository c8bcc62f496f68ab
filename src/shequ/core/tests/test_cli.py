from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError


def run(*args: str) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue().strip()


@pytest.mark.django_db
def test_workdays_add_and_between() -> None:
    assert run("workdays", "add", "2025-09-30", "20") == "2025-11-04"
    assert run("workdays", "between", "2025-09-30", "2025-11-04") == "20"


@pytest.mark.django_db
def test_workdays_unknown_year_is_an_error() -> None:
    with pytest.raises(CommandError, match="2027"):
        run("workdays", "add", "2026-12-20", "20")


@pytest.mark.django_db
def test_workdays_enter_year_from_a_notice_file(tmp_path: Path) -> None:
    notice = tmp_path / "2027.json"
    notice.write_text(json.dumps({
        "year": 2027, "source": "国务院办公厅关于2027年部分节假日安排的通知(示例)",
        "holidays": [["2027-01-01", "2027-01-03", "元旦"]], "workdays": ["2027-01-09"]}))
    run("workdays", "enter-year", str(notice))
    assert run("workdays", "add", "2026-12-31", "1") == "2027-01-04"
    assert run("workdays", "is", "2027-01-09") in ("yes", "是")


@pytest.mark.django_db
def test_workdays_bad_date() -> None:
    with pytest.raises(CommandError):
        run("workdays", "add", "2025-02-30", "1")


def test_ids_check_valid_and_invalid() -> None:
    assert "1949-12-31" in run("ids", "check", "11010519491231002X")
    with pytest.raises(CommandError) as err:
        run("ids", "check", "110105194912310021")
    assert "GB 11643" in str(err.value)
    assert "GB 32100" in run("ids", "check", "91350100M000100Y43")
    with pytest.raises(CommandError):
        run("ids", "check", "91350100M000100Y44")


def test_ids_check_exit_code_through_the_console_script() -> None:
    import subprocess
    import sys

    ok = subprocess.run([sys.executable, "-m", "shequ.cli", "ids", "check", "11010519491231002X"],
                        capture_output=True, text=True, check=False)
    bad = subprocess.run([sys.executable, "-m", "shequ.cli", "ids", "check", "110105194912310021"],
                         capture_output=True, text=True, check=False)
    assert ok.returncode == 0, ok.stderr
    assert bad.returncode != 0
    assert bad.stderr.strip() == ("CommandError: 公民身份号码(GB 11643):无效。"
                                  "校验码错误(GB 11643-1999,ISO 7064 MOD 11-2)。")
