"""What a user who sees only some projects reads for a table: the rows of its view that belong
to those projects (catalog.Table.project_column, or `through` another table), in a subquery.

The guarantee: no condition of the user's that could fail (or otherwise tell something) ever
runs on a row of another project. Conditions that can neither fail nor tell anything but their
truth (comparisons, IN, BETWEEN, IS NULL, LIKE with a constant pattern, AND/OR/NOT, CASE, the
functions marked leakproof in functions.py) may run on any row, as PostgreSQL's leakproof
operators may under a security barrier: whatever their order, the rows that come out are the
visible ones. So:
- a reference whose rows only such conditions see reads a plain subquery, which the database
  merges into the statement: the plans are the superuser's, with the project filter added
  (an index on the view's project column serves it);
- a reference whose rows some other condition sees (mark_fences) reads a fenced subquery
  (OFFSET 0): neither database merges it into the statement nor moves the statement's
  conditions into it. Only conditions that can neither fail nor hold on a row of NULLs are
  copied inside, so that the view's indexes still serve lookups.
Either way the subquery computes only the columns the statement uses (SQLite would otherwise
compute every column of every visible row).

The visible projects are one parameter, PROJECTS, bound at each run (projects_parameter): the
SQL is the same for every restricted user.
"""

import json
import uuid

from sqlglot import exp
from sqlglot.helper import seq_get
from sqlglot.optimizer.scope import Scope

from . import catalog, check
from .functions import FUNCTIONS
from .placeholders import Key


class Projects(exp.Placeholder):
    """The parameter holding the visible projects: parsing user SQL never makes this node, so
    no placeholder of the user's can stand for it (or be bound to its value)."""


# Its key among a translation's parameters; user placeholders have ("name" | "index", ...).
PROJECTS: Key = ("access", "projects")

_COMPARISONS = (exp.EQ, exp.NEQ, exp.GT, exp.GTE, exp.LT, exp.LTE, exp.In, exp.Between)
_FILTERS = ("where", "group", "having")
FENCE = "fence"  # the meta key marking a table reference to read through a fenced subquery


def projects_parameter(project_ids: frozenset, vendor: str) -> list[str] | str:
    """The value of PROJECTS: the ids as the database stores them, in an array on PostgreSQL
    and a JSON array on SQLite (one parameter however many projects), in the databases' order
    of ids (_in_projects reads the first and last as bounds)."""
    ids = sorted(uuid.UUID(str(project_id)) for project_id in project_ids)
    return [str(i) for i in ids] if vendor == "postgresql" else json.dumps([i.hex for i in ids])


def reads_projects(table: exp.Table) -> bool:
    """Whether `table` is the table function over PROJECTS that is read on SQLite."""
    call = table.this
    return isinstance(call, exp.Anonymous) and isinstance(seq_get(call.expressions, 0), Projects)


def mark_fences(tree: exp.Expression, scopes: list[Scope]) -> None:
    """Marks (FENCE) the references to exposed tables whose rows a condition of the user's
    that could fail would see; every reference when such a condition reads no table directly
    (a constant, a derived table's column, a subquery of its own)."""
    for scope in scopes:
        for node in _conditions(scope):
            if _leakproof(node):
                continue
            references = _references(scope, node)
            if references is None:
                for table in tree.find_all(exp.Table):
                    table.meta[FENCE] = True
                return
            for table in references:
                table.meta[FENCE] = True


def _conditions(scope: Scope):
    """The nodes of `scope` that may run before every row is known to be visible: all but the
    result columns and ORDER BY of the outermost SELECT, which run on the rows its WHERE kept."""
    if scope.is_root and isinstance(scope.expression, exp.Select):
        args = scope.expression.args
        parts = [*(args.get("joins") or []), *(args.get(name) for name in _FILTERS)]
        for part in filter(None, parts):
            yield from (node for node in part.walk() if _in_scope(node, scope))
    else:
        yield from scope.walk()


def _in_scope(node: exp.Expression, scope: Scope) -> bool:
    return node.find_ancestor(exp.Select, exp.SetOperation) is scope.expression


def _leakproof(node: exp.Expression) -> bool:
    if isinstance(node, exp.Anonymous):
        function = FUNCTIONS.get(node.name.upper())
        return function is not None and function.leakproof
    if isinstance(node, exp.Like):
        return constant_pattern(node.expression)
    return isinstance(node, check.LEAKPROOF_NODES)


