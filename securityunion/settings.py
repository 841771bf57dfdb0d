"""Settings, read from the environment.

Safe defaults for the quick start (``DEBUG=1``, SQLite). With ``DEBUG`` unset or false the app
refuses to start on the development secrets and switches on every transport protection that
``manage.py check --deploy`` asks for.
"""

from pathlib import Path

import environ
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()

DEBUG = env.bool("DEBUG", default=False)

DEVELOPMENT_SECRET_KEY = "dev-only-insecure-secret-key-do-not-use-in-production-0123456789"
DEVELOPMENT_FIELD_ENCRYPTION_KEY = "ZGV2LW9ubHktZmllbGQta2V5LW5vdC1mb3ItcHJvZHVjdGlvbiE="

SECRET_KEY = env.str("SECRET_KEY", default=DEVELOPMENT_SECRET_KEY)
# A key ring: one or more secrets, comma-separated, newest first (securityunion/lib/encryption.py).
FIELD_ENCRYPTION_KEY = env.str("FIELD_ENCRYPTION_KEY", default=DEVELOPMENT_FIELD_ENCRYPTION_KEY)
TESTING = env.bool("SECURITYUNION_TESTING", default=False)

if not DEBUG and not TESTING:
    if SECRET_KEY == DEVELOPMENT_SECRET_KEY or len(SECRET_KEY) < 50:
        raise ImproperlyConfigured(
            "SECRET_KEY is the development secret (or shorter than 50 characters). "
            "Set a real SECRET_KEY, or DEBUG=1 for local development."
        )
    if DEVELOPMENT_FIELD_ENCRYPTION_KEY in (k.strip() for k in FIELD_ENCRYPTION_KEY.split(",")):
        raise ImproperlyConfigured(
            "FIELD_ENCRYPTION_KEY holds the development key. Set real keys, or DEBUG=1."
        )

ALLOWED_HOSTS = env.list(
    "ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"] if DEBUG or TESTING else []
)
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "oauth2_provider",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "guardian",
    "django_htmx",
    "csp",
    # the shared layer
    "securityunion.accounts",
    "securityunion.access",
    "securityunion.audit",
    "securityunion.casework",
    "securityunion.documents",
    "securityunion.notifications",
    # the five domain apps
    "reports",
    "victims",
    "drugs",
    "firearms",
    "prevention",
]

MIDDLEWARE = [
    "securityunion.lib.headers.NoServerHeaderMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "securityunion.access.middleware.LoginRequiredMiddleware",
    "securityunion.access.middleware.UserTimeZoneMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "securityunion.audit.middleware.AuditContextMiddleware",
    "securityunion.access.middleware.SessionLifetimeMiddleware",
    "securityunion.access.middleware.MfaRequiredMiddleware",
    "securityunion.access.middleware.NoStoreMiddleware",
]

ROOT_URLCONF = "securityunion.urls"
WSGI_APPLICATION = "securityunion.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "securityunion.access.context_processors.navigation",
                "securityunion.notifications.context_processors.notifications",
            ],
        },
    },
]

# --- database -------------------------------------------------------------------------------
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # A restarted database must not break the app: health-check a connection before reuse.
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    if env.bool("DATABASE_POOL", default=False):
        DATABASES["default"]["CONN_MAX_AGE"] = 0
        DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
            "min_size": 1,
            "max_size": env.int("DATABASE_POOL_SIZE", default=8),
        }
    else:
        DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# Covering indexes (INCLUDE) are a PostgreSQL feature; the SQLite quick start does without.
SILENCED_SYSTEM_CHECKS = (
    ["models.W040"] if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3" else []
)

# --- cache: shared by every worker (throttling, rate limits) -------------------------------
CACHES = {"default": env.cache("CACHE_URL", default="dbcache://securityunion_cache")}

# --- authentication ----------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
    "guardian.backends.ObjectPermissionBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    # company API client secrets only (generated, high-entropy): see securityunion/access/hashers.py
    "securityunion.access.hashers.ClientSecretSHA256Hasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "dashboard"
