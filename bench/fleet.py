"""Many clouds across many workers: N simulated clouds (default 20 of 5,000 servers, each
simulator in a process of its own), W `celery worker` processes started apart (as on separate
hosts, one sync at a time each) and `celery beat` alone scheduling, on PostgreSQL and the broker
of CELERY_BROKER_URL (Redis or RabbitMQ). One cloud answers slowly (latency on every request),
one fails (Nova answers 503).

Prints, with the row counts it checks: the first load (each cloud's catalog and instances,
queued by beat) against the bound of 1.3 x (total work / workers); then, for --steady seconds
while servers change in every cloud and batches of reboots run on them (a worker of the actions
queue of its own), each cloud's freshness (how old the start of its latest successful instance
sync is, sampled every half second) against its changes interval plus SYNC_SCHEDULE_SECONDS;
whether every action item ended, and whether a server was sent its reboot twice; each worker's
utilisation; and whether a cloud was ever synced by two workers at once.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/perspective \\
    CELERY_BROKER_URL=redis://127.0.0.1:6379/13 .venv/bin/python -m bench.fleet
    ... CELERY_BROKER_URL=amqp://guest:guest@127.0.0.1:5672// .venv/bin/python -m bench.fleet

Needs PostgreSQL (the workers are other processes): a database named after DATABASE_URL's,
`_fleet_bench` added, is created and dropped. The broker's sync queue is purged first.
"""

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from contextlib import ExitStack, suppress
from pathlib import Path

from bench.environment import without_debug
from bench.sync import use_fresh_postgres_database

ROOT = Path(__file__).resolve().parents[1]
STARTUP_SECONDS = 60
_WORKER = ["-m", "celery", "-A", "perspective", "worker", "--without-mingle", "--without-gossip"]
_WORKER += ["--loglevel", "INFO"]
WORKER = [*_WORKER, "--queues", "sync", "--concurrency", "1"]
ACTIONS_WORKER = [*_WORKER, "--queues", "actions", "--concurrency", "2"]
SUCCEEDED = re.compile(r"Task apps\.clouds\.tasks\.sync_cloud\[\S+\] succeeded in ([\d.]+)s")


