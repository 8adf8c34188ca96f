from collections.abc import Callable

import pytest

from apps.inventory.models import AvailabilityZone, Flavor, Image, Instance, Keypair, Network
from apps.operations import attempts
from apps.operations.models import ActionItem
from apps.operations.pacing import CallSlots
from perspective.celery import app
from tests.clouds.conftest import cloud, sync  # noqa: F401 (fixtures shared with the sync tests)

# The servers the `synced` fixture adds to the simulator, by status.
SERVERS = {"ACTIVE": 6, "SHUTOFF": 3, "PAUSED": 2, "SUSPENDED": 2, "ERROR": 2}


@pytest.fixture
def synced(cloud, sync, simulator):  # noqa: F811
    """The simulator's cloud, with servers in each state (and a locked one), synced."""
    for status, count in SERVERS.items():
        simulator.control.create_servers(count, status=status)
    simulator.control.create_server(name="locked", locked=True)
    assert sync("catalog").status == "succeeded"
    assert sync("instances").status == "succeeded"
    return cloud


@pytest.fixture
def launch_spec(synced):
    """An instance to launch into the synced cloud, as the wiki's clients send it."""
    project = synced.projects.get(region="RegionOne")
    network = Network.objects.get(project=project, name="admin-net")
    return {
        "name": "launched-by-perspective",
        "projectId": str(project.id),
        "flavor": {"id": str(Flavor.objects.get(project=project, name="m1.small").id)},
        "image": {"id": str(Image.objects.get(name="cirros-0.6.2", projects=project).id)},
        "networks": [{"id": str(network.id)}],
        "keypair": {"name": Keypair.objects.filter(project=project).first().name},
        "availabilityZone": AvailabilityZone.objects.filter(project=project).first().name,
        "metadata": {"entry": [{"key": "purpose", "value": "test"}]},
    }


@pytest.fixture
def eager():
    """Tasks run at once, in the test's thread, when the request's transaction commits."""
    changes = {"task_always_eager": True, "task_eager_propagates": True}
    saved = {name: app.conf[name] for name in changes}
    app.conf.update(changes)
    yield
    app.conf.update(saved)


@pytest.fixture
def act(api, eager, django_capture_on_commit_callbacks) -> Callable:
    """Sends a batch request; returns its response and a function that runs the work it
    queued (as if its transaction committed), so a test can look at what the request did
    before the workers do theirs."""

    def send(method: str, path: str, body, **kwargs):
        with django_capture_on_commit_callbacks() as callbacks:
            response = getattr(api, method)(path, body, format="json", **kwargs)

        def work():
            for callback in callbacks:
                callback()

        return response, work

    return send


def instances(count: int, state: str = "launched", **filters) -> list[Instance]:
    """Unlocked instances of the synced cloud in `state`."""
    found = list(Instance.objects.filter(state=state, is_locked=False, **filters)[:count])
    assert len(found) == count, f"the simulator has fewer than {count} {state} instances"
    return found


def ids(found: list[Instance]) -> list[str]:
    return [str(instance.id) for instance in found]


def states(found: list[Instance]) -> set[str]:
    pks = [instance.id for instance in found]
    return set(Instance.objects.filter(id__in=pks).values_list("state", flat=True))


def statuses(response) -> set[str]:
    """The statuses of the items of the response's action."""
    items = ActionItem.objects.filter(action_id=response.json()["actionId"])
    return set(items.values_list("status", flat=True))


def action_calls(simulator, found: list[Instance]) -> int:
    """How many server actions the simulator received for these instances."""
    paths = tuple(f"/v2.1/servers/{instance.real_id}/action" for instance in found)
    return sum(
        1
        for request in simulator.control.requests()
        if request["method"] == "POST" and request["path"].endswith(paths)
    )


def carry_out(item_id: str, attempts_before: int = 0) -> attempts.ItemResult:
    """What a message for the item (after that many attempts) does, as a worker runs it."""
    with CallSlots() as slots:
        return attempts.carry_out(attempts.load([item_id]).get(item_id), attempts_before, slots)
