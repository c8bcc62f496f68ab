"""Test set-up shared by every app's tests."""

from __future__ import annotations

import os
from typing import Any

import pytest


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    from django.conf import settings

    on_postgres = settings.DATABASES["default"]["ENGINE"].endswith("postgresql")
    skip_pg = pytest.mark.skip(reason="needs PostgreSQL (DATABASE_URL=postgres://…)")
    skip_browser = pytest.mark.skip(reason="browser tests are off (SHEQU_BROWSER_TESTS=0)")
    browsers = os.environ.get("SHEQU_BROWSER_TESTS", "1") != "0"
    if on_postgres and os.environ.get("SHEQU_PG_ALL_TESTS", "0") != "1":
        # ``make test`` runs the suite twice, SQLite first. A test that opens no database
        # (rules, calendars, tallies, the CLI and server tests that make their own SQLite
        # file) does the same thing on both runs, so the PostgreSQL run leaves it out.
        keep: list[pytest.Item] = []
        nodb: list[pytest.Item] = []
        for item in items:
            (keep if _uses_database(item) else nodb).append(item)
        if nodb:
            config.hook.pytest_deselected(items=nodb)
            items[:] = keep
    for item in items:
        if "postgres" in item.keywords and not on_postgres:
            item.add_marker(skip_pg)
        if "browser" in item.keywords and not browsers:
            item.add_marker(skip_browser)


DATABASE_FIXTURES = frozenset({"db", "transactional_db", "live_server",
                               "django_db_reset_sequences", "django_db_serialized_rollback"})


def _uses_database(item: pytest.Item) -> bool:
    """Whether pytest-django lets the test open the test database (it blocks every other)."""
    names = set(getattr(item, "fixturenames", ()))
    return bool(item.get_closest_marker("django_db") or "postgres" in item.keywords
                or DATABASE_FIXTURES & names)


@pytest.fixture
def tree(db):  # type: ignore[no-untyped-def]
    """A small slice of Jinjiang: province, city, district, two streets, three
    communities (one agricultural), compounds and a station."""
    from shequ.areas.tests.factories import make_tree

    return make_tree()


@pytest.fixture
def make_user(db):  # type: ignore[no-untyped-def]
    from shequ.accounts.tests.factories import make_user as _make

    return _make


@pytest.fixture(autouse=True)
def _fresh_calendar() -> Any:
    """The working-day calendar is cached per process; a test that enters a year inside its
    (rolled-back) transaction must not leave that year known to the next test."""
    from shequ.core import calendar

    calendar.invalidate()
    yield
    calendar.invalidate()


@pytest.fixture(autouse=True)
def _fresh_process_caches() -> Any:
    """Grants and published item versions are also kept per process (keyed so they are
    never stale); each test still starts without them, so query counts do not depend on
    which tests ran before on the same worker."""
    from shequ.authz import access
    from shequ.services import services

    access._PROCESS_GRANTS.clear()
    services._VERSIONS.clear()
    yield


@pytest.fixture(autouse=True)
def _chinese() -> Any:
    """Every test reads the product in Chinese (the default language), whatever the test
    before it switched to; a test about English says so with ``translation.override``."""
    from django.utils import translation

    translation.activate("zh-hans")
    yield
    translation.activate("zh-hans")


@pytest.fixture
def page(live_server: Any) -> Any:
    """A fresh Chromium page (Debian's, through Playwright) in Chinese, for browser tests
    (``@pytest.mark.browser``) beside pytest-django's ``live_server``."""
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    from shequ.web.tests.browser import ARGS, CHROMIUM

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
