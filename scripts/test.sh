#!/usr/bin/env bash
# The whole test suite, on SQLite and on PostgreSQL, with the static gates first.
# Installs and starts whatever it needs (packages, Chromium, PostgreSQL).
set -euo pipefail
cd "$(dirname "$0")/.."
SHEQU_WITH_BROWSER=1 bash scripts/setup.sh
bash scripts/lint.sh

if ! pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then
  echo "== starting PostgreSQL"
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -1)" main start
  for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done
fi

workers=${SHEQU_TEST_WORKERS:-2}
echo "== pytest on SQLite"
env -u DATABASE_URL .venv/bin/pytest -q -n "$workers" -p no:cacheprovider "$@"
echo "== migrations apply on PostgreSQL"
pg_base=${SHEQU_TEST_PG_URL:-postgres://postgres@127.0.0.1:5432/shequ}
check_db="${pg_base##*/}_migrate_check"
psql -q "${pg_base%/*}/postgres" -c "DROP DATABASE IF EXISTS $check_db" \
  -c "CREATE DATABASE $check_db" >/dev/null
DATABASE_URL="${pg_base%/*}/$check_db" .venv/bin/shequ migrate -v0
psql -q "${pg_base%/*}/postgres" -c "DROP DATABASE $check_db" >/dev/null
echo "== pytest on PostgreSQL"
DATABASE_URL=${SHEQU_TEST_PG_URL:-postgres://postgres@127.0.0.1:5432/shequ} \
  SHEQU_BROWSER_TESTS=0 .venv/bin/pytest -q -n "$workers" -p no:cacheprovider "$@"
