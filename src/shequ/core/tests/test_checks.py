"""Production refuses public keys (issue 13 item 4, ADR 0013)."""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from shequ.core.checks import keys_and_environment
from shequ.core.logs import JsonFormatter

REPO = Path(__file__).resolve().parents[4]
GOOD = {
    "SHEQU_SECRET_KEY": "tEst-only-Q7vX2mK9pL4sN8rB3wY6zC1dF5gH0jA-secret-key-0123",
    "SHEQU_AUDIT_KEY": "audit-key-of-this-site-0123456789abcdef",
    "SHEQU_PII_KEYS": "k1:" + "QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVphYmNkZWY=",
    "SHEQU_PII_HASH_KEY": "lookup-key-of-this-site-0123456789abcdef",
}


def _ids(settings: Any, **overrides: Any) -> list[str]:
    for name, value in overrides.items():
        setattr(settings, name, value)
    return [e.id for e in keys_and_environment()]


def _production(settings: Any) -> None:
    settings.SHEQU_ENV = "production"
    settings.DEBUG = False
    settings.SECRET_KEY = GOOD["SHEQU_SECRET_KEY"]
    settings.SHEQU_AUDIT_KEY = GOOD["SHEQU_AUDIT_KEY"]
    settings.SHEQU_PII_KEYS = GOOD["SHEQU_PII_KEYS"]
    settings.SHEQU_PII_HASH_KEY = GOOD["SHEQU_PII_HASH_KEY"]


def test_development_accepts_the_public_keys(settings: Any) -> None:
    assert settings.SHEQU_ENV == "development"
    assert _ids(settings) == []


def test_production_with_its_own_keys_is_clean(settings: Any) -> None:
    _production(settings)
    assert _ids(settings) == []


@pytest.mark.parametrize(("setting", "check_id"), [
    ("SECRET_KEY", "shequ.E010"), ("SHEQU_AUDIT_KEY", "shequ.E011"),
    ("SHEQU_PII_KEYS", "shequ.E012"), ("SHEQU_PII_HASH_KEY", "shequ.E013")])
def test_production_refuses_each_public_key(settings: Any, setting: str, check_id: str) -> None:
    _production(settings)
    dev = {"SECRET_KEY": settings.DEV_SECRET_KEY, "SHEQU_AUDIT_KEY": settings.DEV_AUDIT_KEY,
           "SHEQU_PII_KEYS": settings.DEV_PII_KEYS, "SHEQU_PII_HASH_KEY": settings.DEV_PII_HASH_KEY}
    assert _ids(settings, **{setting: dev[setting]}) == [check_id]


def test_production_refuses_short_keys_a_dev_key_kept_for_decryption_and_debug(
        settings: Any) -> None:
    _production(settings)
    assert _ids(settings, SHEQU_AUDIT_KEY="short") == ["shequ.E011"]
    _production(settings)
    assert _ids(settings, SHEQU_PII_KEYS=GOOD["SHEQU_PII_KEYS"] + "," + settings.DEV_PII_KEYS) \
        == ["shequ.E012"]
    _production(settings)
    assert _ids(settings, SHEQU_PII_KEYS="k1:c2hvcnQ=") == ["shequ.E012"]
    _production(settings)
    assert _ids(settings, DEBUG=True) == ["shequ.E003"]
    _production(settings)
    assert _ids(settings, SHEQU_PII_HASH_KEY=GOOD["SHEQU_AUDIT_KEY"]) == ["shequ.E014"]


def test_malformed_values_are_errors_everywhere(settings: Any) -> None:
    assert _ids(settings, SHEQU_PII_KEYS="no-id-here") == ["shequ.E002"]
    assert _ids(settings, SHEQU_PII_KEYS="a:QUJD,a:REVG") == ["shequ.E002"]
    assert _ids(settings, SHEQU_PII_KEYS="a:!!!") == ["shequ.E002"]
    assert _ids(settings, SHEQU_ENV="staging") == ["shequ.E001"]


def _shequ(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items()
             if not k.startswith(("SHEQU_", "DJANGO_", "DATABASE_URL"))}
    return subprocess.run([sys.executable, "-m", "shequ.cli", *args], cwd=REPO,
                          env={**clean, **env}, capture_output=True, text=True, timeout=120,
                          check=False)


def test_a_public_site_without_keys_does_not_start(tmp_path: Path) -> None:
    """The issue's case: hosts and HTTPS set, no keys: every command and the WSGI
    application stop with the check errors; with keys, `check --deploy` is clean."""
    site = {"SHEQU_ALLOWED_HOSTS": "shequ.example.cn", "SHEQU_HTTPS": "1",
            "DATABASE_URL": f"sqlite:///{tmp_path}/db.sqlite3"}
    r = _shequ("check", env=site)
    assert r.returncode == 1
    assert {"shequ.E010", "shequ.E011", "shequ.E012", "shequ.E013"} <= {
        w.strip("():") for w in r.stderr.split() if w.startswith("(shequ.")}
    wsgi = subprocess.run([sys.executable, "-c", "import shequ.wsgi"], cwd=REPO,
                          env={**{k: v for k, v in os.environ.items()
                                  if not k.startswith(("SHEQU_", "DJANGO_"))}, **site},
                          capture_output=True, text=True, timeout=120, check=False)
    assert wsgi.returncode == 1 and "ImproperlyConfigured: shequ.E010" in wsgi.stderr
    r = _shequ("check", "--deploy", "--fail-level", "WARNING", env={**site, **GOOD})
    assert (r.returncode, r.stdout.strip()) == (
        0, "System check identified no issues (1 silenced)."), r.stderr


def test_keys_new_prints_keys_that_pass(settings: Any) -> None:
    out = StringIO()
    call_command("keys", "new", "--pii-id", "k1", stdout=out)
    lines = dict(line.split("=", 1) for line in out.getvalue().split())
    assert set(lines) == {"SHEQU_SECRET_KEY", "SHEQU_AUDIT_KEY", "SHEQU_PII_KEYS",
                          "SHEQU_PII_HASH_KEY"}
    assert lines["SHEQU_PII_KEYS"].startswith("k1:")
    _production(settings)
    assert _ids(settings, SECRET_KEY=lines["SHEQU_SECRET_KEY"],
                SHEQU_AUDIT_KEY=lines["SHEQU_AUDIT_KEY"], SHEQU_PII_KEYS=lines["SHEQU_PII_KEYS"],
                SHEQU_PII_HASH_KEY=lines["SHEQU_PII_HASH_KEY"]) == []


def test_json_log_lines() -> None:
    record = logging.LogRecord("shequ.test", logging.WARNING, __file__, 1, "办件 %s 超期",
                               ("510104-2026-000001",), None)
    record.case = "510104-2026-000001"
    line = json.loads(JsonFormatter().format(record))
    assert (line["level"], line["logger"], line["message"], line["case"]) == (
        "WARNING", "shequ.test", "办件 510104-2026-000001 超期", "510104-2026-000001")
    assert line["time"].endswith("+00:00")
