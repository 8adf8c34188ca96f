"""Inventory sync against the OpenStack simulator (run in its own process).

For N servers (default 10,000): the floor (every page of servers read as JSON through
openstacksdk's adapter), the first full sync (catalog and instances), a re-sync with no change
(and the rows it wrote), then an incremental sync after 10 servers changed. The peak memory
(RSS) of `manage.py sync --full` and of the floor, each in a process of its own, on a second
cloud of the same simulator. --big adds the incremental sync on a second, bigger inventory
(default 100,000) to compare.

Run: .venv/bin/python -m bench.sync [--servers 10000] [--big 100000]
SQLite file in a temporary folder, or PostgreSQL when DATABASE_URL is set (the bench creates and
drops a database named after DATABASE_URL's with `_sync_bench` added, on that server).
"""

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.environment import print_environment, without_debug

without_debug()
os.environ.setdefault("PERSPECTIVE_VAR_DIR", tempfile.mkdtemp(prefix="perspective-bench-"))

BENCH_DB = "sync_bench"
ROOT = Path(__file__).resolve().parents[1]


def use_fresh_postgres_database(suffix: str = BENCH_DB) -> None:
    """Moves DATABASE_URL, when PostgreSQL, to a new database named after its own (the server
    may be shared): perspective_sync_bench for perspective."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        return
    import psycopg

    server, own = url.rsplit("/", 1)
    name = f"{own}_{suffix}"
    admin_url = server + "/postgres"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name}")
        conn.execute(f"CREATE DATABASE {name}")
    os.environ["DATABASE_URL"] = f"{server}/{name}"


def timed(function, *args):
    started = time.perf_counter()
    result = function(*args)
    return result, time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--servers", type=int, default=10_000)
    parser.add_argument("--big", type=int, default=0)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--floor-of", help=argparse.SUPPRESS)  # the floor's own process
    args = parser.parse_args()
    if args.floor_of:
        return floor_of(args.floor_of)
    use_fresh_postgres_database()

    import django

    django.setup()
    print_environment()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    print(f"database: {connection.vendor}; {args.servers:,} servers in 2 regions")
    small = bench_cloud("small", args.servers, args.repeat, report_full=True)
    if args.big:
        big = bench_cloud("big", args.big, args.repeat, report_full=False)
        print(
            f"incremental sync, 10 changes: {small * 1000:.0f} ms on {args.servers:,} instances, "
            f"{big * 1000:.0f} ms on {args.big:,} (ratio {big / small:.2f})"
        )


def bench_cloud(name: str, servers: int, repeat: int, *, report_full: bool) -> float:
    """Syncs a new simulated cloud of `servers` servers; returns the incremental sync's median."""
    from apps.clouds.models import SyncRun
    from apps.clouds.sync.runner import run_sync
    from apps.inventory.models import Cloud, Instance
    from openstack_simulator import SimulatorControl
    from openstack_simulator.testing import spawned_simulator

    arguments = ("--servers", str(servers), "--projects", "1", "--delay", "0")
    with spawned_simulator(*arguments) as simulator:
        cloud = Cloud.objects.create(
            name=name,
            auth_url=f"{simulator.base_url}/v3",
            username="admin",
            password="simulator",
            project_name="admin",
        )
        floor = fetch_floor(cloud)  # also warms the simulator's cache of server JSON
        floor = min(floor, fetch_floor(cloud))

        def sync(kind):
            run = SyncRun.objects.create(cloud=cloud, kind=kind)
            return run_sync(run)

        _, took_catalog = timed(sync, "catalog")
        instances, took_instances = timed(sync, "instances")
        stored = Instance.objects.filter(cloud=cloud).count()
        assert instances.created == stored == servers, (instances, stored)
        if report_full:
            total = took_catalog + took_instances
            print(f"floor, every page of servers as JSON: {floor:.2f} s")
            print_peak_memory(cloud, servers)
            print(
                f"first full sync: {total:.2f} s (catalog {took_catalog:.2f} s, instances "
                f"{took_instances:.2f} s; {instances.created:,} instances created) = "
                f"{total / floor:.1f}x the floor, {servers / total:,.0f} instances/s"
            )
            resyncs = [timed(sync, "instances") for _ in range(repeat)]
            written = sum(r.created + r.updated + r.deleted for r, _ in resyncs)
            print(
                f"re-sync, no change: median {statistics.median(t for _, t in resyncs):.2f} s, "
                f"{written} rows written"
            )
        control = SimulatorControl(simulator.base_url)
        changes = []
        for round_number in range(repeat):
            real_ids = Instance.objects.filter(cloud=cloud).values_list("real_id", flat=True)
            for real_id in real_ids[round_number * 10 : round_number * 10 + 10]:
                control.update_server(real_id, name=f"changed-{round_number}-{real_id[:8]}")
            run, took = timed(sync, "changes")
            assert run.updated == 10, run
            changes.append(took)
        median = statistics.median(changes)
        print(f"incremental sync, 10 changes on {servers:,} instances: {median * 1000:.0f} ms")
        if report_full:  # after: the servers it renames are in any later changes' window
            print_changed_resync(cloud, control, sync)
        return median


