"""Solarscan settings: 12-factor, every knob an environment variable with a safe embedded default.

Embedded defaults (no environment at all): SQLite under ./data, an in-process Dramatiq worker, offline
weather, DEBUG on with a generated development key. Production sets DATABASE_URL, DRAMATIQ_BROKER_URL,
SECRET_KEY and DEBUG=false.
"""

import os
import secrets
import sys
import tempfile
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from config.env import env_bool, env_float, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(env_str("SOLARSCAN_DATA_DIR", str(BASE_DIR / "data")))
TESTING = "pytest" in sys.modules
DATA_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = env_bool("DEBUG", True)
SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off")
    SECRET_KEY = "dev-only-" + secrets.token_urlsafe(40)

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_dramatiq",
    "csp",
    "apps.common",
    "apps.accounts",
    "apps.organizations",
    "apps.dossiers",
    "apps.scans",
    "apps.prices",
    "apps.studio",
    "apps.devices",
    "apps.proposals",
    "apps.monitoring",
    "apps.portal",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "apps.common.middleware.ApiDefaultsMiddleware",
    "apps.common.own_404.OwnNotFoundPageMiddleware",  # outside CommonMiddleware: its slash redirect comes first
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
            ],
        },
    },
]

DATABASE_URL = env_str("DATABASE_URL", f"sqlite:///{DATA_DIR / 'solarscan.sqlite3'}")
# Persistent connections [s] to a database server: opening a PostgreSQL connection per request cost about
# 10 ms of server CPU and 30 ms of latency, more than the API request itself (benchmarks/api_bench.py).
# Health checks replace a connection the server dropped before it is used. An SQLite file opens in
# microseconds and the embedded run's threads share it: per request there, as before; and in tests, whose
# worker threads would otherwise still hold connections when the test database is dropped.
DATABASES = {
    "default": dj_database_url.parse(
        DATABASE_URL,
        conn_max_age=env_int("DB_CONN_MAX_AGE", 0 if DATABASE_URL.startswith("sqlite") or TESTING else 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # Several threads (web + in-process worker) share the file. WAL lets readers run beside the one writer;
    # IMMEDIATE takes the write lock when a transaction starts (a deferred one that upgrades later fails at
    # once with "database is locked"); the timeout [s] makes writers queue for the lock instead of failing.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
            "timeout": env_int("SQLITE_BUSY_TIMEOUT_S", 30),
        }
    )
    if TESTING:  # a file, as in the embedded run: shared-cache memory databases lock whole tables instead
        DATABASES["default"]["TEST"] = {
            "NAME": str(Path(tempfile.gettempdir()) / f"solarscan-test-{os.getpid()}.db")
        }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
if TESTING:
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
LOGIN_URL = "/login/"

LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", "Nederlands"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(DATA_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = DEBUG

# Meter files arrive as multipart files (streamed to disk past 2.5 MB); a studio "save full state" JSON body
# carries 8760-value arrays per layer, so the non-file body limit is raised from Django's 2.5 MB.
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

# Shared cache (throttle counters, weather memo): Redis in production so every process counts the same.
CACHE_URL = env_str("CACHE_URL")
CACHES = {
    "default": {"BACKEND": "apps.common.cache.KeptClientRedisCache", "LOCATION": CACHE_URL}
    if CACHE_URL
    else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
}

# Weather for new scans: "offline" (deterministic model, no network) or "pvgis" (PVGIS TMY, cached in the DB).
WEATHER_SOURCE = env_str("WEATHER_SOURCE", "offline")
# ENTSO-E Transparency Platform token for `manage.py add_price_year --source entsoe` (empty: not used).
ENTSOE_API_TOKEN = env_str("ENTSOE_API_TOKEN", "")
if WEATHER_SOURCE not in ("offline", "pvgis"):
    raise ImproperlyConfigured(f"WEATHER_SOURCE={WEATHER_SOURCE!r}: use 'offline' or 'pvgis'")

# Dossier address → coordinates: "offline" (embedded GeoNames postcode table, no network) or "online"
# (PDOK Locatieserver for NL, Flemish geolocation for BE, cached; the postcode table when they are down).
GEOCODER = env_str("GEOCODER", "offline")
if GEOCODER not in ("offline", "online"):
    raise ImproperlyConfigured(f"GEOCODER={GEOCODER!r}: use 'offline' or 'online'")

EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Solarscan <noreply@solarscan.local>")

# Webhook targets: https on the public internet only; local development may allow http and inside addresses.
WEBHOOK_ALLOW_HTTP = env_bool("WEBHOOK_ALLOW_HTTP", False)
WEBHOOK_ALLOW_PRIVATE_TARGETS = env_bool("WEBHOOK_ALLOW_PRIVATE_TARGETS", False)

# Device vendors (apps.devices.vendors reads these and only these): "fake" (the stand-in servers of
# devkit.vendors, started in-process; the embedded default with DEBUG on) or "live" (the default with DEBUG
# off: an unconfigured vendor then answers 503 vendor_not_configured naming the settings to set, never fake
# data). `check --deploy` refuses an explicit "fake" with DEBUG off unless DEVICES_ALLOW_FAKE_VENDORS=true
# (a staging demo). DEVICES_FAKE_VENDORS is a dotted path loaded only in fake mode, so the product's code
# never imports devkit.
DEVICES_VENDOR_MODE = env_str("DEVICES_VENDOR_MODE", "fake" if DEBUG else "live")
DEVICES_ALLOW_FAKE_VENDORS = env_bool("DEVICES_ALLOW_FAKE_VENDORS", False)
DEVICES_FAKE_VENDORS = "devkit.vendors.embedded.stand_in_config"
DEVICES_HISTORY_DAYS = env_int("DEVICES_HISTORY_DAYS", 365)  # how far back a first sync reaches [days]
DEVICES_PUBLIC_BASE_URL = env_str("DEVICES_PUBLIC_BASE_URL", "")  # "": the address the request came in on
DEVICES_MAX_RETRIES = env_int("DEVICES_MAX_RETRIES", 3)
DEVICES_BACKOFF_S = env_float("DEVICES_BACKOFF_S", 0.5)
DEVICE_TOKEN_KEY = env_str("DEVICE_TOKEN_KEY", "")  # "": a key derived from SECRET_KEY (deploy warning)
ENODE_API_URL = env_str("ENODE_API_URL", "")
ENODE_TOKEN_URL = env_str("ENODE_TOKEN_URL", "")
ENODE_CLIENT_ID = env_str("ENODE_CLIENT_ID", "")
ENODE_CLIENT_SECRET = env_str("ENODE_CLIENT_SECRET", "")
ENODE_WEBHOOK_SECRET = env_str("ENODE_WEBHOOK_SECRET", "")
ENODE_API_VERSION = env_str("ENODE_API_VERSION", "")
ENPHASE_API_URL = env_str("ENPHASE_API_URL", "")
ENPHASE_AUTH_URL = env_str("ENPHASE_AUTH_URL", "")
ENPHASE_API_KEY = env_str("ENPHASE_API_KEY", "")
ENPHASE_CLIENT_ID = env_str("ENPHASE_CLIENT_ID", "")
ENPHASE_CLIENT_SECRET = env_str("ENPHASE_CLIENT_SECRET", "")
# Calls a minute to Enlighten; None: 10 live (the document's example plan), unpaced against the stand-in.
ENPHASE_REQUESTS_PER_MINUTE = (
    env_int("ENPHASE_REQUESTS_PER_MINUTE", 0) if env_str("ENPHASE_REQUESTS_PER_MINUTE") is not None else None
)
POD_API_URL = env_str("POD_API_URL", "")
POD_TOKEN_URL = env_str("POD_TOKEN_URL", "")
POD_CLIENT_ID = env_str("POD_CLIENT_ID", "")
POD_CLIENT_SECRET = env_str("POD_CLIENT_SECRET", "")

# Transport security: on by default with DEBUG off (README "Production"). Behind a TLS-terminating proxy set
# SECURE_PROXY_SSL_HEADER=true (it must overwrite X-Forwarded-Proto); SECURE_SSL_REDIRECT=false if it redirects.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("SECURE_PROXY_SSL_HEADER", False) else None
)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 365 * 24 * 3600)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", not DEBUG)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", not DEBUG)
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEBUG)
# Content-Security-Policy on every response (django-csp): no inline script anywhere; style attributes only
# (per-organization colours), no <style> elements; images from here and data: URIs (charts, logos).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "style-src-attr": ["'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# --- API ---------------------------------------------------------------------------------------------
API_PAGE_SIZE_MAX = 100
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "apps.organizations.authentication.ApiKeyAuthentication",
        "rest_framework_simplejwt.authentication.JWTAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["apps.organizations.permissions.HasOrganization"],
    "DEFAULT_RENDERER_CLASSES": ["apps.common.api.renderers.FastCamelCaseJSONRenderer"],
    # JSON only (any other media type is a 415); the CSV upload view adds multipart itself.
    "DEFAULT_PARSER_CLASSES": ["apps.common.api.parsers.BoundedCamelCaseJSONParser"],
    "DEFAULT_PAGINATION_CLASS": "apps.common.api.pagination.PagePagination",
    "EXCEPTION_HANDLER": "apps.common.api.errors.problem_exception_handler",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_THROTTLE_RATES": {"anon_scan": "3/min", "anon": "60/min"},
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SIMPLE_JWT = {
    "ACCESS_TOKEN_LIFETIME": timedelta(minutes=env_int("JWT_ACCESS_MINUTES", 15)),
    "REFRESH_TOKEN_LIFETIME": timedelta(days=env_int("JWT_REFRESH_DAYS", 7)),
    "AUTH_HEADER_TYPES": ("Bearer",),
    "USER_ID_FIELD": "id",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Solarscan API",
    "DESCRIPTION": "Solar and home battery scans, studio consumption profiles and device links.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "CAMELIZE_NAMES": True,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "drf_spectacular.contrib.djangorestframework_camel_case.camelize_serializer_fields",
        "apps.scans.api.schema.add_scan_components",
        "apps.common.api.schema.problem_responses_links_and_extensions",
    ],
}

