"""Settings, read from the environment (12-factor). Every variable is listed in the README.

With nothing set, Perspective runs on an SQLite file and a filesystem message broker under var/,
so it needs no server process. DATABASE_URL and CELERY_BROKER_URL switch to PostgreSQL and Redis.
"""

import tomllib
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
env = environ.Env()

with open(BASE_DIR / "pyproject.toml", "rb") as _pyproject:
    VERSION = tomllib.load(_pyproject)["project"]["version"]

VAR_DIR = Path(env("PERSPECTIVE_VAR_DIR", default=str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = env.bool("DEBUG", default=False)

SECRET_KEY = env("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off")
    SECRET_KEY = "django-insecure-perspective-development-only-key-never-use-in-production"  # noqa: S105

ALLOWED_HOSTS = env.list(
    "ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"] if DEBUG else []
)
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "perspective.apps.PerspectiveAdminConfig",  # django.contrib.admin, the overview as index
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    # Before whitenoise's: its runserver, which starts without a database, wraps theirs.
    "apps.service",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "apps.inventory",
    "apps.history",
    "apps.clouds",
    "apps.operations",
    "apps.query",
]

MIDDLEWARE = [
    # First, so that the time of every request includes all the others.
    "apps.service.metrics.http.RequestMetricsMiddleware",
    "perspective.request_id.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Answers /ping and /live whatever the Host: load balancers check instances by address.
    "apps.service.middleware.PingMiddleware",
    # Before CSRF and credentials: an unknown path is 404, a method the path does not take 405.
    "perspective.errors.RoutingMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, so that it sees a view's exceptions first: a database or broker outage is a 503.
    "perspective.errors.OutageMiddleware",
]

ROOT_URLCONF = "perspective.urls"
WSGI_APPLICATION = "perspective.wsgi.application"

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
            ],
        },
    },
]

# Database: SQLite under var/ unless DATABASE_URL says otherwise.
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'perspective.sqlite3'}")
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Django's backend on the SQLite Perspective chooses, not the one Python bundles.
    DATABASES["default"]["ENGINE"] = "perspective.sqlite"
    # WAL and a busy timeout let the web process and a worker share the file; IMMEDIATE
    # transactions take the write lock up front instead of failing on upgrade.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL;PRAGMA synchronous=NORMAL",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

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

STATIC_URL = "static/"
STATIC_ROOT = Path(env("STATIC_ROOT", default=str(BASE_DIR / "staticfiles")))
# Until `collectstatic` has run (development, tests), WhiteNoise looks files up on each request.
WHITENOISE_AUTOREFRESH = DEBUG or not STATIC_ROOT.exists()
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# Cloud credentials are encrypted at rest with these Fernet keys; the first encrypts, all
# decrypt, so a new key is put first and `manage.py rotate_credentials` re-encrypts.
# Unset: one key derived from SECRET_KEY (then changing SECRET_KEY makes stored secrets unreadable).
CREDENTIAL_KEYS = env.list("CREDENTIAL_KEYS", default=[])

# Celery: a filesystem broker under var/ unless CELERY_BROKER_URL says otherwise.
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default="filesystem://")
if CELERY_BROKER_URL.startswith("filesystem://"):
    _broker_dir = VAR_DIR / "broker"
    for _folder in ("queue", "processed", "control"):
        (_broker_dir / _folder).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir / "queue"),
        "data_folder_out": str(_broker_dir / "queue"),
        "processed_folder": str(_broker_dir / "processed"),
        "control_folder": str(_broker_dir / "control"),
        "store_processed": False,
        # How often a worker looks for new message files (kombu's default is 1 s).
        "polling_interval": 0.2,
    }
elif CELERY_BROKER_URL.startswith(("redis://", "rediss://")):
    # A message a dead worker held comes back after this long (kombu's default is an hour); it
    # must stay above the longest countdown (RETRY_AFTER_MAX_SECONDS, ACTIONS_ATTEMPT_SECONDS).
    # Each worker looks for such messages every 10 s (kombu's default: every 100 s).
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=600),
        "unacked_restore_interval": 10,
        "unacked_restore_throttle": 1,
    }
    # kombu's, with a worker that survives Redis going away (perspective/broker.py).
    CELERY_BROKER_TRANSPORT = "perspective.broker:Transport"
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A worker rides out a broker outage of any length (Celery gives up after 100 tries otherwise),
# and lets the tasks it runs finish meanwhile: they are safe to deliver again.
CELERY_BROKER_CONNECTION_MAX_RETRIES = None
CELERY_WORKER_CANCEL_LONG_RUNNING_TASKS_ON_CONNECTION_LOSS = False
CELERY_BROKER_CONNECTION_TIMEOUT = env.float("CELERY_BROKER_CONNECTION_TIMEOUT", default=4.0)
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_DEFAULT_QUEUE = "default"
CELERY_TASK_ROUTES = {
    "apps.clouds.tasks.*": {"queue": "sync"},
    "apps.operations.tasks.*": {"queue": "actions"},
    # Housekeeping (the retention job) shares the sync queue, which every worker consumes.
    "apps.service.tasks.*": {"queue": "sync"},
}
CELERY_BEAT_SCHEDULE = {
    # Each cloud's own intervals decide what is due; this only looks often enough.
    "schedule-syncs": {
        "task": "apps.clouds.tasks.schedule_syncs",
        "schedule": env.float("SYNC_SCHEDULE_SECONDS", default=15.0),
    },
}

