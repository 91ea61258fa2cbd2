"""Settings for cchc, read from the environment through typed helpers (cchc.lib.env).

With no configuration at all it runs: SQLite under var/, a generated secret key kept in var/,
DEBUG off (``make run`` turns it on and says so). ``CCHC_PRODUCTION=1`` turns on the production settings and
refuses to start without what production needs.
"""

from __future__ import annotations

import secrets
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

from cchc.lib.env import ConfigError, envbool, envint, envlist, envrate, envstr

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(envstr("CCHC_VAR_DIR", str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)

PRODUCTION = envbool("CCHC_PRODUCTION", False)
# Off unless asked for (DEBUG=1, as `make run` does for a developer's machine): a traceback shows settings,
# paths and personal data to whoever triggers an error.
DEBUG = envbool("DEBUG", False)


def _secret_key() -> str:
    key = envstr("SECRET_KEY")
    if key:
        return key
    if PRODUCTION:
        raise ConfigError("SECRET_KEY (or SECRET_KEY_FILE) is required when CCHC_PRODUCTION=1")
    # Local use: generate once and keep it, so sessions survive a restart.
    path = VAR_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50), encoding="utf-8")
        path.chmod(0o600)
    return path.read_text(encoding="utf-8").strip()


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", [] if PRODUCTION else ["127.0.0.1", "localhost", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", [])
SITE_URL = envstr("SITE_URL", "http://127.0.0.1:8000")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    # Form widgets render through the project's templates (FORM_RENDERER), so cchc/templates/django/forms/ may
    # override one: the empty choice reads "— Chọn —", not "---------".
    "django.forms",
    "django_htmx",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "csp",
    "cchc.lib",
    "cchc.orgs",
    "cchc.accounts",
    "cchc.audit",
    "cchc.plans",
    "cchc.execution",
    "cchc.procedures",
    "cchc.reports",
    "cchc.dashboards",
    "cchc.feedback",
    "cchc.portal",
    "cchc.privacy",
    "cchc.ops",
    "cchc.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "cchc.lib.badrequest.RefuseNulMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Early, so that everything below it (idle time-out, MFA, refusals) can write audit rows with the address.
    "cchc.lib.request_context.RequestContextMiddleware",
    "cchc.lib.locale.IgnoreBrowserLanguageMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "cchc.accounts.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "cchc.lib.security.SecurityHeadersMiddleware",
    "cchc.accounts.middleware.IdleTimeoutMiddleware",
    "cchc.accounts.middleware.AccountPolicyMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
    "cchc.audit.middleware.RefusedRequestMiddleware",
]

ROOT_URLCONF = "cchc.urls"
WSGI_APPLICATION = "cchc.wsgi.application"

FORM_RENDERER = "django.forms.renderers.TemplatesSetting"
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "cchc" / "templates"],
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

# --- Database -------------------------------------------------------------------------------------
DATABASE_URL = envstr("DATABASE_URL", f"sqlite:///{VAR_DIR / 'cchc.sqlite3'}")
try:
    _db = dj_database_url.parse(DATABASE_URL, conn_max_age=envint("DB_CONN_MAX_AGE", 0))
except ValueError as err:
    raise ConfigError(f"DATABASE_URL={DATABASE_URL!r} cannot be understood: {err}") from None
