"""Runs a translated statement read-only, within what is left of its request's budget (time
and bytes), and returns at most a capped number of rows.

The time limit is apps/inventory/time_limit.py's, which the listings share. Within it,
PostgreSQL: the transaction it opens made read-only, as the query role when it exists
(`manage.py create_query_role`); SQLite: `PRAGMA query_only`, case-sensitive LIKE and a length
limit on every value (values.py), all undone afterwards.

Rows are read in batches while the request's bytes last: the rows past them are cut, with the
same `truncated` signal as the row cap.
"""

import math
import time
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.db import DatabaseError, connection

from apps.inventory import regexp
from apps.inventory.time_limit import TimeLimitExceeded, time_limited

from . import bounds, catalog, values
from .errors import SUCCESS, QueryError
from .schema import ROLE
from .translate import Translation

NUMERIC_OID = 1700  # PostgreSQL's numeric, which psycopg returns as Decimal
FETCH_ROWS = 500  # rows read at a time, between two looks at the bytes left


@dataclass
class Budget:
    """What one request's statements may use together: QUERY_TIME_LIMIT_MS of time and
    QUERY_MAX_BYTES of values (as values.size counts them)."""

    time_limit_ms: int
    max_bytes: int
    bytes_left: int
    deadline: float | None = None  # time.monotonic(), from the first statement run

    @classmethod
    def start(cls) -> "Budget":
        max_bytes = settings.QUERY_MAX_BYTES
        return cls(settings.QUERY_TIME_LIMIT_MS, max_bytes, max_bytes)

    def ms_left(self) -> int:
        if self.deadline is None:
            self.deadline = time.monotonic() + self.time_limit_ms / 1000
        return math.ceil((self.deadline - time.monotonic()) * 1000)

    def over_time(self) -> QueryError:
        return QueryError.evaluation(
            f"The query ran longer than the time limit of {self.time_limit_ms} ms and was cancelled"
        )

    def spent(self) -> QueryError:
        return QueryError.evaluation(
            f"Not run: the statements before it used the request's time limit of"
            f" {self.time_limit_ms} ms"
        )


@dataclass
class Result:
    status: str
    message: str = ""
    columns: tuple[str, ...] = ()
    rows: list[Sequence] = field(default_factory=list)
    truncated: bool = False

    @property
    def count(self) -> int:
        return len(self.rows)

    def as_wire(self) -> dict:
        """The original's shape of one result."""
        wire = {
            "status": self.status,
            "count": self.count,
            "data": {"columnName": list(self.columns), "row": [{"value": r} for r in self.rows]},
            "message": self.message,
        }
        if self.truncated:
            wire["truncated"] = True
        return wire

    @classmethod
    def failure(cls, error: QueryError) -> "Result":
        return cls(error.status, error.message)


def run(translation: Translation, params: list, max_rows: int, budget: Budget) -> Result:
    if translation.sql is None:
        rows, truncated = _within(translation.rows, max_rows, budget)
        return Result(SUCCESS, "", translation.labels, rows, truncated)
    ms_left = budget.ms_left()
    if ms_left <= 0:
        raise budget.spent()
    bounds.forget()
    try:
        with (
            read_only(ms_left, translation.like, budget.max_bytes),
            connection.cursor() as cursor,
        ):
            guarded = connection.vendor == "postgresql" and not translation.explain
            sql = translation.sql
            if guarded:
                sql = values.postgres_within(sql, len(translation.labels), budget.bytes_left)
            cursor.execute(sql, params)
            batches = _batches(cursor)
            rows, truncated = _within(_unguarded(batches) if guarded else batches, max_rows, budget)
            description = cursor.description[:-1] if guarded else cursor.description
    except TimeLimitExceeded as error:
        over = budget.ms_left() <= 0
        raise (budget.over_time() if over else QueryError.evaluation(error.message)) from None
    except (DatabaseError, OverflowError, ValueError) as error:
        # OverflowError, ValueError: a parameter the driver cannot pass (a huge number, NUL).
        raise _evaluation_error(error, budget) from None
    if translation.explain:
        task = 0 if connection.vendor == "postgresql" else len(description) - 1
        return Result(SUCCESS, "", translation.labels, [(row[task],) for row in rows], truncated)
    labels = translation.labels
    if len(labels) != len(description):  # cannot happen when the translation is right
        labels = tuple(column[0] for column in description)
    converters = _converters(translation, description)
    return Result(SUCCESS, "", tuple(labels), _convert(rows, converters), truncated)


