"""Real `celery worker` processes against Redis and PostgreSQL (a separate process cannot see
SQLite's in-memory test database): a worker, or one of its pool processes, killed mid-batch
loses nothing and does nothing twice; the workers keep to the limit of calls in flight."""

import os
import signal
import sys
from pathlib import Path

import pytest
import redis
from django.conf import settings
from django.db import connection

from apps.inventory.models import Instance
from apps.operations.models import ActionItem
from perspective.celery import app
from tests.processes import kill, postgres_url, start, wait_for

from .helpers import action_calls, ids, states

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.simulator(servers=0, projects=1, regions=("R",), delay=0.3),
    pytest.mark.skipif(
        connection.vendor != "postgresql" or not settings.CELERY_BROKER_URL.startswith("redis"),
        reason="needs PostgreSQL and Redis (DATABASE_URL=postgres://... "
        "CELERY_BROKER_URL=redis://...): a worker process cannot see SQLite's in-memory "
        "test database nor the in-memory broker",
    ),
]

BATCH = 40


@pytest.fixture
def broker():
    try:
        redis.Redis.from_url(settings.CELERY_BROKER_URL, socket_timeout=2).ping()
    except redis.RedisError as exc:
        pytest.skip(f"Redis at {settings.CELERY_BROKER_URL} does not answer: {exc}")
    with app.connection_for_write() as conn:
        conn.default_channel.queue_purge("actions")


@pytest.fixture
def worker(broker, tmp_path):
    """Starts `celery worker` processes on the actions queue; kills what is left at the end."""
    started = []

    def start_worker(name: str, **environment):
        log = tmp_path / f"{name}.log"
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "tests.operations.worker_settings",
            "DATABASE_URL": postgres_url(connection.settings_dict),
            "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
            "ACTIONS_POLL_SECONDS": "0.2",
            **environment,
        }
        command = [sys.executable, "-m", "celery", "-A", "perspective", "worker"]
        options = ["--queues", "actions", "--concurrency", "2", "--hostname", f"{name}@%h"]
        options += ["--without-mingle", "--without-gossip", "--loglevel", "INFO"]
        process = start(command + options, env, settings.BASE_DIR, log)
        started.append(process)
        wait_for(lambda: " ready." in log.read_text(), 30, f"worker {name} to start")
        return process

    yield start_worker
    for process in started:
        kill(process)


@pytest.fixture
def batch(cloud, sync, simulator) -> list[Instance]:
    """BATCH running instances, synced, on a cloud that answers in 50 ms."""
    simulator.control.create_servers(BATCH)
    sync("instances")
    simulator.control.set_faults(services=["compute"], latency=0.05)
    return list(Instance.objects.all())


def reboot(api, found):
    response = api.put("/instances/reboot", ids(found), format="json")
    return ActionItem.objects.filter(action_id=response.json()["actionId"])


def all_done(items):
    return lambda: not items.exclude(status="succeeded").exists()


def test_a_worker_killed_mid_batch_and_restarted_loses_nothing_and_does_nothing_twice(
    api, batch, simulator, worker
):
    first = worker("first")

    items = reboot(api, batch)
    wait_for(lambda: items.filter(attempts__gt=0).count() >= 10, 30, "the first calls")
    kill(first)

    assert items.exclude(status="succeeded").exists(), "the batch ended before the kill"
    worker("second")
    wait_for(all_done(items), 60, "the whole batch")
    assert states(batch) == {"launched"}
    assert action_calls(simulator, batch) == BATCH
    assert set(items.values_list("attempts", flat=True)) == {1}


def test_a_pool_process_killed_mid_batch_is_replaced_and_its_items_done_once(
    api, batch, simulator, worker
):
    main = worker("pool")

    items = reboot(api, batch)
    wait_for(lambda: items.filter(attempts__gt=0).count() >= 10, 30, "the first calls")
    for child in pool_processes(main.pid):
        os.kill(child, signal.SIGKILL)

    wait_for(all_done(items), 60, "the whole batch")
    assert action_calls(simulator, batch) == BATCH


def pool_processes(pid: int) -> list[int]:
    """The processes whose parent is `pid` (from /proc: the field after the name is the state,
    then the parent's id)."""
    children = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            children.append(int(stat.parent.name))
    return children


def test_workers_keep_to_the_limit_of_calls_in_flight_per_cloud(api, batch, simulator, worker):
    worker("limited", ACTIONS_MAX_IN_FLIGHT="1")

    items = reboot(api, batch)
    wait_for(all_done(items), 60, "the whole batch")

    calls = [r for r in simulator.control.requests() if r["path"].endswith("/action")]
    assert len(calls) == BATCH
    assert most_at_once(calls) == 1


def most_at_once(requests: list[dict]) -> int:
    """The most requests the simulator was answering at the same moment."""
    edges = sorted(
        [(r["time"] - r["duration"], 1) for r in requests] + [(r["time"], -1) for r in requests]
    )
    busy = most = 0
    for _, change in edges:
        busy += change
        most = max(most, busy)
    return most
