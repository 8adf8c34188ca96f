"""Settings, read from the environment (12-factor). Every variable is read through `env`, which
declares it with its default and meaning (perspective/environment.py): the docs' configuration
page is made from that declaration, `ENVIRONMENT`.

With nothing set, Perspective runs on an SQLite file and a filesystem message broker under var/,
so it needs no server process. DATABASE_URL and CELERY_BROKER_URL switch to PostgreSQL and Redis.
"""

import tomllib
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

from perspective.environment import Environment

BASE_DIR = Path(__file__).resolve().parent.parent
env = Environment()
ENVIRONMENT = env.variables

with open(BASE_DIR / "pyproject.toml", "rb") as _pyproject:
    VERSION = tomllib.load(_pyproject)["project"]["version"]

VAR_DIR = Path(
    env.str(
        "PERSPECTIVE_VAR_DIR",
        str(BASE_DIR / "var"),
        "where the SQLite file, the filesystem broker and beat's schedule live",
        shown="`var/` in the project",
    )
)
VAR_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = env.bool(
    "DEBUG",
    False,
    "development mode; the insecure defaults below apply only with it on",
    shown="false (the development `.env` of `make dev-env` sets true)",
)

SECRET_KEY = env.str(
    "SECRET_KEY",
    "",
    "Django's secret key",
    shown="a fixed development key when DEBUG is on; required otherwise",
)
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY must be set when DEBUG is off (for development, `make dev-env` writes a "
            ".env with DEBUG=true and a generated SECRET_KEY)"
        )
    SECRET_KEY = "django-insecure-perspective-development-only-key-never-use-in-production"  # noqa: S105

ALLOWED_HOSTS = env.list(
    "ALLOWED_HOSTS",
    ["127.0.0.1", "localhost", "[::1]"] if DEBUG else [],
    "host names served, comma-separated",
    shown="127.0.0.1,localhost,[::1] with DEBUG, else none",
)
CSRF_TRUSTED_ORIGINS = env.list(
    "CSRF_TRUSTED_ORIGINS",
    [],
    "origins trusted for the admin's forms behind a proxy, e.g. `https://perspective.example.com`",
)

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
    "default": env.db(
        "DATABASE_URL",
        f"sqlite:///{VAR_DIR / 'perspective.sqlite3'}",
        "e.g. `postgres://user@host:5432/perspective`",
        shown="sqlite:///var/perspective.sqlite3 (WAL mode, 20 s busy timeout)",
    )
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
        # Python's sqlite3 keeps 128 compiled statements; a sync's multi-row INSERTs of
        # thousands of values are big compiled, and kept they held 10 to 23 MB of its memory.
        "cached_statements": 8,
    }
DATABASES["default"]["CONN_MAX_AGE"] = env.int(
    "DATABASE_CONN_MAX_AGE", 60, "seconds a database connection is kept for the next request"
)
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
FORMAT_MODULE_PATH = ["perspective.formats"]

STATIC_URL = "static/"
STATIC_ROOT = Path(
    env.str(
        "STATIC_ROOT",
        str(BASE_DIR / "staticfiles"),
        "where `collectstatic` puts the files WhiteNoise serves",
        shown="`staticfiles/` in the project",
    )
)
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
CREDENTIAL_KEYS = env.list(
    "CREDENTIAL_KEYS",
    [],
    "Fernet keys encrypting cloud passwords at rest, comma-separated; the first encrypts, all "
    "decrypt",
    shown="one key derived from SECRET_KEY",
)

# Celery: a filesystem broker under var/ unless CELERY_BROKER_URL says otherwise.
# The filesystem transport ignores the host; without one, kombu warns each time it reads the URL.
CELERY_BROKER_URL = env.str(
    "CELERY_BROKER_URL",
    "filesystem://localhost/",
    "e.g. `redis://127.0.0.1:6379/0`",
    shown="filesystem://localhost/ (files under `var/broker/`)",
)
# Read whatever the broker, so that the configuration page always lists it.
_VISIBILITY_TIMEOUT = env.int(
    "CELERY_VISIBILITY_TIMEOUT",
    600,
    "with Redis: seconds after which a message a dead worker held is delivered again "
    "(each worker looks every 10 s); above the longest sync and the longest countdown",
)
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
        "visibility_timeout": _VISIBILITY_TIMEOUT,
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
CELERY_BROKER_CONNECTION_TIMEOUT = env.float(
    "CELERY_BROKER_CONNECTION_TIMEOUT",
    4.0,
    "seconds; also bounds how long `/ping` waits for the broker",
)
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
SYNC_SCHEDULE_SECONDS = env.float(
    "SYNC_SCHEDULE_SECONDS", 15.0, "how often beat looks for the syncs that are due"
)
CELERY_BEAT_SCHEDULE = {
    # Each cloud's own intervals decide what is due; this only looks often enough.
    "schedule-syncs": {
        "task": "apps.clouds.tasks.schedule_syncs",
        "schedule": SYNC_SCHEDULE_SECONDS,
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
        "query": env.str(
            "QUERY_RATE",
            "600/min",
            "statements per user to `/query`, each statement of a body counting (DRF rate syntax)",
        ),
        "actions": env.str(
            "ACTIONS_RATE", "120/min", "requests per user to the batch actions (DRF rate syntax)"
        ),
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
        "apps.service.api.schema.add_links",
    ],
}