ACCOUNT_LOGOUT_REDIRECT_URL = "account_login"
ACCOUNT_LOGIN_METHODS = {"username"}
ACCOUNT_SIGNUP_FIELDS = ["username*", "password1*", "password2*"]
# E-mail addresses: one per account; a new address replaces the old one only once verified,
# and changing it asks for the password again. Password resets go to verified addresses only.
ACCOUNT_EMAIL_VERIFICATION = "optional"
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_EMAIL_UNKNOWN_ACCOUNTS = False
ACCOUNT_REAUTHENTICATION_REQUIRED = True
ACCOUNT_REAUTHENTICATION_TIMEOUT = env.int("REAUTHENTICATION_TIMEOUT", default=10 * 60)
ACCOUNT_FORMS = {"reset_password": "securityunion.accounts.forms.VerifiedResetPasswordForm"}
ACCOUNT_ADAPTER = "securityunion.accounts.adapter.AccountAdapter"
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
# Failed sign-ins are throttled by the adapter (per account and per real client address, each
# refusal audited); allauth's other limits stay, keyed on the same client address.
ACCOUNT_RATE_LIMITS = {"login_failed": None}
LOGIN_FAILURES_PER_ACCOUNT = env.int("LOGIN_FAILURES_PER_ACCOUNT", default=5)
LOGIN_FAILURES_PER_ADDRESS = env.int("LOGIN_FAILURES_PER_ADDRESS", default=20)
LOGIN_FAILURE_WINDOW_SECONDS = env.int("LOGIN_FAILURE_WINDOW_SECONDS", default=15 * 60)
# Reverse proxies whose X-Forwarded-For is believed (comma-separated addresses or networks).
TRUSTED_PROXIES = env.list("TRUSTED_PROXIES", default=[])
# A second factor for every account; only a DEBUG (demo) system may relax it, and then every
# page says so.
MFA_REQUIRED = env.bool("MFA_REQUIRED", default=False) if DEBUG else True
# Case data exports and role changes need a password or second-factor entry within
# ACCOUNT_REAUTHENTICATION_TIMEOUT.
SENSITIVE_ACTIONS_NEED_REAUTHENTICATION = True
INVITATION_EXPIRY_HOURS = env.int("INVITATION_EXPIRY_HOURS", default=72)
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes", "webauthn"]
MFA_PASSKEY_LOGIN_ENABLED = False
MFA_TOTP_ISSUER = "Security Union back office"

# --- sessions and transport security ------------------------------------------------------
SESSION_ENGINE = "django.contrib.sessions.backends.db"
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=30 * 60)
SESSION_SAVE_EVERY_REQUEST = True
# However active, a session ends this long after sign-in (SessionLifetimeMiddleware).
SESSION_ABSOLUTE_SECONDS = env.int("SESSION_ABSOLUTE_SECONDS", default=12 * 3600)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Content Security Policy (django-csp 4) on every response: scripts and styles only from our own
# static files, no inline script or handler, no plugins, no <base>, never framed, forms post
# only to us. Templates carry no inline script, handler or style attribute (a test scans them);
# a page that ever needs an inline script gets a nonce (``{{ request.csp_nonce }}``).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    },
}
_secure = not DEBUG
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=_secure)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=_secure)
# A refused form in the site's layout, saying what to do (templates/403_csrf.html).
CSRF_FAILURE_VIEW = "securityunion.views.csrf_failure"
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=_secure)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000 if _secure else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = _secure
SECURE_HSTS_PRELOAD = _secure
if env.bool("BEHIND_TLS_PROXY", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# --- internationalisation ------------------------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env.str("TIME_ZONE", default="Europe/Brussels")
USE_I18N = True
USE_TZ = True

# --- static files --------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG and not TESTING
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# --- mail ---------------------------------------------------------------------------------
vars().update(env.email_url("EMAIL_URL", default="consolemail://"))
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="no-reply@securityunion.invalid")

# --- admin --------------------------------------------------------------------------------
ADMIN_URL = env.str("ADMIN_URL", default="backoffice-admin/")

