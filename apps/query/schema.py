"""The database objects behind the catalog: one view per table, the indexes that let lookups by
id go through a view, and on PostgreSQL the helper functions that functions.py translates to.

Views are derived from the inventory's tables, so they are dropped before every `migrate` and
created again after it (see apps.py): another app's migration may then rebuild or alter a table
freely. The migrations of this app create the views they introduce by name.
"""

from django.db.backends.base.base import BaseDatabaseWrapper

from . import bounds, catalog, values
from .bounds import MAX_DIGITS, MAX_FORMAT_LENGTH, MAX_WIDTH
from .catalog import Column, Kind

ROLE = "perspective_query"


def uuid_text(column: str, vendor: str) -> str:
    """A UUIDField's value as dashed lower-case text (SQLite stores it as 32 hex digits)."""
    if vendor == "postgresql":
        return f"({column})::text"
    parts = ((1, 8), (9, 4), (13, 4), (17, 4), (21, 12))
    return "||'-'||".join(f"substr({column},{start},{length})" for start, length in parts)


def _timestamp(column: str, vendor: str) -> str:
    if vendor == "postgresql":
        return f"""to_char({column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"+00:00"')"""
    return f"strftime('%Y-%m-%dT%H:%M:%S+00:00', {column})"


def _lines(column: str, vendor: str) -> str:
    if vendor == "postgresql":
        return f"array_to_string(ARRAY(SELECT jsonb_array_elements_text({column})), chr(10))"
    return f"COALESCE((SELECT group_concat(j.value, char(10)) FROM json_each({column}) j), '')"  # noqa: S608


def _usage(used: str, limit: str) -> str:
    return (
        f"CASE WHEN {used} IS NULL AND {limit} IS NULL THEN NULL "
        f"ELSE COALESCE(CAST({used} AS TEXT), '') || '/' || COALESCE(CAST({limit} AS TEXT), '') END"
    )


def column_sql(column: Column, vendor: str) -> str:
    match column.kind:
        case Kind.UUID:
            return uuid_text(column.source, vendor)
        case Kind.TIMESTAMP:
            return _timestamp(column.source, vendor)
        case Kind.LINES:
            return _lines(column.source, vendor)
        case Kind.USAGE:
            return _usage(*column.source)
        case _:
            return column.source


def view_sql(table: catalog.Table, vendor: str) -> str:
    # Everything here comes from the catalog, none of it from a user.
    columns = [f'{column_sql(c, vendor)} AS "{c.name}"' for c in table.columns]
    # Hidden: ids and the columns access compares, as stored (rewrite.stored_keys, restrict.py).
    columns += [
        f'{table.column(name).source} AS "{catalog.stored(name)}"' for name in table.stored_columns
    ]
    return f'CREATE VIEW "{table.view}" AS SELECT {", ".join(columns)} FROM {table.source}'  # noqa: S608


def index_sql(table: catalog.Table, vendor: str) -> list[str]:
    """Indexes on the text form of the indexed UUID columns, so `id = '...'` and joins on ids
    use an index through the view. The expression must be the view's, unqualified."""
    base = table.source.split()[0]
    return [
        f'CREATE INDEX IF NOT EXISTS "{table.view}_{c.name}" '
        f"ON {base} (({uuid_text(c.source.removeprefix('x.'), vendor)}))"
        for c in table.columns
        if c.kind is Kind.UUID and c.indexed
    ]


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


