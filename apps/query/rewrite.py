"""A resolved statement made into SQL of the backend: the original's functions and MySQL's
operators translated, truth values and booleans as each backend needs them, the row cap, and
every exposed table read from its view (only its rows of the visible projects, when restricted)."""

from functools import lru_cache

import sqlglot
from sqlglot import exp
from sqlglot.errors import SqlglotError
from sqlglot.optimizer.annotate_types import annotate_types
from sqlglot.optimizer.scope import Scope

from . import catalog, restrict
from .dialect import TEMPLATES, Perspective
from .errors import QueryError
from .functions import FUNCTIONS
from .resolve import SCHEMA, scopes


@lru_cache(maxsize=512)
def _template(sql: str, vendor: str) -> exp.Expression:
    # Read as a select item, so that a name such as REPLACE cannot start a statement.
    return sqlglot.parse_one(f"SELECT {sql}", read=TEMPLATES[vendor]).expressions[0]


def _call(function_name: str, args: list[exp.Expression], vendor: str) -> exp.Expression:
    """The function's SQL for the backend, with `args` in place of its arguments."""
    function = FUNCTIONS[function_name]
    names = [f"__arg{index}" for index in range(len(args))]
    tree = _template(function.template(vendor, args).format(*names), vendor).copy()
    for column in list(tree.find_all(exp.Column)):
        if column.name in names:
            column.replace(args[names.index(column.name)].copy())
    return exp.Paren(this=tree) if isinstance(tree, exp.Binary | exp.Predicate) else tree


def translate_functions(tree: exp.Expression, vendor: str) -> None:
    # Innermost first: an argument is translated before the call that holds it.
    for node in reversed(list(tree.find_all(exp.Anonymous))):
        name = node.name.upper()
        if name not in FUNCTIONS:
            raise QueryError.evaluation(
                f"Function '{node.name}' can only be used alone, as in: select {node.name}()"
            )
        node.replace(_call(name, node.expressions, vendor))


def translate_operators(tree: exp.Expression, vendor: str) -> None:
    # Innermost first, as for functions.
    for node in reversed(list(tree.walk())):
        if isinstance(node, exp.Xor):
            # MySQL's logical XOR: NULL when either side is; NOT makes any value a truth value.
            left, right = (exp.Paren(this=exp.Not(this=side)) for side in (node.left, node.right))
            node.replace(exp.Paren(this=exp.NEQ(this=left, expression=right)))
        elif isinstance(node, exp.Mod):
            node.replace(_call("MOD", [node.this, node.expression], vendor))
        elif isinstance(node, exp.IntDiv):
            # NULL for a divisor of 0, as `/` (a safe division) and MySQL; PostgreSQL raises.
            divisor = exp.Nullif(this=node.expression, expression=exp.Literal.number(0))
            node.set("expression", divisor)
        elif isinstance(node, exp.Ordered):
            node.set("nulls_first", False)
        elif vendor == "sqlite":
            _sqlite_operator(node)


def _sqlite_operator(node: exp.Expression) -> None:
    if isinstance(node, exp.BitwiseXor):
        either = exp.BitwiseOr(this=node.this.copy(), expression=node.expression.copy())
        both = exp.BitwiseAnd(this=node.this, expression=node.expression)
        node.replace(
            exp.Paren(this=exp.Sub(this=exp.Paren(this=either), expression=exp.Paren(this=both)))
        )
    elif isinstance(node, exp.Like) and not isinstance(node.parent, exp.Escape):
        # PostgreSQL's (and MySQL's) LIKE escapes with a backslash; SQLite's only if told.
        node.replace(exp.Escape(this=node.copy(), expression=exp.Literal.string("\\")))


# Where a truth value is needed: (node type, argument).
_CONDITIONS = [
    (exp.And, "this"),
    (exp.And, "expression"),
    (exp.Or, "this"),
    (exp.Or, "expression"),
    (exp.Not, "this"),
    (exp.Where, "this"),
    (exp.Having, "this"),
    (exp.Join, "on"),
    (exp.If, "this"),
]