def print_changed_resync(cloud, control, sync) -> None:
    """A full sync after 10% of the servers were renamed: what recording their history costs
    shows against the re-sync with no change."""
    from apps.history.models import Event
    from apps.inventory.models import Instance

    real_ids = list(Instance.objects.filter(cloud=cloud).values_list("real_id", flat=True))
    changed = real_ids[::10]
    for real_id in changed:
        control.update_server(real_id, name=f"renamed-{real_id[:8]}")
    run, took = timed(sync, "instances")
    assert run.updated == len(changed), run
    told = Event.objects.filter(sync_run_id=run.id).exclude(kind="sync_run").count()
    print(
        f"full sync, {len(changed):,} of {len(real_ids):,} servers renamed: {took:.2f} s, "
        f"{told:,} history rows"
    )


def print_peak_memory(cloud, servers: int) -> None:
    """Peak RSS of `sync --full` of a new cloud on the same simulator, and of the floor."""
    from apps.inventory.models import Cloud, Instance

    copy = Cloud.objects.create(
        name=f"{cloud.name}-memory",
        auth_url=cloud.auth_url,
        username=cloud.username,
        password=cloud.password,
        project_name=cloud.project_name,
    )
    python = sys.executable
    synced = peak_rss_mb([python, "manage.py", "sync", "--full", "--cloud", copy.name])
    floor = peak_rss_mb([python, "-m", "bench.sync", "--floor-of", copy.name])
    stored = Instance.objects.filter(cloud=copy).count()
    assert stored == servers, stored
    print(
        f"peak RSS: sync --full {synced:.0f} MB ({stored:,} instances stored), floor {floor:.0f} MB"
    )


def peak_rss_mb(command: list[str]) -> float:
    """The peak resident memory of `command`, run to its end, in MB, as GNU time reports it:
    the rusage of a child forked from this big process would count this one's pages too."""
    timed_command = ["/usr/bin/time", "-f", "%M", *command]
    done = subprocess.run(
        timed_command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
    )
    assert done.returncode == 0, (command, done.stderr[-2000:])
    return int(done.stderr.split()[-1]) / 1024


def floor_of(name: str) -> None:
    import django

    django.setup()
    from apps.inventory.models import Cloud

    fetch_floor(Cloud.objects.get(name=name))


def fetch_floor(cloud) -> float:
    """Seconds to read every page of servers of every region as JSON, and nothing else."""
    import openstack

    from apps.clouds.drivers.openstack import COMPUTE_MICROVERSION

    started = time.perf_counter()
    for region in ("RegionOne", "RegionTwo"):
        conn = openstack.connect(
            auth_url=cloud.auth_url,
            username=cloud.username,
            password=cloud.password,
            project_name=cloud.project_name,
            user_domain_name="Default",
            project_domain_name="Default",
            region_name=region,
            load_yaml_config=False,
            load_envvars=False,
        )
        url = "/servers/detail?limit=1000"
        while url:
            body = conn.compute.get(url, microversion=COMPUTE_MICROVERSION).json()
            links = body.get("servers_links") or []
            url = next((link["href"] for link in links if link["rel"] == "next"), None)
    return time.perf_counter() - started


if __name__ == "__main__":
    sys.exit(main())
