"""What the bounded REGEXP of SQLite (apps/inventory/regexp.py) costs next to Django's own.

    .venv/bin/python -m bench.regexp [INSTANCES] [--repeat N]

Seeds INSTANCES (100,000 by default) instances into a new SQLite file in a temporary folder,
then prints the median time of a scan of every instance's name with REGEXP, with Django's
function (Python's `re`) and with the bounded one (`regex`, under a time limit as /query and
the listings run it), and the difference per row: for a straight pattern, which the bounded
REGEXP runs untimed, and for one with alternatives, which it times.
"""

import sys
from contextlib import nullcontext

from bench.query_api import instances_and_repeat, medians_ms, seeded_django

PATTERNS = ["^web-0[0-4]", "^(web|db)-0[0-4]"]
SQL = "SELECT count(*) FROM inventory_instance WHERE name REGEXP %s"


def main(instances: int, repeat: int) -> None:
    with seeded_django(instances):
        from django.db import connection
        from django.db.backends.sqlite3._functions import _sqlite_regexp

        from apps.inventory import regexp
        from apps.inventory.time_limit import time_limited

        if connection.vendor != "sqlite":
            sys.exit("SQLite only: on PostgreSQL, REGEXP is the database's own")

        def django_regexp(sqlite):
            sqlite.create_function("regexp", 2, _sqlite_regexp, deterministic=True)

        def scan(register, limit, pattern):
            def run():
                connection.ensure_connection()
                register(connection.connection)
                with limit(), connection.cursor() as cursor:
                    cursor.execute(SQL, [pattern])
                    return cursor.fetchone()[0]

            return run

        print("| name REGEXP | matches | Django's (re) | bounded (regex) | difference a row |")
        print("|---|---|---|---|---|")
        for pattern in PATTERNS:
            django_scan = scan(django_regexp, nullcontext, pattern)
            bounded_scan = scan(regexp.register, lambda: time_limited(60_000), pattern)
            matches = django_scan()
            assert matches == bounded_scan()
            django_ms, bounded_ms = medians_ms(django_scan, bounded_scan, repeat)
            per_row_us = (bounded_ms - django_ms) * 1000 / instances
            print(
                f"| `{pattern}` | {matches} | {django_ms:.1f} ms | {bounded_ms:.1f} ms"
                f" | {per_row_us:+.2f} µs |"
            )


if __name__ == "__main__":
    instances, repeat, _ = instances_and_repeat(sys.argv[1:])
    main(instances, repeat)
