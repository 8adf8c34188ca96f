"""One statement of user SQL to SQL of the database in use: parse (as MySQL), check, resolve
tables and columns, translate functions and operators, rewrite tables onto their views (or, when
restricted, onto their rows of the projects bound to restrict.PROJECTS).

The result names its parameters in the order of the generated `%s` placeholders, the labels
of its result columns (as the original labelled them) and which of them are booleans.
"""

import re
from dataclasses import dataclass

from sqlglot import exp
from sqlglot.errors import ParseError, TokenError

from . import check, meta, restrict, rewrite
from .dialect import BACKENDS, Perspective
from .errors import QueryError
from .placeholders import Key, Statement
from .resolve import resolve, scopes


@dataclass(frozen=True)
class Translation:
    sql: str | None  # None: answered without the database (`rows`)
    keys: tuple[Key, ...] = ()  # the parameter of each %s, in order
    labels: tuple[str, ...] = ()
    booleans: tuple[int, ...] = ()  # positions of boolean columns (SQLite returns 0 and 1)
    explain: bool = False
    rows: tuple[tuple, ...] = ()
    like: bool = False  # uses LIKE (SQLite then needs case-sensitive LIKE turned on)


# PostgreSQL plans from statistics over every project's rows: even without its estimates, a
# plan's shape (a bitmap scan or an index scan) tells about rows a restricted user cannot see.
# SQLite's plans depend on the schema and the query alone (no ANALYZE statistics are kept).
EXPLAIN_REFUSED = (
    "EXPLAIN is only for users who see every project: on PostgreSQL, a plan depends on the rows"
    " of all projects"
)
# Bounds the work of translating one statement (parsing, resolving, generating).
MAX_TOKENS = 10_000
_MARKER = re.compile(r"\x00(\d+)\x00")
# Python internals in sqlglot's parse errors, of no use to the user.
_SQLGLOT_DETAIL = re.compile(r" for <class [^>]*>| but got <Token[^>]*>")


def translate(
    statement: Statement, vendor: str, max_rows: int, restricted: bool = False
) -> Translation:
    if "\x00" in statement.text:
        raise QueryError.syntax("The query contains a NUL character")
    tree, explain = _parse(statement)
    if explain and restricted and vendor == "postgresql":
        raise QueryError.evaluation(EXPLAIN_REFUSED)
    call = meta.call(tree)
    if call is not None and not explain:
        labels, rows = meta.answer(call)
        return Translation(None, labels=labels, rows=tuple(rows))
    check.nodes(tree)
    tree, labels = resolve(tree)
    if restricted:
        restrict.mark_fences(tree, scopes(tree))
    rewrite.stored_keys(tree)
    rewrite.translate_functions(tree, vendor)
    rewrite.translate_operators(tree, vendor)
    if vendor == "postgresql":
        rewrite.postgres_truth(tree)
    booleans = rewrite.boolean_columns(tree) if vendor == "sqlite" else ()
    rewrite.cap_rows(tree, max_rows)
    rewrite.rewrite_tables(tree, vendor, restricted)
    check.only_views(tree)
    like = tree.find(exp.Like) is not None
    sql, keys = _generate(tree, vendor, statement.keys)
    if explain:
        sql = ("EXPLAIN QUERY PLAN " if vendor == "sqlite" else "EXPLAIN ") + sql
        labels = ("task",)
    return Translation(sql, keys, labels, booleans, explain, like=like)


def _parse(statement: Statement) -> tuple[exp.Expression, bool]:
    dialect = Perspective()
    try:
        tokens = dialect.tokenize(statement.text)
        if len(tokens) > MAX_TOKENS:
            raise QueryError.syntax(
                f"The statement is too long: {len(tokens)} tokens, at most {MAX_TOKENS}"
            )
        trees = [tree for tree in dialect.parser().parse(tokens, statement.text) if tree]
    except ParseError as error:
        raise _parse_error(statement, error.errors[0] if error.errors else {}) from None
    except TokenError as error:
        raise QueryError.syntax(f"Parse error: {error}") from None
    if len(trees) != 1:
        raise QueryError.syntax("Parse error: one statement expected")
    tree = trees[0]
    if isinstance(tree, exp.Describe):
        if any(value for name, value in tree.args.items() if name != "this"):
            raise QueryError.syntax("Only EXPLAIN SELECT ... is allowed")
        return tree.this, True
    if not isinstance(tree, exp.Select | exp.SetOperation):
        raise QueryError.syntax(f"Only SELECT statements are allowed, not {tree.key.upper()}")
    return tree, False


def _parse_error(statement: Statement, error: dict) -> QueryError:
    """The original's message: `Parse error: "what" near "token" at line:column`."""
    line, end = error.get("line", 1), error.get("col", 1)  # end: the token's last column
    near = error.get("highlight") or ""
    lines = statement.text.split("\n")
    offset = sum(len(text) + 1 for text in lines[: line - 1]) + max(end - len(near), 0)
    line, column = statement.position(offset)
    description = _SQLGLOT_DETAIL.sub("", error.get("description") or "Invalid expression")
    return QueryError.syntax(f'Parse error: "{description}" near "{near}" at {line}:{column}')


def _generate(tree: exp.Expression, vendor: str, keys: tuple[Key, ...]) -> tuple[str, tuple]:
    found = []
    for placeholder in list(tree.find_all(exp.Placeholder)):
        if isinstance(placeholder, restrict.Projects):
            found.append(restrict.PROJECTS)
        else:
            found.append(keys[_marker_index(placeholder, len(keys))])
        placeholder.replace(exp.Var(this=f"\x00{len(found) - 1}\x00"))
    sql = tree.sql(dialect=BACKENDS[vendor], identify=True, comments=False)
    pieces = _MARKER.split(sql)
    # Odd pieces are marker indexes; the rest is SQL, whose % the driver must see doubled.
    order = tuple(found[int(index)] for index in pieces[1::2])
    return "%s".join(piece.replace("%", "%%") for piece in pieces[0::2]), order


def _marker_index(placeholder: exp.Placeholder, count: int) -> int:
    name = placeholder.name
    if not (name.startswith("p") and name[1:].isdigit() and int(name[1:]) < count):
        raise QueryError.syntax("Parse error: unexpected placeholder")
    return int(name[1:])
