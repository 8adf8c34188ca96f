"""How long the retention job takes to delete EVENTS old events (and keep the recent ones).

    DATABASE_URL=postgres://... .venv/bin/python -m bench.retention [--events 1000000]

Inserts EVENTS events 100 days old and EVENTS/10 from today into DATABASE_URL (migrated first;
SQLite in a temporary folder when unset) with one INSERT ... SELECT, runs the job
(apps.service.retention.prune, EVENTS_RETENTION_DAYS 90, the other retentions off), checks that
exactly the old ones went, and prints its time. Deletes what it inserted.
"""

import argparse
import os
import time

from bench.environment import print_environment, temporary_var

_SERIES = {
    "postgresql": "SELECT n FROM generate_series(1, %s) AS n",
    "sqlite": "WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s WHERE n < %s) "
    "SELECT n FROM s",
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=1_000_000)
    args = parser.parse_args()
    temporary_var("perspective-retention-bench-")
    os.environ.update(EVENTS_RETENTION_DAYS="90", SYNC_RUNS_RETENTION_DAYS="0")
    os.environ["ACTIONS_RETENTION_DAYS"] = "0"

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from apps.history.models import Event
    from apps.service import retention

    call_command("migrate", verbosity=0)
    print_environment()
    now = timezone.now()
    Event.objects.filter(operation="bench").delete()
    started = time.perf_counter()
    _insert(connection, args.events, now - timezone.timedelta(days=100))
    _insert(connection, args.events // 10, now)
    inserted = args.events + args.events // 10
    print(f"inserted {inserted:,} events in {time.perf_counter() - started:.1f} s")
    started = time.perf_counter()
    pruned = retention.prune(now)
    took = time.perf_counter() - started
    left = Event.objects.filter(operation="bench").count()
    assert pruned.events == args.events, pruned
    assert left == args.events // 10, left
    print(
        f"{connection.vendor}: the retention job deleted {pruned.events:,} events in {took:.1f} s "
        f"({pruned.events / took:,.0f} a second, in batches of {retention.BATCH:,}); "
        f"{left:,} recent ones kept"
    )
    Event.objects.filter(operation="bench").delete()


def _insert(connection, count: int, when) -> None:
    series = _SERIES[connection.vendor]
    sql = (
        "INSERT INTO history_event (time, kind, entity_id, name, field, old_value, new_value, "
        "operation, \"user\") SELECT %s, 'instance', 'bench-' || n, 'bench', 'state', "
        "'launched', 'error', 'bench', '' FROM (" + series + ") AS numbers"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [when, count])


if __name__ == "__main__":
    main()
