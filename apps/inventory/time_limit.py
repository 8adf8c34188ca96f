"""Database reads cut at a time limit, on either database (/query, the listings under /api/).

    with time_limited(5000):
        rows = list(queryset)  # or TimeLimitExceeded, whose message is for the client

PostgreSQL: a transaction (a savepoint when one is open) with a statement timeout, so each
statement in the block is cancelled at the limit; always rolled back, so only for reading.
SQLite: a progress handler interrupts the block's work at the deadline, and REGEXP (regexp.py)
stops a match there too, or sooner when one value takes too long; no transaction, which on
SQLite would take the write lock.
"""

import time
from contextlib import contextmanager

from django.db import DatabaseError, connection, transaction

from . import regexp

SQLITE_PROGRESS_STEPS = 100_000  # virtual machine instructions between deadline checks


class TimeLimitExceeded(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@contextmanager
def time_limited(time_limit_ms: int):
    limited = _postgres if connection.vendor == "postgresql" else _sqlite
    try:
        with limited(time_limit_ms):
            yield
    except DatabaseError as error:
        message = _over_time(error, time_limit_ms)
        if message is None:
            raise
        raise TimeLimitExceeded(message) from None


@contextmanager
def _postgres(time_limit_ms: int):
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config('statement_timeout', %s, true)", [str(time_limit_ms)])
        yield
        # Never keep anything: this also ends the timeout, and whatever else the block set for
        # its transaction (/query's read-only mode and role).
        transaction.set_rollback(True)


@contextmanager
def _sqlite(time_limit_ms: int):
    connection.ensure_connection()
    sqlite = connection.connection
    deadline = time.monotonic() + time_limit_ms / 1000
    sqlite.set_progress_handler(lambda: time.monotonic() > deadline, SQLITE_PROGRESS_STEPS)
    try:
        with regexp.deadline(deadline):
            yield
    finally:
        sqlite.set_progress_handler(None, 0)


def _over_time(error: DatabaseError, time_limit_ms: int) -> str | None:
    """Why the block's time limit, or REGEXP's on one value, stopped `error`'s statement;
    None when neither did."""
    cause = error.__cause__ or error
    failure = regexp.failure_behind(cause)
    if isinstance(failure, regexp.TooSlow):
        return str(failure)
    timed_out = (
        type(cause).__name__ == "QueryCanceled"  # psycopg's, at the statement timeout
        or str(cause).strip() == "interrupted"  # SQLite's, by the progress handler
        or isinstance(failure, regexp.DeadlinePassed)
    )
    if timed_out:
        return f"The query ran longer than the time limit of {time_limit_ms} ms and was cancelled"
    return None