REST_FRAMEWORK = {
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "EXCEPTION_HANDLER": "perspective.errors.exception_handler",
    "DEFAULT_SCHEMA_CLASS": "perspective.schema.AutoSchema",
    # Tokens for programs (`Authorization: Token ...` or `Bearer ...`), sessions for staff in the
    # browsable API; TokenAuthentication first, so that a request without credentials is a 401.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "apps.jsonapi.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_THROTTLE_CLASSES": ["rest_framework.throttling.ScopedRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {
        "query": env("QUERY_RATE", default="600/min"),
        "actions": env("ACTIONS_RATE", default="120/min"),
    },
}

# The OpenAPI schema (/api/schema/) and its Swagger UI (/api/docs/), public: the contract is
# not secret. The UI's files come from drf-spectacular-sidecar, served as static files.
SPECTACULAR_SETTINGS = {
    "TITLE": "Perspective API",
    "DESCRIPTION": (
        "Inventory, read-only SQL and batch actions for OpenStack clouds, on the paths and JSON "
        "shapes of the original service's API wiki.\n\n"
        "**Authentication.** Every endpoint but `/ping`, `/live` and `/version` needs "
        "credentials: a token in the header `Authorization: Token <key>`, or the session of a "
        "user logged in "
        "to the admin (sending the CSRF token on writes). Access is per project: viewers may "
        "use the GET endpoints and `/query`, operators also the batch actions.\n\n"
        '**Errors** are JSON `{"message": "..."}`: 400 a body that is not JSON or not of the '
        "endpoint's shape, 401 no or invalid credentials, 403 not permitted, 404 an unknown or "
        "malformed id (or one outside the user's projects), 429 over the request rate."
    ),
    "VERSION": VERSION,
    "SERVE_PUBLIC": True,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    # Public, so credentials are not read: a malformed Authorization header cannot fail it.
    "SERVE_AUTHENTICATION": [],
    "SERVE_INCLUDE_SCHEMA": False,
    # Request bodies get their own components (LaunchRequest, ...), apart from the responses.
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Action items and sync runs share their statuses; the runs' kinds are a filter and a body.
    "ENUM_NAME_OVERRIDES": {
        "StatusEnum": "apps.operations.choices.ItemStatus",
        "SyncKindEnum": "apps.clouds.choices.SyncKind",
    },
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "apps.service.api.schema.add_version",
    ],
}

# Throttling counts in this cache: per process unless CACHE_URL names a shared one (Redis).
CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://")}

# Production hardening; every one is on unless DEBUG is on, and each can be set explicitly.
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
# Load balancers and Prometheus call these over plain HTTP inside the network.
SECURE_REDIRECT_EXEMPT = [r"^ping$", r"^live$", r"^metrics$"]
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=not DEBUG)
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=not DEBUG)
if env.bool("SECURE_PROXY_SSL_HEADER", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
X_FRAME_OPTIONS = "DENY"

# Logs go to stderr: JSON lines (LOG_FORMAT=json, the default unless DEBUG) or plain text, each
# record with its request id and, in a worker, its task (perspective/logging.py). gunicorn's
# own and access logs go through the same configuration (deploy/gunicorn.conf.py).
LOG_LEVEL = env("LOG_LEVEL", default="INFO")
LOG_FORMAT = env("LOG_FORMAT", default="plain" if DEBUG else "json")
if LOG_FORMAT not in ("json", "plain"):
    raise ImproperlyConfigured("LOG_FORMAT must be json or plain")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "context": {"()": "perspective.logging.ContextFilter"},
        "access": {"()": "perspective.logging.AccessLogFields"},
        "tickets": {"()": "perspective.logging.HiddenTickets"},
    },
    "formatters": {
        "plain": {"()": "perspective.logging.plain_formatter"},
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": ["levelname", "name", "message"],
            "rename_fields": {"levelname": "level", "name": "logger"},
            "timestamp": "time",
        },
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": LOG_FORMAT,
            "filters": ["context", "tickets"],
        }
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # gunicorn's loggers, when gunicorn runs: through the console handler like the rest.
        "gunicorn.error": {"propagate": True},
        "gunicorn.access": {"propagate": True, "filters": ["access"]},
    },
}

