"""halasync settings.

This module is the only place that reads the environment (django-environ, optionally a
``.env`` file in the project root). Production differs from development only by
environment variables; every key is listed in ``.env.example``.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DJANGO_DEBUG", default=False)
SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY is not set. Put a long random value in the environment or in "
            ".env (bin/quickstart writes one), or set DJANGO_DEBUG=true for local development."
        )
    SECRET_KEY = "insecure-development-key-only-used-with-DJANGO_DEBUG"
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["localhost", "127.0.0.1"])

# --- HTTPS -----------------------------------------------------------------------------
# Off by default, so that the quickstart's plain http on localhost works. A production
# host behind an HTTPS reverse proxy sets them all (docs/operations.md, "HTTPS and
# production settings"); `manage.py check --deploy` then reports nothing.
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=False)
# Monitors and load balancers probe health over plain http, often on the loopback:
# redirecting them to https would fail the probe, and health holds nothing secret.
SECURE_REDIRECT_EXEMPT = [r"^api/v1/sync/health$"]
SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", default=False)
SECURE_HSTS_PRELOAD = env.bool("DJANGO_SECURE_HSTS_PRELOAD", default=False)
SESSION_COOKIE_SECURE = env.bool("DJANGO_SESSION_COOKIE_SECURE", default=False)
CSRF_COOKIE_SECURE = env.bool("DJANGO_CSRF_COOKIE_SECURE", default=False)
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])
# The header the proxy sets to "https" on requests that reached it over HTTPS, named as
# the proxy sends it (X-Forwarded-Proto). The proxy must set it on every request,
# replacing what a client sent: otherwise a client could claim https itself.
_PROXY_SSL_HEADER = env.str("DJANGO_SECURE_PROXY_SSL_HEADER", default="")
if _PROXY_SSL_HEADER:
    if not re.fullmatch(r"[A-Za-z0-9]+(?:-[A-Za-z0-9]+)*", _PROXY_SSL_HEADER):
        raise ImproperlyConfigured(
            f"DJANGO_SECURE_PROXY_SSL_HEADER={_PROXY_SSL_HEADER!r} is not a header name: give "
            "it as the proxy sends it, e.g. X-Forwarded-Proto."
        )
    SECURE_PROXY_SSL_HEADER = (f"HTTP_{_PROXY_SSL_HEADER.upper().replace('-', '_')}", "https")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_q",
    "knowledge",
    "journeys",
    "syncer",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # The admin's and /api/docs/' static files, from STATIC_ROOT (`collectstatic`), served
    # by the web process itself under runserver and gunicorn alike, DEBUG or not.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # JSON errors under /api/ even where Django would answer HTML (DEBUG's error pages).
    "syncer.api.middleware.ApiJsonErrorsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    # Before anything reads the body (CSRF, the views): a chunked body is put in place here.
    "halasync.middleware.ChunkedBodyMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # After authentication: its refusal page is an admin page (syncer.admin_login).
    "syncer.admin_login.AdminLoginLimitMiddleware",
]

ROOT_URLCONF = "halasync.urls"
WSGI_APPLICATION = "halasync.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# --- Databases -------------------------------------------------------------------------
# "default" holds halasync's own tables (runs, auth, django-q). The two source tables are
# read through the "source" alias when SOURCE_DATABASE_URL names another database;
# otherwise they are read from "default" (see halasync.routers).
DATABASE_URL = env.str("DATABASE_URL", default="postgres://postgres@127.0.0.1:5432/halasync")
DATABASES = {"default": env.db_url_config(DATABASE_URL)}
SOURCE_DATABASE_URL = env.str("SOURCE_DATABASE_URL", default="") or DATABASE_URL
if SOURCE_DATABASE_URL != DATABASE_URL:
    DATABASES["source"] = env.db_url_config(SOURCE_DATABASE_URL)
DATABASE_ROUTERS = ["halasync.routers.SourceTablesRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

KNOWLEDGE_TABLE = env.str("KNOWLEDGE_TABLE", default="KnowledgeReference")
JOURNEY_TABLE = env.str("JOURNEY_TABLE", default="JourneyTemplate")

# --- Chroma ----------------------------------------------------------------------------
CHROMA_PATH = env.str("CHROMA_PATH", default="./chromadb_data")
CHROMA_HOST = env.str("CHROMA_HOST", default="") or None
CHROMA_PORT = env.int("CHROMA_PORT", default=8000)
# Every request to a Chroma server times out after this long (chromadb's own default is
# none: a frozen server hung syncs, searches and health). The default stays well above
# the slowest legitimate request measured (docs/performance.md); a timeout is a
# transient failure, retried within a sync.
CHROMA_TIMEOUT_SECONDS = env.float("CHROMA_TIMEOUT_SECONDS", default=30.0)
# After a request outside a sync (search, stats, admin pages) timed out, the process does
# not ask the Chroma server again for this long: those requests answer 503 at once instead
# of each holding a web thread for CHROMA_TIMEOUT_SECONDS, which starved health. 0: off.
CHROMA_BREAKER_SECONDS = env.float("CHROMA_BREAKER_SECONDS", default=30.0)
# Requests outside a sync (searches, stats, admin pages, API single-record syncs) that
# may wait for the Chroma server at once, per process; more are refused at once (503).
# Against a frozen server each waits CHROMA_TIMEOUT_SECONDS: keep this below gunicorn's
# `threads` (8) so that health and the other requests keep threads. 0: no cap.
CHROMA_INTERACTIVE_CONCURRENCY = env.int("CHROMA_INTERACTIVE_CONCURRENCY", default=4)
# Embedded Chroma writes nothing while the disk holding CHROMA_PATH has less free space
# than this (MB): a Chroma whose disk filled up stopped answering in the middle of a
# write, and the sync waited for it for good, holding its lock. 0: no check.
CHROMA_MIN_FREE_MB = env.int("CHROMA_MIN_FREE_MB", default=50)
CHROMA_KNOWLEDGE_COLLECTION = env.str("CHROMA_KNOWLEDGE_COLLECTION", default="knowledge_references")
CHROMA_JOURNEY_COLLECTION = env.str("CHROMA_JOURNEY_COLLECTION", default="journey_templates")

# --- Embeddings and sync ---------------------------------------------------------------
# The embedding backend (docs/embeddings.md): "use-multilingual-v3+all-MiniLM-L6-v2"
# (default), "use-multilingual-v3", "all-MiniLM-L6-v2", "multilingual-e5-small-q4"
# (optional requirements-e5.txt), or "hashing-test" (tests only).
# An unknown name stops startup (syncer.apps) with the list of choices. Nothing is
# downloaded: models come from PyPI packages or are converted locally from them.
EMBEDDING_MODEL = env.str("EMBEDDING_MODEL", default="use-multilingual-v3+all-MiniLM-L6-v2")
# How all-MiniLM-L6-v2 runs: "onnx" (ONNX Runtime, no torch) or "torch"
# (sentence-transformers; needs requirements-torch.txt).
EMBEDDING_RUNTIME = env.str("EMBEDDING_RUNTIME", default="onnx")
if EMBEDDING_RUNTIME not in ("onnx", "torch"):
    raise ImproperlyConfigured(
        f"EMBEDDING_RUNTIME={EMBEDDING_RUNTIME!r} is not supported; choose from: onnx, torch"
    )
# Precision of the ONNX MiniLM (EMBEDDING_RUNTIME=onnx): "fp32" (the same vectors as torch)
# or "int8" (dynamic quantization, faster). Chosen by the quality gate of issue 18
# (docs/performance.md); a collection records it, so changing it needs `sync full --rebuild`.
EMBEDDING_ONNX_PRECISION = env.str("EMBEDDING_ONNX_PRECISION", default="fp32")
if EMBEDDING_ONNX_PRECISION not in ("fp32", "int8"):
    raise ImproperlyConfigured(
        f"EMBEDDING_ONNX_PRECISION={EMBEDDING_ONNX_PRECISION!r} is not supported; "
        "choose from: fp32, int8"
    )
# Model files converted locally from the installed packages (the ONNX export of MiniLM),
# made by `manage.py prepare_models` or on first use; relative paths are under the project.
EMBEDDING_CACHE_DIR = BASE_DIR / env.str("EMBEDDING_CACHE_DIR", default="var/models")
# The model is loaded from local files only: no process may reach a model hub.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
# torch's OpenMP threads sleep instead of spinning while they wait. With other processes
# busy on the cores (web, worker, PostgreSQL, Chroma), spinning made embedding several
# times slower; on idle cores sleeping costs a little (docs/performance.md, "Embedding
# threads"). A machine that runs nothing else can set GOMP_SPINCOUNT, which libgomp
# (torch's OpenMP) obeys over this policy (docs/reference.md, Configuration).
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
# 512 rows per batch: at 100,000 rows the peak RSS of a full sync with a batch of changed
# text was 44-82 MB lower than with 1,024 at the same CPU time; 256 rows made a warm full sync
# 12% slower than 1,024 (docs/performance.md).
SYNC_BATCH_SIZE = env.int("SYNC_BATCH_SIZE", default=512)
SYNC_OVERLAP_SECONDS = env.int("SYNC_OVERLAP_SECONDS", default=300)
SYNC_LOCK_WAIT_SECONDS = env.float("SYNC_LOCK_WAIT_SECONDS", default=10.0)
# Transient failures (PostgreSQL connection dropped, Chroma server restarting) are retried
# this many times in all, pausing SYNC_RETRY_BACKOFF_SECONDS, then twice that, and so on.
SYNC_RETRY_ATTEMPTS = env.int("SYNC_RETRY_ATTEMPTS", default=6)
SYNC_RETRY_BACKOFF_SECONDS = env.float("SYNC_RETRY_BACKOFF_SECONDS", default=0.5)
SYNC_LOG_FILE = env.str("SYNC_LOG_FILE", default="./sync.log")
SYNC_INCREMENTAL_CRON = env.str("SYNC_INCREMENTAL_CRON", default="0 */6 * * *")
SYNC_FULL_CRON = env.str("SYNC_FULL_CRON", default="0 2 * * *")

# --- django-q2 -------------------------------------------------------------------------
# The worker is `manage.py qcluster`. Its broker is halasync's own database (no Redis
# needed) unless REDIS_URL is set: then Redis, for several workers on several hosts.
# django-q2 reads this dict once, when django_q.conf is first imported.
Q_TIMEOUT = env.int("Q_TIMEOUT", default=6 * 3600)  # must outlast the longest full sync
REDIS_URL = env.str("REDIS_URL", default="") or None
Q_CLUSTER = {
    "name": "halasync",
    "workers": env.int("Q_WORKERS", default=1),
    "timeout": Q_TIMEOUT,
    # A sync is never run twice at once: a task is handed out again only after `retry`
    # seconds (longer than the timeout, so never while it may still run), a failed or
    # timed-out task is not retried (max_attempts 1, ack_failures), and schedules missed
    # while no worker ran fire once, not once per missed tick (catch_up off). The sync
    # lock refuses whatever would still overlap.
    "retry": Q_TIMEOUT + 600,
    "max_attempts": 1,
    "ack_failures": True,
    "catch_up": False,
    "save_limit": 250,
}
if REDIS_URL:
    Q_CLUSTER["redis"] = REDIS_URL
else:
    Q_CLUSTER["orm"] = "default"

# --- Rate limits -----------------------------------------------------------------------
# The API's throttles and the admin's sign-in limit count in Django's cache. The default,
# a per-process memory cache, counts each web process apart (two gunicorn workers: up to
# twice the limit); CACHE_URL=redis://host:6379/1 makes every process count together.
CACHES = {"default": env.cache_url("CACHE_URL", default="locmemcache://")}
_RATE = re.compile(r"\d+/(?:s|sec|second|m|min|minute|h|hour|d|day)")


def _rate(name: str, default: str) -> str | None:
    """A DRF rate ("300/minute") from the environment; empty or "off" turns it off."""
    value = env.str(name, default=default).strip()
    if value.lower() in ("", "off"):
        return None
    if not _RATE.fullmatch(value):
        raise ImproperlyConfigured(
            f"{name}={value!r} is not a rate: give requests/period, e.g. 300/minute "
            "(period: second, minute, hour or day), or off."
        )
    return value


# Requests per signed-in user (token or session), and per client address for the
# public endpoints that need no sign-in (the schema and docs; health is never limited).
API_THROTTLE_USER_RATE = _rate("API_THROTTLE_USER_RATE", "300/minute")
API_THROTTLE_ANON_RATE = _rate("API_THROTTLE_ANON_RATE", "60/minute")
# How many reverse proxies in front of the web process append the client's address to
# X-Forwarded-For (nginx: 1). 0 takes the address of the connection itself; behind a
# proxy that is the proxy's, and every client then shares one address's limits.
WEB_PROXY_COUNT = env.int("WEB_PROXY_COUNT", default=0)
# Failed admin sign-ins allowed per client address and per username within the window;
# beyond that, sign-in is refused (429) until the window ends.
ADMIN_LOGIN_MAX_FAILURES = env.int("ADMIN_LOGIN_MAX_FAILURES", default=10)
ADMIN_LOGIN_WINDOW_SECONDS = env.int("ADMIN_LOGIN_WINDOW_SECONDS", default=900)

# --- REST framework --------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    # The API speaks JSON only, with small bodies and {"detail": …} errors (syncer.api).
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["syncer.api.parsers.BoundedJSONParser"],
    "EXCEPTION_HANDLER": "syncer.api.exceptions.api_exception_handler",
    # 429 {"detail": …} with Retry-After beyond the rate (health opts out: monitors).
    "DEFAULT_THROTTLE_CLASSES": [
        "rest_framework.throttling.AnonRateThrottle",
        "rest_framework.throttling.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {"anon": API_THROTTLE_ANON_RATE, "user": API_THROTTLE_USER_RATE},
    "NUM_PROXIES": WEB_PROXY_COUNT,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "halasync API",
    "VERSION": "1.0.0",
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "DESCRIPTION": "Sync runs, single-record syncs, stats, health and semantic search.",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "syncer.api.schema.request_bodies_are_closed",
    ],
    "ENUM_NAME_OVERRIDES": {
        "RunStatusEnum": "syncer.models.SyncRun.Status",
        "HealthStatusEnum": ["ok", "degraded", "down"],
        "HealthCheckStatusEnum": ["ok", "degraded", "down", "unknown"],
    },
}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True
# The admin's date and time formats (halasync/formats/en): to the second, everywhere.
FORMAT_MODULE_PATH = ["halasync.formats"]
STATIC_URL = "static/"
# Relative to the project directory (an absolute path stays as it is).
STATIC_ROOT = BASE_DIR / env.str("DJANGO_STATIC_ROOT", default="staticfiles")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # collectstatic also writes gzipped copies, which WhiteNoise serves to the browsers
    # that accept them. No hashed names: a page rendered before collectstatic ran
    # still works (without the manifest a ManifestStaticFilesStorage page is a 500).
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"},
    },
    "handlers": {
        "stderr": {"class": "logging.StreamHandler", "formatter": "plain"},
        "sync_file": {
            "class": "logging.FileHandler",
            "filename": SYNC_LOG_FILE,
            "formatter": "plain",
            "delay": True,
            "encoding": "utf-8",
        },
    },
    "loggers": {
        "syncer": {"handlers": ["stderr", "sync_file"], "level": "INFO", "propagate": False},
        # Server errors with their traceback ("Internal Server Error: /path", logged by
        # django.request) and security events (django.security). Django's own default
        # sends them to the console only with DEBUG, otherwise by mail to ADMINS (unset):
        # in production a 500 left no trace at all.
        "django": {"handlers": ["stderr"], "level": "ERROR", "propagate": False},
    },
}
