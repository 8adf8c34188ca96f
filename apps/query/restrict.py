"""What a user who sees only some projects reads for a table: the rows of its view that belong
to those projects (catalog.Table.project_column, or `through` another table), in a subquery
that no SQL of the user's can get around.

The subquery is fenced (OFFSET 0): neither database merges it into the statement or moves the
statement's conditions into it, so no condition of the user's ever runs on a row of another
project, where failing (or not) would tell of that row. Only conditions that can neither fail
nor hold on a row of NULLs (a column compared with constants) are copied inside, so that the
view's indexes still serve lookups; and the subquery computes only the columns the statement
uses (SQLite would otherwise compute every column of every visible row).

The visible projects are one parameter, PROJECTS, bound at each run (projects_parameter): the
SQL is the same for every restricted user.
"""

import json

from sqlglot import exp
from sqlglot.helper import seq_get
from sqlglot.optimizer.scope import Scope

from . import catalog
from .placeholders import Key


class Projects(exp.Placeholder):
    """The parameter holding the visible projects: parsing user SQL never makes this node, so
    no placeholder of the user's can stand for it (or be bound to its value)."""


# Its key among a translation's parameters; user placeholders have ("name" | "index", ...).
PROJECTS: Key = ("access", "projects")

_COMPARISONS = (exp.EQ, exp.NEQ, exp.GT, exp.GTE, exp.LT, exp.LTE, exp.In, exp.Between)


def projects_parameter(project_ids: frozenset, vendor: str) -> list[str] | str:
    """The value of PROJECTS: the ids as the views show them, in an array on PostgreSQL and a
    JSON array on SQLite (one parameter however many projects)."""
    ids = [str(project_id) for project_id in project_ids]
    return ids if vendor == "postgresql" else json.dumps(ids)


def reads_projects(table: exp.Table) -> bool:
    """Whether `table` is the table function over PROJECTS that is read on SQLite."""
    call = table.this
    return isinstance(call, exp.Anonymous) and isinstance(seq_get(call.expressions, 0), Projects)


def visible_rows(table: exp.Table, entry: catalog.Table, scope: Scope, vendor: str) -> exp.Select:
    """The rows of `entry`'s view that the reference `table` (in `scope`) may read."""
    alias, view = table.alias_or_name, entry.view
    conditions = [_visible(entry, vendor), *_lookups(scope, alias, view)]
    return (
        exp.select(*_used_columns(table, entry))
        .from_(exp.to_identifier(view))
        .where(exp.and_(*conditions))
        .offset(0)
    )


def _visible(entry: catalog.Table, vendor: str) -> exp.Expression:
    """The condition that a row of the view belongs to a visible project."""
    if entry.project_column:
        return _in_projects(exp.column(entry.project_column, entry.view), vendor)
    through = entry.through
    other = catalog.TABLES[through.table]
    keys = (
        exp.select(exp.column(through.key, other.view))
        .from_(exp.to_identifier(other.view))
        .where(_visible(other, vendor))
    )
    return exp.column(through.column, entry.view).isin(query=keys)


def _in_projects(column: exp.Column, vendor: str) -> exp.Expression:
    if vendor == "postgresql":
        return exp.EQ(this=column, expression=exp.Any(this=exp.Paren(this=Projects())))
    # Qualified with its schema, so that no CTE of the statement can stand for it.
    call = exp.Anonymous(this="json_each", expressions=[Projects()])
    ids = exp.Table(this=call, db=exp.to_identifier("main"))
    return column.isin(query=exp.select("value").from_(ids))


def _used_columns(table: exp.Table, entry: catalog.Table) -> list[exp.Expression]:
    # Every column is qualified by now (joins with USING or NATURAL made into ON conditions);
    # another scope's source of the same name only adds columns that are not needed.
    alias = table.alias_or_name
    used = {column.name for column in table.root().find_all(exp.Column) if column.table == alias}
    names = [name for name in entry.column_names if name in used]
    return [exp.column(name, entry.view) for name in names] or [exp.Literal.number(1)]


def _lookups(scope: Scope, alias: str, view: str) -> list[exp.Expression]:
    """The conditions of the WHERE that compare columns of `alias` with constants, made on the
    view. They cannot fail, and they are not true on a row of NULLs: filtering with them first
    filters the same, even on the outer side of a join (the WHERE still filters after it)."""
    where = scope.expression.args.get("where")
    if where is None:
        return []
    top = where.this.unnest()
    conditions = top.flatten() if isinstance(top, exp.And) else [top]
    return [_on_view(c, view) for c in conditions if _compares_with_constants(c, alias)]


def _compares_with_constants(condition: exp.Expression, alias: str) -> bool:
    if not isinstance(condition, _COMPARISONS):
        return False
    operands = list(condition.iter_expressions())
    columns = [o for o in operands if isinstance(o, exp.Column) and o.table == alias]
    return bool(columns) and all(o in columns or _constant(o) for o in operands)


def _constant(node: exp.Expression) -> bool:
    if isinstance(node, exp.Neg):
        return _constant(node.this)
    return type(node) in (exp.Literal, exp.Placeholder, exp.Boolean, exp.Null)


def _on_view(condition: exp.Expression, view: str) -> exp.Expression:
    copy = condition.copy()
    for column in copy.find_all(exp.Column):
        column.set("table", exp.to_identifier(view))
    return copy