if _db["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers go on while one writer writes; IMMEDIATE takes the write lock at BEGIN so
    # concurrent writers queue (busy timeout) instead of failing with "database is locked".
    _db["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
elif PRODUCTION is False and _db["ENGINE"] != "django.db.backends.postgresql":
    raise ConfigError("DATABASE_URL must be sqlite:// or postgres://")
if PRODUCTION and _db["ENGINE"] != "django.db.backends.postgresql":
    raise ConfigError("CCHC_PRODUCTION=1 requires a PostgreSQL DATABASE_URL (postgres://...)")
DATABASES = {"default": _db}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Accounts ---------------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # Django's ModelBackend loading the user's unit with the user (cchc/accounts/backends.py). A session keeps the
    # path of the backend that signed it in: sessions made under another path end, and their users sign in again.
    "cchc.accounts.backends.UserWithUnitBackend",
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "dashboards:home"
LOGOUT_REDIRECT_URL = "portal:home"

# --- Internationalisation ------------------------------------------------------------------------
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Tiếng Việt")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "cchc" / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
DATE_INPUT_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]

# --- Files, cache, sessions, background tasks: see the deployment section at the end ---------------

EMAIL_BACKEND = envstr("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = envstr("DEFAULT_FROM_EMAIL", "cchc@localhost")

# ==================================================================================================
# SECURITY — owned by the security work (issue 9); every property is listed with its test in
# docs/security.md. Keep changes to this block together so that merges stay easy.
# ==================================================================================================
if PRODUCTION and DEBUG:
    # A stack trace on a public server shows settings, paths and personal data.
    raise ConfigError("DEBUG must be off when CCHC_PRODUCTION=1")

# --- Passwords: length and blocklists, no composition rules (NIST SP 800-63B) ---------------------
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "cchc.accounts.passwords.VietnameseCommonPasswordValidator"},
    {"NAME": "cchc.accounts.passwords.PasswordHistoryValidator"},
]
PASSWORD_HISTORY_COUNT = envint("PASSWORD_HISTORY_COUNT", 10)  # the last N passwords cannot be reused
ADMIN_PASSWORD_MAX_AGE_DAYS = envint("ADMIN_PASSWORD_MAX_AGE_DAYS", 60)
INACTIVE_ACCOUNT_DAYS = envint("INACTIVE_ACCOUNT_DAYS", 45)  # `cchc disable_inactive_users`

# --- Log-in throttling: after 5 failures for one username from one address, refuse for 15 minutes ---
AXES_FAILURE_LIMIT = envint("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_VERBOSE = False
# Behind reverse proxies: how many of them append to X-Forwarded-For (nginx in front of gunicorn: 1). The
# audit log and the lock-out then see the client's address, not the proxy's. 0: trust REMOTE_ADDR only.
TRUSTED_PROXY_COUNT = envint("TRUSTED_PROXY_COUNT", 0)
# The lock-out counts failures per (username, client address) with the very function the audit log uses, so
# behind nginx one client's wrong passwords lock that client out of that account, not everyone.
AXES_CLIENT_IP_CALLABLE = "cchc.lib.request_context.client_ip"

# --- Multi-factor authentication (TOTP, django-otp) -----------------------------------------------
# Roles that must use a second factor: they are sent to set it up at log-in and can use nothing else
# until done. Everyone else may turn it on from "Bảo mật tài khoản".
MFA_REQUIRED_ROLES = envlist("MFA_REQUIRED_ROLES", ["admin", "coordinator"])
MFA_ENFORCED = envbool("MFA_ENFORCED", True)
OTP_TOTP_ISSUER = envstr("OTP_TOTP_ISSUER", f"CCHC {envstr('CCHC_PROVINCE', 'Gia Lai')}")

# --- Sessions: 15 minutes idle for staff, 8 hours at most, key rotated at log-in (Django's login) -----
IDLE_TIMEOUT_SECONDS = envint("IDLE_TIMEOUT_MINUTES", 15) * 60
SESSION_COOKIE_AGE = envint("SESSION_COOKIE_AGE", 8 * 3600)  # a working day
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True  # htmx sends the token from the page ({% csrf_token %} / hx-headers), never the cookie
CSRF_COOKIE_SAMESITE = "Lax"
CSRF_FAILURE_VIEW = "cchc.lib.errors.csrf_failure"
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"

# --- Headers --------------------------------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Content-Security-Policy (django-csp; Django 5.2 has none of its own). No inline script and no eval:
# JavaScript lives in static files. Inline *style* attributes are allowed: they cannot run code, and
# htmx inserts its indicator style.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "frame-src": ["'none'"],
    },
}
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()"

