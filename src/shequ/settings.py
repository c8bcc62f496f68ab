"""Settings, read from the environment so one build runs as demo, test or production.

Only ``DATABASE_URL``, ``SHEQU_SECRET_KEY``, ``SHEQU_DEBUG``, ``SHEQU_ALLOWED_HOSTS``,
``SHEQU_DATA_DIR``, ``SHEQU_AUDIT_KEY`` and ``SHEQU_PII_KEYS`` are meant to change between
deployments; everything else is the product's behaviour.
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent
REPO_DIR = BASE_DIR.parent.parent
DATA_DIR = Path(os.environ.get("SHEQU_DATA_DIR", REPO_DIR / "var"))

DEBUG = os.environ.get("SHEQU_DEBUG", "0") == "1"
# The development key is only good on a developer's machine; production must set its own.
SECRET_KEY = os.environ.get("SHEQU_SECRET_KEY", "shequ-insecure-development-key-change-me")
ALLOWED_HOSTS = os.environ.get("SHEQU_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_tasks",
    "django_tasks_db",
    "ninja",
    # Order matters: lower layers first (see pyproject's import-linter contract).
    "shequ.core",
    "shequ.authz",
    "shequ.audit",
    "shequ.lifecycle",
    "shequ.accounts",
    "shequ.workdays",
    "shequ.documents",
    "shequ.areas",
    "shequ.rules",
    "shequ.people",
    "shequ.services",
    "shequ.elections",
    "shequ.autonomy",
    "shequ.orgs",
    "shequ.linkage",
    "shequ.api",
    "shequ.web",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "shequ.web.locale_middleware.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "shequ.web.middleware.BusinessErrorMiddleware",
]

ROOT_URLCONF = "shequ.urls"
WSGI_APPLICATION = "shequ.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "shequ.web.context.site",
            ],
        },
    },
]

DEFAULT_SQLITE = f"sqlite:///{DATA_DIR / 'shequ.sqlite3'}"
# Persistent connections on PostgreSQL (dj-database-url's default of 0 would open one per request).
DATABASES = {"default": dj_database_url.parse(os.environ.get("DATABASE_URL", DEFAULT_SQLITE),
                                              conn_max_age=60, conn_health_checks=True)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    if "DATABASE_URL" not in os.environ:
        DATA_DIR.mkdir(parents=True, exist_ok=True)
    # WAL lets readers run beside the single writer; IMMEDIATE takes the write lock at
    # BEGIN so two use cases never deadlock upgrading a read lock (ADR 0002).
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
# Server-side parameter binding lets psycopg prepare a statement the fifth time a
# connection runs it, so PostgreSQL stops parsing and planning the same few queries of
# every request (ADR 0010). Behind a pooler in transaction mode (PgBouncer before 1.21)
# prepared statements break: set SHEQU_PG_SERVER_BINDING=0 there.
elif (DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"
      and os.environ.get("SHEQU_PG_SERVER_BINDING", "1") != "0"):
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        server_side_binding=True,
        prepare_threshold=int(os.environ.get("SHEQU_PG_PREPARE_THRESHOLD", "5")))
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["shequ.accounts.backends.LockoutBackend"]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
     "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "web:login"
LOGIN_REDIRECT_URL = "web:console"
LOGOUT_REDIRECT_URL = "web:home"
# Lock a user name after this many failures within the window (ADR 0004).
SHEQU_LOGIN_MAX_FAILURES = int(os.environ.get("SHEQU_LOGIN_MAX_FAILURES", "5"))
SHEQU_LOGIN_WINDOW_SECONDS = int(os.environ.get("SHEQU_LOGIN_WINDOW_SECONDS", "900"))

SESSION_COOKIE_AGE = 8 * 3600
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# Behind HTTPS (production): secure cookies and HSTS; the proxy sets X-Forwarded-Proto.
if os.environ.get("SHEQU_HTTPS", "0") == "1":
    SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = True
    SECURE_HSTS_SECONDS = 31536000
    CSRF_TRUSTED_ORIGINS = [f"https://{h}" for h in ALLOWED_HOSTS]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = REPO_DIR / "staticfiles"
MEDIA_ROOT = DATA_DIR / "media"

TASKS = {
    "default": {
        "BACKEND": os.environ.get("SHEQU_TASK_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}

# Keys: the audit chain is an HMAC chain, so only a holder of this key can forge it.
SHEQU_AUDIT_KEY = os.environ.get("SHEQU_AUDIT_KEY", "shequ-development-audit-key")
# Personal-data keys: "id:base64key,id:base64key"; the first encrypts, all decrypt.
SHEQU_PII_KEYS = os.environ.get(
    "SHEQU_PII_KEYS", "dev1:ZGV2ZWxvcG1lbnQta2V5LW5vdC1mb3ItcHJvZHVjdGlvbiE="
)
SHEQU_PII_HASH_KEY = os.environ.get("SHEQU_PII_HASH_KEY", "shequ-development-lookup-key")

SHEQU_SITE_NAME = os.environ.get("SHEQU_SITE_NAME", "")  # empty: the translated default
SHEQU_DISTRICT_CODE = os.environ.get("SHEQU_DISTRICT_CODE", "510104")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {"shequ": {"level": os.environ.get("SHEQU_LOG_LEVEL", "INFO")}},
}
