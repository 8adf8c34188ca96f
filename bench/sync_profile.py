"""Where the seconds of a full instance sync go, under cProfile: HTTP, JSON decoding, record
building, comparison, writes, commit. The first sync (every row new) and a re-sync with no
change, of N servers (default 100,000) of the OpenStack simulator in its own process.

Run: .venv/bin/python -m bench.sync_profile [--servers 100000]
SQLite file in a temporary folder, or PostgreSQL when DATABASE_URL is set (a database named
after its own, `_sync_bench` added, is created and dropped). cProfile slows Python down, so
the split, not the total, is the figure to read.
"""

import argparse
import cProfile
import pstats
import sys

from bench.sync import timed, use_fresh_postgres_database

# Category: the functions (module path ending, name) whose cumulative time it is. Writes are
# subtracted from comparison, which calls them.
SPLIT = {
    # The requests are made by the driver's read-ahead thread, which cProfile does not see:
    # what the sync waits for is its wait for the page.
    "HTTP": [("requests/sessions.py", "send"), ("concurrent/futures/_base.py", "result")],
    "JSON decoding": [("requests/models.py", "json")],
    "record building": [
        ("openstack/records.py", "server"),
        ("sync/instances.py", "fingerprint"),
        ("sync/instances.py", "values"),
    ],
    "comparison": [
        ("sync/instances.py", "_unchanged"),
        ("sync/reconcile.py", "reconcile"),
        ("sync/reconcile.py", "replace_details"),
    ],
    "writes": [
        ("inventory/bulk.py", "_write"),
        ("sync/listed.py", "add"),
        ("sync/reconcile.py", "delete_ids"),
    ],
    "commit": [("django/db/backends/base/base.py", "commit")],
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--servers", type=int, default=100_000)
    args = parser.parse_args()
    use_fresh_postgres_database()

    import django

    django.setup()
    from django.core.management import call_command

    from bench.environment import print_environment

    print_environment()
    call_command("migrate", verbosity=0)
    profile_syncs(args.servers)


def profile_syncs(servers: int) -> None:
    from apps.clouds.models import SyncRun
    from apps.clouds.sync.runner import run_sync
    from apps.inventory.models import Cloud, Instance
    from openstack_simulator.testing import spawned_simulator

    arguments = ("--servers", str(servers), "--projects", "1", "--delay", "0")
    with spawned_simulator(*arguments) as simulator:
        cloud = Cloud.objects.create(
            name="profiled",
            auth_url=f"{simulator.base_url}/v3",
            username="admin",
            password="simulator",
            project_name="admin",
        )
        run_sync(SyncRun.objects.create(cloud=cloud, kind="catalog"))
        for label in ("first sync", "re-sync, no change"):
            profile = cProfile.Profile()
            run = SyncRun.objects.create(cloud=cloud, kind="instances")
            _, took = timed(profile.runcall, run_sync, run)
            stored = Instance.objects.filter(cloud=cloud).count()
            assert stored == servers and run.status == "succeeded", (stored, run)
            print(
                f"{label}: {took:.2f} s under cProfile ({run.created:,} created, "
                f"{run.unchanged:,} unchanged; {stored:,} instances stored)"
            )
            print_split(pstats.Stats(profile), took)


def print_split(stats: pstats.Stats, total: float) -> None:
    cumulative = dict.fromkeys(SPLIT, 0.0)
    for (path, _, name), (_, _, _, seconds, _) in stats.stats.items():
        for category, functions in SPLIT.items():
            if any(path.endswith(end) and name == fn for end, fn in functions):
                cumulative[category] += seconds
    cumulative["comparison"] -= cumulative["writes"]
    cumulative["other"] = total - sum(cumulative.values())
    print(
        "  "
        + ", ".join(
            f"{category} {seconds:.2f} s ({seconds / total:.0%})"
            for category, seconds in cumulative.items()
        )
    )


if __name__ == "__main__":
    sys.exit(main())