def constant_pattern(pattern: exp.Expression) -> bool:
    """A LIKE pattern that no database refuses: a string literal not ending in an escape."""
    if not (isinstance(pattern, exp.Literal) and pattern.is_string):
        return False
    text = pattern.name
    return len(text) <= 10_000 and (len(text) - len(text.rstrip("\\"))) % 2 == 0


def _references(scope: Scope, node: exp.Expression) -> list[exp.Table] | None:
    """The exposed tables whose columns `node` reads, or None when that is not plain."""
    columns = list(node.find_all(exp.Column))
    if not columns or node.find(exp.Select):
        return None
    tables = []
    for column in columns:
        source = _source(scope, column.table)
        if not isinstance(source, exp.Table) or catalog.table(source.name) is None:
            return None
        tables.append(source)
    return tables


def _source(scope: Scope | None, alias: str):
    while scope is not None:
        if alias in scope.sources:
            return scope.sources[alias]
        scope = scope.parent
    return None


def visible_rows(table: exp.Table, entry: catalog.Table, scope: Scope, vendor: str) -> exp.Select:
    """The rows of `entry`'s view that the reference `table` (in `scope`) may read: a plain
    subquery, or a fenced one when mark_fences marked the reference."""
    rows = exp.select(*_used_columns(table, entry)).from_(exp.to_identifier(entry.view))
    if not table.meta.get(FENCE):
        return (
            rows if _joined_to_visible(table, entry, scope) else rows.where(_visible(entry, vendor))
        )
    conditions = [_visible(entry, vendor), *_lookups(scope, table.alias_or_name, entry.view)]
    return rows.where(exp.and_(*conditions)).offset(0)


def _joined_to_visible(table: exp.Table, entry: catalog.Table, scope: Scope) -> bool:
    """Whether every row of the reference `table` that the statement keeps equals, on the key
    its table is seen through, a row of a reference to that table (which shows only visible
    rows): the filter would then only repeat the join. So when the equality is a condition of
    the WHERE, of an inner join, or of the outer join that brings `table` in."""
    through = entry.through
    if through is None:
        return False
    select = scope.expression
    where = select.args.get("where")
    conditions = [where.this] if where else []
    for join in select.args.get("joins") or []:
        side = join.side.upper()
        if join.args.get("on") and (side == "" or (side == "LEFT" and join.this is table)):
            conditions.append(join.args["on"])
    alias = table.alias_or_name
    for condition in conditions:
        top = condition.unnest()
        for equality in top.flatten() if isinstance(top, exp.And) else [top]:
            if isinstance(equality, exp.EQ) and _links(equality, alias, through, scope):
                return True
    return False


def _links(equality: exp.EQ, alias: str, through: catalog.Through, scope: Scope) -> bool:
    """Whether `equality` is `alias`.`through.column` = a reference to `through.table` on
    `through.key` (either way round)."""
    sides = (equality.this.unnest(), equality.expression.unnest())
    for mine, other in (sides, sides[::-1]):
        if not (isinstance(mine, exp.Column) and isinstance(other, exp.Column)):
            continue
        if mine.table != alias or mine.name not in _names(through.column):
            continue
        if other.name not in _names(through.key):
            continue
        source = scope.sources.get(other.table)
        if isinstance(source, exp.Table) and source.name == through.table:
            return True
    return False


def _names(column: str) -> tuple[str, str]:
    """A column's name, and its stored form's (which rewrite.stored_keys may have put)."""
    return column, catalog.stored(column)


def _visible(entry: catalog.Table, vendor: str) -> exp.Expression:
    """The condition that a row of the view belongs to a visible project, on the columns as
    stored (catalog.stored), which the foreign keys' indexes serve."""
    if entry.project_column:
        return _in_projects(_stored(entry.project_column, entry), vendor)
    through = entry.through
    other = catalog.TABLES[through.table]
    keys = (
        exp.select(_stored(through.key, other))
        .from_(exp.to_identifier(other.view))
        .where(_visible(other, vendor))
    )
    return _stored(through.column, entry).isin(query=keys)


def _stored(name: str, entry: catalog.Table) -> exp.Column:
    return exp.column(catalog.stored(name), entry.view)


