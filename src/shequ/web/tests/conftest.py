from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest

from shequ.web.tests.browser import ARGS, CHROMIUM


@pytest.fixture
def page(live_server: Any) -> Iterator[Any]:
    """A fresh Chromium page; Django's ORM stays usable beside Playwright's event loop."""
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        context = browser.new_context(locale="zh-CN")
        pg = context.new_page()
        pg.set_default_timeout(15000)
        try:
            yield pg
        finally:
            context.close()
            browser.close()
