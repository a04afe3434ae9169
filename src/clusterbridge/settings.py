"""Django settings. The environment is read here and nowhere else.

The default run is the development profile (DEBUG on, SQLite file in
./var, console e-mail, in-process tasks); production sets
CLUSTERBRIDGE_ENV=production, which turns DEBUG off and requires a real
SECRET_KEY.

| variable | default | meaning |
|---|---|---|
| CLUSTERBRIDGE_ENV | development | development or production |
| SECRET_KEY | a development-only key | required in production |
| DATABASE_URL | sqlite:///var/clusterbridge.sqlite3 | postgres://user@host:5432/name for PostgreSQL |
| REDIS_URL | (none) | redis://127.0.0.1:6379/0: tasks go through Redis (RQ) |
| CLUSTERBRIDGE_TASKS | thread | without REDIS_URL: `thread` runs background jobs in a thread of the web process, `inline` inside the request (tests) |
| ALLOWED_HOSTS | 127.0.0.1,localhost | comma-separated |
| SITE_URL | http://127.0.0.1:8000 | the site's public address, for links in e-mails |
| EMAIL_URL | (console) | smtp://user:password@host:587 for SMTP |
| CLUSTERBRIDGE_DATA_DIR | ./var | where the SQLite file and uploads live |
| CLUSTERBRIDGE_ENCODER_PATH | (off) | folder of a sentence-transformers model on disk: dense embeddings in partner search |
| SEARCH_ANALYSIS_PROCESSES | 4 | at most this many processes (and cores) analyse profiles for search in large refreshes |
| CSRF_TRUSTED_ORIGINS | (none) | comma-separated, e.g. https://cluster.example.org: the public origins behind a TLS proxy |
| BEHIND_PROXY | 0 | 1: requests whose proxy says X-Forwarded-Proto: https are https (SECURE_PROXY_SSL_HEADER) |
| SECURE_HSTS_SECONDS | 31536000 | production: how long browsers keep to HTTPS (0 while trying it out) |
| SECURE_SSL_REDIRECT | 1 | production: plain HTTP requests are redirected to HTTPS (not /healthz) |
| WEB_WORKERS | 2 × cores + 1 (at most 9) | worker processes of `clusterbridge serve` |
| TRUSTED_PROXY_COUNT | 0 | how many reverse proxies append to X-Forwarded-For: the client address for rate limits |
| LOG_FORMAT | json in production, else text | json: one JSON object per line with the request id |
| LOG_LEVEL | INFO | ClusterBridge's own loggers (one line per request at INFO) |
| SENTRY_DSN | (off) | errors also go to Sentry (needs `pip install clusterbridge[sentry]`) |
| OIDC_CLIENT_ID, OIDC_CLIENT_SECRET | (off) | OpenID Connect login beside passwords, with the provider's OIDC_AUTHORIZATION_ENDPOINT, OIDC_TOKEN_ENDPOINT, OIDC_USERINFO_ENDPOINT, OIDC_JWKS_ENDPOINT; the button says OIDC_PROVIDER_NAME; OIDC_CREATE_USER=0: only existing accounts |
| DATABASE_APP_ROLE | (none) | PostgreSQL: the site's own role, granted again by every `migrate` (`clusterbridge grant-app-role`) |
| LEDGER_KEY | derived from SECRET_KEY | the credit ledger's chain key (offsets/chain.py) |
| IMPORT_MAX_ROWS | 100000 | organisations per imported file, checked while it is read |
| PRIVACY_CONTROLLER | the programme office | who collects personal data, as the collection notice names it (PDPA Art. 8) |
| PRIVACY_CONTACT_EMAIL | DEFAULT_FROM_EMAIL | where people write about their data |
| EXPORT_LINK_DAYS | 7 | how long a personal data export can be downloaded |
| RETENTION_DAYS | (built in) | JSON, e.g. {"sign_ins": 90}: retention periods per kind of record (privacy/retention.py) |
| NEWSLETTER_EVENTS_TOKEN | (none) | the Bearer token the mail service sends with bounces and complaints (POST /newsletter/mail-events/) |
| METRICS_TOKEN | (none) | GET /metrics needs `Authorization: Bearer <token>`; without it only local scrapers |
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from urllib.parse import unquote, urlparse

import dj_database_url

from clusterbridge.core.observability import logging_config

BASE_DIR = Path(__file__).resolve().parent
ENV = os.environ.get("CLUSTERBRIDGE_ENV", "development")
PRODUCTION = ENV == "production"
DATA_DIR = Path(os.environ.get("CLUSTERBRIDGE_DATA_DIR", Path.cwd() / "var"))

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if PRODUCTION:
        raise RuntimeError("SECRET_KEY must be set when CLUSTERBRIDGE_ENV=production")
    SECRET_KEY = "development-only-key-never-used-in-production"
# The credit ledger's chain key (offsets/chain.py); without it, one derived from SECRET_KEY.
LEDGER_KEY = os.environ.get("LEDGER_KEY", "")
DATABASE_APP_ROLE = os.environ.get("DATABASE_APP_ROLE", "")
DEBUG = not PRODUCTION and os.environ.get("DEBUG", "1") == "1"
ALLOWED_HOSTS = os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",")
# Behind a TLS reverse proxy (specs/operations.md): the public origins that may post forms, whether
# the proxy's X-Forwarded-Proto is believed, and how many proxies stand before the client address.
CSRF_TRUSTED_ORIGINS = [o.strip() for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()]
if os.environ.get("BEHIND_PROXY", "0") == "1":
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0") or 0)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "clusterbridge.core",
    "clusterbridge.accounts",
    "clusterbridge.directory",
    "clusterbridge.matching",
    "clusterbridge.offsets",
    "clusterbridge.events",
    "clusterbridge.outcomes",
    "clusterbridge.privacy",
    "clusterbridge.publishing",
    "clusterbridge.indicators",
    "clusterbridge.api",
    "clusterbridge.home",
    "clusterbridge.demo",
]

MIDDLEWARE = [
    "clusterbridge.core.observability.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "clusterbridge.core.middleware.RejectNulMiddleware",
    "clusterbridge.core.middleware.SecurityHeadersMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "clusterbridge.privacy.audit.AuditMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "clusterbridge.urls"
WSGI_APPLICATION = "clusterbridge.wsgi.application"

TEMPLATES = [{
    "BACKEND": "django.template.backends.django.DjangoTemplates",
    "DIRS": [BASE_DIR / "templates"],
    "APP_DIRS": True,
    "OPTIONS": {"context_processors": [
        "django.template.context_processors.request",
        "django.template.context_processors.i18n",
        "django.contrib.auth.context_processors.auth",
        "django.contrib.messages.context_processors.messages",
        "clusterbridge.navigation.roles",
    ]},
}]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{DATA_DIR / 'clusterbridge.sqlite3'}"),
        conn_max_age=60,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {"timeout": 20}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Strong hashing first (Argon2 when installed, else PBKDF2 with Django's high default).
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.ScryptPasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# OpenID Connect login beside passwords (accounts/federation.py): on when OIDC_CLIENT_ID is set.
OIDC_RP_CLIENT_ID = os.environ.get("OIDC_CLIENT_ID", "")
OIDC_RP_CLIENT_SECRET = os.environ.get("OIDC_CLIENT_SECRET", "")
OIDC_OP_AUTHORIZATION_ENDPOINT = os.environ.get("OIDC_AUTHORIZATION_ENDPOINT", "")
OIDC_OP_TOKEN_ENDPOINT = os.environ.get("OIDC_TOKEN_ENDPOINT", "")
OIDC_OP_USER_ENDPOINT = os.environ.get("OIDC_USERINFO_ENDPOINT", "")
OIDC_OP_JWKS_ENDPOINT = os.environ.get("OIDC_JWKS_ENDPOINT", "")
OIDC_PROVIDER_NAME = os.environ.get("OIDC_PROVIDER_NAME", "single sign-on")
OIDC_CREATE_USER = os.environ.get("OIDC_CREATE_USER", "1") == "1"
OIDC_RP_SIGN_ALGO = "RS256"
OIDC_RP_SCOPES = "openid email profile"
OIDC_USE_PKCE = True
OIDC_AUTHENTICATION_CALLBACK_URL = "oidc_callback"
AUTHENTICATION_BACKENDS = ["django.contrib.auth.backends.ModelBackend"]
if OIDC_RP_CLIENT_ID:
    AUTHENTICATION_BACKENDS.append("clusterbridge.accounts.federation.FederatedBackend")
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home:index"
LOGOUT_REDIRECT_URL = "home:index"

LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("zh-hant", "繁體中文")]
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["clusterbridge.formats"]
TIME_ZONE = "Asia/Taipei"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = DATA_DIR / "static"
MEDIA_ROOT = DATA_DIR / "media"
# Development serves static files straight from the apps; production runs collectstatic.
WHITENOISE_USE_FINDERS = not PRODUCTION
WHITENOISE_AUTOREFRESH = not PRODUCTION
if PRODUCTION:  # collectstatic writes hashed names and gzip/Brotli copies; WhiteNoise serves them cached for a year
    STORAGES = {"default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
                "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"}}
# Uploads larger than this are refused before they are read.
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
# `migrate` loads (or refreshes) the shipped sector taxonomy and technology list (directory/apps.py).
TAXONOMY_LOAD_ON_MIGRATE = True
IMPORT_MAX_BYTES = int(os.environ.get("IMPORT_MAX_BYTES", 50 * 1024 * 1024))
IMPORT_MAX_ROWS = int(os.environ.get("IMPORT_MAX_ROWS", 100_000))  # organisations per file, checked while reading
# People's data (privacy/): who collects it, where to write, how long exports and records are kept.
PRIVACY_CONTROLLER = os.environ.get("PRIVACY_CONTROLLER", "")
PRIVACY_CONTACT_EMAIL = os.environ.get("PRIVACY_CONTACT_EMAIL", "")
EXPORT_LINK_DAYS = int(os.environ.get("EXPORT_LINK_DAYS", 7))
NEWSLETTER_EVENTS_TOKEN = os.environ.get("NEWSLETTER_EVENTS_TOKEN", "")
RETENTION_DAYS = json.loads(os.environ.get("RETENTION_DAYS", "{}") or "{}")
PRIVACY_EXPORT_DIR = DATA_DIR / "exports"
MATCHING_ENCODER_PATH = os.environ.get("CLUSTERBRIDGE_ENCODER_PATH", "")  # off unless a model folder is named
SEARCH_ANALYSIS_PROCESSES = int(os.environ.get("SEARCH_ANALYSIS_PROCESSES", 4))

email_url = os.environ.get("EMAIL_URL", "")
if email_url:
    parsed = urlparse(email_url)
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = parsed.hostname or "localhost"
    EMAIL_PORT = parsed.port or 587
    EMAIL_HOST_USER = unquote(parsed.username or "")
    EMAIL_HOST_PASSWORD = unquote(parsed.password or "")
    EMAIL_USE_TLS = EMAIL_PORT == 587
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "ClusterBridge <no-reply@clusterbridge.invalid>")

# Background work: Django's Tasks API (the django-tasks backport). By
# default tasks run in the web process right away; with REDIS_URL they go to
# Redis through RQ and `clusterbridge worker` runs them.
REDIS_URL = os.environ.get("REDIS_URL", "")
INSTALLED_APPS += ["django_tasks"]
if REDIS_URL:
    # Fails soft: with Redis away, pages still answer (reads miss, writes are skipped).
    # No retries inside redis-py (its default waits 1 + 2 + 4 s with backoff on a refused connection):
    # the cache's own breaker and the job sweeper retry, and a page never waits seconds on Redis.
    from redis.backoff import NoBackoff
    from redis.retry import Retry

    CACHES = {"default": {"BACKEND": "clusterbridge.core.cache.ResilientRedisCache", "LOCATION": REDIS_URL,
                          "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 2, "retry": Retry(NoBackoff(), 0)}}}
    INSTALLED_APPS += ["django_rq"]
    _redis = urlparse(REDIS_URL)  # host and port rather than the URL: django-rq then takes client options
    RQ_QUEUES = {"default": {"HOST": _redis.hostname or "127.0.0.1", "PORT": _redis.port or 6379,
                             "DB": int((_redis.path or "/0").strip("/") or 0), "USERNAME": _redis.username or None,
                             "PASSWORD": unquote(_redis.password) if _redis.password else None,
                             "SSL": _redis.scheme == "rediss", "DEFAULT_TIMEOUT": 3600,
                             "REDIS_CLIENT_KWARGS": {"socket_connect_timeout": 1, "retry": Retry(NoBackoff(), 0)}}}
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    # Without Redis, a job runs in a thread of the web process (the page answers at once);
    # CLUSTERBRIDGE_TASKS=inline runs it inside the request that started it (the tests do).
    TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"
                         if os.environ.get("CLUSTERBRIDGE_TASKS") == "inline"
                         else "clusterbridge.core.task_backends.ThreadBackend"}}

CSRF_FAILURE_VIEW = "clusterbridge.core.error_views.csrf_failure"

if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_CONTENT_TYPE_NOSNIFF = True
    # HTTPS only: plain requests are redirected (but the load balancer's /healthz), and browsers are
    # told to come back over HTTPS for a year (SECURE_HSTS_SECONDS=0 turns it off while trying).
    SECURE_SSL_REDIRECT = os.environ.get("SECURE_SSL_REDIRECT", "1") == "1"
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(365 * 24 * 3600)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = os.environ.get("SECURE_HSTS_INCLUDE_SUBDOMAINS", "1") == "1"
    SECURE_HSTS_PRELOAD = os.environ.get("SECURE_HSTS_PRELOAD", "0") == "1"
    if not SECURE_HSTS_PRELOAD:  # joining the browsers' preload list is the domain owner's decision
        SILENCED_SYSTEM_CHECKS = ["security.W021"]
    SECURE_REFERRER_POLICY = "same-origin"

# Logs: one JSON object per line with the request id (production default) or plain lines; errors
# go to Sentry as well when SENTRY_DSN is set and sentry-sdk is installed (pip install clusterbridge[sentry]).
LOGGING = logging_config(json_lines=os.environ.get("LOG_FORMAT", "json" if PRODUCTION else "text") == "json",
                         level=os.environ.get("LOG_LEVEL", "INFO"))
SENTRY_DSN = os.environ.get("SENTRY_DSN", "")
if SENTRY_DSN:
    try:
        import sentry_sdk
    except ImportError:
        raise RuntimeError("SENTRY_DSN is set but sentry-sdk is not installed: pip install 'clusterbridge[sentry]'")
    sentry_sdk.init(dsn=SENTRY_DSN, environment=ENV, send_default_pii=False,
                    traces_sample_rate=float(os.environ.get("SENTRY_TRACES_SAMPLE_RATE", "0")))
