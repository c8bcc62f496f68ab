#!/usr/bin/env bash
# Installs what the project needs on a fresh machine: a virtual environment with the
# package and its dev tools, gettext for the catalogues; then compiles the catalogues.
set -euo pipefail
cd "$(dirname "$0")/.."

need_apt=()
command -v msgfmt >/dev/null 2>&1 || need_apt+=(gettext)
if [ "${SHEQU_WITH_BROWSER:-0}" = "1" ] && [ ! -x /usr/bin/chromium ]; then
  need_apt+=(chromium)
fi
if [ ${#need_apt[@]} -gt 0 ]; then
  echo "setup: installing ${need_apt[*]} from Debian"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv
fi
stamp=.venv/.shequ-installed
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
  echo "setup: installing Python packages"
  .venv/bin/pip install -q --upgrade pip 2>&1 | grep -v -i "warning: location" || true
  .venv/bin/pip install -q -e '.[dev]' 2>&1 | grep -v -i "warning: location" || true
  .venv/bin/python -c "import django, psycopg, playwright, pytest_django"
  touch "$stamp"
fi
.venv/bin/python scripts/i18n.py compile
