"""Settings for the test suite: the product's settings with faster hashing and inline
background tasks (so a test can assert what a task did)."""

from shequ.settings import *  # noqa: F403

# Argon2 is slow by design; tests that check hashing switch it back on.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
                     "QUEUES": ["default"]}}
LANGUAGE_CODE = "zh-hans"
# Close connections after each request, so live-server threads in browser tests do not keep
# the test database open when it is dropped.
DATABASES["default"]["CONN_MAX_AGE"] = 0  # noqa: F405