# --- Uploads --------------------------------------------------------------------------------------
DATA_UPLOAD_MAX_NUMBER_FILES = envint("DATA_UPLOAD_MAX_NUMBER_FILES", 20)
DATA_UPLOAD_MAX_NUMBER_FIELDS = 2000
# Optional antivirus: ClamAV's daemon on a Unix socket or TCP. Unset: no scan (cchc.lib.uploads).
CLAMD_SOCKET = envstr("CLAMD_SOCKET", "")
CLAMD_HOST = envstr("CLAMD_HOST", "")
CLAMD_PORT = envint("CLAMD_PORT", 3310)
CLAMD_TIMEOUT = envint("CLAMD_TIMEOUT", 30)

# --- Audit and personal data ----------------------------------------------------------------------
AUDIT_RETENTION_MONTHS = envint("AUDIT_RETENTION_MONTHS", 12)  # the minimum `cchc purge_audit` accepts
PRIVACY_CONTROLLER = envstr("PRIVACY_CONTROLLER", "Sở Nội vụ tỉnh Gia Lai")
PRIVACY_CONTACT = envstr("PRIVACY_CONTACT", "")
PRIVACY_NOTICE_VERSION = envstr("PRIVACY_NOTICE_VERSION", "2026-01")
# Data-subject requests, in working days from receipt (cchc.lib.workdays). Acknowledge within 2 working
# days (Nghị định 356/2025/NĐ-CP). Carrying out: 3 working days by default — the 72 hours of the former
# Nghị định 13/2023, kept as a conservative floor; the legal officer sets the periods in force with
# PRIVACY_DSR_WORKING_DAYS="access=3,correction=3,deletion=3,restriction=3,objection=3,withdraw_consent=3".
PRIVACY_DSR_ACK_WORKING_DAYS = envint("PRIVACY_DSR_ACK_WORKING_DAYS", 2)
PRIVACY_DSR_WORKING_DAYS = {
    kind: 3 for kind in ("access", "correction", "deletion", "restriction", "objection", "withdraw_consent")
}
for _item in envlist("PRIVACY_DSR_WORKING_DAYS", []):
    _kind, _sep, _days = _item.partition("=")
    if _kind.strip() not in PRIVACY_DSR_WORKING_DAYS or not _days.strip().isdigit():
        raise ConfigError(f"PRIVACY_DSR_WORKING_DAYS: {_item!r} is not kind=days with a known kind")
    PRIVACY_DSR_WORKING_DAYS[_kind.strip()] = int(_days)
# Incidents: initial report within 24 hours of detection; personal-data breaches notified to the
# authority (A05, Bộ Công an) within 72 hours.
PRIVACY_INCIDENT_INITIAL_HOURS = envint("PRIVACY_INCIDENT_INITIAL_HOURS", 24)
PRIVACY_INCIDENT_AUTHORITY_HOURS = envint("PRIVACY_INCIDENT_AUTHORITY_HOURS", 72)

if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True
    # __Host- cookies: Secure, Path=/, no Domain — a sibling sub-domain cannot set or read them.
    SESSION_COOKIE_NAME = "__Host-cchc_session"
    CSRF_COOKIE_NAME = "__Host-cchc_csrf"
    SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = envbool("SECURE_HSTS_PRELOAD", True)
# ==================================================================================================
# END SECURITY
# ==================================================================================================

# The province this installation serves (registry loads and defaults).
CCHC_PROVINCE = envstr("CCHC_PROVINCE", "Gia Lai")

# === Deployment: static files, uploads, cache, sessions, tasks, logging ===========================
# Owned by the deployment work (issue 8, docs/deploy.md). Nothing here may assume one process or one
# machine: several app servers share the database, Redis and the file store.

