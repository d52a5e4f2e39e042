"""Settings, read from the environment.

DATABASE_URL   default: SQLite file var/canlian.sqlite3; production: postgres://...
SECRET_KEY     a development default; with DEBUG off it must be set, 50 characters or more.
DEBUG          "1"/"true" to turn on (default on for development).
ALLOWED_HOSTS  comma-separated (default: localhost names).
CANLIAN_FIELD_KEYS  the key ring that encrypts ID numbers at rest, "1:<base64 of 32 bytes>"
               (several comma-separated, the current first); with DEBUG off it must be set.
CANLIAN_LOOKUP_KEY  the key of the ID numbers' lookup hash (base64 of 32 bytes, another key);
               with DEBUG off it must be set. See core/crypto.py and the README.

With DEBUG off the site is HTTPS only; each part can be turned off for a deployment whose
proxy terminates TLS (see README, Settings): SECURE_SSL_REDIRECT, SECURE_HSTS_SECONDS,
SECURE_HSTS_INCLUDE_SUBDOMAINS, SECURE_HSTS_PRELOAD, SECURE_COOKIES, SECURE_PROXY_SSL_HEADER.
"""

import os
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


DEBUG = env_bool("DEBUG", True)

# Django's own deploy check wants 50 characters or more, of 5 different ones at least.
SECRET_KEY_MIN_LENGTH = 50
SECRET_KEY_MIN_DISTINCT = 5
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "canlian-development-only-not-secret"  # noqa: S105
elif not DEBUG and len(SECRET_KEY) < SECRET_KEY_MIN_LENGTH:
    raise ImproperlyConfigured(
        f"SECRET_KEY is {len(SECRET_KEY)} characters long; with DEBUG off it must have at "
        f"least {SECRET_KEY_MIN_LENGTH} (random ones, e.g. from "
        "`python -c 'import secrets; print(secrets.token_urlsafe(50))'`)."
    )
elif not DEBUG and len(set(SECRET_KEY)) < SECRET_KEY_MIN_DISTINCT:
    raise ImproperlyConfigured(
        f"SECRET_KEY has only {len(set(SECRET_KEY))} different characters; with DEBUG off it "
        f"must have at least {SECRET_KEY_MIN_DISTINCT} (use a random one)."
    )

# ID numbers at rest (core/crypto.py): without keys, development gets fixed ones that
# protect nothing; a deployment must bring its own and keep them (lost keys, lost numbers).
CANLIAN_FIELD_KEYS = os.environ.get("CANLIAN_FIELD_KEYS", "").strip()
CANLIAN_LOOKUP_KEY = os.environ.get("CANLIAN_LOOKUP_KEY", "").strip()
if not (CANLIAN_FIELD_KEYS and CANLIAN_LOOKUP_KEY):
    if not DEBUG:
        raise ImproperlyConfigured(
            "CANLIAN_FIELD_KEYS and CANLIAN_LOOKUP_KEY must be set when DEBUG is off (the "
            "keys that encrypt ID numbers; see the README, Encryption of ID numbers).")
    CANLIAN_FIELD_KEYS = CANLIAN_FIELD_KEYS or (
        "dev:Y2FubGlhbi1kZXZlbG9wbWVudC1vbmx5LWZpZWxkLWs=")
    CANLIAN_LOOKUP_KEY = CANLIAN_LOOKUP_KEY or "Y2FubGlhbi1kZXZlbG9wbWVudC1vbmx5LWxvb2t1cC0="

ALLOWED_HOSTS = [
    h.strip()
    for h in os.environ.get("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1],testserver").split(",")
    if h.strip()
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "csp",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "core",
    "audit",
    "imports",
    "orgs",
    "accounts",
    "people",
    "workforce",
    "ledgers",
    "standards",
    "reports",
    "api",
    "bench",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Static files from the process itself (gunicorn in production: make serve), before
    # anything that would touch the session or the database.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "accounts.middleware.PasswordChangeRequiredMiddleware",
    "audit.middleware.RequestAddressMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "canlian.urls"
WSGI_APPLICATION = "canlian.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'var' / 'canlian.sqlite3'}"),
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "0")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and \
        int(os.environ.get("DATABASE_POOL_MAX", "0")):
    # Django's own pool (psycopg_pool) in each server process: up to DATABASE_POOL_MAX
    # connections, kept open and shared by the process's threads (README, PostgreSQL under
    # load). It replaces CONN_MAX_AGE, which must then stay 0; behind pgbouncer leave it off.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
        "min_size": int(os.environ.get("DATABASE_POOL_MIN", "2")),
        "max_size": int(os.environ["DATABASE_POOL_MAX"]),
        "timeout": 10,
    }
