"""Fast bulk writes for large inventories (seeding, sync).

Django's bulk_create builds a model object per row, compiles SQL per batch and converts every
value through its field; for tens of thousands of rows that costs more than the database.
These helpers take plain tuples, convert each column with one converter chosen up front, and
send them as multi-row INSERT statements (ON CONFLICT ... DO UPDATE needs SQLite 3.24). On
PostgreSQL the rows go as one array per column, unnested by the server: a short statement
instead of one with a placeholder per value, which psycopg would parse and render one by one
(that took more than half of a first sync's writes), and plain inserts go by COPY, PostgreSQL's
own bulk load.
"""

from collections.abc import Callable, Iterable, Sequence
from contextlib import contextmanager
from functools import partial

from django.db import connection, models, transaction

# Values per statement: under SQLite's default limit of variables (32766) and PostgreSQL's 65535.
MAX_PARAMETERS = 30000

# Field classes (exactly these, not subclasses with their own conversion) whose Python values
# the database drivers take as they are.
_PLAIN = frozenset(
    {
        models.CharField,
        models.SlugField,
        models.TextField,
        models.IntegerField,
        models.BigIntegerField,
        models.PositiveIntegerField,
        models.PositiveSmallIntegerField,
        models.BooleanField,
    }
)


def insert_rows(model, field_names: Sequence[str], rows: Iterable[Sequence]) -> int:
    """INSERT rows of values, in the order of `field_names`, into the model's table.

    Columns not named get their field's default (as Django would insert it).
    """
    fields, defaulted = _fields(model, field_names)
    return _write(model, fields, defaulted, rows)


def upsert_rows(
    model,
    field_names: Sequence[str],
    rows: Iterable[Sequence],
    unique: Sequence[str],
    unless_newer: str | None = None,
) -> int:
    """INSERT rows, or UPDATE the other columns of the row with the same `unique` values.

    `unless_newer` names a time field: a stored row whose time is later than the one written
    is left as it is. The database decides, on the row as it is when written, so that news
    stored by another transaction since the caller read the row is not undone."""
    fields, defaulted = _fields(model, field_names)
    quote = connection.ops.quote_name
    conflict = ", ".join(quote(model._meta.get_field(name).column) for name in unique)
    unique_columns = {model._meta.get_field(name).column for name in unique}
    updates = ", ".join(
        f"{quote(f.column)} = excluded.{quote(f.column)}"
        for f in fields
        if f.column not in unique_columns and not f.primary_key
    )
    suffix = f" ON CONFLICT ({conflict}) DO UPDATE SET {updates}"
    if unless_newer:
        column = quote(model._meta.get_field(unless_newer).column)
        stored, written = f"{quote(model._meta.db_table)}.{column}", f"excluded.{column}"
        suffix += f" WHERE {stored} IS NULL OR {written} IS NULL OR {stored} <= {written}"
    return _write(model, fields, defaulted, rows, suffix)


def analyze(model) -> None:
    """PostgreSQL: fresh statistics of the model's table after a bulk load. Until autovacuum
    gets to it, the planner takes the table for as small as it was, and looks rows up by the
    wrong index (all of a cloud's instances scanned for each page of a sync)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")


@contextmanager
def indexes_built_after(*models_):
    """A bulk load into the models' tables, in one transaction: their plain indexes (and, on
    PostgreSQL, foreign keys) are dropped first and made again at the end, as pg_restore does.
    An index built from all the rows at once, and a foreign key checked by one join, cost a
    fraction of keeping them row by row (for a million rows, random pages of indexes bigger
    than the cache, and a check per row at commit). The tables are locked until the commit; a
    load that fails rolls back with the schema as it was. Primary keys and unique constraints
    stay: other tables' foreign keys need them, and they refuse duplicates as rows come."""
    tables = [model._meta.db_table for model in models_]
    postgresql = connection.vendor == "postgresql"
    with transaction.atomic():
        if postgresql:  # a table with deferred foreign key checks pending cannot be altered
            connection.check_constraints()
        with connection.cursor() as cursor:
            if postgresql:
                cursor.execute(_POSTGRESQL_LOAD_ALTERED, [tables, tables])
            else:
                marks = ", ".join(["%s"] * len(tables))
                cursor.execute(_SQLITE_LOAD_ALTERED.format(marks=marks), tables)
            altered = cursor.fetchall()
            for drop, _ in altered:
                cursor.execute(drop)
        yield
        if postgresql:
            connection.check_constraints()
        with connection.cursor() as cursor:
            if postgresql:
                cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
            for _, make in altered:
                cursor.execute(make)