# --- Jobs ----------------------------------------------------------------------------------------------
# DRAMATIQ_BROKER_URL: redis://… or amqp://… in production; "stub" for unit tests; unset = embedded
# in-process worker (the embedded run computes scans without any server).
DRAMATIQ_BROKER_URL = env_str("DRAMATIQ_BROKER_URL", "stub" if TESTING else "embedded")
_DRAMATIQ_MIDDLEWARE = [
    "dramatiq.middleware.AgeLimit",
    "dramatiq.middleware.TimeLimit",
    "dramatiq.middleware.Callbacks",
    "dramatiq.middleware.Retries",
    "django_dramatiq.middleware.DbConnectionsMiddleware",
    "apps.scans.periodic.PeriodicSweep",
    "apps.common.periodic.PeriodicOutboxRelay",
    "apps.devices.periodic.PeriodicRefresh",
]
# The run_scan job's time limit [s]; the stuck-scan sweep's limits are derived from it.
SCAN_TIME_LIMIT_S = env_int("SCAN_TIME_LIMIT_S", 300)
# Every periodic interval [s] is read here and only here (apps.common.periodic reads these settings).
SCAN_SWEEP_INTERVAL_S = float(env_int("SCAN_SWEEP_INTERVAL_S", 60))
DEVICES_REFRESH_INTERVAL_S = float(env_int("DEVICES_REFRESH_INTERVAL_S", 3600))
OUTBOX_RELAY_INTERVAL_S = float(env_int("OUTBOX_RELAY_INTERVAL_S", 2))
# Worker threads per queue group: each group is its own worker (embedded) or `rundramatiq --queues …`
# process (production), so slow webhooks or vendors never take a thread a scan needs.
DRAMATIQ_QUEUE_THREADS = {
    "scans": env_int("SCAN_WORKER_THREADS", 2),
    "webhooks": env_int("WEBHOOK_WORKER_THREADS", 4),
    "devices,default": env_int("DEVICE_WORKER_THREADS", 2),
}
# Redis broker: a worker silent for this long [ms] counts as dead and its unacknowledged messages go back
# to the queue; maintenance runs on this many commands per million (dramatiq's default 1000 took ~27 min).
DRAMATIQ_HEARTBEAT_TIMEOUT_MS = env_int("DRAMATIQ_HEARTBEAT_TIMEOUT_MS", 30_000)
DRAMATIQ_MAINTENANCE_CHANCE = env_int("DRAMATIQ_MAINTENANCE_CHANCE", 50_000)