if env_bool("DISABLE_SERVER_SIDE_CURSORS", False):
    # Behind pgbouncer in transaction mode, a cursor cannot outlive its transaction.
    DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the server and a background worker share the file; a 64 MB page cache keeps
    # the register's indexes in memory while a large import writes (about 30 % faster).
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].setdefault(
        "init_command",
        "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA cache_size=-65536;",
    )
    DATABASES["default"]["OPTIONS"].setdefault("transaction_mode", "IMMEDIATE")
    # A large import holds the write lock for a few seconds; other writers wait, not fail.
    DATABASES["default"]["OPTIONS"].setdefault("timeout", 30)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "accounts.backends.RoleBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"

# django-axes: throttle failed logins per username and address.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "var" / "static"))
# WhiteNoise serves what collectstatic gathered; in production with content-hashed names
# (cached for a year) and compressed copies, so `make serve` runs collectstatic first.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": (
        "django.contrib.staticfiles.storage.StaticFilesStorage" if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage")},
}
# In development (and the tests) WhiteNoise reads the source folders as they change; in
# production only STATIC_ROOT, scanned once at start.
WHITENOISE_AUTOREFRESH = WHITENOISE_USE_FINDERS = DEBUG

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
# Content-Security-Policy (django-csp): scripts, styles and images from this site only, no
# inline script or style anywhere (JS in static/js/canlian.js, CSS in static/css/canlian.css;
# htmx's own indicator styles are turned off by a meta tag in base.html and live there too).
# The browser tests fail on any violation (core/tests/browser.py).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
        "base-uri": [SELF],
    },
}
if not DEBUG:
    # HTTPS only. A deployment whose proxy terminates TLS turns off what the proxy does
    # itself (SECURE_SSL_REDIRECT=0) and names the header it sets
    # (SECURE_PROXY_SSL_HEADER="HTTP_X_FORWARDED_PROTO,https").
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(365 * 24 * 3600)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    # The header's "preload" only allows the domain to be submitted to the browsers' list.
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
    SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
    CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
    _proxy_header = os.environ.get("SECURE_PROXY_SSL_HEADER", "").strip()
    if _proxy_header:
        _header, _comma, _value = (part.strip() for part in _proxy_header.partition(","))
        if not _header or not _value:
            raise ImproperlyConfigured(
                "SECURE_PROXY_SSL_HEADER is a header and its value, comma-separated: "
                "HTTP_X_FORWARDED_PROTO,https")
        SECURE_PROXY_SSL_HEADER = (_header, _value)

MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "var" / "media"))
MEDIA_URL = "media/"  # never served directly: uploads and rejected rows go through views
# A ledger book with more chapters than this still to typeset is typeset in the background
# (ledgers/book.py); fewer are typeset in the request.
CANLIAN_BOOK_INLINE_CHAPTERS = int(os.environ.get("CANLIAN_BOOK_INLINE_CHAPTERS", "6"))
# The largest photo or PDF a ledger's entry may carry (ledgers/services.py).
CANLIAN_ATTACHMENT_MAX_BYTES = int(os.environ.get("CANLIAN_ATTACHMENT_MAX_BYTES",
                                                  str(10 * 1024 * 1024)))

