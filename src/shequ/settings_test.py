"""Settings for the test suite: the product's settings with faster hashing and inline
background tasks (so a test can assert what a task did)."""

import os

from shequ.settings import *  # noqa: F403

# Argon2 is slow by design; tests that check hashing switch it back on.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
                     "QUEUES": ["default"]}}
LANGUAGE_CODE = "zh-hans"
# Close connections after each request, so live-server threads in browser tests do not keep
# the test database open when it is dropped.
DATABASES["default"]["CONN_MAX_AGE"] = 0  # noqa: F405
# Every Chinese page a test renders is scanned for untranslated words, keys and raw values
# (shequ.web.pagescan); SHEQU_PAGE_SCAN=0 turns it off while hunting another failure.
if os.environ.get("SHEQU_PAGE_SCAN", "1") != "0":
    MIDDLEWARE = ["shequ.web.pagescan.PageScanMiddleware", *MIDDLEWARE]  # noqa: F405
