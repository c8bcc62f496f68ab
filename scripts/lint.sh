#!/usr/bin/env bash
# Static quality gates: ruff, mypy, migrations, import contracts, API document, catalogues.
set -euo pipefail
cd "$(dirname "$0")/.."
export DJANGO_SETTINGS_MODULE=shequ.settings
unset DATABASE_URL
echo "== ruff";            .venv/bin/ruff check src bench scripts conftest.py
echo "== mypy";            .venv/bin/mypy
echo "== migrations";      .venv/bin/shequ makemigrations --check --dry-run >/dev/null || {
  echo "models changed without a migration: run 'shequ makemigrations'"; exit 1; }
echo "== migrations apply"; tmp=$(mktemp -d); DATABASE_URL="sqlite:///$tmp/m.sqlite3" \
  .venv/bin/shequ migrate -v0; rm -rf "$tmp"
echo "== import contracts"; (cd src && ../.venv/bin/lint-imports ../pyproject.toml)
echo "== openapi";         .venv/bin/shequ openapi --check
echo "== catalogues";      .venv/bin/python scripts/i18n.py check
