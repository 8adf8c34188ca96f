"""How long a Prometheus scrape of GET /metrics takes with a long history in the database.

    .venv/bin/python -m bench.metrics [--items 100000] [--runs 10000] [--repeat 30]

Records ITEMS batch action items (in actions of 100) and RUNS sync runs (4 clouds, 3 kinds),
then prints the median time of a whole scrape through Django's test client (routing, access
check, both database queries, the broker's queue depths, rendering), and of each part alone.
SQLite file and filesystem broker in a temporary folder; PostgreSQL when DATABASE_URL is set
(the bench creates and drops a database named after its own, `_metrics_bench` added), and the
broker of CELERY_BROKER_URL when set.
"""

import argparse
import random
import statistics
import time
from datetime import timedelta

from bench.environment import print_environment
from bench.sync import use_fresh_postgres_database

BENCH_DB = "metrics_bench"
CLOUDS = ("east", "west", "north", "south")
OPERATIONS = (
    "rebootInstance",
    "hardRebootInstance",
    "startInstance",
    "shutdownInstance",
    "deleteInstance",
    "addInstance",
    "resizeInstance",
    "addImage",
)
ITEMS_PER_ACTION = 100


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()
    use_fresh_postgres_database(BENCH_DB)

    import django

    django.setup()
    print_environment()
    from celery import current_app
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from apps.clouds.models import SyncRun
    from apps.operations.models import ActionItem
    from apps.service.metrics.queues import queue_depths
    from apps.service.metrics.records import item_groups, sync_groups

    call_command("migrate", verbosity=0)
    random.seed(8)
    seed_sync_runs(args.runs)
    seed_action_items(args.items)
    client = Client(HTTP_HOST="127.0.0.1")
    response = client.get("/metrics")
    assert response.status_code == 200, response.content
    samples = sum(1 for line in response.content.splitlines() if not line.startswith(b"#"))
    print(
        f"database: {connection.vendor}, broker: {current_app.conf.broker_url.split(':')[0]}; "
        f"{args.items:,} action items, {args.runs:,} sync runs; "
        f"a scrape is {len(response.content):,} bytes, {samples} samples"
    )
    parts = {
        "whole scrape, GET /metrics": lambda: client.get("/metrics"),
        "sync runs query": lambda: sync_groups(SyncRun.objects.all()),
        "action items query": lambda: item_groups(ActionItem.objects.all()),
        "queue depths from the broker": lambda: queue_depths(current_app),
    }
    for name, median in medians_ms(parts, args.repeat).items():
        print(f"{name}: median {median:.1f} ms")


def medians_ms(functions: dict, repeat: int) -> dict[str, float]:
    """Median times of the functions, run by turns so that a busy machine slows all alike."""
    timings = {name: [] for name in functions}
    for _ in range(repeat):
        for name, function in functions.items():
            started = time.perf_counter()
            function()
            timings[name].append(time.perf_counter() - started)
    return {name: statistics.median(times) * 1000 for name, times in timings.items()}


def seed_sync_runs(count: int) -> None:
    from django.utils import timezone

    from apps.clouds.models import SyncRun
    from apps.inventory.models import Cloud

    clouds = [
        Cloud.objects.create(
            name=name, auth_url="http://127.0.0.1:1/v3", username="u", password="p"
        )
        for name in CLOUDS
    ]
    now, runs = timezone.now(), []
    for number in range(count):
        status = random.choices(["succeeded", "failed", "skipped"], [90, 7, 3])[0]
        started = now - timedelta(minutes=number)
        took = timedelta(seconds=random.uniform(0.5, 900))
        runs.append(
            SyncRun(
                cloud=clouds[number % len(clouds)],
                kind=("catalog", "instances", "changes")[number % 3],
                status=status,
                started_at=None if status == "skipped" else started,
                finished_at=started + took,
            )
        )
    SyncRun.objects.bulk_create(runs, batch_size=2000)


def seed_action_items(count: int) -> None:
    from apps.operations.models import Action, ActionItem

    actions = Action.objects.bulk_create(
        Action(operation=random.choice(OPERATIONS)) for _ in range(-(-count // ITEMS_PER_ACTION))
    )
    statuses, weights = ["succeeded", "failed", "skipped", "queued", "running"], [85, 9, 4, 1, 1]
    items = (
        ActionItem(
            action=actions[number // ITEMS_PER_ACTION],
            operation=actions[number // ITEMS_PER_ACTION].operation,
            target_id=f"target-{number}",
            status=random.choices(statuses, weights)[0],
        )
        for number in range(count)
    )
    ActionItem.objects.bulk_create(items, batch_size=5000)


if __name__ == "__main__":
    main()