def postgres_truth(tree: exp.Expression) -> None:
    """Numbers as truth values, as MySQL (and SQLite) take them: `x AND 1`, `is_public = 1`."""
    try:
        annotate_types(tree, schema=SCHEMA, dialect=Perspective)
    except SqlglotError:
        return
    for node in list(tree.walk()):
        for node_type, name in _CONDITIONS:
            child = node.args.get(name) if isinstance(node, node_type) else None
            if child is not None and _is_number(child):
                node.set(
                    name, exp.Paren(this=exp.NEQ(this=child, expression=exp.Literal.number(0)))
                )
        if isinstance(node, exp.EQ | exp.NEQ):
            _boolean_literal(node)


def _is_number(node: exp.Expression) -> bool:
    return node.type is not None and node.type.this in exp.DataType.NUMERIC_TYPES


def _boolean_literal(comparison: exp.Binary) -> None:
    sides = (comparison.this, comparison.expression)
    for side, other in (sides, sides[::-1]):
        is_boolean = side.type is not None and side.type.this == exp.DataType.Type.BOOLEAN
        if is_boolean and isinstance(other, exp.Literal) and other.is_number:
            other.replace(exp.Boolean(this=other.to_py() != 0))


def boolean_columns(tree: exp.Expression) -> tuple[int, ...]:
    try:
        typed = annotate_types(tree.copy(), schema=SCHEMA, dialect=Perspective)
    except SqlglotError:
        return ()
    while isinstance(typed, exp.SetOperation):
        typed = typed.this
    return tuple(
        index
        for index, projection in enumerate(typed.expressions)
        if projection.type and projection.type.this == exp.DataType.Type.BOOLEAN
    )


def cap_rows(tree: exp.Expression, max_rows: int) -> None:
    """Asks for one row more than the cap, so that the executor can tell a cut result."""
    limit = tree.args.get("limit")
    wanted = limit.expression if limit else None
    if wanted is None:
        tree.set("limit", exp.Limit(expression=exp.Literal.number(max_rows + 1)))
    elif wanted.is_int and wanted.to_py() > max_rows + 1:
        limit.set("expression", exp.Literal.number(max_rows + 1))


def stored_keys(tree: exp.Expression) -> None:
    """Equalities of two ids (joins on keys) made on the ids as stored (catalog.stored): the
    same truth (the text form is one-to-one), and the foreign keys' indexes serve them."""
    for scope in scopes(tree):
        for equality in scope.find_all(exp.EQ):
            sides = [_stored(scope, side.unnest()) for side in (equality.this, equality.expression)]
            if all(sides):
                equality.set("this", sides[0])
                equality.set("expression", sides[1])


def _stored(scope: Scope, side: exp.Expression) -> exp.Column | None:
    """`side` as its stored column, when it is an id column of an exposed table."""
    if not isinstance(side, exp.Column):
        return None
    source = scope.sources.get(side.table)
    if not isinstance(source, exp.Table) or source.name in scope.cte_sources:
        return None
    entry = catalog.table(source.name)
    if entry is None or side.name not in entry.column_names:
        return None
    if entry.column(side.name).kind is not catalog.Kind.UUID:
        return None
    return exp.column(catalog.stored(side.name), side.table)


def rewrite_tables(tree: exp.Expression, vendor: str, restricted: bool) -> None:
    for scope in scopes(tree):
        for table in scope.tables:
            if table.name not in scope.cte_sources:
                entry = catalog.TABLES[table.name]
                table.replace(source(table, entry, scope, vendor, restricted))


def source(
    table: exp.Table, entry: catalog.Table, scope: Scope, vendor: str, restricted: bool
) -> exp.Expression:
    """What a reference to an exposed table reads, under the name the query uses: its view or,
    `restricted`, the view's rows of the projects bound to restrict.PROJECTS.

    User SQL cannot name the view itself (nor a CTE like it): this is the only way in.
    """
    alias = exp.TableAlias(this=exp.to_identifier(table.alias_or_name))
    if not restricted:
        return exp.Table(this=exp.to_identifier(entry.view), alias=alias)
    return exp.Subquery(this=restrict.visible_rows(table, entry, scope, vendor), alias=alias)
