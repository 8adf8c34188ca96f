"""Perspective as it runs in production, in real processes, for the fault suite: a web process,
a Celery worker and beat on PostgreSQL and a redis-server of the test's own, and the OpenStack
simulator in a process of its own. Each part can be killed, stopped and started again, and the
test's database can be made to go away (the processes reach it through a proxy)."""

import os
import shutil
import signal
import subprocess
import sys
import time
from collections import Counter
from contextlib import ExitStack
from datetime import UTC, datetime, timedelta
from pathlib import Path

import redis
import requests
from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import timezone
from rest_framework.authtoken.models import Token

from apps.clouds.choices import SyncStatus
from apps.clouds.drivers.openstack.states import instance_state
from apps.clouds.models import SyncRun
from apps.clouds.sync.runner import run_sync
from apps.history.models import Event
from apps.inventory.models import Cloud, Instance
from apps.operations.choices import ItemStatus
from apps.operations.models import ActionItem
from openstack_simulator.control_client import SimulatorControl
from openstack_simulator.testing import spawned_simulator
from tests.processes import free_port, kill, listening, postgres_url, start, wait_for

STARTUP_SECONDS = 60
# The worker of deploy/systemd (both queues), with two pool processes; then its --hostname.
WORKER = ["--queues", "sync,actions", "--concurrency", "2", "--loglevel", "INFO"]
WORKER += ["--without-mingle", "--without-gossip", "--hostname"]
UNFINISHED_ITEMS = (ItemStatus.QUEUED, ItemStatus.RUNNING)
UNFINISHED_RUNS = (SyncStatus.QUEUED, SyncStatus.RUNNING)
# The timeouts of the processes, shortened so that every fault settles within seconds.
SHORT_TIMEOUTS = {
    "RESEND_SECONDS": "3",
    "ACTIONS_ATTEMPT_SECONDS": "4",
    "ACTIONS_POLL_SECONDS": "0.3",
    "ACTIONS_MAX_IN_FLIGHT": "4",
    "SYNC_SCHEDULE_SECONDS": "1",
    "RETRY_AFTER_MAX_SECONDS": "5",
}


# Syncs that do not come by themselves while a test runs; a test asks for those it wants.
NO_SCHEDULED_SYNCS = {
    "catalog_sync_minutes": 600,
    "instances_sync_minutes": 600,
    "changes_sync_seconds": 36000,
}


class Server:
    """A server process of the test's own (redis-server, the database proxy) on a fixed port,
    so that it can be killed and started again where its clients look for it."""

    def __init__(self, name: str, command: list[str], folder: Path, port: int, ready):
        self.name, self.command, self.folder, self.port = name, command, folder, port
        self.ready = ready
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        log = self.folder / f"{self.name}.log"
        self.process = start(self.command, dict(os.environ), settings.BASE_DIR, log)
        wait_for(self.ready, STARTUP_SECONDS, f"{self.name} to answer on port {self.port}")

    def kill(self) -> None:
        kill(self.process)


def redis_server(folder: Path) -> Server:
    """A redis-server without persistence, as issue 14 found the broker: restarted, it is empty."""
    port = free_port()
    command = [shutil.which("redis-server"), "--port", str(port), "--bind", "127.0.0.1"]
    command += ["--save", "", "--appendonly", "no", "--dir", str(folder)]
    client = redis.Redis(port=port, socket_timeout=1)

    def answers() -> bool:
        try:
            return client.ping()
        except redis.RedisError:
            return False

    return Server("redis", command, folder, port, answers)


def database_proxy(folder: Path, database_port: int) -> Server:
    port = free_port()
    command = [sys.executable, "-m", "tests.faults.tcp_proxy", str(port), str(database_port)]

    return Server("database-proxy", command, folder, port, lambda: listening(port))