# --- API ----------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "securityunion.access.api.CompanyOAuth2Authentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["securityunion.access.api.HasCapability"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "securityunion.casework.api.CursorPagination",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    # Bounded reads (the view's max_body_bytes), deep nesting and lone surrogates are a 400.
    "DEFAULT_PARSER_CLASSES": ["securityunion.casework.parsers.SafeJSONParser"],
    "EXCEPTION_HANDLER": "securityunion.casework.api.exception_handler",
    "DEFAULT_THROTTLE_CLASSES": [
        "rest_framework.throttling.AnonRateThrottle",
        "rest_framework.throttling.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env.str("API_THROTTLE_ANON", default="60/minute"),
        "user": env.str("API_THROTTLE_USER", default="6000/minute"),
        # /o/token/: per client address and per client id, checked before the secret
        "token_address": env.str("API_THROTTLE_TOKEN_ADDRESS", default="30/minute"),
        "token_client": env.str("API_THROTTLE_TOKEN_CLIENT", default="10/minute"),
    },
    "PAGE_SIZE": 50,
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
# The schema and its documentation page need a signed-in user unless this is on (the
# committed openapi.yaml is what companies build clients from).
API_DOCS_PUBLIC = env.bool("API_DOCS_PUBLIC", default=DEBUG)
SPECTACULAR_SETTINGS = {
    "TITLE": "Security Union back office API",
    "DESCRIPTION": (
        "API for online companies and integrators. Authenticate with OAuth 2 client "
        "credentials at /o/token/ and send `Authorization: Bearer <token>`. The centre never "
        "accepts media: items are known by hashes and URLs only."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SERVE_AUTHENTICATION": [],
    "COMPONENT_SPLIT_REQUEST": True,
    "OAUTH2_FLOWS": ["clientCredentials"],
    "OAUTH2_TOKEN_URL": "/o/token/",
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}
# Admin, allauth and guardian: guardian keeps no anonymous user row.
ANONYMOUS_USER_NAME = None
OAUTH2_PROVIDER_APPLICATION_MODEL = "oauth2_provider.Application"
OAUTH2_PROVIDER_ACCESS_TOKEN_MODEL = "oauth2_provider.AccessToken"
OAUTH2_PROVIDER_REFRESH_TOKEN_MODEL = "oauth2_provider.RefreshToken"
OAUTH2_PROVIDER_ID_TOKEN_MODEL = "oauth2_provider.IDToken"
OAUTH2_PROVIDER_GRANT_MODEL = "oauth2_provider.Grant"
OAUTH2_PROVIDER = {
    "ACCESS_TOKEN_EXPIRE_SECONDS": env.int("API_TOKEN_LIFETIME", default=3600),
    # Scopes per endpoint, registered by the apps (securityunion.access.api.RegisteredScopes);
    # the one scope of clients created before still grants all of them.
    "SCOPES_BACKEND_CLASS": "securityunion.access.api.RegisteredScopes",
    # Client secrets are generated and high-entropy: a cheap salted SHA-256 (see hashers.py)
    # instead of Argon2, so a wrong secret costs microseconds, not a second and 100 MB.
    "CLIENT_SECRET_HASHER": "client_sha256",
    "OAUTH2_VALIDATOR_CLASS": "securityunion.access.api.CompanyOAuth2Validator",
    # RFC 9700 (OAuth 2.0 Security BCP): every compliant behaviour on, tokens stored hashed.
    "COMPLIANT_BCP_RFC9700_IMPLICIT_GRANT": True,
    "COMPLIANT_BCP_RFC9700_PASSWORD_GRANT": True,
    "COMPLIANT_BCP_RFC9700_PKCE_METHOD": True,
    "COMPLIANT_BCP_RFC9700_ACCESS_TOKEN_TRANSPORT": True,
    "COMPLIANT_BCP_RFC9700_AUTHZ_RESPONSE_ISS": True,
    "COMPLIANT_BCP_RFC9700_TOKEN_STORAGE": True,
    "COMPLIANT_BCP_RFC9700_REFRESH_TOKEN": True,
    "COMPLIANT_BCP_RFC9700_REDIRECT_URI_SCHEME": True,
    "COMPLIANT_BCP_RFC9700_REDIRECT_URI_MATCHING": True,
    "COMPLIANT_BCP_RFC9700_PKCE_REQUIRED": True,
    "PKCE_REQUIRED": True,
    "ALLOW_URI_WILDCARDS": False,
    "REFRESH_TOKEN_GRACE_PERIOD_SECONDS": 0,
    "REFRESH_TOKEN_REUSE_PROTECTION": True,
    "ALLOWED_REDIRECT_URI_SCHEMES": ["https"],
}

# --- background work ----------------------------------------------------------------------
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_MAX_TASKS_PER_CHILD = 50
CELERY_TIMEZONE = "UTC"
# Periodic jobs are registered by the apps (securityunion.casework.jobs); celery beat and
# `manage.py run_jobs` both read that registry.

# --- audit seals ----------------------------------------------------------------------------
# Sealing is the audit app's registered job (every minute, through celery beat or
# `manage.py run_jobs --loop`); `manage.py audit_seal` (or `audit_seal --every 60` under a
# process manager) seals on demand. Seals are signed with
# an Ed25519 key the database does not hold: base64 of the raw 32-byte seed, or a file holding
# it (or a PEM key). Verifiers need only the public key (`AUDIT_VERIFY_KEY`, comma-separated
# when keys were rotated; by default the public half of the signing key).
DEVELOPMENT_AUDIT_SIGNING_KEY = "ZGV2LW9ubHktYXVkaXQtc2VhbC1rZXktMzJieXRlcyE="
AUDIT_SIGNING_KEY_FILE = env.str("AUDIT_SIGNING_KEY_FILE", default="")
AUDIT_SIGNING_KEY = env.str("AUDIT_SIGNING_KEY", default=DEVELOPMENT_AUDIT_SIGNING_KEY)
AUDIT_VERIFY_KEY = env.str("AUDIT_VERIFY_KEY", default="")
_audit_dev_key = not AUDIT_SIGNING_KEY_FILE and AUDIT_SIGNING_KEY == DEVELOPMENT_AUDIT_SIGNING_KEY
if _audit_dev_key and not DEBUG and not TESTING:
    raise ImproperlyConfigured(
        "AUDIT_SIGNING_KEY is the development key. Set a real key (or AUDIT_SIGNING_KEY_FILE), "
        "or DEBUG=1."
    )
# Each seal's head is also written where the database's owner cannot rewrite it: an
# append-only file (empty: none) and/or syslog (a socket path such as /dev/log, udp://host:514
# or tcp://host:514; empty: none).
AUDIT_HEADS_FILE = env.str(
    "AUDIT_HEADS_FILE", default="" if TESTING else str(BASE_DIR / "var" / "audit-heads.jsonl")
)
AUDIT_HEADS_SYSLOG = env.str("AUDIT_HEADS_SYSLOG", default="")
# The id of the newest seal made before seals were signed (unset: any unsigned seals that come
# before the first signed one are accepted as legacy; 0 on a new installation).
AUDIT_LAST_UNSIGNED_SEAL = env.int("AUDIT_LAST_UNSIGNED_SEAL", default=None)

# --- the application -----------------------------------------------------------------------
SENSITIVITY_MARKING = env.str("SENSITIVITY_MARKING", default="SENSITIVE - EU RESTRICTED")
LIST_PAGE_SIZE = 50
LIST_MAX_PAGES = 200
CSV_EXPORT_MAX_ROWS = env.int("CSV_EXPORT_MAX_ROWS", default=100_000)
# PDF case files are rendered by a worker; the page waits this long for one before it shows
# the export's own page, and a rendered file is kept (encrypted) this long for its requester.
CASE_FILE_WAIT_SECONDS = env.float("CASE_FILE_WAIT_SECONDS", default=5.0)
CASE_FILE_KEEP_HOURS = env.int("CASE_FILE_KEEP_HOURS", default=24)
# A case file still pending or rendering after this long has lost its worker: it is failed.
CASE_FILE_PENDING_MINUTES = env.int("CASE_FILE_PENDING_MINUTES", default=30)

# Apps keep their own settings, with defaults, in their `conf.py`; each can be overridden here
# or by the environment variable of the same name (securityunion.casework.conf).
# Django's default for forms: the company API reads its JSON bodies itself, under the limits
# of each endpoint (see the reports app's conf.py), so this needs no raising for batches.
DATA_UPLOAD_MAX_MEMORY_SIZE = env.int("DATA_UPLOAD_MAX_MEMORY_SIZE", default=2_621_440)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"weasyprint": {"level": "ERROR"}, "fontTools": {"level": "ERROR"}},
}

if TESTING:
    PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.MD5PasswordHasher",
        "securityunion.access.hashers.ClientSecretSHA256Hasher",
    ]
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = SECURE_SSL_REDIRECT = False
    SECURE_HSTS_SECONDS = 0
    ACCOUNT_RATE_LIMITS = False
    # Dedicated tests switch these on; the rest of the suite signs in with force_login.
    MFA_REQUIRED = False
    SENSITIVE_ACTIONS_NEED_REAUTHENTICATION = False
    INSTALLED_APPS += ["tests.testapp"]