def _in_projects(column: exp.Column, vendor: str) -> exp.Expression:
    if vendor == "postgresql":
        # PostgreSQL 15 checks `= ANY(array)` on an index's second column only after reading
        # each row from the table; a range is checked in the index (inv_instance_name: name,
        # project), so a viewer's `ORDER BY name LIMIT n` reads its own rows only.
        return exp.and_(
            exp.EQ(this=column, expression=exp.Any(this=exp.Paren(this=_ids()))),
            exp.Between(
                this=column.copy(),
                low=exp.Bracket(this=_ids(), expressions=[exp.Literal.number(1)], offset=1),
                high=exp.Bracket(
                    this=_ids(),
                    expressions=[exp.func("cardinality", _ids(), dialect="postgres")],
                    offset=1,
                ),
            ),
        )
    # Qualified with its schema, so that no CTE of the statement can stand for it.
    call = exp.Anonymous(this="json_each", expressions=[Projects()])
    ids = exp.Table(this=call, db=exp.to_identifier("main"))
    return column.isin(query=exp.select("value").from_(ids))


def _ids() -> exp.Expression:
    """PROJECTS as PostgreSQL's array of UUIDs."""
    array = exp.DataType.build("UUID[]", dialect="postgres")
    return exp.Paren(this=exp.cast(exp.Paren(this=Projects()), array))


def _used_columns(table: exp.Table, entry: catalog.Table) -> list[exp.Expression]:
    # Every column is qualified by now (joins with USING or NATURAL made into ON conditions);
    # another scope's source of the same name only adds columns that are not needed.
    alias = table.alias_or_name
    used = {column.name for column in table.root().find_all(exp.Column) if column.table == alias}
    names = [name for name in entry.column_names if name in used]
    names += [catalog.stored(name) for name in entry.stored_columns if catalog.stored(name) in used]
    return [exp.column(name, entry.view) for name in names] or [exp.Literal.number(1)]


def _lookups(scope: Scope, alias: str, view: str) -> list[exp.Expression]:
    """The conditions of the WHERE that compare columns of `alias` with constants (LIKE with a
    constant pattern among them) or test them IN a subquery of the statement's own, made on
    the view. They cannot fail, and they are not true on a row of NULLs: filtering with them
    first filters the same, even on the outer side of a join (the WHERE still filters after it).
    A subquery is copied only when it reads nothing of the row it is asked about (so it gives
    the same answer for every row) and every table in it already reads only visible rows
    (rewrite_tables rewrites inner scopes first)."""
    where = scope.expression.args.get("where")
    if where is None:
        return []
    top = where.this.unnest()
    conditions = top.flatten() if isinstance(top, exp.And) else [top]
    return [_on_view(c, view) for c in conditions if _compares_with_constants(_bare(c), alias)]


def _bare(condition: exp.Expression) -> exp.Expression:
    """A LIKE without the backslash ESCAPE that SQLite's translation adds (rewrite.py)."""
    if isinstance(condition, exp.Escape) and condition.expression.name == "\\":
        return condition.this
    return condition


def _compares_with_constants(condition: exp.Expression, alias: str) -> bool:
    if isinstance(condition, exp.In) and condition.args.get("query"):
        column = condition.this
        return (
            isinstance(column, exp.Column)
            and column.table == alias
            and _self_contained(condition.args["query"])
        )
    if isinstance(condition, exp.Like) and not constant_pattern(condition.expression):
        return False
    if not isinstance(condition, (*_COMPARISONS, exp.Like)):
        return False
    operands = list(condition.iter_expressions())
    columns = [o for o in operands if isinstance(o, exp.Column) and o.table == alias]
    return bool(columns) and all(o in columns or _constant(o) for o in operands)


def _constant(node: exp.Expression) -> bool:
    if isinstance(node, exp.Neg):
        return _constant(node.this)
    return type(node) in (exp.Literal, exp.Placeholder, exp.Boolean, exp.Null)


def _self_contained(query: exp.Expression) -> bool:
    """Whether `query` reads only sources of its own, every one of them already rewritten: a
    view's visible rows, never an exposed table by its name."""
    names = {node.this.alias_or_name for node in query.find_all(exp.From, exp.Join)}
    names |= {cte.alias_or_name for cte in query.find_all(exp.CTE)}
    if any(catalog.table(table.name) for table in query.find_all(exp.Table)):
        return False
    # Unqualified columns are the filters' own (`value` of json_each): the user's are qualified.
    return all(column.table in names or not column.table for column in query.find_all(exp.Column))


def _on_view(condition: exp.Expression, view: str) -> exp.Expression:
    """`condition` on the view's columns; a subquery in it keeps its own."""
    copy = condition.copy()
    for column in copy.find_all(exp.Column):
        if column.find_ancestor(exp.Select) is None:
            column.set("table", exp.to_identifier(view))
    return copy
