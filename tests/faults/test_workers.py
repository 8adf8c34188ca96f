"""A worker that dies (kill -9) or is stopped (SIGTERM) in the middle of a batch: another one
carries the batch on, and no server gets two accepted calls for one item."""

import time

import pytest

from apps.operations.models import ActionItem

from .checks import NO_SCHEDULED_SYNCS, assert_done_once
from .conftest import needs_real_servers

pytestmark = [*needs_real_servers(), pytest.mark.stack(servers=40, simulator=["--delay", "1"])]


def mid_batch(stack) -> str:
    """A reboot of every instance, once the worker has made some of the calls."""
    stack.cloud(**NO_SCHEDULED_SYNCS)
    stack.simulator.set_faults(services=["compute"], latency=0.1)
    stack.start_all()
    action = stack.reboot_all()
    items = ActionItem.objects.filter(action_id=action)
    stack.wait(lambda: items.filter(attempts__gt=0).count() >= 8, 30, "the first calls")
    return action


def test_a_worker_killed_mid_batch(stack, report):
    action = mid_batch(stack)

    stack.kill("worker")
    killed = time.monotonic()
    assert ActionItem.objects.filter(action_id=action).exclude(status="succeeded").exists()
    stack.start_worker("worker-2")

    report(
        "worker killed (kill -9) mid-batch", stack.settle(killed), assert_done_once(stack, action)
    )


def test_a_worker_stopped_mid_batch(stack, report):
    action = mid_batch(stack)

    stack.terminate("worker")  # returns once its running tasks ended
    stopped = time.monotonic()
    stack.start_worker("worker-2")

    report(
        "worker stopped (SIGTERM) mid-batch", stack.settle(stopped), assert_done_once(stack, action)
    )