# Throttling counts in this cache: per process unless CACHE_URL names a shared one (Redis).
CACHES = {
    "default": env.cache(
        "CACHE_URL",
        "locmemcache://",
        "the cache throttling counts in; `redis://127.0.0.1:6379/1` shares it between processes",
        shown="locmemcache:// (per process)",
    )
}

# Production hardening; every one is on unless DEBUG is on, and each can be set explicitly.
_HARDENING = "production hardening, on unless DEBUG"
SECURE_SSL_REDIRECT = env.bool(
    "SECURE_SSL_REDIRECT",
    not DEBUG,
    f"{_HARDENING}; `/ping`, `/live` and `/metrics` are never redirected",
    shown="true unless DEBUG",
)
# Load balancers and Prometheus call these over plain HTTP inside the network.
SECURE_REDIRECT_EXEMPT = [r"^ping$", r"^live$", r"^metrics$"]
SECURE_HSTS_SECONDS = env.int(
    "SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000, _HARDENING, shown="31536000 unless DEBUG"
)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = env.bool(
    "SECURE_HSTS_PRELOAD", not DEBUG, _HARDENING, shown="true unless DEBUG"
)
SESSION_COOKIE_SECURE = env.bool(
    "SESSION_COOKIE_SECURE", not DEBUG, _HARDENING, shown="true unless DEBUG"
)
CSRF_COOKIE_SECURE = env.bool(
    "CSRF_COOKIE_SECURE", not DEBUG, _HARDENING, shown="true unless DEBUG"
)
if env.bool(
    "SECURE_PROXY_SSL_HEADER",
    False,
    "true behind a proxy that sets `X-Forwarded-Proto`, when not served by gunicorn "
    "(gunicorn's FORWARDED_ALLOW_IPS does it better: it believes only those proxies)",
):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
X_FRAME_OPTIONS = "DENY"

# Logs go to stderr: JSON lines (LOG_FORMAT=json, the default unless DEBUG) or plain text, each
# record with its request id and, in a worker, its task (perspective/logging.py). gunicorn's
# own and access logs go through the same configuration (deploy/gunicorn.conf.py).
LOG_LEVEL = env.str("LOG_LEVEL", "INFO", "the least level logged")
LOG_FORMAT = env.str(
    "LOG_FORMAT",
    "plain" if DEBUG else "json",
    "JSON lines (with `request_id`, and `task_name`, `task_id` in workers) or plain text",
    shown="json, or plain with DEBUG",
)
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

# POST /query: time limit of all of a request's statements together, most rows per result, and
# most bytes of values in the whole answer (also the longest value).
QUERY_TIME_LIMIT_MS = env.int(
    "QUERY_TIME_LIMIT_MS",
    5000,
    "milliseconds all the statements of one `POST /query` request may run together before the "
    "running one is cancelled (the rest answer `Not run`)",
)
QUERY_MAX_ROWS = env.int(
    "QUERY_MAX_ROWS",
    10000,
    'rows a `POST /query` result holds at most (`"truncated": true` when cut)',
)
QUERY_MAX_BYTES = env.int(
    "QUERY_MAX_BYTES",
    8 * 1024 * 1024,
    "bytes of values a `POST /query` answer holds at most, over all its results (rows past it are "
    'cut, `"truncated": true`); also the longest value a statement may build',
)
# The listings under /api/: time limit (milliseconds) of a request's reads; over it, a 400.
LISTING_TIME_LIMIT_MS = env.int(
    "LISTING_TIME_LIMIT_MS",
    QUERY_TIME_LIMIT_MS,
    "milliseconds the reads of one `/api/` listing page may take; over it the answer is 400 "
    "with a `message`",
    shown="QUERY_TIME_LIMIT_MS",
)

