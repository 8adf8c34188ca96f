"""Names in a statement: its tables (exposed ones or its own CTEs), its columns (qualified,
stars expanded, ambiguity and unknown names reported as the original did) and the labels its
result columns get."""

import re

from sqlglot import exp
from sqlglot.errors import OptimizeError
from sqlglot.optimizer.qualify import qualify
from sqlglot.optimizer.scope import Scope, build_scope
from sqlglot.schema import MappingSchema

from . import catalog
from .catalog import Kind
from .dialect import Perspective
from .errors import QueryError, table_does_not_exist

_SQL_TYPES = {Kind.INTEGER: "BIGINT", Kind.BOOLEAN: "BOOLEAN"}
SCHEMA = MappingSchema(
    {
        name: {column.name: _SQL_TYPES.get(column.kind, "TEXT") for column in table.columns}
        for name, table in catalog.TABLES.items()
    },
    dialect=Perspective,
)


def resolve(tree: exp.Expression) -> tuple[exp.Expression, tuple[str, ...]]:
    """The tree with every column qualified and every star expanded, and the result labels."""
    _mark_labels(tree)
    _lowercase_identifiers(tree)
    _check_sources(tree)
    tree = _qualify(tree)
    return tree, _labels(tree)


def scopes(tree: exp.Expression) -> list[Scope]:
    root = build_scope(tree)
    if root is None:
        raise QueryError.syntax("Parse error: not a query")
    return list(root.traverse())


def _projections(tree: exp.Expression) -> list[exp.Expression]:
    while isinstance(tree, exp.SetOperation):
        tree = tree.this
    return tree.expressions


def _mark_labels(tree: exp.Expression) -> None:
    """Notes on each select item the label the original gave its column."""
    for projection in _projections(tree):
        if isinstance(projection, exp.Alias):
            label = projection.alias
        elif isinstance(projection, exp.Column) and not isinstance(projection.this, exp.Star):
            label = ".".join(part.name for part in projection.parts)
        else:
            label = projection.sql(dialect=Perspective, comments=False)
        projection.meta["label"] = label


def _labels(tree: exp.Expression) -> tuple[str, ...]:
    """The labels of the result columns, once stars are expanded (to bare column names)."""
    labels = []
    for projection in _projections(tree):
        marked = projection.meta.get("label")
        if marked is None and isinstance(projection, exp.Alias):
            marked = projection.this.meta.get("label")
        labels.append(marked or projection.alias_or_name)
    return tuple(labels)


def _lowercase_identifiers(tree: exp.Expression) -> None:
    # Names are case-insensitive; lower-cased and quoted, the database resolves them exactly
    # as the checks below did.
    for identifier in tree.find_all(exp.Identifier):
        identifier.set("this", identifier.this.lower())


def _check_sources(tree: exp.Expression) -> None:
    for scope in scopes(tree):
        for table in scope.tables:
            if table.name not in scope.cte_sources and catalog.table(table.name) is None:
                raise table_does_not_exist(table.name)
        _check_aliases(scope)
        _check_ambiguity(scope)
    for cte in tree.find_all(exp.CTE):
        if cte.alias.startswith(catalog.VIEW_PREFIX):
            raise QueryError.syntax(f'Name "{cte.alias}" is reserved')


def _check_aliases(scope: Scope) -> None:
    """The sources of one FROM, and the CTEs of one WITH, need distinct names."""
    expression = scope.expression
    groups = []
    if isinstance(expression, exp.Select):
        sources = [expression.args.get("from_"), *(expression.args.get("joins") or [])]
        groups.append([source.this.alias_or_name for source in sources if source])
    if expression.args.get("with_"):
        groups.append([cte.alias for cte in expression.args["with_"].expressions])
    for names in groups:
        for name in names:
            if names.count(name) > 1:
                raise QueryError.syntax(f'Duplicate alias "{name}"')


def _check_ambiguity(scope: Scope) -> None:
    if not isinstance(scope.expression, exp.Select):
        return
    joins = scope.expression.args.get("joins") or []
    if any(join.method.upper() == "NATURAL" for join in joins):
        return
    shared = {using.name for join in joins for using in join.args.get("using") or []}
    aliases = {p.alias for p in scope.expression.expressions if isinstance(p, exp.Alias)}
    for column in scope.unqualified_columns:
        by_alias = column.name in aliases and column.find_ancestor(exp.Order, exp.Group, exp.Having)
        if column.name in shared or by_alias:
            continue
        holders = [
            name
            for name, source in scope.selected_sources.items()
            if column.name in _source_columns(source[1])
        ]
        if len(holders) > 1:
            raise QueryError.syntax(
                f'Ambiguous column name "{column.name}": found in {", ".join(holders)}'
            )


def _source_columns(source) -> tuple[str, ...]:
    if isinstance(source, exp.Table):
        table = catalog.table(source.name)
        return table.column_names if table else ()
    return tuple(source.expression.named_selects) if isinstance(source, Scope) else ()


_UNRESOLVED = re.compile(r"Column '([^']+)' could not be resolved(?: for table: '([^']+)')?")
_UNKNOWN = re.compile(r"Unknown column: (\S+)")


def _qualify(tree: exp.Expression) -> exp.Expression:
    try:
        return qualify(
            tree,
            schema=SCHEMA,
            dialect=Perspective,
            quote_identifiers=False,
            validate_qualify_columns=True,
        )
    except OptimizeError as error:
        raise _column_error(str(error)) from None


def _column_error(message: str) -> QueryError:
    match = _UNRESOLVED.search(message) or _UNKNOWN.search(message)
    if not match:
        return QueryError.syntax(message)
    name = ".".join(reversed([part for part in match.groups() if part]))
    return QueryError.syntax(f'Column "{name}" is not available for selection')
