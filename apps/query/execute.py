"""Runs a translated statement read-only, within a time limit, and returns at most a capped
number of rows.

The time limit is apps/inventory/time_limit.py's, which the listings share. Within it,
PostgreSQL: the transaction it opens made read-only, as the query role when it exists
(`manage.py create_query_role`); SQLite: `PRAGMA query_only` and case-sensitive LIKE, both
undone afterwards.
"""

from collections.abc import Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import DatabaseError, connection

from apps.inventory import regexp
from apps.inventory.time_limit import TimeLimitExceeded, time_limited

from . import catalog
from .errors import SUCCESS, QueryError
from .schema import ROLE
from .translate import Translation

NUMERIC_OID = 1700  # PostgreSQL's numeric, which psycopg returns as Decimal


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


def run(translation: Translation, params: list, max_rows: int, time_limit_ms: int) -> Result:
    if translation.sql is None:
        return _result(translation.labels, list(translation.rows), max_rows)
    try:
        with read_only(time_limit_ms, translation.like), connection.cursor() as cursor:
            cursor.execute(translation.sql, params)
            rows = cursor.fetchmany(max_rows + 1)
            description = cursor.description
    except TimeLimitExceeded as error:
        raise QueryError.evaluation(error.message) from None
    except (DatabaseError, OverflowError, ValueError) as error:
        # OverflowError, ValueError: a parameter the driver cannot pass (a huge number, NUL).
        raise _evaluation_error(error) from None
    if translation.explain:
        task = 0 if connection.vendor == "postgresql" else len(description) - 1
        return _result(translation.labels, [(row[task],) for row in rows], max_rows)
    labels = translation.labels
    if len(labels) != len(description):  # cannot happen when the translation is right
        labels = tuple(column[0] for column in description)
    converters = _converters(translation, description)
    return _result(labels, _convert(rows, converters), max_rows)


def _result(labels, rows: list[Sequence], max_rows: int) -> Result:
    return Result(SUCCESS, "", tuple(labels), rows[:max_rows], truncated=len(rows) > max_rows)


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
def read_only(time_limit_ms: int, case_sensitive_like: bool = True):
    with time_limited(time_limit_ms):
        if connection.vendor == "postgresql":
            _postgres_read_only()
            yield
        else:
            with _sqlite_read_only(case_sensitive_like):
                yield


def _postgres_read_only():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT set_config('transaction_read_only', 'on', true),"
            " (SELECT set_config('role', rolname, true) FROM pg_roles"
            "  WHERE rolname = %s AND pg_has_role(current_user, oid, 'MEMBER')"
            "  AND has_table_privilege(rolname, %s, 'SELECT'))",
            [ROLE, catalog.TABLES["instances"].view],
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


def _evaluation_error(error: Exception) -> QueryError:
    cause = error.__cause__ or error
    cause = regexp.failure_behind(cause) or cause  # why REGEXP failed: a bad pattern
    text = str(cause).strip()
    return QueryError.evaluation(text.splitlines()[0] if text else type(cause).__name__)