def _broker_settings(url: str) -> dict:
    if url == "stub":
        return {"BROKER": "dramatiq.brokers.stub.StubBroker", "OPTIONS": {}}
    if url == "embedded":
        return {"BROKER": "config.dramatiq.EmbeddedBroker", "OPTIONS": {}}
    if url.startswith(("redis://", "rediss://")):
        return {
            "BROKER": "dramatiq.brokers.redis.RedisBroker",
            "OPTIONS": {
                "url": url,
                "heartbeat_timeout": DRAMATIQ_HEARTBEAT_TIMEOUT_MS,
                "maintenance_chance": DRAMATIQ_MAINTENANCE_CHANCE,
            },
        }
    if url.startswith(("amqp://", "amqps://")):
        return {"BROKER": "dramatiq.brokers.rabbitmq.RabbitmqBroker", "OPTIONS": {"url": url}}
    raise ImproperlyConfigured(f"DRAMATIQ_BROKER_URL={url!r}: use redis://, amqp://, 'stub' or leave unset")


DRAMATIQ_BROKER = {**_broker_settings(DRAMATIQ_BROKER_URL), "MIDDLEWARE": _DRAMATIQ_MIDDLEWARE}
DRAMATIQ_AUTODISCOVER_MODULES = ["jobs"]
DRAMATIQ_TASKS_DATABASE = "default"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"dramatiq": {"level": "WARNING"}, "django.db.backends": {"level": "WARNING"}},
}
