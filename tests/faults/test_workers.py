"""A worker that dies (kill -9) or is stopped (SIGTERM) in the middle of a batch: another one
carries the batch on, and no server gets two accepted calls for one item."""

import time

import pytest

from apps.operations.models import ActionItem

from .checks import assert_done_once
from .conftest import needs_real_servers

pytestmark = [*needs_real_servers(), pytest.mark.stack(servers=40, simulator=["--delay", "1"])]


def test_a_worker_killed_mid_batch(stack, report):
    action = stack.batch_under_way()

    stack.kill("worker")
    killed = time.monotonic()
    assert ActionItem.objects.filter(action_id=action).exclude(status="succeeded").exists()
    stack.start_worker("worker-2")

    report(
        "worker killed (kill -9) mid-batch", stack.settle(killed), assert_done_once(stack, action)
    )


def test_a_worker_stopped_mid_batch(stack, report):
    action = stack.batch_under_way()

    stack.terminate("worker")  # returns once its running tasks ended
    stopped = time.monotonic()
    stack.start_worker("worker-2")

    report(
        "worker stopped (SIGTERM) mid-batch", stack.settle(stopped), assert_done_once(stack, action)
    )