# Static files are served by the app itself (WhiteNoise, see MIDDLEWARE): ``cchc collectstatic`` writes
# hashed, compressed copies to STATIC_ROOT in production; no CDN, no external font.
STATIC_URL = "static/"
STATIC_ROOT = Path(envstr("CCHC_STATIC_ROOT", str(VAR_DIR / "static")))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
WHITENOISE_USE_FINDERS = not PRODUCTION
WHITENOISE_MAX_AGE = 3600 if PRODUCTION else 0

# Uploaded evidence goes through Django's storage API, kept outside the web root and only served by
# permission-checked views: local disk by default, an S3-compatible object store (MinIO, Ceph, a
# government cloud) when CCHC_S3_BUCKET is set, so every app server sees every file.
MEDIA_ROOT = Path(envstr("CCHC_MEDIA_ROOT", str(VAR_DIR / "media")))
S3_BUCKET = envstr("CCHC_S3_BUCKET")
if S3_BUCKET:
    _default_storage = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": S3_BUCKET,
            "endpoint_url": envstr("CCHC_S3_ENDPOINT_URL"),
            "region_name": envstr("CCHC_S3_REGION"),
            "access_key": envstr("CCHC_S3_ACCESS_KEY"),
            "secret_key": envstr("CCHC_S3_SECRET_KEY"),
            "location": envstr("CCHC_S3_PREFIX", ""),
            # Files are private: views stream them after a permission check, never a public URL.
            "default_acl": None,
            "querystring_auth": True,
            "file_overwrite": False,
            "addressing_style": envstr("CCHC_S3_ADDRESSING_STYLE", "path"),
        },
    }
else:
    _default_storage = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
STORAGES = {
    "default": _default_storage,
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 25 * 1024 * 1024
FILE_UPLOAD_PERMISSIONS = 0o640

# Cache: Redis when REDIS_URL is set (shared by every app server), else this process's memory.
REDIS_URL = envstr("REDIS_URL")
CACHE_KEY_PREFIX = envstr("CCHC_CACHE_PREFIX", "cchc")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": CACHE_KEY_PREFIX,
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Dashboard and report figures kept in the cache until the data changes (cchc.lib.figcache): only with a
# cache every app server shares, or one server would not see another's change.
CCHC_FIGURE_CACHE = envbool("CCHC_FIGURE_CACHE", bool(REDIS_URL))

# The signed-in user and their second-factor device read from the cache until they change
# (cchc.accounts.authcache): only with a cache every app server shares, for the same reason.
CCHC_AUTH_CACHE = envbool("CCHC_AUTH_CACHE", bool(REDIS_URL))

# Sessions live in the database, read through the Redis cache when there is one: any app server can
# serve any request, and a Redis restart logs nobody out.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db" if REDIS_URL else "django.contrib.sessions.backends.db"


# Persistent connections (DB_CONN_MAX_AGE > 0) are checked before reuse, so a database restart or a
# failover costs one retry, not an error page.
DATABASES["default"]["CONN_HEALTH_CHECKS"] = DATABASES["default"].get("CONN_MAX_AGE", 0) > 0

# Load balancers probe /healthz over plain HTTP on the app port: no redirect to HTTPS for it.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

# Backups (cchc backup): where they go unless -o is given, and PostgreSQL's client programs.
CCHC_BACKUP_DIR = Path(envstr("CCHC_BACKUP_DIR", str(VAR_DIR / "backups")))
CCHC_PG_BINDIR = envstr("CCHC_PG_BINDIR", "")

# Outgoing mail (reminders) through the province's mail server; the password from a file (EMAIL_HOST_PASSWORD_FILE).
EMAIL_HOST = envstr("EMAIL_HOST", "localhost")
EMAIL_PORT = envint("EMAIL_PORT", 25)
EMAIL_HOST_USER = envstr("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = envstr("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = envbool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = envbool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = envint("EMAIL_TIMEOUT", 30)

# Logs: one JSON object per line on stderr in production (journald keeps them); readable text otherwise.
LOG_FORMAT = envstr("CCHC_LOG_FORMAT", "json" if PRODUCTION else "text")
if LOG_FORMAT not in {"json", "text"}:
    raise ConfigError(f"CCHC_LOG_FORMAT={LOG_FORMAT!r}: use 'json' or 'text'")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {"()": "cchc.lib.jsonlog.JsonFormatter"},
        "text": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT}},
    "root": {"handlers": ["console"], "level": envstr("LOG_LEVEL", "INFO" if PRODUCTION else "WARNING")},
    "loggers": {
        # Django logs every 4xx as a warning; keep the 5xx (errors) and what cchc itself says.
        "django.request": {"level": "ERROR"},
        "django.security": {"level": "WARNING"},
        "cchc": {"level": envstr("LOG_LEVEL", "INFO")},
    },
}

