"""TABLES(), COLUMNS('t') and FUNCTIONS(): answered from the catalog, without the database."""

from sqlglot import exp

from . import catalog, functions
from .errors import QueryError, table_does_not_exist


def call(tree: exp.Expression) -> exp.Anonymous | None:
    """The meta function call that is the whole of `select f(...)`, if that is what `tree` is."""
    if not isinstance(tree, exp.Select) or len(tree.expressions) != 1:
        return None
    projection = tree.expressions[0]
    is_meta = isinstance(projection, exp.Anonymous) and (
        projection.name.upper() in functions.META_FUNCTIONS
    )
    others = [name for name, value in tree.args.items() if value and name != "expressions"]
    return projection if is_meta and not others else None


def answer(projection: exp.Anonymous) -> tuple[tuple[str, ...], list[tuple]]:
    """(column names, rows) of a meta function call."""
    name = projection.name.upper()
    args = projection.expressions
    if name == "COLUMNS":
        if len(args) != 1 or not isinstance(args[0], exp.Literal | exp.Column):
            raise QueryError.evaluation(
                "Function accepts one argument only - name of the table to show columns for"
            )
        return _columns(args[0].name)
    if args:
        raise QueryError.evaluation(f"Function '{projection.name}' takes no arguments")
    if name == "TABLES":
        return ("table_name",), [(table,) for table in sorted(catalog.TABLES)]
    return ("function_name", "description"), functions.describe()


def _columns(table_name: str) -> tuple[tuple[str, ...], list[tuple]]:
    table = catalog.table(table_name)
    if table is None:
        raise table_does_not_exist(table_name)
    rows = [
        (column.name, column.type, "null", "true" if column.indexed else "false")
        for column in table.columns
    ]
    return ("column_name", "type", "default_value", "indexed"), rows