# What indexes_built_after drops and makes again: (DROP statement, statement making it again),
# the names quoted and the definitions written by the database.
_POSTGRESQL_LOAD_ALTERED = """
SELECT format('DROP INDEX %%I.%%I', n.nspname, c.relname), pg_get_indexdef(x.indexrelid)
  FROM pg_index x
  JOIN pg_class c ON c.oid = x.indexrelid
  JOIN pg_namespace n ON n.oid = c.relnamespace
 WHERE x.indrelid = ANY(%s::regclass[]) AND NOT x.indisunique AND NOT x.indisprimary
UNION ALL
SELECT format('ALTER TABLE %%s DROP CONSTRAINT %%I', conrelid::regclass, conname),
       format('ALTER TABLE %%s ADD CONSTRAINT %%I %%s', conrelid::regclass, conname,
              pg_get_constraintdef(oid))
  FROM pg_constraint
 WHERE contype = 'f' AND conrelid = ANY(%s::regclass[])
"""
# Constraints' own indexes have no SQL of their own; unique ones are made by CREATE UNIQUE.
_SQLITE_LOAD_ALTERED = """
SELECT 'DROP INDEX "' || replace(name, '"', '""') || '"', sql
  FROM sqlite_master
 WHERE type = 'index' AND tbl_name IN ({marks})
   AND sql IS NOT NULL AND sql NOT LIKE 'CREATE UNIQUE %%'
"""


def _fields(model, field_names: Sequence[str]) -> tuple[list[models.Field], list[models.Field]]:
    """The named fields, and the model's other columns (their defaults are inserted)."""
    fields = [model._meta.get_field(name) for name in field_names]
    named = {field.column for field in fields}
    defaulted = [
        field
        for field in model._meta.concrete_fields
        if field.column not in named and not field.primary_key
    ]
    return fields, defaulted


def _write(model, fields, defaulted, rows: Iterable[Sequence], suffix: str = "") -> int:
    """Multi-row INSERT statements of up to MAX_PARAMETERS values each."""
    made = [field for field in defaulted if _made_per_row(field)]
    constant = [field for field in defaulted if not _made_per_row(field)]
    columns = fields + made + constant
    converters = [_converter(field) for field in fields + made]
    tail = [_converter(field)(field.get_default()) for field in constant]
    prepared = []
    for row in rows:
        values = (*row, *(field.get_default() for field in made))
        prepared += [convert(value) for convert, value in zip(converters, values, strict=True)]
        prepared += tail
    quote = connection.ops.quote_name
    # Identifiers come from the model and are quoted; values are bound as parameters.
    target = "{} ({})".format(
        quote(model._meta.db_table), ", ".join(quote(field.column) for field in columns)
    )
    if connection.vendor == "postgresql" and not suffix:
        return _copy(target, len(columns), prepared)
    head = f"INSERT INTO {target} "
    step = MAX_PARAMETERS // len(columns) * len(columns)
    rows_sql = _unnested if connection.vendor == "postgresql" else _values
    with connection.cursor() as cursor:
        for start in range(0, len(prepared), step):
            sql, params = rows_sql(columns, prepared[start : start + step])
            cursor.execute(head + sql + suffix, params)
    return len(prepared) // len(columns)


def _made_per_row(field: models.Field) -> bool:
    """Whether the field's default is made anew for each row (uuid4, now, list)."""
    return field.has_default() and callable(field.default)


def _copy(target: str, width: int, prepared: list) -> int:
    """PostgreSQL: COPY ... FROM STDIN, row by row."""
    with connection.cursor() as cursor, cursor.cursor.copy(f"COPY {target} FROM STDIN") as copy:
        for start in range(0, len(prepared), width):
            copy.write_row(prepared[start : start + width])
    return len(prepared) // width


def _values(columns, chunk: list) -> tuple[str, list]:
    """VALUES (%s, ...), ...: a placeholder per value."""
    row_sql = "({})".format(", ".join(["%s"] * len(columns)))
    return "VALUES " + ", ".join([row_sql] * (len(chunk) // len(columns))), chunk


def _unnested(columns, chunk: list) -> tuple[str, list]:
    """PostgreSQL: an array of each column's values, unnested into rows."""
    arrays = ", ".join(f"%s::{field.db_type(connection)}[]" for field in columns)
    width = len(columns)
    # Types come from the model's fields; values are bound as parameters.
    sql = f"SELECT * FROM unnest({arrays})"  # noqa: S608
    return sql, [chunk[column::width] for column in range(width)]


def _converter(field: models.Field) -> Callable:
    """What turns a Python value of `field` into what the database driver takes."""
    target = field.target_field if field.is_relation else field
    kind = type(target)
    if kind in _PLAIN:
        return _same
    if kind is models.UUIDField:
        return _same if connection.features.has_native_uuid_field else _uuid_hex
    if kind is models.DateTimeField:
        # Aware datetimes: psycopg adapts them itself; SQLite's stores them as UTC text.
        if connection.vendor == "postgresql":
            return _same
        return connection.ops.adapt_datetimefield_value
    return partial(target.get_db_prep_save, connection=connection)


def _same(value):
    return value


def _uuid_hex(value):
    return None if value is None else value.hex