# POST /query: statement time limit (milliseconds) and most rows per result.
QUERY_TIME_LIMIT_MS = env.int("QUERY_TIME_LIMIT_MS", default=5000)
QUERY_MAX_ROWS = env.int("QUERY_MAX_ROWS", default=10000)
# The listings under /api/: time limit (milliseconds) of a request's reads; over it, a 400.
LISTING_TIME_LIMIT_MS = env.int("LISTING_TIME_LIMIT_MS", default=QUERY_TIME_LIMIT_MS)

# Batch actions: cloud calls in flight per cloud (across all workers), and following accepted
# calls to their end state (poll interval, time limit), confirming resizes on the way.
ACTIONS_MAX_IN_FLIGHT = env.int("ACTIONS_MAX_IN_FLIGHT", default=8)
ACTIONS_POLL_SECONDS = env.float("ACTIONS_POLL_SECONDS", default=5.0)
ACTIONS_FOLLOW_SECONDS = env.int("ACTIONS_FOLLOW_SECONDS", default=1800)
ACTIONS_CONFIRM_RESIZE = env.bool("ACTIONS_CONFIRM_RESIZE", default=True)
# A cloud's Retry-After (on 429 and 503) is honoured by actions and syncs, up to this many seconds.
RETRY_AFTER_MAX_SECONDS = env.float("RETRY_AFTER_MAX_SECONDS", default=120.0)
# The database, not the broker, knows what is left to do: a batch item or a sync run that no
# message has answered for in RESEND_SECONDS is sent again (the broker lost it, or its worker
# died). A try of an item that started ACTIONS_ATTEMPT_SECONDS ago and never ended is taken to be
# cut short; it must exceed the longest try (a login and a call, each request at most 60 s).
RESEND_SECONDS = env.float("RESEND_SECONDS", default=45.0)
ACTIONS_ATTEMPT_SECONDS = env.float("ACTIONS_ATTEMPT_SECONDS", default=300.0)
CELERY_BEAT_SCHEDULE["sweep-actions"] = {
    "task": "apps.operations.tasks.sweep",
    "schedule": min(60.0, max(1.0, RESEND_SECONDS / 2)),
}

# Retention: events, finished sync runs and finished actions (with their items and letters)
# older than this many days are deleted by one beat job every RETENTION_PRUNE_SECONDS; 0 keeps
# them for ever. /metrics' counters keep counting what was deleted.
EVENTS_RETENTION_DAYS = env.int("EVENTS_RETENTION_DAYS", default=90)
SYNC_RUNS_RETENTION_DAYS = env.int("SYNC_RUNS_RETENTION_DAYS", default=30)
ACTIONS_RETENTION_DAYS = env.int("ACTIONS_RETENTION_DAYS", default=90)
# GET /events/stream: a comment line every HEARTBEAT seconds keeps proxies from closing an
# idle stream; without PostgreSQL's NOTIFY (SQLite) new events are looked for every POLL
# seconds; a ticket (POST /events/tickets) opens a stream for TICKET seconds after it is made.
EVENTS_STREAM_HEARTBEAT_SECONDS = env.float("EVENTS_STREAM_HEARTBEAT_SECONDS", default=15.0)
EVENTS_STREAM_POLL_SECONDS = env.float("EVENTS_STREAM_POLL_SECONDS", default=1.0)
EVENTS_STREAM_MAX_PER_USER = env.int("EVENTS_STREAM_MAX_PER_USER", default=5)
EVENTS_TICKET_SECONDS = env.int("EVENTS_TICKET_SECONDS", default=60)
CELERY_BEAT_SCHEDULE["prune-records"] = {
    "task": "apps.service.tasks.prune_records",
    "schedule": env.float("RETENTION_PRUNE_SECONDS", default=3600.0),
}

# GET /metrics (Prometheus): only from these addresses or networks, and, when METRICS_TOKEN is
# set, only with `Authorization: Bearer <METRICS_TOKEN>`; a request relayed by a proxy needs the
# token. Refused: 404 for an address, 401 for a token.
METRICS_ALLOWED_IPS = env.list("METRICS_ALLOWED_IPS", default=["127.0.0.1", "::1"])
METRICS_TOKEN = env("METRICS_TOKEN", default="")
