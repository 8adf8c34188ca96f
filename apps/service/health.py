"""Whether the parts Perspective needs answer: the database and the message broker."""

from celery import current_app
from django.db import connection


def check_database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")


def check_broker() -> None:
    with current_app.connection_for_write() as broker:
        broker.ensure_connection(max_retries=1, timeout=current_app.conf.broker_connection_timeout)


CHECKS = {"database": check_database, "broker": check_broker}


def failures() -> dict[str, str]:
    """{part: error} for every part that does not answer; empty when all is well."""
    failed = {}
    for part, check in CHECKS.items():
        try:
            check()
        except Exception as exc:
            failed[part] = f"{type(exc).__name__}: {exc}"
    return failed
