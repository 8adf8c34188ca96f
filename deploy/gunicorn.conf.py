"""gunicorn's configuration for the web process (deploy/systemd/perspective-web.service):

    gunicorn --config deploy/gunicorn.conf.py perspective.wsgi

run from the project's directory, with the settings in the environment (perspective.env.example).
"""

import gc
import os

from django.conf import settings

# gunicorn hooks: with PROMETHEUS_MULTIPROC_DIR set, every worker counts into files there; they
# are cleared at start and a dead worker's live gauges dropped.
from apps.service.metrics.processes import child_exit, on_starting  # noqa: F401

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "perspective.settings")

# Behind a reverse proxy or load balancer; comma-separated addresses.
bind = os.environ.get("WEB_BIND", "127.0.0.1:8000").split(",")
# gunicorn's advice (two per core, plus one), at most 8: each holds a database connection.
workers = int(os.environ.get("WEB_CONCURRENCY", min(2 * (os.cpu_count() or 1) + 1, 8)))
# More than one makes threaded workers, which keep connections alive for proxies that reuse
# them without buffering requests (an AWS ALB, unlike nginx).
threads = int(os.environ.get("WEB_THREADS", 1))
keepalive = 5
# A request is cut after this; /query has its own, shorter limit (QUERY_TIME_LIMIT_MS).
timeout = int(os.environ.get("WEB_TIMEOUT", 30))
graceful_timeout = 30
# The proxies whose X-Forwarded-Proto is believed, so that Django sees HTTPS as secure (leave
# SECURE_PROXY_SSL_HEADER off: Django would believe that header from anyone).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
proc_name = "perspective-web"
# systemd starts, stops and reloads it (SIGHUP); gunicornc's socket would only be a second way.
control_socket_disable = True

# Errors and the access log go through Django's LOGGING: JSON lines with the request id.
logconfig_dict = settings.LOGGING
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms'


def post_worker_init(worker):
    """Everything loaded at start stays for the process's life: moved out of the garbage
    collector's reach, so that its full collections, which a page of a listing triggers, do not
    walk it again and again."""
    gc.freeze()