# Background jobs (large imports): django-tasks with its database backend; `make run` starts
# the worker (manage.py db_worker) beside the server. TASKS_IMMEDIATE=1 runs them inline.
TASKS = {
    "default": {
        "BACKEND": (
            "django_tasks.backends.immediate.ImmediateBackend"
            if env_bool("TASKS_IMMEDIATE", False)
            else "django_tasks_db.DatabaseBackend"
        ),
    }
}
# Live progress of running jobs is kept in a cache every process shares (a job's writes stay
# invisible until its transaction commits, so progress cannot live in its own row).
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": os.environ.get("CACHE_DIR", str(BASE_DIR / "var" / "cache")),
    },
    # Typeset parts of printed documents, keyed by the hash of their own HTML (core/pdf.py):
    # a ledger book reprinted after a change typesets only the chapters that changed.
    "documents": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": os.environ.get("DOCUMENT_CACHE_DIR",
                                   str(BASE_DIR / "var" / "cache" / "documents")),
        "TIMEOUT": 90 * 24 * 3600,
        "OPTIONS": {"MAX_ENTRIES": 20000},
    },
}

# The REST API (api/): requests a minute per token (or per browser session).
CANLIAN_API_RATE = int(os.environ.get("CANLIAN_API_RATE", "600"))

# The public pages (/public/: a village's liaison officer and the township's service window,
# reports/public_views.py). CANLIAN_PUBLIC_URL: the address the service cards' QR codes
# point to (e.g. https://canlian.example.gov.cn); empty: the host of the request that prints
# the card. CANLIAN_PUBLIC_RATE: requests a minute per client address; the address is
# REMOTE_ADDR, or the last address of the header CANLIAN_PUBLIC_CLIENT_HEADER names (e.g.
# HTTP_X_FORWARDED_FOR, which the proxy in front appends to). CANLIAN_PUBLIC_CACHE_SECONDS:
# how long a page is kept in the cache and in browsers and proxies (Cache-Control).
CANLIAN_PUBLIC_URL = os.environ.get("CANLIAN_PUBLIC_URL", "").rstrip("/")
CANLIAN_PUBLIC_RATE = int(os.environ.get("CANLIAN_PUBLIC_RATE", "60"))
CANLIAN_PUBLIC_CLIENT_HEADER = os.environ.get("CANLIAN_PUBLIC_CLIENT_HEADER", "")
CANLIAN_PUBLIC_CACHE_SECONDS = int(os.environ.get("CANLIAN_PUBLIC_CACHE_SECONDS", "300"))

DATA_UPLOAD_MAX_MEMORY_SIZE = 20 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 20 * 1024 * 1024

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {"axes": {"handlers": ["console"], "level": "WARNING"}},
}

# What one import may read: a whole province's register fits (2 million people, ~2 GB of
# sheet XML); a zip bomb or a file of one enormous cell does not.
CANLIAN_IMPORT_MAX_ROWS = int(os.environ.get("CANLIAN_IMPORT_MAX_ROWS", "3000000"))
CANLIAN_IMPORT_MAX_UNZIPPED_BYTES = int(os.environ.get("CANLIAN_IMPORT_MAX_UNZIPPED_BYTES",
                                                       str(4 * 1024 ** 3)))
CANLIAN_IMPORT_MAX_STRINGS_BYTES = int(os.environ.get("CANLIAN_IMPORT_MAX_STRINGS_BYTES",
                                                      str(512 * 1024 ** 2)))

# Site-wide policy knobs, overridable from the environment.
CANLIAN_SITE_NAME = _("canlian")
# A need still open after this many days is flagged as overdue.
CANLIAN_NEED_OVERDUE_DAYS = int(os.environ.get("CANLIAN_NEED_OVERDUE_DAYS", "30"))
# The national survey expects at least this share of people visited each year.
CANLIAN_VISIT_TARGET = float(os.environ.get("CANLIAN_VISIT_TARGET", "0.95"))

# A list export of more rows than this runs as a background job with a progress page (the
# worker beside the server writes it); smaller ones are written in the request. 0: always in
# the request. The job's file is removed this many hours after it was written.
CANLIAN_EXPORT_JOB_ROWS = int(os.environ.get("CANLIAN_EXPORT_JOB_ROWS", "5000"))
CANLIAN_EXPORT_KEEP_HOURS = int(os.environ.get("CANLIAN_EXPORT_KEEP_HOURS", "24"))

# A filtered list counts its rows up to this many, then says "10,000+" (the list as it first
# opens, the user's whole area, is counted exactly).
CANLIAN_LIST_COUNT_CAP = int(os.environ.get("CANLIAN_LIST_COUNT_CAP", "10000"))
