"""Fast bulk writes for large inventories (seeding, sync).

Django's bulk_create builds a model object per row and compiles SQL per batch; for the
hundreds of thousands of small rows of metadata and links that cost dominates. These helpers
take plain tuples, convert each value with its field (so every backend gets what it expects)
and hand them to the driver's executemany.
"""

from collections.abc import Iterable, Sequence

from django.db import connection


def insert_rows(model, field_names: Sequence[str], rows: Iterable[Sequence]) -> int:
    """INSERT rows of values, in the order of `field_names`, into the model's table."""
    fields = [model._meta.get_field(name) for name in field_names]
    quote = connection.ops.quote_name
    # Identifiers come from the model and are quoted; values are bound as parameters.
    sql = "INSERT INTO {} ({}) VALUES ({})".format(  # noqa: S608
        quote(model._meta.db_table),
        ", ".join(quote(field.column) for field in fields),
        ", ".join(["%s"] * len(fields)),
    )
    prepared = [
        tuple(
            field.get_db_prep_save(value, connection)
            for field, value in zip(fields, row, strict=True)
        )
        for row in rows
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, prepared)
    return len(prepared)
