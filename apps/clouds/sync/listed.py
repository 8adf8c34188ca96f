"""The real ids a whole listing has shown so far, kept in a temporary table of the database
connection (not in memory), so that what it no longer has is deleted in one statement."""

from django.db import connection

TABLE = "sync_listed_ids"


class ListedIds:
    """Context manager; `enabled=False` (a listing of changes, which deletes nothing) keeps
    nothing."""

    def __init__(self, *, enabled: bool = True):
        self.enabled = enabled

    def __enter__(self) -> "ListedIds":
        if self.enabled:
            with connection.cursor() as cursor:
                # Left over when a sync on this connection failed half-way: emptied.
                cursor.execute(
                    f"CREATE TEMPORARY TABLE IF NOT EXISTS {TABLE} "
                    "(real_id varchar(255) PRIMARY KEY)"
                )
                cursor.execute(f"DELETE FROM {TABLE}")  # noqa: S608 - a constant name
        return self

    def __exit__(self, *exc_info) -> None:
        if self.enabled and exc_info[0] is None:
            with connection.cursor() as cursor:
                cursor.execute(f"DROP TABLE {TABLE}")

    def add(self, real_ids) -> None:
        real_ids = list(real_ids)
        if not self.enabled or not real_ids:
            return
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute(
                    f"INSERT INTO {TABLE} SELECT unnest(%s::varchar[]) ON CONFLICT DO NOTHING",
                    [real_ids],
                )
            else:
                cursor.executemany(
                    f"INSERT INTO {TABLE} VALUES (%s) ON CONFLICT DO NOTHING",  # noqa: S608
                    [(real_id,) for real_id in real_ids],
                )

    def unlisted(self, queryset):
        """The rows of `queryset` whose real id the listing did not show."""
        table = queryset.model._meta.db_table
        listed = f"SELECT 1 FROM {TABLE} l WHERE l.real_id = {table}.real_id"  # noqa: S608
        return queryset.extra(where=[f"NOT EXISTS ({listed})"])  # noqa: S610 - no values
