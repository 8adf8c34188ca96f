"""Whether the parts Perspective needs answer: the database and the message broker."""

import logging

from celery import current_app
from django.db import connection

log = logging.getLogger(__name__)

# Seconds a client is asked to wait (Retry-After) when a part does not answer.
OUTAGE_RETRY_AFTER = 10


def check_database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")


def check_broker() -> None:
    with current_app.connection_for_write() as broker:
        broker.ensure_connection(max_retries=1, timeout=current_app.conf.broker_connection_timeout)


CHECKS = {"database": check_database, "broker": check_broker}


def failures(parts=tuple(CHECKS)) -> dict[str, str]:
    """{part: "does not answer"} for each of `parts` that does not answer; empty when all do.

    What went wrong goes to the log only: it names hosts and ports, and /ping is public.
    """
    failed = {}
    for part in parts:
        try:
            CHECKS[part]()
        except Exception as exc:
            log.warning("Health check: the %s does not answer: %s", part, exc)
            failed[part] = "does not answer"
    return failed
