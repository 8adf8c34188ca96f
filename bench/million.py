"""A million instances: how long `seed_inventory` takes, and whether the reads and an
incremental sync stay as fast as on a small inventory.

    .venv/bin/python -m bench.million [--sizes 10000,1000000] [--repeat 9]

For each size, in a process of its own on a new database (a SQLite file in a temporary folder,
or, with DATABASE_URL, a PostgreSQL database named after its own with `_million_bench` added):
seeds that many instances (timed, process start excluded), then times (median of --repeat) the
point lookup by id, the name prefix (LIKE 'db-0001%'), the first page by name, GET
/api/instances/ first page and a page halfway (by cursor), both of 100, through Django's test
client, `count(*) group by state`, and an incremental sync with 10 changed servers of a
simulated cloud of 1,000 servers synced into that inventory. Prints each figure's rows, and
the ratio of the biggest size to the smallest.
"""

import argparse
import base64
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.environment import without_debug

ROOT = Path(__file__).resolve().parents[1]
QUERIES = {
    "point lookup by id": "SELECT * FROM inventory_instance WHERE id = %s",
    "name prefix (LIKE 'db-0001%')": "SELECT id, name FROM inventory_instance "
    "WHERE name LIKE 'db-0001%%'",
    "first page by name": "SELECT id, name, state FROM inventory_instance ORDER BY name LIMIT 100",
    "count(*) group by state": "SELECT state, count(*) FROM inventory_instance GROUP BY state",
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,1000000")
    parser.add_argument("--repeat", type=int, default=9)
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)  # a size's own process
    args = parser.parse_args()
    if args.one is not None:
        return measure(args.one, args.repeat)
    figures = []
    for size in (int(s) for s in args.sizes.split(",")):
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "bench.million",
                "--one",
                str(size),
                "--repeat",
                str(args.repeat),
            ],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        )
        lines = done.stdout.splitlines()
        print("\n".join(line for line in lines if not line.startswith("{")))
        figures.append(json.loads(next(line for line in lines if line.startswith("{"))))
    small, big = figures[0], figures[-1]
    print(f"\n| measure | {small['size']:,} | {big['size']:,} | ratio |\n|---|---|---|---|")
    for name in small["ms"]:
        a, b = small["ms"][name], big["ms"][name]
        print(f"| {name} | {a:.2f} ms | {b:.2f} ms | {b / a:.2f} |")


def measure(size: int, repeat: int) -> None:
    from bench.sync import use_fresh_postgres_database

    without_debug()
    use_fresh_postgres_database("million_bench")
    os.environ["PERSPECTIVE_VAR_DIR"] = tempfile.mkdtemp(prefix="perspective-million-")
    import django

    django.setup()
    from django.core.management import call_command

    from bench.environment import print_environment

    print_environment()
    call_command("migrate", verbosity=0)
    from apps.inventory.models import Instance
    from apps.inventory.seed import seed_inventory

    started = time.perf_counter()
    seed_inventory(size)
    took = time.perf_counter() - started
    stored = Instance.objects.count()
    assert stored == size, stored
    print(f"seed_inventory({size:,}): {took:.1f} s, {size / took:,.0f} instances/s")
    ms = {**query_times(repeat), **api_times(size, repeat)}
    ms["incremental sync, 10 changes (1,000-server cloud)"] = incremental_sync_ms()
    assert Instance.objects.count() == size + 1000
    print(json.dumps({"size": size, "seed_seconds": took, "ms": ms}))


def median_ms(function, repeat: int) -> tuple[float, object]:
    result = function()  # warms the caches; not counted
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        result = function()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), result


def query_times(repeat: int) -> dict:
    from django.db import connection

    with connection.cursor() as cursor:  # the id as the database stores it
        cursor.execute("SELECT id FROM inventory_instance ORDER BY name LIMIT 1")
        some_id = cursor.fetchone()[0]
    times = {}
    for name, sql in QUERIES.items():
        params = [some_id] if "%s" in sql else []

        def run(sql=sql, params=params):
            with connection.cursor() as cursor:
                cursor.execute(sql, params)
                return cursor.fetchall()

        times[name], rows = median_ms(run, repeat)
        print(f"{name}: {times[name]:.2f} ms, {len(rows)} rows")
    return times


def api_times(size: int, repeat: int) -> dict:
    from django.contrib.auth import get_user_model
    from django.test import Client

    from apps.inventory.models import Instance

    client = Client(HTTP_HOST="localhost")
    client.force_login(get_user_model().objects.create_superuser("bench-superuser"))
    middle = Instance.objects.order_by("name", "id")[size // 2]
    deep = {"o": ["name", "id"], "p": [middle.name, str(middle.id)]}
    cursor = base64.urlsafe_b64encode(json.dumps(deep, separators=(",", ":")).encode()).decode()
    times = {}
    for name, params in (
        ("/api/instances/ first page", {}),
        ("/api/instances/ page halfway", {"cursor": cursor}),
    ):

        def get(params=params):
            response = client.get("/api/instances/", {**params, "page_size": 100}, secure=True)
            assert response.status_code == 200, response.content[:300]
            return response.json()["results"]

        times[name], rows = median_ms(get, repeat)
        print(f"{name}: {times[name]:.1f} ms, {len(rows)} rows")
    return times


def incremental_sync_ms() -> float:
    from bench.sync import bench_cloud

    return bench_cloud("synced", 1000, 3, report_full=False) * 1000


if __name__ == "__main__":
    sys.exit(main())
