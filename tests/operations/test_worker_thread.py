"""A real Celery worker (in a thread, on the test's broker) carries out a batch end to end."""

import time

import pytest

from apps.operations.models import ActionItem
from tests.fixtures.operations import worker_thread

from .helpers import ids, instances, states

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.simulator(servers=0, projects=1, delay=0.3),
]


def wait_for(check, timeout: float = 20.0):
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.1)


@pytest.fixture
def worker():
    with worker_thread(["actions"]):
        yield


def test_a_worker_reboots_and_follows_instances_to_their_end_state(api, synced, simulator, worker):
    found = instances(4)
    simulator.control.clear_requests()

    response = api.put("/instances/reboot", ids(found), format="json")

    assert states(found) == {"rebooting"}
    items = ActionItem.objects.filter(action_id=response.json()["actionId"])
    wait_for(lambda: set(items.values_list("status", flat=True)) == {"succeeded"})
    assert states(found) == {"launched"}
    listings = [r for r in simulator.control.requests() if "/servers/detail" in r["path"]]
    assert 1 <= len(listings) < 6  # one per poll (0.2 s) while the cloud takes 0.3 s
