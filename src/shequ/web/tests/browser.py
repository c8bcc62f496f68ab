"""Playwright with Debian's Chromium (never a downloaded browser), for browser tests.

Use the ``page`` fixture from ``conftest`` here together with pytest-django's
``live_server``; mark tests ``@pytest.mark.browser``.
"""

from __future__ import annotations

import os
import shutil

CHROMIUM = os.environ.get("SHEQU_CHROMIUM", shutil.which("chromium") or "/usr/bin/chromium")
ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--disable-dev-shm-usage"]
