"""The functions user SQL may call: the original's, with the same names and results, each
translated to SQL of the backend in use (SQL templates; `{0}`, `{1}`... are the arguments).

Aggregates (COUNT, SUM, MIN, MAX, AVG) and COALESCE, IFNULL, NULLIF are sqlglot's own nodes;
the meta functions TABLES(), COLUMNS('t') and FUNCTIONS() are answered from the catalog
(see meta.py). Where a backend lacks a function, SQLite gets a Python one (registered on each
connection, sqlite_functions.py) and PostgreSQL a SQL one (schema.POSTGRES_FUNCTIONS), both
named query_*.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings

from .errors import QueryError

Template = str | Callable[[list], str]


@dataclass(frozen=True)
class Function:
    name: str
    signature: str
    description: str
    sqlite: Template
    postgres: Template
    min_args: int
    max_args: int | None  # None: any number
    # Never fails and tells nothing but its value, whatever its arguments: may run on rows of
    # projects the user does not see (restrict.py).
    leakproof: bool = False

    def template(self, vendor: str, args: list) -> str:
        self.check_arity(len(args))
        chosen = self.postgres if vendor == "postgresql" else self.sqlite
        sql = chosen(args) if callable(chosen) else chosen
        if vendor == "postgresql" and self.name in GROWING:
            return f"query_bounded({sql})"  # SQLite's length limit bounds them there
        return sql

    def check_arity(self, count: int) -> None:
        if count < self.min_args or (self.max_args is not None and count > self.max_args):
            raise QueryError.evaluation(
                f"Function '{self.name.lower()}' takes {self._arity()} ({count} given): "
                f"{self.signature}"
            )

    def _arity(self) -> str:
        if self.max_args is None:
            return f"at least {self.min_args} arguments"
        if self.min_args == self.max_args:
            return f"{self.min_args} argument{'s' if self.min_args != 1 else ''}"
        return f"{self.min_args} to {self.max_args} arguments"


def _text(index: int) -> str:
    return f"CAST({{{index}}} AS TEXT)"


def _joined(args: list, separator: str, first: int = 0) -> str:
    return separator.join(_text(index) for index in range(first, len(args)))


def _math(name: str, arguments: int = 1) -> str:
    return f"{name}({', '.join(f'{{{i}}}' for i in range(arguments))})"


def _defined(name: str, domain: str) -> str:
    """`name`({0}) where `domain` holds of {0}, else NULL (as MySQL answers, and SQLite's own
    math functions; PostgreSQL's raise an error)."""
    return f"{name}(CASE WHEN {domain} THEN {{0}} END)"


# Where LOG(B, X) is defined: a positive base other than 1, a positive X.
_LOG_BASE = "{0} > 0 AND {0} <> 1 AND {1} > 0"


def _as_double(sql: str) -> str:
    return f"CAST({sql} AS DOUBLE PRECISION)"


def _round_pg(function: str) -> Callable[[list], str]:
    return lambda args: _as_double(
        f"{function}(CAST({{0}} AS NUMERIC), {'{1}' if len(args) > 1 else '0'})"
    )


def _typeof(vendor: str) -> Callable[[list], str]:
    def template(args):
        kind = args[1].name.upper() if args[1].is_string else None
        tests = TYPEOF_TESTS[vendor]
        if kind not in tests:
            raise QueryError.evaluation(
                f'Invalid data type "{args[1].sql()}": should be one of {{{", ".join(tests)}}}'
            )
        return tests[kind]

    return template


TYPEOF_TESTS = {
    "sqlite": {
        "STRING": "typeof({0}) = 'text'",
        "INTEGER": "typeof({0}) = 'integer'",
        "FLOAT": "typeof({0}) = 'real'",
        "NULL": "{0} IS NULL",
    },
    "postgresql": {
        "STRING": "{0} IS NOT NULL AND pg_typeof({0}) IN ('text', 'character varying', 'unknown')",
        "INTEGER": "{0} IS NOT NULL AND pg_typeof({0}) IN ('integer', 'bigint', 'smallint')",
        "FLOAT": "{0} IS NOT NULL AND pg_typeof({0}) IN ('double precision', 'real', 'numeric')",
        "NULL": "{0} IS NULL",
    },
}


def _f(name, signature, description, sqlite, postgres=None, arity=(1, 1)):
    leakproof = name in LEAKPROOF
    return Function(name, signature, description, sqlite, postgres or sqlite, *arity, leakproof)


# Functions of strings that cannot fail on any value, and constants. Not CONCAT, JOIN or
# REPLACE: their result can be longer than QUERY_MAX_BYTES, which fails (on SQLite), so whether
# they fail on a row would tell how long its values are, or what letters they hold.
LEAKPROOF = {
    *("CHAR_LENGTH", "E", "LOWER", "PI", "REVERSE", "TRIM", "TYPEOF", "UPPER", "VERSION"),
}
# Functions whose result can be much longer than their arguments: on PostgreSQL, their result
# fails past QUERY_MAX_BYTES (schema.py's query_bounded), as any value does on SQLite.
# REPLACE, which can square a string's length, checks the length it would make before it makes
# it (query_replace).
GROWING = {"BASE64", "CONCAT", "FORMAT", "JOIN"}


FUNCTIONS: dict[str, Function] = {
    function.name: function
    for function in (
        _f("ABS", "ABS(X)", "Returns the absolute value of X.", _math("ABS")),
        _f("ACOS", "ACOS(X)", "Returns the arc cosine of X.", _math("ACOS")),
        _f("ASIN", "ASIN(X)", "Returns the arc sine of X.", _math("ASIN")),
        _f("ATAN", "ATAN(X)", "Returns the arc tangent of X.", _math("ATAN")),
        _f("CBRT", "CBRT(X)", "Returns the cube root of X.", "query_cbrt({0})", _math("CBRT")),
        _f("CEIL", "CEIL(X)", "Returns the smallest integer not less than X.", _math("CEIL")),
        _f("FLOOR", "FLOOR(X)", "Returns the largest integer not greater than X.", _math("FLOOR")),
        _f("COS", "COS(X)", "Returns the cosine of X (radians).", _math("COS")),
        _f("COT", "COT(X)", "Returns the cotangent of X (radians).", _math("COT")),
        _f("DEGREES", "DEGREES(X)", "Converts X from radians to degrees.", _math("DEGREES")),
        _f("RADIANS", "RADIANS(X)", "Converts X from degrees to radians.", _math("RADIANS")),
        _f("E", "E()", "Returns Euler's number e.", "EXP(1)", arity=(0, 0)),
        _f("PI", "PI()", "Returns the number pi.", "PI()", arity=(0, 0)),
        _f("EXP", "EXP(X)", "Returns e raised to the power of X.", _math("EXP")),
        _f("LN", "LN(X)", "Returns the natural logarithm of X.", _defined("LN", "{0} > 0")),
        _f(
            "LOG10",
            "LOG10(X)",
            "Returns the base-10 logarithm of X.",
            _defined("LOG10", "{0} > 0"),
        ),
        _f(
            "LOG",
            "LOG([B, ]X)",
            "Returns the logarithm of X to base B (natural logarithm without B).",
            lambda args: (
                f"CASE WHEN {_LOG_BASE} THEN LOG({{0}}, {{1}}) END"
                if len(args) == 2
                else _defined("LN", "{0} > 0")
            ),
            lambda args: (
                f"CASE WHEN {_LOG_BASE} THEN "
                + _as_double("LOG(CAST({0} AS NUMERIC), CAST({1} AS NUMERIC))")
                + " END"
                if len(args) == 2
                else _defined("LN", "{0} > 0")
            ),
            arity=(1, 2),
        ),
        _f(
            "MOD",
            "MOD(N, M)",
            "Returns the remainder of N divided by M (NULL when M is 0).",
            "MOD({0}, {1})",
            "MOD({0}, NULLIF({1}, 0))",
            arity=(2, 2),
        ),
        _f(
            "POWER",
            "POWER(X, Y)",
            "Returns X raised to the power of Y.",
            _math("POWER", 2),
            arity=(2, 2),
        ),
        _f(
            "RAND",
            "RAND()",
            "Returns a random number between 0 and 1.",
            "RAND()",
            "RANDOM()",
            arity=(0, 0),
        ),
        _f(
            "ROUND",
            "ROUND(X[, D])",
            "Returns X rounded to D decimal places (0 by default).",
            lambda args: "ROUND({0}, {1})" if len(args) > 1 else "ROUND({0})",
            _round_pg("ROUND"),
            arity=(1, 2),
        ),
        _f(
            "TRUNCATE",
            "TRUNCATE(X, D)",
            "Returns X truncated to D decimal places.",
            "query_truncate({0}, {1})",
            _round_pg("TRUNC"),
            arity=(2, 2),
        ),
        _f(
            "SIGN",
            "SIGN(X)",
            "Returns -1, 0 or 1 as X is negative, zero or positive.",
            _math("SIGN"),
        ),
        _f("SIN", "SIN(X)", "Returns the sine of X (radians).", _math("SIN")),
        _f("SQRT", "SQRT(X)", "Returns the square root of X.", _defined("SQRT", "{0} >= 0")),
        _f("TAN", "TAN(X)", "Returns the tangent of X (radians).", _math("TAN")),
        _f(
            "CONV",
            "CONV(N, B1, B2)",
            "Converts number N from base B1 to base B2 (bases from 2 to 36).",
            f"query_conv({_text(0)}, {{1}}, {{2}})",
            arity=(3, 3),
        ),
        _f(
            "BASE64",
            "BASE64(S)",
            "Returns S encoded as base64 (of its UTF-8 bytes).",
            "query_base64({0})",
            f"translate(encode(convert_to({_text(0)}, 'UTF8'), 'base64'), chr(10), '')",
        ),
        _f(
            "BIT_LENGTH",
            "BIT_LENGTH(S)",
            "Returns the length of S in bits.",
            f"length(CAST({_text(0)} AS BLOB)) * 8",
            f"bit_length({_text(0)})",
        ),
        _f(
            "CHAR",
            "CHAR(C1, C2, ... CN)",
            "Returns the string made of the characters with the code points C.",
            lambda args: f"char({', '.join(f'{{{i}}}' for i in range(len(args)))})",
            lambda args: " || ".join(f"chr({{{i}}})" for i in range(len(args))),
            arity=(1, None),
        ),
        _f(
            "CHAR_LENGTH",
            "CHAR_LENGTH(S)",
            "Returns the length of S in characters.",
            f"length({_text(0)})",
            f"char_length({_text(0)})",
        ),
        _f(
            "CONCAT",
            "CONCAT(S1, S2, ... SN)",
            "Returns the arguments concatenated (NULL if any is NULL).",
            lambda args: _joined(args, " || "),
            arity=(1, None),
        ),
        _f(
            "CRC32",
            "CRC32(S)",
            "Returns the CRC-32 checksum of S (of its UTF-8 bytes).",
            f"query_crc32({_text(0)})",
        ),
        _f(
            "FORMAT",
            "FORMAT(F[, V1, V2, ...])",
            "Returns the values V formatted by F, with %s, %d, %f, %x and %% "
            "(flags '-' and '0', width and precision as in %-8s or %08.2f).",
            lambda args: f"query_format({', '.join(f'{{{i}}}' for i in range(len(args)))})",
            lambda args: f"query_format({_text(0)}, ARRAY[{_joined(args, ', ', 1)}]::text[])",
            arity=(1, None),
        ),
        _f(
            "JOIN",
            "JOIN(SEP, S1, S2 ... SN)",
            "Returns the strings S joined with the separator SEP (NULL if any is NULL).",
            lambda args: _joined(args, f" || {_text(0)} || ", first=1),
            arity=(2, None),
        ),
        # Every letter, not only ASCII ones (SQLite's own): as PostgreSQL does.
        _f(
            "LOWER",
            "LOWER(S)",
            "Returns S in lower case.",
            f"query_lower({_text(0)})",
            f"LOWER({_text(0)})",
        ),
        _f(
            "UPPER",
            "UPPER(S)",
            "Returns S in upper case.",
            f"query_upper({_text(0)})",
            f"UPPER({_text(0)})",
        ),
        _f(
            "REPLACE",
            "REPLACE(S, FROM, TO)",
            "Returns S with every FROM replaced by TO.",
            f"REPLACE({_text(0)}, {_text(1)}, {_text(2)})",
            f"query_replace({_text(0)}, {_text(1)}, {_text(2)})",
            arity=(3, 3),
        ),
        _f("REVERSE", "REVERSE(S)", "Returns S reversed.", f"REVERSE({_text(0)})"),
        _f(
            "SUBSTR",
            "SUBSTR(S, POS[, LEN])",
            "Returns LEN characters (or all) of S from position POS (1 is the first).",
            lambda args: f"SUBSTR({_text(0)}, {{1}}{', {2}' if len(args) == 3 else ''})",
            arity=(2, 3),
        ),
        _f(
            "TRIM", "TRIM(S)", "Returns S without leading and trailing spaces.", f"TRIM({_text(0)})"
        ),
        _f(
            "TYPEOF",
            "TYPEOF(X, T)",
            "Returns whether X is of type T: 'STRING', 'INTEGER', 'FLOAT' or 'NULL'.",
            _typeof("sqlite"),
            _typeof("postgresql"),
            arity=(2, 2),
        ),
        _f(
            "VERSION",
            "VERSION()",
            "Returns the version of Perspective.",
            lambda args: "'" + settings.VERSION.replace("'", "''") + "'",
            arity=(0, 0),
        ),
    )
}

# Answered from the catalog, only as the whole select list of a query without FROM.
META_FUNCTIONS = {
    "TABLES": ("TABLES()", "Lists the tables (column table_name)."),
    "COLUMNS": (
        "COLUMNS(T)",
        "Lists the columns of table T (column_name, type, default_value, indexed).",
    ),
    "FUNCTIONS": ("FUNCTIONS()", "Lists the functions (function_name, description)."),
}

# Functions the parser keeps as its own nodes: aggregates and NULL handling.
BUILTIN_DESCRIPTIONS = {
    "COUNT": "COUNT(*), COUNT([DISTINCT] X): the number of rows, or of values X not NULL.",
    "SUM": "SUM([DISTINCT] X): the sum of the values X.",
    "MIN": "MIN(X): the smallest value X.",
    "MAX": "MAX(X): the largest value X.",
    "AVG": "AVG([DISTINCT] X): the average of the values X.",
    "COALESCE": "COALESCE(X1, X2, ...): the first X that is not NULL.",
    "IFNULL": "IFNULL(X, Y): X, or Y when X is NULL.",
    "NULLIF": "NULLIF(X, Y): NULL when X equals Y, else X.",
}


def describe() -> list[tuple[str, str]]:
    """(name, description) of every function, for FUNCTIONS()."""
    rows = [(f.name.lower(), f"{f.signature}: {f.description}") for f in FUNCTIONS.values()]
    rows += [(name.lower(), f"{sig}: {text}") for name, (sig, text) in META_FUNCTIONS.items()]
    rows += [(name.lower(), text) for name, text in BUILTIN_DESCRIPTIONS.items()]
    return sorted(rows)