class Fleet:
    """The simulators, their clouds, the workers and beat; figures from the sync runs."""

    def __init__(self, folder: Path, env: dict, *, clouds: int, servers: int, workers: int):
        self.folder, self.env = folder, env
        self.count, self.servers, self.workers = clouds, servers, workers
        self.exit = ExitStack()
        self.processes: dict[str, subprocess.Popen] = {}
        self.controls = {}  # cloud name: SimulatorControl

    def __enter__(self) -> "Fleet":
        self.exit.callback(self.stop)
        return self

    def __exit__(self, *exc_info) -> None:
        self.exit.close()

    def add_clouds(self, changes_seconds: int, slow: float = 0.0, failing: bool = True) -> None:
        """The clouds, fleet-00 ... (the last one slow, the one before failing when asked)."""
        from apps.inventory.models import Cloud
        from openstack_simulator.control_client import SimulatorControl
        from openstack_simulator.testing import spawned_simulator

        for number in range(self.count):
            name = f"fleet-{number:02}"
            options = ["--servers", str(self.servers), "--projects", "1", "--regions", "R"]
            if slow and number == self.count - 1:
                options += ["--latency", str(slow)]
            elif failing and number == self.count - 2:
                options += ["--down", "compute"]
            simulator = self.exit.enter_context(spawned_simulator(*options, "--seed", str(number)))
            self.controls[name] = SimulatorControl(simulator.base_url)
            Cloud.objects.create(
                name=name,
                auth_url=f"{simulator.base_url}/v3",
                username="admin",
                password="simulator",
                project_name="admin",
                changes_sync_seconds=changes_seconds,
            )

    def start(self) -> float:
        """Every worker, then beat; returns when beat started (time.time())."""
        for number in range(self.workers):
            self._start(f"worker-{number}", *WORKER, "--hostname", f"fleet{number}@%h")
        self._start("actions", *ACTIONS_WORKER, "--hostname", "fleet-actions@%h")
        for name in [f"worker-{number}" for number in range(self.workers)] + ["actions"]:
            self.wait(lambda name=name: " ready." in self.output(name), "workers")
        schedule = str(self.folder / "beat-schedule")
        started = time.time()
        self._start("beat", "-m", "celery", "-A", "perspective", "beat", "--schedule", schedule)
        return started

    def _start(self, name: str, *arguments: str) -> None:
        with open(self.folder / f"{name}.out", "w") as log:
            self.processes[name] = subprocess.Popen(
                [sys.executable, *arguments],
                cwd=ROOT,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def stop(self) -> None:
        for process in self.processes.values():
            if process.poll() is None:
                os.killpg(process.pid, 9)
                process.wait()

    def output(self, name: str) -> str:
        return (self.folder / f"{name}.out").read_text()

    def wait(self, check, what: str, timeout: float = STARTUP_SECONDS) -> None:
        deadline = time.monotonic() + timeout
        while not check():
            if time.monotonic() > deadline:
                tails = "\n".join(f"--- {n}\n{self.output(n)[-1500:]}" for n in self.processes)
                raise AssertionError(f"timed out waiting for {what}\n{tails}")
            time.sleep(0.2)

    # Figures ---------------------------------------------------------------------------------

    def healthy(self, failing: bool = True) -> list[str]:
        names = sorted(self.controls)
        return [name for i, name in enumerate(names) if not (failing and i == len(names) - 2)]

    def loaded(self, names: list[str]) -> bool:
        """Every cloud named has a successful instance sync."""
        from apps.clouds.models import SyncRun

        runs = SyncRun.objects.filter(cloud__name__in=names, kind="instances", status="succeeded")
        return runs.values("cloud").distinct().count() == len(names)

    def staleness(self, names: list[str], now: float) -> dict[str, float]:
        """{cloud: seconds since the start of its latest successful instance sync}."""
        from apps.clouds.models import SyncRun

        latest = {}
        runs = SyncRun.objects.filter(
            cloud__name__in=names, kind__in=["instances", "changes"], status="succeeded"
        ).values_list("cloud__name", "started_at")
        for name, started in runs:
            latest[name] = max(latest.get(name, started), started)
        return {name: now - latest[name].timestamp() for name in names if name in latest}

    def overlaps(self) -> int:
        """Pairs of runs of one cloud that ran at the same time (there must be none)."""
        from apps.clouds.models import SyncRun

        ran = SyncRun.objects.filter(status__in=["succeeded", "failed"], started_at__isnull=False)
        spans: dict[str, list] = {}
        for cloud, started, finished in ran.values_list("cloud__name", "started_at", "finished_at"):
            spans.setdefault(cloud, []).append((started, finished))
        return sum(
            later[0] < earlier[1]
            for runs in spans.values()
            for earlier, later in zip(sorted(runs), sorted(runs)[1:], strict=False)
        )

    def busy_seconds(self) -> dict[str, tuple[int, float]]:
        """{worker: (sync tasks run, seconds spent in them)}, from the workers' logs."""
        busy = {}
        for number in range(self.workers):
            seconds = [float(s) for s in SUCCEEDED.findall(self.output(f"worker-{number}"))]
            busy[f"worker-{number}"] = (len(seconds), sum(seconds))
        return busy


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clouds", type=int, default=20)
    parser.add_argument("--servers", type=int, default=5000)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--steady", type=float, default=60, help="seconds of incremental syncs")
    parser.add_argument("--changes-seconds", type=int, default=10)
    parser.add_argument("--schedule-seconds", type=float, default=2)
    parser.add_argument("--slow", type=float, default=0.2, help="latency of the slow cloud, s")
    parser.add_argument("--reboots", type=int, default=5, help="a cloud's servers a batch")
    parser.add_argument("--act-seconds", type=float, default=5, help="between batches")
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        sys.exit("bench.fleet needs DATABASE_URL=postgres://...")
    use_fresh_postgres_database("fleet_bench")
    without_debug()
    import django

    django.setup()
    from django.core.management import call_command

    from bench.environment import print_environment
    from perspective.celery import app

    print_environment()
    call_command("migrate", verbosity=0)
    purge_sync_queue(app)
    broker = broker_version(app)
    print(
        f"{args.clouds} clouds of {args.servers:,} servers, {args.workers} workers, broker "
        f"{broker}; SYNC_SCHEDULE_SECONDS {args.schedule_seconds}, changes every "
        f"{args.changes_seconds} s; slow cloud +{args.slow} s a request, one cloud failing (503)"
    )
    with tempfile.TemporaryDirectory() as folder:
        env = os.environ | {
            "SYNC_SCHEDULE_SECONDS": str(args.schedule_seconds),
            "PERSPECTIVE_VAR_DIR": folder,
        }
        with Fleet(
            Path(folder), env, clouds=args.clouds, servers=args.servers, workers=args.workers
        ) as fleet:
            fleet.add_clouds(args.changes_seconds, slow=args.slow)
            started = fleet.start()
            first_load(fleet, args)
            steady(fleet, args)
            report_workers(fleet, time.time() - started)


def broker_version(app) -> str:
    with app.connection_for_write() as connection:
        channel = connection.default_channel
        if hasattr(channel, "client"):  # kombu's Redis channel
            return f"Redis {channel.client.info()['redis_version']}"
        return f"RabbitMQ {connection.connection.server_properties['version']}"


def purge_sync_queue(app) -> None:
    with app.connection_for_write() as connection, suppress(Exception):  # none yet on RabbitMQ
        connection.default_channel.queue_purge("sync")


def first_load(fleet: Fleet, args) -> None:
    from apps.clouds.models import SyncRun
    from apps.inventory.models import Instance

    healthy = fleet.healthy()
    fleet.wait(lambda: fleet.loaded(healthy), "the first load", timeout=1800)
    loaded_at = time.time()
    # From beat's first runs (a process takes seconds to start on a busy machine).
    started = SyncRun.objects.earliest("queued_at").queued_at.timestamp()
    runs = SyncRun.objects.filter(cloud__name__in=healthy, status="succeeded")
    work = sum((r.finished_at - r.started_at).total_seconds() for r in runs)
    bound = 1.3 * work / args.workers
    finished = {
        name: max(
            r.finished_at.timestamp() - started
            for r in runs
            if r.cloud.name == name and r.kind == "instances"
        )
        for name in healthy
    }
    stored = Instance.objects.filter(cloud__name__in=healthy).count()
    assert stored == len(healthy) * args.servers, stored
    late = [name for name, seconds in finished.items() if seconds > bound]
    print(
        f"first load: {len(healthy)} clouds, {stored:,} instances stored in "
        f"{loaded_at - started:.1f} s; work {work:.1f} s of syncs, bound 1.3 x work / "
        f"{args.workers} = {bound:.1f} s; last cloud done at {max(finished.values()):.1f} s "
        f"({max(finished.values()) / (work / args.workers):.2f} x work / workers), "
        f"median {statistics.median(finished.values()):.1f} s; over the bound: {late or 'none'}"
    )


def steady(fleet: Fleet, args) -> None:
    """Renames 5 servers of every healthy cloud, then samples freshness for --steady seconds."""
    from apps.inventory.models import Instance

    healthy = fleet.healthy()
    renamed = {}
    for name in healthy:
        control = fleet.controls[name]
        servers = control.servers()[:5]
        for server in servers:
            control.update_server(server["id"], name=f"renamed-{server['id'][:8]}")
        renamed[name] = [server["id"] for server in servers]
    worst: dict[str, float] = {}
    samples: dict[str, list] = {}
    reboots = Reboots(healthy, args.reboots)
    next_batch = time.time()
    deadline = next_batch + args.steady
    while time.time() < deadline:
        if time.time() >= next_batch:
            reboots.send()
            next_batch += args.act_seconds
        for name, seconds in fleet.staleness(healthy, time.time()).items():
            worst[name] = max(worst.get(name, 0.0), seconds)
            samples.setdefault(name, []).append(seconds)
        time.sleep(0.5)
    goal = args.changes_seconds + args.schedule_seconds
    seen = sum(
        Instance.objects.filter(
            cloud__name=name, real_id__in=ids, name__startswith="renamed-"
        ).count()
        for name, ids in renamed.items()
    )
    print(
        f"steady {args.steady:.0f} s: freshness per cloud, worst (mean) s, goal {goal:.0f} s "
        f"(changes interval + SYNC_SCHEDULE_SECONDS):"
    )
    for name in healthy:
        tag = " (slow)" if name == sorted(fleet.controls)[-1] else ""
        print(f"  {name}{tag}: {worst[name]:.1f} ({statistics.mean(samples[name]):.1f})")
    print(f"  renamed servers seen renamed: {seen} of {5 * len(healthy)}")
    reboots.report(fleet)


class Reboots:
    """Batches of reboots, each of `size` running, unlocked servers of every cloud, none twice."""

    def __init__(self, names: list[str], size: int):
        from apps.inventory.models import Instance

        self.size = size
        self.left = {
            name: list(
                Instance.objects.filter(
                    cloud__name=name, state="launched", is_locked=False
                ).values_list("id", flat=True)
            )
            for name in names
        }
        self.actions = []
        self.rounds = 0

    def send(self) -> None:
        from apps.clouds.choices import Operation
        from apps.operations.services import instance_action

        for name, ids in self.left.items():
            batch, self.left[name] = ids[: self.size], ids[self.size :]
            outcome = instance_action(Operation.REBOOT_INSTANCE, [str(pk) for pk in batch])
            assert not outcome.skipped, outcome.skipped
            self.actions.append(outcome.action.id)
        self.rounds += 1

    def report(self, fleet: Fleet, timeout: float = 120) -> None:
        """Waits for every item to end; prints how they ended and the reboots sent twice."""
        from django.db.models import Count

        from apps.operations.choices import FINISHED
        from apps.operations.models import ActionItem

        items = ActionItem.objects.filter(action_id__in=self.actions)
        fleet.wait(lambda: not items.exclude(status__in=FINISHED).exists(), "actions", timeout)
        ended = dict(items.order_by().values_list("status").annotate(count=Count("id")))
        twice = sum(
            count > 1
            for control in fleet.controls.values()
            for count in Counter(
                r["path"]
                for r in control.requests()
                if r["method"] == "POST" and r["path"].endswith("/action")
            ).values()
        )
        print(
            f"  {self.rounds} rounds of a batch of {self.size} reboots a cloud, "
            f"{items.count()} items: {ended}; "
            f"servers sent their reboot twice: {twice}"
        )


def report_workers(fleet: Fleet, wall: float) -> None:
    from apps.clouds.models import SyncRun

    failing = sorted(fleet.controls)[-2]
    print(f"workers over {wall:.0f} s:")
    for worker, (tasks, seconds) in fleet.busy_seconds().items():
        print(f"  {worker}: {tasks} syncs, busy {seconds:.1f} s = {seconds / wall:.0%}")
    runs = SyncRun.objects.all()
    print(
        f"runs: {runs.filter(status='succeeded').count()} succeeded, "
        f"{runs.filter(status='skipped').count()} skipped (cloud busy), "
        f"{runs.filter(cloud__name=failing).exclude(status='succeeded').count()} of the failing "
        f"cloud unsuccessful; overlapping runs of one cloud: {fleet.overlaps()}"
    )


if __name__ == "__main__":
    sys.exit(main())
