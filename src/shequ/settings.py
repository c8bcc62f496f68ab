"""Settings, read from the environment so one build runs as demo, test or production.

Only ``SHEQU_ENV``, ``DATABASE_URL``, ``SHEQU_SECRET_KEY``, ``SHEQU_DEBUG``,
``SHEQU_ALLOWED_HOSTS``, ``SHEQU_HTTPS``, ``SHEQU_DATA_DIR``, ``SHEQU_AUDIT_KEY``,
``SHEQU_PII_KEYS`` and ``SHEQU_PII_HASH_KEY`` are meant to change between deployments
(docs/deploy.md); everything else is the product's behaviour.

Development or production (ADR 0013): ``SHEQU_ENV`` says so; when it is not set, a site
that runs without debug and either behind HTTPS or for a host other than this machine is
production. In production the development keys below are refused by a system check
(``shequ.core.checks``), which stops every command and the WSGI application.
"""

from __future__ import annotations

import base64
import hashlib
import os
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent
REPO_DIR = BASE_DIR.parent.parent
DATA_DIR = Path(os.environ.get("SHEQU_DATA_DIR", REPO_DIR / "var"))

DEBUG = os.environ.get("SHEQU_DEBUG", "0") == "1"
# The development keys are public (they are in this file): good on a developer's machine
# only. Production must set its own; shequ.core.checks refuses these there.
DEV_SECRET_KEY = "shequ-insecure-development-key-change-me"  # noqa: S105  (public on purpose)
DEV_AUDIT_KEY = "shequ-development-audit-key"
DEV_PII_KEYS = "dev1:ZGV2ZWxvcG1lbnQta2V5LW5vdC1mb3ItcHJvZHVjdGlvbiE="
DEV_PII_HASH_KEY = "shequ-development-lookup-key"
SECRET_KEY = os.environ.get("SHEQU_SECRET_KEY", DEV_SECRET_KEY)
LOCAL_HOSTS = ("127.0.0.1", "localhost", "testserver", "::1", "[::1]")
ALLOWED_HOSTS = [h.strip() for h in os.environ.get(
    "SHEQU_ALLOWED_HOSTS", ",".join(LOCAL_HOSTS[:3])).split(",") if h.strip()]
HTTPS = os.environ.get("SHEQU_HTTPS", "0") == "1"


def _environment() -> str:
    named = os.environ.get("SHEQU_ENV", "").strip().lower()
    if named:
        return named  # anything but development|production is a check error
    serves_others = any(h not in LOCAL_HOSTS for h in ALLOWED_HOSTS)
    return "production" if not DEBUG and (HTTPS or serves_others) else "development"


SHEQU_ENV = _environment()
PRODUCTION = SHEQU_ENV == "production"

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
    "csp",
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
    "shequ.access",
    "shequ.orgs",
    "shequ.linkage",
    "shequ.procurement",
    "shequ.assessment",
    "shequ.api",
    "shequ.web",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Static files from STATIC_ROOT (filled by `shequ collectstatic`, which `shequ serve`
    # runs), compressed and cached for ever under hashed names in production.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
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
    # Covering indexes' INCLUDE columns are a PostgreSQL feature; SQLite builds the index
    # without them, which is all the embedded default needs (ADR 0025).
    SILENCED_SYSTEM_CHECKS = ["models.W040"]
# Server-side parameter binding lets psycopg prepare a statement the fifth time a
# connection runs it, so PostgreSQL stops parsing and planning the same few queries of
# every request (ADR 0010). Behind a pooler in transaction mode (PgBouncer before 1.21)
# prepared statements break: set SHEQU_PG_SERVER_BINDING=0 there.
elif (DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"
      and os.environ.get("SHEQU_PG_SERVER_BINDING", "1") != "0"):
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        server_side_binding=True,
        prepare_threshold=int(os.environ.get("SHEQU_PG_PREPARE_THRESHOLD", "5")))
    # ... but every execution is planned for its own values. A prepared statement's generic
    # plan assumes an average scope: for a community's work list (14,000 of 5.1 million
    # cases) it sorted every case of the community, 37 ms against 1 ms, and twice that at
    # twice the cases (ADR 0010). Parsing is still saved.
    _options = DATABASES["default"]["OPTIONS"]
    _options["options"] = " ".join(filter(None, (
        _options.get("options", ""),
        "-c plan_cache_mode=" + os.environ.get("SHEQU_PG_PLAN_CACHE_MODE", "force_custom_plan"))))
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
# Excel exports (statistics, work lists) hold applicants' names: deleted this many days
# after they were asked for (PIPL Art. 19: no longer than the purpose needs).
SHEQU_EXPORT_KEEP_DAYS = int(os.environ.get("SHEQU_EXPORT_KEEP_DAYS", "7"))