# Batch actions: cloud calls in flight per cloud (across all workers), and following accepted
# calls to their end state (poll interval, time limit), confirming resizes on the way.
ACTIONS_MAX_IN_FLIGHT = env.int(
    "ACTIONS_MAX_IN_FLIGHT", 8, "cloud calls of batch actions at once per cloud, across all workers"
)
ACTIONS_POLL_SECONDS = env.float(
    "ACTIONS_POLL_SECONDS",
    5.0,
    "seconds between polls of the instances an action follows to their end state",
)
ACTIONS_FOLLOW_SECONDS = env.int(
    "ACTIONS_FOLLOW_SECONDS",
    1800,
    "seconds an accepted call is followed before it is left to the syncs",
)
ACTIONS_CONFIRM_RESIZE = env.bool(
    "ACTIONS_CONFIRM_RESIZE",
    True,
    "confirm resizes automatically when Nova reaches `VERIFY_RESIZE`",
)
# A cloud's Retry-After (on 429 and 503) is honoured by actions and syncs, up to this many seconds.
RETRY_AFTER_MAX_SECONDS = env.float(
    "RETRY_AFTER_MAX_SECONDS",
    120.0,
    "the longest wait a cloud's `Retry-After` imposes on a retry of an action or a sync",
)
# The database, not the broker, knows what is left to do: a batch item or a sync run that no
# message has answered for in RESEND_SECONDS is sent again (the broker lost it, or its worker
# died). A try of an item that started ACTIONS_ATTEMPT_SECONDS ago and never ended is taken to be
# cut short; it must exceed the longest try (a login and a call, each request at most 60 s).
RESEND_SECONDS = env.float(
    "RESEND_SECONDS",
    45.0,
    "seconds after which an item or sync run that no message answers for is sent again",
)
ACTIONS_ATTEMPT_SECONDS = env.float(
    "ACTIONS_ATTEMPT_SECONDS",
    300.0,
    "seconds a try of an item may take; one older that never ended is taken to be cut short "
    "and resumed",
)
CELERY_BEAT_SCHEDULE["sweep-actions"] = {
    "task": "apps.operations.tasks.sweep",
    "schedule": min(60.0, max(1.0, RESEND_SECONDS / 2)),
}

# Retention: events, finished sync runs and finished actions (with their items and letters)
# older than this many days are deleted by one beat job every RETENTION_PRUNE_SECONDS; 0 keeps
# them for ever. /metrics' counters keep counting what was deleted.
EVENTS_RETENTION_DAYS = env.int(
    "EVENTS_RETENTION_DAYS", 90, "days the history's events are kept (0: for ever)"
)
SYNC_RUNS_RETENTION_DAYS = env.int(
    "SYNC_RUNS_RETENTION_DAYS",
    30,
    "days finished sync runs are kept, never a cloud's latest of a kind (0: for ever)",
)
ACTIONS_RETENTION_DAYS = env.int(
    "ACTIONS_RETENTION_DAYS",
    90,
    "days finished actions are kept, with their items and letters (0: for ever)",
)
# GET /events/stream: a comment line every HEARTBEAT seconds keeps proxies from closing an
# idle stream; without PostgreSQL's NOTIFY (SQLite) new events are looked for every POLL
# seconds; a ticket (POST /events/tickets) opens a stream for TICKET seconds after it is made.
EVENTS_STREAM_HEARTBEAT_SECONDS = env.float(
    "EVENTS_STREAM_HEARTBEAT_SECONDS", 15.0, "seconds between the stream's heartbeat comments"
)
EVENTS_STREAM_POLL_SECONDS = env.float(
    "EVENTS_STREAM_POLL_SECONDS",
    1.0,
    "seconds between looks for new events without PostgreSQL's NOTIFY (SQLite), and between "
    "reads at the latest with it",
)
EVENTS_STREAM_MAX_PER_USER = env.int(
    "EVENTS_STREAM_MAX_PER_USER", 5, "open streams per user on one stream process; more is 429"
)
EVENTS_TICKET_SECONDS = env.int(
    "EVENTS_TICKET_SECONDS", 60, "seconds a stream ticket opens a stream after it is made"
)
CELERY_BEAT_SCHEDULE["prune-records"] = {
    "task": "apps.service.tasks.prune_records",
    "schedule": env.float(
        "RETENTION_PRUNE_SECONDS", 3600.0, "seconds between runs of the retention job (beat)"
    ),
}

# GET /metrics (Prometheus): only from these addresses or networks, and, when METRICS_TOKEN is
# set, only with `Authorization: Bearer <METRICS_TOKEN>`; a request relayed by a proxy needs the
# token. Refused: 404 for an address, 401 for a token.
METRICS_ALLOWED_IPS = env.list(
    "METRICS_ALLOWED_IPS",
    ["127.0.0.1", "::1"],
    "addresses or networks that may read `/metrics`; a malformed entry stops the start",
)
METRICS_TOKEN = env.str(
    "METRICS_TOKEN", "", "when set, `/metrics` also needs `Authorization: Bearer <token>`"
)

# Read by other programs than Django; declared here so that the configuration page lists them.
env.declare("PORT", 8000, "the port of `make run`")
env.declare(
    "STREAM_PORT",
    8001,
    "the port of the event stream's process (`make run`'s `stream`, `perspective-stream.service`)",
)
env.declare("DOCS_PORT", 8002, "the port of `make docs`")
env.declare(
    "PROMETHEUS_MULTIPROC_DIR",
    "",
    "under gunicorn: a folder, emptied at start, where every worker counts its requests",
)
env.declare("WEB_BIND", "127.0.0.1:8000", "gunicorn (`deploy/gunicorn.conf.py`): its address")
env.declare("WEB_CONCURRENCY", "", "gunicorn: processes", shown="2 per core + 1 (at most 8)")
env.declare("WEB_THREADS", 1, "gunicorn: threads of each process")
env.declare("WEB_TIMEOUT", 30, "gunicorn: seconds per request")
env.declare(
    "FORWARDED_ALLOW_IPS",
    "127.0.0.1,::1",
    "gunicorn: proxies whose `X-Forwarded-Proto` is believed",
)
