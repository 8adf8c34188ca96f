"""The Python API behind POST /query.

    from apps.inventory.access import Access
    from apps.query.engine import QueryRequest, run_queries

    results = run_queries([QueryRequest("select name from instances where state = ?",
                                        [{"index": 1, "value": "launched"}])],
                          Access(request.user))
    results[0].status, results[0].columns, results[0].rows

Each request's SQL may hold several statements (split on `;`); there is one Result per
statement, in order, all of them within one time limit and one limit of bytes. With an
`access`, every table shows only the rows of its visible projects; without one (internal
callers), everything. Translations are cached per SQL text, backend and restricted or not.
"""

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

from django.conf import settings
from django.db import connection

from apps.inventory.access import Access

from . import execute, placeholders, restrict
from .errors import QueryError
from .execute import Budget, Result
from .placeholders import Key
from .translate import Translation, translate

log = logging.getLogger(__name__)

# Longer texts are translated every time rather than kept in the cache.
CACHED_SQL_LENGTH = 16 * 1024


@dataclass(frozen=True)
class QueryRequest:
    sql: str
    # Each {"name": ..., "value": ...} or {"index": n, "value": ...} (positions from 1).
    parameters: list[dict] = field(default_factory=list)


@dataclass(frozen=True)
class Compiled:
    keys: tuple[Key, ...]  # every placeholder of the statement, in the order written
    translation: Translation | None
    error: QueryError | None


def run_queries(requests: Iterable[QueryRequest], access: Access | None = None) -> list[Result]:
    """Every statement of `requests` together within one budget (QUERY_TIME_LIMIT_MS, and
    QUERY_MAX_BYTES of values): a statement past it is not run."""
    budget = Budget.start()
    return [result for request in requests for result in run_query(request, access, budget)]


def statement_count(requests: Iterable[QueryRequest]) -> int:
    """What the rate of /query counts: the statements of `requests` (one for SQL that cannot
    be split)."""
    return sum(_statement_count(request.sql) for request in requests)


def _statement_count(sql: str) -> int:
    try:
        return max(len(placeholders.split(sql)), 1)
    except QueryError:
        return 1


def run_query(
    request: QueryRequest, access: Access | None = None, budget: Budget | None = None
) -> list[Result]:
    max_rows, budget = settings.QUERY_MAX_ROWS, budget or Budget.start()
    projects = None if access is None else access.visible_project_ids
    restricted = projects is not None
    try:
        statements = compile_sql(request.sql, connection.vendor, max_rows, restricted)
    except QueryError as error:
        return [Result.failure(error)]
    values = _values(request.parameters)
    if restricted:
        values[restrict.PROJECTS] = restrict.projects_parameter(projects, connection.vendor)
    return [_run(statement, values, max_rows, budget) for statement in statements]


def _run(statement: Compiled, values: dict, max_rows: int, budget: Budget) -> Result:
    missing = next((key for key in statement.keys if key not in values), None)
    if missing is not None:
        return Result.failure(QueryError.missing(_missing_message(missing)))
    if statement.error is not None:
        return Result.failure(statement.error)
    params = [values[key] for key in statement.translation.keys]
    try:
        return execute.run(statement.translation, params, max_rows, budget)
    except QueryError as error:
        return Result.failure(error)


def _values(parameters: list[dict]) -> dict[Key, object]:
    values = {}
    for parameter in parameters:
        if "name" in parameter:
            values["name", parameter["name"]] = parameter["value"]
        else:
            values["index", parameter["index"]] = parameter["value"]
    return values


def _missing_message(key: Key) -> str:
    kind, which = key
    placeholder = f'"{which}"' if kind == "name" else f"#{which}"
    return f"Parameter for placeholder {placeholder} is missing"


def compile_sql(
    sql: str, vendor: str, max_rows: int, restricted: bool = False
) -> tuple[Compiled, ...]:
    """The statements of `sql`, translated for `vendor` (or the reason each cannot run);
    `restricted`: reading only the rows of the projects bound to restrict.PROJECTS."""
    if len(sql) > CACHED_SQL_LENGTH:
        return _compile(sql, vendor, max_rows, restricted)
    return _cached_compile(sql, vendor, max_rows, restricted)


def _compile(sql: str, vendor: str, max_rows: int, restricted: bool) -> tuple[Compiled, ...]:
    statements = placeholders.split(sql)
    if not statements:
        raise QueryError.syntax("The query is empty")
    return tuple(
        _compile_statement(statement, vendor, max_rows, restricted) for statement in statements
    )


def _compile_statement(statement, vendor: str, max_rows: int, restricted: bool) -> Compiled:
    try:
        translation = translate(statement, vendor, max_rows, restricted)
        return Compiled(statement.keys, translation, None)
    except QueryError as error:
        # Kept in the cache: without the traceback, which would keep the translator's frames.
        return Compiled(statement.keys, None, error.with_traceback(None))
    except RecursionError:
        error = QueryError.syntax("The query is nested too deeply")
    except Exception:
        # A statement that trips the translator is refused, never answered with a crash.
        log.exception("Could not translate %r", statement.text[:1000])
        error = QueryError.evaluation("The query could not be translated")
    return Compiled(statement.keys, None, error)


# Keyed on whether the SQL is restricted, never on which projects: the visible projects are a
# parameter bound at each run, so one translation serves every restricted user, and a
# translation without the filter can only be found by unrestricted callers.
_cached_compile = lru_cache(maxsize=1024)(_compile)