# Helpers for the functions PostgreSQL lacks; SQLite gets Python ones (functions.py).
POSTGRES_FUNCTIONS = [
    # The result of a function that can grow a string (functions.GROWING), failing past the
    # bytes that execute.py sets for the statement, as SQLite's length limit fails there.
    f"""
CREATE OR REPLACE FUNCTION query_bounded(value text) RETURNS text
LANGUAGE plpgsql STABLE PARALLEL SAFE AS $$
DECLARE
    max_bytes constant bigint := nullif(current_setting('{values.MAX_BYTES_SETTING}', true), '');
BEGIN
    IF octet_length(value) > max_bytes THEN
        RAISE EXCEPTION USING
            MESSAGE = format({_literal(values.too_long_message("%s"))}, max_bytes);
    END IF;
    RETURN value;
END $$""",
    # REPLACE, refused before it makes a string past those bytes (replacing the FROMs by
    # nothing shows how many there are).
    f"""
CREATE OR REPLACE FUNCTION query_replace(value text, old text, new text) RETURNS text
LANGUAGE plpgsql STABLE PARALLEL SAFE AS $$
DECLARE
    max_bytes constant bigint := nullif(current_setting('{values.MAX_BYTES_SETTING}', true), '');
    found bigint;
BEGIN
    IF old <> '' AND octet_length(new) > octet_length(old) THEN
        found := (octet_length(value) - octet_length(replace(value, old, ''))) / octet_length(old);
        IF octet_length(value) + found * (octet_length(new) - octet_length(old)) > max_bytes THEN
            RAISE EXCEPTION USING
                MESSAGE = format({_literal(values.too_long_message("%s"))}, max_bytes);
        END IF;
    END IF;
    RETURN replace(value, old, new);
END $$""",
    """
CREATE OR REPLACE FUNCTION query_crc32(value text) RETURNS bigint
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $$
DECLARE
    crc bigint := 4294967295;
    bytes constant bytea := convert_to(value, 'UTF8');
    byte integer;
BEGIN
    FOR i IN 0 .. octet_length(bytes) - 1 LOOP
        byte := get_byte(bytes, i);
        crc := crc # byte;
        FOR j IN 1 .. 8 LOOP
            crc := CASE WHEN crc & 1 = 1 THEN (crc >> 1) # 3988292384 ELSE crc >> 1 END;
        END LOOP;
    END LOOP;
    RETURN crc # 4294967295;
END $$""",
    f"""
CREATE OR REPLACE FUNCTION query_conv(value text, from_base integer, to_base integer)
RETURNS text LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $$
DECLARE
    digits constant text := '0123456789abcdefghijklmnopqrstuvwxyz';
    body text := lower(trim(value));
    negative boolean := left(body, 1) = '-';
    number numeric := 0;
    digit integer;
    result text := '';
BEGIN
    IF from_base NOT BETWEEN 2 AND 36 OR to_base NOT BETWEEN 2 AND 36 THEN
        RETURN NULL;
    END IF;
    IF negative OR left(body, 1) = '+' THEN
        body := substr(body, 2);
    END IF;
    IF length(body) > {MAX_DIGITS} THEN
        RAISE EXCEPTION USING MESSAGE = {_literal(bounds.too_many_digits("conv"))};
    END IF;
    IF body = '' THEN
        RETURN NULL;
    END IF;
    FOR i IN 1 .. length(body) LOOP
        digit := strpos(digits, substr(body, i, 1)) - 1;
        IF digit < 0 OR digit >= from_base THEN
            RETURN NULL;
        END IF;
        number := number * from_base + digit;
    END LOOP;
    LOOP
        result := substr(digits, (number % to_base)::integer + 1, 1) || result;
        number := div(number, to_base);
        EXIT WHEN number = 0;
    END LOOP;
    RETURN CASE WHEN negative AND result <> '0' THEN '-' || result ELSE result END;
END $$""",
    # printf for %s, %d, %f and %x with flags '-' and '0', a width and a precision; %% is '%',
    # each bounded as sqlite_functions.py bounds it.
    f"""
CREATE OR REPLACE FUNCTION query_format(template text, args text[])
RETURNS text LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
DECLARE
    token text;
    spec text[];
    pieces text[] := '{{}}';
    n integer := 0;
    piece text;
    number numeric;
    width integer;
    written bigint := 0;
BEGIN
    IF template IS NULL THEN
        RETURN NULL;
    END IF;
    IF length(template) > {MAX_FORMAT_LENGTH} THEN
        RAISE EXCEPTION USING MESSAGE = {_literal(bounds.too_long("format"))};
    END IF;
    -- Read in one pass (text and specifiers), so the work grows with the template, not with
    -- its square.
    FOR token IN
        SELECT m[1] FROM regexp_matches(template, '(%[-0]*[0-9]*(?:\\.[0-9]+)?.?|[^%]+)', 'g') m
    LOOP
        IF left(token, 1) <> '%' THEN
            pieces := pieces || token;
            CONTINUE;
        END IF;
        spec := regexp_match(token, '^%([-0]*)([0-9]*)(?:\\.([0-9]+))?([sdfx%])$');
        IF spec IS NULL THEN
            RAISE EXCEPTION 'Invalid format specifier in "%"', template;
        END IF;
        IF spec[4] = '%' THEN
            pieces := pieces || '%'::text;
            CONTINUE;
        END IF;
        n := n + 1;
        IF n > coalesce(array_length(args, 1), 0) THEN
            RAISE EXCEPTION 'Not enough values for format "%"', template;
        END IF;
        IF length(ltrim(spec[2], '0')) > {len(str(MAX_WIDTH))}
            OR length(ltrim(coalesce(spec[3], ''), '0')) > {len(str(MAX_WIDTH))} THEN
            RAISE EXCEPTION USING MESSAGE = {_literal(bounds.too_wide("format"))};
        END IF;
        width := coalesce(nullif(spec[2], '')::integer, 0);
        IF width > {MAX_WIDTH} OR coalesce(spec[3]::integer, 0) > {MAX_WIDTH} THEN
            RAISE EXCEPTION USING MESSAGE = {_literal(bounds.too_wide("format"))};
        END IF;
        IF spec[4] = 's' THEN
            piece := coalesce(args[n], 'null');
        ELSE
            number := args[n]::numeric;
            IF abs(number) >= 1e{MAX_DIGITS} THEN
                RAISE EXCEPTION USING MESSAGE = {_literal(bounds.too_many_digits("format"))};
            END IF;
            piece := CASE spec[4]
                WHEN 'd' THEN trunc(number)::text
                WHEN 'x' THEN to_hex(trunc(number)::bigint)
                ELSE round(number, coalesce(spec[3], '6')::integer)::text
            END;
        END IF;
        IF spec[4] = 's' AND spec[3] IS NOT NULL THEN
            piece := left(piece, spec[3]::integer);
        END IF;
        written := written + greatest(length(piece), width);
        IF written > {MAX_FORMAT_LENGTH} THEN
            RAISE EXCEPTION USING MESSAGE = {_literal(bounds.too_long("format"))};
        END IF;
        IF strpos(spec[1], '-') > 0 THEN
            piece := rpad(piece, greatest(width, length(piece)));
        ELSIF strpos(spec[1], '0') > 0 AND spec[4] <> 's' AND left(piece, 1) = '-' THEN
            piece := '-' || lpad(substr(piece, 2), greatest(width, length(piece)) - 1, '0');
        ELSIF strpos(spec[1], '0') > 0 AND spec[4] <> 's' THEN
            piece := lpad(piece, greatest(width, length(piece)), '0');
        ELSE
            piece := lpad(piece, greatest(width, length(piece)));
        END IF;
        pieces := pieces || piece;
    END LOOP;
    RETURN array_to_string(pieces, '');
END $$""",  # noqa: S608 (constants from bounds.py, no user input)
]


