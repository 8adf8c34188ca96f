"""How large /query's values may be: what a row costs of the request's QUERY_MAX_BYTES, and on
SQLite the length limit that makes any longer string or blob fail where it would be made (a
string doubled by a recursive CTE, REPLACE, a Python function's result), before it is. On
PostgreSQL, whose driver receives a statement's whole answer at once, the database itself
stops sending rows past the bytes left (`postgres_within`).

SQLite's sqlite3_limit() is Connection.setlimit in Python's own sqlite3 module; pysqlite3,
which Perspective runs on (perspective/sqlite/library.py), predates it, so there it is called
through ctypes in the library pysqlite3 links in, on the connection's handle: the first field
of the module's Connection object, as in CPython's, after the object's header.
"""

import ctypes
import importlib
from contextlib import contextmanager
from functools import cache

SQLITE_LIMIT_LENGTH = 0  # sqlite3.h
TOO_BIG = "string or blob too big"  # SQLite's SQLITE_TOOBIG
# PostgreSQL: where the statement's transaction keeps its bytes, for schema.py's query_bounded.
MAX_BYTES_SETTING = "perspective.max_bytes"
MAX_INT = 2**31 - 1  # what sqlite3_limit takes
# What a value other than a string costs: as long as the longest number in JSON.
OTHER_BYTES = 24
# JSON writes a character outside ASCII as \\uXXXX (twice that outside the BMP): at most 12.
NON_ASCII_BYTES = 12


def size(row) -> int:
    """About the bytes of `row`'s values in the JSON answer, never fewer."""
    total = 0
    for value in row:
        if value.__class__ is str:
            total += len(value) + 2 if value.isascii() else len(value) * NON_ASCII_BYTES + 2
        else:
            total += OTHER_BYTES
    return total


@contextmanager
def sqlite_length_limit(sqlite_connection, max_bytes: int | None):
    """Strings and blobs of at most `max_bytes` in the block (None: no change)."""
    if max_bytes is None:
        yield
        return
    previous = _set_length_limit(sqlite_connection, min(max_bytes, MAX_INT))
    try:
        yield
    finally:
        _set_length_limit(sqlite_connection, previous)


def postgres_within(sql: str, columns: int, bytes_left: int) -> str:
    """`sql` (of `columns` columns) answering only its rows within `bytes_left` bytes as
    PostgreSQL stores them, then one row of NULLs if any were left out; each row gets one more
    column: whether it is that last row. The statement's LIMIT keeps its subquery from being
    merged into this one, so its rows come in its own order."""
    names = [f"c{index}" for index in range(columns)]
    limit = int(bytes_left)
    kept = ", ".join(f"CASE WHEN w.total <= {limit} THEN w.{name} END" for name in names)
    # `sql` is the translation's (generated, with its parameters bound by the driver).
    return (
        f"SELECT {kept}, w.total > {limit} FROM (SELECT q.*, s.size,"  # noqa: S608
        " sum(s.size) OVER (ROWS UNBOUNDED PRECEDING) AS total"
        f" FROM ({sql}) AS q({', '.join(names)}), LATERAL (SELECT pg_column_size(q.*) AS size) s)"
        f" AS w WHERE w.total - w.size <= {limit}"
    )


def too_long(error: Exception) -> bool:
    return str(error).strip() == TOO_BIG


def too_long_message(max_bytes: int | str) -> str:
    return f"A value is longer than the limit of {max_bytes} bytes (QUERY_MAX_BYTES)"


def _set_length_limit(sqlite_connection, limit: int) -> int:
    """Sets the limit; returns the one before."""
    if hasattr(sqlite_connection, "setlimit"):
        return sqlite_connection.setlimit(SQLITE_LIMIT_LENGTH, limit)
    handle = ctypes.c_void_p.from_address(id(sqlite_connection) + object.__basicsize__).value
    return _sqlite3_limit(type(sqlite_connection).__module__)(handle, SQLITE_LIMIT_LENGTH, limit)


@cache
def _sqlite3_limit(module: str):
    """sqlite3_limit of the library behind the DB-API module `module` (pysqlite3.dbapi2)."""
    extension = importlib.import_module(module.rpartition(".")[0] + "._sqlite3")
    function = ctypes.CDLL(extension.__file__).sqlite3_limit
    function.argtypes = [ctypes.c_void_p, ctypes.c_int, ctypes.c_int]
    function.restype = ctypes.c_int
    return function