def _batches(cursor) -> Iterator[Sequence]:
    while batch := cursor.fetchmany(FETCH_ROWS):
        yield from batch


def _unguarded(rows: Iterable[Sequence]) -> Iterator[Sequence | None]:
    """The rows of values.postgres_within without its last column; None for its row that says
    rows were left out."""
    for row in rows:
        yield None if row[-1] else row[:-1]


def _within(rows: Iterable[Sequence | None], max_rows: int, budget: Budget) -> tuple[list, bool]:
    """The first rows, as many as the row cap and the bytes left allow, and whether any were
    cut (None: cut before); the bytes they take are spent."""
    kept = []
    for row in rows:
        if row is None:
            return kept, True
        size = values.size(row)
        if len(kept) == max_rows or size > budget.bytes_left:
            return kept, True
        budget.bytes_left -= size
        kept.append(row)
    return kept, False


def _converters(translation: Translation, description) -> dict:
    if connection.vendor == "sqlite":
        return dict.fromkeys(translation.booleans, _boolean)
    return {
        index: _number
        for index, column in enumerate(description)
        if column.type_code == NUMERIC_OID
    }


def _convert(rows: list[tuple], converters: dict) -> list[Sequence]:
    if not converters:
        return rows  # the driver's tuples serialize as JSON arrays as they are
    converted = []
    for row in rows:
        values = list(row)
        for index, convert in converters.items():
            values[index] = convert(values[index])
        converted.append(values)
    return converted


def _boolean(value):
    return value if value is None else bool(value)


def _number(value: Decimal | None):
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


@contextmanager
def read_only(time_limit_ms: int, case_sensitive_like: bool = True, max_value_bytes=None):
    """`max_value_bytes`: any longer string or blob fails where it would be made (on
    PostgreSQL, the result of a function that can grow a string)."""
    with time_limited(time_limit_ms):
        if connection.vendor == "postgresql":
            _postgres_read_only(max_value_bytes)
            yield
        else:
            with (
                _sqlite_read_only(case_sensitive_like),
                values.sqlite_length_limit(connection.connection, max_value_bytes),
            ):
                yield


def _postgres_read_only(max_value_bytes: int | None):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT set_config('transaction_read_only', 'on', true),"
            " set_config(%s, %s, true),"
            " (SELECT set_config('role', rolname, true) FROM pg_roles"
            "  WHERE rolname = %s AND pg_has_role(current_user, oid, 'MEMBER')"
            "  AND has_table_privilege(rolname, %s, 'SELECT'))",
            [
                values.MAX_BYTES_SETTING,
                "" if max_value_bytes is None else str(max_value_bytes),
                ROLE,
                catalog.TABLES["instances"].view,
            ],
        )


@contextmanager
def _sqlite_read_only(case_sensitive_like: bool):
    sqlite = connection.connection
    sqlite.execute("PRAGMA query_only = ON")
    # Switching LIKE makes SQLite prepare every statement again: only for queries using it.
    if case_sensitive_like:
        sqlite.execute("PRAGMA case_sensitive_like = ON")
    try:
        yield
    finally:
        if case_sensitive_like:
            sqlite.execute("PRAGMA case_sensitive_like = OFF")
        sqlite.execute("PRAGMA query_only = OFF")


def _evaluation_error(error: Exception, budget: Budget) -> QueryError:
    cause = error.__cause__ or error
    if values.too_long(cause):
        return QueryError.evaluation(values.too_long_message(budget.max_bytes))
    # Why REGEXP failed (a bad pattern), or which bound a function's input went over.
    cause = regexp.failure_behind(cause) or bounds.refusal_behind(cause) or cause
    text = str(cause).strip()
    return QueryError.evaluation(text.splitlines()[0] if text else type(cause).__name__)
