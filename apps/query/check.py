"""Safety by construction: a statement may hold only the syntax nodes listed here.

The whole parsed tree is walked and anything else (DML, DDL, SELECT INTO, FOR UPDATE, PRAGMA,
SET, variables, casts, unknown functions, ...) is refused, whatever its spelling. After the
rewrite, `only_views` verifies that every table the generated SQL names is an exposed view or
a common table expression of the statement (or the visible projects the rewrite reads).
"""

from sqlglot import exp

from . import catalog, errors, restrict
from .errors import QueryError
from .functions import FUNCTIONS, META_FUNCTIONS

QUERY_NODES = (
    exp.Select,
    exp.Union,
    exp.Intersect,
    exp.Except,
    exp.Subquery,
    exp.From,
    exp.Join,
    exp.Where,
    exp.Group,
    exp.Having,
    exp.Order,
    exp.Ordered,
    exp.Limit,
    exp.Offset,
    exp.With,
    exp.CTE,
    exp.Table,
    exp.TableAlias,
    exp.Alias,
    exp.Column,
    exp.Identifier,
    exp.Star,
    exp.Distinct,
    exp.Paren,
)
VALUE_NODES = (exp.Literal, exp.Boolean, exp.Null, exp.Placeholder)
OPERATOR_NODES = (
    exp.EQ,
    exp.NEQ,
    exp.NullSafeEQ,
    exp.GT,
    exp.GTE,
    exp.LT,
    exp.LTE,
    exp.And,
    exp.Or,
    exp.Xor,
    exp.Not,
    exp.Is,
    exp.In,
    exp.Between,
    exp.Like,
    exp.Escape,
    exp.RegexpLike,
    exp.Exists,
    exp.Add,
    exp.Sub,
    exp.Mul,
    exp.Div,
    exp.IntDiv,
    exp.Mod,
    exp.Neg,
    exp.BitwiseAnd,
    exp.BitwiseOr,
    exp.BitwiseXor,
    exp.BitwiseLeftShift,
    exp.BitwiseRightShift,
    exp.BitwiseNot,
    exp.Case,
    exp.If,
)
FUNCTION_NODES = (
    exp.Anonymous,  # by name, from FUNCTIONS
    exp.Count,
    exp.Sum,
    exp.Min,
    exp.Max,
    exp.Avg,
    exp.Coalesce,
    exp.Nullif,
    exp.Concat,  # adjacent string literals: 'a' 'b'
)
ALLOWED = QUERY_NODES + VALUE_NODES + OPERATOR_NODES + FUNCTION_NODES
# The nodes that never fail and tell nothing but their value: what restrict.py lets run on rows
# of other projects (LIKE and the functions are judged there, by their pattern and name).
LEAKPROOF_NODES = (
    QUERY_NODES
    + VALUE_NODES
    + (exp.EQ, exp.NEQ, exp.NullSafeEQ, exp.GT, exp.GTE, exp.LT, exp.LTE)
    + (exp.And, exp.Or, exp.Xor, exp.Not, exp.Is, exp.In, exp.Between, exp.Exists)
    + (exp.Case, exp.If, exp.Count, exp.Min, exp.Max, exp.Sum, exp.Avg)
    + (exp.Coalesce, exp.Nullif, exp.Concat)
)


def nodes(tree: exp.Expression) -> None:
    """Refuses any node that is not allow-listed, and calls of unknown functions."""
    for node in tree.walk():
        if type(node) not in ALLOWED or _unknown_call(node):
            _refuse(node)
        _plain(node)


def _unknown_call(node: exp.Expression) -> bool:
    name = node.name.upper() if isinstance(node, exp.Anonymous) else None
    return name is not None and name not in FUNCTIONS and name not in META_FUNCTIONS


def _refuse(node: exp.Expression):
    if isinstance(node, exp.Func):  # the original's word for any function it lacks
        name = node.name if isinstance(node, exp.Anonymous) else node.sql_name().lower()
        raise QueryError.evaluation(f"Function '{name}' does not exist")
    raise QueryError.syntax(f"Not allowed in a query: {node.key.upper()}")


_SET_OPERATION_ARGS = {"with_", "this", "expression", "distinct", "order", "limit", "offset"}
# The arguments a node may have; any other (INTO, FOR UPDATE, hints, ...) is refused.
_ARGS = {
    exp.Select: {
        "with_",
        "expressions",
        "distinct",
        "from_",
        "joins",
        "where",
        "group",
        "having",
        "order",
        "limit",
        "offset",
    },
    exp.Union: _SET_OPERATION_ARGS,
    exp.Intersect: _SET_OPERATION_ARGS,
    exp.Except: _SET_OPERATION_ARGS,
    exp.Subquery: {"this", "alias", "order", "limit", "offset"},
    exp.Join: {"this", "on", "side", "kind", "using", "method"},
    exp.Table: {"this", "alias"},
    exp.Column: {"this", "table"},
    exp.CTE: {"this", "alias"},
    exp.With: {"expressions", "recursive"},
    exp.Star: set(),
    exp.Distinct: {"expressions"},
    exp.In: {"this", "expressions", "query"},
    exp.Placeholder: {"this"},
    exp.Ordered: {"this", "desc", "nulls_first"},
    exp.Limit: {"this", "expression", "offset"},
    exp.Identifier: {"this", "quoted"},
}
_JOIN_KINDS = {"", "INNER", "CROSS", "OUTER"}


def _plain(node: exp.Expression) -> None:
    allowed = _ARGS.get(type(node))
    if allowed is None:
        return
    extra = sorted(name for name, value in node.args.items() if value and name not in allowed)
    if isinstance(node, exp.Table | exp.Column) and {"db", "catalog"} & set(extra):
        name = ".".join(part.name for part in node.parts)
        if isinstance(node, exp.Table):
            raise errors.table_does_not_exist(name)
        raise QueryError.syntax(f'Column "{name}" is not available for selection')
    if extra:
        raise QueryError.syntax(
            f"Not allowed in a query: {extra[0].rstrip('_').upper()} in {node.key.upper()}"
        )
    if isinstance(node, exp.Join) and (
        node.kind.upper() not in _JOIN_KINDS or node.method.upper() not in ("", "NATURAL")
    ):
        raise QueryError.syntax(f"Not allowed in a query: {node.kind or node.method} JOIN")


def only_views(tree: exp.Expression) -> None:
    """Every table named must be an exposed view or a CTE: the last line of defence."""
    views = {table.view for table in catalog.TABLES.values()}
    ctes = {cte.alias for cte in tree.find_all(exp.CTE)}
    for table in tree.find_all(exp.Table):
        known = table.name in views or table.name in ctes or restrict.reads_projects(table)
        if not known:
            raise errors.table_does_not_exist(table.name)