class Stack:
    """The processes, the cloud and what the test checks them by."""

    def __init__(self, folder: Path, database: dict, servers: int, simulator_options: list[str]):
        self.folder = folder
        self.exit = ExitStack()
        self.processes: dict[str, subprocess.Popen] = {}
        self.redis = redis_server(folder)
        self.database_proxy = database_proxy(folder, int(database["PORT"] or 5432))
        self.servers = servers
        self.simulator_options = simulator_options
        self.web_port = free_port()
        self.env = {
            **os.environ,
            **SHORT_TIMEOUTS,
            "DJANGO_SETTINGS_MODULE": "tests.faults.settings",
            # Said, not left unset: manage.py would take the checkout's development .env's.
            "DEBUG": os.environ.get("DEBUG", "false"),
            "DATABASE_URL": postgres_url({**database, "PORT": self.database_proxy.port}),
            "CELERY_BROKER_URL": f"redis://127.0.0.1:{self.redis.port}/0",
            "PERSPECTIVE_VAR_DIR": str(folder / "var"),
            "DATABASE_CONN_MAX_AGE": "60",
        }
        self.token = ""

    # Starting and stopping ---------------------------------------------------------------

    def __enter__(self) -> "Stack":
        simulator = self.exit.enter_context(
            spawned_simulator(
                "--servers",
                str(self.servers),
                "--projects",
                "1",
                "--regions",
                "R",
                *self.simulator_options,
            )
        )
        self.simulator = SimulatorControl(simulator.base_url)
        self.exit.callback(self.stop)
        self.redis.start()
        self.database_proxy.start()
        return self

    def __exit__(self, *exc_info) -> None:
        self.exit.close()

    def stop(self) -> None:
        for process in self.processes.values():
            kill(process)
        self.redis.kill()
        self.database_proxy.kill()

    def start(self, name: str, *arguments: str) -> subprocess.Popen:
        command = [sys.executable, *arguments]
        process = start(command, self.env, settings.BASE_DIR, self.folder / f"{name}.out")
        self.processes[name] = process
        return process

    def start_worker(self, name: str = "worker", wait: bool = True) -> None:
        self.start(name, "-m", "celery", "-A", "perspective", "worker", *WORKER, f"{name}@%h")
        if wait:
            self.wait(lambda: " ready." in self.output(name), STARTUP_SECONDS, f"{name} to start")

    def start_all(self) -> None:
        """Beat, the web process and a worker, as in production."""
        schedule = str(self.folder / "beat-schedule")
        self.start("beat", "-m", "celery", "-A", "perspective", "beat", "--schedule", schedule)
        self.start("web", "manage.py", "runserver", "--noreload", f"127.0.0.1:{self.web_port}")
        self.start_worker(wait=False)
        self.wait(self._web_answers, STARTUP_SECONDS, "the web process to answer")
        self.wait(lambda: " ready." in self.output("worker"), STARTUP_SECONDS, "worker to start")

    def _web_answers(self) -> bool:
        try:
            requests.get(self.url("/version"), timeout=2)
        except requests.ConnectionError:
            return False
        return True

    def kill(self, name: str) -> None:
        kill(self.processes[name])

    def terminate(self, name: str) -> None:
        """SIGTERM to the main process alone, as systemd stops the worker (KillMode=mixed)."""
        process = self.processes[name]
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=STARTUP_SECONDS)

    def restart_redis_empty(self, down_for: float) -> None:
        self.redis.kill()
        time.sleep(down_for)
        self.redis.start()

    # The cloud ------------------------------------------------------------------------------

    def cloud(self, synced: bool = True, **intervals) -> Cloud:
        """The simulator's cloud, synced once here unless not `synced` (beat then syncs it
        first thing); `intervals` are its sync intervals."""
        auth_url = self.simulator.base_url + "/v3"
        cloud = Cloud.objects.create(
            name="faults",
            auth_url=auth_url,
            username="admin",
            password="simulator",
            project_name="admin",
            **intervals,
        )
        for kind in ("catalog", "instances") if synced else ():
            run = run_sync(SyncRun.objects.create(cloud=cloud, kind=kind))
            assert run.status == "succeeded", run.error
        user = get_user_model().objects.create_superuser("faults", "faults@example.org", "-")
        self.token = Token.objects.create(user=user).key
        return cloud

    def sync_due(self, cloud: Cloud, kind: str) -> None:
        """Beat finds a sync of that kind due (its last one a day old) and queues it."""
        runs = SyncRun.objects.filter(cloud=cloud, kind=kind)
        runs.update(queued_at=timezone.now() - timedelta(days=1))

    def synced(self, cloud: Cloud, kind: str, since: float):
        """A check: a run of that kind asked for after `since` (time.time()) succeeded."""
        after = datetime.fromtimestamp(since, UTC)
        runs = SyncRun.objects.filter(cloud=cloud, kind=kind, queued_at__gt=after)
        return lambda: runs.filter(status=SyncStatus.SUCCEEDED).exists()

    # Talking to it --------------------------------------------------------------------------

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.web_port}{path}"

    def http(self, method: str, path: str, **kwargs) -> requests.Response:
        headers = {"Authorization": f"Token {self.token}"} if self.token else {}
        return requests.request(method, self.url(path), headers=headers, timeout=30, **kwargs)

    def batch_under_way(self) -> str:
        """The cloud, with no sync due while the test runs, every process started, and a
        reboot of every running instance once the worker has made some of its calls (each
        takes 0.1 s): the action's id."""
        self.cloud(**NO_SCHEDULED_SYNCS)
        self.simulator.set_faults(services=["compute"], latency=0.1)
        self.start_all()
        action = self.reboot_all()
        items = ActionItem.objects.filter(action_id=action)
        self.wait(lambda: items.filter(attempts__gt=0).count() >= 8, 30, "the first calls")
        return action

    def reboot_all(self) -> str:
        """Reboots every running instance through the web process; returns the action's id."""
        running = Instance.objects.filter(state="launched", is_locked=False)
        ids = [str(pk) for pk in running.values_list("id", flat=True)]
        response = self.http("PUT", "/instances/reboot", json=ids)
        assert response.status_code == 200, response.text
        assert not response.json()["skipped"]
        return response.json()["actionId"]

    # What the test checks -------------------------------------------------------------------

    def output(self, name: str) -> str:
        return (self.folder / f"{name}.out").read_text()

    def wait(self, check, timeout: float, what: str) -> None:
        """Waits, or fails with the end of every process's output."""
        try:
            wait_for(check, timeout, what)
        except AssertionError as failure:
            tails = {name: self.output(name)[-2500:] for name in self.processes}
            shown = "\n".join(f"--- {name} ---\n{tail}" for name, tail in tails.items())
            raise AssertionError(f"{failure}\n{shown}") from None

    def settled(self) -> bool:
        """Every item and every run has ended, and the inventory is the simulator's."""
        if ActionItem.objects.filter(status__in=UNFINISHED_ITEMS).exists():
            return False
        if SyncRun.objects.filter(status__in=UNFINISHED_RUNS).exists():
            return False
        return self.inventory() == self.cloud_inventory()

    def settle(self, since: float, timeout: float = 120) -> float:
        """Seconds from `since` (a time.monotonic()) until everything settled."""
        try:
            self.wait(self.settled, timeout, "every item and run to end, the inventory to match")
        except AssertionError as failure:
            raise AssertionError(f"Not settled: {self.unsettled()}\n{failure}") from None
        return time.monotonic() - since

    def unsettled(self) -> str:
        """What is not settled yet, for a failure's message."""
        items = ActionItem.objects.filter(status__in=UNFINISHED_ITEMS)
        runs = SyncRun.objects.filter(status__in=UNFINISHED_RUNS)
        ours, theirs = self.inventory(), self.cloud_inventory()
        differ = {key for key in ours.keys() | theirs.keys() if ours.get(key) != theirs.get(key)}
        return (
            f"items {list(items.values_list('status', 'attempts', 'reason'))[:5]}, "
            f"runs {list(runs.values_list('kind', 'status', 'attempts'))}, "
            f"{len(differ)} instances differ, e.g. "
            f"{[(ours.get(key), theirs.get(key)) for key in list(differ)[:3]]}"
            f"{self._story(next(iter(differ))) if differ else ''}"
        )

    def _story(self, real_id: str) -> str:
        """What Perspective recorded of one instance, and what the simulator says of it."""
        instance = Instance.objects.filter(real_id=real_id).first()
        if instance is None:
            return ""
        events = Event.objects.filter(entity_id=instance.id).order_by("id")
        told = "\n".join(
            f"  {time:%H:%M:%S.%f} {field} {old} -> {new} (run {run}, {operation})"
            for time, field, old, new, run, operation in events.values_list(
                "time", "field", "old_value", "new_value", "sync_run_id", "operation"
            )
        )
        runs = SyncRun.objects.filter(cloud=instance.cloud).order_by("id")
        server = next(s for s in self.simulator.servers() if s["id"] == real_id)
        return (
            f"\n{instance.name}: last_updated {instance.last_updated}, observed_at "
            f"{instance.observed_at}; the cloud's updated {server['updated']}\n{told}\nruns: "
            + ", ".join(
                f"{r.id} {r.kind} {r.status} {r.started_at:%H:%M:%S.%f}-{r.finished_at:%H:%M:%S.%f}"
                for r in runs
                if r.finished_at
            )
        )

    def inventory(self) -> dict[str, tuple[str, str]]:
        rows = Instance.objects.filter(real_id__isnull=False)
        return {
            real_id: (name, state)
            for real_id, name, state in rows.values_list("real_id", "name", "state")
        }

    def cloud_inventory(self) -> dict[str, tuple[str, str]]:
        return {
            s["id"]: (s["name"], instance_state(s["status"], s["OS-EXT-STS:task_state"]))
            for s in self.simulator.servers()
        }

    def action_calls(self) -> list[dict]:
        """The server actions the simulator received (POST .../servers/{id}/action)."""
        return [
            r
            for r in self.simulator.requests()
            if r["method"] == "POST" and r["path"].endswith("/action")
        ]

    def waits_after_refusals(self) -> list[float]:
        """Seconds between each action call the cloud refused (5xx) and the next call for
        the same server: how long the worker waited before trying again."""
        calls = sorted(self.action_calls(), key=lambda call: call["time"])
        waits = []
        for index, call in enumerate(calls):
            if call["status"] < 500:
                continue
            later = [c["time"] for c in calls[index + 1 :] if c["path"] == call["path"]]
            if later:
                waits.append(later[0] - call["time"])
        return waits

    def accepted_calls(self) -> Counter:
        """{server id: how many of its action calls the cloud accepted}."""
        return Counter(
            call["path"].rsplit("/", 2)[-2] for call in self.action_calls() if call["status"] == 202
        )
