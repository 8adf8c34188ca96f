"""Redis killed and started again empty (it keeps nothing on disk) in the middle of a batch and
of a sync: the worker and beat ride it out, and what the broker forgot is sent again from the
database."""

import time

import pytest

from apps.clouds.models import SyncRun
from apps.operations.models import ActionItem

from .checks import assert_done_once
from .conftest import needs_real_servers

pytestmark = needs_real_servers()

DOWN_FOR = 3  # seconds Redis is away


def assert_alive(stack, *names: str) -> None:
    for name in names:
        assert stack.processes[name].poll() is None, f"{name} died:\n{stack.output(name)[-3000:]}"


@pytest.mark.stack(servers=60, simulator=["--delay", "1"])
def test_redis_restarted_empty_mid_batch(stack, report):
    action = stack.batch_under_way()

    stack.restart_redis_empty(DOWN_FOR)
    restarted = time.monotonic()
    assert ActionItem.objects.filter(action_id=action).exclude(status="succeeded").exists()

    seconds = stack.settle(restarted)
    assert_alive(stack, "worker", "beat", "web")
    report("Redis restarted empty mid-batch", seconds, assert_done_once(stack, action))


@pytest.mark.stack(servers=120, simulator=["--max-limit", "10"])
def test_redis_restarted_empty_mid_sync(stack, report):
    cloud = stack.cloud(synced=False, changes_sync_seconds=3600)
    stack.simulator.create_servers(5, region="R")
    stack.simulator.set_faults(services=["compute"], latency=0.15)
    stack.start_all()
    runs = SyncRun.objects.filter(cloud=cloud)
    stack.wait(
        lambda: runs.filter(kind="instances", status="running").exists(), 60, "the full sync"
    )

    stack.restart_redis_empty(DOWN_FOR)
    restarted = time.monotonic()

    seconds = stack.settle(restarted)
    assert_alive(stack, "worker", "beat", "web")
    assert set(runs.values_list("kind", "status")) == {
        ("catalog", "succeeded"),
        ("instances", "succeeded"),
        ("changes", "succeeded"),
    }
    report("Redis restarted empty mid-sync", seconds)
