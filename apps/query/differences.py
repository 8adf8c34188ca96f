"""The deliberate differences between /query's answers on SQLite and on PostgreSQL, in one list.

Everything else is meant to give the same rows on both databases; the differential oracle
(tests/query/test_oracle.py) reads this list and relaxes its comparison only where a difference
applies to the database it runs on.
"""

from dataclasses import dataclass

from django.db.backends.base.base import BaseDatabaseWrapper

# Collations that order text by code point, as SQLite does.
CODE_POINT_COLLATIONS = {"C", "POSIX", "C.UTF-8", "C.utf8", "ucs_basic"}


@dataclass(frozen=True)
class Difference:
    name: str
    description: str


TEXT_ORDER = Difference(
    "text order",
    "ORDER BY, <, >, MIN and MAX on text follow the collation of the PostgreSQL database: the "
    "same as SQLite (code points, 'B' before 'a') when it was created with LC_COLLATE C or "
    "C.UTF-8, as README's install steps do; another locale orders mixed case its own way.",
)
CASE_MAPPING = Difference(
    "case mapping",
    "LOWER and UPPER change every letter when the PostgreSQL database's LC_CTYPE is a UTF-8 "
    "locale (C.UTF-8 included), as on SQLite; under LC_CTYPE C only ASCII letters change.",
)
DIFFERENCES = (TEXT_ORDER, CASE_MAPPING)


def applying(connection: BaseDatabaseWrapper) -> set[Difference]:
    """The differences that hold for the database behind `connection`."""
    if connection.vendor != "postgresql":
        return set()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT datcollate, datctype FROM pg_database WHERE datname = current_database()"
        )
        collate, ctype = cursor.fetchone()
    applying = set()
    if collate not in CODE_POINT_COLLATIONS:
        applying.add(TEXT_ORDER)
    if ctype in ("C", "POSIX"):
        applying.add(CASE_MAPPING)
    return applying