SESSION_COOKIE_AGE = 8 * 3600
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# Behind HTTPS (production): secure cookies and HSTS; the proxy sets X-Forwarded-Proto.
if HTTPS:
    SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = True
    # The health probes come from the proxy or the orchestrator over plain HTTP.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
    SECURE_HSTS_SECONDS = 31536000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = os.environ.get("SHEQU_HSTS_SUBDOMAINS", "1") == "1"
    # Preloading commits the whole domain to HTTPS in browsers for months: the domain's
    # owner decides (SHEQU_HSTS_PRELOAD=1), so `check --deploy` says nothing either way.
    SECURE_HSTS_PRELOAD = os.environ.get("SHEQU_HSTS_PRELOAD", "0") == "1"
    SILENCED_SYSTEM_CHECKS = [*globals().get("SILENCED_SYSTEM_CHECKS", []), "security.W021"]
    CSRF_TRUSTED_ORIGINS = [f"https://{h}" for h in ALLOWED_HOSTS]

# Content-Security-Policy (django-csp, ADR 0015): every script, style, font and image comes
# from this site (ECharts and Swagger UI are vendored as static files); no inline script,
# no eval, no frames. Style *attributes* are still allowed: several pages set a margin
# inline, and a style attribute cannot run code. Two pages still carry an inline event
# handler (services' receipt "Print", elections' round selector): exactly these texts are
# allowed by their hashes ('unsafe-hashes'), nothing else inline; when their modules move
# them to a static script, they leave this list (a test keeps the list and the templates
# equal).
CSP_INLINE_HANDLERS = ("this.form.submit()", "window.print()")


def _csp_hash(text: str) -> str:
    return f"'sha256-{base64.b64encode(hashlib.sha256(text.encode()).digest()).decode()}'"


CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'", *(["'unsafe-hashes'"] if CSP_INLINE_HANDLERS else []),
                       *map(_csp_hash, CSP_INLINE_HANDLERS)],
        "style-src": ["'self'"],
        "style-src-attr": ["'unsafe-inline'"],
        "img-src": ["'self'", "data:"],  # Swagger UI's icons are data: URLs in its CSS
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("SHEQU_STATIC_ROOT", REPO_DIR / "staticfiles"))
# Production serves what `collectstatic` wrote, under content-hashed names with
# far-future caching; development serves the apps' folders as they are.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
                    if PRODUCTION else "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = not PRODUCTION
WHITENOISE_AUTOREFRESH = not PRODUCTION
MEDIA_ROOT = DATA_DIR / "media"

TASKS = {
    "default": {
        "BACKEND": os.environ.get("SHEQU_TASK_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}

# Keys: the audit chain is an HMAC chain, so only a holder of this key can forge it.
SHEQU_AUDIT_KEY = os.environ.get("SHEQU_AUDIT_KEY", DEV_AUDIT_KEY)
# Personal-data keys: "id:base64key,id:base64key"; the first encrypts, all decrypt.
SHEQU_PII_KEYS = os.environ.get("SHEQU_PII_KEYS", DEV_PII_KEYS)
SHEQU_PII_HASH_KEY = os.environ.get("SHEQU_PII_HASH_KEY", DEV_PII_HASH_KEY)
# How many proxies in front of the app append to X-Forwarded-For (0: use the peer's
# address). The client of a throttle is the address the nearest trusted proxy saw.
SHEQU_TRUSTED_PROXIES = int(os.environ.get("SHEQU_TRUSTED_PROXIES", "0"))

SHEQU_SITE_NAME = os.environ.get("SHEQU_SITE_NAME", "")  # empty: the translated default
SHEQU_DISTRICT_CODE = os.environ.get("SHEQU_DISTRICT_CODE", "510104")

# Logs: one JSON object a line in production (for the log collector), plain text on a
# developer's terminal; SHEQU_LOG_FORMAT=json|plain overrides.
LOG_FORMAT = os.environ.get("SHEQU_LOG_FORMAT", "json" if PRODUCTION else "plain")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
                   "json": {"()": "shequ.core.logs.JsonFormatter"}},
    "handlers": {"console": {"class": "logging.StreamHandler",
                             "formatter": "json" if LOG_FORMAT == "json" else "plain"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {"shequ": {"level": os.environ.get("SHEQU_LOG_LEVEL", "INFO")},
                "django.request": {"level": "ERROR"}},
}
