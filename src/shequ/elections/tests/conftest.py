from shequ.web.tests.conftest import page  # noqa: F401  (the Playwright page fixture)