# Panels other apps add to the dashboards (dotted paths of functions, see cchc/dashboards/panels.py):
# the feedback app's citizens' satisfaction ratings (SIPAS) by agency.
CCHC_DASHBOARD_PANELS: list[str] = ["cchc.feedback.panels.satisfaction"]

# --- Feedback and petitions (PAKN) ------------------------------------------------------------------------
# Deadlines in working days (Vietnamese holidays and Tết excluded, cchc.lib.workdays), per step. Classifying and
# forwarding within 5 working days of receipt follows Nghị định 20/2008/NĐ-CP; the answer and publication
# periods are the province's choice in its own PAKN rules (see README, "Phản ánh, kiến nghị").
FEEDBACK_DEADLINE_DAYS = {
    "classify": envint("FEEDBACK_CLASSIFY_DAYS", 5),
    "answer": envint("FEEDBACK_ANSWER_DAYS", 10),
    "publish": envint("FEEDBACK_PUBLISH_DAYS", 5),
}
# An open item is "due soon" this many working days before its deadline (and its officers get one reminder).
FEEDBACK_DEADLINE_WARN_DAYS = envint("FEEDBACK_WARN_DAYS", 2)
# Submissions (web form, JSON API and Open311 together) per client address: COUNT/PERIOD, e.g. 10/h or 300/m.
FEEDBACK_RATE_LIMIT = envrate("FEEDBACK_RATE_LIMIT", "10/h")
# Look-ups of a tracking code (page, JSON API, Open311) per client address: codes cannot be guessed in bulk.
FEEDBACK_TRACK_RATE_LIMIT = envrate("FEEDBACK_TRACK_RATE_LIMIT", "60/h")
# Satisfaction ratings from one-stop desk receipts, per client address.
FEEDBACK_RATING_RATE_LIMIT = envrate("FEEDBACK_RATING_RATE_LIMIT", "30/h")
FEEDBACK_MAX_ATTACHMENTS = envint("FEEDBACK_MAX_ATTACHMENTS", 5)
FEEDBACK_MAX_ATTACHMENT_MB = envint("FEEDBACK_MAX_ATTACHMENT_MB", 10)
FEEDBACK_MAX_TOTAL_MB = envint("FEEDBACK_MAX_TOTAL_MB", 20)
# Largest JSON body the API reads (bytes); larger requests are refused with 413 before parsing.
FEEDBACK_API_MAX_BODY = envint("FEEDBACK_API_MAX_BODY", 256 * 1024)
# Proof of work the public form's browser does instead of the spoken-word sum (leading zero bits of SHA-256; each
# bit doubles the work: 16 is a fraction of a second on a phone). 0 turns it off; the sum always stays available.
FEEDBACK_POW_BITS = envint("FEEDBACK_POW_BITS", 16)
# How long a CAPTCHA question stays valid (seconds).
FEEDBACK_CAPTCHA_MAX_AGE = envint("FEEDBACK_CAPTCHA_MAX_AGE", 2 * 3600)
# Senders' personal data is anonymised this many months after the item is closed (cchc anonymise_personal_data).
FEEDBACK_RETENTION_MONTHS = envint("FEEDBACK_RETENTION_MONTHS", 60)