def create_views(connection: BaseDatabaseWrapper, names=None) -> None:
    """Creates the views (all, or those named) with their indexes and helper functions."""
    vendor = connection.vendor
    tables = [catalog.TABLES[name] for name in (names or catalog.TABLES)]
    with connection.cursor() as cursor:
        if vendor == "postgresql":
            for sql in POSTGRES_FUNCTIONS:
                cursor.execute(sql)
        for table in tables:
            cursor.execute(f'DROP VIEW IF EXISTS "{table.view}"')
            cursor.execute(view_sql(table, vendor))
            for sql in index_sql(table, vendor):
                cursor.execute(sql)
    grant_query_role(connection, tables)


def drop_views(connection: BaseDatabaseWrapper, names=None) -> None:
    with connection.cursor() as cursor:
        for name in names or catalog.TABLES:
            cursor.execute(f'DROP VIEW IF EXISTS "{catalog.TABLES[name].view}"')


def role_exists(connection: BaseDatabaseWrapper) -> bool:
    if connection.vendor != "postgresql":
        return False
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [ROLE])
        return cursor.fetchone() is not None


def grant_query_role(connection: BaseDatabaseWrapper, tables=None) -> None:
    """Lets the query role read the views (all, or those of `tables`), and nothing else, when
    the role exists."""
    if not role_exists(connection):
        return
    views = ", ".join(f'"{table.view}"' for table in tables or catalog.TABLES.values())
    with connection.cursor() as cursor:
        cursor.execute(f'GRANT SELECT ON {views} TO "{ROLE}"')
